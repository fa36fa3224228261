package io.lockstep.zookeeper;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;

/**
 * Waits until the {@code long} in a znode (a {@link DistributedCounter}'s encoding) satisfies a
 * condition: for {@link DistributedLatch} and {@link DistributedBarrier}.
 */
final class ValueWatch implements Waiter {
    /*
     * Implementation notes. Read with a watch; a value that satisfies the condition completes
     * the future (on a callback thread), anything else waits for the watch. A watch dies with its
     * session, and a reply can be lost with a connection, so RECONNECTED and a new session read
     * again too. Reads may overlap (a watch and a RECONNECTED at once): completing the future
     * twice is harmless, so they need no ordering. The future's completion, by anyone
     * (cancellation included), deregisters the watch from the coordinator's events.
     */
    private final Coordinator coordinator;
    private final String path;
    private final String what;
    private final long missing;
    private final LongPredicate done;
    private final CompletableFuture<Long> future = new CompletableFuture<>();
    private final Watcher changed = event -> {
        if (event.getType() != Watcher.Event.EventType.None) look();
    };

    private ValueWatch(Coordinator coordinator, String path, String what, long missing, LongPredicate done) {
        this.coordinator = coordinator;
        this.path = path;
        this.what = what;
        this.missing = missing;
        this.done = done;
    }

    /**
     * A future that completes with the first value seen that satisfies {@code done}; a missing
     * node counts as {@code missing}. Cancel it to stop watching.
     */
    static CompletableFuture<Long> until(Coordinator coordinator, String path, String what, long missing,
                                         LongPredicate done) {
        coordinator.checkOpen();
        ValueWatch w = new ValueWatch(coordinator, path, what, missing, done);
        if (!coordinator.register(w)) {
            w.future.completeExceptionally(new IllegalStateException("coordinator closed"));
        } else {
            w.future.whenComplete((v, e) -> coordinator.deregister(w));
            w.look();
        }
        return w.future;
    }

    private void look() {
        if (future.isDone()) return;
        try {
            coordinator.client().getData().usingWatcher(changed).inBackground((c, e) -> {
                int rc = e.getResultCode();
                if (rc == Code.NONODE.intValue()) {
                    if (done.test(missing)) finish(missing);
                } else if (rc == Code.OK.intValue()) {
                    byte[] data = e.getData();
                    if (data == null || data.length != Long.BYTES) {
                        fail(new CoordinationException(what + ": " + path + " does not hold a counter's value"));
                        return;
                    }
                    long value = ByteBuffer.wrap(data).getLong();
                    if (done.test(value)) finish(value);
                } else if (rc != Code.CONNECTIONLOSS.intValue() && rc != Code.SESSIONEXPIRED.intValue()) {
                    fail(Coordinator.failure(what, Code.get(rc), path));
                }
                // Otherwise: the watch, or the next connection event, looks again.
            }).forPath(path);
        } catch (Exception e) {
            fail(coordinator.isClosed() ? new IllegalStateException("coordinator closed while waiting", e)
                    : new CoordinationException(what + " failed", e));
        }
    }

    private void finish(long value) {
        Callbacks.run(() -> future.complete(value));
    }

    private void fail(RuntimeException cause) {
        Callbacks.run(() -> future.completeExceptionally(cause));
    }

    @Override
    public void reconnected() {
        look();
    }

    @Override
    public void sessionLost() {
        if (coordinator.isClosed()) fail(new IllegalStateException("coordinator closed while waiting"));
        else look();
    }
}
