package io.lockstep.deadlock;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lock.RawMutex;
import io.lockstep.lock.RawRwLock;
import io.lockstep.lock.ReentrantMutex;
import io.lockstep.spin.McsLock;
import io.lockstep.spin.SpinRwLock;
import io.lockstep.spin.TasLock;
import io.lockstep.spin.TicketLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(20)
class DeadlockDetectorTest {
    @BeforeEach
    void noValidation() {
        LockOrder.setPolicy(LockOrder.Policy.OFF);   // with THROW the validator would refuse the second lock
    }

    /** Threads that take locks[i] then locks[i+1 mod n], interruptibly, after all took their first. */
    private static final class Ring {
        final List<Thread> threads = new ArrayList<>();
        final AtomicInteger interrupted = new AtomicInteger();

        Ring(boolean virtual, Lock... locks) {
            CountDownLatch allHoldFirst = new CountDownLatch(locks.length);
            for (int i = 0; i < locks.length; i++) {
                Lock first = locks[i], second = locks[(i + 1) % locks.length];
                Runnable body = () -> {
                    first.lock();
                    try {
                        allHoldFirst.countDown();
                        allHoldFirst.await();
                        second.lockInterruptibly();
                        second.unlock();
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                    } finally {
                        first.unlock();
                    }
                };
                threads.add(virtual ? Thread.ofVirtual().name("ring-" + i).start(body)
                        : Thread.ofPlatform().name("ring-" + i).start(body));
            }
        }

