package io.lockstep.zookeeper;

import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A mutual-exclusion lock shared by every client of a ZooKeeper ensemble, made by
 * {@link Coordinator#mutex(String)}. Its guards carry a <b>fencing token</b>: no lock service can
 * stop a holder that was paused (GC, swap, a partition) from acting after its lock expired, so
 * pass the token to the resource you protect and let it refuse stale ones ({@link FencedStore}).
 *
 * <pre>{@code
 * DistributedMutex m = coordinator.mutex("invoices");
 * try (DistributedMutexGuard g = m.lock()) {
 *     long balance = store.read("balance", g).orElse(0L);
 *     store.write("balance", g, balance + 10);        // StaleTokenException if g was lost meanwhile
 * }
 * }</pre>
 *
 * <p>Fair: clients get the lock in the order they asked for it. Not reentrant: a second
 * {@code lock()} through the same coordinator queues behind the first. The guard, not a thread,
 * owns the lock: it may be closed from any thread, virtual or not, and {@link #lockAsync()} blocks
 * none.
 *
 * <p>Fencing token: the {@code czxid} (the creating transaction's id) of the holder's lock node.
 * ZooKeeper orders all transactions, so each grant's token is larger than every earlier grant's,
 * across leader changes, restarts and the re-creation of the lock's parent node (which restarts
 * the sequence numbers that order the queue, so those cannot be tokens).
 */
public final class DistributedMutex {
    /*
     * Implementation notes.
     *
     * The ZooKeeper lock recipe (zookeeper.apache.org/doc/current/recipes.html#sc_recipes_Locks),
     * written on Curator's asynchronous API rather than wrapping InterProcessMutex, whose
     * ownership belongs to a thread, which waits in Object.wait inside synchronized, and which
     * ignores connection state. Each request is an Acquisition: it creates an
     * EPHEMERAL_SEQUENTIAL node under `path` (protected, so a create retried after a lost reply
     * finds its node instead of leaving an orphan), lists the children, and either owns the lock
     * (lowest sequence number) or watches only its predecessor (no herd on release). All waiting
     * is a watch plus a CompletableFuture; lock() and tryLock(timeout) wait on that future, and
     * cancel it when interrupted or out of time, which removes the queue node (or, if the lock
     * was granted in the same instant, releases it): nothing is lost.
     */
    private final Coordinator coordinator;
    private final String name;
    private final String path;
    private final Recipe<DistributedMutexGuard> recipe;

    DistributedMutex(Coordinator coordinator, String name, String path) {
        this.coordinator = coordinator;
        this.name = name;
        this.path = path;
        this.recipe = Recipe.firstInLine(path, "lock " + name, node -> new DistributedMutexGuard(coordinator, name, node));
    }

    /** The name given to {@link Coordinator#mutex(String)}. */
    public String name() {
        return name;
    }

    /** The ZooKeeper path of the lock's queue. */
    public String path() {
        return path;
    }

    /**
     * Waits for the lock, in line.
     *
     * @throws InterruptedException  if interrupted while waiting (nothing is held then)
     * @throws SessionLostException  if the session ended while waiting
     * @throws CoordinationException if ZooKeeper failed otherwise
     * @throws IllegalStateException if the coordinator is or gets closed
     */
    public DistributedMutexGuard lock() throws InterruptedException {
        return Futures.awaitGrant(start(true), Deadline.NONE).orElseThrow();
    }

    /**
     * Takes the lock if nobody holds it or waits for it, without queueing: one round trip to
     * the ensemble, two if it gets the lock.
     *
     * @return the guard, or empty if the lock was taken
     * @throws InterruptedException  if interrupted while asking (nothing is held then)
     * @throws IllegalStateException if the coordinator is closed
     */
    public Optional<DistributedMutexGuard> tryLock() throws InterruptedException {
        return Futures.awaitGrant(start(false), Deadline.NONE);
    }

    /**
     * Waits at most {@code timeout} for the lock, in line; a zero or negative timeout is
     * {@link #tryLock()}.
     *
     * @return the guard, or empty if the time ran out first (the queue node is removed then)
     * @throws InterruptedException  if interrupted while waiting (nothing is held then)
     * @throws SessionLostException  if the session ended while waiting
     * @throws IllegalStateException if the coordinator is or gets closed
     */
    public Optional<DistributedMutexGuard> tryLock(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (!timeout.isPositive()) return tryLock();
        return Futures.awaitGrant(start(true), deadline);
    }

    /**
     * Asks for the lock without blocking. The future completes, on a thread of its own (never a
     * ZooKeeper thread), with the guard, or fails with {@link SessionLostException} or
     * {@link CoordinationException}. It is cancel-safe: cancelling it (or completing it, or an
     * {@code orTimeout}) removes the request from the queue, and if the lock was granted in that
     * instant, releases it once.
     *
     * @throws IllegalStateException if the coordinator is closed
     */
    public CompletableFuture<DistributedMutexGuard> lockAsync() {
        return start(true);
    }

    private CompletableFuture<DistributedMutexGuard> start(boolean queue) {
        coordinator.checkOpen();
        Acquisition<DistributedMutexGuard> a = new Acquisition<>(coordinator, recipe, "lock-", queue);
        a.start();
        return a.future();
    }

    @Override
    public String toString() {
        return "DistributedMutex[" + name + "]";
    }
}
