package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Oneshot to and from CompletableFuture, and Select's future case. */
@Timeout(60)
class PromiseBridgeTest {

    @Test
    void fromFutureCarriesTheValueAndCloseCancelsTheFuture() throws InterruptedException {
        CompletableFuture<String> f = new CompletableFuture<>();
        Oneshot<String> o = Oneshot.from(f);
        assertThat(o.isDone()).isFalse();
        f.complete("v");
        assertThat(o.recv()).isEqualTo("v");

        CompletableFuture<String> g = new CompletableFuture<>();
        Oneshot<String> p = Oneshot.from(g);
        assertThat(p.close()).isTrue();
        assertThat(g).as("closing the oneshot cancels the future").isCancelled();

        CompletableFuture<String> h = new CompletableFuture<>();
        Oneshot<String> q = Oneshot.from(h);
        h.cancel(false);
        assertThat(q.tryRecv()).as("a cancelled future closes the oneshot").isInstanceOf(RecvResult.Closed.class);
        assertThat(Oneshot.from(CompletableFuture.completedFuture(null)).tryRecv()).isInstanceOf(RecvResult.Closed.class);
    }

    @Test
    void toFutureCancelReachesTheProducer() {
        Oneshot<String> o = new Oneshot<>();
        CompletableFuture<String> f = o.toFuture();
        assertThat(f.cancel(false)).isTrue();
        assertThat(f).isCancelled();
        assertThat(o.isDone()).isTrue();
        assertThat(o.trySend("late")).isInstanceOf(SendResult.Closed.class);
    }

    @Test
    void toFutureCompletesBothWaysExactlyOnce() {
        Oneshot<String> o = new Oneshot<>();
        CompletableFuture<String> f = o.toFuture();
        assertThat(f.complete("from the future")).isTrue();
        assertThat(o.tryRecv()).isEqualTo(new RecvResult.Received<>("from the future"));
        assertThat(f.complete("again")).isFalse();
        assertThat(f.cancel(false)).as("a cancel that loses to the value").isFalse();
        assertThatThrownBy(() -> o.toFuture().complete(null)).isInstanceOf(NullPointerException.class);

        Oneshot<String> sent = new Oneshot<>();
        CompletableFuture<String> g = sent.toFuture();
        sent.trySend("from the oneshot");
        assertThat(g).isCompletedWithValue("from the oneshot");
        assertThat(g.cancel(false)).isFalse();

        Oneshot<String> closed = new Oneshot<>();
        CompletableFuture<String> h = closed.toFuture();
        closed.close();
        assertThatThrownBy(h::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ChannelClosedException.class);

        Oneshot<String> timed = new Oneshot<>();
        CompletableFuture<String> t = timed.toFuture().orTimeout(1, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> t.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(timed.isDone()).as("orTimeout closed the oneshot").isTrue();
    }

    @Test
    void selectTakesWhicheverOfChannelAndFutureIsReady() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        CompletableFuture<String> f = new CompletableFuture<>();
        Select<String> select = new Select<String>()
                .recv(ch, m -> "message " + m)
                .await(f, v -> "value " + v, e -> "failed " + e.getClass().getSimpleName());
        ch.send(1);
        assertThat(select.select()).isEqualTo("message 1");
        assertThat(f).as("the select leaves the future alone").isNotDone();
        TestThread waiter = TestThread.start("selector", () -> assertThat(select.select()).isEqualTo("value 7"));
        waiter.awaitBlocked();
        f.complete("7");
        waiter.joinAndRethrow();
        assertThat(ch.registrations()).isZero();
        assertThat(select.trySelect(() -> "none")).as("a completed future stays ready").isEqualTo("value 7");
    }

    @Test
    void selectReportsAFailedOrCancelledFuture() throws Exception {
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("no"));
        assertThat(new Select<String>().await(failed, v -> v, e -> "failed: " + e.getMessage()).select()).isEqualTo("failed: no");
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertThatThrownBy(() -> new Select<String>().await(cancelled, v -> v).select()).isInstanceOf(CancellationException.class);
        CompletableFuture<String> wrapped = CompletableFuture.<String>failedFuture(new IllegalStateException("inner")).thenApply(s -> s);
        assertThatThrownBy(() -> new Select<String>().await(wrapped, v -> v).select())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTimedOutOrInterruptedSelectLeavesNothingBehind() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        CompletableFuture<String> f = new CompletableFuture<>();
        Select<String> select = new Select<String>().recv(ch, m -> "m").await(f, v -> v);
        assertThat(select.select(Duration.ofMillis(5), () -> "timeout")).isEqualTo("timeout");
        TestThread waiter = TestThread.start("selector", () -> assertThatThrownBy(select::select).isInstanceOf(InterruptedException.class));
        waiter.awaitBlocked();
        waiter.interrupt();
        waiter.joinAndRethrow();
        assertThat(ch.registrations()).isZero();
        assertThat(f).isNotDone();
        assertThatThrownBy(() -> new Select<String>().await((CompletableFuture<String>) null, v -> v)).isInstanceOf(NullPointerException.class);
    }
}
