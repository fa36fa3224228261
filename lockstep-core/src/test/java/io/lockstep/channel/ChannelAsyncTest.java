package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Await;
import io.lockstep.testing.Stress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** recvAsync/sendAsync, and the promise that cancelling never loses or duplicates a message. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelAsyncTest {

    private static final List<Supplier<Channel<Integer>>> FLAVORS =
            List.of(Channel::rendezvous, () -> Channel.bounded(2), Channel::unbounded);

    @Test
    void recvAsyncCompletesWithTheMessageAndExceptionallyWhenClosed() throws Exception {
        for (Supplier<Channel<Integer>> make : FLAVORS) {
            Channel<Integer> ch = make.get();
            CompletableFuture<Integer> f = ch.recvAsync();
            ch.send(4);
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(4);
            CompletableFuture<Integer> g = ch.recvAsync();
            ch.close();
            assertThat(g).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ChannelClosedException.class);
        }
    }

    @Test
    void sendAsyncWaitsForRoomAndHandsBackOnClose() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        CompletableFuture<Void> f = ch.sendAsync(1);
        assertThat(ch.recv()).isEqualTo(1);
        f.get(30, TimeUnit.SECONDS);
        CompletableFuture<Void> g = ch.sendAsync(2);
        ch.close();
        assertThat(g).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .satisfies(e -> assertThat(((ChannelClosedException) e.getCause()).undelivered()).isEqualTo(2));
    }

    /** A thread that sends 0 .. n-1 and then closes the channel. */
    private static Thread sendThenClose(Channel<Integer> ch, int n) {
        return Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < n; i++) ch.send(i);
                ch.close();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void cancelledReceivesNeverLoseOrDuplicateAMessage() throws Exception {
        for (Supplier<Channel<Integer>> make : FLAVORS) {
            Channel<Integer> ch = make.get();
            int n = Stress.iterations(2_000);
            Thread producer = sendThenClose(ch, n);
            Set<Integer> got = new HashSet<>();
            List<CompletableFuture<Integer>> kept = new ArrayList<>();
            for (int i = 0; ; i++) {
                CompletableFuture<Integer> f = ch.recvAsync();
                if (i % 2 == 0 && f.cancel(true)) continue;          // withdrawn: took nothing
                kept.add(f);
                try {
                    assertThat(got.add(f.get(30, TimeUnit.SECONDS))).isTrue();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ChannelClosedException.class);
                    break;
                }
            }
            producer.join();
            assertThat(got).hasSize(n);
            assertThat(ch.registrations()).isZero();
        }
    }

    @Test
    void cancelledSendsAreNeverDelivered() throws Exception {
        for (Supplier<Channel<Integer>> make : List.<Supplier<Channel<Integer>>>of(Channel::rendezvous, () -> Channel.bounded(1))) {
            Channel<Integer> ch = make.get();
            int n = Stress.iterations(1_000);
            List<Integer> delivered = new ArrayList<>();
            Thread consumer = Thread.ofPlatform().start(() -> {
                for (int v : ch) delivered.add(v);
            });
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < n; i++) {
                CompletableFuture<Void> f = ch.sendAsync(i);
                if (i % 3 == 0 && f.cancel(true)) continue;
                f.get(30, TimeUnit.SECONDS);
                expected.add(i);
            }
            ch.close();
            consumer.join();
            assertThat(delivered).doesNotHaveDuplicates();
            assertThat(new HashSet<>(delivered)).isEqualTo(expected);
        }
    }

    @Test
    void aTimedOutReceiveNeverSwallowsALaterMessage() throws Exception {
        for (Supplier<Channel<Integer>> make : FLAVORS) {
            Channel<Integer> ch = make.get();
            CompletableFuture<Integer> f = ch.recvAsync().orTimeout(1, TimeUnit.MILLISECONDS);
            assertThat(f).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(TimeoutException.class);
            Await.until(() -> ch.registrations() == 0, "the withdrawn receive leaves no registration");
            if (ch.capacity() == 0) {                                // nobody is receiving any more
                assertThat(ch.send(7, Duration.ofMillis(20))).isInstanceOf(SendResult.TimedOut.class);
            } else {
                ch.send(7);
                assertThat(ch.tryRecv()).isEqualTo(new RecvResult.Received<>(7));
            }
            assertThat(f.complete(1)).isFalse();                     // already completed
        }
    }

    @Test
    void userCompletionsRacingDeliveryNeverLoseOrDuplicateAMessage() throws Exception {
        for (Supplier<Channel<Integer>> make : FLAVORS) {
            Channel<Integer> ch = make.get();
            int n = Stress.iterations(2_000);
            Thread producer = sendThenClose(ch, n);
            Set<Integer> got = new HashSet<>();
            for (int i = 0; ; i++) {
                CompletableFuture<Integer> f = ch.recvAsync();
                switch (i % 3) {                                   // the user completes it first, maybe
                    case 0 -> f.complete(-1);
                    case 1 -> f.completeOnTimeout(-1, 20, TimeUnit.MICROSECONDS);
                    default -> { }
                }
                try {
                    int v = f.get(30, TimeUnit.SECONDS);
                    if (v != -1) assertThat(got.add(v)).isTrue();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ChannelClosedException.class);
                    break;
                }
            }
            producer.join();
            assertThat(got).hasSize(n);
            Await.until(() -> ch.registrations() == 0, "every withdrawn receive leaves no registration");
        }
    }

    @Test
    void aHundredThousandPendingReceivesNeedNoThreadAndEachGetsOneMessage() throws Exception {
        for (Supplier<Channel<Integer>> make : FLAVORS) {
            Channel<Integer> ch = make.get();
            int n = 100_000;                                         // O(1) registration each
            List<CompletableFuture<Integer>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) pending.add(ch.recvAsync());
            assertThat(ch.registrations()).isEqualTo(n);             // registered, not parked threads
            Thread producer = sendThenClose(ch, n);
            Set<Integer> got = new HashSet<>();
            for (CompletableFuture<Integer> f : pending) assertThat(got.add(f.get(30, TimeUnit.SECONDS))).isTrue();
            producer.join();
            assertThat(got).hasSize(n);
            assertThat(ch.registrations()).isZero();
        }
    }
}
