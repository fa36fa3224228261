package io.lockstep.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * One request for a queued, fenced primitive ({@link DistributedMutex}, {@link DistributedSemaphore},
 * ...): its queue node, its place in line, the slot it claims if the {@link Recipe} has slots,
 * and the future that the caller waits on.
 *
 * @param <G> the guard a grant makes
 */
final class Acquisition<G extends FencedGuard> implements Waiter {
    /*
     * Implementation notes.
     *
     * `state` (one CAS decides each outcome):
     *   QUEUEING --grant--> OWNED          the recipe grants the node's place in line (and, with
     *                                      slots, a slot is claimed): a guard takes it over
     *   QUEUEING --abandon--> ABANDONED    the future was cancelled or completed by someone else,
     *                                      or a try without queueing found no room
     *   QUEUEING --fail--> FAILED          session lost, coordinator closed, ZooKeeper error
     * ABANDONED and FAILED delete the queue node (and a claimed slot node, in one transaction with
     * the queue node: see FencedGuard); OWNED hands them to the guard.
     *
     * The driver. Every ZooKeeper step is asynchronous and its reply arrives on ZooKeeper's event
     * thread; triggers (start, a watch, RECONNECTED, a retry timer, an outcome decided elsewhere)
     * arrive on any thread. `kick()` counts a trigger; only the kick that finds the count at 0
     * drives. A round reads the state, issues at most one request, and its reply continues the
     * round; when the round would wait (on a watch, a reconnection) it subtracts the triggers it
     * has served and runs again if more came meanwhile (the work-in-progress counter of reactive
     * streams' drain loops). So at most one request is in flight per acquisition, and `node` and
     * `slotNode` are confined to the round: never two creates, never a create and a delete that
     * cross. A round issued on the caller's thread continues on ZooKeeper's; nothing blocks.
     *
     * Waiting. The recipe names the one node whose deletion may grant us (the mutex's
     * predecessor: no herd on release), or asks to watch the whole line (a semaphore's place
     * improves when anyone ahead leaves).
     *
     * Slots (the semaphore). Having a place among the first N is not yet a lease: the grant
     * claims the lowest free slot node 0..N-1 (EPHEMERAL, holding our queue node's name) and
     * that node's czxid is the token, so each slot's tokens rise from holder to holder and a
     * store fenced per slot admits one holder per slot. A create whose reply was lost, or that
     * found the node existing, is checked by reading the node back (ours if it holds our
     * queue node's name) before it is trusted, confirmed or deleted: never another's slot.
     *
     * Cancel safety. The future's own completion (cancel, complete, orTimeout) abandons a
     * QUEUEING request. A grant completes the future from a callback thread with
     * `if (!future.complete(guard)) guard.close()`: if the caller gave up in that instant the
     * grant is released, exactly once (the guard's state allows one release).
     */
    private static final int QUEUEING = 0, OWNED = 1, ABANDONED = 2, FAILED = 3;
    /** A failed request (lost connection past Curator's retries) is tried again this much later. */
    private static final long RETRY_MILLIS = 500;
    /** Digits ZooKeeper appends to a sequential node's name. */
    private static final int SEQUENCE_DIGITS = 10;

