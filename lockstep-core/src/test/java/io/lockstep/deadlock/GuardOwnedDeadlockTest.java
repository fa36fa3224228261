package io.lockstep.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lock.Mutex;
import io.lockstep.lock.MutexGuard;
import io.lockstep.lock.RawMutex;
import io.lockstep.lock.RawMutexGuard;
import io.lockstep.lock.RwLock;
import io.lockstep.lock.RwLockReadGuard;
import io.lockstep.lock.RwLockWriteGuard;
import io.lockstep.testing.Await;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guard-owned holds (lockAsync, and RwLock's writeAsync and upgradableReadAsync) in the wait-for graph: a thread blocked on a lock that an async
 * guard holds waits for the guard's task, reported through the thread that asked for the lock or
 * last used the guard, so mixing async and blocking code cannot deadlock silently.
 */
@Timeout(20)
class GuardOwnedDeadlockTest {
    @BeforeEach
    void noValidation() {
        LockOrder.setPolicy(LockOrder.Policy.OFF);
    }

    // task (virtual thread): g = a.lockAsync(); b.lock() | t: b.lock(); a.lock()
    @Test
    void aThreadBlockedOnAGuardOwnedLockWhoseTaskWaitsForItIsReported() throws Exception {
        RawMutex a = new RawMutex().named("async-held"), b = new RawMutex().named("thread-held");
        CountDownLatch bothHold = new CountDownLatch(2);
        AtomicReference<RawMutexGuard> guard = new AtomicReference<>();
        Thread task = Thread.ofVirtual().name("task").start(() -> {
            RawMutexGuard g = a.lockAsync().join();
            guard.set(g);
            try {
                bothHold.countDown();
                bothHold.await();
                b.lockInterruptibly();
                b.unlock();
            } catch (InterruptedException stop) {
                // the deadlock is broken
            } finally {
                g.close();
            }
        });
        Thread t = Thread.ofPlatform().name("blocking").start(() -> {
            b.lock();
            try {
                bothHold.countDown();
                bothHold.await();
                a.lockInterruptibly();
                a.unlock();
            } catch (InterruptedException stop) {
                // the deadlock is broken
            } finally {
                b.unlock();
            }
        });
        try {
            List<Deadlock> found = Await.until(DeadlockDetector::findDeadlocks, d -> !d.isEmpty(), "the deadlock is found");
            assertThat(found).hasSize(1);
            Deadlock d = found.get(0);
            assertThat(d.waiters()).extracting(Deadlock.Waiter::thread).containsExactlyInAnyOrder(task, t);
            Deadlock.Waiter blocked = d.waiters().stream().filter(w -> w.thread() == t).findFirst().orElseThrow();
            assertThat(blocked.lock()).isSameAs(a);
            assertThat(blocked.holder()).as("the guard's task").isSameAs(task);
            assertThat(d.describe()).contains("async-held", "thread-held");
        } finally {
            task.interrupt();
            t.interrupt();
            task.join();
            t.join();
        }
        assertThat(a.isLocked() || b.isLocked()).isFalse();
    }

    // The guard is asked for on the test thread and used on "worker", which then blocks: the worker is blamed.
    @Test
    void theHolderIsTheThreadThatLastUsedAMutexGuard() throws Exception {
        Mutex<Integer> m = Mutex.of(0).named("counter");
        RawMutex other = new RawMutex().named("other");
        MutexGuard<Integer> g = m.lockAsync().get(5, TimeUnit.SECONDS);   // asked for on the test thread
        CountDownLatch otherHeld = new CountDownLatch(1);
        Thread blocked = Thread.ofVirtual().name("blocked").start(() -> {
            other.lock();
            try {
                otherHeld.countDown();
                try (MutexGuard<Integer> h = m.lockInterruptibly()) {
                    h.set(h.get() + 1);
                }
            } catch (InterruptedException stop) {
                // broken below
            } finally {
                other.unlock();
            }
        });
        otherHeld.await();
        Thread worker = Thread.ofVirtual().name("worker").start(() -> {
            g.set(g.get() + 1);                                            // the task goes on here
            try {
                other.lockInterruptibly();
                other.unlock();
            } catch (InterruptedException stop) {
                // broken below
            } finally {
                g.close();
            }
        });
        try {
            List<Deadlock> found = Await.until(DeadlockDetector::findDeadlocks, d -> !d.isEmpty(), "the deadlock is found");
            Deadlock.Waiter w = found.get(0).waiters().stream().filter(x -> x.thread() == blocked).findFirst().orElseThrow();
            assertThat(w.holder()).as("the guard's last user, not the thread that asked").isSameAs(worker);
        } finally {
            worker.interrupt();
            blocked.interrupt();
            worker.join();
            blocked.join();
        }
        assertThat(m.rawLock().tryLock()).isTrue();
        m.rawLock().unlock();
    }

    // task: g = rw.writeAsync(); b.lock() | t: b.lock(); rw.read() -- and the same through an upgradable guard and a writer
    @Test
    void aThreadBlockedOnAGuardOwnedRwLockWhoseTaskWaitsForItIsReported() throws Exception {
        RwLock<Integer> rw = RwLock.of(0).named("async-written");
        RawMutex b = new RawMutex().named("thread-held");
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread task = Thread.ofVirtual().name("task").start(() -> {
            RwLockWriteGuard<Integer> g = rw.writeAsync().join();
            try {
                g.set(1);                                              // the task runs here: its guard's holder
                bothHold.countDown();
                bothHold.await();
                b.lockInterruptibly();
                b.unlock();
            } catch (InterruptedException stop) {
                // the deadlock is broken
            } finally {
                g.close();
            }
        });
        Thread t = Thread.ofPlatform().name("blocking").start(() -> {
            b.lock();
            try {
                bothHold.countDown();
                bothHold.await();
                try (RwLockReadGuard<Integer> r = rw.readInterruptibly()) {
                    r.get();
                }
            } catch (InterruptedException stop) {
                // the deadlock is broken
            } finally {
                b.unlock();
            }
        });
        try {
            List<Deadlock> found = Await.until(DeadlockDetector::findDeadlocks, d -> !d.isEmpty(), "the deadlock is found");
            assertThat(found).hasSize(1);
            Deadlock d = found.get(0);
            assertThat(d.waiters()).extracting(Deadlock.Waiter::thread).containsExactlyInAnyOrder(task, t);
            Deadlock.Waiter blocked = d.waiters().stream().filter(w -> w.thread() == t).findFirst().orElseThrow();
            assertThat(blocked.holder()).as("the write guard's task").isSameAs(task);
        } finally {
            task.interrupt();
            t.interrupt();
            task.join();
            t.join();
        }
        assertThat(rw.tryWrite()).hasValueSatisfying(RwLockWriteGuard::close);
    }

    @Test
    void aWriterBlockedBehindAGuardOwnedUpgradableHoldIsReported() throws Exception {
        RwLock<Integer> rw = RwLock.of(0).named("async-upgradable");
        RawMutex b = new RawMutex().named("thread-held");
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread task = Thread.ofVirtual().name("task").start(() -> {
            var g = rw.upgradableReadAsync().join();
            try {
                bothHold.countDown();
                bothHold.await();
                b.lockInterruptibly();
                b.unlock();
            } catch (InterruptedException stop) {
                // the deadlock is broken
            } finally {
                g.close();
            }
        });
        Thread t = Thread.ofPlatform().name("blocking").start(() -> {
            b.lock();
            try {
                bothHold.countDown();
                bothHold.await();
                rw.writeInterruptibly().close();
            } catch (InterruptedException stop) {
                // the deadlock is broken
            } finally {
                b.unlock();
            }
        });
        try {
            List<Deadlock> found = Await.until(DeadlockDetector::findDeadlocks, d -> !d.isEmpty(), "the deadlock is found");
            Deadlock.Waiter blocked = found.get(0).waiters().stream().filter(w -> w.thread() == t).findFirst().orElseThrow();
            assertThat(blocked.holder()).as("the upgradable guard's task").isSameAs(task);
        } finally {
            task.interrupt();
            t.interrupt();
            task.join();
            t.join();
        }
        assertThat(rw.tryWrite()).hasValueSatisfying(RwLockWriteGuard::close);
    }
}
