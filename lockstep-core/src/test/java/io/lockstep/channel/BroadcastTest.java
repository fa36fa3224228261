package io.lockstep.channel;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.park.ParkingLot;
import io.lockstep.testing.Stress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broadcast: every subscriber sees every message; laggards learn how many they missed. The cases
 * follow tokio's broadcast tests (send_recv, lagging_rx, send_no_rx, dropping the sender closes,
 * resubscribe) and the close rules of ChannelTest; written anew for this API.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BroadcastTest {

    private static <T> BroadcastResult<T> received(T v) {
        return new BroadcastResult.Received<>(v);
    }

    /** Waits until {@code n} threads are parked on the broadcast's signal (the park path). */
    private static void untilParked(Broadcast<?> b, int n) {
        Await.until(() -> ParkingLot.queueLength(b.signal) >= n, "ParkingLot.queueLength(b.signal) >= n");
    }

    @Test
    void everySubscriberSeesEveryMessageInOrder() {
        Broadcast<Integer> b = new Broadcast<>(16);
        Broadcast.Subscriber<Integer> s1 = b.subscribe(), s2 = b.subscribe();
        for (int i = 0; i < 10; i++) assertThat(b.trySend(i).isSent()).isTrue();
        Broadcast.Subscriber<Integer> late = b.subscribe();
        b.trySend(10);
        for (Broadcast.Subscriber<Integer> s : List.of(s1, s2)) {
            assertThat(s.pending()).isEqualTo(11);
            for (int i = 0; i <= 10; i++) assertThat(s.tryRecv()).isEqualTo(received(i));
            assertThat(s.tryRecv()).isInstanceOf(BroadcastResult.Empty.class);
        }
        assertThat(late.tryRecv()).as("a subscriber sees only later messages").isEqualTo(received(10));
        assertThat(late.tryRecv()).isInstanceOf(BroadcastResult.Empty.class);
        assertThat(b.sent()).isEqualTo(11);
        assertThat(b.capacity()).isEqualTo(16);
    }

    @Test
    void sendWithNoSubscriberIsKeptOnlyInTheRing() {
        Broadcast<Integer> b = new Broadcast<>(2);
        for (int i = 0; i < 5; i++) assertThat(b.trySend(i).isSent()).isTrue();
        assertThat(b.subscribe().tryRecv()).isInstanceOf(BroadcastResult.Empty.class);
    }

    @Test
    void aLaggardLearnsHowManyItMissedAndResumesAtTheOldest() {
        Broadcast<Integer> b = new Broadcast<>(4);
        Broadcast.Subscriber<Integer> s = b.subscribe();
        Broadcast.Subscriber<Integer> exact = b.subscribe();
        for (int i = 0; i < 10; i++) b.trySend(i);
        assertThat(s.pending()).isEqualTo(4);
        assertThat(s.tryRecv()).isEqualTo(new BroadcastResult.Lagged<Integer>(6));
        for (int i = 6; i < 10; i++) assertThat(s.tryRecv()).isEqualTo(received(i));
        assertThat(s.tryRecv()).isInstanceOf(BroadcastResult.Empty.class);

        for (int i = 0; i < 6; i++) exact.tryRecv();              // drain the lag report and a few
        Broadcast<Integer> full = new Broadcast<>(4);
        Broadcast.Subscriber<Integer> f = full.subscribe();
        for (int i = 0; i < 4; i++) full.trySend(i);                 // exactly the capacity: no lag
        for (int i = 0; i < 4; i++) assertThat(f.tryRecv()).isEqualTo(received(i));
        full.trySend(4);
        full.trySend(5);
        Broadcast.Subscriber<Integer> copy = f.copy();
        for (int i = 6; i < 11; i++) full.trySend(i);               // 7 behind with capacity 4: 3 lost
        assertThat(f.tryRecv()).isEqualTo(new BroadcastResult.Lagged<Integer>(3));
        assertThat(f.tryRecv()).isEqualTo(received(7));
        assertThat(copy.tryRecv()).as("a copy lags on its own").isEqualTo(new BroadcastResult.Lagged<Integer>(3));
        assertThatThrownBy(() -> new BroadcastResult.Lagged<Integer>(3).get())
                .isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void closeDrainsThenReportsClosedAndHandsSendsBack() throws Exception {
        Broadcast<String> b = new Broadcast<>(8);
        Broadcast.Subscriber<String> s = b.subscribe();
        b.trySend("a");
        b.trySend("b");
        assertThat(b.close()).isTrue();
        assertThat(b.close()).isFalse();
        assertThat(b.isClosed()).isTrue();
        assertThat(b.trySend("late")).isEqualTo(new SendResult.Closed<>("late"));
        assertThat(s.recv()).isEqualTo(received("a"));
        assertThat(s.recv(Duration.ofSeconds(5))).isEqualTo(received("b"));
        assertThat(s.recv()).isInstanceOf(BroadcastResult.Closed.class);
        assertThat(s.tryRecv()).isInstanceOf(BroadcastResult.Closed.class);
        assertThat(s.recv(Duration.ofSeconds(5))).isInstanceOf(BroadcastResult.Closed.class);
        assertThatThrownBy(() -> s.tryRecv().get()).isInstanceOf(ChannelClosedException.class);
        assertThat(b.subscribe().tryRecv()).isInstanceOf(BroadcastResult.Closed.class);
        assertThat(b.toString()).contains("closed");
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> new Broadcast<>(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Broadcast<>(-1)).isInstanceOf(IllegalArgumentException.class);
        Broadcast<String> b = new Broadcast<>(1);
        Broadcast.Subscriber<String> s = b.subscribe();
        assertThatThrownBy(() -> b.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> s.recv(null)).isInstanceOf(NullPointerException.class);
        assertThat(b.sent()).as("a rejected send changes nothing").isZero();
    }

    @Test
    void timedRecvTimesOut() throws Exception {
        Broadcast<String> b = new Broadcast<>(1);
        Broadcast.Subscriber<String> s = b.subscribe();
        long t0 = System.nanoTime();
        assertThat(s.recv(Duration.ofMillis(30))).isInstanceOf(BroadcastResult.TimedOut.class);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(s.recv(Duration.ZERO)).isInstanceOf(BroadcastResult.TimedOut.class);
        assertThat(ParkingLot.queueLength(b.signal)).isZero();
    }

    @Test
    void sendAndCloseWakeParkedSubscribers() throws Exception {
        Broadcast<Integer> b = new Broadcast<>(4);
        List<AtomicReference<List<Object>>> got = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Broadcast.Subscriber<Integer> s = b.subscribe();
            AtomicReference<List<Object>> mine = new AtomicReference<>();
            got.add(mine);
            Runnable body = () -> {
                List<Object> out = new ArrayList<>();
                try {
                    for (BroadcastResult<Integer> r; !((r = s.recv()) instanceof BroadcastResult.Closed); ) out.add(r);
                } catch (InterruptedException e) {
                    out.add(e);
                }
                mine.set(out);
            };
            ts.add(i % 2 == 0 ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
        }
        untilParked(b, 4);
        b.trySend(1);
        untilParked(b, 4);
        b.close();
        for (Thread t : ts) t.join();
        for (AtomicReference<List<Object>> g : got) assertThat(g.get()).containsExactly(received(1));
    }

    @Test
    void interruptedRecvThrows() throws Exception {
        Broadcast<Integer> b = new Broadcast<>(4);
        Broadcast.Subscriber<Integer> s = b.subscribe();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                s.recv();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        untilParked(b, 1);
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        b.trySend(5);
        assertThat(s.tryRecv()).as("nothing was consumed by the interrupted recv").isEqualTo(received(5));
    }

    // 4 producers x N | 3 subscribers, ring big enough: each sees all 4N, per-producer FIFO
    @Test
    void stressEverySubscriberSeesEveryMessage() throws Exception {
        int per = Stress.iterations(5_000), producers = 4;
        Broadcast<Long> b = new Broadcast<>(producers * per);
        runStress(b, producers, per, 3, false);
    }

    // the same with a small ring: received + missed == sent, per-producer order kept
    @Test
    void stressLaggingSubscribersAccountForEveryMessage() throws Exception {
        int per = Stress.iterations(20_000), producers = 4;
        runStress(new Broadcast<>(16), producers, per, 3, true);
    }

    private static void runStress(Broadcast<Long> b, int producers, int per, int subscribers,
                                  boolean mayLag) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        List<long[]> results = new ArrayList<>();
        for (int c = 0; c < subscribers; c++) {
            Broadcast.Subscriber<Long> s = b.subscribe();
            long[] counts = new long[2];                      // received, missed
            results.add(counts);
            ts.add(Thread.ofPlatform().start(() -> {
                long[] last = new long[producers];
                java.util.Arrays.fill(last, -1);
                try {
                    for (;;) {
                        BroadcastResult<Long> r = s.recv();
                        if (r instanceof BroadcastResult.Closed) break;
                        if (r instanceof BroadcastResult.Lagged<Long> l) {
                            if (!mayLag) throw new AssertionError("lagged with a big enough ring");
                            assertThat(l.missed()).isPositive();
                            counts[1] += l.missed();
                            continue;
                        }
                        long v = r.get();
                        int p = (int) (v / per);
                        if (v <= last[p]) throw new AssertionError("out of order: " + v + " after " + last[p]);
                        last[p] = v;
                        counts[0]++;
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        List<Thread> ps = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p * per;
            ps.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < per; i++) assertThat(b.trySend(base + i).isSent()).isTrue();
            }));
        }
        go.countDown();
        for (Thread p : ps) p.join();
        b.close();
        for (Thread t : ts) t.join();
        for (long[] counts : results) {
            if (!mayLag) assertThat(counts[0]).isEqualTo((long) producers * per);
            assertThat(counts[0] + counts[1]).isEqualTo((long) producers * per);
        }
    }
}
