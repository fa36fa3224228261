package io.lockstep.zookeeper;

import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore shared by every client of a ZooKeeper ensemble, made by
 * {@link Coordinator#semaphore(String, int)}: at most {@code permits} leases are held at once,
 * across all clients. Each lease holds a <b>slot</b> (0 to {@code permits - 1}) and carries a
 * <b>fencing token</b>: a lease can be lost without its holder knowing (a GC pause, a partition),
 * so let the resource refuse stale tokens, per slot ({@link FencedStore}).
 *
 * <pre>{@code
 * DistributedSemaphore exports = coordinator.semaphore("exports", 3);   // every client says 3
 * try (DistributedSemaphoreLease lease = exports.acquire()) {
 *     store.write("export-slot-" + lease.slot(), lease, "running");      // fenced per slot
 * }
 * }</pre>
 *
 * <p>Fair: leases are granted in the order they were asked for (a request waits while
 * {@code permits} requests ahead of it are in line). A lease belongs to no thread; see
 * {@link DistributedSemaphoreLease} for what it knows and {@link FencedGuard} for release. Every
 * client must give the same {@code permits} for a name. A session that ends while waiting fails
 * the wait with {@link SessionLostException} and removes its queue node.
 *
 * <p>Fencing token: the czxid of the lease's slot node, so each slot's tokens rise from holder to
 * holder (and across all slots with ZooKeeper's transaction order).
 */
public final class DistributedSemaphore {
    /*
     * Implementation notes.
     *
     * A line of EPHEMERAL_SEQUENTIAL queue nodes under `path/queue` as the mutex's, and slot
     * nodes `path/slots/0..permits-1`. A request whose place is among the first `permits` claims
     * the lowest free slot (Acquisition's slots); the slot node's czxid is the token. Waiters
     * watch the whole line (anyone ahead leaving may let them in), so a release wakes every
     * waiter: a herd, bounded by the number of waiters, which a semaphore (unlike a mutex)
     * cannot avoid with a single predecessor watch. A lease deletes its slot node before its
     * queue node, so a place in line usually finds its slot free; if not yet (the deletes of a
     * lost lease still travelling), the request watches the slots until one frees.
     */
    private final Coordinator coordinator;
    private final String name;
    private final String path;
    private final int permits;
    private final Recipe<DistributedSemaphoreLease> recipe = new Recipe<>() {
        @Override
        public String path() {
            return path + "/queue";
        }

        @Override
        public String describe() {
            return "semaphore " + name;
        }

        @Override
        public int blocker(List<String> line, int at) {
            return at < permits ? GRANTED : WATCH_LINE;
        }

        @Override
        public String slotPath() {
            return path + "/slots";
        }

        @Override
        public int slots() {
            return permits;
        }

        @Override
        public DistributedSemaphoreLease guard(String tokenNode, String queueNode, int slot) {
            return new DistributedSemaphoreLease(coordinator, name, tokenNode, queueNode, slot);
        }
    };

    DistributedSemaphore(Coordinator coordinator, String name, String path, int permits) {
        this.coordinator = coordinator;
        this.name = name;
        this.path = path;
        this.permits = permits;
    }

    /** The name given to {@link Coordinator#semaphore(String, int)}. */
    public String name() {
        return name;
    }

    /** How many leases may be held at once. */
    public int permits() {
        return permits;
    }

    /**
     * Waits for a lease, in line.
     *
     * @throws InterruptedException  if interrupted while waiting (nothing is held then)
     * @throws SessionLostException  if the session ended while waiting
     * @throws CoordinationException if ZooKeeper failed otherwise
     * @throws IllegalStateException if the coordinator is or gets closed
     */
    public DistributedSemaphoreLease acquire() throws InterruptedException {
        return Futures.awaitGrant(start(true), Deadline.NONE).orElseThrow();
    }

    /**
     * Takes a lease if one is free and nobody waits ahead, without queueing.
     *
     * @return the lease, or empty if none was free
     * @throws InterruptedException  if interrupted while asking (nothing is held then)
     * @throws IllegalStateException if the coordinator is closed
     */
    public Optional<DistributedSemaphoreLease> tryAcquire() throws InterruptedException {
        return Futures.awaitGrant(start(false), Deadline.NONE);
    }

    /**
     * Waits at most {@code timeout} for a lease, in line; a zero or negative timeout is
     * {@link #tryAcquire()}.
     *
     * @return the lease, or empty if the time ran out first (the queue node is removed then)
     * @throws InterruptedException  if interrupted while waiting (nothing is held then)
     * @throws SessionLostException  if the session ended while waiting
     * @throws IllegalStateException if the coordinator is or gets closed
     */
    public Optional<DistributedSemaphoreLease> tryAcquire(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (!timeout.isPositive()) return tryAcquire();
        return Futures.awaitGrant(start(true), deadline);
    }

    /**
     * Asks for a lease without blocking. The future completes, on a thread of its own, with the
     * lease, or fails with {@link SessionLostException} or {@link CoordinationException}.
     * Cancel-safe: cancelling it (or completing it, or an {@code orTimeout}) removes the request,
     * and if the lease was granted in that instant, releases it once.
     *
     * @throws IllegalStateException if the coordinator is closed
     */
    public CompletableFuture<DistributedSemaphoreLease> acquireAsync() {
        return start(true);
    }

    private CompletableFuture<DistributedSemaphoreLease> start(boolean queue) {
        coordinator.checkOpen();
        Acquisition<DistributedSemaphoreLease> a = new Acquisition<>(coordinator, recipe, "lease-", queue);
        a.start();
        return a.future();
    }

    /** The ZooKeeper path of the semaphore (its line and slots are below it). */
    public String path() {
        return path;
    }

    @Override
    public String toString() {
        return "DistributedSemaphore[" + name + ", " + permits + " permits]";
    }
}
