package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The lock on one server (curator-test's TestingServer): exclusion, order, tokens, cancellation, expiry. */
class DistributedMutexTest extends OneServerTest {
    @Test
    void excludesAcrossClientsAndTokensIncreaseWithEachGrant() throws Exception {
        DistributedMutex ma = a.mutex(name), mb = b.mutex(name);
        DistributedMutexGuard first = ma.lock();
        assertThat(first.isValid()).isTrue();
        assertThat(first.ownership()).isEqualTo(Ownership.HELD);
        assertThat(mb.tryLock()).isEmpty();
        assertThat(mb.tryLock(Duration.ofMillis(200))).isEmpty();
        Await.until(() -> queueSize(ma) == 1, "the failed attempts' queue nodes are removed");

        CompletableFuture<DistributedMutexGuard> waiting = mb.lockAsync();
        Await.holds(Duration.ofMillis(300), () -> !waiting.isDone(), "b waits while a holds the lock");
        assertThat(first.release()).isTrue();
        DistributedMutexGuard second = Zk.within(waiting);
        assertThat(second.token()).isGreaterThan(first.token());
        second.close();
        try (DistributedMutexGuard third = ma.lock()) {
            assertThat(third.token()).isGreaterThan(second.token());
        }
    }

    @Test
    void waitersAreServedInTheOrderTheyAsked() throws Exception {
        DistributedMutex m = a.mutex(name);
        DistributedMutexGuard held = m.lock();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<DistributedMutexGuard>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int id = i;
            Coordinator c = i % 2 == 0 ? a : b;
            waiters.add(c.mutex(name).lockAsync().thenApply(g -> {
                order.add(id);
                g.close();
                return g;
            }));
            int queued = i + 2;
            Await.until(() -> queueSize(m) == queued, "waiter " + i + " is in line");
        }
        held.close();
        long last = held.token();
        for (CompletableFuture<DistributedMutexGuard> w : waiters) {
            long token = Zk.within(w).token();
            assertThat(token).isGreaterThan(last);
            last = token;
        }
        assertThat(order).containsExactly(0, 1, 2, 3);
    }

    @Test
    void theGuardBelongsToNoThread() throws Exception {
        DistributedMutex m = a.mutex(name);
        DistributedMutexGuard[] guard = new DistributedMutexGuard[1];
        TestThread locker = TestThread.startVirtual("locker", () -> guard[0] = m.lock());
        locker.joinAndRethrow();
        TestThread closer = TestThread.startVirtual("closer", () -> assertThat(guard[0].release()).isTrue());
        closer.joinAndRethrow();
        try (DistributedMutexGuard again = b.mutex(name).tryLock(Zk.PATIENCE).orElseThrow()) {
            assertThat(again.isValid()).isTrue();
        }
    }

    @Test
    void closeTwiceIsANoOpAndReleaseTwiceIsAnError() throws Exception {
        DistributedMutexGuard g = a.mutex(name).lock();
        g.close();
        g.close();
        assertThat(g.ownership()).isEqualTo(Ownership.RELEASED);
        assertThat(g.isValid()).isFalse();
        assertThatThrownBy(g::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("already released");
        DistributedMutexGuard h = a.mutex(name).lock();
        assertThat(h.release()).isTrue();
        h.close();
    }

    @Test
    void aCancelledRequestLeavesTheQueueAndLosesNothing() throws Exception {
        DistributedMutex m = a.mutex(name);
        DistributedMutexGuard held = m.lock();
        CompletableFuture<DistributedMutexGuard> waiting = b.mutex(name).lockAsync();
        Await.until(() -> queueSize(m) == 2, "b is in line");
        assertThat(waiting.cancel(false)).isTrue();
        Await.until(() -> queueSize(m) == 1, "b's queue node is removed");
        held.close();
        try (DistributedMutexGuard next = b.mutex(name).tryLock(Zk.PATIENCE).orElseThrow()) {
            assertThat(next.isValid()).isTrue();
        }
    }

    /**
     * Cancels requests at random moments, some after the grant: whoever wins each race, the lock
     * ends up free and the queue empty, so no grant was lost and none released twice.
     */
    @Test
    void cancellingAtAnyMomentLosesNothing() throws Exception {
        DistributedMutex m = a.mutex(name);
        AtomicInteger granted = new AtomicInteger();
        for (int round = 0; round < 40; round++) {
            CompletableFuture<DistributedMutexGuard> f = m.lockAsync();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(3_000_000));
            if (!f.cancel(false)) {
                granted.incrementAndGet();
                Zk.within(f).close();
            }
        }
        Await.until(() -> queueSize(m) == 0, "every request's node is gone");
        try (DistributedMutexGuard g = b.mutex(name).tryLock(Zk.PATIENCE).orElseThrow()) {
            assertThat(g.isValid()).isTrue();
        }
    }

    @Test
    void anInterruptedLockHoldsNothing() throws Exception {
        DistributedMutex m = a.mutex(name);
        DistributedMutexGuard held = m.lock();
        TestThread waiter = TestThread.start("waiter", () ->
                assertThatThrownBy(() -> b.mutex(name).lock()).isInstanceOf(InterruptedException.class));
        Await.until(() -> queueSize(m) == 2, "the waiter is in line");
        waiter.interrupt();
        waiter.joinAndRethrow();
        Await.until(() -> queueSize(m) == 1, "the waiter's node is removed");
        held.close();
    }

    @Test
    void anExpiredHolderIsToldAndTheNextHolderOutranksIt() throws Exception {
        DistributedMutexGuard old = a.mutex(name).lock();
        CompletableFuture<Void> lost = new CompletableFuture<>();
        old.onLost(() -> lost.complete(null));
        CompletableFuture<DistributedMutexGuard> next = b.mutex(name).lockAsync();
        Zk.expire(a, server.getConnectString());
        DistributedMutexGuard fresh = Zk.within(next);
        assertThat(fresh.token()).isGreaterThan(old.token());
        Zk.within(lost);
        assertThat(old.isValid()).isFalse();
        assertThat(old.ownership()).isEqualTo(Ownership.LOST);
        assertThat(old.lossReason()).isNotBlank();
        // Releasing the lost guard touches only its own (gone) node, never the new holder's.
        assertThat(old.release()).isFalse();
        Await.holds(Duration.ofMillis(300), fresh::isValid, "the new holder keeps the lock");
        fresh.close();
        // The old client has a new session and locks normally.
        try (DistributedMutexGuard again = a.mutex(name).tryLock(Zk.PATIENCE).orElseThrow()) {
            assertThat(again.token()).isGreaterThan(fresh.token());
        }
    }

    @Test
    void aWaiterWhoseSessionExpiresFailsClearlyAndLeavesTheQueue() throws Exception {
        DistributedMutex m = a.mutex(name);
        DistributedMutexGuard held = m.lock();
        CompletableFuture<DistributedMutexGuard> waiting = b.mutex(name).lockAsync();
        Await.until(() -> queueSize(m) == 2, "b is in line");
        Zk.expire(b, server.getConnectString());
        assertThatThrownBy(() -> Zk.within(waiting)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SessionLostException.class).hasMessageContaining("queue node is removed");
        Await.until(() -> queueSize(m) == 1, "b's queue node is gone");
        assertThat(held.isValid()).isTrue();
        held.close();
    }

    @Test
    void aLostCallbackRegisteredLateRunsAtOnce() throws Exception {
        DistributedMutexGuard g = a.mutex(name).lock();
        Zk.expire(a, server.getConnectString());
        Await.until(() -> g.ownership() == Ownership.LOST, "a learns its session expired");
        CompletableFuture<Void> ran = new CompletableFuture<>();
        g.onLost(() -> ran.complete(null));
        Zk.within(ran);
        g.close();
    }

    private int queueSize(DistributedMutex m) {
        try {
            return Zk.queue(c, m).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
