package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The semaphore on one server: the permit bound, slots, order, tokens, release errors, expiry. */
class DistributedSemaphoreTest extends OneServerTest {
    @Test
    void grantsAtMostPermitsLeasesInDistinctSlotsAndAFreedSlotsTokenRises() throws Exception {
        DistributedSemaphore sa = a.semaphore(name, 2), sb = b.semaphore(name, 2);
        DistributedSemaphoreLease first = sa.acquire();
        DistributedSemaphoreLease second = sb.acquire();
        assertThat(List.of(first.slot(), second.slot())).containsExactlyInAnyOrder(0, 1);
        assertThat(first.isValid()).isTrue();
        assertThat(sb.tryAcquire()).isEmpty();
        assertThat(sa.tryAcquire(Duration.ofMillis(200))).isEmpty();
        Await.until(() -> lineSize(sa) == 2, "the failed attempts' queue nodes are removed");

        CompletableFuture<DistributedSemaphoreLease> third = sb.acquireAsync();
        Await.holds(Duration.ofMillis(300), () -> !third.isDone(), "the third waits while two leases are held");
        assertThat(first.release()).isTrue();
        DistributedSemaphoreLease got = Zk.within(third);
        assertThat(got.slot()).isEqualTo(first.slot());
        assertThat(got.token()).isGreaterThan(first.token()).isGreaterThan(second.token());
        got.close();
        second.close();
        Await.until(() -> lineSize(sa) == 0, "every queue node is gone");
    }

    @Test
    void waitersAreServedInTheOrderTheyAsked() throws Exception {
        DistributedSemaphore s = a.semaphore(name, 2);
        DistributedSemaphoreLease h1 = s.acquire(), h2 = s.acquire();
        List<CompletableFuture<DistributedSemaphoreLease>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add((i % 2 == 0 ? a : b).semaphore(name, 2).acquireAsync());
            int queued = i + 3;
            Await.until(() -> lineSize(s) == queued, "waiter " + i + " is in line");
        }
        h1.close();
        DistributedSemaphoreLease w0 = Zk.within(waiters.get(0));
        Await.holds(Duration.ofMillis(300), () -> !waiters.get(1).isDone() && !waiters.get(2).isDone(),
                "the others wait: two leases are held");
        h2.close();
        DistributedSemaphoreLease w1 = Zk.within(waiters.get(1));
        Await.holds(Duration.ofMillis(300), () -> !waiters.get(2).isDone(), "the last waits its turn");
        w0.close();
        Zk.within(waiters.get(2)).close();
        w1.close();
    }

    @Test
    void releaseTwiceIsAnErrorAndCloseTwiceIsANoOp() throws Exception {
        DistributedSemaphoreLease l = a.semaphore(name, 1).acquire();
        assertThat(l.release()).isTrue();
        assertThatThrownBy(l::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("already released");
        l.close();
        assertThat(l.ownership()).isEqualTo(Ownership.RELEASED);
        try (DistributedSemaphoreLease again = b.semaphore(name, 1).tryAcquire(Zk.PATIENCE).orElseThrow()) {
            assertThat(again.isValid()).isTrue();
        }
    }

    @Test
    void anExpiredHoldersLeaseIsLostItsLateWriteRefusedAndItsReleaseFreesNobodyElsesSlot() throws Exception {
        FencedStore<String> store = new InMemoryFencedStore<>();
        DistributedSemaphoreLease old = a.semaphore(name, 1).acquire();
        store.write("slot-" + old.slot(), old, "a");
        CompletableFuture<Void> lost = new CompletableFuture<>();
        old.onLost(() -> lost.complete(null));
        CompletableFuture<DistributedSemaphoreLease> next = b.semaphore(name, 1).acquireAsync();

        Zk.expire(a, server.getConnectString());

        DistributedSemaphoreLease fresh = Zk.within(next);
        assertThat(fresh.slot()).isEqualTo(old.slot());
        assertThat(fresh.token()).isGreaterThan(old.token());
        assertThat(store.read("slot-0", fresh)).contains("a");
        Zk.within(lost);
        assertThat(old.isValid()).isFalse();
        assertThat(old.ownership()).isEqualTo(Ownership.LOST);
        assertThatThrownBy(() -> store.write("slot-0", old, "late")).isInstanceOf(StaleTokenException.class);
        assertThat(old.release()).isFalse();
        Await.holds(Duration.ofMillis(300), fresh::isValid, "the new holder keeps its lease");
        assertThat(c.semaphore(name, 1).tryAcquire()).as("the only permit is still taken").isEmpty();
        fresh.close();
    }

    @Test
    void aWaiterWhoseSessionExpiresFailsClearlyAndLeavesTheQueue() throws Exception {
        DistributedSemaphore s = a.semaphore(name, 1);
        DistributedSemaphoreLease held = s.acquire();
        CompletableFuture<DistributedSemaphoreLease> waiting = b.semaphore(name, 1).acquireAsync();
        Await.until(() -> lineSize(s) == 2, "b is in line");
        Zk.expire(b, server.getConnectString());
        assertThatThrownBy(() -> Zk.within(waiting)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SessionLostException.class).hasMessageContaining("queue node is removed");
        Await.until(() -> lineSize(s) == 1, "b's queue node is gone");
        assertThat(held.isValid()).isTrue();
        held.close();
    }

    @Test
    void anInterruptedAcquireHoldsNothing() throws Exception {
        DistributedSemaphore s = a.semaphore(name, 1);
        DistributedSemaphoreLease held = s.acquire();
        TestThread waiter = TestThread.startVirtual("waiter", () ->
                assertThatThrownBy(() -> b.semaphore(name, 1).acquire()).isInstanceOf(InterruptedException.class));
        Await.until(() -> lineSize(s) == 2, "the waiter is in line");
        waiter.interrupt();
        waiter.joinAndRethrow();
        Await.until(() -> lineSize(s) == 1, "the waiter's node is removed");
        held.close();
    }

    /** Cancels requests at random moments, some after the grant: the semaphore ends up with every permit free. */
    @Test
    void cancellingAtAnyMomentLosesNothing() throws Exception {
        DistributedSemaphore s = a.semaphore(name, 2);
        for (int round = 0; round < 30; round++) {
            CompletableFuture<DistributedSemaphoreLease> f = s.acquireAsync();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(3_000_000));
            if (!f.cancel(false)) Zk.within(f).close();
        }
        Await.until(() -> lineSize(s) == 0 && slotCount(s) == 0, "every request's nodes are gone");
        DistributedSemaphore other = b.semaphore(name, 2);
        try (DistributedSemaphoreLease x = other.tryAcquire(Zk.PATIENCE).orElseThrow();
             DistributedSemaphoreLease y = other.tryAcquire(Zk.PATIENCE).orElseThrow()) {
            assertThat(x.slot()).isNotEqualTo(y.slot());
        }
    }

    @Test
    void badPermitCountsAreRefused() {
        assertThatThrownBy(() -> a.semaphore(name, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permits");
        assertThatThrownBy(() -> a.semaphore("a/b", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private int lineSize(DistributedSemaphore s) {
        return children(s.path() + "/queue");
    }

    private int slotCount(DistributedSemaphore s) {
        return children(s.path() + "/slots");
    }

    private int children(String path) {
        try {
            if (c.client().checkExists().forPath(path) == null) return 0;
            return c.client().getChildren().forPath(path).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