        /** Breaks the deadlock and waits for every thread. */
        void stop() throws InterruptedException {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) t.join();
        }
    }

    /** Polls until a deadlock is found; fails, listing the parked threads, if none ever is. */
    private static List<Deadlock> awaitDeadlocks() {
        try {
            return Await.until(DeadlockDetector::findDeadlocks, found -> !found.isEmpty(), "a deadlock is found");
        } catch (AssertionError e) {
            List<String> parked = new ArrayList<>();
            io.lockstep.park.ParkingLot.forEachParked((t, k) -> parked.add(t + " on " + k));
            throw new AssertionError(e.getMessage() + "; parked: " + parked, e);
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void twoThreadsTakingTwoLocksInOppositeOrdersAreFound(boolean virtual) throws Exception {
        RawMutex a = new RawMutex(), b = new RawMutex();
        LockOrder.name(a, "lock-a");
        Ring ring = new Ring(virtual, a, b);
        List<Deadlock> found = awaitDeadlocks();
        try {
            assertThat(found).hasSize(1);
            Deadlock d = found.get(0);
            assertThat(d.waiters()).extracting(Deadlock.Waiter::thread).containsExactlyInAnyOrderElementsOf(ring.threads);
            assertThat(d.waiters()).extracting(Deadlock.Waiter::lock).containsExactlyInAnyOrder(a, b);
            for (Deadlock.Waiter w : d.waiters()) {
                assertThat(w.thread().isVirtual()).isEqualTo(virtual);
                assertThat(w.holder()).isNotEqualTo(w.thread()).isIn(ring.threads);
                assertThat(w.stack()).anyMatch(f -> f.getMethodName().equals("lockInterruptibly"));
            }
            assertThat(d.waiters().get(0).thread().threadId()).isLessThan(d.waiters().get(1).thread().threadId());
            assertThat(d.describe()).contains("Deadlock of 2 thread(s)", "waits for lock-a", "lockInterruptibly");
        } finally {
            ring.stop();
        }
        // Interrupting breaks the cycle: at least one gives up, the others may then get their lock.
        assertThat(ring.interrupted.get()).isBetween(1, 2);
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
    }

    @Test
    void aRingOfThreeReentrantMutexesIsOneDeadlock() throws Exception {
        ReentrantMutex a = new ReentrantMutex(), b = new ReentrantMutex(), c = new ReentrantMutex();
        Ring ring = new Ring(true, a, b, c);
        try {
            List<Deadlock> found = awaitDeadlocks();
            assertThat(found).hasSize(1);
            assertThat(found.get(0).waiters()).hasSize(3);
        } finally {
            ring.stop();
        }
        assertThat(ring.interrupted.get()).isBetween(1, 3);
    }

    @ParameterizedTest(name = "second side: {0}")
    @ValueSource(strings = {"write", "read"})
    void aRwLockInACycleIsFound(String side) throws Exception {
        // ring-0 holds the write lock and waits for m; ring-1 holds m and waits for a read or
        // the write lock of the same RawRwLock (parked on the lock itself or on its write view).
        RawRwLock rw = new RawRwLock();
        RawMutex m = new RawMutex();
        Lock first = rw.writeLock(), second = side.equals("write") ? rw.writeLock() : rw.readLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        AtomicInteger gaveUp = new AtomicInteger();
        Thread t0 = Thread.ofPlatform().name("rw-holder").start(() -> hold(first, m, bothHold, gaveUp));
        Thread t1 = Thread.ofPlatform().name("m-holder").start(() -> hold(m, second, bothHold, gaveUp));
        try {
            List<Deadlock> found = awaitDeadlocks();
            assertThat(found).hasSize(1);
            assertThat(found.get(0).waiters()).extracting(Deadlock.Waiter::thread).containsExactlyInAnyOrder(t0, t1);
            assertThat(found.get(0).describe()).contains("RawRwLock");
        } finally {
            t0.interrupt();
            t1.interrupt();
            t0.join();
            t1.join();
        }
        assertThat(gaveUp.get()).isBetween(1, 2);
    }

    private static void hold(Lock first, Lock second, CountDownLatch bothHold, AtomicInteger gaveUp) {
        first.lock();
        try {
            bothHold.countDown();
            bothHold.await();
            second.lockInterruptibly();
            second.unlock();
        } catch (InterruptedException e) {
            gaveUp.incrementAndGet();
        } finally {
            first.unlock();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tas", "ticket", "mcs", "spinrw"})
    void spinLocksInACycleAreFound(String kind) throws Exception {
        Supplier<Lock> make = switch (kind) {
            case "tas" -> TasLock::new;
            case "ticket" -> TicketLock::new;
            case "mcs" -> McsLock::new;
            default -> () -> new SpinRwLock().writeLock();
        };
        Lock a = make.get(), b = make.get();
        Ring ring = new Ring(false, a, b);
        try {
            List<Deadlock> found = awaitDeadlocks();
            assertThat(found).hasSize(1);
            assertThat(found.get(0).waiters()).extracting(Deadlock.Waiter::thread).containsExactlyInAnyOrderElementsOf(ring.threads);
        } finally {
            ring.stop();
        }
    }

    @Test
    void plainContentionIsNoDeadlock() throws Exception {
        RawMutex m = new RawMutex();
        m.lock();
        Thread waiter = Thread.ofVirtual().start(() -> {
            m.lock();
            m.unlock();
        });
        try {
            Await.until(() -> m.getQueueLength() > 0, "m.getQueueLength() > 0");
            assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
        } finally {
            m.unlock();
        }
        waiter.join();
    }

    @Test
    void theWatchdogReportsEachDeadlockOnce() throws Exception {
        LinkedBlockingQueue<Deadlock> reports = new LinkedBlockingQueue<>();
        try (DeadlockWatchdog dog = DeadlockDetector.watch(Duration.ofMillis(5), reports::add)) {
            Ring ring = new Ring(false, new RawMutex(), new RawMutex());
            try {
                Deadlock first = reports.poll(20, TimeUnit.SECONDS);
                assertThat(first).isNotNull();
                long seen = dog.scans();
                Await.until(() -> dog.scans() >= seen + 3, "dog.scans() >= seen + 3");   // three more checks of the same deadlock
                assertThat(reports).isEmpty();
            } finally {
                ring.stop();
            }
        }
    }

    @Test
    void watchRejectsBadArguments() {
        assertThatThrownBy(() -> DeadlockDetector.watch(Duration.ZERO, d -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadlockDetector.watch(null, d -> { })).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DeadlockDetector.watch(Duration.ofSeconds(1), null)).isInstanceOf(NullPointerException.class);
    }
}
