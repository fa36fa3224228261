package io.lockstep.channel;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Stress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Oneshot: a write-once value seen by every waiter. The close cases follow tokio's oneshot tests
 * (send after close, close wakes the receiver); the rest checks the promise semantics, the
 * future view and the Select integration. Written anew for this API.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OneshotTest {

    private static Thread start(boolean virtual, ThrowingRunnable body) {
        Runnable r = () -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
        return virtual ? Thread.ofVirtual().start(r) : Thread.ofPlatform().start(r);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void everyReceiveSeesTheOneValue() throws Exception {
        Oneshot<String> o = new Oneshot<>();
        assertThat(o.isDone()).isFalse();
        assertThat(o.tryRecv()).isEqualTo(new RecvResult.Empty<String>());
        assertThat(o.trySend("v").isSent()).isTrue();
        assertThat(o.isDone()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(o.recv()).isEqualTo("v");
            assertThat(o.tryRecv()).isEqualTo(new RecvResult.Received<>("v"));
            assertThat(o.recv(Duration.ZERO)).isEqualTo(new RecvResult.Received<>("v"));
            assertThat(o.recvAsync().get()).isEqualTo("v");
        }
        assertThat(Oneshot.of(7).recv()).isEqualTo(7);
        assertThat(o.toString()).contains("value=v");
    }

    @Test
    void secondSendAndSendAfterCloseHandTheValueBack() {
        Oneshot<String> o = new Oneshot<>();
        o.trySend("first");
        assertThat(o.trySend("second")).isEqualTo(new SendResult.Closed<>("second"));
        assertThat(o.close()).isFalse();
        assertThat(o.tryRecv().get()).isEqualTo("first");

        Oneshot<String> closed = new Oneshot<>();
        assertThat(closed.close()).isTrue();
        assertThat(closed.close()).isFalse();
        assertThat(closed.trySend("late")).isEqualTo(new SendResult.Closed<>("late"));
        assertThat(closed.isDone()).isTrue();
    }

    @Test
    void closedWithoutValueIsReportedEverywhere() throws Exception {
        Oneshot<String> o = new Oneshot<>();
        o.close();
        assertThat(o.tryRecv()).isInstanceOf(RecvResult.Closed.class);
        assertThat(o.recv(Duration.ofSeconds(5))).isInstanceOf(RecvResult.Closed.class);
        assertThatThrownBy(o::recv).isInstanceOf(ChannelClosedException.class);
        assertThatThrownBy(() -> o.recvAsync().get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ChannelClosedException.class);
        assertThatThrownBy(() -> o.tryRecv().get()).isInstanceOf(ChannelClosedException.class);
        assertThat(o.toString()).contains("closed");
    }

    @Test
    void badInputIsRejected() {
        Oneshot<String> o = new Oneshot<>();
        assertThatThrownBy(() -> o.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Oneshot.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> o.recv(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Select<String>().recv((Oneshot<String>) null, v -> v))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Select<String>().recv(o, null)).isInstanceOf(NullPointerException.class);
        assertThat(o.isDone()).as("a rejected send changes nothing").isFalse();
    }

    @Test
    void timedRecvTimesOutAndLeavesNothingBehind() throws Exception {
        Oneshot<String> o = new Oneshot<>();
        long t0 = System.nanoTime();
        assertThat(o.recv(Duration.ofMillis(30))).isInstanceOf(RecvResult.TimedOut.class);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(o.recv(Duration.ZERO)).isInstanceOf(RecvResult.TimedOut.class);
        assertThat(o.recv(Duration.ofSeconds(-1))).isInstanceOf(RecvResult.TimedOut.class);
        assertThat(o.registrations()).isZero();
    }

    @Test
    void sendWakesEveryBlockedWaiter() throws Exception {
        Oneshot<Integer> o = new Oneshot<>();
        ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boolean timed = i % 3 == 2;
            ts.add(start(i % 2 == 0, () -> got.add(timed ? o.recv(Duration.ofMinutes(1)).get() : o.recv())));
        }
        Await.until(() -> o.registrations() >= 6, "o.registrations() >= 6");        // every waiter is registered
        o.trySend(42);
        for (Thread t : ts) t.join();
        assertThat(got).hasSize(6).containsOnly(42);
    }

    @Test
    void closeWakesEveryBlockedWaiter() throws Exception {
        Oneshot<Integer> o = new Oneshot<>();
        ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ts.add(start(i % 2 == 0, () -> {
                try {
                    got.add(o.recv());
                } catch (ChannelClosedException e) {
                    got.add("closed");
                }
            }));
        }
        Await.until(() -> o.registrations() >= 4, "o.registrations() >= 4");
        o.close();
        for (Thread t : ts) t.join();
        assertThat(got).hasSize(4).containsOnly("closed");
    }

    @Test
    void interruptedRecvThrowsAndWithdraws() throws Exception {
        Oneshot<Integer> o = new Oneshot<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                o.recv();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Await.until(() -> o.registrations() > 0, "o.registrations() > 0");
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(o.registrations()).isZero();
        Thread.currentThread().interrupt();
        assertThatThrownBy(o::recv).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void futuresAreIndependentAndCancellingLosesNothing() throws Exception {
        Oneshot<String> o = new Oneshot<>();
        CompletableFuture<String> a = o.recvAsync(), b = o.recvAsync();
        assertThat(a).isNotDone();
        assertThat(a.cancel(true)).isTrue();
        o.trySend("v");
        assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo("v");
        assertThat(a).isCancelled();
        assertThatThrownBy(a::join).isInstanceOf(CancellationException.class);
        assertThat(o.recvAsync().join()).as("the value stays for later callers").isEqualTo("v");

        Oneshot<String> c = new Oneshot<>();
        CompletableFuture<String> f = c.recvAsync();
        c.close();
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ChannelClosedException.class);
    }

    @Test
    void selectWaitsForTheOneshotBesideAChannel() throws Exception {
        Oneshot<String> o = new Oneshot<>();
        Channel<String> ch = Channel.bounded(1);
        Select<String> sel = new Select<String>().recv(o, v -> "oneshot " + v, () -> "void")
                .recv(ch, v -> "channel " + v);
        assertThat(sel.trySelect(() -> "none")).isEqualTo("none");
        assertThat(sel.select(Duration.ofMillis(10), () -> "timeout")).isEqualTo("timeout");
        assertThat(o.registrations() + ch.registrations()).isZero();

        AtomicReference<String> got = new AtomicReference<>();
        Thread t = start(true, () -> got.set(sel.select()));
        Await.until(() -> o.registrations() > 0, "o.registrations() > 0");
        o.trySend("v");
        t.join();
        assertThat(got.get()).isEqualTo("oneshot v");
        assertThat(o.registrations() + ch.registrations()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(sel.select()).as("a settled oneshot stays ready").isEqualTo("oneshot v");
        }
        Oneshot<String> closed = new Oneshot<>();
        closed.close();
        assertThat(new Select<String>().recv(closed, v -> v, () -> "void").select()).isEqualTo("void");
        assertThatThrownBy(() -> new Select<String>().recv(closed, v -> v).select())
                .isInstanceOf(ChannelClosedException.class);
    }

    // send | close | 3 waiters (recv, recv(Duration), recvAsync, select): all agree with the winner
    @Test
    void stressSendRacingCloseEveryWaiterAgrees() throws Exception {
        int rounds = Stress.iterations(2_000);
        for (int round = 0; round < rounds; round++) {
            Oneshot<Integer> o = new Oneshot<>();
            int value = round;
            ConcurrentLinkedQueue<Object> seen = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            AtomicReference<Boolean> sent = new AtomicReference<>();
            ts.add(start(true, () -> {
                go.await();
                sent.compareAndSet(null, o.trySend(value).isSent());
            }));
            ts.add(start(true, () -> {
                go.await();
                if (o.close()) sent.compareAndSet(null, false);
            }));
            ts.add(start(true, () -> {
                go.await();
                try {
                    seen.add(o.recv());
                } catch (ChannelClosedException e) {
                    seen.add("closed");
                }
            }));
            ts.add(start(true, () -> {
                go.await();
                RecvResult<Integer> r = o.recv(Duration.ofMinutes(1));
                seen.add(r instanceof RecvResult.Received<Integer> v ? v.value() : "closed");
            }));
            ts.add(start(true, () -> {
                go.await();
                seen.add(new Select<Object>().recv(o, v -> v, () -> "closed").select());
            }));
            CompletableFuture<Object> f = o.recvAsync().handle((v, e) -> v != null ? v : "closed");
            go.countDown();
            for (Thread t : ts) t.join();
            seen.add(f.get(1, TimeUnit.MINUTES));
            Object expected = Boolean.TRUE.equals(sent.get()) ? (Object) value : "closed";
            assertThat(seen).hasSize(4).containsOnly(expected);
            assertThat(o.registrations()).isZero();
        }
    }
}
