package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** LeaderElection and DistributedOnce on one server, with leaders' sessions expired on the server. */
class LeaderElectionTest extends OneServerTest {
    @Test
    void oneLeaderAtATimeAndAbdicationHandsOverWithAHigherToken() throws Exception {
        Leadership first = a.election(name).awaitLeadership();
        assertThat(first.isValid()).isTrue();
        assertThat(b.election(name).tryLead()).isEmpty();
        CompletableFuture<Leadership> next = b.election(name).awaitLeadershipAsync();
        Await.holds(Duration.ofMillis(300), () -> !next.isDone(), "b stands while a leads");
        assertThat(first.release()).isTrue();
        Leadership second = Zk.within(next);
        assertThat(second.token()).isGreaterThan(first.token());
        assertThat(c.election(name).awaitLeadership(Duration.ofMillis(200))).isEmpty();
        second.close();
    }

    @Test
    void aLeaderExpiredOnTheServerIsToldItsLateWriteIsRefusedAndTheNextLeads() throws Exception {
        FencedStore<String> store = new InMemoryFencedStore<>();
        Leadership old = a.election(name).awaitLeadership();
        store.write("plan", old, "v1");
        CompletableFuture<Void> deposed = new CompletableFuture<>();
        old.onLost(() -> deposed.complete(null));
        CompletableFuture<Leadership> next = b.election(name).awaitLeadershipAsync();

        Zk.expire(a, server.getConnectString());           // server-side, not KillSession

        Leadership fresh = Zk.within(next);
        assertThat(fresh.token()).isGreaterThan(old.token());
        store.write("plan", fresh, "v2");
        Zk.within(deposed);
        assertThat(old.ownership()).isEqualTo(Ownership.LOST);
        assertThatThrownBy(() -> store.write("plan", old, "stale")).isInstanceOf(StaleTokenException.class);
        assertThat(store.read("plan", fresh)).contains("v2");
        assertThat(old.release()).isFalse();
        Await.holds(Duration.ofMillis(300), fresh::isValid, "the new leader keeps leading");
        fresh.close();
    }

    @Test
    void onceRunsExactlyOneOfManyConcurrentCallsAndRecordsIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CopyOnWriteArrayList<Long> tokens = new CopyOnWriteArrayList<>();
        CopyOnWriteArrayList<CompletableFuture<Boolean>> calls = new CopyOnWriteArrayList<>();
        for (Coordinator client : new Coordinator[] {a, b, c, a, b}) {
            DistributedOnce once = client.once(name);
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return once.run(token -> {
                        runs.incrementAndGet();
                        tokens.add(token);
                        LockSupport.parkNanos(100_000_000);   // others wait meanwhile
                    });
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, LeaderElectionTest::virtual));
        }
        int ranHere = 0;
        for (CompletableFuture<Boolean> call : calls) if (Zk.within(call)) ranHere++;
        assertThat(ranHere).isEqualTo(1);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(tokens.get(0)).isPositive();
        assertThat(c.once(name).isDone()).isTrue();
        assertThat(c.once(name).run(t -> runs.incrementAndGet())).as("a later call").isFalse();
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aClaimantExpiredMidRunIsNotRunAgainAndBothSidesAreTold() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> expired = new CompletableFuture<>();
        CompletableFuture<Boolean> claimant = CompletableFuture.supplyAsync(() -> {
            try {
                return a.once(name).run(token -> {
                    started.complete(null);
                    expired.join();                        // a long pause, during which the session expires
                });
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, LeaderElectionTest::virtual);
        Zk.within(started);
        CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
            try {
                return b.once(name).run(token -> { throw new AssertionError("ran twice"); });
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, LeaderElectionTest::virtual);
        Zk.expire(a, server.getConnectString());
        assertThatThrownBy(() -> Zk.within(other)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(OnceInterruptedException.class).hasMessageContaining("will not run again");
        Await.until(() -> a.isConnected() && a.sessionId() != 0, "a has a new session", Zk.PATIENCE);
        expired.complete(null);
        assertThatThrownBy(() -> Zk.within(claimant)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(OnceInterruptedException.class).hasMessageContaining("finish was recorded");
        assertThat(c.once(name).isDone()).isFalse();
        assertThatThrownBy(() -> c.once(name).run(t -> { throw new AssertionError("ran twice"); }))
                .isInstanceOf(OnceInterruptedException.class);
    }

    private static void virtual(Runnable r) {
        Thread.ofVirtual().start(r);
    }
}
