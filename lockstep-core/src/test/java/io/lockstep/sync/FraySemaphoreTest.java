package io.lockstep.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

/**
 * Fray model checking of Semaphore's blocking and cancellation paths, in the default (barging:
 * a woken waiter competes) and the fair (hand-off) mode.
 */
@ExtendWith(FrayTestExtension.class)
class FraySemaphoreTest {

    // acquire(2) | release(1); release(1)
    @FrayTest(iterations = 200)
    void blockedBatchAcquireIsWokenByTwoReleases() throws InterruptedException {
        Semaphore s = new Semaphore(0);
        Thread acquirer = new Thread(() -> s.acquire(2).close());
        acquirer.start();
        s.release(1);
        s.release(1);
        acquirer.join();
        assertEquals(2, s.availablePermits());
    }

    // acquireAsync(2); cancel | release(2)
    @FrayTest(iterations = 200)
    void asyncCancellationRacingReleaseLosesNothing() throws InterruptedException {
        Semaphore s = new Semaphore(1);
        CompletableFuture<Permit> f = s.acquireAsync(2);
        Thread canceller = new Thread(() -> f.cancel(false));
        Thread releaser = new Thread(() -> s.release(1));
        canceller.start();
        releaser.start();
        canceller.join();
        releaser.join();
        if (!f.isCancelled()) f.join().close();
        assertEquals(2, s.availablePermits());
        assertEquals(0, s.getQueueLength());
    }

    // acquire | acquire | release, release: mutual exclusion with one permit, FIFO hand-over
    @FrayTest(iterations = 200)
    void binarySemaphoreExcludes() throws InterruptedException {
        Semaphore s = Semaphore.binary();
        AtomicInteger inside = new AtomicInteger(), max = new AtomicInteger();
        Runnable r = () -> {
            try (Permit p = s.acquire()) {
                max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                inside.decrementAndGet();
            }
        };
        Thread a = new Thread(r), b = new Thread(r);
        a.start();
        b.start();
        r.run();
        a.join();
        b.join();
        assertEquals(1, max.get());
        assertEquals(1, s.availablePermits());
    }

    // acquire(1) | close
    @FrayTest(iterations = 200)
    void closeRacingABlockedAcquireFailsItOrLetsItFinish() throws InterruptedException {
        Semaphore s = new Semaphore(0);
        AtomicInteger outcome = new AtomicInteger();
        Thread acquirer = new Thread(() -> {
            try {
                s.acquire();
                outcome.set(1);
            } catch (SemaphoreClosedException e) {
                outcome.set(2);
            }
        });
        acquirer.start();
        s.close();
        acquirer.join();
        assertEquals(2, outcome.get());
        assertTrue(s.isClosed());
    }

