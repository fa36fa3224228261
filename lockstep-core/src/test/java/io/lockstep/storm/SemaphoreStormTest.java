package io.lockstep.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.sync.Permit;
import io.lockstep.sync.Semaphore;
import io.lockstep.sync.SemaphoreClosedException;
import io.lockstep.testing.Storm;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Semaphore storms: sync and async acquires of 1 to 3 permits, every flavor (uninterruptible,
 * interruptible, try, timed, async waited for, cancelled, timed out, and the Javadoc's
 * {@code thenAccept(p -> { try (p) { ... } })} pattern), virtual and platform threads, interrupts,
 * then close. No more than the permits are ever in use at once, and at the end every permit is
 * back, nobody waits, and every callback ran or was failed by the close.
 */
@Tag("storm")
class SemaphoreStormTest {
    private static final int PERMITS = 5;

    @Test
    void permitsAreNeverLostOrDuplicated() {
        Semaphore semaphore = new Semaphore(PERMITS);
        AtomicInteger inUse = new AtomicInteger(), outstandingCallbacks = new AtomicInteger();
        AtomicLong granted = new AtomicLong();
        long target = Storm.size(40_000);
        try (Storm storm = new Storm("semaphore")) {
            storm.start(16, 4, "worker", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (;;) {
                    int n = rnd.nextInt(1, 4);
                    Permit p;
                    try {
                        p = acquireOne(semaphore, n, rnd, outstandingCallbacks, inUse, granted, storm);
                    } catch (SemaphoreClosedException e) {
                        return;
                    } catch (InterruptedException e) {
                        continue;
                    }
                    if (p == null) continue;
                    try (p) {
                        hold(inUse, n, granted, storm);
                    }
                }
            });
            storm.chaos(storm.workers(), 300);
            storm.until(() -> granted.get() >= target, target + " grants");
            semaphore.close();
            storm.joinAll();
            storm.until(() -> outstandingCallbacks.get() == 0, "every thenAccept callback ran or failed");
            assertThat(inUse.get()).isZero();
            assertThat(semaphore.availablePermits()).as("permits back after close, %s", semaphore).isEqualTo(PERMITS);
            assertThat(semaphore.getQueueLength()).isZero();
        }
    }

    private static void hold(AtomicInteger inUse, int n, AtomicLong granted, Storm storm) {
        int now = inUse.addAndGet(n);
        if (now > PERMITS) throw new AssertionError(now + " permits in use of " + PERMITS);
        inUse.addAndGet(-n);
        granted.incrementAndGet();
        storm.progress();
    }

    /** One acquire of {@code n}, by a random path: a permit, or null if none was taken this time. */
    private static Permit acquireOne(Semaphore semaphore, int n, ThreadLocalRandom rnd, AtomicInteger outstanding,
                                     AtomicInteger inUse, AtomicLong granted, Storm storm) throws InterruptedException {
        switch (rnd.nextInt(7)) {
            case 0 -> {
                return semaphore.acquire(n);
            }
            case 1 -> {
                return semaphore.acquireInterruptibly(n);
            }
            case 2 -> {
                return semaphore.tryAcquire(n).orElse(null);
            }
            case 3 -> {
                Optional<Permit> p = semaphore.tryAcquire(n, Duration.ofNanos(rnd.nextLong(1, 300_000)));
                return p.orElse(null);
            }
            case 4 -> {                          // the Javadoc's pattern: the callback releases
                outstanding.incrementAndGet();
                semaphore.acquireAsync(n).whenComplete((p, e) -> {
                    try {
                        if (p != null) {
                            try (p) {
                                hold(inUse, n, granted, storm);
                            }
                        } else if (!(unwrap(e) instanceof SemaphoreClosedException)) {
                            throw new AssertionError("acquireAsync failed with " + e, e);
                        }
                    } finally {
                        outstanding.decrementAndGet();
                    }
                });
                if (outstanding.get() > 64) LockSupport.parkNanos(100_000);   // bounds the backlog
                return null;
            }
            default -> {
                CompletableFuture<Permit> f = semaphore.acquireAsync(n);
                Abandon.randomly(f, rnd);
                Object outcome = Abandon.outcome(f);
                if (outcome instanceof Permit p) {
                    assertThat(p.permits()).isEqualTo(n);
                    return p;
                }
                if (outcome instanceof SemaphoreClosedException e) throw e;
                if (outcome instanceof CancellationException || outcome instanceof TimeoutException) return null;
                throw new AssertionError("acquireAsync ended with " + outcome, (Throwable) outcome);
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * The Javadoc's pattern with a long queue: every {@code thenAccept} releases inside the
     * callback, which grants the next queued acquire. All must run, on a flat stack (issue 12
     * item 2: they recursed, overflowed the stack near 900, and lost a permit).
     */
    @Test
    void aLongChainOfQueuedAsyncAcquiresRunsToTheEnd() {
        Semaphore semaphore = new Semaphore(0);
        int chain = Storm.size(20_000);
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger maxDepth = new AtomicInteger();
        int baseDepth = StackWalker.getInstance().walk(s -> (int) s.count());
        try (Storm storm = new Storm("semaphore-async-chain")) {
            for (int i = 0; i < chain; i++) {
                semaphore.acquireAsync(1).thenAccept(p -> {
                    try (p) {
                        maxDepth.accumulateAndGet(StackWalker.getInstance().walk(s -> (int) s.count()), Math::max);
                        ran.incrementAndGet();
                        storm.progress();
                    }
                });
            }
            assertThat(semaphore.getQueueLength()).isEqualTo(chain);
            semaphore.release(1);
            storm.until(() -> ran.get() == chain, "all " + chain + " callbacks ran (" + ran + " so far)");
            assertThat(semaphore.availablePermits()).isEqualTo(1);
            assertThat(semaphore.getQueueLength()).isZero();
            assertThat(maxDepth.get() - baseDepth).as("stack depth of the callbacks").isLessThan(500);
        }
    }

    /**
     * Interrupts and close() arriving together at queued interruptible acquires: each waiter must
     * either throw InterruptedException or keep its interrupt status (issue 12 item 4: the
     * close's FAILED branch dropped it).
     */
    @Test
    void interruptsRacingCloseAreNeverLost() {
        int rounds = Storm.size(1_500), waiters = 4;
        AtomicInteger round = new AtomicInteger(), interruptsSent = new AtomicInteger(), finished = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger(), ok = new AtomicInteger();
        AtomicReference<Semaphore> current = new AtomicReference<>();
        try (Storm storm = new Storm("semaphore-interrupt-close")) {
            List<Thread> threads = storm.start(waiters / 2, waiters / 2, "waiter", i -> {
                for (int r = 1; r <= rounds; r++) {
                    int myRound = r;
                    storm.awaitSignal(() -> round.get() >= myRound);
                    Semaphore s = current.get();
                    boolean threw = false;
                    try {
                        s.acquireInterruptibly().close();
                        throw new AssertionError("acquired a permit from an empty semaphore");
                    } catch (InterruptedException e) {
                        threw = true;
                    } catch (SemaphoreClosedException e) {
                        // then the interrupt must still be pending, now or once it arrives
                    }
                    storm.awaitSignal(() -> interruptsSent.get() >= myRound);
                    if (!threw && !Thread.interrupted()) lost.incrementAndGet(); else ok.incrementAndGet();
                    Thread.interrupted();
                    finished.incrementAndGet();
                }
            });
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int r = 1; r <= rounds; r++) {
                Semaphore s = new Semaphore(0);
                current.set(s);
                round.set(r);
                storm.until(() -> s.getQueueLength() == waiters, "every waiter queued");
                int closeAfter = rnd.nextInt(waiters + 1);
                for (int k = 0; k < waiters; k++) {
                    if (k == closeAfter) s.close();
                    threads.get(k).interrupt();
                }
                if (closeAfter == waiters) s.close();
                interruptsSent.set(r);
                int done = r * waiters;
                storm.until(() -> finished.get() == done, "round " + done / waiters + " finished");
                storm.progress();
            }
            storm.joinAll();
            assertThat(lost.get()).as("interrupts lost of %d (kept or thrown: %d)", rounds * waiters, ok.get()).isZero();
        }
    }
}
