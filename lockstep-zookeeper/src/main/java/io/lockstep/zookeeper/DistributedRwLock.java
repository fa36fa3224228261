package io.lockstep.zookeeper;

import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A readers-writer lock shared by every client of the ensemble, made by
 * {@link Coordinator#rwLock(String)}: any number of read locks at once, or one write lock, each
 * guard with a fencing token.
 *
 * <pre>{@code
 * DistributedRwLock catalog = coordinator.rwLock("catalog");
 * try (DistributedRwLockGuard r = catalog.readLock()) {
 *     render(store.read("catalog", r));                 // readers share the lock and the store
 * }
 * try (DistributedRwLockGuard w = catalog.writeLock()) {
 *     store.write("catalog", w, updated);               // refused if w was lost meanwhile
 * }
 * }</pre>
 *
 * <p><b>Order: fair (first come, first served).</b> Requests queue in the order they were made; a
 * write lock is granted when it is first in line, a read lock when no write request is ahead of
 * it. So a waiting writer holds back the readers that came after it (writers never starve), and
 * the readers that came before it share the lock meanwhile.
 *
 * <p>Tokens: see {@link DistributedRwLockGuard}. With a {@link FencedStore}, readers use
 * {@code read} and writers {@code read} and {@code write}, all with their guard.
 */
public final class DistributedRwLock {
    /*
     * Implementation notes.
     *
     * ZooKeeper's shared-lock recipe (zookeeper.apache.org/doc/current/recipes.html#Shared+Locks)
     * on Acquisition: `read-` and `write-` EPHEMERAL_SEQUENTIAL nodes in one line; a writer
     * watches its predecessor, a reader the nearest writer ahead of it (no herd).
     *
     * Read tokens. Readers hold together, and a FencedStore read raises the key's fence to the
     * token, so readers with different tokens would refuse each other. Every write lock, before
     * it is granted, raises a counter (`path/last-writer`, a DistributedCounter, to the max) to
     * its czxid; a read lock's token is that counter + 1, read once it is granted. The write
     * lock ahead of a reader recorded itself before it was granted and was released before the
     * reader was granted, and ZooKeeper's reads within a session see everything the session has
     * seen before, so: every reader between write locks W1 and W2 gets czxid(W1) + 1, above W1's
     * token (a deposed W1's write is refused once a reader has read) and at most W2's (created
     * after W1), which is higher than any reader's czxid between them, so W2's write is
     * accepted and a deposed reader's late read is refused after it. A guard's verification
     * after a reconnection compares the node's czxid, kept apart from the token.
     */
    private final Coordinator coordinator;
    private final String name;
    private final String path;
    private final DistributedCounter lastWriter;
    private final Recipe<DistributedRwLockGuard> readRecipe;
    private final Recipe<DistributedRwLockGuard> writeRecipe;

    DistributedRwLock(Coordinator coordinator, String name, String path) {
        this.coordinator = coordinator;
        this.name = name;
        this.path = path;
        this.lastWriter = new DistributedCounter(coordinator, name, path + "/last-writer");
        this.readRecipe = new Side(false);
        this.writeRecipe = new Side(true);
    }

    /** One side's recipe: the same line, its own grant rule and token. */
    private final class Side implements Recipe<DistributedRwLockGuard> {
        private final boolean write;

        Side(boolean write) {
            this.write = write;
        }

        @Override
        public String path() {
            return path + "/queue";
        }

        @Override
        public String describe() {
            return (write ? "write lock " : "read lock ") + name;
        }

        @Override
        public int blocker(List<String> line, int at) {
            if (write) return at == 0 ? GRANTED : at - 1;
            for (int i = at - 1; i >= 0; i--) {
                if (isWrite(line.get(i))) return i;
            }
            return GRANTED;
        }

        @Override
        public CompletableFuture<Long> token(long czxid) {
            if (write) return lastWriter.update(v -> Math.max(v, czxid)).thenApply(r -> czxid);
            return lastWriter.getAsync().thenApply(v -> v + 1);
        }

        @Override
        public DistributedRwLockGuard guard(String tokenNode, String queueNode, int slot) {
            return new DistributedRwLockGuard(coordinator, name, tokenNode, write);
        }
    }

    private static boolean isWrite(String node) {
        int n = node.length();
        return n >= 16 && node.startsWith("write-", n - 16);
    }

    /** The name given to {@link Coordinator#rwLock(String)}. */
    public String name() {
        return name;
    }

    /** The ZooKeeper path of the lock (its line is below it). */
    public String path() {
        return path;
    }

    /**
     * Waits for a read lock, in line.
     *
     * @throws InterruptedException  if interrupted while waiting (nothing is held then)
     * @throws SessionLostException  if the session ended while waiting
     * @throws IllegalStateException if the coordinator is or gets closed
     */
    public DistributedRwLockGuard readLock() throws InterruptedException {
        return Futures.awaitGrant(start(readRecipe, true), Deadline.NONE).orElseThrow();
    }

    /** Takes a read lock if no write request is in line, without queueing; empty otherwise. */
    public Optional<DistributedRwLockGuard> tryReadLock() throws InterruptedException {
        return Futures.awaitGrant(start(readRecipe, false), Deadline.NONE);
    }

    /** Waits at most {@code timeout} for a read lock; empty if the time ran out (the request is removed). */
    public Optional<DistributedRwLockGuard> tryReadLock(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (!timeout.isPositive()) return tryReadLock();
        return Futures.awaitGrant(start(readRecipe, true), deadline);
    }

    /** Asks for a read lock without blocking; cancel-safe as {@link DistributedMutex#lockAsync()}. */
    public CompletableFuture<DistributedRwLockGuard> readLockAsync() {
        return start(readRecipe, true);
    }

    /**
     * Waits for the write lock, in line.
     *
     * @throws InterruptedException  if interrupted while waiting (nothing is held then)
     * @throws SessionLostException  if the session ended while waiting
     * @throws IllegalStateException if the coordinator is or gets closed
     */
    public DistributedRwLockGuard writeLock() throws InterruptedException {
        return Futures.awaitGrant(start(writeRecipe, true), Deadline.NONE).orElseThrow();
    }

    /** Takes the write lock if nobody holds or waits for the lock, without queueing; empty otherwise. */
    public Optional<DistributedRwLockGuard> tryWriteLock() throws InterruptedException {
        return Futures.awaitGrant(start(writeRecipe, false), Deadline.NONE);
    }

    /** Waits at most {@code timeout} for the write lock; empty if the time ran out (the request is removed). */
    public Optional<DistributedRwLockGuard> tryWriteLock(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (!timeout.isPositive()) return tryWriteLock();
        return Futures.awaitGrant(start(writeRecipe, true), deadline);
    }

    /** Asks for the write lock without blocking; cancel-safe as {@link DistributedMutex#lockAsync()}. */
    public CompletableFuture<DistributedRwLockGuard> writeLockAsync() {
        return start(writeRecipe, true);
    }

    private CompletableFuture<DistributedRwLockGuard> start(Recipe<DistributedRwLockGuard> recipe, boolean queue) {
        coordinator.checkOpen();
        Acquisition<DistributedRwLockGuard> a = new Acquisition<>(coordinator, recipe,
                recipe == writeRecipe ? "write-" : "read-", queue);
        a.start();
        return a.future();
    }

    @Override
    public String toString() {
        return "DistributedRwLock[" + name + "]";
    }
}
