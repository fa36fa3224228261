package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** Mutex, MutexGuard and PoisonedException. */
class MutexTest {

    /** Holds {@code m} on another thread until {@code release} counts down. */
    private static TestThread holdElsewhere(Mutex<?> m, CountDownLatch release) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        TestThread t = TestThread.start("holder", () -> {
            try (MutexGuard<?> g = m.lock()) {
                held.countDown();
                release.await();
            }
        });
        held.await();
        return t;
    }

    private static void poison(Mutex<Integer> m, RuntimeException cause) {
        assertThatThrownBy(() -> m.withLock(v -> { throw cause; })).isSameAs(cause);
    }

    // ------------------------------------------------------------ construction

    @Test
    void factories() {
        assertThat(Mutex.of(1).rawLock()).isInstanceOf(RawMutex.class);
        ReentrantLock rl = new ReentrantLock();
        assertThat(Mutex.of(rl, 1).rawLock()).isSameAs(rl);
        assertThat(Mutex.nonPoisoning(rl, 1).rawLock()).isSameAs(rl);
        assertThatThrownBy(() -> Mutex.of(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Mutex.nonPoisoning(null, 1)).isInstanceOf(NullPointerException.class);
        try (MutexGuard<Object> g = Mutex.of((Object) null).lock()) {
            assertThat(g.get()).isNull();
        }
    }

    // ------------------------------------------------------------ guards

    @Test
    void guardReadsWritesAndUpdates() {
        Mutex<String> m = Mutex.of("a");
        try (MutexGuard<String> g = m.lock()) {
            assertThat(g.get()).isEqualTo("a");
            g.set("b");
            assertThat(g.update(s -> s + "c")).isEqualTo("bc");
            assertThat(g.get()).isEqualTo("bc");
            assertThat(g.isClosed()).isFalse();
            assertThat(g.toString()).contains("bc");
            assertThat(((RawMutex) m.rawLock()).isHeldByCurrentThread()).isTrue();
        }
        assertThat(((RawMutex) m.rawLock()).isLocked()).isFalse();
        assertThat(m.<Integer>withLock(s -> s.length())).isEqualTo(2);
        assertThat(m.update(s -> s + "d")).isEqualTo("bcd");
    }

    @Test
    void guardUseAfterCloseThrowsAndSecondCloseDoesNothing() {
        Mutex<Integer> m = Mutex.of(1);
        MutexGuard<Integer> g = m.lock();
        g.close();
        assertThat(g.isClosed()).isTrue();
        assertThat(g.toString()).contains("closed");
        assertThatThrownBy(g::get).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> g.set(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> g.update(x -> x + 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> g.poison(new RuntimeException())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> g.unlocked(() -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(g::unlockFair).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Condvar().await(g)).isInstanceOf(IllegalStateException.class);
        g.close();                                        // no-op, and no IMSE from a second unlock
        assertThat(m.isPoisoned()).isFalse();
        try (MutexGuard<Integer> again = m.lock()) {
            assertThat(again.get()).isEqualTo(1);
        }
    }

    @Test
    void guardNullArguments() {
        Mutex<Integer> m = Mutex.of(1);
        try (MutexGuard<Integer> g = m.lock()) {
            assertThatThrownBy(() -> g.update(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> g.poison(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> g.unlocked(null)).isInstanceOf(NullPointerException.class);
        }
        assertThatThrownBy(() -> m.withLock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.update(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.tryLock(null)).isInstanceOf(NullPointerException.class);
        assertThat(m.isPoisoned()).isFalse();
    }

    @Test
    void guardClosedByAnotherThreadThrowsImseAndStaysOpen() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(1);
        MutexGuard<Integer> g = m.lock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        TestThread other = TestThread.start("other", () -> {
            try {
                g.close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.joinAndRethrow();
        assertThat(thrown.get()).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(g.isClosed()).isFalse();
        assertThat(g.get()).isEqualTo(1);
        g.close();
        assertThat(m.tryLock()).isPresent().get().satisfies(MutexGuard::close);
    }

    /** Regression: unlockFair from another thread marked the guard closed before the unlock threw. */
    @Test
    void guardUnlockFairByAnotherThreadThrowsImseAndDoesNotLeakTheLock() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(1);
        MutexGuard<Integer> g = m.lock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        TestThread other = TestThread.start("other", () -> {
            try {
                g.unlockFair();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.joinAndRethrow();
        assertThat(thrown.get()).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(g.isClosed()).as("the owner's guard is still open").isFalse();
        g.close();                                        // must really unlock
        Optional<MutexGuard<Integer>> again = m.tryLock();
        assertThat(again).as("the lock was released by the owner's close").isPresent();
        again.get().close();
    }

    @Test
    void unlockFairHandsTheLockToAWaiter() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        MutexGuard<Integer> g = m.lock();
        TestThread waiter = TestThread.start("waiter", () -> {
            try (MutexGuard<Integer> w = m.lock()) {
                w.set(w.get() + 1);
            }
        });
        RawMutex raw = (RawMutex) m.rawLock();
        Await.until(() -> raw.getQueueLength() == 1, "waiter parked");
        g.unlockFair();
        assertThat(g.isClosed()).isTrue();
        g.close();                                        // no-op
        waiter.joinAndRethrow();
        assertThat(m.<Integer>withLock(x -> x)).isEqualTo(1);
    }

    @Test
    void unlockFairOverAForeignLockJustUnlocks() {
        Mutex<Integer> m = Mutex.of(new ReentrantLock(), 0);
        MutexGuard<Integer> g = m.lock();
        g.unlockFair();
        assertThat(((ReentrantLock) m.rawLock()).isLocked()).isFalse();
    }

    @Test
    void unlockedReleasesTheLockDuringTheAction() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        try (MutexGuard<Integer> g = m.lock()) {
            g.unlocked(() -> {
                TestThread other = TestThread.start("other", () -> m.update(x -> x + 1));
                try {
                    other.joinAndRethrow();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(g.get()).isEqualTo(1);
            assertThat(((RawMutex) m.rawLock()).isHeldByCurrentThread()).isTrue();
            assertThatThrownBy(() -> g.unlocked(() -> { throw new IllegalStateException("x"); })).hasMessage("x");
            assertThat(((RawMutex) m.rawLock()).isHeldByCurrentThread()).as("re-locked after a throw").isTrue();
        }
    }

    // ------------------------------------------------------------ tryLock, lockInterruptibly

    @Test
    void tryLockIsEmptyWhileHeldElsewhere() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        CountDownLatch release = new CountDownLatch(1);
        TestThread holder = holdElsewhere(m, release);
        assertThat(m.tryLock()).isEmpty();
        assertThat(m.tryLock(Duration.ZERO)).isEmpty();
        assertThat(m.tryLock(Duration.ofSeconds(-1))).isEmpty();
        assertThat(m.tryLock(Duration.ofSeconds(Long.MIN_VALUE))).isEmpty();
        long start = System.nanoTime();
        assertThat(m.tryLock(Duration.ofMillis(30))).isEmpty();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(30_000_000L);
        release.countDown();
        holder.joinAndRethrow();
        Optional<MutexGuard<Integer>> g = m.tryLock(Duration.ZERO);
        assertThat(g).isPresent();
        g.get().close();
    }

    /** Durations too long for a long of nanoseconds must mean "wait as long as it takes", not overflow. */
    @Test
    void tryLockWithHugeDurationsWaitsUntilFree() throws InterruptedException {
        for (Duration huge : List.of(Duration.ofSeconds(Long.MAX_VALUE), ChronoUnit.FOREVER.getDuration(),
                Duration.ofNanos(Long.MAX_VALUE), Duration.ofDays(365L * 200))) {
            Mutex<Integer> m = Mutex.of(0);
            assertThat(m.tryLock(huge)).isPresent().get().satisfies(MutexGuard::close);
            CountDownLatch release = new CountDownLatch(1);
            TestThread holder = holdElsewhere(m, release);
            AtomicBoolean got = new AtomicBoolean();
            TestThread waiter = TestThread.start("waiter", () -> m.tryLock(huge).ifPresent(g -> {
                got.set(true);
                g.close();
            }));
            waiter.awaitBlocked();
            Await.holds(Duration.ofMillis(5), waiter::isAlive, "still waiting with " + huge);
            release.countDown();
            waiter.joinAndRethrow();
            holder.joinAndRethrow();
            assertThat(got).as("acquired with %s", huge).isTrue();
        }
    }

    @Test
    void lockInterruptibly() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        try (MutexGuard<Integer> g = m.lockInterruptibly()) {
            assertThat(g.get()).isZero();
        }
        Thread.currentThread().interrupt();
        assertThatThrownBy(m::lockInterruptibly).isInstanceOf(InterruptedException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> m.tryLock(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
        assertThat(((RawMutex) m.rawLock()).isLocked()).isFalse();
    }

    // ------------------------------------------------------------ poisoning

    @Test
    void withLockThatThrowsPoisonsAndTheNextLockSeesTheCause() {
        Mutex<Integer> m = Mutex.of(5);
        IllegalStateException cause = new IllegalStateException("half-way");
        poison(m, cause);
        assertThat(m.isPoisoned()).isTrue();
        assertThat(m.toString()).contains("poisoned");
        PoisonedException e = org.junit.jupiter.api.Assertions.assertThrows(PoisonedException.class, m::lock);
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.mutex()).isSameAs(m);
        assertThat(((RawMutex) m.rawLock()).isLocked()).as("not leaked through the exception").isFalse();
        try (MutexGuard<Integer> g = e.recover()) {
            assertThat(g.get()).isEqualTo(5);
            g.set(6);
            e.clearPoison();
        }
        assertThat(m.isPoisoned()).isFalse();
        try (MutexGuard<Integer> g = m.lock()) {
            assertThat(g.get()).isEqualTo(6);
        }
    }

    @Test
    void everyLockingMethodReportsThePoison() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        poison(m, new RuntimeException("x"));
        assertThatThrownBy(m::lock).isInstanceOf(PoisonedException.class);
        assertThatThrownBy(m::lockInterruptibly).isInstanceOf(PoisonedException.class);
        assertThatThrownBy(m::tryLock).isInstanceOf(PoisonedException.class);
        assertThatThrownBy(() -> m.tryLock(Duration.ofSeconds(1))).isInstanceOf(PoisonedException.class);
        assertThatThrownBy(() -> m.withLock(x -> x)).isInstanceOf(PoisonedException.class);
        assertThatThrownBy(() -> m.update(x -> x)).isInstanceOf(PoisonedException.class);
        assertThat(((RawMutex) m.rawLock()).isLocked()).isFalse();
        m.clearPoison();
        assertThat(m.<Integer>withLock(x -> x)).isZero();
    }

    @Test
    void theFirstFailureIsKept() {
        Mutex<Integer> m = Mutex.of(0);
        RuntimeException first = new RuntimeException("first");
        poison(m, first);
        try (MutexGuard<Integer> g = assertPoisoned(m).recover()) {
            g.poison(new RuntimeException("second"));
        }
        assertThat(assertPoisoned(m).getCause()).isSameAs(first);
    }

    private static PoisonedException assertPoisoned(Mutex<?> m) {
        return org.junit.jupiter.api.Assertions.assertThrows(PoisonedException.class, m::lock);
    }

    @Test
    void failingUpdatesPoisonAndLeaveTheValue() {
        Mutex<Integer> m = Mutex.of(1);
        assertThatThrownBy(() -> m.update(x -> { throw new ArithmeticException(); }))
                .isInstanceOf(ArithmeticException.class);
        assertThat(assertPoisoned(m).<Integer>recover()).satisfies(g -> {
            assertThat(g.get()).isEqualTo(1);
            g.close();
        });
        m.clearPoison();
        try (MutexGuard<Integer> g = m.lock()) {
            assertThatThrownBy(() -> g.update(x -> { throw new ArithmeticException(); }))
                    .isInstanceOf(ArithmeticException.class);
            assertThat(g.get()).isEqualTo(1);
        }
        assertThat(m.isPoisoned()).isTrue();
    }

    @Test
    void explicitPoisonFromTryWithResources() {
        Mutex<List<Integer>> m = Mutex.of(new ArrayList<>());
        try (MutexGuard<List<Integer>> g = m.lock()) {
            try {
                g.get().add(1);
                throw new IllegalStateException("failed after the first add");
            } catch (IllegalStateException e) {
                g.poison(e);
            }
        }
        assertThat(assertPoisoned(m).getCause()).hasMessage("failed after the first add");
    }

    @Test
    void aThreadThatFailsWhileHoldingPoisonsForTheNextThread() throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        TestThread failing = TestThread.start("failing", () -> {
            try {
                m.withLock(x -> { throw new IllegalStateException("died holding it"); });
            } catch (IllegalStateException expected) {
                // the thread's failure; the mutex remembers it
            }
        });
        failing.joinAndRethrow();
        PoisonedException e = assertPoisoned(m);
        assertThat(e.getCause()).hasMessage("died holding it");
    }

    @Test
    void nonPoisoningMutexNeverPoisons() {
        Mutex<Integer> m = Mutex.nonPoisoning(new RawMutex(), 0);
        assertThatThrownBy(() -> m.withLock(x -> { throw new IllegalStateException(); }))
                .isInstanceOf(IllegalStateException.class);
        try (MutexGuard<Integer> g = m.lock()) {
            g.poison(new RuntimeException());
        }
        assertThat(m.isPoisoned()).isFalse();
        assertThat(m.<Integer>withLock(x -> x)).isZero();
    }

    // ------------------------------------------------------------ other locks underneath

    @Test
    void anyLockCanSitUnderneath() throws InterruptedException {
        for (var lock : List.of(new ReentrantLock(), new ReentrantMutex(), new RawMutex())) {
            Mutex<Integer> m = Mutex.of(lock, 0);
            List<TestThread> ts = new ArrayList<>();
            int n = Stress.iterations(2_000);
            for (int t = 0; t < 4; t++) ts.add(TestThread.start("inc", () -> {
                for (int i = 0; i < n; i++) m.update(x -> x + 1);
            }));
            for (TestThread t : ts) t.joinAndRethrow();
            assertThat(m.<Integer>withLock(x -> x)).isEqualTo(4 * n);
        }
    }

    @Test
    void aReentrantLockUnderneathGivesNestedGuards() {
        Mutex<Integer> m = Mutex.of(new ReentrantMutex(), 0);
        try (MutexGuard<Integer> outer = m.lock(); MutexGuard<Integer> inner = m.lock()) {
            inner.set(1);
            assertThat(outer.get()).isEqualTo(1);
            assertThat(((ReentrantMutex) m.rawLock()).getHoldCount()).isEqualTo(2);
        }
        assertThat(((ReentrantMutex) m.rawLock()).isLocked()).isFalse();
    }
}
