package io.lockstep.zookeeper;

import io.lockstep.internal.Deadline;
import java.util.OptionalInt;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongUnaryOperator;

/**
 * A cyclic barrier shared by every client of the ensemble, made by
 * {@link Coordinator#barrier(String, int)}: each {@link #await()} waits until {@code parties}
 * awaits (from any clients) have arrived in the current generation; then all of them return and
 * the barrier is ready for the next generation, as {@link java.util.concurrent.CyclicBarrier}.
 *
 * <pre>{@code
 * DistributedBarrier round = coordinator.barrier("round", 3);   // every party says 3
 * for (int r = 0; r < rounds; r++) {
 *     computeMyPart(r);
 *     round.await();                                             // all three finished round r
 * }
 * }</pre>
 *
 * <p>Unlike {@code CyclicBarrier}, a timeout, an interrupt or a cancelled {@link #awaitAsync()}
 * does not break the barrier for the others: that party's arrival is withdrawn (unless the
 * barrier tripped first, in which case it passed). A party that dies after arriving stays
 * counted, as one that had returned. Every party must give the same {@code parties}.
 */
public final class DistributedBarrier {
    /*
     * Implementation notes. Our own recipe (Curator's DistributedDoubleBarrier has a bypass bug,
     * GH-1290, unreleased in 5.9.0). The state is one long in a DistributedCounter's znode:
     * [generation : 32 | arrived : 32], updated by compare-and-set on the znode version.
     * Arriving: arrived + 1 < parties -> arrived + 1, else -> (generation + 1, 0), which trips
     * the barrier in the same atomic step that counts the last party. A waiter then watches the
     * znode (ValueWatch) until the generation differs from the one it arrived in. Withdrawing:
     * arrived - 1, only if the generation is still the one it arrived in. The arrival index is
     * CyclicBarrier's: parties - 1 for the first to arrive, 0 for the last.
     */
    private final Coordinator coordinator;
    private final String name;
    private final String path;
    private final int parties;
    private final DistributedCounter state;

    DistributedBarrier(Coordinator coordinator, String name, String path, int parties) {
        this.coordinator = coordinator;
        this.name = name;
        this.path = path;
        this.parties = parties;
        this.state = new DistributedCounter(coordinator, name, path);
    }

    /** The name given to {@link Coordinator#barrier}. */
    public String name() {
        return name;
    }

    /** How many awaits trip the barrier. */
    public int parties() {
        return parties;
    }

    /**
     * Waits until {@code parties} awaits have arrived.
     *
     * @return the arrival index: {@code parties - 1} for the first to arrive, 0 for the last
     * @throws InterruptedException if interrupted while waiting (this arrival is withdrawn)
     */
    public int await() throws InterruptedException {
        CompletableFuture<Integer> f = awaitAsync();
        try {
            return f.get();
        } catch (InterruptedException e) {
            if (!f.cancel(false) && !f.isCompletedExceptionally()) {
                Thread.currentThread().interrupt();          // it tripped: we passed after all
                return f.join();
            }
            throw e;
        } catch (ExecutionException e) {
            throw Futures.rethrown(e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout} until {@code parties} awaits have arrived.
     *
     * @return the arrival index, or empty if the time ran out first (this arrival is withdrawn)
     * @throws InterruptedException if interrupted while waiting (this arrival is withdrawn)
     */
    public OptionalInt await(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, Deadline.toNanos(timeout));
        CompletableFuture<Integer> f = awaitAsync();
        try {
            return OptionalInt.of(f.get(nanos, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            if (f.cancel(false)) return OptionalInt.empty();
            return OptionalInt.of(Futures.await(f));            // tripped in that instant
        } catch (InterruptedException e) {
            f.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw Futures.rethrown(e.getCause());
        }
    }

    /**
     * Arrives without blocking; the future completes with the arrival index when the barrier
     * trips. Cancel-safe: cancelling it withdraws this arrival unless the barrier already tripped.
     */
    public CompletableFuture<Integer> awaitAsync() {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        LongUnaryOperator arrive = v -> arrived(v) + 1 >= parties ? (generation(v) + 1) << 32 : v + 1;
        state.update(arrive).whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e instanceof CompletionException ? e.getCause() : e);
                return;
            }
            long generation = generation(r[0]);
            int index = parties - 1 - arrived(r[0]);
            if (generation(r[1]) != generation) {
                result.complete(index);                      // we were the last: tripped
                return;
            }
            CompletableFuture<Long> tripped = ValueWatch.until(coordinator, path, "waiting at barrier " + name,
                    0, v -> generation(v) != generation);
            tripped.whenComplete((v, e2) -> {
                if (e2 == null) result.complete(index);
                else if (!(e2 instanceof CancellationException)) result.completeExceptionally(e2);
            });
            result.whenComplete((i, e3) -> {
                if (e3 != null) {                            // cancelled (or failed): leave, unless tripped
                    tripped.cancel(false);
                    state.update(v -> generation(v) == generation && arrived(v) > 0 ? v - 1 : v);
                }
            });
        });
        return result;
    }

    private static long generation(long state) {
        return state >>> 32;
    }

    private static int arrived(long state) {
        return (int) state;
    }

    @Override
    public String toString() {
        return "DistributedBarrier[" + name + ", " + parties + " parties]";
    }
}
