package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** awaitAsync of Latch, Event and WaitGroup: completion, cancel-safety, the thread that runs stages. */
@Timeout(30)
class AsyncGatesTest {

    @Test
    void latchFutureCompletesOnTheLastCountDownOnThatThread() {
        Latch latch = new Latch(2);
        CompletableFuture<Void> f = latch.awaitAsync();
        Thread[] ranOn = new Thread[1];
        f.thenRun(() -> ranOn[0] = Thread.currentThread());
        latch.countDown();
        assertThat(f).isNotDone();
        latch.countDown();
        assertThat(f).isCompleted();
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
        assertThat(latch.async().size()).isZero();
    }

    @Test
    void anOpenGateCompletesAtOnce() {
        assertThat(new Latch(0).awaitAsync()).isCompleted();
        Event e = new Event();
        e.set();
        assertThat(e.awaitAsync()).isCompleted();
        assertThat(new WaitGroup().awaitAsync()).isCompleted();
    }

    @Test
    void cancellingWithdrawsTheWaiterAndLeavesTheOthers() {
        Latch latch = new Latch(1);
        CompletableFuture<Void> cancelled = latch.awaitAsync(), kept = latch.awaitAsync();
        assertThat(latch.async().size()).isEqualTo(2);
        assertThat(cancelled.cancel(false)).isTrue();
        assertThat(latch.async().size()).as("a cancelled waiter leaves the queue").isEqualTo(1);
        latch.countDown();
        assertThat(kept).isCompleted();
        assertThat(cancelled).isCancelled();
    }

    @Test
    void orTimeoutFailsTheFutureAndWithdrawsIt() {
        Latch latch = new Latch(1);
        CompletableFuture<Void> f = latch.awaitAsync().orTimeout(10, TimeUnit.MILLISECONDS);
        Await.until(f::isDone, "the timeout fired");
        assertThat(f).isCompletedExceptionally();
        assertThat(f.exceptionNow()).isInstanceOf(TimeoutException.class);
        Await.until(() -> latch.async().size() == 0, "the timed-out waiter left the queue");
    }

    @Test
    void eventFutureWaitsForASetAfterItArrived() {
        Event e = new Event();
        e.set();
        e.clear();
        CompletableFuture<Void> f = e.awaitAsync();
        assertThat(f).as("the set before the clear does not release it").isNotDone();
        e.set();
        assertThat(f).isCompleted();
    }

    @Test
    void waitGroupFutureCompletesWhenTheCounterReachesZero() {
        WaitGroup wg = new WaitGroup();
        wg.add(2);
        CompletableFuture<Void> f = wg.awaitAsync();
        wg.done();
        assertThat(f).isNotDone();
        wg.done();
        assertThat(f).isCompleted();
    }

    @Test
    void aLongChainOfGatesCompletesWithoutRecursing() {
        // Each stage opens the next latch from inside the previous one's completion.
        int n = 100_000;
        List<Latch> latches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) latches.add(new Latch(1));
        AtomicInteger reached = new AtomicInteger();
        for (int i = 0; i < n - 1; i++) {
            Latch next = latches.get(i + 1);
            latches.get(i).awaitAsync().thenRun(() -> {
                reached.incrementAndGet();
                next.countDown();
            });
        }
        CompletableFuture<Void> last = latches.get(n - 1).awaitAsync();
        latches.get(0).countDown();
        assertThat(last).isCompleted();
        assertThat(reached).hasValue(n - 1);
    }

    @Test
    void registrationsRacingTheOpeningAreAllCompleted() throws Exception {
        for (int round = 0; round < 200; round++) {
            Latch latch = new Latch(1);
            int waiters = 64;
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            Thread opener = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                latch.countDown();
            });
            go.countDown();
            for (int i = 0; i < waiters; i++) futures.add(latch.awaitAsync());
            opener.join(Duration.ofSeconds(10));
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(latch.async().size()).isZero();
        }
    }
}
