package io.lockstep.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Futures: firstOf, allOf and withTimeout complete once and cancel what is no longer wanted. */
@Timeout(60)
class FuturesTest {

    @Test
    void firstOfTakesTheFirstAndCancelsTheLosers() {
        CompletableFuture<String> a = new CompletableFuture<>(), b = new CompletableFuture<>(), c = new CompletableFuture<>();
        CompletableFuture<String> first = Futures.firstOf(a, b, c);
        assertThat(first).isNotDone();
        b.complete("b");
        assertThat(first).isCompletedWithValue("b");
        assertThat(a).isCancelled();
        assertThat(c).isCancelled();
        assertThat(a.complete("late")).as("a loser's late completion is refused").isFalse();
    }

    @Test
    void firstOfSettlesWithAFailureToo() {
        CompletableFuture<String> a = new CompletableFuture<>(), b = new CompletableFuture<>();
        CompletableFuture<String> first = Futures.firstOf(a, b);
        a.completeExceptionally(new IllegalStateException("a failed"));
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class).cause().hasMessage("a failed");
        assertThat(b).isCancelled();
    }

    @Test
    void firstOfAnAlreadyDoneFuture() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        assertThat(Futures.firstOf(pending, CompletableFuture.completedFuture("now"))).isCompletedWithValue("now");
        assertThat(pending).isCancelled();
    }

    @Test
    void cancellingTheCombinedFutureCancelsEveryInput() {
        CompletableFuture<String> a = new CompletableFuture<>(), b = new CompletableFuture<>();
        CompletableFuture<String> first = Futures.firstOf(a, b);
        assertThat(first.cancel(false)).isTrue();
        assertThat(a).isCancelled();
        assertThat(b).isCancelled();
        CompletableFuture<Integer> x = new CompletableFuture<>();
        Futures.allOf(x).cancel(true);
        assertThat(x).isCancelled();
    }

    @Test
    void allOfKeepsTheOrderAndAllowsNulls() {
        CompletableFuture<Integer> a = new CompletableFuture<>(), b = new CompletableFuture<>(), c = new CompletableFuture<>();
        CompletableFuture<List<Integer>> all = Futures.allOf(a, b, c);
        c.complete(3);
        a.complete(null);
        assertThat(all).isNotDone();
        b.complete(2);
        assertThat(all.join()).containsExactly(null, 2, 3);
        assertThat(Futures.<Integer>allOf(List.of())).isCompletedWithValue(List.of());
    }

    @Test
    void allOfFailsOnTheFirstFailureAndCancelsTheRest() {
        CompletableFuture<Integer> a = new CompletableFuture<>(), b = new CompletableFuture<>(), c = new CompletableFuture<>();
        CompletableFuture<List<Integer>> all = Futures.allOf(a, b, c);
        a.complete(1);
        b.cancel(false);
        assertThatThrownBy(all::join).isInstanceOf(CancellationException.class);
        assertThat(c).isCancelled();
        assertThat(a).isCompletedWithValue(1);
    }

    @Test
    void withTimeoutTimesOutAndCancelsTheInner() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> timed = Futures.withTimeout(slow, Duration.ofMillis(20));
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Void> seen = timed.handle((v, e) -> {
            ranOn.set(Thread.currentThread());
            return null;
        });
        // Polling isDone, not get(): a thread woken in get() helps run dependents itself.
        Await.until(seen::isDone, "the dependent stage ran");
        assertThat(timed.exceptionNow()).isInstanceOf(TimeoutException.class);
        Await.until(slow::isCancelled, "the inner future is cancelled");
        assertThat(ranOn.get().isVirtual()).as("dependents ran on a virtual thread, not the JDK's timer").isTrue();
    }

    @Test
    void withTimeoutPassesAnEarlyResultThrough() {
        CompletableFuture<String> fast = new CompletableFuture<>();
        CompletableFuture<String> timed = Futures.withTimeout(fast, Duration.ofDays(1));
        fast.complete("done");
        assertThat(timed).isCompletedWithValue("done");
        assertThat(Futures.withTimeout(new CompletableFuture<>(), Duration.ofSeconds(Long.MAX_VALUE))).isNotDone();
    }

    @Test
    void zeroTimeoutTimesOutAtOnceUnlessDone() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        assertThat(Futures.withTimeout(pending, Duration.ZERO)).isCompletedExceptionally();
        assertThat(pending).isCancelled();
        assertThat(Futures.withTimeout(CompletableFuture.completedFuture("x"), Duration.ofNanos(-1))).isCompletedWithValue("x");
    }

    @Test
    void aLongChainOfCombinatorsKeepsAFlatStack() {
        int n = 50_000;
        List<CompletableFuture<Integer>> sources = new ArrayList<>();
        CompletableFuture<Integer> head = new CompletableFuture<>();
        CompletableFuture<Integer> prev = head;
        for (int i = 0; i < n; i++) {
            CompletableFuture<Integer> link = new CompletableFuture<>();
            sources.add(link);
            prev = Futures.firstOf(prev.thenApply(v -> v + 1), link);
        }
        head.complete(0);
        assertThat(prev.join()).isEqualTo(n);
        assertThat(sources).allMatch(CompletableFuture::isCancelled);
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> Futures.firstOf((List<CompletableFuture<String>>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Futures.allOf(new CompletableFuture<String>(), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Futures.withTimeout(new CompletableFuture<>(), null)).isInstanceOf(NullPointerException.class);
    }
}
