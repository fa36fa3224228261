package io.lockstep.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * An action that runs <b>at most once</b> across every client of the ensemble, made by
 * {@link Coordinator#once(String)}: the first {@link #run} anywhere claims it (one atomic create
 * in ZooKeeper) and runs it; every other {@code run}, now or later, in any client, does not run
 * it, waits until the claimant finished, and returns false.
 *
 * <pre>{@code
 * DistributedOnce migrate = coordinator.once("schema-v7");
 * boolean ranHere = migrate.run(token -> migrateSchema(db, token));   // fence the writes with token
 * }</pre>
 *
 * <p>At most once, not exactly once: if the claimant's session ends before the run is recorded
 * as finished (a crash, an expiry during the action), nobody runs it again, and the others'
 * {@code run} fails with {@link OnceInterruptedException}, so that a person or a recovery
 * procedure decides. The action receives a fencing token (the claim node's czxid): a claimant
 * that lost its session may still be running, so fence what it writes.
 */
public final class DistributedOnce {
    /*
     * Implementation notes.
     *
     * Nodes under `path`: `claim` (PERSISTENT: the run was claimed, forever) and `running`
     * (EPHEMERAL: the claimant's session is alive), created in one transaction, so exactly one
     * client claims and a claimant is always visible as running until it records `done`
     * (PERSISTENT), in a transaction that also checks `running` (so a claimant whose session
     * ended cannot record a finish the others already judged interrupted). A loser waits with
     * existence watches on `done` and `running`: `done` appears -> false; `running` gone without
     * `done` -> interrupted. Watches are re-set after every connection event (a Waiter) and
     * every firing; the loop re-reads both each time, so a lost watch costs at most a
     * reconnection. Blocking only, on the caller's thread (never a ZooKeeper thread).
     */
    private final Coordinator coordinator;
    private final String name;
    private final String path;

    DistributedOnce(Coordinator coordinator, String name, String path) {
        this.coordinator = coordinator;
        this.name = name;
        this.path = path;
    }

    /** The name given to {@link Coordinator#once(String)}. */
    public String name() {
        return name;
    }

    /**
     * Runs {@code action} with a fencing token if no client has claimed this once yet; otherwise
     * waits until the client that claimed it finished.
     *
     * @return true if this call ran the action; false if another run (here or elsewhere) did
     * @throws OnceInterruptedException if the claimant's session ended before its run finished
     *                                  (it will not run again), or, for the claimant itself, if
     *                                  its session ended before the finish could be recorded
     * @throws RuntimeException         what {@code action} threw (an Error too: the run counts as
     *                                  done, at most once)
     * @throws InterruptedException     if interrupted while claiming or waiting
     */
    public boolean run(LongConsumer action) throws InterruptedException {
        Objects.requireNonNull(action, "action");
        coordinator.checkOpen();
        long token = claim();
        if (token < 0) {
            awaitFinish();
            return false;
        }
        Throwable failure = null;
        try {
            action.accept(token);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        record(failure == null ? "finished" : "failed: " + failure);
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error err) throw err;
        return true;
    }

    /** Whether a run finished (here or elsewhere). */
    public boolean isDone() throws InterruptedException {
        return exists(path + "/done") != null;
    }

    /** The claim's token, or -1 if another client claimed first. */
    private long claim() throws InterruptedException {
        try {
            coordinator.client().createContainers(path);
            coordinator.client().transaction().forOperations(
                    coordinator.client().transactionOp().create().withMode(CreateMode.PERSISTENT)
                            .forPath(path + "/claim", sessionMark()),
                    coordinator.client().transactionOp().create().withMode(CreateMode.EPHEMERAL)
                            .forPath(path + "/running"));
        } catch (KeeperException.NodeExistsException e) {
            return -1;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw failure("claiming", e);
        }
        Stat claim = exists(path + "/claim");
        if (claim == null) throw new CoordinationException("once " + name + ": its claim node vanished");
        return claim.getCzxid();
    }

    private void record(String outcome) throws InterruptedException {
        try {
            coordinator.client().transaction().forOperations(
                    coordinator.client().transactionOp().check().forPath(path + "/running"),
                    coordinator.client().transactionOp().create().withMode(CreateMode.PERSISTENT)
                            .forPath(path + "/done", outcome.getBytes(StandardCharsets.UTF_8)),
                    coordinator.client().transactionOp().delete().forPath(path + "/running"));
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException
                 | KeeperException.SessionExpiredException e) {
            // A retried transaction whose first try committed fails too: `done` says so.
            if (exists(path + "/done") != null) return;
            throw new OnceInterruptedException("once " + name + " ran here, but the ZooKeeper session ended before"
                    + " its finish was recorded: the others see it as interrupted, and nobody runs it again", e);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw failure("recording the finish of", e);
        }
    }

    /** Waits until `done` exists (returns) or `running` is gone without it (throws). */
    private void awaitFinish() throws InterruptedException {
        for (;;) {
            CompletableFuture<Void> changed = new CompletableFuture<>();
            Watcher watcher = event -> changed.complete(null);
            Waiter waiter = new Waiter() {
                @Override
                public void reconnected() {
                    changed.complete(null);
                }

                @Override
                public void sessionLost() {
                    changed.complete(null);
                }
            };
            if (!coordinator.register(waiter)) throw new IllegalStateException("coordinator closed");
            try {
                if (exists(path + "/done", watcher) != null) return;
                if (exists(path + "/running", watcher) == null) {
                    if (exists(path + "/done") != null) return;      // finished just before we looked
                    throw new OnceInterruptedException("once " + name + " was claimed by a client whose session"
                            + " ended before its run finished; at most once: it will not run again");
                }
                Futures.await(changed);
            } finally {
                coordinator.deregister(waiter);
            }
            coordinator.checkOpen();
        }
    }

    private Stat exists(String p) throws InterruptedException {
        return exists(p, null);
    }

    private Stat exists(String p, Watcher watcher) throws InterruptedException {
        try {
            return watcher == null ? coordinator.client().checkExists().forPath(p)
                    : coordinator.client().checkExists().usingWatcher(watcher).forPath(p);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw failure("reading", e);
        }
    }

    private byte[] sessionMark() {
        return Long.toHexString(coordinator.currentSessionOrZero()).getBytes(StandardCharsets.UTF_8);
    }

    private RuntimeException failure(String what, Exception e) {
        if (coordinator.isClosed()) return new IllegalStateException("coordinator closed: once " + name, e);
        return new CoordinationException(what + " once " + name + " failed: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "DistributedOnce[" + name + "]";
    }
}
