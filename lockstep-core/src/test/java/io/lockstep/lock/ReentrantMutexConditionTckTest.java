package io.lockstep.lock;

import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.park.ParkingLot;
import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The TCK's Condition cases on ReentrantMutex, plus the ReentrantLock-only ones: hold counts
 * across await ({@code testAwaitLockCount}) and the queue monitoring methods
 * ({@code testGetQueueLength}, {@code testHasQueuedThreads}, {@code testHasQueuedThread}).
 * Modelled on the JSR-166 TCK's ReentrantLockTest; written fresh.
 */
class ReentrantMutexConditionTckTest extends ConditionTckContract {
    @Override
    protected Lock newLock() {
        return new ReentrantMutex();
    }

    @Test
    void testGetHoldCount() {
        ReentrantMutex lock = new ReentrantMutex();
        for (int i = 1; i <= 5; i++) {
            lock.lock();
            assertThat(lock.getHoldCount()).isEqualTo(i);
        }
        for (int i = 4; i >= 0; i--) {
            lock.unlock();
            assertThat(lock.getHoldCount()).isEqualTo(i);
        }
    }

    /** The TCK's testAwaitLockCount: every await variant restores the full hold count. */
    @ParameterizedTest
    @EnumSource(AwaitMethod.class)
    void testAwaitLockCount(AwaitMethod method) throws InterruptedException {
        ReentrantMutex lock = new ReentrantMutex();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        AtomicInteger countDuring = new AtomicInteger(-1), countAfter = new AtomicInteger(-1);
        TestThread t = TestThread.start("waiter", () -> {
            lock.lock();
            lock.lock();
            lock.lock();
            locked.countDown();
            await(c, method);
            countAfter.set(lock.getHoldCount());
            lock.unlock();
            lock.unlock();
            lock.unlock();
        });
        locked.await();
        lock.lock();                                  // possible only if await released all 3 holds
        countDuring.set(lock.getHoldCount());
        c.signal();
        lock.unlock();
        t.joinAndRethrow();
        assertThat(countDuring).hasValue(1);
        assertThat(countAfter).hasValue(3);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void holdCountRestoredAfterTimeoutAndInterrupt() throws InterruptedException {
        ReentrantMutex lock = new ReentrantMutex();
        Condition c = lock.newCondition();
        lock.lock();
        lock.lock();
        assertThat(c.await(10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(lock.getHoldCount()).isEqualTo(2);
        Thread.currentThread().interrupt();
        try {
            c.await();
        } catch (InterruptedException expected) {
            assertThat(lock.getHoldCount()).isEqualTo(2);
        }
        lock.unlock();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void testQueueMonitoring() throws InterruptedException {
        ReentrantMutex lock = new ReentrantMutex();
        assertThat(lock.hasQueuedThreads()).isFalse();
        assertThat(lock.getQueueLength()).isZero();
        lock.lock();
        TestThread t1 = TestThread.start("t1", () -> { lock.lock(); lock.unlock(); });
        Await.until(() -> lock.hasQueuedThread(t1.thread()), "t1 queued");
        TestThread t2 = TestThread.start("t2", () -> { lock.lock(); lock.unlock(); });
        Await.until(() -> lock.hasQueuedThread(t2.thread()), "t2 queued");
        assertThat(lock.getQueueLength()).isEqualTo(2);
        assertThat(lock.hasQueuedThreads()).isTrue();
        assertThat(ParkingLot.parkedThreads(lock)).containsExactly(t1.thread(), t2.thread());
        assertThat(lock.hasQueuedThread(Thread.currentThread())).isFalse();
        t1.interrupt();                                 // lock() ignores it: still queued
        Await.holds(Duration.ofMillis(10), () -> lock.getQueueLength() == 2, "both still queued");
        lock.unlock();
        t1.joinAndRethrow();
        t2.joinAndRethrow();
        assertThat(lock.hasQueuedThreads()).isFalse();
        assertThat(lock.getQueueLength()).isZero();
        assertThat(lock.hasQueuedThread(t1.thread())).isFalse();
    }

    @Test
    void queueMonitoringAfterACancelledWait() throws InterruptedException {
        ReentrantMutex lock = new ReentrantMutex();
        lock.lock();
        TestThread t = TestThread.start("t", () -> {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException expected) {
                return;
            }
            lock.unlock();
        });
        Await.until(() -> lock.hasQueuedThread(t.thread()), "queued");
        t.interrupt();
        t.joinAndRethrow();
        assertThat(lock.hasQueuedThreads()).isFalse();
        assertThat(lock.getQueueLength()).isZero();
        lock.unlock();
    }
}
