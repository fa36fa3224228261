package io.lockstep.lock;

import java.time.Duration;
import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Lock/Condition behaviour that the JSR-166 TCK checks for ReentrantLock: every await
 * variant against signal and signalAll, FIFO order of signal, interrupts before and during
 * waits, timeouts, and IllegalMonitorStateException without the lock.
 *
 * <p>Modelled on the TCK's {@code ReentrantLockTest} (Doug Lea and others, public domain):
 * the cases and their names ({@code testAwait_Timeout}, {@code testSignalAll},
 * {@code testAwait_Interruptible}, {@code AwaitMethod}...) follow it; the code is written fresh
 * with JUnit 5 and AssertJ. Changes: no {@code hasWaiters}/{@code getWaitQueueLength} (Lockstep's
 * conditions do not expose their queue), so "the waiter is queued" is established by the
 * waiter counting down a latch with the lock held and the test then taking the lock, which is
 * possible only once await has queued the waiter and released the lock.
 */
public abstract class ConditionTckContract {

    /** A new, unlocked lock with condition support. */
    protected abstract Lock newLock();

    /** How long the TCK's LONG_DELAY_MS is here: a wait that must not time out. */
    protected static final long LONG_DELAY_MS = 20_000;
    /** A wait that must time out. */
    protected static final long SHORT_DELAY_MS = 50;

    /** Whether the current thread holds {@code lock}; override for locks this class does not know. */
    protected boolean isHeldByCurrentThread(Lock lock) {
        return heldByCurrentThread(lock);
    }

    public enum AwaitMethod { await, awaitTimed, awaitNanos, awaitUntil, awaitUninterruptibly }

