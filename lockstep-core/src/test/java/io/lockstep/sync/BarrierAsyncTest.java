package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.TestThread;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Barrier.awaitAsync: arrivals without a thread; a future given up breaks the generation as a timeout does. */
@Timeout(30)
class BarrierAsyncTest {

    @Test
    void asyncAndBlockingPartiesMeetAndTheLeaderRunsTheAction() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        Barrier b = new Barrier(3, actions::incrementAndGet);
        CompletableFuture<Boolean> first = b.awaitAsync();
        TestThread t = TestThread.start("party", () -> assertThat(b.await()).isFalse());
        t.awaitBlocked();
        assertThat(first).isNotDone();
        CompletableFuture<Boolean> last = b.awaitAsync();
        assertThat(last).as("the leader, completed at once").isCompletedWithValue(true);
        assertThat(first.get(5, TimeUnit.SECONDS)).isFalse();
        t.joinAndRethrow();
        assertThat(actions.get()).isEqualTo(1);
        assertThat(b.isBroken()).isFalse();
        assertThat(b.getNumberWaiting()).isZero();
    }

    @Test
    void cancellingAWaitingFutureBreaksTheGenerationAsATimeoutDoes() throws Exception {
        Barrier b = new Barrier(3);
        CompletableFuture<Boolean> a = b.awaitAsync();
        CompletableFuture<Boolean> timed = b.awaitAsync().orTimeout(10, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> a.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(BrokenBarrierException.class);
        assertThat(timed).isCompletedExceptionally();
        assertThat(b.isBroken()).isTrue();
        assertThat(b.awaitAsync()).isCompletedExceptionally();
        b.reset();
        CompletableFuture<Boolean> x = b.awaitAsync(), y = b.awaitAsync();
        assertThat(b.awaitAsync()).isCompletedWithValue(true);
        assertThat(x.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(y.get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aCancelAfterEveryPartyArrivedBreaksNothing() throws Exception {
        Barrier b = new Barrier(2);
        CompletableFuture<Boolean> a = b.awaitAsync();
        assertThat(b.awaitAsync()).isCompletedWithValue(true);
        assertThat(a.cancel(false)).as("already completed by the trip").isFalse();
        assertThat(a.get(1, TimeUnit.SECONDS)).isFalse();
        assertThat(b.isBroken()).isFalse();
    }
}
