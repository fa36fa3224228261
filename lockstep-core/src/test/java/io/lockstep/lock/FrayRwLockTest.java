package io.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

/** Fray model checking of RawRwLock's blocking paths: park, hand-off to readers, drain, upgrade. */
@ExtendWith(FrayTestExtension.class)
class FrayRwLockTest {

    // read | write | read
    @FrayTest(iterations = 200)
    void readersAndAWriterExclude() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        AtomicInteger readers = new AtomicInteger(), writers = new AtomicInteger();
        AtomicBoolean broken = new AtomicBoolean();
        Runnable read = () -> {
            rw.lockRead();
            readers.incrementAndGet();
            if (writers.get() != 0) broken.set(true);
            readers.decrementAndGet();
            rw.unlockRead();
        };
        Thread r1 = new Thread(read), r2 = new Thread(read);
        Thread w = new Thread(() -> {
            rw.lockWrite();
            writers.incrementAndGet();
            if (readers.get() != 0) broken.set(true);
            writers.decrementAndGet();
            rw.unlockWrite();
        });
        r1.start();
        w.start();
        r2.start();
        r1.join();
        w.join();
        r2.join();
        assertFalse(broken.get());
        assertEquals(0, rw.getReadLockCount());
        assertFalse(rw.isWriteLocked());
    }

    // upgradable; upgrade | write | read
    @FrayTest(iterations = 200)
    void upgradeAndDowngradeKeepExclusion() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        int[] data = {0};
        Thread upgrader = new Thread(() -> {
            rw.lockUpgradable();
            int seen = data[0];
            rw.upgrade();
            data[0] = seen + 1;                              // no writer got in between
            rw.downgrade();
            rw.unlockRead();
        });
        Thread writer = new Thread(() -> {
            rw.lockWrite();
            data[0]++;
            rw.unlockWrite();
        });
        Thread reader = new Thread(() -> {
            rw.lockRead();
            rw.unlockRead();
        });
        upgrader.start();
        writer.start();
        reader.start();
        upgrader.join();
        writer.join();
        reader.join();
        assertEquals(2, data[0]);
        assertEquals(0, rw.getReadLockCount());
    }

    // 4 threads x (read, read, write, read): RwLockBench's readMostly shape, which hung with
    // 4 threads on a 16-core machine (RawRwLock's I5). A lost wake-up shows up as Fray's
    // deadlock report; before the fix Fray found it within about 3,000 iterations. The same test
    // then found I6 (a reader parked behind a stale WRITERS_PARKED that the last reader cleared
    // without waking it) in CI within 6,000 iterations and here at 16,414; 40,000 passed after.
    @FrayTest(iterations = 10000)
    void readMostlyMixNeverStrandsAThread() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        int[] data = {0};
        Runnable mix = () -> {
            for (int i = 0; i < 4; i++) {
                if (i == 2) {
                    rw.lockWrite();
                    data[0]++;
                    rw.unlockWrite();
                } else {
                    rw.lockRead();
                    rw.unlockRead();
                }
            }
        };
        Thread[] ts = {new Thread(mix), new Thread(mix), new Thread(mix), new Thread(mix)};
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        assertEquals(4, data[0]);
        assertEquals(0, rw.getReadLockCount());
        assertFalse(rw.isWriteLocked());
    }

    // write, write | read, read | read, starting biased: each writer revokes the bias, readers
    // that waited behind it enter counted or through a bias turned on again, and the next write
    // revokes it again. No writer overlaps a reader (B1 on that path too), and nobody is stranded.
    @FrayTest(iterations = 1000)
    void readersAndRepeatedRevocationsAreExcluded() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        rw.bias();
        AtomicInteger readers = new AtomicInteger(), writers = new AtomicInteger();
        AtomicBoolean broken = new AtomicBoolean();
        Runnable read = () -> {
            rw.lockRead();
            readers.incrementAndGet();
            if (writers.get() != 0) broken.set(true);
            readers.decrementAndGet();
            rw.unlockRead();
        };
        Runnable write = () -> {
            rw.lockWrite();
            if (writers.incrementAndGet() != 1 || readers.get() != 0) broken.set(true);
            writers.decrementAndGet();
            rw.unlockWrite();
        };
        Thread w = new Thread(() -> {
            write.run();
            write.run();
        });
        Thread r1 = new Thread(() -> {
            read.run();
            read.run();
        });
        Thread r2 = new Thread(read);
        w.start();
        r1.start();
        r2.start();
        w.join();
        r1.join();
        r2.join();
        assertFalse(broken.get());
        assertEquals(0, rw.getReadLockCount());
        assertFalse(rw.isWriteLocked());
    }

    // biased read, bias, read | biased read | write, tryWrite, upgrade: writers revoking the
    // reader bias while readers publish and withdraw themselves and turn the bias back on. No
    // writer overlaps a reader (B1), and no thread is stranded (B2: a biased reader's exit
    // wakes the revoking writer).
    @FrayTest(iterations = 1000)
    void writersRevokingTheBiasNeverOverlapAReader() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        rw.bias();
        AtomicInteger readers = new AtomicInteger(), writers = new AtomicInteger();
        AtomicBoolean broken = new AtomicBoolean();
        Runnable read = () -> {
            rw.lockRead();
            readers.incrementAndGet();
            if (writers.get() != 0) broken.set(true);
            readers.decrementAndGet();
            rw.unlockRead();
        };
        Thread r1 = new Thread(() -> {
            read.run();
            rw.bias();
            read.run();
        });
        Thread r2 = new Thread(read);
        Runnable exclusive = () -> {
            if (writers.incrementAndGet() != 1 || readers.get() != 0) broken.set(true);
            writers.decrementAndGet();
        };
        Thread w = new Thread(() -> {
            rw.lockWrite();
            exclusive.run();
            rw.unlockWrite();
            if (rw.tryLockWrite()) {
                exclusive.run();
                rw.unlockWrite();
            }
            rw.lockUpgradable();
            rw.upgrade();
            exclusive.run();
            rw.unlockWrite();
        });
        r1.start();
        r2.start();
        w.start();
        r1.join();
        r2.join();
        w.join();
        assertFalse(broken.get());
        assertEquals(0, rw.getReadLockCount());
        assertFalse(rw.isWriteLocked());
    }
}
