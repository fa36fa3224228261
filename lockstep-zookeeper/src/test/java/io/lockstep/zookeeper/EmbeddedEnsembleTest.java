package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three servers in this JVM: a leader, a follower killed and restarted, a session expired. (The
 * leader's death is ClusterTest's, on curator-test's TestingCluster: here the survivors of a
 * killed leader sometimes took over 20 s to elect a new one on the loaded 2-core machine.)
 */
@Timeout(90)
class EmbeddedEnsembleTest {

    @Test
    void threeServersElectALeaderSurviveItsDeathAndExpireSessionsOnRequest() throws Exception {
        assertThatThrownBy(() -> EmbeddedEnsemble.start(2)).isInstanceOf(IllegalArgumentException.class);
        try (EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(3);
             Coordinator zk = Zk.connect(ensemble.connectString())) {
            int leader = Await.until(ensemble::leader, i -> i >= 0, "a leader is elected");
            int follower = (leader + 1) % 3;
            ensemble.kill(follower);
            assertThat(ensemble.isRunning(follower)).isFalse();
            Await.until(() -> ensemble.leader() == leader, "the leader keeps a majority", Zk.PATIENCE);
            try (DistributedMutexGuard g = zk.mutex("m").tryLock(Zk.PATIENCE).orElseThrow()) {
                assertThat(g.token()).isPositive();
            }
            ensemble.restart(follower);
            long session = zk.sessionId();
            ensemble.expireSession(zk);
            Await.until(() -> zk.currentSessionOrZero() != 0 && zk.currentSessionOrZero() != session,
                    "the client gets a new session", Zk.PATIENCE);
        }
    }
}
