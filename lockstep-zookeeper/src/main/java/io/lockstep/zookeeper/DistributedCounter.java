package io.lockstep.zookeeper;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;

/**
 * A {@code long} shared by every client of the ensemble, made by {@link Coordinator#counter}:
 * each update is a compare-and-set on the znode's version, so concurrent updates from any number
 * of clients are never lost. A contended update is retried until it lands (after a short random
 * back-off once it has lost a few times); it fails only with an exception, never silently.
 *
 * <pre>{@code
 * DistributedCounter jobs = coordinator.counter("jobs-started");
 * long id = jobs.incrementAndGet();          // unique across the cluster
 * }</pre>
 *
 * <p>Every method has an asynchronous twin; the blocking ones wait on it (on no ZooKeeper thread
 * and inside no {@code synchronized}). A counter that was never written reads 0. Cancelling an
 * update's future, or interrupting its caller, stops further attempts, but an attempt already
 * sent may still land: an update's outcome is known only from a completed future.
 */
public final class DistributedCounter {
    /*
     * Implementation notes. The value is 8 big-endian bytes in the znode (a persistent node:
     * it outlives sessions). An update: getData (value, version) -> setData(f(value)) with
     * withVersion(version). BADVERSION means another client won this round: read again. NONODE
     * on the first read means no value yet: create it with f(0), and NODEEXISTS there means
     * another client created it first: read again. Each attempt is asynchronous (Curator's
     * inBackground); the next attempt is started from the reply, after a random back-off of up to
     * 2^min(attempt, 6) ms once two attempts have lost, so that a crowd of clients spreads out.
     * ZooKeeper errors other than those fail the future with a CoordinationException.
     */
    private final Coordinator coordinator;
    private final String name;
    private final String path;

    DistributedCounter(Coordinator coordinator, String name, String path) {
        this.coordinator = coordinator;
        this.name = name;
        this.path = path;
    }

    /** The name given to {@link Coordinator#counter(String)}. */
    public String name() {
        return name;
    }

    /** The current value. */
    public long get() throws InterruptedException {
        return Futures.await(getAsync());
    }

    /** Adds {@code delta} and returns the new value. */
    public long addAndGet(long delta) throws InterruptedException {
        return Futures.await(addAndGetAsync(delta));
    }

    /** Adds one and returns the new value. */
    public long incrementAndGet() throws InterruptedException {
        return addAndGet(1);
    }

    /**
     * Sets the value to {@code update} if it is {@code expect} (a counter never written counts as
     * 0); answers whether it did. A false answer is a real mismatch, never lost contention.
     */
    public boolean compareAndSet(long expect, long update) throws InterruptedException {
        return Futures.await(compareAndSetAsync(expect, update));
    }

    /** {@link #get()} without blocking. */
    public CompletableFuture<Long> getAsync() {
        coordinator.checkOpen();
        CompletableFuture<Long> result = new CompletableFuture<>();
        try {
            coordinator.client().getData().inBackground((c, e) -> {
                try {
                    if (e.getResultCode() == Code.OK.intValue()) complete(result, decode(e.getData()));
                    else if (e.getResultCode() == Code.NONODE.intValue()) complete(result, 0L);
                    else fail(result, "reading", e);
                } catch (RuntimeException ex) {
                    broken(result, ex);
                }
            }).forPath(path);
        } catch (Exception e) {
            broken(result, e);
        }
        return result;
    }

    /** {@link #addAndGet(long)} without blocking. */
    public CompletableFuture<Long> addAndGetAsync(long delta) {
        return update(v -> v + delta).thenApply(r -> r[1]);
    }

    /** {@link #compareAndSet(long, long)} without blocking. */
    public CompletableFuture<Boolean> compareAndSetAsync(long expect, long update) {
        // Not a mismatch (f returns the value unchanged) when the value is already `expect`.
        return update(v -> v == expect ? update : v).thenApply(r -> r[0] == expect);
    }

