package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.park.ParkingLot;
import io.lockstep.testing.Await;
import io.lockstep.testing.Interrupts;
import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** Condvar over Lockstep's mutexes and foreign locks: every method, requeueing, misuse. */
class CondvarTest {

    /** Starts a thread that waits on {@code cv} with {@code m} until {@code done} holds. */
    private static TestThread waiter(String name, Mutex<Boolean> m, Condvar cv) {
        return TestThread.start(name, () -> {
            try (MutexGuard<Boolean> g = m.lock()) {
                cv.awaitWhile(g, ready -> !ready);
            }
        });
    }

    /** Waits until {@code n} threads are parked on {@code cv}'s key. */
    private static void awaitWaiters(Condvar cv, int n) {
        Await.until(() -> ParkingLot.queueLength(cv) == n, n + " waiters on the condvar");
    }

    // ------------------------------------------------------------ bad input

    @Test
    void nullAndClosedGuardsAreRejected() {
        Condvar cv = new Condvar();
        Mutex<Integer> m = Mutex.of(0);
        assertThatThrownBy(() -> cv.await(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cv.await(null, Duration.ZERO)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cv.awaitUninterruptibly(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cv.awaitWhile(null, x -> true)).isInstanceOf(NullPointerException.class);
        try (MutexGuard<Integer> g = m.lock()) {
            assertThatThrownBy(() -> cv.awaitWhile(g, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cv.awaitWhile(g, null, Duration.ZERO)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cv.await(g, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cv.awaitWhile(g, x -> true, null)).isInstanceOf(NullPointerException.class);
        }
        MutexGuard<Integer> closed = m.lock();
        closed.close();
        assertThatThrownBy(() -> cv.await(closed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cv.awaitUninterruptibly(closed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cv.await(closed, Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cv.awaitWhile(closed, x -> true)).isInstanceOf(IllegalStateException.class);
        assertThat(ParkingLot.queueLength(cv)).isZero();
    }

    @Test
    void awaitWithAnotherThreadsGuardThrowsImse() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Integer> m = Mutex.of(0);
        AtomicReference<MutexGuard<Integer>> foreign = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1), held = new CountDownLatch(1);
        TestThread holder = TestThread.start("holder", () -> {
            try (MutexGuard<Integer> g = m.lock()) {
                foreign.set(g);
                held.countDown();
                release.await();
            }
        });
        held.await();
        assertThatThrownBy(() -> cv.await(foreign.get())).isInstanceOf(IllegalMonitorStateException.class);
        release.countDown();
        holder.joinAndRethrow();
    }

    @Test
    void waitingWithTwoLocksAtOnceThrowsIllegalState() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Boolean> m1 = Mutex.of(false);
        Mutex<Boolean> m2 = Mutex.of(false);
        TestThread w = waiter("w", m1, cv);
        awaitWaiters(cv, 1);
        try (MutexGuard<Boolean> g = m2.lock()) {
            assertThatThrownBy(() -> cv.await(g)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("two locks");
            assertThat(((RawMutex) m2.rawLock()).isHeldByCurrentThread()).as("still held").isTrue();
            assertThat(g.get()).isFalse();
        }
        m1.update(x -> true);
        assertThat(cv.notifyOne()).isTrue();
        w.joinAndRethrow();
    }

    @Test
    void differentMutexesAtDifferentTimes() throws InterruptedException {
        Condvar cv = new Condvar();
        for (Mutex<Boolean> m : List.of(Mutex.of(false), Mutex.of(new ReentrantLock(), false),
                Mutex.of(new ReentrantMutex(), false), Mutex.of(false))) {
            TestThread w = waiter("w", m, cv);
            awaitWaiters(cv, 1);
            m.update(x -> true);
            assertThat(cv.notifyAllWaiters()).isEqualTo(1);
            w.joinAndRethrow();
        }
        // And after a timed-out wait, too.
        Mutex<Integer> a = Mutex.of(0), b = Mutex.of(0);
        try (MutexGuard<Integer> g = a.lock()) {
            assertThat(cv.await(g, Duration.ofMillis(1))).isFalse();
        }
        try (MutexGuard<Integer> g = b.lock()) {
            assertThat(cv.await(g, Duration.ofMillis(1))).isFalse();
        }
    }

    // ------------------------------------------------------------ notify

    @Test
    void notifyOneSaysWhetherAThreadWasWoken() throws InterruptedException {
        Condvar cv = new Condvar();
        assertThat(cv.notifyOne()).isFalse();
        assertThat(cv.notifyAllWaiters()).isZero();
        Mutex<Boolean> m = Mutex.of(false);
        TestThread w = waiter("w", m, cv);
        awaitWaiters(cv, 1);
        m.update(x -> true);
        assertThat(cv.notifyOne()).isTrue();
        w.joinAndRethrow();
        assertThat(cv.notifyOne()).isFalse();
    }

    @Test
    void notifyAllWhileTheMutexIsHeldWakesAFewAndRequeuesTheRest() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Boolean> m = Mutex.of(false);
        RawMutex raw = (RawMutex) m.rawLock();
        int n = ParkingLot.REQUEUE_WAKE_LIMIT + 3;
        List<TestThread> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) ws.add(waiter("w" + i, m, cv));
        awaitWaiters(cv, n);
        try (MutexGuard<Boolean> g = m.lock()) {
            g.set(true);
            assertThat(cv.notifyAllWaiters()).isEqualTo(n);
            assertThat(ParkingLot.queueLength(cv)).isZero();
            // The 3 moved ones wait on the mutex; the woken few join them there once they run.
            assertThat(raw.getQueueLength()).as("moved onto the mutex, not woken").isBetween(3, n);
        }
        for (TestThread w : ws) w.joinAndRethrow();
        assertThat(raw.isLocked()).isFalse();
        assertThat(raw.hasQueuedThreads()).isFalse();
    }

    @Test
    void notifyAllWhileTheMutexIsFreeWakesAFewAndRequeuesTheRest() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Boolean> m = Mutex.of(false);
        List<TestThread> ws = new ArrayList<>();
        for (int i = 0; i < 4; i++) ws.add(waiter("w" + i, m, cv));
        awaitWaiters(cv, 4);
        m.update(x -> true);
        assertThat(cv.notifyAllWaiters()).isEqualTo(4);
        for (TestThread w : ws) w.joinAndRethrow();
        RawMutex raw = (RawMutex) m.rawLock();
        assertThat(raw.isLocked()).isFalse();
        assertThat(raw.hasQueuedThreads()).isFalse();
    }

    @Test
    void notifyAllOverAForeignLockWakesEveryone() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Boolean> m = Mutex.of(new ReentrantLock(), false);
        List<TestThread> ws = new ArrayList<>();
        for (int i = 0; i < 3; i++) ws.add(waiter("w" + i, m, cv));
        awaitWaiters(cv, 3);
        m.update(x -> true);
        assertThat(cv.notifyAllWaiters()).isEqualTo(3);
        for (TestThread w : ws) w.joinAndRethrow();
    }

    // ------------------------------------------------------------ timed waits

    @Test
    void timedWaits() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Boolean> m = Mutex.of(false);
        try (MutexGuard<Boolean> g = m.lock()) {
            assertThat(cv.await(g, Duration.ZERO)).isFalse();
            assertThat(cv.await(g, Duration.ofMillis(-5))).isFalse();
            assertThat(cv.await(g, Duration.ofSeconds(Long.MIN_VALUE))).isFalse();
            long start = System.nanoTime();
            assertThat(cv.await(g, Duration.ofMillis(30))).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(30_000_000L);
            assertThat(cv.awaitWhile(g, r -> !r, Duration.ZERO)).isFalse();
            assertThat(cv.awaitWhile(g, r -> !r, Duration.ofMillis(20))).isFalse();
            assertThat(cv.awaitWhile(g, r -> r, Duration.ZERO)).as("condition already false").isTrue();
            assertThat(((RawMutex) m.rawLock()).isHeldByCurrentThread()).isTrue();
        }
        TestThread notifier = TestThread.start("n", () -> {
            Await.until(() -> ParkingLot.queueLength(cv) == 1, "waiting");
            m.update(x -> true);
            cv.notifyOne();
        });
        try (MutexGuard<Boolean> g = m.lock()) {
            assertThat(cv.awaitWhile(g, r -> !r, Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
        }
        notifier.joinAndRethrow();
    }

    @Test
    void timedAwaitNotifiedInTimeReturnsTrue() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Integer> m = Mutex.of(0);
        AtomicBoolean result = new AtomicBoolean();
        TestThread w = TestThread.start("w", () -> {
            try (MutexGuard<Integer> g = m.lock()) {
                result.set(cv.await(g, Duration.ofSeconds(20)));
            }
        });
        awaitWaiters(cv, 1);
        cv.notifyOne();
        w.joinAndRethrow();
        assertThat(result).isTrue();
    }

    /**
     * A waiter moved onto the mutex by notifyAll was notified; if its timeout then passes while the
     * mutex is still held, it must report the notification, re-take the mutex, and leave the
     * mutex's state clean.
     */
    @Test
    void requeuedWaiterThatTimesOutReportsTheNotification() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Integer> m = Mutex.of(0);
        RawMutex raw = (RawMutex) m.rawLock();
        AtomicReference<Boolean> result = new AtomicReference<>();
        AtomicBoolean heldAfter = new AtomicBoolean();
        TestThread w = TestThread.start("w", () -> {
            try (MutexGuard<Integer> g = m.lock()) {
                result.set(cv.await(g, Duration.ofMillis(100)));
                heldAfter.set(raw.isHeldByCurrentThread());
                g.set(g.get() + 1);
            }
        });
        awaitWaiters(cv, 1);
        try (MutexGuard<Integer> g = m.lock()) {
            assertThat(cv.notifyAllWaiters()).isEqualTo(1);
            Await.until(() -> raw.getQueueLength() == 1, "requeued onto the mutex");
            Thread.sleep(250);                                  // its timeout passes on the mutex queue
            assertThat(result.get()).as("cannot return without the mutex").isNull();
        }
        w.joinAndRethrow();
        assertThat(result.get()).as("notified, not timed out").isTrue();
        assertThat(heldAfter).isTrue();
        assertThat(m.<Integer>withLock(x -> x)).isEqualTo(1);
        assertThat(raw.isLocked()).isFalse();
        assertThat(raw.hasQueuedThreads()).isFalse();
        assertThat(raw.hasParked()).as("no stale PARKED bit").isFalse();
    }