    // 4 threads x 3 (acquire 1 or 2 of 3 permits; release): many hands on a few permits
    @FrayTest(iterations = 1500)
    void fourThreadsNeverStrandAnAcquirer() throws InterruptedException {
        Semaphore s = new Semaphore(3);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            int n = 1 + t % 2;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    try (Permit p = s.acquire(n)) {
                        maxHeld.accumulateAndGet(held.addAndGet(n), Math::max);
                        held.addAndGet(-n);
                    }
                }
            });
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        assertTrue(maxHeld.get() <= 3, "never more than the permits");
        assertEquals(3, s.availablePermits());
    }

    // acquireInterruptibly | interrupt; close: the interrupt is thrown or stays set (issue 12, item 4)
    @FrayTest(iterations = 300)
    void interruptRacingCloseIsNeverLost() throws InterruptedException {
        Semaphore s = new Semaphore(0);
        AtomicInteger outcome = new AtomicInteger();
        Thread acquirer = new Thread(() -> {
            try {
                s.acquireInterruptibly();
                outcome.set(1);
            } catch (InterruptedException e) {
                outcome.set(2);
            } catch (SemaphoreClosedException e) {
                // The interrupt came first (program order below): it must still be visible.
                outcome.set(Thread.currentThread().isInterrupted() ? 3 : 4);
            }
        });
        acquirer.start();
        Await.until(() -> s.getQueueLength() == 1, "the acquirer queued");
        acquirer.interrupt();
        s.close();
        acquirer.join();
        assertTrue(outcome.get() == 2 || outcome.get() == 3, "outcome " + outcome.get());
    }

    // acquire (uninterruptible) | interrupt; close
    @FrayTest(iterations = 300)
    void uninterruptibleAcquireKeepsTheInterruptWhenClosed() throws InterruptedException {
        Semaphore s = new Semaphore(0);
        AtomicInteger outcome = new AtomicInteger();
        Thread acquirer = new Thread(() -> {
            try {
                s.acquire();
                outcome.set(1);
            } catch (SemaphoreClosedException e) {
                outcome.set(Thread.currentThread().isInterrupted() ? 3 : 4);
            }
        });
        acquirer.start();
        Await.until(() -> s.getQueueLength() == 1, "the acquirer queued");
        acquirer.interrupt();
        s.close();
        acquirer.join();
        assertEquals(3, outcome.get());
    }

    // Both modes: in the default one a running thread barges and a woken waiter competes, in the
    // fair one every permit is handed over; each test below runs both.

    // acquire | acquire | acquire, one permit, default (barging) mode and fair mode
    @FrayTest(iterations = 150)
    void bargingAndFairModesExclude() throws InterruptedException {
        for (boolean fair : new boolean[] {false, true}) {
            Semaphore s = new Semaphore(1, fair);
            AtomicInteger inside = new AtomicInteger(), max = new AtomicInteger();
            Runnable r = () -> {
                for (int i = 0; i < 2; i++) {
                    try (Permit p = s.acquire()) {
                        max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                    }
                }
            };
            Thread a = new Thread(r), b = new Thread(r);
            a.start();
            b.start();
            r.run();
            a.join();
            b.join();
            assertEquals(1, max.get());
            assertEquals(1, s.availablePermits());
            assertEquals(0, s.getQueueLength());
        }
    }

    // tryAcquire(2, timeout) | release(1); release(1) | acquire(1) barging: nothing lost either way
    @FrayTest(iterations = 150)
    void timedBatchAcquireRacingReleasesAndABargerLosesNothing() throws InterruptedException {
        for (boolean fair : new boolean[] {false, true}) {
            Semaphore s = new Semaphore(0, fair);
            AtomicInteger got = new AtomicInteger();
            Thread waiter = new Thread(() -> {
                try {
                    s.tryAcquire(2, Duration.ofNanos(1)).ifPresent(p -> {
                        got.set(2);
                        p.close();
                    });
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            Thread barger = new Thread(() -> s.tryAcquire(1).ifPresent(Permit::close));
            waiter.start();
            barger.start();
            s.release(1);
            s.release(1);
            waiter.join();
            barger.join();
            assertEquals(2, s.availablePermits(), "fair=" + fair);
            assertEquals(0, s.getQueueLength());
        }
    }

    // acquireInterruptibly | interrupt | release: granted, or interrupted with the permit kept
    @FrayTest(iterations = 150)
    void interruptRacingReleaseLosesNothing() throws InterruptedException {
        for (boolean fair : new boolean[] {false, true}) {
            Semaphore s = new Semaphore(0, fair);
            Thread acquirer = new Thread(() -> {
                try {
                    s.acquireInterruptibly().close();
                } catch (InterruptedException expected) {
                    // nothing taken
                }
            });
            acquirer.start();
            acquirer.interrupt();
            s.release(1);
            acquirer.join();
            assertEquals(1, s.availablePermits(), "fair=" + fair);
            assertEquals(0, s.getQueueLength());
        }
    }

    // acquire (woken to compete) | close | release: fails or finishes, nothing lost
    @FrayTest(iterations = 300)
    void closeRacingACompetingWaiterLosesNothing() throws InterruptedException {
        Semaphore s = new Semaphore(0);
        AtomicInteger taken = new AtomicInteger();
        Thread acquirer = new Thread(() -> {
            try (Permit p = s.acquire()) {
                taken.incrementAndGet();
            } catch (SemaphoreClosedException expected) {
                // closed first
            }
        });
        acquirer.start();
        s.release(1);
        s.close();
        acquirer.join();
        assertEquals(1, s.availablePermits());
        assertEquals(0, s.getQueueLength());
    }

    // acquireAsync x2 | cancel the first | release: order kept, nothing lost, default mode
    @FrayTest(iterations = 300)
    void asyncRequestsCancelledAndGrantedInTheDefaultMode() throws InterruptedException {
        Semaphore s = new Semaphore(0);
        CompletableFuture<Permit> first = s.acquireAsync(1);
        CompletableFuture<Permit> second = s.acquireAsync(1);
        Thread canceller = new Thread(() -> first.cancel(false));
        Thread releaser = new Thread(() -> s.release(1));
        canceller.start();
        releaser.start();
        canceller.join();
        releaser.join();
        if (!first.isCancelled()) {
            assertTrue(!second.isDone(), "the second is served only after the first");
            first.join().close();
        }
        assertTrue(second.isDone());
        second.join().close();
        assertEquals(1, s.availablePermits());
        assertEquals(0, s.getQueueLength());
    }
}
