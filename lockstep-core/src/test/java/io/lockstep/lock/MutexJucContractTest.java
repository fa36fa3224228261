package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RawMutex and ReentrantMutex against ReentrantLock's contracts: the monitoring methods and their
 * exceptions, every timed method at the extremes of every TimeUnit and of Duration, and each
 * documented difference from java.util.concurrent.
 */
class MutexJucContractTest {
    private static final Duration QUICK = Duration.ofSeconds(5);   // "at once", on 2 loaded cores

    static List<Supplier<MutexCore>> mutexes() {
        return List.of(RawMutex::new, ReentrantMutex::new);
    }

    // ---------------------------------------------------------------- timeouts at the extremes

    /** Issue 12 item 6: the deadline overflowed and the wait never returned. */
    @ParameterizedTest
    @MethodSource("mutexes")
    void awaitUntilAPastDateReturnsFalseAtOnce(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        Condition c = m.newCondition();
        TestThread t = TestThread.start("awaitUntil", () -> {
            for (long at : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, System.currentTimeMillis() - 1}) {
                m.lock();
                try {
                    assertThat(c.awaitUntil(new Date(at))).as("awaitUntil(%d)", at).isFalse();
                    assertThat(m.heldByCurrentThread()).isTrue();
                } finally {
                    m.unlock();
                }
            }
        });
        t.join(QUICK);
        t.rethrow();
    }

    @ParameterizedTest
    @MethodSource("mutexes")
    void awaitUntilTheEndOfTimeWaitsForASignal(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        Condition c = m.newCondition();
        TestThread t = TestThread.start("awaitUntil(max)", () -> {
            m.lock();
            try {
                assertThat(c.awaitUntil(new Date(Long.MAX_VALUE))).isTrue();
            } finally {
                m.unlock();
            }
        });
        signalWhenWaiting(m, c, t);
    }

    @ParameterizedTest
    @MethodSource("mutexes")
    void timedMethodsWithTheSmallestTimeoutInEveryUnitDoNotWait(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        Condition c = m.newCondition();
        m.lock();                                             // held: the other thread must not wait
        TestThread t = TestThread.start("min", () -> {
            for (TimeUnit u : TimeUnit.values()) {
                assertThat(m.tryLock(Long.MIN_VALUE, u)).as("tryLock(MIN, %s) on a held lock", u).isFalse();
                assertThat(m.tryLock(0, u)).isFalse();
            }
        });
        t.join(QUICK);
        t.rethrow();
        for (TimeUnit u : TimeUnit.values()) {
            assertThat(c.await(Long.MIN_VALUE, u)).as("await(MIN, %s)", u).isFalse();
        }
        m.unlock();
    }

    @ParameterizedTest
    @MethodSource("mutexes")
    void awaitNanosAtTheExtremes(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        Condition c = m.newCondition();
        m.lock();
        try {
            assertThat(c.awaitNanos(Long.MIN_VALUE)).isLessThanOrEqualTo(0);
            assertThat(c.awaitNanos(0)).isLessThanOrEqualTo(0);
        } finally {
            m.unlock();
        }
        TestThread t = TestThread.start("awaitNanos(max)", () -> {
            m.lock();
            try {
                assertThat(c.awaitNanos(Long.MAX_VALUE)).isPositive();
            } finally {
                m.unlock();
            }
        });
        signalWhenWaiting(m, c, t);
    }

    @ParameterizedTest
    @MethodSource("mutexes")
    void timedMethodsWithTheLargestTimeoutInEveryUnitWaitAndSucceed(Supplier<MutexCore> make) throws InterruptedException {
        for (TimeUnit u : TimeUnit.values()) {
            MutexCore m = make.get();
            Condition c = m.newCondition();
            m.lock();
            TestThread t = TestThread.start("max " + u, () -> {
                assertThat(m.tryLock(Long.MAX_VALUE, u)).as("tryLock(MAX, %s)", u).isTrue();
                try {
                    assertThat(c.await(Long.MAX_VALUE, u)).as("await(MAX, %s)", u).isTrue();
                } finally {
                    m.unlock();
                }
            });
            Await.until(() -> m.hasQueuedThread(t.thread()), "the tryLock(MAX) parks");
            m.unlock();
            signalWhenWaiting(m, c, t);
        }
    }

    @Test
    void mutexTryLockAtTheDurationExtremes() throws InterruptedException {
        Mutex<Integer> mutex = Mutex.of(0);
        Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), min = Duration.ofSeconds(Long.MIN_VALUE);
        mutex.tryLock(max).orElseThrow().close();
        mutex.tryLock(min).orElseThrow().close();
        assertThatThrownBy(() -> mutex.tryLock(null)).isInstanceOf(NullPointerException.class);
        try (MutexGuard<Integer> g = mutex.lock()) {
            TestThread t = TestThread.start("min", () -> {
                assertThat(mutex.tryLock(min)).isEmpty();
                assertThat(mutex.tryLock(Duration.ZERO)).isEmpty();
            });
            t.join(QUICK);
            t.rethrow();
        }
        RawMutex raw = (RawMutex) mutex.rawLock();
        MutexGuard<Integer> held = mutex.lock();
        TestThread t = TestThread.start("max", () -> mutex.tryLock(max).orElseThrow().close());
        Await.until(() -> raw.hasQueuedThread(t.thread()), "tryLock(max Duration) parks");
        held.close();
        t.joinAndRethrow();
    }

    @Test
    void condvarWaitsAtTheDurationExtremes() throws InterruptedException {
        Mutex<Boolean> ready = Mutex.of(false);
        Condvar cv = new Condvar();
        Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), min = Duration.ofSeconds(Long.MIN_VALUE);
        try (MutexGuard<Boolean> g = ready.lock()) {
            assertThat(cv.await(g, min)).isFalse();
            assertThat(cv.awaitWhile(g, r -> !r, min)).isFalse();
        }
        TestThread t = TestThread.start("max", () -> {
            try (MutexGuard<Boolean> g = ready.lock()) {
                assertThat(cv.awaitWhile(g, r -> !r, max)).isTrue();
            }
        });
        t.awaitBlocked();
        ready.update(r -> true);
        cv.notifyAllWaiters();
        t.joinAndRethrow();
    }

    // ---------------------------------------------------------------- monitoring

    /** Issue 12 item 9: returned false where ReentrantLock throws. */
    @ParameterizedTest
    @MethodSource("mutexes")
    void hasQueuedThreadOfNullThrows(Supplier<MutexCore> make) {
        assertThatThrownBy(() -> make.get().hasQueuedThread(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ReentrantLock().hasQueuedThread(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @MethodSource("mutexes")
    void queueMonitoringSeesAParkedThread(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        assertThat(m.isFair()).isFalse();
        assertThat(m.getQueuedThreads()).isEmpty();
        m.lock();
        TestThread t = TestThread.start("queued", () -> {
            m.lock();
            m.unlock();
        });
        Await.until(() -> m.hasQueuedThread(t.thread()), "the contender parks");
        assertThat(m.hasQueuedThreads()).isTrue();
        assertThat(m.getQueueLength()).isEqualTo(1);
        assertThat(m.getQueuedThreads()).containsExactly(t.thread());
        m.unlock();
        t.joinAndRethrow();
        assertThat(m.hasQueuedThread(t.thread())).isFalse();
        assertThat(m.getQueuedThreads()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("mutexes")
    void conditionMonitoringSeesWaitersAndChecksItsArguments(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        Condition c = m.newCondition();
        Condition foreign = make.get().newCondition(), juc = new ReentrantLock().newCondition();
        // Not held: ReentrantLock's order of checks is null, foreign, then ownership.
        assertThatThrownBy(() -> m.hasWaiters(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.hasWaiters(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.getWaitQueueLength(juc)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.hasWaiters(c)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> m.getWaitQueueLength(c)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> m.getWaitingThreads(c)).isInstanceOf(IllegalMonitorStateException.class);
        TestThread t = TestThread.start("waiter", () -> {
            m.lock();
            try {
                c.await();
            } finally {
                m.unlock();
            }
        });
        Await.until(() -> {
            m.lock();
            try {
                return m.hasWaiters(c);
            } finally {
                m.unlock();
            }
        }, "the waiter waits");
        m.lock();
        try {
            assertThat(m.getWaitQueueLength(c)).isEqualTo(1);
            assertThat(m.getWaitingThreads(c)).containsExactly(t.thread());
            assertThatThrownBy(() -> m.getWaitingThreads(foreign)).isInstanceOf(IllegalArgumentException.class);
            c.signalAll();
            assertThat(m.hasWaiters(c)).isFalse();
            assertThat(m.getWaitingThreads(c)).isEmpty();
            // signalAll woke it (the first few are woken, the rest moved): it finds the lock held
            // and queues on it, where ReentrantLock would have moved it there directly.
            Await.until(() -> m.hasQueuedThread(t.thread()), "the woken waiter queues on the held lock");
        } finally {
            m.unlock();
        }
        t.joinAndRethrow();
    }

    @ParameterizedTest
    @MethodSource("mutexes")
    void toStringShowsTheOwnerWithoutBlocking(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        assertThat(m.toString()).endsWith("[unlocked]");
        AtomicBoolean release = new AtomicBoolean();
        TestThread holder = TestThread.start("the-holder", () -> {
            m.lock();
            try {
                Await.until(release::get, "released by the test");
            } finally {
                m.unlock();
            }
        });
        Await.until(m::locked, "the holder holds");
        assertThat(m.toString()).endsWith("[locked by the-holder]");   // from another thread: no blocking
        release.set(true);
        holder.joinAndRethrow();
        assertThat(m.toString()).endsWith("[unlocked]");
    }

    // ---------------------------------------------------------------- differences, pinned

    @Test
    void rawMutexIsNotReentrant() {
        RawMutex m = new RawMutex();
        m.lock();
        assertThat(m.tryLock()).as("RawMutex: the owner's tryLock fails").isFalse();
        m.unlock();
        ReentrantLock juc = new ReentrantLock();
        juc.lock();
        assertThat(juc.tryLock()).as("ReentrantLock: the owner's tryLock succeeds").isTrue();
    }

    @ParameterizedTest
    @MethodSource("mutexes")
    void noFairModeYetUnlockFairHandsOff(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        assertThat(m.isFair()).isFalse();
        AtomicBoolean checked = new AtomicBoolean();
        m.lock();
        TestThread t = TestThread.start("waiter", () -> {
            m.lock();
            try {
                Await.until(checked::get, "the test has tried to barge");
            } finally {
                m.unlock();
            }
        });
        Await.until(() -> m.hasQueuedThread(t.thread()), "the waiter parks");
        ((FairUnlock) m).unlockFair();
        boolean barged = m.tryLock();
        checked.set(true);
        assertThat(barged).as("handed to the waiter: nobody can barge").isFalse();
        t.joinAndRethrow();
    }

    /** signal() wakes the waiter to compete (it runs and re-takes the lock), not queue it. */
    @ParameterizedTest
    @MethodSource("mutexes")
    void signalWakesTheWaiterWhichThenCompetes(Supplier<MutexCore> make) throws InterruptedException {
        MutexCore m = make.get();
        Condition c = m.newCondition();
        AtomicBoolean done = new AtomicBoolean();
        TestThread t = TestThread.start("waiter", () -> {
            m.lock();
            try {
                c.await();
                done.set(true);
            } finally {
                m.unlock();
            }
        });
        signalWhenWaiting(m, c, t);
        assertThat(done).isTrue();
    }

    /** Waits until {@code t} waits on {@code c}, signals it, and joins it. */
    private static void signalWhenWaiting(MutexCore m, Condition c, TestThread t) throws InterruptedException {
        Await.until(() -> {
            m.lock();
            try {
                if (!m.hasWaiters(c)) return false;
                c.signal();
                return true;
            } finally {
                m.unlock();
            }
        }, "the thread waits on the condition");
        t.joinAndRethrow();
    }
}
