package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The faults a real ensemble meets, on curator-test's TestingCluster of three servers. */
@Timeout(120)
class ClusterTest {
    private static TestingCluster cluster;
    private final List<InstanceSpec> killed = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void restartKilledServers() throws Exception {
        for (InstanceSpec spec : killed) cluster.restartServer(spec);
    }

    @Test
    void theLockSurvivesTheLeadersDeathOnTheSameSessionAndWaitersKeepTheirOrder() throws Exception {
        try (Coordinator holder = Zk.connect(cluster.getConnectString());
             Coordinator second = Zk.connect(cluster.getConnectString());
             Coordinator third = Zk.connect(cluster.getConnectString())) {
            DistributedMutex m = holder.mutex("survivor");
            DistributedMutexGuard g = m.lock();
            long session = holder.sessionId();
            CompletableFuture<DistributedMutexGuard> w2 = second.mutex("survivor").lockAsync();
            Await.until(() -> queueSize(third, m) == 2, "the second client is in line");
            CompletableFuture<DistributedMutexGuard> w3 = third.mutex("survivor").lockAsync();
            Await.until(() -> queueSize(third, m) == 3, "the third client is in line");

            long epoch = holder.epoch();
            InstanceSpec leader = leader();
            killed.add(leader);
            assertThat(cluster.killServer(leader)).isTrue();
            // Every client is cut off while the others elect a leader: the guard is suspended,
            // then confirmed on the same session.
            Await.until(() -> holder.epoch() > epoch, "the holder notices the disconnection", Zk.PATIENCE);
            Await.until(g::isValid, "the guard is confirmed after reconnecting", Zk.PATIENCE);
            assertThat(g.ownership()).isEqualTo(Ownership.HELD);
            assertThat(holder.sessionId()).isEqualTo(session);
            Await.holds(Duration.ofMillis(500), () -> !w2.isDone() && !w3.isDone(), "the waiters still wait");

            long token = g.token();
            assertThat(g.release()).isTrue();
            DistributedMutexGuard g2 = Zk.within(w2);
            assertThat(g2.token()).isGreaterThan(token);
            Await.holds(Duration.ofMillis(300), () -> !w3.isDone(), "the third waits for the second");
            g2.close();
            DistributedMutexGuard g3 = Zk.within(w3);
            assertThat(g3.token()).isGreaterThan(g2.token());
            g3.close();
        }
    }

    @Test
    void anExpiredHoldersLateWriteIsRefusedByTheFencedStore() throws Exception {
        FencedStore<String> store = FencedStoreTest.h2();
        try (Coordinator oldClient = Zk.connect(cluster.getConnectString());
             Coordinator newClient = Zk.connect(cluster.getConnectString())) {
            DistributedMutexGuard old = oldClient.mutex("fenced").lock();
            store.write("balance", old, "100");
            CompletableFuture<DistributedMutexGuard> next = newClient.mutex("fenced").lockAsync();

            Zk.expire(oldClient, cluster.getConnectString());   // server-side, not KillSession

            DistributedMutexGuard fresh = Zk.within(next);
            assertThat(fresh.token()).isGreaterThan(old.token());
            assertThat(store.read("balance", fresh)).contains("100");
            Await.until(() -> old.ownership() == Ownership.LOST, "the old holder learns it lost the lock", Zk.PATIENCE);
            assertThat(old.isValid()).isFalse();

            // The old holder, unaware or not, writes late: the store refuses it.
            assertThatThrownBy(() -> store.write("balance", old, "0"))
                    .isInstanceOf(StaleTokenException.class);
            store.write("balance", fresh, "110");
            assertThat(store.read("balance", fresh)).contains("110");
            assertThat(old.release()).isFalse();
            fresh.close();
        }
    }

    private static InstanceSpec leader() {
        return Await.until(() -> {
            for (InstanceSpec spec : cluster.getInstances()) {
                if (EmbeddedEnsemble.ask(spec.getPort(), "srvr").contains("Mode: leader")) return spec;
            }
            return null;
        }, spec -> spec != null, "the ensemble has a leader");
    }

    private static int queueSize(Coordinator observer, DistributedMutex m) {
        try {
            return Zk.queue(observer, m).size();
        } catch (Exception e) {
            return -1;
        }
    }
}
