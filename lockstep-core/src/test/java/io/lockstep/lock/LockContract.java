package io.lockstep.lock;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Lock} in Lockstep must do, whatever its algorithm. One subclass per lock:
 *
 * <pre>{@code
 * class TicketLockLockContractTest extends LockContract {
 *     @Override protected Lock newLock() { return new TicketLock(); }
 *     @Override protected boolean reentrant() { return false; }
 *     @Override protected boolean supportsConditions() { return false; }
 * }
 * }</pre>
 *
 * The class and its tests are public so that subclasses may live in the lock's own test package
 * ({@code io.lockstep.spin}...); {@code io.lockstep.testing.ReentrantLockLockContractTest} does
 * exactly that. A lock whose waiters spin rather than park is fine here: tests that need "the other thread is
 * now waiting" give a spinning thread a short grace period instead of demanding a blocked state.
 * The Condition tests proper (every await variant, FIFO, the TCK's cases) live in
 * {@link ConditionTckContract}; here only what a lock without conditions must do instead.
 */
public abstract class LockContract {

    /** A new, unlocked lock. */
    protected abstract Lock newLock();

    /** Whether the owner may lock again (and must unlock as many times). */
    protected abstract boolean reentrant();

    /** Whether {@link Lock#newCondition()} works; if not it must throw UnsupportedOperationException. */
    protected abstract boolean supportsConditions();

    /** How long a "the other thread should be waiting now" pause is for spinning waiters. */
    protected Duration spinGrace() {
        return Duration.ofMillis(100);
    }

    private TestThread waiting(TestThread t) {
        return t.awaitBlockedOrSpinning(spinGrace());
    }

    /** Holds {@code lock} on another thread until {@code release} counts down. */
    private static TestThread holdElsewhere(Lock lock, CountDownLatch release) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        TestThread t = TestThread.start("holder", () -> {
            lock.lock();
            try {
                held.countDown();
                release.await();
            } finally {
                lock.unlock();
            }
        });
        assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
        return t;
    }

    // ------------------------------------------------------------ mutual exclusion

    @Test
    public void lockAndUnlock() {
        Lock lock = newLock();
        lock.lock();
        lock.unlock();
        lock.lock();
        lock.unlock();
    }

    @Test
    public void mutualExclusionUnderStress() throws InterruptedException {
        Lock lock = newLock();
        int threads = 4, iterations = Stress.iterations(20_000);
        long[] counter = {0};
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        List<TestThread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(TestThread.start("stress-" + t, () -> {
                for (int i = 0; i < iterations; i++) {
                    switch ((i + id) % 3) {
                        case 0 -> lock.lock();
                        case 1 -> lock.lockInterruptibly();
                        default -> { while (!lock.tryLock()) Thread.onSpinWait(); }
                    }
                    try {
                        if (inside.incrementAndGet() != 1) overlap.set(true);
                        counter[0]++;                         // plain: the lock must order it
                        inside.decrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (TestThread t : ts) t.joinAndRethrow();
        assertThat(overlap).as("two threads inside at once").isFalse();
        assertThat(counter[0]).isEqualTo((long) threads * iterations);
    }

    @Test
    public void mutualExclusionWithVirtualThreads() throws InterruptedException {
        Lock lock = newLock();
        int threads = 64, iterations = Stress.iterations(500);
        long[] counter = {0};
        List<TestThread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(TestThread.startVirtual("v" + t, () -> {
                for (int i = 0; i < iterations; i++) {
                    lock.lock();
                    try {
                        counter[0]++;
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (TestThread t : ts) t.joinAndRethrow();
        assertThat(counter[0]).isEqualTo((long) threads * iterations);
    }

    // ------------------------------------------------------------ tryLock

    @Test
    public void tryLockSucceedsWhenFreeAndFailsWhenHeldElsewhere() throws InterruptedException {
        Lock lock = newLock();
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(lock, release);
        assertThat(lock.tryLock()).isFalse();
        release.countDown();
        holder.joinAndRethrow();
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
    }

    @Test
    public void timedTryLockTimesOut() throws InterruptedException {
        Lock lock = newLock();
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(lock, release);
        long start = System.nanoTime();
        assertThat(lock.tryLock(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        release.countDown();
        holder.joinAndRethrow();
    }

    @Test
    public void timedTryLockSucceedsWhenReleasedInTime() throws InterruptedException {
        Lock lock = newLock();
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(lock, release);
        AtomicBoolean got = new AtomicBoolean();
        TestThread waiter = TestThread.start("waiter", () -> {
            got.set(lock.tryLock(20, TimeUnit.SECONDS));
            if (got.get()) lock.unlock();
        });
        waiting(waiter);
        release.countDown();
        waiter.joinAndRethrow();
        holder.joinAndRethrow();
        assertThat(got).isTrue();
    }

    @Test
    public void zeroAndNegativeTimeoutsDoNotWait() throws InterruptedException {
        Lock lock = newLock();
        assertThat(lock.tryLock(0, TimeUnit.NANOSECONDS)).isTrue();
        lock.unlock();
        assertThat(lock.tryLock(-5, TimeUnit.SECONDS)).isTrue();
        lock.unlock();
        assertThat(lock.tryLock(Long.MIN_VALUE, TimeUnit.DAYS)).isTrue();
        lock.unlock();
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(lock, release);
        long start = System.nanoTime();
        assertThat(lock.tryLock(0, TimeUnit.SECONDS)).isFalse();
        assertThat(lock.tryLock(-1, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(System.nanoTime() - start).as("no waiting").isLessThan(TimeUnit.SECONDS.toNanos(2));
        release.countDown();
        holder.joinAndRethrow();
    }

    @Test
    public void hugeTimeoutsMeanWaitForever() throws InterruptedException {
        Lock lock = newLock();
        assertThat(lock.tryLock(Long.MAX_VALUE, TimeUnit.DAYS)).isTrue();
        lock.unlock();
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(lock, release);
        AtomicBoolean got = new AtomicBoolean();
        TestThread waiter = TestThread.start("waiter", () -> {
            got.set(lock.tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            if (got.get()) lock.unlock();
        });
        waiting(waiter);
        release.countDown();
        waiter.joinAndRethrow();
        holder.joinAndRethrow();
        assertThat(got).isTrue();
    }

    @Test
    public void timedTryLockRejectsANullUnit() {
        Lock lock = newLock();
        assertThatThrownBy(() -> lock.tryLock(1, null)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------ interrupts

    @Test
    public void lockInterruptiblyThrowsWhenInterruptedBefore() {
        Lock lock = newLock();
        Thread.currentThread().interrupt();
        assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("interrupt status cleared").isFalse();
        assertThat(lock.tryLock()).as("not left locked").isTrue();
        lock.unlock();
    }

    @Test
    public void timedTryLockThrowsWhenInterruptedBefore() {
        Lock lock = newLock();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> lock.tryLock(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
    }

    @Test
    public void lockInterruptiblyThrowsWhenInterruptedWhileWaiting() throws InterruptedException {
        Lock lock = newLock();
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(lock, release);
        AtomicBoolean threw = new AtomicBoolean();
        TestThread waiter = TestThread.start("waiter", () -> {
            try {
                lock.lockInterruptibly();
                lock.unlock();
            } catch (InterruptedException expected) {
                threw.set(true);
            }
        });
        waiting(waiter).interrupt();
        waiter.joinAndRethrow();
        assertThat(threw).isTrue();
        release.countDown();
        holder.joinAndRethrow();
        assertThat(lock.tryLock()).as("a cancelled waiter leaves the lock usable").isTrue();
        lock.unlock();
    }

    @Test
    public void timedTryLockThrowsWhenInterruptedWhileWaiting() throws InterruptedException {
        Lock lock = newLock();
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(lock, release);
        AtomicBoolean threw = new AtomicBoolean();
        TestThread waiter = TestThread.start("waiter", () -> {
            try {
                if (lock.tryLock(20, TimeUnit.SECONDS)) lock.unlock();
            } catch (InterruptedException expected) {
                threw.set(true);
            }
        });
        waiting(waiter).interrupt();
        waiter.joinAndRethrow();
        assertThat(threw).isTrue();
        release.countDown();
        holder.joinAndRethrow();
    }

    @Test
    public void lockIgnoresInterruptsButKeepsTheStatus() throws InterruptedException {
        Lock lock = newLock();
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(lock, release);
        AtomicBoolean interruptedInside = new AtomicBoolean();
        TestThread waiter = TestThread.start("waiter", () -> {
            lock.lock();
            interruptedInside.set(Thread.currentThread().isInterrupted());
            lock.unlock();
        });
        waiting(waiter).interrupt();
        Await.holds(Duration.ofMillis(20), waiter::isAlive, "lock() is not interruptible");
        release.countDown();
        waiter.joinAndRethrow();
        holder.joinAndRethrow();
        assertThat(interruptedInside).isTrue();
    }

    // ------------------------------------------------------------ ownership

    @Test
    public void unlockWithoutHoldingThrowsImse() {
        Lock lock = newLock();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(lock.tryLock()).as("state unchanged").isTrue();
        lock.unlock();
    }

    @Test
    public void unlockByANonOwnerThrowsImseAndLeavesTheLockHeld() throws InterruptedException {
        Lock lock = newLock();
        lock.lock();
        AtomicBoolean threw = new AtomicBoolean(), gotIt = new AtomicBoolean();
        TestThread other = TestThread.start("other", () -> {
            try {
                lock.unlock();
            } catch (IllegalMonitorStateException expected) {
                threw.set(true);
            }
            gotIt.set(lock.tryLock());
        });
        other.joinAndRethrow();
        assertThat(threw).isTrue();
        assertThat(gotIt).as("still held by the owner").isFalse();
        lock.unlock();
    }

    @Test
    public void reentrancy() throws InterruptedException {
        Lock lock = newLock();
        lock.lock();
        if (reentrant()) {
            assertThat(lock.tryLock()).isTrue();
            lock.lock();
            lock.unlock();
            lock.unlock();
            AtomicBoolean other = new AtomicBoolean(true);
            TestThread t = TestThread.start("other", () -> other.set(lock.tryLock()));
            t.joinAndRethrow();
            assertThat(other).as("still held once").isFalse();
            lock.unlock();
            assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        } else {
            assertThat(lock.tryLock()).as("a non-reentrant lock refuses its owner").isFalse();
            assertThat(lock.tryLock(0, TimeUnit.SECONDS)).isFalse();
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ conditions

    @Test
    public void conditionsUnsupported() {
        assumeFalse(supportsConditions());
        assertThatThrownBy(() -> newLock().newCondition()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    public void conditionAwaitReleasesTheLockAndSignalWakes() throws InterruptedException {
        assumeTrue(supportsConditions());
        Lock lock = newLock();
        Condition c = lock.newCondition();
        AtomicBoolean ready = new AtomicBoolean();
        TestThread waiter = TestThread.start("waiter", () -> {
            lock.lock();
            try {
                while (!ready.get()) c.await();
            } finally {
                lock.unlock();
            }
        });
        waiting(waiter);
        lock.lock();                     // possible only because await released it
        try {
            ready.set(true);
            c.signal();
        } finally {
            lock.unlock();
        }
        waiter.joinAndRethrow();
    }

    @Test
    public void conditionMethodsWithoutTheLockThrowImse() {
        assumeTrue(supportsConditions());
        Condition c = newLock().newCondition();
        assertThatThrownBy(c::await).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signalAll).isInstanceOf(IllegalMonitorStateException.class);
    }
}
