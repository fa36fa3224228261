package io.lockstep.zookeeper;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waiting on the futures the primitives complete, with their failures thrown as they were. */
final class Futures {
    private Futures() {}

    /** Waits for {@code f}; a failure is rethrown as the exception it failed with. */
    static <T> T await(CompletableFuture<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** What to throw for a future that failed with {@code cause}: the cause itself if unchecked. */
    static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException r) return r;
        if (cause instanceof Error err) throw err;
        return new CoordinationException("request failed", cause);
    }
}
