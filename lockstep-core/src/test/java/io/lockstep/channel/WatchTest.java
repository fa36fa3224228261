package io.lockstep.channel;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.park.ParkingLot;
import io.lockstep.testing.Stress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Watch: the latest value with change notification. The cases follow tokio's watch tests
 * (single_rx_recv, multi_rx, rx_observes_final_value, poll_close, borrow_and_update); written
 * anew for this API.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchTest {

    private static void untilParked(Watch<?> w, int n) {
        Await.until(() -> ParkingLot.queueLength(w.signal) >= n, "ParkingLot.queueLength(w.signal) >= n");
    }

    @Test
    void sendBumpsTheVersionAndSubscribersSeeTheChange() throws Exception {
        Watch<String> w = new Watch<>("a");
        assertThat(w.get()).isEqualTo("a");
        assertThat(w.version()).isZero();
        Watch.Subscriber<String> s = w.subscribe();
        assertThat(s.hasChanged()).isFalse();
        assertThat(s.changed(Duration.ZERO)).isInstanceOf(RecvResult.TimedOut.class);
        assertThat(w.trySend("b").isSent()).isTrue();
        assertThat(w.trySend("c").isSent()).isTrue();
        assertThat(w.version()).isEqualTo(2);
        assertThat(s.hasChanged()).isTrue();
        assertThat(s.get()).as("get does not mark seen").isEqualTo("c");
        assertThat(s.hasChanged()).isTrue();
        assertThat(s.changed()).as("intermediate values are skipped").isEqualTo("c");
        assertThat(s.seenVersion()).isEqualTo(2);
        assertThat(s.hasChanged()).isFalse();
        w.trySend("d");
        assertThat(s.getAndMarkSeen()).isEqualTo("d");
        assertThat(s.hasChanged()).isFalse();
        assertThat(w.update(v -> v + "!")).contains("d!");
        assertThat(s.changed(Duration.ofSeconds(5))).isEqualTo(new RecvResult.Received<>("d!"));
        assertThat(w.toString()).contains("version=4");
    }

    @Test
    void closeKeepsTheValueDeliversAnUnseenChangeThenReportsClosed() throws Exception {
        Watch<Integer> w = new Watch<>(1);
        Watch.Subscriber<Integer> s = w.subscribe(), t = w.subscribe();
        w.trySend(2);
        assertThat(w.close()).isTrue();
        assertThat(w.close()).isFalse();
        assertThat(w.isClosed()).isTrue();
        assertThat(w.trySend(3)).isEqualTo(new SendResult.Closed<>(3));
        assertThat(w.update(v -> v + 1)).isEmpty();
        assertThat(w.get()).isEqualTo(2);
        assertThat(w.version()).isEqualTo(1);
        assertThat(s.changed()).isEqualTo(2);
        assertThatThrownBy(s::changed).isInstanceOf(ChannelClosedException.class);
        assertThat(t.changed(Duration.ofSeconds(5))).isEqualTo(new RecvResult.Received<>(2));
        assertThat(t.changed(Duration.ofSeconds(5))).isInstanceOf(RecvResult.Closed.class);
        assertThat(w.subscribe().changed(Duration.ZERO)).isInstanceOf(RecvResult.Closed.class);
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> new Watch<String>(null)).isInstanceOf(NullPointerException.class);
        Watch<String> w = new Watch<>("a");
        assertThatThrownBy(() -> w.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> w.update(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> w.update(v -> null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> w.subscribe().changed(null)).isInstanceOf(NullPointerException.class);
        assertThat(w.version()).as("rejected sends change nothing").isZero();
        assertThat(w.get()).isEqualTo("a");
    }

    @Test
    void timedChangedTimesOut() throws Exception {
        Watch<Integer> w = new Watch<>(0);
        Watch.Subscriber<Integer> s = w.subscribe();
        long t0 = System.nanoTime();
        assertThat(s.changed(Duration.ofMillis(30))).isInstanceOf(RecvResult.TimedOut.class);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(ParkingLot.queueLength(w.signal)).isZero();
        assertThat(s.seenVersion()).isZero();
    }

    @Test
    void sendAndCloseWakeParkedSubscribers() throws Exception {
        Watch<Integer> w = new Watch<>(0);
        List<AtomicReference<List<Object>>> got = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Watch.Subscriber<Integer> s = w.subscribe();
            AtomicReference<List<Object>> mine = new AtomicReference<>();
            got.add(mine);
            Runnable body = () -> {
                List<Object> out = new ArrayList<>();
                try {
                    for (;;) out.add(s.changed());
                } catch (ChannelClosedException e) {
                    out.add("closed");
                } catch (InterruptedException e) {
                    out.add(e);
                }
                mine.set(out);
            };
            ts.add(i % 2 == 0 ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
        }
        untilParked(w, 4);
        w.trySend(1);
        untilParked(w, 4);
        w.close();
        for (Thread t : ts) t.join();
        for (AtomicReference<List<Object>> g : got) assertThat(g.get()).containsExactly(1, "closed");
    }

    @Test
    void interruptedChangedThrowsAndMarksNothing() throws Exception {
        Watch<Integer> w = new Watch<>(0);
        Watch.Subscriber<Integer> s = w.subscribe();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                s.changed();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        untilParked(w, 1);
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(s.seenVersion()).isZero();
    }

    // 2 senders x N (update +1) | 3 subscribers looping changed(): values only grow, last = 2N
    @Test
    void stressSubscribersSeeIncreasingValuesAndTheFinalOne() throws Exception {
        int per = Stress.iterations(20_000);
        Watch<Integer> w = new Watch<>(0);
        List<Thread> ts = new ArrayList<>();
        List<AtomicReference<Integer>> finals = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Watch.Subscriber<Integer> s = w.subscribe();
            AtomicReference<Integer> last = new AtomicReference<>(0);
            finals.add(last);
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    for (;;) {
                        long before = s.seenVersion();
                        int v = s.changed();
                        if (v <= last.get()) throw new AssertionError(v + " after " + last.get());
                        if (s.seenVersion() <= before) throw new AssertionError("version went back");
                        if (v != s.seenVersion()) throw new AssertionError("value " + v + " with version " + s.seenVersion());
                        last.set(v);
                    }
                } catch (ChannelClosedException e) {
                    // done
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        List<Thread> senders = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            senders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < per; i++) w.update(v -> v + 1);
            }));
        }
        for (Thread t : senders) t.join();
        w.close();
        for (Thread t : ts) t.join();
        for (AtomicReference<Integer> f : finals) assertThat(f.get()).isEqualTo(2 * per);
    }
}
