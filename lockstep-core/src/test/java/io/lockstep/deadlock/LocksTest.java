package io.lockstep.deadlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lock.RawMutex;
import io.lockstep.lock.ReentrantMutex;
import io.lockstep.testing.Stress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LocksTest {
    @Test
    void lockAllUnderRandomOrdersNeverDeadlocks() throws Exception {
        int nLocks = 6, nThreads = 8, rounds = Stress.iterations(2_000);
        List<Lock> locks = new ArrayList<>();
        for (int i = 0; i < nLocks; i++) locks.add(i % 2 == 0 ? new RawMutex() : new ReentrantMutex());
        long[] counters = new long[nLocks];                   // counters[i] guarded by locks[i]
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < nThreads; t++) {
            long seed = t;
            threads.add(Thread.ofVirtual().start(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                List<Lock> shuffled = new ArrayList<>(locks);
                for (int r = 0; r < rounds; r++) {
                    Collections.shuffle(shuffled, new java.util.Random(rnd.nextLong()));
                    List<Lock> pick = shuffled.subList(0, 2 + rnd.nextInt(nLocks - 1));
                    try (MultiLockGuard g = Locks.lockAll(pick.toArray(Lock[]::new))) {
                        for (Lock l : pick) counters[locks.indexOf(l)]++;
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        long total = 0;
        for (long c : counters) total += c;
        assertThat(total).isPositive();
        for (Lock l : locks) assertThat(l.tryLock()).as("all released").isTrue();
    }

    @Test
    void theOrderIsGlobalAndTheGuardReleasesInReverse() {
        RawMutex a = new RawMutex(), b = new RawMutex(), c = new RawMutex();
        List<Lock> one, two;
        try (MultiLockGuard g = Locks.lockAll(a, b, c)) {
            one = g.locks();
            assertThat(a.isHeldByCurrentThread() && b.isHeldByCurrentThread() && c.isHeldByCurrentThread()).isTrue();
            g.close();
            g.close();                                        // second close: nothing
            assertThat(a.isLocked() || b.isLocked() || c.isLocked()).isFalse();
        }
        try (MultiLockGuard g = Locks.lockAll(c, a, b)) {
            two = g.locks();
        }
        assertThat(two).isEqualTo(one);
        assertThat(one).isSortedAccordingTo(java.util.Comparator.comparingInt(System::identityHashCode));
    }

    @Test
    void badArgumentsAreRejectedAndNothingStaysLocked() {
        RawMutex a = new RawMutex();
        assertThatThrownBy(() -> Locks.lockAll(a, a)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> Locks.lockAll(a, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Locks.lockAll((Lock[]) null)).isInstanceOf(NullPointerException.class);
        assertThat(a.isLocked()).isFalse();
    }

    @Test
    void tryLockAllTakesAllOrNone() throws Exception {
        RawMutex a = new RawMutex(), b = new RawMutex();
        b.lock();                                             // held by this thread; another thread must fail
        java.util.concurrent.atomic.AtomicReference<Optional<MultiLockGuard>> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                result.set(Locks.tryLockAll(Duration.ofMillis(20), a, b));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        other.join();
        assertThat(result.get()).isEmpty();
        assertThat(a.isLocked()).as("none held after failing").isFalse();
        b.unlock();
        Optional<MultiLockGuard> g = Locks.tryLockAll(Duration.ofSeconds(5), a, b);
        assertThat(g).isPresent();
        assertThat(g.get().locks()).containsExactly(a, b);
        g.get().close();
        assertThat(a.isLocked() || b.isLocked()).isFalse();
    }

    @Test
    void tryLockAllInOppositeOrdersFromManyThreadsMakesProgress() throws Exception {
        RawMutex a = new RawMutex(), b = new RawMutex();
        int[] count = {0};
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean flip = t % 2 == 0;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < Stress.iterations(500); i++) {
                    try {
                        Optional<MultiLockGuard> g = flip ? Locks.tryLockAll(Duration.ofSeconds(10), a, b)
                                : Locks.tryLockAll(Duration.ofSeconds(10), b, a);
                        try (MultiLockGuard held = g.orElseThrow()) {
                            count[0]++;
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(count[0]).isEqualTo(4 * Stress.iterations(500));
    }
}
