package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three servers in this JVM: a leader, a killed leader replaced, a restart, a session expired. */
@Timeout(90)
class EmbeddedEnsembleTest {

    @Test
    void threeServersElectALeaderSurviveItsDeathAndExpireSessionsOnRequest() throws Exception {
        assertThatThrownBy(() -> EmbeddedEnsemble.start(2)).isInstanceOf(IllegalArgumentException.class);
        try (EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(3);
             Coordinator zk = Zk.connect(ensemble.connectString())) {
            int leader = Await.until(ensemble::leader, i -> i >= 0, "a leader is elected");
            ensemble.kill(leader);
            assertThat(ensemble.isRunning(leader)).isFalse();
            Await.until(() -> ensemble.leader() >= 0, "the two others elect a leader", Zk.PATIENCE);
            try (DistributedMutexGuard g = zk.mutex("m").tryLock(Zk.PATIENCE).orElseThrow()) {
                assertThat(g.token()).isPositive();
            }
            ensemble.restart(leader);
            long session = zk.sessionId();
            ensemble.expireSession(zk);
            Await.until(() -> zk.currentSessionOrZero() != 0 && zk.currentSessionOrZero() != session,
                    "the client gets a new session", Zk.PATIENCE);
        }
    }
}
