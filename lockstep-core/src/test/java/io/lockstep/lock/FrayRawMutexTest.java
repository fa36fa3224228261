package io.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): RawMutex and ReentrantMutex on their blocking paths. Each test opens with its
 * interleaving; every one asserts that the lock ends free and usable, so a hand-off to a thread
 * that already gave up (a stranded LOCKED bit) or a lost wake-up (Fray's deadlock report) fails.
 *
 * <p>The bounded spin before parking nearly always wins under Fray's scheduler, so a test that
 * only contends would never park. Where the park path is the point, the holder first waits
 * ({@link #untilParkedOrDone}) until the contenders are queued in the parking lot or finished.
 * (Checked: with the unlock path's "keep PARKED if more wait" removed, these tests fail; with the
 * unlock's second look at {@code parked} after freeing the lock removed (MutexCore's Dekker pair),
 * fourThreadsNeverStrandAWaiter fails, as does FrayAsyncLockTest.bargingRequestsAndThreadsExclude.)
 */
@ExtendWith(FrayTestExtension.class)
class FrayRawMutexTest {
    private int counter;                       // guarded by the lock under test

    /** Yields until {@code n} threads are parked on {@code m}, or every one of {@code ts} is done. */
    static void untilParkedOrDone(java.util.function.IntSupplier queued, int n, Thread... ts) {
        while (queued.getAsInt() < n) {
            boolean anyAlive = false;
            for (Thread t : ts) anyAlive |= t.isAlive();
            if (!anyAlive) return;
            Thread.yield();
        }
    }

    private static void assertFree(RawMutex m) {
        assertTrue(m.tryLock(), "the lock is free and usable afterwards");
        m.unlock();
        assertFalse(m.hasQueuedThreads());
    }

    // a: (lock; counter++; unlock) x2 | b: the same | c: tryLock-or-lock x2
    @ConcurrencyTest(iterations = 400)
    void mutualExclusion() throws InterruptedException {
        RawMutex m = new RawMutex();
        counter = 0;
        Runnable r = () -> {
            for (int i = 0; i < 2; i++) {
                m.lock();
                try {
                    counter++;
                } finally {
                    m.unlock();
                }
            }
        };
        Runnable t = () -> {
            for (int i = 0; i < 2; i++) {
                if (!m.tryLock()) m.lock();
                try {
                    counter++;
                } finally {
                    if (i == 0) m.unlockFair(); else m.unlock();
                }
            }
        };
        Thread a = new Thread(r), b = new Thread(r), c = new Thread(t);
        a.start();
        b.start();
        c.start();
        a.join();
        b.join();
        c.join();
        assertEquals(6, counter);
        assertFree(m);
    }

    // main: lock; wait until a and b are parked; unlock | a, b: lock; counter++; unlock(Fair)
    @ConcurrencyTest(iterations = 400)
    void twoParkedWaitersAreBothWoken() throws InterruptedException {
        RawMutex m = new RawMutex();
        counter = 0;
        m.lock();
        Thread a = new Thread(() -> { m.lock(); counter++; m.unlock(); });
        Thread b = new Thread(() -> { m.lock(); counter++; m.unlockFair(); });
        a.start();
        b.start();
        untilParkedOrDone(m::getQueueLength, 2, a, b);
        m.unlock();
        a.join();
        b.join();
        assertEquals(2, counter);
        assertFree(m);
    }

    // main: lock; unlock | waiter: tryLock(1 ms) -- the timeout races the release
    @ConcurrencyTest(iterations = 400)
    void timedTryLockRacingUnlock() throws InterruptedException {
        RawMutex m = new RawMutex();
        AtomicBoolean got = new AtomicBoolean();
        m.lock();
        Thread waiter = new Thread(() -> {
            try {
                if (m.tryLock(1, TimeUnit.MILLISECONDS)) {
                    got.set(true);
                    m.unlock();
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        waiter.start();
        untilParkedOrDone(m::getQueueLength, 1, waiter);
        m.unlock();
        waiter.join();
        assertFree(m);
    }

    // main: lock; unlockFair (hand-off) | waiter: tryLock(1 ms) -- the hand-off races the timeout
    @ConcurrencyTest(iterations = 400)
    void fairHandOffRacingTimeout() throws InterruptedException {
        RawMutex m = new RawMutex();
        AtomicBoolean got = new AtomicBoolean(), heldWhenGot = new AtomicBoolean();
        m.lock();
        Thread waiter = new Thread(() -> {
            try {
                if (m.tryLock(1, TimeUnit.MILLISECONDS)) {
                    got.set(true);
                    heldWhenGot.set(m.isHeldByCurrentThread());
                    m.unlock();
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        waiter.start();
        untilParkedOrDone(m::getQueueLength, 1, waiter);
        m.unlockFair();
        waiter.join();
        if (got.get()) assertTrue(heldWhenGot.get());
        assertFree(m);
    }

    // main: lock; interrupt waiter; unlock | waiter: lockInterruptibly
    @ConcurrencyTest(iterations = 400)
    void interruptRacingUnlock() throws InterruptedException {
        RawMutex m = new RawMutex();
        m.lock();
        Thread waiter = new Thread(() -> {
            try {
                m.lockInterruptibly();
            } catch (InterruptedException e) {
                assertFalse(m.isHeldByCurrentThread());
                return;
            }
            m.unlock();
        });
        waiter.start();
        untilParkedOrDone(m::getQueueLength, 1, waiter);
        waiter.interrupt();
        m.unlockFair();
        waiter.join();
        assertFree(m);
    }

    // main: lock; wait until a, b, c park; unlock | a, b: lock twice, counter++, unlock twice | c: tryLock(1 ms)
    @ConcurrencyTest(iterations = 300)
    void reentrantMutexExclusionAndTimedTry() throws InterruptedException {
        ReentrantMutex m = new ReentrantMutex();
        counter = 0;
        Runnable r = () -> {
            m.lock();
            m.lock();
            try {
                counter++;
            } finally {
                m.unlock();
                m.unlockFair();
            }
        };
        Thread a = new Thread(r), b = new Thread(r);
        Thread c = new Thread(() -> {
            try {
                if (m.tryLock(1, TimeUnit.MILLISECONDS)) {
                    counter++;
                    m.unlock();
                } else {
                    m.lock();
                    counter++;
                    m.unlock();
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        m.lock();
        a.start();
        b.start();
        c.start();
        untilParkedOrDone(m::getQueueLength, 3, a, b, c);
        m.unlock();
        a.join();
        b.join();
        c.join();
        assertEquals(3, counter);
        assertTrue(m.tryLock());
        assertEquals(1, m.getHoldCount());
        m.unlock();
    }

    // 4 threads x 3 (lock; counter++; unlock or unlockFair): the many-hands shape that only a
    // machine with more cores than the CI's two runs truly in parallel (see FrayRwLockTest).
    @ConcurrencyTest(iterations = 1500)
    void fourThreadsNeverStrandAWaiter() throws InterruptedException {
        RawMutex m = new RawMutex();
        counter = 0;
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            boolean fair = t % 2 == 1;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    m.lock();
                    counter++;
                    if (fair) m.unlockFair();
                    else m.unlock();
                }
            });
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        assertEquals(12, counter);
        assertFree(m);
    }

    // main: lock; wait until b, c park; unlock; lock; counter++; unlock | b: lock; counter++;
    // unlock | c: tryLock(1 ms). The unlock wakes one waiter; the woken one may lose to main's
    // barging lock, re-park, or time out (c), and whichever way it goes the other waiter must
    // still be woken by a later unlock (PARKED must survive every path).
    @ConcurrencyTest(iterations = 600)
    void wokenWaiterLosingOrTimingOutStrandsNobody() throws InterruptedException {
        RawMutex m = new RawMutex();
        counter = 0;
        AtomicBoolean cGotIt = new AtomicBoolean();
        Thread b = new Thread(() -> {
            m.lock();
            try {
                counter++;
            } finally {
                m.unlock();
            }
        });
        Thread c = new Thread(() -> {
            try {
                if (m.tryLock(1, TimeUnit.MILLISECONDS)) {
                    cGotIt.set(true);
                    try {
                        counter++;
                    } finally {
                        m.unlock();
                    }
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        m.lock();
        b.start();
        c.start();
        // c may time out first: wait until every thread still alive is parked.
        while (m.getQueueLength() < (b.isAlive() ? 1 : 0) + (c.isAlive() ? 1 : 0)) Thread.yield();
        m.unlock();
        m.lock();                                  // barges past whoever was woken
        counter++;
        m.unlock();
        b.join();
        c.join();
        assertEquals(cGotIt.get() ? 3 : 2, counter);
        assertFree(m);
    }
}
