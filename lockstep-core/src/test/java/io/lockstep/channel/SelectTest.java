package io.lockstep.channel;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Stress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Select, after the select behaviours of Go's channel suite (runtime/chan_test.go:
 * TestSelectFairness, TestSelfSelect, TestSelectDuplicateChannel, TestNonblockRecvRace,
 * TestSelectStress; test/chan/select*.go, sieve) and crossbeam-channel's tests/select.rs
 * (timeout, default_when_disconnected, both_ready, fairness, same_channel, channel_through_channel);
 * written anew for this API.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectTest {

    private static Thread start(ChannelTest.ThrowingRunnable body) {
        return Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void neverTakesTheDefaultWhileACaseIsReady() {
        for (Channel<Integer> ch : List.of(Channel.<Integer>bounded(1), Channel.<Integer>unbounded())) {
            for (int i = 0; i < Stress.iterations(2_000); i++) {
                ch.trySend(i);
                String r = new Select<String>().recv(Channels.never(), v -> "never")
                        .recv(ch, v -> "value").trySelect(() -> "default");
                assertThat(r).isEqualTo("value");
            }
        }
    }

    @Test
    void defaultWhenNothingIsReady() {
        Channel<Integer> a = Channel.bounded(1), b = Channel.rendezvous();
        assertThat(new Select<String>().recv(a, v -> "a").send(b, 1, () -> "b").trySelect(() -> "default"))
                .isEqualTo("default");
        assertThat(a.registrations() + b.registrations()).isZero();
    }

    @Test
    void fairChoiceIsUniformAmongReadyCases() {
        int cases = 4, rounds = Stress.iterations(8_000);
        List<Channel<Integer>> chans = new ArrayList<>();
        for (int i = 0; i < cases; i++) chans.add(Channel.unbounded());
        int[] hits = new int[cases];
        for (int r = 0; r < rounds; r++) {
            for (Channel<Integer> c : chans) if (c.isEmpty()) c.trySend(1);
            Select<Integer> s = new Select<>();
            for (int i = 0; i < cases; i++) {
                int idx = i;
                s.recv(chans.get(i), v -> idx);
            }
            hits[s.trySelect(() -> -1)]++;
        }
        double expected = (double) rounds / cases, chi2 = 0;
        for (int h : hits) chi2 += (h - expected) * (h - expected) / expected;
        assertThat(chi2).as("chi-squared over %s", java.util.Arrays.toString(hits)).isLessThan(16.3); // p=0.001, 3 dof
    }

    @Test
    void biasedPrefersTheFirstReadyCase() {
        Channel<Integer> a = Channel.unbounded(), b = Channel.unbounded();
        for (int i = 0; i < 100; i++) {
            a.trySend(i);
            b.trySend(i);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(new Select<String>().biased().recv(a, v -> "a").recv(b, v -> "b").trySelect(() -> "none"))
                    .isEqualTo("a");
        }
    }

    @Test
    void timeoutFiresAndLeavesNoRegistration() throws Exception {
        Channel<Integer> a = Channel.bounded(2), b = Channel.rendezvous();
        long t0 = System.nanoTime();
        String r = new Select<String>().recv(a, v -> "a").recv(b, v -> "b")
                .select(Duration.ofMillis(30), () -> "timeout");
        assertThat(r).isEqualTo("timeout");
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(a.registrations() + b.registrations()).isZero();
    }

    /**
     * The claim: a timed-out select leaves no registration behind, and memory stays flat
     * over a million timed-out selects. Each counted select really registers on all its
     * channels before it times out ({@link CountingFlavor} counts the waits): a 1 µs timeout
     * outlasts the first round of tries, so the select goes on to register (a timeout of
     * Duration.ofNanos(1) has always expired by then and returns before registering), and runs
     * out during Context.await's spin phase, so it never really sleeps (a parkNanos would cost
     * ~60 µs). A select preempted past its deadline before registering is not counted: the loop
     * runs until a million did. Retained heap after a full GC is taken after the first tenth
     * (JIT warm-up done) and at the end. About 5 s on 2 cores; {@code -Dlockstep.stress} scales.
     */
    @Test
    void aMillionTimedOutSelectsLeaveNothingBehind() throws Exception {
        Channel<Integer> a = CountingFlavor.counting(Channel.bounded(1)),
                b = CountingFlavor.counting(Channel.rendezvous()),
                c = CountingFlavor.counting(Channel.unbounded());
        long target = Stress.iterations(1_000_000), warmUp = target / 10;
        long selects = 0, heapAfterWarmUp = -1;
        Duration timeout = Duration.ofNanos(1_000);
        while (CountingFlavor.waits(a) < target && selects < 2 * target) {
            String r = new Select<String>()                    // a fresh one each time, then dropped
                    .recv(a, v -> "a").recv(b, v -> "b").send(b, 1, () -> "s").recv(c, v -> "c")
                    .select(timeout, () -> "t");
            if (!r.equals("t")) throw new AssertionError("a case of empty channels ran: " + r);
            selects++;
            if (heapAfterWarmUp < 0 && CountingFlavor.waits(a) >= warmUp) heapAfterWarmUp = retainedHeap();
        }
        long heapAtEnd = retainedHeap();
        assertThat(CountingFlavor.waits(a)).as("selects that registered, of %d", selects).isEqualTo(target);
        assertThat(CountingFlavor.waits(b)).isEqualTo(CountingFlavor.waits(c)).isEqualTo(target);
        assertThat(a.registrations() + b.registrations() + c.registrations()).isZero();
        // A leak of even one 16-byte object per select would add > 14 MB over the last 900,000
        // (at the default size); a leaked registration (context, operation and waiter entry per
        // case) far more. Measured: within +-50 KB; +58 MB with one Object leaked per select.
        assertThat(heapAtEnd - heapAfterWarmUp)
                .as("retained heap growth, bytes (%d -> %d)", heapAfterWarmUp, heapAtEnd).isLessThan(8L << 20);
    }

    /** Heap in use after a full collection: the least of three System.gc() rounds. */
    private static long retainedHeap() {
        Runtime runtime = Runtime.getRuntime();            // (java.management is not read by the module)
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }

    @Test
    void wakesForACaseThatBecomesReady() throws Exception {
        Channel<Integer> a = Channel.bounded(1), b = Channel.rendezvous();
        Thread t = start(() -> {
            Await.until(() -> b.registrations() > 0, "b.registrations() > 0");
            b.send(42);
        });
        assertThat(new Select<String>().recv(a, v -> "a" + v).recv(b, v -> "b" + v).select()).isEqualTo("b42");
        t.join();
        assertThat(a.registrations() + b.registrations()).isZero();
    }

    @Test
    void sendCaseToRendezvousMeetsAReceiver() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        AtomicReference<Integer> got = new AtomicReference<>();
        Thread r = start(() -> got.set(ch.recv()));
        assertThat(new Select<String>().send(ch, 9, () -> "sent").select()).isEqualTo("sent");
        r.join();
        assertThat(got.get()).isEqualTo(9);
    }

    @Test
    void sendAndRecvOnOneRendezvousChannelNeverPairWithEachOther() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        for (int i = 0; i < 50; i++) {
            assertThat(new Select<String>().send(ch, 1, () -> "sent").recv(ch, v -> "recv " + v)
                    .select(Duration.ofMillis(1), () -> "timeout")).isEqualTo("timeout");
        }
        assertThat(ch.registrations()).isZero();
    }

    @Test
    void twoSelectsWithSendAndRecvOnOneRendezvousChannelPairAcross() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        int n = Stress.iterations(2_000);
        AtomicInteger sent = new AtomicInteger(), received = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            threads.add(start(() -> {
                for (int i = 0; i < n; i++) {
                    new Select<Void>().send(ch, 1, () -> { sent.incrementAndGet(); return null; })
                            .recv(ch, v -> { received.incrementAndGet(); return null; }).select();
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(sent.get()).isEqualTo(received.get()).isEqualTo(n);
    }

    @Test
    void sameChannelTwiceInOneSelect() throws Exception {
        Channel<Integer> ch = Channel.bounded(4);
        ch.send(1);
        ch.send(2);
        AtomicInteger count = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            new Select<Void>().recv(ch, v -> { count.incrementAndGet(); return null; })
                    .recv(ch, v -> { count.incrementAndGet(); return null; }).select();
        }
        assertThat(count.get()).isEqualTo(2);
        assertThat(ch.tryRecv()).isInstanceOf(RecvResult.Empty.class);
        Thread t = start(() -> {
            Await.until(() -> ch.registrations() >= 2, "ch.registrations() >= 2");
            ch.send(3);
        });
        assertThat(new Select<Integer>().recv(ch, v -> v).recv(ch, v -> -v).select()).isIn(3, -3);
        t.join();
        assertThat(ch.registrations()).isZero();
    }

    @Test
    void closedChannelMakesItsCaseReady() throws Exception {
        Channel<Integer> a = Channel.bounded(1), b = Channel.rendezvous();
        b.close();
        assertThat(new Select<String>().recv(a, v -> "a").recv(b, v -> "b", () -> "closed").select())
                .isEqualTo("closed");
        assertThatThrownBy(() -> new Select<String>().recv(b, v -> "b").select())
                .isInstanceOf(ChannelClosedException.class);
        assertThat(new Select<Integer>().send(b, 5, () -> 0, v -> v).select()).isEqualTo(5);
        assertThatThrownBy(() -> new Select<String>().send(b, 6, () -> "s").select())
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat(e.undelivered()).isEqualTo(6));
    }

    @Test
    void closeWakesABlockedSelect() throws Exception {
        Channel<Integer> a = Channel.unbounded(), b = Channel.bounded(1);
        Thread t = start(() -> {
            Await.until(() -> a.registrations() > 0, "a.registrations() > 0");
            a.close();
        });
        assertThat(new Select<String>().recv(a, v -> "a", () -> "closed").recv(b, v -> "b").select()).isEqualTo("closed");
        t.join();
    }

    @Test
    void exactlyOnceThroughAChainOfSelects() throws Exception {
        // Each stage selects between receiving from its input and a never-ready timer, then
        // forwards with a select over two send cases to the next stage (Go's sieve style).
        int stages = 8, n = Stress.iterations(2_000);
        List<Channel<Integer>> links = new ArrayList<>();
        for (int i = 0; i <= stages; i++) links.add(i % 2 == 0 ? Channel.rendezvous() : Channel.bounded(2));
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            Channel<Integer> in = links.get(s), out = links.get(s + 1);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (;;) {
                        Integer v = new Select<Integer>().recv(in, x -> x, () -> null)
                                .recv(Channels.never(), x -> -1).select();
                        if (v == null) break;
                        new Select<Void>().send(out, v, () -> null).send(out, v, () -> null).select();
                    }
                    out.close();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        Thread producer = start(() -> {
            for (int i = 0; i < n; i++) links.get(0).send(i);
            links.get(0).close();
        });
        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        for (int v : links.get(stages)) assertThat(seen.put(v, true)).as("duplicate %d", v).isNull();
        assertThat(seen).hasSize(n);
        producer.join();
        for (Thread t : threads) t.join();
    }

    @Test
    void multisetThroughSelectsFromManyProducers() throws Exception {
        Channel<Integer> a = Channel.bounded(8), b = Channel.rendezvous();
        int per = Stress.iterations(5_000);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int base = p * per;
            Channel<Integer> target = p % 2 == 0 ? a : b;
            producers.add(start(() -> {
                for (int i = 0; i < per; i++) target.send(base + i);
            }));
        }
        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        List<Thread> consumers = new ArrayList<>();
        AtomicInteger total = new AtomicInteger();
        for (int c = 0; c < 3; c++) {
            consumers.add(start(() -> {
                while (total.get() < 4 * per) {
                    Integer v = new Select<Integer>().recv(a, x -> x).recv(b, x -> x)
                            .select(Duration.ofMillis(5), () -> null);
                    if (v != null) {
                        assertThat(seen.put(v, true)).isNull();
                        total.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : producers) t.join();
        for (Thread t : consumers) t.join();
        assertThat(seen).hasSize(4 * per);
    }

    @Test
    void emptySelectRefusesToWaitForever() throws Exception {
        assertThatThrownBy(() -> new Select<String>().select()).isInstanceOf(IllegalStateException.class);
        assertThat(new Select<String>().select(Duration.ofMillis(1), () -> "t")).isEqualTo("t");
    }

    @Test
    void interruptedSelectThrowsAndLeavesNoRegistration() throws Exception {
        Channel<Integer> a = Channel.bounded(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                new Select<String>().recv(a, v -> "a").select();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Await.until(() -> a.registrations() > 0, "a.registrations() > 0");
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(a.registrations()).isZero();
    }

    @Test
    void afterDeliversOnceThenCloses() throws Exception {
        Receiver<Instant> after = Channels.after(Duration.ofMillis(20));
        assertThat(after.tryRecv()).isInstanceOf(RecvResult.Empty.class);
        long t0 = System.nanoTime();
        assertThat(new Select<String>().recv(after, i -> "fired").recv(Channels.never(), i -> "never").select())
                .isEqualTo("fired");
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(15));
        assertThat(after.tryRecv()).isInstanceOf(RecvResult.Closed.class);
    }

    @Test
    void tickDeliversRepeatedlyAndNeverNeverDelivers() throws Exception {
        Receiver<Instant> tick = Channels.tick(Duration.ofMillis(5));
        for (int i = 0; i < 3; i++) assertThat(tick.recv()).isNotNull();
        assertThat(Channels.never().recv(Duration.ofMillis(10))).isInstanceOf(RecvResult.TimedOut.class);
        assertThatThrownBy(() -> ((Channel<Instant>) tick).send(Instant.now()))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
