package io.lockstep.channel.flavors;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.internal.Deadline;
import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * OneshotFlavor's own contract, below the Oneshot API: the value is set once (I1), every receive
 * sees it without consuming it, a send never waits, and settling releases every registered
 * receiver (I2) and the shared future.
 */
class OneshotFlavorTest {

    @Test
    void theFirstSendSettlesItAndEveryReceiveSeesTheSameValue() {
        OneshotFlavor<String> flavor = new OneshotFlavor<>();
        assertThat(flavor.tryRecv()).isEqualTo(Outcome.EMPTY);
        assertThat(flavor.isClosed()).isFalse();
        assertThat(flavor.size()).isZero();

        assertThat(flavor.trySend("v")).isEqualTo(Outcome.SENT);
        assertThat(flavor.trySend("w")).as("a second value").isEqualTo(Outcome.CLOSED);
        assertThat(flavor.tryRecv()).isEqualTo("v");
        assertThat(flavor.tryRecv()).as("a receive does not consume").isEqualTo("v");
        assertThat(flavor.size()).isOne();
        assertThat(flavor.capacity()).isOne();
        assertThat(flavor.isClosed()).isTrue();
        assertThat(flavor.isVoid()).isFalse();
        assertThat(flavor.close()).as("already settled").isFalse();
    }

    @Test
    void closingWithoutAValueIsFinalToo() {
        OneshotFlavor<String> flavor = new OneshotFlavor<>();
        assertThat(flavor.close()).isTrue();
        assertThat(flavor.isVoid()).isTrue();
        assertThat(flavor.tryRecv()).isEqualTo(Outcome.CLOSED);
        assertThat(flavor.trySend("late")).isEqualTo(Outcome.CLOSED);
        assertThat(flavor.future()).isCompletedWithValue(Outcome.CLOSED);
    }

    @Test
    void aSendNeverWaitsEvenWithNoReceiver() {
        OneshotFlavor<String> flavor = new OneshotFlavor<>();
        assertThat(flavor.isReady(true)).isTrue();
        assertThat(flavor.send("v", Deadline.after(Duration.ZERO), true)).isEqualTo(Outcome.SENT);
        assertThat(flavor.send("w", Deadline.NONE, true)).isEqualTo(Outcome.CLOSED);
    }

    @Test
    void settlingReleasesEveryWaitingReceiverAndTheFuture() throws Exception {
        OneshotFlavor<String> flavor = new OneshotFlavor<>();
        CompletableFuture<Object> future = flavor.future();
        Object[] got = new Object[2];
        Thread[] receivers = new Thread[2];
        for (int i = 0; i < receivers.length; i++) {
            int k = i;
            receivers[i] = Thread.ofPlatform().start(() -> got[k] = flavor.recv(Deadline.after(Duration.ofSeconds(30)), true));
        }
        Await.until(() -> flavor.registrations() == receivers.length, "both receivers registered");
        assertThat(future).isNotDone();

        assertThat(flavor.trySend("v")).isEqualTo(Outcome.SENT);
        for (Thread t : receivers) t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(receivers).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
        assertThat(got).containsExactly("v", "v");
        assertThat(flavor.registrations()).isZero();
        assertThat(future).isCompletedWithValue("v");
    }
}
