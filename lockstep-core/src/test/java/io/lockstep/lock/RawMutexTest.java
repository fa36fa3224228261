package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

/** RawMutex beyond the Lock contract: queries, unlockFair, hand-off races, eventual fairness. */
class RawMutexTest {

    @Test
    void queries() throws InterruptedException {
        RawMutex m = new RawMutex();
        assertThat(m.isLocked()).isFalse();
        assertThat(m.isHeldByCurrentThread()).isFalse();
        assertThat(m.toString()).contains("unlocked");
        m.lock();
        assertThat(m.isLocked()).isTrue();
        assertThat(m.isHeldByCurrentThread()).isTrue();
        assertThat(m.toString()).contains("locked by " + Thread.currentThread().getName());
        AtomicBoolean otherSeesHeld = new AtomicBoolean(true), otherSeesLocked = new AtomicBoolean();
        TestThread t = TestThread.start("other", () -> {
            otherSeesHeld.set(m.isHeldByCurrentThread());
            otherSeesLocked.set(m.isLocked());
        });
        t.joinAndRethrow();
        assertThat(otherSeesHeld).isFalse();
        assertThat(otherSeesLocked).isTrue();
        m.unlock();
        assertThat(m.isLocked()).isFalse();
        assertThat(m.isHeldByCurrentThread()).isFalse();
    }

