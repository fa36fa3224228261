package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connecting, bad input, use after close, and the embedded server. */
@Timeout(60)
class CoordinatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "host:", ":2181", "host:notaport", "host:0", "host:65536", "a:1,,b:2",
            "host:2181/bad//chroot", "host:2181/trailing/"})
    void aMalformedConnectionStringIsRefusedUpFront(String connectString) {
        assertThatThrownBy(() -> Coordinator.connect(connectString))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed connection string");
    }

    @Test
    void wellFormedConnectionStringsPassValidation() {
        Coordinator.validateConnectString("localhost");
        Coordinator.validateConnectString("zk1:2181,zk2:2181,zk3:2181/app");
        Coordinator.validateConnectString("[::1]:2181,10.0.0.1:2181");
        assertThatThrownBy(() -> Coordinator.connect(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anUnreachableEnsembleFailsClearlyAfterTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {     // a port nobody listens on once closed
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> Coordinator.builder("127.0.0.1:" + port).connectTimeout(Duration.ofSeconds(1)).connect())
                .isInstanceOf(CoordinationException.class)
                .hasMessageContaining("could not connect to ZooKeeper at 127.0.0.1:" + port)
                .hasMessageContaining("PT1S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void badTimeoutsAndNamesAreRefused() {
        var b = Coordinator.builder("localhost:2181");
        assertThatThrownBy(() -> b.sessionTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.connectTimeout(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.sessionTimeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void embeddedWorksAndEveryUseAfterCloseIsAClearError() throws Exception {
        DistributedMutex m;
        try (Coordinator zk = Coordinator.embedded()) {
            assertThat(zk.isConnected()).isTrue();
            assertThatThrownBy(() -> zk.mutex("a/b")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a primitive name");
            assertThatThrownBy(() -> zk.mutex("")).isInstanceOf(IllegalArgumentException.class);
            m = zk.mutex("m");
            try (DistributedMutexGuard g = m.lock()) {
                assertThat(g.isValid()).isTrue();
                assertThat(g.token()).isPositive();
            }
            zk.close();
            assertThat(zk.isClosed()).isTrue();
            assertThatThrownBy(() -> zk.mutex("m")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("coordinator closed");
            assertThatThrownBy(m::lock).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(m::lockAsync).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(zk::sessionId).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closingTheCoordinatorLosesItsGuardsAndFailsItsWaiters() throws Exception {
        try (EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(1);
             Coordinator holder = Zk.connect(ensemble.connectString());
             Coordinator other = Zk.connect(ensemble.connectString())) {
            DistributedMutexGuard g = holder.mutex("m").lock();
            var lost = new java.util.concurrent.CompletableFuture<Void>();
            g.onLost(() -> lost.complete(null));
            var waiter = holder.mutex("m").lockAsync();
            holder.close();
            Zk.within(lost);
            assertThat(g.ownership()).isEqualTo(Ownership.LOST);
            assertThat(g.release()).isFalse();
            assertThatThrownBy(() -> Zk.within(waiter)).hasCauseInstanceOf(IllegalStateException.class);
            // The session's end freed the lock for everybody else.
            try (DistributedMutexGuard next = other.mutex("m").tryLock(Zk.PATIENCE).orElseThrow()) {
                assertThat(next.token()).isGreaterThan(g.token());
            }
        }
    }
}
