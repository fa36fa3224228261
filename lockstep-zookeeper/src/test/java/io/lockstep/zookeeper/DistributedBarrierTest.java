package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The barrier trips once per generation for every party, and a party that gives up is not counted. */
@Timeout(60)
class DistributedBarrierTest {

    @Test
    void tripsOncePerGenerationAndAGivenUpArrivalIsWithdrawn() throws Exception {
        try (TestingServer server = new TestingServer(true);
             Coordinator a = Zk.connect(server.getConnectString());
             Coordinator b = Zk.connect(server.getConnectString());
             Coordinator c = Zk.connect(server.getConnectString())) {
            List<DistributedBarrier> parties = List.of(a.barrier("round", 3), b.barrier("round", 3), c.barrier("round", 3));
            DistributedCounter state = new DistributedCounter(a, "round", Coordinator.ROOT + "/barrier/round");

            // A lone party times out and withdraws: the next generation needs three new arrivals.
            assertThat(parties.get(0).await(Duration.ofMillis(300))).isEmpty();
            Await.until(() -> arrived(state) == 0, "the timed-out arrival is withdrawn");

            for (int generation = 0; generation < 2; generation++) {
                List<CompletableFuture<Integer>> arrivals = new ArrayList<>();
                arrivals.add(parties.get(0).awaitAsync());
                arrivals.add(parties.get(1).awaitAsync());
                Await.holds(Duration.ofMillis(300), () -> arrivals.stream().noneMatch(CompletableFuture::isDone),
                        "two of three parties wait");
                arrivals.add(parties.get(2).awaitAsync());
                List<Integer> indexes = new ArrayList<>();
                for (CompletableFuture<Integer> f : arrivals) indexes.add(Zk.within(f));
                assertThat(indexes).containsExactlyInAnyOrder(0, 1, 2);
            }

            // A cancelled arrival is withdrawn too.
            CompletableFuture<Integer> cancelled = parties.get(0).awaitAsync();
            Await.holds(Duration.ofMillis(200), () -> !cancelled.isDone(), "one party waits");
            cancelled.cancel(false);
            Await.until(() -> arrived(state) == 0, "the cancelled arrival is withdrawn");
            CompletableFuture<Integer> x = parties.get(1).awaitAsync(), y = parties.get(2).awaitAsync();
            Await.holds(Duration.ofMillis(300), () -> !x.isDone() && !y.isDone(), "two live parties of three still wait");
            CompletableFuture<Integer> z = parties.get(0).awaitAsync();
            Zk.within(x);
            Zk.within(y);
            Zk.within(z);
            assertThatThrownBy(() -> a.barrier("round", 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The arrivals counted in the barrier's current generation. */
    private static int arrived(DistributedCounter state) {
        try {
            return (int) state.get();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
