package io.lockstep.cli.tour;

import io.lockstep.zookeeper.Coordinator;
import io.lockstep.zookeeper.DistributedMutex;
import io.lockstep.zookeeper.DistributedMutexGuard;
import io.lockstep.zookeeper.EmbeddedEnsemble;
import io.lockstep.zookeeper.FencedStore;
import io.lockstep.zookeeper.InMemoryFencedStore;
import io.lockstep.zookeeper.Ownership;
import io.lockstep.zookeeper.StaleTokenException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The tour of {@code lockstep-zookeeper}: a distributed mutex on an embedded three-server ensemble,
 * with the faults that make fencing tokens necessary.
 */
public final class ZooKeeperScenarios implements ScenarioGroup {

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "distributed-mutex",
                        "3 clients, 3 servers: a server dies, a session expires, the fence refuses the stale write",
                        ZooKeeperScenarios::distributedMutex));
    }

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static String distributedMutex() throws Exception {
        FencedStore<String> store = new InMemoryFencedStore<>();
        List<Long> tokens = new ArrayList<>();
        try (EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(3);
                Coordinator a = connect(ensemble);
                Coordinator b = connect(ensemble);
                Coordinator c = connect(ensemble)) {
            DistributedMutex ma = a.mutex("counter"),
                    mb = b.mutex("counter"),
                    mc = c.mutex("counter");

            // Each client increments once, in turn.
            for (DistributedMutex m : List.of(ma, mb, mc)) tokens.add(increment(m, store));

            // A server dies while a holds the lock: the other two still form a majority, clients
            // of the dead one reconnect elsewhere on the same session, and a's guard is confirmed
            // with the same token.
            int killed;
            try (DistributedMutexGuard g = ma.lock()) {
                int[] leader = {-1};
                waitFor(() -> (leader[0] = ensemble.leader()) >= 0, "the ensemble has a leader");
                killed = (leader[0] + 1) % 3; // a follower
                ensemble.kill(killed);
                waitFor(() -> ensemble.leader() >= 0, "the surviving servers serve");
                waitFor(
                        () -> g.isValid() && a.isConnected(),
                        "a's guard is confirmed after reconnecting");
                long n = Long.parseLong(store.read("counter", g).orElse("0"));
                store.write("counter", g, Long.toString(n + 1));
                tokens.add(g.token());
            }

            // b holds the lock and reads, then its session expires on the servers (as after a long
            // pause): c gets the lock and increments; b's late write is refused by the fence.
            DistributedMutexGuard stale = mb.lock();
            long seen = Long.parseLong(store.read("counter", stale).orElse("0"));
            CompletableFuture<DistributedMutexGuard> next = mc.lockAsync();
            ensemble.expireSession(b);
            DistributedMutexGuard fresh = next.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            long n = Long.parseLong(store.read("counter", fresh).orElse("0"));
            store.write("counter", fresh, Long.toString(n + 1));
            tokens.add(fresh.token());
            fresh.close();
            String refusal;
            try {
                store.write("counter", stale, Long.toString(seen + 1));
                throw new ScenarioFailure(
                        "the store accepted a write with the expired holder's token "
                                + stale.token());
            } catch (StaleTokenException e) {
                refusal = "token " + e.token() + " < fence " + e.fence();
            }
            waitFor(() -> stale.ownership() == Ownership.LOST, "b learns that its lock was lost");
            stale.close();

            for (int i = 1; i < tokens.size(); i++) {
                Check.that(tokens.get(i) > tokens.get(i - 1), "tokens did not rise: %s", tokens);
            }
            Check.equal(
                    Long.toString(tokens.size()),
                    store.read("counter", Long.MAX_VALUE).orElse("0"),
                    "the counter after the fenced increments");
            return tokens.size()
                    + " fenced increments, tokens "
                    + tokens
                    + "; server "
                    + (killed + 1)
                    + " killed mid-hold, lock kept; b's session expired, its late write refused ("
                    + refusal
                    + ")";
        }
    }

    /** Polls {@code condition} every 20 ms for up to 20 s; fails the scenario if it never holds. */
    private static void waitFor(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            Check.that(System.nanoTime() - deadline < 0, "timed out waiting until %s", what);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static Coordinator connect(EmbeddedEnsemble ensemble) {
        return Coordinator.builder(ensemble.connectString())
                .sessionTimeout(Duration.ofSeconds(10))
                .connect();
    }

    private static long increment(DistributedMutex m, FencedStore<String> store)
            throws InterruptedException {
        try (DistributedMutexGuard g = m.lock()) {
            long n = Long.parseLong(store.read("counter", g).orElse("0"));
            store.write("counter", g, Long.toString(n + 1));
            return g.token();
        }
    }
}
