package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The latch opens for every client once the count, decremented from any client, is zero. */
@Timeout(60)
class DistributedLatchTest {

    @Test
    void opensForEveryWaiterOnceCountedDownFromAnyClient() throws Exception {
        try (TestingServer server = new TestingServer(true);
             Coordinator a = Zk.connect(server.getConnectString());
             Coordinator b = Zk.connect(server.getConnectString())) {
            DistributedLatch la = a.latch("ready", 3);
            DistributedLatch lb = b.latch("ready", 99);          // exists already: the first count wins
            assertThat(lb.getCount()).isEqualTo(3);
            CompletableFuture<Void> wa = la.awaitAsync(), wb = lb.awaitAsync();
            assertThat(la.await(Duration.ofMillis(100))).isFalse();
            la.countDown();
            lb.countDown();
            Await.holds(Duration.ofMillis(300), () -> !wa.isDone() && !wb.isDone(), "one count is left");
            // A waiter whose session expires watches again on its new session.
            long oldSession = b.sessionId();
            Zk.expire(b, server.getConnectString());
            Await.until(() -> b.currentSessionOrZero() != 0 && b.currentSessionOrZero() != oldSession && b.isConnected(),
                    "b is connected on a new session");
            assertThat(wb).isNotDone();
            la.countDown();
            Zk.within(wa);
            Zk.within(wb);
            assertThat(lb.await(Duration.ZERO)).isTrue();
            lb.countDown();                                     // at zero: stays zero
            assertThat(la.getCount()).isZero();
            assertThatThrownBy(() -> a.latch("bad", -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