    private final Coordinator coordinator;
    private final Recipe<G> recipe;
    private final String prefix;
    private final boolean queue;
    private final CompletableFuture<G> future = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUEING);
    private final AtomicInteger wip = new AtomicInteger();
    /** One watcher object, so that watching the same node or line again adds no second watch. */
    private final Watcher changed = event -> {
        if (event.getType() != Watcher.Event.EventType.None) kick();
    };

    // Confined to the driving round.
    private String node;
    private boolean nodeDeleted;
    private String slotNode;
    private int slot = -1;
    /** Whether slotNode is known to be ours (created by us), not merely the one we tried. */
    private boolean slotOurs;
    private int served;

    /**
     * A request with queue-node name prefix {@code prefix} (letters and a dash, say "lock-");
     * {@code queue} false: give up (complete with null) instead of waiting.
     */
    Acquisition(Coordinator coordinator, Recipe<G> recipe, String prefix, boolean queue) {
        this.coordinator = coordinator;
        this.recipe = recipe;
        this.prefix = prefix;
        this.queue = queue;
    }

    CompletableFuture<G> future() {
        return future;
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

    /** A try without queueing found no room: completes with null. */
    private void noRoom() {
        if (state.compareAndSet(QUEUEING, ABANDONED)) Callbacks.run(() -> future.complete(null));
        step();
    }

    @Override
    public void reconnected() {
        kick();
    }

    @Override
    public void sessionLost() {
        fail(coordinator.isClosed()
                ? new IllegalStateException("coordinator closed while waiting for " + recipe.describe())
                : new SessionLostException("the ZooKeeper session was lost while waiting for " + recipe.describe()
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
            if (slotNode != null && !nodeDeleted) {
                nodeDeleted = true;
                if (slotOurs) coordinator.deleteTogether(List.of(slotNode, node));
                else deleteSlotIfOurs(slotNode, node);
            } else if (node != null && !nodeDeleted) {
                nodeDeleted = true;
                coordinator.deleteQuietly(node);
            }
            coordinator.deregister(this);
            endRound();
        } else if (s == OWNED) {
            endRound();
        } else if (node == null) {
            create();
        } else if (slotNode != null) {
            if (slotOurs) confirm(slotNode);
            else checkSlot();
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
                    .forPath(recipe.path() + "/" + prefix, new byte[0]);
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
                    fail(new SessionLostException("the queue node of " + recipe.describe() + " vanished while waiting"
                            + " (its session expired)"));
                    step();
                    return;
                }
                int blocker = recipe.blocker(line, at);
                if (blocker == Recipe.GRANTED) {
                    if (recipe.slotPath() == null) confirm(node);
                    else claimSlot();
                } else if (!queue) {
                    noRoom();
                } else if (blocker == Recipe.WATCH_LINE) {
                    watchLine();
                } else {
                    watch(recipe.path() + "/" + line.get(blocker));
                }
            }).forPath(recipe.path());
        } catch (Exception e) {
            unusable(e);
        }
    }

    private void watch(String blocker) {
        try {
            coordinator.client().getData().usingWatcher(changed).inBackground((c, e) -> {
                if (e.getResultCode() == Code.NONODE.intValue()) {
                    step();                            // it left already: look again
                } else if (e.getResultCode() != Code.OK.intValue()) {
                    failed("watching the node ahead", e);
                } else {
                    endRound();                        // until the watch fires
                }
            }).forPath(blocker);
        } catch (Exception e) {
            unusable(e);
        }
    }

    /** Watches the whole line; looks again at once if it changed since the last look. */
    private void watchLine() {
        try {
            coordinator.client().getChildren().usingWatcher(changed).inBackground((c, e) -> {
                if (e.getResultCode() != Code.OK.intValue()) {
                    failed("watching the queue", e);
                    return;
                }
                List<String> line = inLine(e.getChildren());
                int at = line.indexOf(nodeName(node));
                if (at >= 0 && recipe.blocker(line, at) == Recipe.WATCH_LINE) endRound();   // until it changes
                else step();
            }).forPath(recipe.path());
        } catch (Exception e) {
            unusable(e);
        }
    }

    /** Lists the slots (watching them, in case all are taken) and claims the lowest free one. */
    private void claimSlot() {
        try {
            coordinator.client().getChildren().usingWatcher(changed).inBackground((c, e) -> {
                int rc = e.getResultCode();
                if (rc != Code.OK.intValue() && rc != Code.NONODE.intValue()) {
                    failed("listing the slots", e);
                    return;
                }
                BitSet taken = new BitSet(recipe.slots());
                if (rc == Code.OK.intValue()) {
                    for (String child : e.getChildren()) {
                        int i = slotIndex(child);
                        if (i >= 0) taken.set(i);
                    }
                }
                int free = taken.nextClearBit(0);
                if (free < recipe.slots()) createSlot(free);
                else if (!queue) noRoom();
                else endRound();                       // a holder is leaving: the slots watch fires
            }).forPath(recipe.slotPath());
        } catch (Exception e) {
            unusable(e);
        }
    }

    private void createSlot(int i) {
        String path = recipe.slotPath() + "/" + i;
        try {
            coordinator.client().create()
                    .creatingParentContainersIfNeeded()
                    .withMode(CreateMode.EPHEMERAL)
                    .inBackground((c, e) -> {
                        int rc = e.getResultCode();
                        slotNode = path;
                        slot = i;
                        if (rc == Code.OK.intValue()) {
                            slotOurs = true;
                            step();
                        } else if (rc == Code.NODEEXISTS.intValue()) {
                            step();                    // taken meanwhile, or our own retried create
                        } else if (rc == Code.CONNECTIONLOSS.intValue() || rc == Code.OPERATIONTIMEOUT.intValue()) {
                            retryLater();              // created or not: checkSlot tells
                        } else {
                            slotNode = null;
                            failed("claiming a slot", e);
                        }
                    })
                    .forPath(path, ownerMark());
        } catch (Exception e) {
            unusable(e);
        }
    }

    /** Reads back a slot we tried to create: ours (confirm it) or not (claim another). */
    private void checkSlot() {
        try {
            coordinator.client().getData().inBackground((c, e) -> {
                int rc = e.getResultCode();
                if (rc == Code.OK.intValue() && Arrays.equals(e.getData(), ownerMark())) {
                    slotOurs = true;
                    confirm(slotNode);
                } else if (rc == Code.OK.intValue() || rc == Code.NONODE.intValue()) {
                    slotNode = null;
                    slot = -1;
                    step();
                } else {
                    failed("reading a slot", e);
                }
            }).forPath(slotNode);
        } catch (Exception e) {
            unusable(e);
        }
    }

    /**
     * Deletes the queue node {@code queueNode}, and with it the slot node {@code slotPath} if that
     * holds our mark (in one transaction: see Coordinator.deleteTogether). Best effort; the
     * session's end is the backstop.
     */
    private void deleteSlotIfOurs(String slotPath, String queueNode) {
        try {
            coordinator.client().getData().inBackground((c, e) -> {
                if (e.getResultCode() == Code.OK.intValue() && Arrays.equals(e.getData(), ownerMark())) {
                    coordinator.deleteTogether(List.of(slotPath, queueNode));
                } else {
                    coordinator.deleteQuietly(queueNode);
                }
            }).forPath(slotPath);
        } catch (Exception e) {
            // Closed concurrently: the session's end deletes the nodes.
        }
    }

    /** What a slot node of ours holds: our queue node's name, unique (protected names carry a UUID). */
    private byte[] ownerMark() {
        return nodeName(node).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the token node's czxid (the token) and watches it for the guard. */
    private void confirm(String tokenNode) {
        long epoch = coordinator.epoch();
        G guard = recipe.guard(tokenNode, node, slot);
        try {
            coordinator.client().checkExists().usingWatcher(guard.nodeGone()).inBackground((c, e) -> {
                Stat stat = e.getStat();
                int rc = e.getResultCode();
                long session = coordinator.currentSessionOrZero();
                if (rc == Code.OK.intValue() && stat != null && session == 0) {
                    retryLater();                      // no handle to compare with right now
                } else if (rc == Code.OK.intValue() && stat != null && stat.getEphemeralOwner() == session) {
                    long czxid = stat.getCzxid();
                    CompletableFuture<Long> made;
                    try {
                        made = recipe.token(czxid);
                    } catch (RuntimeException ex) {      // closed coordinator: the recipe refused at once
                        tokenFailed(ex);
                        return;
                    }
                    made.whenComplete((token, error) -> {
                        if (error == null) grant(guard, czxid, token, epoch);
                        else tokenFailed(error);
                    });
                } else if (rc == Code.OK.intValue() || rc == Code.NONODE.intValue()) {
                    fail(new SessionLostException("the node of " + recipe.describe() + " vanished or changed"
                            + " session as it was granted (its session expired)"));
                    step();
                } else {
                    failed("reading the granted node", e);
                }
            }).forPath(tokenNode);
        } catch (Exception e) {
            unusable(e);
        }
    }

    /** The recipe could not make the token: retried if the connection was the cause, else a failure. */
    private void tokenFailed(Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof CoordinationException && (cause.getCause() instanceof KeeperException.ConnectionLossException
                || cause.getCause() instanceof KeeperException.OperationTimeoutException)) {
            retryLater();
        } else {
            fail(cause instanceof RuntimeException r ? r
                    : new CoordinationException("making the token of " + recipe.describe() + " failed", cause));
            step();
        }
    }

    private void grant(G guard, long czxid, long token, long epoch) {
        if (!state.compareAndSet(QUEUEING, OWNED)) {
            step();                                    // abandoned or failed meanwhile: delete the nodes
            return;
        }
        guard.granted(czxid, token);
        coordinator.deregister(this);
        coordinator.adopt(guard, epoch);
        endRound();
        Callbacks.run(() -> {
            if (guard.ownership() == Ownership.LOST) {
                guard.close();
                future.completeExceptionally(new SessionLostException(recipe.describe()
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
                fail(new SessionLostException("the ZooKeeper session expired while waiting for " + recipe.describe()
                        + "; its queue node is removed"));
                step();
            }
            default -> {
                fail(Coordinator.failure(what + " for " + recipe.describe(), code, e.getPath()));
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
                : new CoordinationException("ZooKeeper request for " + recipe.describe() + " failed", e));
        step();
    }

    /** The queue nodes among {@code children} (name ending "letters-digits"), in queue order. */
    static List<String> inLine(List<String> children) {
        List<String> line = new ArrayList<>(children.size());
        for (String child : children) {
            if (sequence(child) >= 0) line.add(child);
        }
        line.sort(Comparator.comparingLong(Acquisition::sequence));
        return line;
    }

    /** The sequence number ZooKeeper appended (10 digits after a dash), or -1 for a node that is not ours. */
    private static long sequence(String child) {
        int n = child.length();
        if (n < SEQUENCE_DIGITS + 2 || child.charAt(n - SEQUENCE_DIGITS - 1) != '-') return -1;
        try {
            return Long.parseLong(child, n - SEQUENCE_DIGITS, n, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A slot node's index (its name), or -1 for another node. */
    private int slotIndex(String child) {
        try {
            int i = Integer.parseInt(child);
            return i >= 0 && i < recipe.slots() ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String nodeName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
