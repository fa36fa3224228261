package io.lockstep.zookeeper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * One request for a {@link DistributedMutex}: its queue node, its place in line, and the future
 * that the caller waits on.
 */
final class Acquisition implements Waiter {
    /*
     * Implementation notes.
     *
     * `state` (one CAS decides each outcome):
     *   QUEUEING --grant--> OWNED          the node is first in line: a guard takes it over
     *   QUEUEING --abandon--> ABANDONED    the future was cancelled or completed by someone else,
     *                                      or tryLock() found the lock taken
     *   QUEUEING --fail--> FAILED          session lost, coordinator closed, ZooKeeper error
     * ABANDONED and FAILED delete the queue node; OWNED hands it to the guard.
     *
     * The driver. Every ZooKeeper step is asynchronous and its reply arrives on ZooKeeper's event
     * thread; triggers (start, the predecessor's watch, RECONNECTED, a retry timer, an outcome
     * decided elsewhere) arrive on any thread. `kick()` counts a trigger; only the kick that
     * finds the count at 0 drives. A round reads the state, issues at most one request, and its
     * reply continues the round; when the round would wait (on a watch, a reconnection) it
     * subtracts the triggers it has served and runs again if more came meanwhile (the
     * work-in-progress counter of reactive streams' drain loops). So at most one request is in
     * flight per acquisition, and `node` is confined to the round: never two creates, never a
     * create and a delete that cross. A round issued on the caller's thread continues on
     * ZooKeeper's; nothing blocks in either.
     *
     * Cancel safety. The future's own completion (cancel, complete, orTimeout) abandons a
     * QUEUEING request. A grant completes the future from a callback thread with
     * `if (!future.complete(guard)) guard.close()`: if the caller gave up in that instant the
     * lock is released, exactly once (the guard's state allows one release).
     */
    private static final int QUEUEING = 0, OWNED = 1, ABANDONED = 2, FAILED = 3;
    /** A failed request (lost connection past Curator's retries) is tried again this much later. */
    private static final long RETRY_MILLIS = 500;
    private static final String PREFIX = "lock-";

