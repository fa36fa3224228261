package io.lockstep.spin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lock.Mutex;
import io.lockstep.lock.MutexGuard;
import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Behaviour every spin lock shares (and the write side of SpinRwLock, which is one too). */
@Timeout(60)
class SpinLockTest {

    static Stream<Arguments> locks() {
        return Stream.of(
                Arguments.of("tas", (Supplier<Lock>) TasLock::new),
                Arguments.of("ttas", (Supplier<Lock>) TtasLock::new),
                Arguments.of("ticket", (Supplier<Lock>) TicketLock::new),
                Arguments.of("mcs", (Supplier<Lock>) McsLock::new),
                Arguments.of("clh", (Supplier<Lock>) ClhLock::new),
                Arguments.of("rw-write", (Supplier<Lock>) () -> new SpinRwLock().writeLock()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("locks")
    void lockUnlockTryLock(String name, Supplier<Lock> factory) {
        Lock lock = factory.get();
        assertThat(lock.tryLock()).isTrue();
        assertThat(((SpinCore) lock).isLocked()).isTrue();
        assertThat(lock.toString()).contains("locked by " + Thread.currentThread().getName());
        lock.unlock();
        assertThat(((SpinCore) lock).isLocked()).isFalse();
        lock.lock();
        assertThat(((SpinCore) lock).isHeldByCurrentThread()).isTrue();
        lock.unlock();
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("locks")
    void unlockWithoutHoldingThrowsAndChangesNothing(String name, Supplier<Lock> factory) throws Exception {
        Lock lock = factory.get();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(lock.tryLock()).isTrue();
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                lock.unlock();
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.join();
        assertThat(other.get()).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("does not hold");
        assertThat(((SpinCore) lock).isLocked()).as("still held after the bad unlock").isTrue();
        lock.unlock();
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("locks")
    void badInputAndMisuse(String name, Supplier<Lock> factory) throws Exception {
        Lock lock = factory.get();
        assertThatThrownBy(() -> lock.tryLock(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(lock::newCondition).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Condvar");
        lock.lock();
        assertThatThrownBy(lock::lock).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not reentrant");
        assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(IllegalStateException.class);
        assertThat(lock.tryLock()).isFalse();
        assertThat(lock.tryLock(1, TimeUnit.SECONDS)).as("a holder's timed try fails at once").isFalse();
        lock.unlock();                                      // still exactly one hold to release
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(lock.tryLock(0, TimeUnit.SECONDS)).isTrue();
        lock.unlock();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("locks")
    void timedTryLockTimesOutAndInterruptEndsTheWait(String name, Supplier<Lock> factory) throws Exception {
        Lock lock = factory.get();
        lock.lock();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            assertThat(ex.submit(() -> lock.tryLock(20, TimeUnit.MILLISECONDS)).get()).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));

            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread blocked = Thread.ofVirtual().start(() -> {
                try {
                    lock.lockInterruptibly();
                    outcome.set(new AssertionError("acquired a lock that main holds"));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            blocked.interrupt();
            blocked.join();
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);

            Future<Boolean> waiter = ex.submit(() -> lock.tryLock(30, TimeUnit.SECONDS));
            lock.unlock();
            assertThat(waiter.get()).as("woken by the unlock, long before its timeout").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("locks")
    void underAMutex(String name, Supplier<Lock> factory) throws Exception {
        Mutex<List<Integer>> list = Mutex.of(factory.get(), new ArrayList<>());
        int threads = 4, each = Stress.iterations(2_000);
        runAll(Thread.ofPlatform().factory(), threads, () -> {
            for (int i = 0; i < each; i++) {
                try (MutexGuard<List<Integer>> g = list.lock()) {
                    g.get().add(i);
                }
            }
        });
        int size = list.withLock(List::size);
        assertThat(size).isEqualTo(threads * each);
    }

    /** 8 platform threads (more than the 2 cores CI has) hammering one lock, with every form. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("locks")
    @Timeout(30)
    void oversubscribedPlatformThreads(String name, Supplier<Lock> factory) throws Exception {
        Lock lock = factory.get();
        long[] counter = {0};
        int threads = 8, each = Stress.iterations(5_000);
        runAll(Thread.ofPlatform().factory(), threads, () -> {
            for (int i = 0; i < each; i++) {
                acquireSomehow(lock, i);
                try {
                    counter[0]++;
                } finally {
                    lock.unlock();
                }
            }
        });
        assertThat(counter[0]).isEqualTo((long) threads * each);
    }

    /** 1,000 virtual threads: a lock that spun forever would pin every carrier and never finish. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("locks")
    @Timeout(30)
    void thousandVirtualThreads(String name, Supplier<Lock> factory) throws Exception {
        Lock lock = factory.get();
        long[] counter = {0};
        int threads = 1_000, each = Stress.iterations(50);
        runAll(Thread.ofVirtual().factory(), threads, () -> {
            for (int i = 0; i < each; i++) {
                acquireSomehow(lock, i);
                try {
                    counter[0]++;
                    if (i % 8 == 0) Thread.yield();               // get descheduled while holding
                } finally {
                    lock.unlock();
                }
            }
        });
        assertThat(counter[0]).isEqualTo((long) threads * each);
    }

    private static void acquireSomehow(Lock lock, int i) throws InterruptedException {
        switch (i % 4) {
            case 0, 1 -> lock.lock();
            case 2 -> lock.lockInterruptibly();
            default -> {
                while (!lock.tryLock(1, TimeUnit.MILLISECONDS)) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    interface Body {
        void run() throws Exception;
    }

    static void runAll(java.util.concurrent.ThreadFactory factory, int threads, Body body) throws Exception {
        List<Thread> started = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            started.add(factory.newThread(() -> {
                try {
                    go.await();
                    body.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        started.forEach(Thread::start);
        go.countDown();
        for (Thread t : started) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
    }
}
