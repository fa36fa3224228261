package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.Eventually;
import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RawRwLock and RwLock: modes, misuse, upgrade/downgrade, poisoning, and the orderings tokio's
 * rwlock tests check (a queued writer blocks new readers; writers in order), written fresh.
 */
@Timeout(30)
class RwLockTest {

    @Test
    void readersShareAndTheWriterExcludes() {
        RawRwLock rw = new RawRwLock();
        rw.lockRead();
        assertThat(rw.tryLockRead()).isTrue();
        assertThat(rw.getReadLockCount()).isEqualTo(2);
        assertThat(rw.tryLockWrite()).isFalse();
        rw.unlockRead();
        rw.unlockRead();
        assertThat(rw.tryLockWrite()).isTrue();
        assertThat(rw.isWriteLockedByCurrentThread()).isTrue();
        assertThat(rw.tryLockRead()).isFalse();
        assertThat(rw.tryLockUpgradable()).isFalse();
        rw.unlockWrite();
        assertThat(rw.isWriteLocked()).isFalse();
    }

    @Test
    void misuseThrowsAndChangesNothing() throws Exception {
        RawRwLock rw = new RawRwLock();
        assertThatThrownBy(rw::unlockRead).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(rw::unlockWrite).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(rw::unlockUpgradable).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(rw::upgrade).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(rw::downgrade).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> rw.readLock().newCondition()).isInstanceOf(UnsupportedOperationException.class);
        rw.lockWrite();
        assertThatThrownBy(rw::lockWrite).isInstanceOf(IllegalStateException.class).hasMessageContaining("deadlock");
        assertThatThrownBy(rw::lockRead).isInstanceOf(IllegalStateException.class);
        Thread other = Thread.ofPlatform().start(() ->
                assertThatThrownBy(rw::unlockWrite).isInstanceOf(IllegalMonitorStateException.class));
        other.join();
        assertThat(rw.isWriteLockedByCurrentThread()).isTrue();
        rw.unlockWrite();
        assertThat(rw.tryLockWrite()).isTrue();
        rw.unlockWrite();
    }

    // Issue 12 item 10: lockWrite by the upgradable holder parked forever behind its own lock.
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theUpgradableHolderAskingForTheWriteLockFailsAtOnce() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockUpgradable();
        assertThatThrownBy(rw::lockWrite).isInstanceOf(IllegalStateException.class).hasMessageContaining("upgrade()");
        assertThatThrownBy(() -> rw.writeLock().lockInterruptibly()).isInstanceOf(IllegalStateException.class);
        assertThat(rw.tryLockWrite()).isFalse();
        assertThat(rw.writeLock().tryLock(1, TimeUnit.MILLISECONDS)).as("a timed one times out").isFalse();
        assertThat(rw.isUpgradableLocked()).as("still held").isTrue();
        rw.upgrade();
        rw.unlockWrite();
        assertThat(rw.tryLockWrite()).isTrue();
        rw.unlockWrite();
    }

    // Issue 12 item 10: the upgradable holder's lockRead queued behind a writer that waits for it.
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theUpgradableHolderReadsPastAWriterWaitingForIt() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockUpgradable();
        TestThread writer = TestThread.start("writer", () -> {
            rw.lockWrite();
            rw.unlockWrite();
        });
        Eventually.until(() -> rw.getQueueLength() == 1, "writer parked");
        rw.lockRead();                                        // the writer waits for us: no queueing behind it
        rw.unlockRead();
        rw.unlockUpgradable();
        writer.joinAndRethrow();
    }

    @Test
    void aQueuedWriterBlocksNewReadersButNotRecursiveOnes() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockRead();
        Thread writer = Thread.ofPlatform().start(() -> {
            rw.lockWrite();
            rw.unlockWrite();
        });
        Eventually.until(rw::isWriteLocked, "the writer reserved the lock");
        assertThat(rw.tryLockRead()).as("write-preferring").isFalse();
        rw.lockReadRecursive();                               // would deadlock with lockRead()
        rw.unlockRead();
        assertThat(writer.isAlive()).isTrue();
        rw.unlockRead();
        writer.join();
        assertThat(rw.tryLockRead()).isTrue();
        rw.unlockRead();
    }

    @Test
    void readersParkedBehindAWriterAllGetInWhenItLeaves() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockWrite();
        AtomicInteger inside = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(Thread.ofPlatform().start(() -> {
                rw.lockRead();
                inside.incrementAndGet();
                Eventually.until(() -> inside.get() == 4, "all readers inside together");
                rw.unlockRead();
            }));
        }
        Eventually.until(() -> rw.getQueueLength() == 4, "readers parked");
        rw.unlockWrite();
        for (Thread t : readers) t.join();
        assertThat(inside.get()).isEqualTo(4);
    }

    @Test
    void writersGoInArrivalOrderWhenNobodyBarges() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockWrite();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            writers.add(Thread.ofPlatform().start(() -> {
                rw.lockWrite();
                order.add(id);
                rw.unlockWrite();
            }));
            Eventually.until(() -> rw.getQueueLength() == id + 1, "writer " + id + " parked");
        }
        rw.unlockWrite();
        for (Thread t : writers) t.join();
        assertThat(order).containsExactly(0, 1, 2);
    }

    @Test
    void timedAndInterruptedWaitsGiveUpCleanly() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockRead();
        Lock w = rw.writeLock();
        assertThat(w.tryLock(20, TimeUnit.MILLISECONDS)).isFalse();  // reserved, drained in vain, gave up
        assertThat(rw.isWriteLocked()).isFalse();
        assertThat(rw.tryLockRead()).as("readers not stranded").isTrue();
        rw.unlockRead();
        rw.unlockRead();

        rw.lockWrite();
        assertThat(rw.readLock().tryLock(0, TimeUnit.SECONDS)).isFalse();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                rw.readLock().lockInterruptibly();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Eventually.until(() -> rw.getQueueLength() == 1, "reader parked");
        reader.interrupt();
        reader.join();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        rw.unlockWrite();
        assertThat(rw.getReadLockCount()).isZero();
    }

    @Test
    void aWriterTimingOutBehindTheUpgradableLockWakesTheReadersItBlocked() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockUpgradable();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                assertThat(rw.writeLock().tryLock(300, TimeUnit.MILLISECONDS)).isFalse();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Eventually.until(() -> rw.getQueueLength() == 1, "writer parked");
        Thread reader = Thread.ofPlatform().start(() -> {
            rw.lockRead();                                    // blocked by the parked writer
            rw.unlockRead();
        });
        writer.join();
        reader.join();                                        // woken when the writer gave up (I3)
        rw.unlockUpgradable();
    }

    @Test
    void upgradeLetsNoWriterInBetweenAndDowngradeKeepsReading() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockUpgradable();
        assertThat(rw.tryLockUpgradable()).isFalse();
        TestThread reader = TestThread.start("reader", () -> {
            assertThat(rw.tryLockRead()).as("upgradable shares with readers").isTrue();
            Eventually.until(() -> rw.getQueueLength() == 2, "the upgrade drains");
            rw.unlockRead();
        });
        Eventually.until(() -> rw.getReadLockCount() == 1, "a reader inside");
        Thread writer = Thread.ofPlatform().start(() -> {
            rw.lockWrite();
            rw.unlockWrite();
        });
        Eventually.until(() -> rw.getQueueLength() == 1, "writer parked");
        assertThat(rw.tryUpgrade()).as("a reader is inside").isFalse();
        rw.upgrade();
        reader.joinAndRethrow();
        assertThat(rw.isWriteLockedByCurrentThread()).isTrue();
        assertThat(writer.isAlive()).isTrue();
        rw.downgrade();
        assertThat(rw.getReadLockCount()).isEqualTo(1);
        assertThat(rw.isWriteLockedByCurrentThread()).isFalse();
        // The woken writer may already reserve the lock (isWriteLocked), but it cannot finish
        // while our read lock, kept across the downgrade, is held.
        Await.holds(Duration.ofMillis(20), writer::isAlive, "the writer waits for our read lock");
        rw.unlockRead();
        writer.join();
        rw.lockUpgradable();
        rw.downgradeUpgradable();
        assertThat(rw.isUpgradableLocked()).isFalse();
        rw.unlockRead();
    }

    // ---------------------------------------------------------------- JUC contracts

    @Test
    void monitoringQueriesAsReentrantReadWriteLocksAndAToStringWithTheState() throws Exception {
        RawRwLock rw = new RawRwLock();
        assertThat(rw.isFair()).isFalse();
        assertThat(rw.hasQueuedThreads()).isFalse();
        assertThat(rw.toString()).endsWith("[readers=0]");
        rw.lockWrite();
        assertThat(rw.getOwner()).isSameAs(Thread.currentThread());
        assertThat(rw.getWriteHoldCount()).isEqualTo(1);
        assertThat(rw.toString()).contains("writer=" + Thread.currentThread().getName());
        TestThread reader = TestThread.start("reader", () -> {
            rw.lockRead();
            rw.unlockRead();
        });
        Eventually.until(() -> rw.hasQueuedThread(reader.thread()), "the reader parked");
        assertThat(rw.getQueuedThreads()).containsExactly(reader.thread());
        assertThat(rw.hasQueuedThreads()).isTrue();
        assertThat(rw.toString()).contains("readers waiting");
        assertThatThrownBy(() -> rw.hasQueuedThread(null)).isInstanceOf(NullPointerException.class);
        rw.unlockWrite();
        reader.joinAndRethrow();
        assertThat(rw.getQueuedThreads()).isEmpty();
        assertThat(rw.getOwner()).isNull();
        assertThat(rw.getWriteHoldCount()).isZero();
    }

    // Difference from ReentrantReadWriteLock pinned: isWriteLocked() is already true while the
    // writer waits for the readers inside (RRWL's is false until it holds the lock).
    @Test
    void isWriteLockedWhileAWriterWaitsForTheReaders() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockRead();
        TestThread writer = TestThread.start("writer", () -> {
            rw.lockWrite();
            rw.unlockWrite();
        });
        Eventually.until(rw::isWriteLocked, "the writer reserved the lock");
        assertThat(rw.getOwner()).isNull();
        assertThat(rw.isWriteLockedByCurrentThread()).isFalse();
        assertThat(rw.toString()).contains("readers=1", "writer draining");
        rw.unlockRead();
        writer.joinAndRethrow();
        assertThat(rw.isWriteLocked()).isFalse();
    }

    // Issue 12 item 5: Long.MAX_VALUE / Long.MIN_VALUE in every unit, and Duration extremes.
    @Test
    void extremeTimeoutsWaitForeverOrNotAtAll() throws Exception {
        RawRwLock rw = new RawRwLock();
        for (TimeUnit unit : TimeUnit.values()) {
            assertThat(rw.writeLock().tryLock(Long.MAX_VALUE, unit)).isTrue();
            TestThread other = TestThread.start("other", () -> {
                assertThat(rw.readLock().tryLock(Long.MIN_VALUE, unit)).isFalse();
                assertThat(rw.writeLock().tryLock(Long.MIN_VALUE, unit)).isFalse();
                assertThat(rw.readLock().tryLock(Long.MAX_VALUE, unit)).isTrue();   // waits for the unlock
                rw.unlockRead();
            });
            Eventually.until(() -> rw.hasQueuedThread(other.thread()), "waits with " + unit);
            rw.unlockWrite();
            other.joinAndRethrow();
        }
        RwLock<Integer> n = RwLock.of(1);
        Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), min = Duration.ofSeconds(Long.MIN_VALUE);
        try (RwLockWriteGuard<Integer> w = n.tryWrite(max).orElseThrow()) {
            TestThread other = TestThread.start("other", () -> {
                assertThat(n.tryRead(min)).isEmpty();
                assertThat(n.tryWrite(min)).isEmpty();
                assertThat(n.tryRead(max).orElseThrow().get()).isEqualTo(2);
            });
            Eventually.until(() -> ((RawRwLock) n.rawLock()).hasQueuedThread(other.thread()), "waits with a huge Duration");
            w.set(2);
            w.close();
            other.joinAndRethrow();
        }
    }

    // ---------------------------------------------------------------- reader bias (BRAVO)

    @Test
    void aBiasedReaderKeepsTheWriterOutAndTheBiasSurvivesAFailedTry() throws Exception {
        RawRwLock rw = new RawRwLock();
        assertThat(rw.bias()).isTrue();
        rw.lockRead();                                        // published in its slot, not counted
        assertThat(rw.getReadLockCount()).isEqualTo(1);
        assertThat(rw.tryLockWrite()).as("revoked, found the reader, gave up").isFalse();
        assertThat(rw.isBiased()).as("restored for the next writer").isTrue();
        rw.lockUpgradable();
        assertThat(rw.tryUpgrade()).isFalse();
        assertThat(rw.isBiased()).isTrue();
        rw.unlockUpgradable();
        TestThread writer = TestThread.start("writer", () -> {
            rw.lockWrite();
            rw.unlockWrite();
        });
        Eventually.until(() -> !rw.isBiased(), "the writer revoked the bias");
        Await.holds(Duration.ofMillis(20), () -> writer.thread().isAlive(), "the writer waits for the biased reader");
        rw.lockReadRecursive();                               // behind the draining writer: must not deadlock
        rw.unlockRead();
        rw.unlockRead();
        writer.joinAndRethrow();
        assertThat(rw.getReadLockCount()).isZero();
        assertThat(rw.tryLockWrite()).isTrue();
        rw.unlockWrite();
    }

    // Issue 12 item 10: a reader asking for the write lock waits for itself; detected when its
    // read lock is in the table (where it is sure to be its own).
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aBiasedReaderAskingForTheWriteLockFailsAtOnce() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.bias();
        rw.lockRead();
        assertThatThrownBy(rw::lockWrite).isInstanceOf(IllegalStateException.class).hasMessageContaining("read lock");
        assertThat(rw.isBiased()).as("gave nothing up").isTrue();
        assertThat(rw.getReadLockCount()).isEqualTo(1);
        rw.unlockRead();
        rw.lockWrite();
        rw.unlockWrite();
    }

    @Test
    void aTimedWriterGivingUpOnABiasedReaderRestoresTheBias() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.bias();
        rw.lockRead();
        TestThread writer = TestThread.start("writer", () ->
                assertThat(rw.writeLock().tryLock(30, TimeUnit.MILLISECONDS)).isFalse());
        writer.joinAndRethrow();
        assertThat(rw.isBiased()).as("the next writer must still wait for the slot").isTrue();
        TestThread next = TestThread.start("next", () -> {
            rw.lockWrite();
            rw.unlockWrite();
        });
        Await.holds(Duration.ofMillis(20), () -> next.thread().isAlive(), "the next writer waits too");
        rw.unlockRead();
        next.joinAndRethrow();
    }

    // Difference from ReentrantReadWriteLock pinned: RRWL throws for a read unlock by a thread
    // without a read hold, too; Lockstep detects it when no reader is counted.
    @Test
    void aBiasedReadLockIsReleasedOnlyByItsThread() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.bias();
        rw.lockRead();
        TestThread other = TestThread.start("other", () ->
                assertThatThrownBy(rw::unlockRead).isInstanceOf(IllegalMonitorStateException.class));
        other.joinAndRethrow();
        assertThat(rw.getReadLockCount()).isEqualTo(1);
        rw.unlockRead();
        assertThat(rw.getReadLockCount()).isZero();
    }

    // Writers keep revoking the bias (and readers' contention turning it back on) while readers
    // read two counters a writer bumps together: no reader sees a writer, no writer sees anyone,
    // and no read is half of a write.
    @Test
    void readMostlyStormExcludes() throws Exception {
        RawRwLock rw = new RawRwLock();
        AtomicInteger readers = new AtomicInteger(), writers = new AtomicInteger();
        AtomicReference<String> broken = new AtomicReference<>();
        long[] data = new long[2];
        int rounds = Stress.iterations(20_000);
        List<TestThread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(TestThread.start("t" + i, () -> {
                for (int r = 1; r <= rounds; r++) {
                    if (r % 10 == 0) {
                        rw.lockWrite();
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) broken.set("writer not exclusive");
                        data[0]++;
                        data[1]++;
                        writers.decrementAndGet();
                        rw.unlockWrite();
                    } else {
                        rw.lockRead();
                        readers.incrementAndGet();
                        if (writers.get() != 0) broken.set("reader with a writer");
                        if (data[0] != data[1]) broken.set("torn read");
                        readers.decrementAndGet();
                        rw.unlockRead();
                    }
                }
            }));
        }
        for (TestThread t : threads) t.joinAndRethrow();
        assertThat(broken.get()).isNull();
        assertThat(data[0]).isEqualTo(4L * (rounds / 10));
        assertThat(rw.getReadLockCount()).isZero();
        assertThat(rw.tryLockWrite()).isTrue();
    }

    // Virtual readers park inside the read lock (so they move between carriers) while writers
    // revoke the bias and the readers' contention turns it back on.
    @Test
    void virtualReadersMovingBetweenCarriersReleaseTheirSlots() throws Exception {
        RawRwLock rw = new RawRwLock();
        AtomicInteger readers = new AtomicInteger(), writers = new AtomicInteger();
        AtomicReference<String> broken = new AtomicReference<>();
        int rounds = Stress.iterations(2_000);
        List<TestThread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean writer = i < 2;
            threads.add(TestThread.startVirtual("t" + i, () -> {
                for (int r = 0; r < rounds; r++) {
                    if (writer && r % 8 == 0) {
                        rw.lockWrite();
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) broken.set("writer not exclusive");
                        writers.decrementAndGet();
                        rw.unlockWrite();
                    } else {
                        if (r % 64 == 0) rw.bias();
                        rw.lockRead();
                        readers.incrementAndGet();
                        if (writers.get() != 0) broken.set("reader with a writer");
                        if (r % 16 == 0) Thread.sleep(0, 1_000);       // unmounts; may resume elsewhere
                        Thread.yield();
                        readers.decrementAndGet();
                        rw.unlockRead();
                    }
                }
            }));
        }
        for (TestThread t : threads) t.joinAndRethrow();
        assertThat(broken.get()).isNull();
        assertThat(rw.getReadLockCount()).isZero();
        assertThat(rw.tryLockWrite()).isTrue();
    }

    @Test
    void guardsAndPoisoning() {
        RwLock<List<String>> names = RwLock.of(new ArrayList<>());
        names.withWrite(l -> l.add("ada"));
        try (RwLockReadGuard<List<String>> r1 = names.read(); RwLockReadGuard<List<String>> r2 = names.readRecursive()) {
            assertThat(r1.get()).containsExactly("ada");
            assertThat(r2.get()).isSameAs(r1.get());
            assertThat(names.tryWrite()).isEmpty();
        }
        try (RwLockUpgradableReadGuard<List<String>> u = names.upgradableRead()) {
            try (RwLockWriteGuard<List<String>> w = u.upgrade()) {
                w.get().add("bob");
                RwLockReadGuard<List<String>> r = w.downgrade();
                assertThat(w.isClosed()).isTrue();
                assertThatThrownBy(w::get).isInstanceOf(IllegalStateException.class);
                r.close();
                r.close();
            }
            assertThat(u.isClosed()).isTrue();
        }
        assertThatThrownBy(() -> names.withRead(l -> { throw new IllegalStateException("reader"); }))
                .hasMessage("reader");
        assertThat(names.isPoisoned()).as("readers do not poison").isFalse();

        RuntimeException boom = new RuntimeException("boom");
        assertThatThrownBy(() -> names.update(l -> { throw boom; })).isSameAs(boom);
        assertThat(names.isPoisoned()).isTrue();
        assertThatThrownBy(names::read).isInstanceOf(PoisonedException.class).hasCause(boom);
        assertThatThrownBy(names::write).isInstanceOf(PoisonedException.class);
        assertThatThrownBy(names::upgradableRead).isInstanceOf(PoisonedException.class);
        assertThat(((RawRwLock) names.rawLock()).isWriteLocked()).as("no lock leaked").isFalse();
        assertThat(((RawRwLock) names.rawLock()).getReadLockCount()).isZero();
        try {
            names.write();
        } catch (PoisonedException e) {
            assertThat(e.lock()).isSameAs(names);
            assertThatThrownBy(e::mutex).isInstanceOf(IllegalStateException.class);
            try (RwLockWriteGuard<List<String>> w = e.<List<String>>recoverWrite()) {
                assertThat(w.get()).containsExactly("ada", "bob");
                e.clearPoison();
            }
        }
        int size = names.withRead(List::size);
        assertThat(size).isEqualTo(2);
        RwLock<Integer> never = RwLock.nonPoisoning(1);
        assertThatThrownBy(() -> never.withWrite(i -> { throw boom; })).isSameAs(boom);
        assertThat(never.isPoisoned()).isFalse();
    }

    @Test
    void timedGuards() throws Exception {
        RwLock<Integer> n = RwLock.of(0);
        try (RwLockWriteGuard<Integer> w = n.write()) {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    assertThat(n.tryRead(Duration.ofMillis(10))).isEmpty();
                    assertThat(n.tryWrite(Duration.ZERO)).isEmpty();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            t.join();
            w.set(5);
        }
        assertThat(n.tryRead(Duration.ofSeconds(1)).orElseThrow().get()).isEqualTo(5);
    }

    @Test
    void stressMixedModesKeepsTheInvariant() throws Exception {
        RawRwLock rw = new RawRwLock();
        AtomicInteger readers = new AtomicInteger(), writers = new AtomicInteger();
        AtomicReference<String> broken = new AtomicReference<>();
        int rounds = Stress.iterations(3_000);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int kind = i % 3;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; r < rounds; r++) {
                    if (r % 32 == 0) rw.bias();                           // the biased path too
                    if (kind == 0 || (kind == 1 && r % 4 != 0)) {
                        rw.lockRead();
                        readers.incrementAndGet();
                        if (writers.get() != 0) broken.set("reader with a writer");
                        readers.decrementAndGet();
                        rw.unlockRead();
                    } else if (kind == 1) {
                        rw.lockUpgradable();
                        if (writers.get() != 0) broken.set("upgradable with a writer");
                        rw.upgrade();
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) broken.set("upgrade not exclusive");
                        writers.decrementAndGet();
                        rw.unlockWrite();
                    } else {
                        rw.lockWrite();
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) broken.set("writer not exclusive");
                        writers.decrementAndGet();
                        if (r % 2 == 0) {
                            rw.downgrade();
                            rw.unlockRead();
                        } else {
                            rw.unlockWrite();
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(broken.get()).isNull();
        assertThat(rw.getReadLockCount()).isZero();
        assertThat(rw.tryLockWrite()).isTrue();
    }
}
