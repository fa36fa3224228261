package io.lockstep.zookeeper;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * Ownership of a {@link DistributedMutex}, with its fencing token. The guard, not a thread, owns
 * the lock: close it from any thread, preferably with try-with-resources.
 *
 * <pre>{@code
 * try (DistributedMutexGuard g = mutex.lock()) {
 *     g.onLost(worker::interrupt);                // stop the work if the lock goes away
 *     store.write("report", g, render());         // the store refuses it if g.token() is stale
 * }
 * }</pre>
 *
 * <p><b>A lock can be lost at any moment</b> (session expiry after a partition or a long pause),
 * and the holder may learn it late or never before it acts: {@link #isValid()} and
 * {@link #onLost} are best-effort warnings; the guarantee is the {@linkplain #token() token},
 * checked by the resource ({@link FencedStore}).
 *
 * <p>Closing: {@link #release()} releases and says whether the guard still held the lock then; it
 * may be called once. {@link #close()} is {@code release()} without the answer, and does nothing
 * if the guard was already released (so it suits try-with-resources after an explicit
 * {@code release()}). Releasing a lost guard is safe: it deletes only its own lock node, never the
 * next holder's.
 */
public final class DistributedMutexGuard implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * `state` holds an Ownership ordinal; transitions are CASes, so a release racing a loss or a
     * verification decides once:
     *   HELD -> SUSPENDED (SUSPENDED event), SUSPENDED -> HELD (verify: the node is there, same
     *   czxid, owned by the current session, and no SUSPENDED or LOST came since the check was
     *   sent: the epoch), HELD|SUSPENDED -> LOST (LOST event, node deleted, failed verify,
     *   coordinator closed), any but RELEASED -> RELEASED (release).
     * The release deletes the node with Curator's guaranteed delete (retried across
     * disconnections) and does not wait for it: a later lock() by this client is sent after the
     * delete on the same session, which ZooKeeper executes in order.
     *
     * Lost callbacks: a lock-free queue drained with poll() by both the loser and a registrant
     * that sees LOST after adding, so each callback runs exactly once, on its own thread.
     */
    private static final int HELD = 0, SUSPENDED = 1, LOST = 2, RELEASED = 3;
    private static final Ownership[] OWNERSHIP = Ownership.values();

    private final Coordinator coordinator;
    private final String mutexName;
    private final String node;
    private final AtomicInteger state = new AtomicInteger(HELD);
    private final ConcurrentLinkedQueue<Runnable> lostCallbacks = new ConcurrentLinkedQueue<>();
    private final Watcher nodeGone = event -> {
        if (event.getType() == Watcher.Event.EventType.NodeDeleted) lose("its lock node was deleted");
    };
    private volatile long token;
    private volatile String lossReason;

    DistributedMutexGuard(Coordinator coordinator, String mutexName, String node) {
        this.coordinator = coordinator;
        this.mutexName = mutexName;
        this.node = node;
    }

    /**
     * The fencing token: the lock node's {@code czxid}. Every later grant of this mutex (to any
     * client) has a larger one, so a resource that remembers the largest token it has seen can
     * refuse a holder whose lock was lost.
     */
    public long token() {
        return token;
    }

    /** The name of the mutex. */
    public String mutexName() {
        return mutexName;
    }

    /** The path of the lock node, for logs. */
    public String node() {
        return node;
    }

    /**
     * Whether the guard holds the lock as far as this client knows: false while the connection is
     * down ({@link Ownership#SUSPENDED}), after a loss and after release.
     */
    public boolean isValid() {
        return state.get() == HELD;
    }

    /** What this guard knows about its lock now. */
    public Ownership ownership() {
        return OWNERSHIP[state.get()];
    }

    /** Why the lock was lost, or null if it was not. */
    public String lossReason() {
        return lossReason;
    }

    /**
     * Runs {@code callback} once if the lock is lost (not on release, not on a mere suspension),
     * on a thread of its own; at once if it was lost already. For example
     * {@code g.onLost(worker::interrupt)} or {@code g.onLost(() -> task.cancel(true))}.
     */
    public void onLost(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        lostCallbacks.add(callback);
        if (state.get() == LOST || (state.get() == RELEASED && lossReason != null)) runLostCallbacks();
    }

    /**
     * Releases the lock.
     *
     * @return true if the guard still held it ({@link Ownership#HELD}) until now; false if it had
     *         been lost or was suspended, so the work done under it may have overlapped another
     *         holder's (a fenced resource refused that holder's or this one's stale writes)
     * @throws IllegalStateException if this guard was already released
     */
    public boolean release() {
        int before = releaseUnlessReleased();
        if (before == RELEASED) throw new IllegalStateException("already released: " + this);
        return before == HELD;
    }

    /** Releases the lock unless already released; see {@link #release()}. */
    @Override
    public void close() {
        releaseUnlessReleased();
    }

    /** Moves to RELEASED and deletes the node; returns the state it left (RELEASED: did nothing). */
    private int releaseUnlessReleased() {
        for (;;) {
            int s = state.get();
            if (s == RELEASED) return RELEASED;
            if (state.compareAndSet(s, RELEASED)) {
                coordinator.forget(this);
                coordinator.deleteQuietly(node);
                return s;
            }
        }
    }

    @Override
    public String toString() {
        return "DistributedMutexGuard[" + mutexName + ", token " + token + ", " + ownership() + "]";
    }

    // ---- driven by the Acquisition and the Coordinator ----

    Watcher nodeGone() {
        return nodeGone;
    }

    void granted(long czxid) {
        token = czxid;
    }

    void suspend() {
        state.compareAndSet(HELD, SUSPENDED);
    }

    void lose(String reason) {
        for (;;) {
            int s = state.get();
            if (s != HELD && s != SUSPENDED) return;
            if (state.compareAndSet(s, LOST)) break;
        }
        lossReason = reason;
        coordinator.forget(this);
        coordinator.deleteQuietly(node);       // if the old session outlives our verdict
        runLostCallbacks();
    }

    /** After a reconnection: is the node still ours? Back to HELD if so and nothing came between. */
    void verify(long epoch) {
        if (state.get() != SUSPENDED) return;
        try {
            coordinator.client().checkExists().usingWatcher(nodeGone).inBackground((c, e) -> {
                Stat stat = e.getStat();
                int rc = e.getResultCode();
                long session = coordinator.currentSessionOrZero();
                if (rc == Code.OK.intValue() && stat != null && session == 0) {
                    return;                            // no handle right now: the next RECONNECTED verifies
                }
                if (rc == Code.OK.intValue() && stat != null) {
                    if (stat.getCzxid() != token || stat.getEphemeralOwner() != session) {
                        lose("its lock node belongs to another session now");
                    } else if (coordinator.epoch() == epoch) {
                        state.compareAndSet(SUSPENDED, HELD);
                    }
                } else if (rc == Code.OK.intValue() || rc == Code.NONODE.intValue()) {
                    lose("its lock node was gone after a reconnection");
                } else if (rc == Code.SESSIONEXPIRED.intValue()) {
                    lose("its session expired");
                }
                // Connection lost again: stay suspended; the next RECONNECTED verifies again.
            }).forPath(node);
        } catch (Exception e) {
            lose("the coordinator was closed");
        }
    }

    private void runLostCallbacks() {
        for (Runnable r; (r = lostCallbacks.poll()) != null; ) Callbacks.run(r);
    }
}
