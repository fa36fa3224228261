package io.lockstep.zookeeper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * Ownership of a distributed primitive (a {@link DistributedMutex}'s lock, a
 * {@link DistributedSemaphore}'s lease), with its fencing token. The guard, not a thread, owns
 * it: close it from any thread, preferably with try-with-resources.
 *
 * <p><b>Ownership can be lost at any moment</b> (session expiry after a partition or a long
 * pause), and the holder may learn it late or never before it acts: {@link #isValid()} and
 * {@link #onLost} are best-effort warnings; the guarantee is the {@linkplain #token() token},
 * checked by the resource ({@link FencedStore}).
 *
 * <p>Closing: {@link #release()} releases and says whether the guard still held ownership then;
 * it may be called once. {@link #close()} is {@code release()} without the answer, and does
 * nothing if the guard was already released (so it suits try-with-resources after an explicit
 * {@code release()}). Releasing a lost guard is safe: it deletes only its own nodes, never the
 * next holder's.
 */
public abstract class FencedGuard implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * `state` holds an Ownership ordinal; transitions are CASes, so a release racing a loss or a
     * verification decides once:
     *   HELD -> SUSPENDED (SUSPENDED event), SUSPENDED -> HELD (verify: the token node is there,
     *   same czxid, owned by the current session, and no SUSPENDED or LOST came since the check
     *   was sent: the epoch), HELD|SUSPENDED -> LOST (LOST event, node deleted, failed verify,
     *   coordinator closed), any but RELEASED -> RELEASED (release).
     * The release deletes the token node with Curator's guaranteed delete (retried across
     * disconnections) and does not wait for it: a later request by this client is sent after the
     * delete on the same session, which ZooKeeper executes in order. A grant of several nodes (a
     * semaphore lease: a slot node at a reused path, and its unique queue node) deletes them in
     * one transaction that fails if any is gone: then the old session ended and took them along,
     * and the slot path may be another holder's node now, which a plain delete by path would
     * free (the bug DistributedSemaphoreTest's expired-holder test pins).
     *
     * Lost callbacks: a lock-free queue drained with poll() by both the loser and a registrant
     * that sees LOST after adding, so each callback runs exactly once, on its own thread.
     *
     * Every fenced primitive's grant is one of these; subclasses add only names. The constructor
     * is package-private: no guard exists that this package did not grant.
     */
    private static final int HELD = 0, SUSPENDED = 1, LOST = 2, RELEASED = 3;
    private static final Ownership[] OWNERSHIP = Ownership.values();

    private final Coordinator coordinator;
    private final String node;
    private final String[] alsoDelete;
    private final AtomicInteger state = new AtomicInteger(HELD);
    private final ConcurrentLinkedQueue<Runnable> lostCallbacks = new ConcurrentLinkedQueue<>();
    private final Watcher nodeGone = event -> {
        if (event.getType() == Watcher.Event.EventType.NodeDeleted) lose("its node was deleted");
    };
    private volatile long token;
    /** The token node's czxid: the token, except for a read lock's (see DistributedRwLock). */
    private volatile long czxid;
    private volatile String lossReason;

    /** A guard over {@code node} (whose czxid is the token), releasing {@code alsoDelete} after it. */
    FencedGuard(Coordinator coordinator, String node, String... alsoDelete) {
        this.coordinator = coordinator;
        this.node = node;
        this.alsoDelete = alsoDelete.clone();
    }

    /**
     * The fencing token: the {@code czxid} of the node that grants ownership. Every later grant
     * (to any client) has a larger one, so a resource that remembers the largest token it has
     * seen can refuse a holder whose ownership was lost.
     */
    public final long token() {
        return token;
    }

    /** The path of the node whose czxid is the token, for logs. */
    public final String node() {
        return node;
    }

    /**
     * Whether the guard holds ownership as far as this client knows: false while the connection
     * is down ({@link Ownership#SUSPENDED}), after a loss and after release.
     */
    public final boolean isValid() {
        return state.get() == HELD;
    }

    /** What this guard knows about its ownership now. */
    public final Ownership ownership() {
        return OWNERSHIP[state.get()];
    }

    /** Why ownership was lost, or null if it was not. */
    public final String lossReason() {
        return lossReason;
    }

    /**
     * Runs {@code callback} once if ownership is lost (not on release, not on a mere suspension),
     * on a thread of its own; at once if it was lost already. For example
     * {@code g.onLost(worker::interrupt)} or {@code g.onLost(() -> task.cancel(true))}.
     */
    public final void onLost(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        lostCallbacks.add(callback);
        if (state.get() == LOST || (state.get() == RELEASED && lossReason != null)) runLostCallbacks();
    }

    /**
     * Releases ownership.
     *
     * @return true if the guard still held it ({@link Ownership#HELD}) until now; false if it had
     *         been lost or was suspended, so the work done under it may have overlapped another
     *         holder's (a fenced resource refused that holder's or this one's stale writes)
     * @throws IllegalStateException if this guard was already released
     */
    public final boolean release() {
        int before = releaseUnlessReleased();
        if (before == RELEASED) throw new IllegalStateException("already released: " + this);
        return before == HELD;
    }

    /** Releases ownership unless already released; see {@link #release()}. */
    @Override
    public final void close() {
        releaseUnlessReleased();
    }

    /** Moves to RELEASED and deletes the nodes; returns the state it left (RELEASED: did nothing). */
    private int releaseUnlessReleased() {
        for (;;) {
            int s = state.get();
            if (s == RELEASED) return RELEASED;
            if (state.compareAndSet(s, RELEASED)) {
                coordinator.forget(this);
                deleteNodes();
                return s;
            }
        }
    }

    private void deleteNodes() {
        if (alsoDelete.length == 0) {
            coordinator.deleteQuietly(node);
        } else {
            List<String> nodes = new ArrayList<>();
            nodes.add(node);
            nodes.addAll(Arrays.asList(alsoDelete));
            coordinator.deleteTogether(nodes);
        }
    }

    /** What the subclass's toString shows: the primitive's name and the token. */
    final String describe(String kind, String name) {
        return kind + "[" + name + ", token " + token + ", " + ownership() + "]";
    }

    // ---- driven by the Acquisition and the Coordinator ----

    final Watcher nodeGone() {
        return nodeGone;
    }

    final void granted(long czxid, long token) {
        this.czxid = czxid;
        this.token = token;
    }

    final void suspend() {
        state.compareAndSet(HELD, SUSPENDED);
    }

    final void lose(String reason) {
        for (;;) {
            int s = state.get();
            if (s != HELD && s != SUSPENDED) return;
            if (state.compareAndSet(s, LOST)) break;
        }
        lossReason = reason;
        coordinator.forget(this);
        deleteNodes();                          // if the old session outlives our verdict
        runLostCallbacks();
    }

    /** After a reconnection: is the node still ours? Back to HELD if so and nothing came between. */
    final void verify(long epoch) {
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
                    if (stat.getCzxid() != czxid || stat.getEphemeralOwner() != session) {
                        lose("its node belongs to another session now");
                    } else if (coordinator.epoch() == epoch) {
                        state.compareAndSet(SUSPENDED, HELD);
                    }
                } else if (rc == Code.OK.intValue() || rc == Code.NONODE.intValue()) {
                    lose("its node was gone after a reconnection");
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
