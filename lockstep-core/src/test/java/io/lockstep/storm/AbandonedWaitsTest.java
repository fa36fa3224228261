package io.lockstep.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.channel.Channel;
import io.lockstep.channel.RecvResult;
import io.lockstep.channel.Select;
import io.lockstep.stm.Stm;
import io.lockstep.stm.TVar;
import io.lockstep.sync.Permit;
import io.lockstep.sync.Semaphore;
import io.lockstep.testing.Storm;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memory stays flat after many abandoned waits of each kind — cancelled futures, timed-out
 * waits, interrupted waits, losing select clauses — and the primitive is left with no
 * registration. Retained heap (after full GCs) is taken after the first tenth of the run (JIT
 * warm-up done) and at the end; growth must stay under 8 bytes per wait measured (at least
 * 512 KB), so a leak of one 16-byte object per wait fails. Sizes: 10^6 where a wait costs about a
 * microsecond (interrupted STM retries); fewer where one costs tens of microseconds on 2 busy
 * cores (an async step on a virtual thread, a timer, a park): 10^5 cancelled semaphore and
 * channel futures, 5x10^4 timed-out waits and losing selects, 2x10^4 orTimeout futures; {@code -Dlockstep.storm.scale} scales them all. A run that takes over
 * {@link #TIME_LIMIT} fails too: a leak that makes each wait slower (a list copied per wait)
 * shows up as time long before it shows up as heap.
 */
@Tag("storm")
class AbandonedWaitsTest {
    private static final Duration TIME_LIMIT = Duration.ofSeconds(20);

    @Test
    void cancelledReceiveFutures() {
        Channel<Integer> channel = Channel.bounded(1);
        repeat("cancelled recvAsync", Storm.size(100_000), i -> {
            CompletableFuture<Integer> f = channel.recvAsync();
            if (!f.cancel(false)) throw new AssertionError("nothing was sent, yet the receive completed: " + f);
        });
        assertThat(Probes.registrations(channel)).isZero();
        assertThat(channel.trySend(1).isSent()).isTrue();
        assertThat(channel.tryRecv()).isEqualTo(new RecvResult.Received<>(1));
    }

    @Test
    void cancelledAndTimedOutAcquireFutures() {
        Semaphore semaphore = new Semaphore(0);
        repeat("cancelled acquireAsync", Storm.size(100_000), i -> {
            CompletableFuture<Permit> f = semaphore.acquireAsync(1);
            if (i % 2 == 0) f.cancel(false);
            else f.completeExceptionally(new CancellationException("given up"));   // as orTimeout does
        });
        assertThat(semaphore.getQueueLength()).isZero();
        semaphore.release(1);
        assertThat(semaphore.availablePermits()).isEqualTo(1);
    }

    @Test
    void orTimeoutAcquireFutures() {
        Semaphore semaphore = new Semaphore(0);
        repeat("acquireAsync timed out by orTimeout", Storm.size(20_000), i -> {
            CompletableFuture<Permit> f = semaphore.acquireAsync(1).orTimeout(1, TimeUnit.MICROSECONDS);
            Abandon.awaitDone(f);
        });
        assertThat(semaphore.getQueueLength()).isZero();
        assertThat(semaphore.availablePermits()).isZero();
    }

    @Test
    void timedOutWaits() {
        Semaphore semaphore = new Semaphore(0);
        Channel<Integer> channel = Channel.rendezvous();
        repeat("timed-out tryAcquire and recv", Storm.size(50_000), i -> {
            try {
                if (i % 2 == 0) {
                    if (semaphore.tryAcquire(1, Duration.ofNanos(1_000)).isPresent()) throw new AssertionError("acquired");
                } else if (channel.recv(Duration.ofNanos(1_000)).isReceived()) {
                    throw new AssertionError("received");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(semaphore.getQueueLength()).isZero();
        assertThat(Probes.registrations(channel)).isZero();
    }

    /**
     * A transaction blocked in retry() and interrupted must be deregistered (issue 12 item 3:
     * each one stayed on the TVar's waiter list, which every later retry copies). The interrupt
     * is set before the transaction runs, so the retry registers and its park returns at once.
     */
    @Test
    void interruptedRetries() {
        TVar<Integer> var = new TVar<>(0);
        repeat("interrupted retry()", Storm.size(1_000_000), i -> {
            Thread.currentThread().interrupt();
            try {
                Stm.atomically(txn -> txn.get(var) == 0 ? Stm.retry() : 1);
                throw new AssertionError("retry() returned though nothing changed");
            } catch (CancellationException expected) {
                if (!Thread.interrupted()) throw new AssertionError("interrupt status not kept");
            }
        });
        var.set(1);                                                 // wakes nobody, and must not take long
        int seen = Stm.atomically(txn -> txn.get(var));
        assertThat(seen).isEqualTo(1);
    }

    /**
     * Selects over three empty channels, completed by a partner's send on one of them: the
     * select registers on all three and the two losing clauses must be removed.
     */
    @Test
    void losingSelectClauses() throws Exception {
        Channel<Integer> a = Channel.rendezvous(), b = Channel.bounded(1), c = Channel.unbounded();
        int n = Storm.size(50_000);
        try (Storm storm = new Storm("losing-select-clauses")) {
            storm.start(false, "sender", () -> {
                for (int i = 0; i < n; i++) {
                    a.send(i);
                    storm.progress();
                }
            });
            repeat("select with two losing clauses", n, i -> {
                try {
                    int got = new Select<Integer>().recv(a, v -> v).recv(b, v -> -1).recv(c, v -> -2)
                            .select(Storm.STALL, () -> Integer.MIN_VALUE);
                    if (got != i) throw new AssertionError("got " + got + ", expected " + i);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            storm.joinAll();
        }
        assertThat(Probes.registrations(a) + Probes.registrations(b) + Probes.registrations(c)).isZero();
    }

    /** Runs {@code wait} {@code n} times; fails on retained heap growth or if it takes past {@link #TIME_LIMIT}. */
    private static void repeat(String what, int n, IntConsumer wait) {
        long start = System.nanoTime(), heapAfterWarmUp = 0;
        int warmUp = n / 10;
        for (int i = 0; i < n; i++) {
            wait.accept(i);
            if (i == warmUp) heapAfterWarmUp = retainedHeap();
            if ((i & 1023) == 0 && System.nanoTime() - start > TIME_LIMIT.toNanos()) {
                throw new AssertionError(what + ": only " + i + " of " + n + " in " + TIME_LIMIT.toSeconds()
                        + " s; each wait got slower (something is retained per wait?)");
            }
        }
        long heapAtEnd = retainedHeap(), allowed = Math.max(512 << 10, 8L * (n - warmUp));
        assertThat(heapAtEnd - heapAfterWarmUp)
                .as("%s x %d: retained heap growth, bytes (%d -> %d)", what, n, heapAfterWarmUp, heapAtEnd)
                .isLessThan(allowed);
    }

    /** Heap in use after a full collection: the least of three System.gc() rounds. */
    private static long retainedHeap() {
        Runtime runtime = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }
}
