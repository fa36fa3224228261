package io.lockstep.spin;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Stress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SpinRwLockTest {
    private final SpinRwLock rw = new SpinRwLock();
    private final Lock read = rw.readLock(), write = rw.writeLock();

    @Test
    void readersShareAndExcludeWriters() throws Exception {
        read.lock();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(ex.submit(() -> {
                boolean got = read.tryLock();
                if (got) read.unlock();
                return got;
            }).get()).as("a second reader enters").isTrue();
            assertThat(ex.submit(() -> write.tryLock()).get()).as("a writer is kept out").isFalse();
            assertThat(rw.getReadLockCount()).isEqualTo(1);
            Future<Boolean> writer = ex.submit(() -> write.tryLock(30, TimeUnit.SECONDS));
            read.unlock();
            assertThat(writer.get()).as("the last reader's unlock lets the writer in").isTrue();
            assertThat(rw.isWriteLocked()).isTrue();
            assertThat(read.tryLock()).isFalse();
            assertThat(rw.toString()).contains("write locked");
        }
    }

    @Test
    void aWaitingWriterBarsNewReaders() throws Exception {
        read.lock();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = ex.submit(() -> {
                write.lock();
                write.unlock();
                return null;
            });
            // Once the writer announces itself, no new reader gets in; wait for that to happen.
            Await.until(() -> !CompletableFuture.supplyAsync(() -> {
                boolean got = read.tryLock();
                if (got) read.unlock();
                return got;
            }, ex).join(), "a new reader is refused");
            assertThat(writer).isNotDone();
            read.unlock();
            writer.get(10, TimeUnit.SECONDS);
            assertThat(read.tryLock()).as("readers return once the writer is gone").isTrue();
            read.unlock();
        }
    }

    @Test
    void misuseThrowsAndLosesNothing() {
        assertThatThrownBy(read::unlock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("no read lock");
        assertThatThrownBy(write::unlock).isInstanceOf(IllegalMonitorStateException.class);
        read.lock();
        assertThatThrownBy(write::unlock).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(rw.getReadLockCount()).isEqualTo(1);
        read.unlock();
        assertThat(rw.getReadLockCount()).isZero();
        assertThatThrownBy(read::newCondition).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aTimedOutWriterLetsBlockedReadersThrough() throws Exception {
        read.lock();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> writer = ex.submit(() -> write.tryLock(50, TimeUnit.MILLISECONDS));
            Future<Boolean> reader = ex.submit(() -> {
                boolean got = read.tryLock(30, TimeUnit.SECONDS);
                if (got) read.unlock();
                return got;
            });
            assertThat(writer.get()).isFalse();
            assertThat(reader.get()).as("woken when the writer gave up").isTrue();
        } finally {
            read.unlock();
        }
    }

    @Test
    void oversubscribedReadersAndWriters() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        long[] writes = {0};
        int threads = 200, each = Stress.iterations(40);
        SpinLockTest.runAll(Thread.ofVirtual().factory(), threads, () -> {
            for (int i = 0; i < each; i++) {
                if (i % 4 == 0) {
                    write.lock();
                    try {
                        assertThat(inside.getAndAdd(1000)).isZero();
                        writes[0]++;
                        Thread.yield();
                        inside.addAndGet(-1000);
                    } finally {
                        write.unlock();
                    }
                } else {
                    read.lock();
                    try {
                        assertThat(inside.incrementAndGet()).isLessThan(1000);
                        Thread.yield();
                        inside.decrementAndGet();
                    } finally {
                        read.unlock();
                    }
                }
            }
        });
        assertThat(writes[0]).isEqualTo((long) threads * ((each + 3) / 4));
        assertThat(rw.getReadLockCount()).isZero();
        assertThat(rw.isWriteLocked()).isFalse();
    }
}