    /** Awaits {@code c} with {@code method}, asserting that it did not time out. */
    protected static void await(Condition c, AwaitMethod method) throws InterruptedException {
        switch (method) {
            case await -> c.await();
            case awaitTimed -> assertThat(c.await(2 * LONG_DELAY_MS, TimeUnit.MILLISECONDS)).isTrue();
            case awaitNanos -> assertThat(c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(2 * LONG_DELAY_MS))).isPositive();
            case awaitUntil -> assertThat(c.awaitUntil(new Date(System.currentTimeMillis() + 2 * LONG_DELAY_MS))).isTrue();
            case awaitUninterruptibly -> c.awaitUninterruptibly();
        }
    }

    /** Starts a thread that locks, says so, awaits {@code c} once with {@code method}, and unlocks. */
    private TestThread startWaiter(String name, Lock lock, Condition c, AwaitMethod method, List<String> order) {
        CountDownLatch locked = new CountDownLatch(1);
        TestThread t = TestThread.start(name, () -> {
            lock.lock();
            try {
                locked.countDown();
                await(c, method);
                assertThat(isHeldByCurrentThread(lock)).isTrue();
                if (order != null) order.add(name);
            } finally {
                lock.unlock();
            }
        });
        awaitQueued(lock, locked);
        return t;
    }

    /** After {@code locked} counts down, taking the lock proves the waiter is queued and released it. */
    private static void awaitQueued(Lock lock, CountDownLatch locked) {
        try {
            assertThat(locked.await(LONG_DELAY_MS, TimeUnit.MILLISECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        lock.lock();
        lock.unlock();
    }

    private static boolean heldByCurrentThread(Lock lock) {
        return switch (lock) {
            case RawMutex m -> m.isHeldByCurrentThread();
            case ReentrantMutex m -> m.isHeldByCurrentThread();
            case java.util.concurrent.locks.ReentrantLock m -> m.isHeldByCurrentThread();
            default -> throw new AssertionError("unknown lock " + lock);
        };
    }

    // ------------------------------------------------------------ IMSE

    @ParameterizedTest
    @EnumSource(AwaitMethod.class)
    public void testAwait_IMSE(AwaitMethod method) {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        long start = System.nanoTime();
        assertThatThrownBy(() -> await(c, method)).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(LONG_DELAY_MS));
    }

    @Test
    public void testSignal_IMSE() {
        Condition c = newLock().newCondition();
        assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signalAll).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    public void awaitWithTheLockHeldByAnotherThreadThrowsImse() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        CountDownLatch release = new CountDownLatch(1), held = new CountDownLatch(1);
        TestThread holder = TestThread.start("holder", () -> {
            lock.lock();
            held.countDown();
            release.await();
            lock.unlock();
        });
        held.await();
        assertThatThrownBy(c::await).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
        release.countDown();
        holder.joinAndRethrow();
    }

    // ------------------------------------------------------------ timeouts

    @Test
    public void testAwaitNanos_Timeout() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        lock.lock();
        try {
            long start = System.nanoTime();
            long left = c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(SHORT_DELAY_MS));
            assertThat(left).isLessThanOrEqualTo(0);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(SHORT_DELAY_MS));
            assertThat(isHeldByCurrentThread(lock)).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    public void testAwait_Timeout() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        lock.lock();
        try {
            long start = System.nanoTime();
            assertThat(c.await(SHORT_DELAY_MS, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(SHORT_DELAY_MS));
            assertThat(isHeldByCurrentThread(lock)).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    public void testAwaitUntil_Timeout() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        lock.lock();
        try {
            Date deadline = new Date(System.currentTimeMillis() + SHORT_DELAY_MS);
            assertThat(c.awaitUntil(deadline)).isFalse();
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(deadline.getTime());
            assertThat(isHeldByCurrentThread(lock)).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    public void zeroAndNegativeTimeoutsReturnAtOnceWithTheLockHeld() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        lock.lock();
        try {
            assertThat(c.awaitNanos(0)).isLessThanOrEqualTo(0);
            assertThat(c.awaitNanos(-1)).isLessThanOrEqualTo(0);
            assertThat(c.awaitNanos(Long.MIN_VALUE)).isLessThanOrEqualTo(0);
            assertThat(c.await(0, TimeUnit.SECONDS)).isFalse();
            assertThat(c.await(-1, TimeUnit.SECONDS)).isFalse();
            assertThat(c.awaitUntil(new Date(0))).isFalse();
            assertThat(c.awaitUntil(new Date(System.currentTimeMillis() - 1000))).isFalse();
            assertThat(isHeldByCurrentThread(lock)).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    public void awaitUntilNullThrowsNpe() {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        lock.lock();
        try {
            assertThatThrownBy(() -> c.awaitUntil(null)).isInstanceOf(NullPointerException.class);
            assertThat(isHeldByCurrentThread(lock)).isTrue();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ signal, signalAll

    @ParameterizedTest
    @EnumSource(AwaitMethod.class)
    public void testAwait(AwaitMethod method) throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        TestThread t = startWaiter("waiter", lock, c, method, null);
        lock.lock();
        c.signal();
        lock.unlock();
        t.joinAndRethrow();
    }

    @ParameterizedTest
    @EnumSource(AwaitMethod.class)
    public void testSignalAll(AwaitMethod method) throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        TestThread t1 = startWaiter("t1", lock, c, method, null);
        TestThread t2 = startWaiter("t2", lock, c, method, null);
        lock.lock();
        c.signalAll();
        lock.unlock();
        t1.joinAndRethrow();
        t2.joinAndRethrow();
    }

    @Test
    public void testSignal_NoWaiters() {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        lock.lock();
        try {
            c.signal();
            c.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** signal wakes the longest waiter first (the TCK's testSignalWakesFifo). */
    @ParameterizedTest
    @EnumSource(AwaitMethod.class)
    public void testSignalWakesFifo(AwaitMethod method) throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        List<String> order = new CopyOnWriteArrayList<>();
        List<TestThread> ts = new ArrayList<>();
        for (int i = 0; i < 3; i++) ts.add(startWaiter("t" + i, lock, c, method, order));
        for (int i = 0; i < 3; i++) {
            lock.lock();
            c.signal();
            lock.unlock();
            ts.get(i).joinAndRethrow();
            assertThat(order).hasSize(i + 1).last().isEqualTo("t" + i);
        }
    }

    @Test
    public void signalAllWakesEveryWaiterEvenWhileTheLockIsHeldLonger() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        List<String> order = new CopyOnWriteArrayList<>();
        List<TestThread> ts = new ArrayList<>();
        for (int i = 0; i < 5; i++) ts.add(startWaiter("t" + i, lock, c, AwaitMethod.await, order));
        lock.lock();
        try {
            c.signalAll();
            Await.holds(Duration.ofMillis(20), order::isEmpty, "the woken wait for the lock");
        } finally {
            lock.unlock();
        }
        for (TestThread t : ts) t.joinAndRethrow();
        assertThat(order).hasSize(5);
    }

    @Test
    public void signalWakesOnlyItsOwnCondition() throws InterruptedException {
        Lock lock = newLock();
        Condition a = lock.newCondition(), b = lock.newCondition();
        List<String> order = new CopyOnWriteArrayList<>();
        TestThread onA = startWaiter("a", lock, a, AwaitMethod.await, order);
        TestThread onB = startWaiter("b", lock, b, AwaitMethod.await, order);
        lock.lock();
        b.signal();
        lock.unlock();
        onB.joinAndRethrow();
        assertThat(order).containsExactly("b");
        assertThat(onA.isAlive()).isTrue();
        lock.lock();
        a.signalAll();
        lock.unlock();
        onA.joinAndRethrow();
    }

    // ------------------------------------------------------------ interrupts

    @ParameterizedTest
    @EnumSource(value = AwaitMethod.class, names = "awaitUninterruptibly", mode = EnumSource.Mode.EXCLUDE)
    public void testInterruptible_interruptedBefore(AwaitMethod method) {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        lock.lock();
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> await(c, method)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
            assertThat(isHeldByCurrentThread(lock)).as("still holds the lock").isTrue();
        } finally {
            lock.unlock();
        }
    }

    @ParameterizedTest
    @EnumSource(value = AwaitMethod.class, names = "awaitUninterruptibly", mode = EnumSource.Mode.EXCLUDE)
    public void testAwait_Interruptible(AwaitMethod method) throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        AtomicBoolean heldWhenThrown = new AtomicBoolean();
        TestThread t = TestThread.start("waiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                await(c, method);
                throw new AssertionError("no InterruptedException");
            } catch (InterruptedException expected) {
                heldWhenThrown.set(isHeldByCurrentThread(lock));
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            } finally {
                lock.unlock();
            }
        });
        awaitQueued(lock, locked);
        t.interrupt();
        t.joinAndRethrow();
        assertThat(heldWhenThrown).as("the lock is re-taken before the throw").isTrue();
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
    }

    /** An interrupt while the lock is still held by the interrupter: the waiter must re-take it first. */
    @Test
    public void interruptedWaiterWaitsForTheLockBeforeThrowing() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        AtomicBoolean thrown = new AtomicBoolean();
        TestThread t = TestThread.start("waiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                c.await();
            } catch (InterruptedException expected) {
                thrown.set(true);
            } finally {
                lock.unlock();
            }
        });
        awaitQueued(lock, locked);
        lock.lock();
        try {
            t.interrupt();
            Await.holds(Duration.ofMillis(20), () -> !thrown.get(), "cannot return before we unlock");
        } finally {
            lock.unlock();
        }
        t.joinAndRethrow();
        assertThat(thrown).isTrue();
    }

    @Test
    public void testAwaitUninterruptibly() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        TestThread t = TestThread.start("waiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                c.awaitUninterruptibly();
                interruptedAfter.set(Thread.interrupted());
            } finally {
                lock.unlock();
            }
        });
        awaitQueued(lock, locked);
        t.interrupt();
        Await.holds(Duration.ofMillis(20), t::isAlive, "an interrupt does not end awaitUninterruptibly");
        lock.lock();
        c.signal();
        lock.unlock();
        t.joinAndRethrow();
        assertThat(interruptedAfter).as("interrupt status kept").isTrue();
    }

    @Test
    public void awaitUninterruptiblyWhenInterruptedBeforeStillWaits() throws InterruptedException {
        Lock lock = newLock();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        TestThread t = TestThread.start("waiter", () -> {
            lock.lock();
            try {
                Thread.currentThread().interrupt();
                locked.countDown();
                c.awaitUninterruptibly();
                interruptedAfter.set(Thread.interrupted());
            } finally {
                lock.unlock();
            }
        });
        awaitQueued(lock, locked);
        assertThat(t.isAlive()).isTrue();
        lock.lock();
        c.signal();
        lock.unlock();
        t.joinAndRethrow();
        assertThat(interruptedAfter).isTrue();
    }

    // ------------------------------------------------------------ no lost signal

    @Test
    public void producerConsumerNeverLosesASignal() throws InterruptedException {
        Lock lock = newLock();
        Condition notEmpty = lock.newCondition(), notFull = lock.newCondition();
        int[] box = {0};
        boolean[] full = {false};
        int n = io.lockstep.testing.Stress.iterations(5_000);
        long[] sum = {0};
        TestThread consumer = TestThread.start("consumer", () -> {
            for (int i = 0; i < n; i++) {
                lock.lock();
                try {
                    while (!full[0]) notEmpty.await();
                    sum[0] += box[0];
                    full[0] = false;
                    notFull.signal();
                } finally {
                    lock.unlock();
                }
            }
        });
        for (int i = 1; i <= n; i++) {
            lock.lock();
            try {
                while (full[0]) notFull.await();
                box[0] = i;
                full[0] = true;
                notEmpty.signal();
            } finally {
                lock.unlock();
            }
        }
        consumer.joinAndRethrow();
        assertThat(sum[0]).isEqualTo((long) n * (n + 1) / 2);
    }
}
