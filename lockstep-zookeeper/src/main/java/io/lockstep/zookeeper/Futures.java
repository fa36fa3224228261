package io.lockstep.zookeeper;

import io.lockstep.internal.Deadline;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * Waits for a grant {@code f} until {@code deadline} (a {@link Deadline}; NONE: no limit); a null
     * result (a try that found no room) is empty. A timeout or an interrupt cancels it; if the
     * grant won that race, a timeout keeps the guard and an interrupt releases it.
     */
    static <G extends FencedGuard> Optional<G> awaitGrant(CompletableFuture<G> f, long deadline)
            throws InterruptedException {
        try {
            return Optional.ofNullable(deadline == Deadline.NONE ? f.get() : f.get(Deadline.remaining(deadline), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            if (f.cancel(false)) return Optional.empty();
            try {
                return Optional.ofNullable(f.getNow(null));
            } catch (CompletionException failed) {
                throw rethrown(failed.getCause());
            }
        } catch (InterruptedException e) {
            if (!f.cancel(false)) {
                try {
                    G g = f.getNow(null);
                    if (g != null) g.close();
                } catch (CompletionException | CancellationException failed) {
                    // It failed in that instant: nothing to release.
                }
            }
            throw e;
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