    @Test
    void requeuedWaiterThatIsInterruptedReportsTheNotificationAndKeepsTheInterrupt() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Integer> m = Mutex.of(0);
        RawMutex raw = (RawMutex) m.rawLock();
        AtomicReference<Object> outcome = new AtomicReference<>();
        TestThread w = TestThread.start("w", () -> {
            try (MutexGuard<Integer> g = m.lock()) {
                try {
                    cv.await(g);
                    outcome.set(Thread.currentThread().isInterrupted() ? "notified+interrupted" : "notified");
                } catch (InterruptedException e) {
                    outcome.set(e);
                }
            }
        });
        awaitWaiters(cv, 1);
        try (MutexGuard<Integer> g = m.lock()) {
            cv.notifyAllWaiters();
            Await.until(() -> raw.getQueueLength() == 1, "requeued");
            w.interrupt();
            Await.holds(Duration.ofMillis(20), w::isAlive, "the requeued waiter waits for the mutex");
        }
        w.joinAndRethrow();
        assertThat(outcome.get()).isEqualTo("notified+interrupted");
        assertThat(raw.isLocked()).isFalse();
        assertThat(raw.hasParked()).isFalse();
    }

    // ------------------------------------------------------------ interrupts

    @Test
    void interruptedAwaitThrowsWithTheMutexHeld() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Integer> m = Mutex.of(0);
        AtomicBoolean heldWhenThrown = new AtomicBoolean();
        TestThread w = TestThread.start("w", () -> {
            try (MutexGuard<Integer> g = m.lock()) {
                try {
                    cv.await(g);
                } catch (InterruptedException e) {
                    heldWhenThrown.set(((RawMutex) m.rawLock()).isHeldByCurrentThread());
                    g.set(7);                               // the guard is still usable
                }
            }
        });
        awaitWaiters(cv, 1);
        w.interrupt();
        w.joinAndRethrow();
        assertThat(heldWhenThrown).isTrue();
        assertThat(m.<Integer>withLock(x -> x)).isEqualTo(7);
        assertThat(ParkingLot.queueLength(cv)).isZero();
        assertThat(cv.notifyOne()).as("the waiter left; nothing to wake").isFalse();
    }

    @Test
    void interruptedBeforeAwaitThrowsAtOnce() {
        Condvar cv = new Condvar();
        Mutex<Integer> m = Mutex.of(0);
        try (MutexGuard<Integer> g = m.lock()) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> cv.await(g)).isInstanceOf(InterruptedException.class);
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> cv.await(g, Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> cv.awaitWhile(g, x -> true)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
            assertThat(g.get()).isZero();
        }
    }

    @Test
    void awaitUninterruptiblyKeepsWaitingAndKeepsTheInterrupt() throws InterruptedException {
        Condvar cv = new Condvar();
        Mutex<Boolean> m = Mutex.of(false);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        TestThread w = TestThread.start("w", () -> {
            try (MutexGuard<Boolean> g = m.lock()) {
                while (!g.get()) cv.awaitUninterruptibly(g);
                interruptedAfter.set(Thread.interrupted());
            }
        });
        awaitWaiters(cv, 1);
        w.interrupt();
        Await.holds(Duration.ofMillis(20), w::isAlive, "awaitUninterruptibly ignores the interrupt");
        m.update(x -> true);
        cv.notifyOne();
        w.joinAndRethrow();
        assertThat(interruptedAfter).isTrue();
    }

    // ------------------------------------------------------------ reentrant and foreign locks

    @Test
    void waitReleasesEveryHoldOfAReentrantMutex() throws InterruptedException {
        Condvar cv = new Condvar();
        ReentrantMutex rm = new ReentrantMutex();
        Mutex<Boolean> m = Mutex.of(rm, false);
        AtomicInteger holdsAfter = new AtomicInteger();
        TestThread w = TestThread.start("w", () -> {
            try (MutexGuard<Boolean> outer = m.lock(); MutexGuard<Boolean> inner = m.lock()) {
                cv.awaitWhile(inner, r -> !r);
                holdsAfter.set(rm.getHoldCount());
            }
        });
        awaitWaiters(cv, 1);
        m.update(x -> true);                              // possible only if both holds were released
        cv.notifyAllWaiters();
        w.joinAndRethrow();
        assertThat(holdsAfter).hasValue(2);
        assertThat(rm.isLocked()).isFalse();
    }

    @Test
    void foreignLockWaitIsInterruptibleAndTimed() throws InterruptedException {
        Condvar cv = new Condvar();
        ReentrantLock rl = new ReentrantLock();
        Mutex<Integer> m = Mutex.of(rl, 0);
        try (MutexGuard<Integer> g = m.lock()) {
            assertThat(cv.await(g, Duration.ofMillis(10))).isFalse();
            assertThat(rl.isHeldByCurrentThread()).isTrue();
        }
        AtomicBoolean threw = new AtomicBoolean();
        TestThread w = TestThread.start("w", () -> {
            try (MutexGuard<Integer> g = m.lock()) {
                cv.await(g);
            } catch (InterruptedException e) {
                threw.set(true);
            }
        });
        awaitWaiters(cv, 1);
        w.interrupt();
        w.joinAndRethrow();
        assertThat(threw).isTrue();
        assertThat(rl.isLocked()).isFalse();
    }

    // ------------------------------------------------------------ no lost wake-ups

    /** Ping-pong over one condvar: every hand-over needs a notify; a lost one hangs the test. */
    @Test
    void pingPongNeverLosesANotification() throws InterruptedException {
        for (Lock lock : List.<Lock>of(new RawMutex(), new ReentrantMutex(), new ReentrantLock())) {
            Condvar cv = new Condvar();
            Mutex<Integer> turn = Mutex.of(lock, 0);
            int rounds = Stress.iterations(5_000);
            List<TestThread> ts = new ArrayList<>();
            for (int me = 0; me < 2; me++) {
                int self = me;
                ts.add(TestThread.start("p" + me, () -> {
                    for (int i = 0; i < rounds; i++) {
                        try (MutexGuard<Integer> g = turn.lock()) {
                            if (i % 3 == 0) {
                                while (g.get() % 2 != self) cv.await(g, Duration.ofMillis(50));
                            } else {
                                cv.awaitWhile(g, t -> t % 2 != self);
                            }
                            g.set(g.get() + 1);
                        }
                        if (i % 2 == 0) cv.notifyOne(); else cv.notifyAllWaiters();
                    }
                }));
            }
            for (TestThread t : ts) t.joinAndRethrow();
            assertThat(turn.<Integer>withLock(x -> x)).isEqualTo(2 * rounds);
        }
    }


    @Test
    void awaitWhileUninterruptiblyKeepsWaitingAndTheInterruptStatus() throws Throwable {
        Condvar cv = new Condvar();
        Mutex<Boolean> m = Mutex.of(false);
        Interrupts.ignoredBy("Condvar.awaitWhileUninterruptibly", () -> {
            try (MutexGuard<Boolean> g = m.lock()) {
                cv.awaitWhileUninterruptibly(g, ready -> !ready);
                assertThat(g.get()).isTrue();
            }
        }, () -> {
            m.update(x -> true);
            cv.notifyAllWaiters();
        });
    }
}
