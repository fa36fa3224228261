package io.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): RawMutex.lockAsync's races. A request's future is settled by someone else
 * (cancel, a timeout, complete) while the unlock hands it the lock; a blocking lock() and async
 * requests share the line. Every test ends by checking that the lock is free, nobody is left in
 * line and the work behind the request ran exactly once: a hand-off to a request nobody waits for
 * any more must be passed on, once.
 */
@ExtendWith(FrayTestExtension.class)
class FrayAsyncLockTest {
    private int counter;                       // guarded by the lock under test

    private static void assertFree(RawMutex m) {
        assertTrue(m.tryLock(), "the lock is free and usable afterwards");
        m.unlock();
        assertEquals(0, m.getQueueLength(), "nobody left in line");
    }

    /**
     * main: lock; lockAsync (queued); b: lock (parked behind it) | settler: {@code settle} the
     * future | main: unlock (hands the lock to the request). b must get the lock exactly once,
     * whoever wins.
     */
    private void settleRacingHandOff(Consumer<CompletableFuture<RawMutexGuard>> settle) throws InterruptedException {
        settleRacingRelease(RawMutex::lockAsync, settle);
    }

    /** As settleRacingHandOff, for a request made by {@code request} (a barging one is woken to retry, not handed the lock). */
    private void settleRacingRelease(Function<RawMutex, CompletableFuture<RawMutexGuard>> request,
                                     Consumer<CompletableFuture<RawMutexGuard>> settle) throws InterruptedException {
        RawMutex m = new RawMutex();
        counter = 0;
        m.lock();
        CompletableFuture<RawMutexGuard> f = request.apply(m);
        Thread b = new Thread(() -> {
            m.lock();
            counter++;
            m.unlock();
        });
        b.start();
        FrayRawMutexTest.untilParkedOrDone(m::getQueueLength, 2, b);
        Thread settler = new Thread(() -> settle.accept(f));
        settler.start();
        m.unlock();
        settler.join();
        if (!f.isCompletedExceptionally() && f.isDone() && f.getNow(null) != null) {
            RawMutexGuard g = f.getNow(null);              // the request won: it holds the lock
            assertTrue(m.isLocked());
            g.close();
        }
        b.join();
        assertEquals(1, counter);
        assertFree(m);
    }

    @ConcurrencyTest(iterations = 400)
    void cancelRacingHandOff() throws InterruptedException {
        settleRacingHandOff(f -> f.cancel(false));
    }

    // What orTimeout's timer does when it fires: completeExceptionally(new TimeoutException()).
    @ConcurrencyTest(iterations = 400)
    void timeoutRacingHandOff() throws InterruptedException {
        settleRacingHandOff(f -> f.completeExceptionally(new TimeoutException()));
    }

    @ConcurrencyTest(iterations = 300)
    void completeByTheUserRacingHandOff() throws InterruptedException {
        settleRacingHandOff(f -> f.complete(null));
    }

    // lockAsync(executor): the unlock frees the lock and wakes the request to retry (on the
    // executor, here inline); a request cancelled meanwhile must pass that wake-up on to b.
    @ConcurrencyTest(iterations = 400)
    void cancelRacingABargingWakeUp() throws InterruptedException {
        settleRacingRelease(m -> m.lockAsync(Runnable::run), f -> f.cancel(false));
    }

    // a: lock; unlock; lock; unlock | task: lockAsync(executor) x2, closing in the stage | main: lock; unlock
    @ConcurrencyTest(iterations = 300)
    void bargingRequestsAndThreadsExclude() throws InterruptedException {
        RawMutex m = new RawMutex();
        counter = 0;
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        Thread a = new Thread(() -> {
            for (int i = 0; i < 2; i++) {
                m.lock();
                counter++;
                m.unlock();
            }
        });
        Thread b = new Thread(() -> {
            for (int i = 0; i < 2; i++) {
                stages.add(m.lockAsync(Runnable::run).thenAccept(g -> {
                    counter++;
                    g.close();
                }));
            }
        });
        a.start();
        b.start();
        m.lock();
        counter++;
        m.unlock();
        a.join();
        b.join();
        for (CompletableFuture<Void> s : stages) s.join();
        assertEquals(5, counter);
        assertFree(m);
    }

    // a: (lock; counter++; unlock) x2 | b: (lockAsync; counter++ in the stage; close) x2 | main: lock; unlock
    @ConcurrencyTest(iterations = 400)
    void blockingLockRacingLockAsync() throws InterruptedException {
        RawMutex m = new RawMutex();
        counter = 0;
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        Thread a = new Thread(() -> {
            for (int i = 0; i < 2; i++) {
                m.lock();
                try {
                    counter++;
                } finally {
                    if (i == 0) m.unlock(); else m.unlockFair();
                }
            }
        });
        Thread b = new Thread(() -> {
            for (int i = 0; i < 2; i++) {
                boolean fair = i == 1;
                stages.add(m.lockAsync().thenAccept(g -> {
                    counter++;
                    if (fair) g.unlockFair(); else g.close();
                }));
            }
        });
        a.start();
        b.start();
        m.lock();
        counter++;
        m.unlock();
        a.join();
        b.join();
        for (CompletableFuture<Void> s : stages) s.join();
        assertEquals(5, counter);
        assertFree(m);
    }

    // main: lockAsync -> g | a: g.close() | b: g.close() -- exactly one releases, the other throws
    @ConcurrencyTest(iterations = 200)
    void racingClosesReleaseOnce() throws InterruptedException {
        RawMutex m = new RawMutex();
        RawMutexGuard g = m.lockAsync().join();
        AtomicInteger refused = new AtomicInteger();
        Runnable close = () -> {
            try {
                g.close();
            } catch (IllegalStateException e) {
                refused.incrementAndGet();
            }
        };
        Thread a = new Thread(close), b = new Thread(close);
        a.start();
        b.start();
        m.lock();                                        // parks until the one release
        assertTrue(m.isHeldByCurrentThread());
        a.join();
        b.join();
        assertEquals(1, refused.get());
        assertFalse(m.tryLock(), "still ours: the losing close released nothing");
        m.unlock();
        assertFree(m);
    }

    /**
     * main: lock | a: lockAsync (spins while nobody is parked, then queues) | b: lock (spins,
     * then parks) | main: unlock. The request takes the lock in its spin, or is queued and handed
     * it, or b gets it first; each of them holds it exactly once, never together.
     */
    @ConcurrencyTest(iterations = 400)
    void spinningRequestRacingUnlockAndAParkingThread() throws InterruptedException {
        RawMutex m = new RawMutex();
        counter = 0;
        m.lock();
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        Thread a = new Thread(() -> stages.add(m.lockAsync().thenAccept(g -> {
            assertFalse(m.isHeldByCurrentThread(), "guard-owned, whoever runs the stage");
            counter++;
            g.close();
        })));
        Thread b = new Thread(() -> {
            m.lock();
            counter++;
            m.unlock();
        });
        a.start();
        b.start();
        counter++;
        m.unlock();
        a.join();
        b.join();
        stages.getFirst().join();
        assertEquals(3, counter);
        assertFree(m);
    }
}
