package io.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockstep.park.ParkingLot;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): Condvar's races. No lost wake-up means every waiter finishes (Fray reports a
 * thread stuck forever as a deadlock); each test also checks that the mutex ends free.
 *
 * <p>Where the requeue is the point, the notifier first waits until the waiters are parked on
 * the condvar ({@link FrayRawMutexTest#untilParkedOrDone}); otherwise they would usually see the
 * predicate before parking. (Checked: without the PARKED bit set on requeue to a free mutex,
 * {@code notifyAllRequeuesWithTheMutexFree} fails.)
 */
@ExtendWith(FrayTestExtension.class)
class FrayCondvarTest {

    /**
     * notifyAll wakes the first {@link ParkingLot#REQUEUE_WAKE_LIMIT} waiters and requeues the
     * rest: these fillers park first (FIFO), so that the waiters a test starts after them are
     * the requeued ones. Each waits once and leaves.
     */
    static Thread[] parkedFillers(Mutex<?> m, Condvar cv) {
        Thread[] fillers = new Thread[ParkingLot.REQUEUE_WAKE_LIMIT];
        for (int i = 0; i < fillers.length; i++) {
            fillers[i] = new Thread(() -> {
                try (MutexGuard<?> g = m.lock()) {
                    cv.await(g);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            fillers[i].start();
        }
        FrayRawMutexTest.untilParkedOrDone(() -> ParkingLot.queueLength(cv), fillers.length, fillers);
        return fillers;
    }

    static void join(Thread... threads) throws InterruptedException {
        for (Thread t : threads) t.join();
    }

    private static void assertFree(Mutex<?> m) {
        RawMutex raw = (RawMutex) m.rawLock();
        assertTrue(raw.tryLock(), "mutex free afterwards");
        raw.unlock();
        assertFalse(raw.hasQueuedThreads());
    }

    // waiter: lock; while !ready: await | notifier: lock; ready = true; unlock; notifyOne
    @ConcurrencyTest(iterations = 400)
    void notifyRacingWaitLosesNoWakeUp() throws InterruptedException {
        Mutex<Boolean> ready = Mutex.of(false);
        Condvar cv = new Condvar();
        Thread waiter = new Thread(() -> {
            try (MutexGuard<Boolean> g = ready.lock()) {
                cv.awaitWhile(g, r -> !r);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        waiter.start();
        try (MutexGuard<Boolean> g = ready.lock()) {
            g.set(true);
        }
        cv.notifyOne();                        // outside the lock, the harder case
        waiter.join();
        assertFree(ready);
    }

    // fillers (woken); w1, w2 (requeued): lock; while !ready: await | main: lock; ready = true;
    // notifyAll (mutex held); unlock
    @ConcurrencyTest(iterations = 400)
    void notifyAllRequeuesWithTheMutexHeld() throws InterruptedException {
        Mutex<Boolean> ready = Mutex.of(false);
        Condvar cv = new Condvar();
        Thread[] fillers = parkedFillers(ready, cv);
        Runnable body = () -> {
            try (MutexGuard<Boolean> g = ready.lock()) {
                cv.awaitWhile(g, r -> !r);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        Thread w1 = new Thread(body), w2 = new Thread(body);
        w1.start();
        w2.start();
        FrayRawMutexTest.untilParkedOrDone(() -> ParkingLot.queueLength(cv), fillers.length + 2, w1, w2);
        try (MutexGuard<Boolean> g = ready.lock()) {
            g.set(true);
            cv.notifyAllWaiters();
        }
        join(w1, w2);
        join(fillers);
        assertFree(ready);
    }

    // fillers (woken); w1, w2 (requeued): lock; while !ready: await | main: lock; ready = true;
    // unlock; notifyAll (mutex free)
    @ConcurrencyTest(iterations = 400)
    void notifyAllRequeuesWithTheMutexFree() throws InterruptedException {
        Mutex<Boolean> ready = Mutex.of(false);
        Condvar cv = new Condvar();
        Thread[] fillers = parkedFillers(ready, cv);
        Runnable body = () -> {
            try (MutexGuard<Boolean> g = ready.lock()) {
                cv.awaitWhile(g, r -> !r);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        Thread w1 = new Thread(body), w2 = new Thread(body);
        w1.start();
        w2.start();
        FrayRawMutexTest.untilParkedOrDone(() -> ParkingLot.queueLength(cv), fillers.length + 2, w1, w2);
        ready.update(r -> true);
        cv.notifyAllWaiters();
        join(w1, w2);
        join(fillers);
        assertFree(ready);
    }

    // waiter: lock; await(1 ms) until ready or timed out | notifier: lock; ready; notifyOne; unlock
    @ConcurrencyTest(iterations = 400)
    void timedAwaitRacingNotify() throws InterruptedException {
        Mutex<Boolean> ready = Mutex.of(false);
        Condvar cv = new Condvar();
        AtomicBoolean sawReady = new AtomicBoolean(), timedOut = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try (MutexGuard<Boolean> g = ready.lock()) {
                boolean ok = cv.awaitWhile(g, r -> !r, Duration.ofMillis(1));
                sawReady.set(g.get());
                timedOut.set(!ok);
                assertEquals(ok, g.get(), "true exactly when the condition became false");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        waiter.start();
        try (MutexGuard<Boolean> g = ready.lock()) {
            g.set(true);
            cv.notifyOne();
        }
        waiter.join();
        assertTrue(sawReady.get() || timedOut.get());
        assertFree(ready);
    }

    // fillers (woken); waiter: lock; await (1 ms) | main: lock; notifyAll (requeue onto the held mutex); unlock
    // The timeout may fire while the waiter sits on the mutex's queue: it must still re-take it.
    @ConcurrencyTest(iterations = 400)
    void requeuedWaiterTimingOut() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        Condvar cv = new Condvar();
        Thread[] fillers = parkedFillers(m, cv);
        Thread waiter = new Thread(() -> {
            try (MutexGuard<Integer> g = m.lock()) {
                cv.await(g, Duration.ofMillis(1));
                assertTrue(((RawMutex) m.rawLock()).isHeldByCurrentThread());
                g.set(g.get() + 1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        waiter.start();
        FrayRawMutexTest.untilParkedOrDone(() -> ParkingLot.queueLength(cv), fillers.length + 1, waiter);
        try (MutexGuard<Integer> g = m.lock()) {
            cv.notifyAllWaiters();
            g.set(g.get() + 1);
        }
        waiter.join();
        join(fillers);
        assertEquals(2, m.<Integer>withLock(x -> x));
        assertFree(m);
    }

    // fillers (woken); waiter: lock; await | main: interrupt waiter; lock; notifyAll; unlock
    @ConcurrencyTest(iterations = 400)
    void interruptRacingNotifyAll() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        Condvar cv = new Condvar();
        Thread[] fillers = parkedFillers(m, cv);
        Thread waiter = new Thread(() -> {
            try (MutexGuard<Integer> g = m.lock()) {
                try {
                    cv.await(g);
                } catch (InterruptedException expected) {
                    // interrupted before the notification: fine
                }
                assertTrue(((RawMutex) m.rawLock()).isHeldByCurrentThread(), "re-taken either way");
            }
        });
        waiter.start();
        FrayRawMutexTest.untilParkedOrDone(() -> ParkingLot.queueLength(cv), fillers.length + 1, waiter);
        waiter.interrupt();
        try (MutexGuard<Integer> g = m.lock()) {
            cv.notifyAllWaiters();
        }
        waiter.join();
        join(fillers);
        assertFree(m);
    }

    // w: ReentrantMutex held twice; condition.await(1 ms) | main: lock; signal; unlock
    @ConcurrencyTest(iterations = 300)
    void reentrantMutexConditionSignalRacingTimedAwait() throws InterruptedException {
        ReentrantMutex lock = new ReentrantMutex();
        // Typed as our class, not as Condition: Fray intercepts calls through the JUC Condition
        // interface and models them as the JDK's (its model then disagrees with our parking and
        // the run hangs in Fray's scheduler); through the class, Fray explores our own code.
        MutexCondition c = (MutexCondition) lock.newCondition();
        boolean[] ready = {false};
        Thread waiter = new Thread(() -> {
            lock.lock();
            lock.lock();
            try {
                while (!ready[0]) {
                    if (!c.await(1, TimeUnit.MILLISECONDS)) break;
                }
                assertEquals(2, lock.getHoldCount());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                lock.unlock();
                lock.unlock();
            }
        });
        waiter.start();
        lock.lock();
        try {
            ready[0] = true;
            c.signal();
        } finally {
            lock.unlock();
        }
        waiter.join();
        assertTrue(lock.tryLock());
        lock.unlock();
    }
}
