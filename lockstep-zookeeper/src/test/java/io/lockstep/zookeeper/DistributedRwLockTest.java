package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The readers-writer lock on one server: sharing, exclusion, FIFO order, tokens, expiry. */
class DistributedRwLockTest extends OneServerTest {
    @Test
    void readersShareTheLockAndAFencedStoreInEitherOrder() throws Exception {
        FencedStore<String> store = new InMemoryFencedStore<>();
        try (DistributedRwLockGuard w = a.rwLock(name).writeLock()) {
            store.write("k", w, "v");
        }
        DistributedRwLockGuard r1 = a.rwLock(name).readLock();
        DistributedRwLockGuard r2 = b.rwLock(name).tryReadLock(Zk.PATIENCE).orElseThrow();
        assertThat(r1.isValid() && r2.isValid()).isTrue();
        assertThat(r1.isWriteLock()).isFalse();
        assertThat(r2.token()).isEqualTo(r1.token());
        assertThat(store.read("k", r2)).contains("v");
        assertThat(store.read("k", r1)).contains("v");           // not refused by r2's read
        assertThat(c.rwLock(name).tryWriteLock()).isEmpty();
        r1.close();
        r2.close();
    }

    @Test
    void aWriterExcludesAndWaitingWritersHoldBackLaterReaders() throws Exception {
        DistributedRwLockGuard r1 = a.rwLock(name).readLock();
        CompletableFuture<DistributedRwLockGuard> writer = b.rwLock(name).writeLockAsync();
        Await.until(() -> lineSize() == 2, "the writer is in line");
        CompletableFuture<DistributedRwLockGuard> lateReader = c.rwLock(name).readLockAsync();
        Await.holds(Duration.ofMillis(300), () -> !writer.isDone() && !lateReader.isDone(),
                "the writer waits for the reader, the late reader for the writer");
        assertThat(c.rwLock(name).tryReadLock()).as("a reader behind a waiting writer").isEmpty();
        r1.close();
        DistributedRwLockGuard w = Zk.within(writer);
        assertThat(w.isWriteLock()).isTrue();
        assertThat(w.token()).isGreaterThan(r1.token());
        Await.holds(Duration.ofMillis(300), () -> !lateReader.isDone(), "the late reader waits for the writer");
        w.close();
        DistributedRwLockGuard r2 = Zk.within(lateReader);
        assertThat(r2.token()).isEqualTo(w.token() + 1);
        r2.close();
    }

    @Test
    void anExpiredWritersGuardIsLostAndItsLateWriteRefusedOnceAReaderRead() throws Exception {
        FencedStore<String> store = new InMemoryFencedStore<>();
        DistributedRwLockGuard old = a.rwLock(name).writeLock();
        store.write("k", old, "1");
        CompletableFuture<DistributedRwLockGuard> reader = b.rwLock(name).readLockAsync();
        Zk.expire(a, server.getConnectString());
        DistributedRwLockGuard r = Zk.within(reader);
        assertThat(store.read("k", r)).contains("1");
        Await.until(() -> old.ownership() == Ownership.LOST, "the writer learns it lost the lock", Zk.PATIENCE);
        assertThatThrownBy(() -> store.write("k", old, "late")).isInstanceOf(StaleTokenException.class);
        assertThat(old.release()).isFalse();
        r.close();
    }

    @Test
    void anExpiredReadersGuardIsLostAndItsLateReadRefusedAfterTheNextWrite() throws Exception {
        FencedStore<String> store = new InMemoryFencedStore<>();
        DistributedRwLockGuard old = a.rwLock(name).readLock();
        assertThat(store.read("k", old)).isEmpty();
        CompletableFuture<DistributedRwLockGuard> writer = b.rwLock(name).writeLockAsync();
        Zk.expire(a, server.getConnectString());
        DistributedRwLockGuard w = Zk.within(writer);
        assertThat(w.token()).isGreaterThan(old.token());
        store.write("k", w, "2");
        Await.until(() -> old.ownership() == Ownership.LOST, "the reader learns it lost the lock", Zk.PATIENCE);
        assertThatThrownBy(() -> store.read("k", old)).isInstanceOf(StaleTokenException.class);
        w.close();
    }

    private int lineSize() {
        try {
            String queue = c.rwLock(name).path() + "/queue";
            if (c.client().checkExists().forPath(queue) == null) return 0;
            return c.client().getChildren().forPath(queue).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