    private final Coordinator coordinator;
    private final DistributedMutex mutex;
    private final boolean queue;
    private final CompletableFuture<DistributedMutexGuard> future = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUEING);
    private final AtomicInteger wip = new AtomicInteger();
    /** One watcher object, so that watching the same predecessor again adds no second watch. */
    private final Watcher predecessorGone = event -> {
        if (event.getType() != Watcher.Event.EventType.None) kick();
    };

    // Confined to the driving round.
    private String node;
    private boolean nodeDeleted;
    private int served;

    Acquisition(Coordinator coordinator, DistributedMutex mutex, boolean queue) {
        this.coordinator = coordinator;
        this.mutex = mutex;
        this.queue = queue;
    }

    CompletableFuture<DistributedMutexGuard> future() {
        return future;
    }

    private String describe() {
        return "lock " + mutex.name();
    }

    void start() {
        if (!coordinator.register(this)) {
            future.completeExceptionally(new IllegalStateException("coordinator closed"));
            return;
        }
        future.whenComplete((g, e) -> abandon());
        kick();
    }

    /** Gives up a request still in line (a no-op once it is decided). */
    private void abandon() {
        if (state.compareAndSet(QUEUEING, ABANDONED)) kick();
    }

    /** Fails a request still in line with {@code cause}. */
    private void fail(RuntimeException cause) {
        if (state.compareAndSet(QUEUEING, FAILED)) {
            Callbacks.run(() -> future.completeExceptionally(cause));
            kick();
        }
    }

    @Override
    public void reconnected() {
        kick();
    }

    @Override
    public void sessionLost() {
        fail(coordinator.isClosed() ? new IllegalStateException("coordinator closed while waiting for " + describe())
                : new SessionLostException("the ZooKeeper session was lost while waiting for " + describe()
                        + "; its queue node is removed"));
    }

    private void kick() {
        if (wip.getAndIncrement() == 0) round();
    }

    private void round() {
        served = wip.get();
        step();
    }

    /** Ends a round that would now wait; runs another if triggers came during this one. */
    private void endRound() {
        if (wip.addAndGet(-served) != 0) round();
    }

    private void step() {
        int s = state.get();
        if (s == ABANDONED || s == FAILED) {
            if (node != null && !nodeDeleted) {
                nodeDeleted = true;
                coordinator.deleteQuietly(node);
            }
            coordinator.deregister(this);
            endRound();
        } else if (s == OWNED) {
            endRound();
        } else if (node == null) {
            create();
        } else {
            lookAtQueue();
        }
    }

    private void create() {
        try {
            coordinator.client().create()
                    .creatingParentContainersIfNeeded()
                    .withProtection()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .inBackground((c, e) -> {
                        if (e.getResultCode() == Code.OK.intValue()) {
                            node = e.getName();
                            step();
                        } else {
                            failed("creating a queue node", e);
                        }
                    })
                    .forPath(mutex.path() + "/" + PREFIX, new byte[0]);
        } catch (Exception e) {
            unusable(e);
        }
    }

    private void lookAtQueue() {
        try {
            coordinator.client().getChildren().inBackground((c, e) -> {
                if (e.getResultCode() != Code.OK.intValue()) {
                    failed("listing the queue", e);
                    return;
                }
                List<String> line = inLine(e.getChildren());
                int at = line.indexOf(nodeName(node));
                if (at < 0) {
                    fail(new SessionLostException("the queue node of " + describe() + " vanished while waiting"
                            + " (its session expired)"));
                    step();
                } else if (at == 0) {
                    confirm();
                } else if (!queue) {
                    if (state.compareAndSet(QUEUEING, ABANDONED)) Callbacks.run(() -> future.complete(null));
                    step();
                } else {
                    watch(mutex.path() + "/" + line.get(at - 1));
                }
            }).forPath(mutex.path());
        } catch (Exception e) {
            unusable(e);
        }
    }

    private void watch(String predecessor) {
        try {
            coordinator.client().getData().usingWatcher(predecessorGone).inBackground((c, e) -> {
                if (e.getResultCode() == Code.NONODE.intValue()) {
                    step();                            // it left already: look again
                } else if (e.getResultCode() != Code.OK.intValue()) {
                    failed("watching the predecessor", e);
                } else {
                    endRound();                        // until the watch fires
                }
            }).forPath(predecessor);
        } catch (Exception e) {
            unusable(e);
        }
    }

    /** First in line: reads the node's czxid (the token) and watches it for the guard. */
    private void confirm() {
        long epoch = coordinator.epoch();
        DistributedMutexGuard guard = new DistributedMutexGuard(coordinator, mutex.name(), node);
        try {
            coordinator.client().checkExists().usingWatcher(guard.nodeGone()).inBackground((c, e) -> {
                Stat stat = e.getStat();
                int rc = e.getResultCode();
                long session = coordinator.currentSessionOrZero();
                if (rc == Code.OK.intValue() && stat != null && session == 0) {
                    retryLater();                      // no handle to compare with right now
                } else if (rc == Code.OK.intValue() && stat != null && stat.getEphemeralOwner() == session) {
                    grant(guard, stat.getCzxid(), epoch);
                } else if (rc == Code.OK.intValue() || rc == Code.NONODE.intValue()) {
                    fail(new SessionLostException("the lock node of " + describe() + " vanished or changed session as"
                            + " it was granted (its session expired)"));
                    step();
                } else {
                    failed("reading the lock node", e);
                }
            }).forPath(node);
        } catch (Exception e) {
            unusable(e);
        }
    }

    private void grant(DistributedMutexGuard guard, long token, long epoch) {
        if (!state.compareAndSet(QUEUEING, OWNED)) {
            step();                                    // abandoned or failed meanwhile: delete the node
            return;
        }
        guard.granted(token);
        coordinator.deregister(this);
        coordinator.adopt(guard, epoch);
        endRound();
        Callbacks.run(() -> {
            if (guard.ownership() == Ownership.LOST) {
                guard.close();
                future.completeExceptionally(new SessionLostException("the lock " + mutex.name()
                        + " was lost as it was granted (the session ended)"));
            } else if (!future.complete(guard)) {
                guard.close();                         // the caller gave up in that instant
            }
        });
    }

    /** A request came back with an error. */
    private void failed(String what, CuratorEvent e) {
        Code code = Code.get(e.getResultCode());
        switch (code) {
            case CONNECTIONLOSS, OPERATIONTIMEOUT -> retryLater();
            case SESSIONEXPIRED -> {
                fail(new SessionLostException("the ZooKeeper session expired while waiting for " + describe()
                        + "; its queue node is removed"));
                step();
            }
            default -> {
                fail(Coordinator.failure(what + " for " + describe(), code, e.getPath()));
                step();
            }
        }
    }

    /**
     * Ends the round and runs another a little later. For when Curator's retries ran out while
     * the connection was down: RECONNECTED kicks us too, but the connection may have come back
     * without a state change that we would see.
     */
    private void retryLater() {
        CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(this::kick);
        endRound();
    }

    /** Curator refused the request outright (closed client): fail and clean up. */
    private void unusable(Exception e) {
        fail(coordinator.isClosed() ? new IllegalStateException("coordinator closed while waiting", e)
                : new CoordinationException("ZooKeeper request for " + describe() + " failed", e));
        step();
    }

    /** The lock nodes among {@code children}, in queue order (sequence number). */
    private static List<String> inLine(List<String> children) {
        List<String> line = new ArrayList<>(children.size());
        for (String child : children) {
            if (sequence(child) >= 0) line.add(child);
        }
        line.sort(Comparator.comparingLong(Acquisition::sequence));
        return line;
    }

    /** The sequence number ZooKeeper appended (10 digits), or -1 for a node that is not ours. */
    private static long sequence(String child) {
        int n = child.length();
        if (n < PREFIX.length() + 10 || !child.startsWith(PREFIX, n - 10 - PREFIX.length())) return -1;
        try {
            return Long.parseLong(child, n - 10, n, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String nodeName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
