package io.lockstep.zookeeper;

import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A count-down latch shared by every client of the ensemble, made by
 * {@link Coordinator#latch(String, long)}: {@link #countDown()} from any client, and every
 * {@link #await()}, in any client, returns once the count reaches zero. One-shot, like
 * {@link java.util.concurrent.CountDownLatch} (Curator has no such recipe).
 *
 * <pre>{@code
 * DistributedLatch ready = coordinator.latch("shards-loaded", 8);  // the first caller sets 8
 * loadMyShard();
 * ready.countDown();
 * ready.await(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>The count lives in a persistent znode (it outlives sessions), updated by compare-and-set as
 * a {@link DistributedCounter} is, never below zero. A waiter watches the znode, and reads it
 * again after every reconnection and new session (a watch is lost with its session).
 */
public final class DistributedLatch {
    /*
     * Implementation notes. The count is a DistributedCounter's znode, counted down by its
     * compare-and-set; an await is a ValueWatch until it reads zero.
     */
    private final Coordinator coordinator;
    private final String name;
    private final String path;
    private final DistributedCounter count;

    DistributedLatch(Coordinator coordinator, String name, String path) {
        this.coordinator = coordinator;
        this.name = name;
        this.path = path;
        this.count = new DistributedCounter(coordinator, name, path);
    }

    /** Sets the count to {@code initial} unless the latch exists; the latch either way. */
    static DistributedLatch open(Coordinator coordinator, String name, String path, long initial)
            throws InterruptedException {
        DistributedLatch latch = new DistributedLatch(coordinator, name, path);
        Futures.await(latch.count.createIfAbsent(initial));
        return latch;
    }

    /** The name given to {@link Coordinator#latch}. */
    public String name() {
        return name;
    }

    /** Decrements the count unless it is already zero. */
    public void countDown() throws InterruptedException {
        Futures.await(count.update(v -> v > 0 ? v - 1 : 0));
    }

    /** The current count. */
    public long getCount() throws InterruptedException {
        return count.get();
    }

    /** Waits until the count is zero. */
    public void await() throws InterruptedException {
        CompletableFuture<Void> f = awaitAsync();
        try {
            Futures.await(f);
        } catch (InterruptedException e) {
            f.cancel(false);                           // stops the watch
            throw e;
        }
    }

    /**
     * Waits at most {@code timeout} until the count is zero; answers whether it is. A zero or
     * negative timeout only reads the count.
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = Deadline.toNanos(timeout);
        if (nanos <= 0) return getCount() == 0;
        CompletableFuture<Void> f = awaitAsync();
        try {
            f.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            if (f.cancel(false)) return false;
            Futures.await(f);                                  // completed in that instant
            return true;
        } catch (InterruptedException e) {
            f.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw Futures.rethrown(e.getCause());
        }
    }

    /** A future that completes (on a thread of its own) when the count is zero; cancel it to stop waiting. */
    public CompletableFuture<Void> awaitAsync() {
        // A deleted latch counts as open: nobody could count it down any more.
        CompletableFuture<Long> zero = ValueWatch.until(coordinator, path, "waiting on latch " + name, 0, v -> v == 0);
        CompletableFuture<Void> result = zero.thenApply(v -> null);
        result.whenComplete((v, e) -> zero.cancel(false));     // cancelling the result stops the watch
        return result;
    }

    @Override
    public String toString() {
        return "DistributedLatch[" + name + "]";
    }


}