    /** Applies {@code f} atomically (a no-op if it returns its argument); completes with {previous, next}. */
    CompletableFuture<long[]> update(LongUnaryOperator f) {
        coordinator.checkOpen();
        CompletableFuture<long[]> result = new CompletableFuture<>();
        attempt(f, result, 0);
        return result;
    }

    private void attempt(LongUnaryOperator f, CompletableFuture<long[]> result, int attempt) {
        if (result.isDone()) return;                   // cancelled: no further attempt
        try {
            coordinator.client().getData().inBackground((c, e) -> {
                try {
                    if (e.getResultCode() == Code.NONODE.intValue()) create(f, result, attempt);
                    else if (e.getResultCode() != Code.OK.intValue()) fail(result, "reading", e);
                    else set(f, result, attempt, decode(e.getData()), e.getStat().getVersion());
                } catch (Exception ex) {
                    broken(result, ex);
                }
            }).forPath(path);
        } catch (Exception e) {
            broken(result, e);
        }
    }

    private void set(LongUnaryOperator f, CompletableFuture<long[]> result, int attempt, long previous, int version)
            throws Exception {
        long next = f.applyAsLong(previous);
        if (next == previous) {
            complete(result, new long[] {previous, next});
            return;
        }
        coordinator.client().setData().withVersion(version).inBackground((c, e) -> {
            if (e.getResultCode() == Code.OK.intValue()) complete(result, new long[] {previous, next});
            else if (e.getResultCode() == Code.BADVERSION.intValue()) retry(f, result, attempt);
            else fail(result, "updating", e);
        }).forPath(path, encode(next));
    }

    private void create(LongUnaryOperator f, CompletableFuture<long[]> result, int attempt) throws Exception {
        long next = f.applyAsLong(0);
        if (next == 0) {
            complete(result, new long[] {0, 0});
            return;
        }
        coordinator.client().create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT)
                .inBackground((c, e) -> {
                    if (e.getResultCode() == Code.OK.intValue()) complete(result, new long[] {0, next});
                    else if (e.getResultCode() == Code.NODEEXISTS.intValue()) retry(f, result, attempt);
                    else fail(result, "creating", e);
                }).forPath(path, encode(next));
    }

    /** Creates the counter with {@code initial} unless it exists. */
    CompletableFuture<Void> createIfAbsent(long initial) {
        coordinator.checkOpen();
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            coordinator.client().create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT)
                    .inBackground((c, e) -> {
                        int rc = e.getResultCode();
                        if (rc == Code.OK.intValue() || rc == Code.NODEEXISTS.intValue()) complete(result, null);
                        else fail(result, "creating", e);
                    }).forPath(path, encode(initial));
        } catch (Exception e) {
            broken(result, e);
        }
        return result;
    }

    private void retry(LongUnaryOperator f, CompletableFuture<long[]> result, int attempt) {
        if (attempt < 2) {
            attempt(f, result, attempt + 1);
        } else {
            long backoff = ThreadLocalRandom.current().nextLong(1L << Math.min(attempt, 6)) + 1;
            CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS).execute(() -> attempt(f, result, attempt + 1));
        }
    }

    private <T> void complete(CompletableFuture<T> result, T value) {
        Callbacks.run(() -> result.complete(value));
    }

    private <T> void fail(CompletableFuture<T> result, String what, CuratorEvent e) {
        CoordinationException failure = Coordinator.failure(what + " counter " + name, Code.get(e.getResultCode()), path);
        Callbacks.run(() -> result.completeExceptionally(failure));
    }

    /** Curator refused a request, or the stored bytes are not a counter. */
    private void broken(CompletableFuture<?> result, Exception e) {
        CoordinationException failure = e instanceof CoordinationException ce ? ce
                : new CoordinationException("updating counter " + name + " failed", e);
        Callbacks.run(() -> result.completeExceptionally(failure));
    }


    private static byte[] encode(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static long decode(byte[] data) {
        if (data == null || data.length != Long.BYTES) {
            throw new CoordinationException("not a counter's value: " + (data == null ? "null" : data.length + " bytes"));
        }
        return ByteBuffer.wrap(data).getLong();
    }

    @Override
    public String toString() {
        return "DistributedCounter[" + name + "]";
    }
}
