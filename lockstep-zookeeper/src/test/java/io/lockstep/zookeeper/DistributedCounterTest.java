package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Compare-and-set on the znode version: contended updates from several clients are never lost. */
@Timeout(60)
class DistributedCounterTest {

    @Test
    void contendedIncrementsFromSeveralClientsAreAllCountedOnce() throws Exception {
        try (TestingServer server = new TestingServer(true)) {
            List<Coordinator> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) clients.add(Zk.connect(server.getConnectString()));
                assertThat(clients.get(0).counter("n").get()).isZero();
                Set<Long> seen = ConcurrentHashMap.newKeySet();
                List<TestThread> threads = new ArrayList<>();
                int perThread = 25;
                for (int t = 0; t < 6; t++) {
                    DistributedCounter counter = clients.get(t % 3).counter("n");
                    threads.add(TestThread.startVirtual("incrementer-" + t, () -> {
                        for (int i = 0; i < perThread; i++) assertThat(seen.add(counter.incrementAndGet())).isTrue();
                    }));
                }
                for (TestThread t : threads) t.joinAndRethrow();
                assertThat(clients.get(1).counter("n").get()).isEqualTo(6 * perThread);
                assertThat(seen).hasSize(6 * perThread);
            } finally {
                for (Coordinator c : clients) c.close();
            }
        }
    }

    @Test
    void compareAndSetAnswersOnlyForARealMismatch() throws Exception {
        try (TestingServer server = new TestingServer(true); Coordinator zk = Zk.connect(server.getConnectString())) {
            DistributedCounter c = zk.counter("cas");
            assertThat(c.compareAndSet(1, 5)).isFalse();   // never written: 0
            assertThat(c.compareAndSet(0, 5)).isTrue();
            assertThat(c.compareAndSet(5, 5)).isTrue();
            assertThat(c.compareAndSet(4, 9)).isFalse();
            assertThat(c.addAndGet(-2)).isEqualTo(3);
            assertThat(c.get()).isEqualTo(3);
            assertThatThrownBy(() -> zk.counter("bad/name")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