    @Test
    void unlockWithoutHoldingLeavesTheStateAlone() throws InterruptedException {
        RawMutex m = new RawMutex();
        assertThatThrownBy(m::unlock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("does not hold");
        assertThatThrownBy(m::unlockFair).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(m.isLocked()).isFalse();
        TestThread holder = TestThread.start("holder", m::lock);       // ends holding it
        holder.joinAndRethrow();
        assertThatThrownBy(m::unlock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("held by");
        assertThat(m.isLocked()).isTrue();
    }

    /** Not reentrant, and says so: a second lock by the holder throws instead of hanging forever. */
    @Test
    void relockingByTheHolderThrowsAndLeavesTheLockHeldOnce() throws InterruptedException {
        RawMutex m = new RawMutex();
        Mutex<Integer> data = Mutex.of(m, 0);
        m.lock();
        try {
            assertThatThrownBy(m::lock).isInstanceOf(IllegalStateException.class).hasMessageContaining("not reentrant");
            assertThatThrownBy(m::lockInterruptibly).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(data::lock).isInstanceOf(IllegalStateException.class);
            assertThat(m.tryLock()).isFalse();
            long t0 = System.nanoTime();
            assertThat(m.tryLock(10, TimeUnit.SECONDS)).isFalse();           // at once, not after 10 s
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(m.isHeldByCurrentThread()).isTrue();
        } finally {
            m.unlock();
        }
        assertThat(m.isLocked()).isFalse();
        TestThread.start("other", () -> {                     // and nobody else is stuck behind it
            m.lock();
            m.unlock();
        }).joinAndRethrow();
    }

    @Test
    void queueMonitoring() throws InterruptedException {
        RawMutex m = new RawMutex();
        assertThat(m.hasQueuedThreads()).isFalse();
        m.lock();
        TestThread a = TestThread.start("a", () -> { m.lock(); m.unlock(); });
        Await.until(() -> m.getQueueLength() == 1, "a queued");
        assertThat(m.hasQueuedThreads()).isTrue();
        m.unlock();
        a.joinAndRethrow();
        assertThat(m.hasQueuedThreads()).isFalse();
        assertThat(m.getQueueLength()).isZero();
    }

    @Test
    void newConditionGivesIndependentConditions() {
        RawMutex m = new RawMutex();
        Condition a = m.newCondition(), b = m.newCondition();
        assertThat(a).isNotSameAs(b);
    }

    // ------------------------------------------------------------ unlockFair, bump

    @Test
    void unlockFairWithoutWaitersJustUnlocks() {
        RawMutex m = new RawMutex();
        m.lock();
        m.unlockFair();
        assertThat(m.isLocked()).isFalse();
        assertThat(m.tryLock()).isTrue();
        m.unlock();
    }

    @Test
    void unlockFairHandsTheLockStraightToTheLongestWaiter() throws InterruptedException {
        RawMutex m = new RawMutex();
        List<String> order = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch checked = new java.util.concurrent.CountDownLatch(1);
        m.lock();
        TestThread a = TestThread.start("a", () -> {
            m.lock();
            order.add("a");
            checked.await();                               // hold it until main has looked
            m.unlock();
        });
        Await.until(() -> m.getQueueLength() == 1, "a queued");
        TestThread b = TestThread.start("b", () -> { m.lock(); order.add("b"); m.unlock(); });
        Await.until(() -> m.getQueueLength() == 2, "b queued");
        m.unlockFair();
        // Handed over: the lock never became free, so we cannot barge back in.
        assertThat(m.isLocked()).isTrue();
        assertThat(m.tryLock()).isFalse();
        checked.countDown();
        a.joinAndRethrow();
        b.joinAndRethrow();
        assertThat(order).containsExactly("a", "b");
    }

    @Test
    void bumpLetsAWaiterIn() throws InterruptedException {
        RawMutex m = new RawMutex();
        List<String> order = new CopyOnWriteArrayList<>();
        m.lock();
        TestThread a = TestThread.start("a", () -> { m.lock(); order.add("a"); m.unlock(); });
        Await.until(() -> m.getQueueLength() == 1, "a queued");
        m.bump();
        order.add("main");
        assertThat(m.isHeldByCurrentThread()).isTrue();
        m.unlock();
        a.joinAndRethrow();
        assertThat(order).containsExactly("a", "main");
    }

    // ------------------------------------------------------------ races at the hand-off

    /**
     * A waiter whose timeout expires just as the lock is handed to it must take the lock (and
     * report success), never leave it LOCKED with nobody owning it.
     */
    @Test
    void handOffRacingATimeoutNeverStrandsTheLock() throws InterruptedException {
        RawMutex m = new RawMutex();
        int rounds = Stress.iterations(300);
        int acquired = 0;
        for (int i = 0; i < rounds; i++) {
            m.lock();
            AtomicBoolean got = new AtomicBoolean();
            long timeoutNanos = 200_000 + (i % 20) * 50_000;       // 0.2 .. 1.2 ms
            TestThread w = TestThread.start("w", () -> {
                if (m.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                    got.set(true);
                    assertThat(m.isHeldByCurrentThread()).isTrue();
                    m.unlock();
                }
            });
            long spin = System.nanoTime() + timeoutNanos;
            while (System.nanoTime() < spin) Thread.onSpinWait();
            if (i % 2 == 0) m.unlockFair(); else m.unlock();
            w.joinAndRethrow();
            if (got.get()) acquired++;
            assertThat(m.tryLock(5, TimeUnit.SECONDS)).as("round %d: lock usable, got=%s", i, got).isTrue();
            m.unlock();
        }
        assertThat(acquired).isBetween(0, rounds);
    }

    /** The same for an interrupt racing the hand-off: either IE and the lock is not ours, or the lock. */
    @Test
    void handOffRacingAnInterruptNeverStrandsTheLock() throws InterruptedException {
        RawMutex m = new RawMutex();
        int rounds = Stress.iterations(300);
        for (int i = 0; i < rounds; i++) {
            m.lock();
            TestThread w = TestThread.start("w", () -> {
                try {
                    m.lockInterruptibly();
                } catch (InterruptedException e) {
                    assertThat(m.isHeldByCurrentThread()).isFalse();
                    return;
                }
                m.unlock();
            });
            Await.until(() -> m.getQueueLength() == 1, "queued");
            Thread.sleep(1);                                      // long enough for a fair hand-off
            w.interrupt();
            m.unlock();
            w.joinAndRethrow();
            assertThat(m.tryLock(5, TimeUnit.SECONDS)).as("round %d", i).isTrue();
            m.unlock();
        }
    }

    // ------------------------------------------------------------ eventual fairness

    /**
     * Two threads hammer the lock back to back (each re-locks immediately, so barging would let
     * them starve anyone else); a third thread asking for the lock must still get it, thanks to
     * the hand-off after ~0.5 ms. Asserts that it acquires at all within the timeout.
     */
    @Test
    void aWaiterIsNotStarvedByTwoHammeringThreads() throws InterruptedException {
        RawMutex m = new RawMutex();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong hammered = new AtomicLong();
        List<TestThread> hammers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            hammers.add(TestThread.start("hammer-" + i, () -> {
                while (!stop.get()) {
                    m.lock();
                    try {
                        hammered.incrementAndGet();
                        for (int spin = 0; spin < 50; spin++) Thread.onSpinWait();
                    } finally {
                        m.unlock();
                    }
                }
            }));
        }
        Await.until(() -> hammered.get() > 1000, "hammering");
        for (int round = 0; round < 20; round++) {
            AtomicBoolean got = new AtomicBoolean();
            TestThread third = TestThread.start("third", () -> {
                if (m.tryLock(10, TimeUnit.SECONDS)) {
                    got.set(true);
                    m.unlock();
                }
            });
            third.joinAndRethrow();
            assertThat(got).as("round %d: the third thread acquired within the timeout", round).isTrue();
        }
        stop.set(true);
        for (TestThread t : hammers) t.joinAndRethrow();
    }
}
