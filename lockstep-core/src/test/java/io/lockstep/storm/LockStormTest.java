package io.lockstep.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lock.Condvar;
import io.lockstep.lock.Mutex;
import io.lockstep.lock.MutexGuard;
import io.lockstep.lock.RawRwLock;
import io.lockstep.lock.RwLock;
import io.lockstep.lock.RwLockReadGuard;
import io.lockstep.lock.RwLockUpgradableReadGuard;
import io.lockstep.lock.RwLockWriteGuard;
import io.lockstep.testing.Storm;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lock storms: an RwLock under readers, writers and upgradable readers, and a Condvar-guarded
 * queue under producers and consumers, each with every acquisition flavor (plain,
 * interruptible, try, timed), virtual and platform threads and interrupts from a chaos thread.
 * Writes are never lost or torn, every queued id is taken exactly once, nothing stalls, and the
 * locks end free with nobody queued.
 */
@Tag("storm")
class LockStormTest {

    @Test
    void rwLockWritesAreNeitherLostNorTorn() {
        RwLock<long[]> lock = RwLock.of(new long[2]);     // a write bumps both; a reader must see them equal
        RawRwLock raw = (RawRwLock) lock.rawLock();
        AtomicLong writes = new AtomicLong(), reads = new AtomicLong();
        long target = Storm.size(30_000);
        try (Storm storm = new Storm("rwlock")) {
            storm.start(12, 4, "worker", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (writes.get() < target && !storm.stopping()) {
                    try {
                        if (rnd.nextInt(3) == 0) {
                            if (write(lock, rnd)) writes.incrementAndGet();
                        } else if (read(lock, rnd)) {
                            reads.incrementAndGet();
                        }
                        storm.progress();
                    } catch (InterruptedException e) {
                        // nothing taken: go on
                    }
                }
            });
            storm.chaos(storm.workers(), 300);
            storm.joinAll();
            Thread.interrupted();
            assertThat(raw.getQueueLength()).isZero();
            assertThat(raw.isWriteLocked()).isFalse();
            assertThat(raw.getReadLockCount()).isZero();
            try (RwLockReadGuard<long[]> g = lock.read()) {
                assertThat(g.get()[0]).as("writes counted (reads %d)", reads.get()).isEqualTo(writes.get()).isEqualTo(g.get()[1]);
            }
        }
    }

    /** One write by a random path; false if none was taken this time. */
    private static boolean write(RwLock<long[]> lock, ThreadLocalRandom rnd) throws InterruptedException {
        switch (rnd.nextInt(5)) {
            case 0 -> {
                try (RwLockWriteGuard<long[]> g = lock.write()) {
                    bump(g.get());
                }
            }
            case 1 -> {
                try (RwLockWriteGuard<long[]> g = lock.writeInterruptibly()) {
                    bump(g.get());
                }
            }
            case 2 -> {
                RwLockWriteGuard<long[]> g = lock.tryWrite(Duration.ofNanos(rnd.nextLong(1, 300_000))).orElse(null);
                if (g == null) return false;
                try (g) {
                    bump(g.get());
                }
            }
            case 3 -> {
                RwLockWriteGuard<long[]> g = lock.tryWrite().orElse(null);
                if (g == null) return false;
                try (g) {
                    bump(g.get());
                }
            }
            default -> {
                try (RwLockUpgradableReadGuard<long[]> u = lock.upgradableRead()) {
                    check(u.get());
                    try (RwLockWriteGuard<long[]> g = u.upgrade()) {
                        bump(g.get());
                    }
                }
            }
        }
        return true;
    }

    /** One read by a random path; false if none was taken this time. */
    private static boolean read(RwLock<long[]> lock, ThreadLocalRandom rnd) throws InterruptedException {
        RwLockReadGuard<long[]> g = switch (rnd.nextInt(5)) {
            case 0 -> lock.read();
            case 1 -> lock.readInterruptibly();
            case 2 -> lock.tryRead(Duration.ofNanos(rnd.nextLong(1, 300_000))).orElse(null);
            case 3 -> lock.tryRead().orElse(null);
            default -> lock.readRecursive();
        };
        if (g == null) return false;
        try (g) {
            check(g.get());
        }
        return true;
    }

    private static void bump(long[] data) {
        check(data);
        data[0]++;
        Thread.yield();                                   // widen the window a torn read would see
        data[1]++;
    }

    private static void check(long[] data) {
        if (data[0] != data[1]) throw new AssertionError("torn: " + data[0] + " != " + data[1]);
    }

    @Test
    void condvarQueueLosesNoWakeUp() {
        Mutex<ArrayDeque<Integer>> queue = Mutex.of(new ArrayDeque<>());
        Condvar nonEmpty = new Condvar();
        int total = Storm.size(30_000);
        Ledger ledger = new Ledger(total);
        AtomicInteger nextId = new AtomicInteger();
        try (Storm storm = new Storm("condvar")) {
            storm.start(6, 2, "producer", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int id; (id = nextId.getAndIncrement()) < total; ) {
                    for (;;) {
                        try (MutexGuard<ArrayDeque<Integer>> g = rnd.nextBoolean() ? queue.lock() : queue.lockInterruptibly()) {
                            g.get().add(id);
                            if (rnd.nextInt(4) != 0) {                    // notify with the mutex held...
                                if (rnd.nextInt(8) == 0) nonEmpty.notifyAllWaiters(); else nonEmpty.notifyOne();
                                break;
                            }
                        } catch (InterruptedException e) {
                            continue;
                        }
                        nonEmpty.notifyOne();                             // ...or after releasing it
                        break;
                    }
                    storm.progress();
                }
            });
            storm.start(6, 2, "consumer", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (ledger.deliveredCount() < total) {
                    try (MutexGuard<ArrayDeque<Integer>> g = rnd.nextBoolean() ? queue.lock() : queue.lockInterruptibly()) {
                        switch (rnd.nextInt(4)) {
                            case 0 -> nonEmpty.awaitWhile(g, q -> q.isEmpty() && ledger.deliveredCount() < total);
                            case 1 -> nonEmpty.awaitWhile(g, q -> q.isEmpty() && ledger.deliveredCount() < total,
                                    Duration.ofNanos(rnd.nextLong(1, 500_000)));
                            case 2 -> {
                                if (g.get().isEmpty() && ledger.deliveredCount() < total) nonEmpty.await(g);
                            }
                            default -> {
                                if (g.get().isEmpty() && ledger.deliveredCount() < total) {
                                    nonEmpty.await(g, Duration.ofNanos(rnd.nextLong(1, 500_000)));
                                }
                            }
                        }
                        Integer id = g.get().poll();
                        if (id != null) {
                            ledger.delivered(id);
                            storm.progress();
                            if (ledger.deliveredCount() == total) nonEmpty.notifyAllWaiters();   // release the rest
                        }
                    } catch (InterruptedException e) {
                        // the mutex was re-taken and released by the try: go on
                    }
                }
            });
            storm.chaos(storm.workers(), 300);
            storm.joinAll();
            ledger.verify();
            Thread.interrupted();
            MutexGuard<ArrayDeque<Integer>> g = queue.tryLock().orElseThrow(() -> new AssertionError("mutex held at the end: " + queue));
            try (g) {
                assertThat(g.get()).isEmpty();
            }
        }
    }
}
