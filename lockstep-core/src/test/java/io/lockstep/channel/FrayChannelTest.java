package io.lockstep.channel;

import io.lockstep.testing.FrayThreads;
import io.lockstep.testing.TestThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): the blocking paths of every channel flavor, and close, select and timed
 * receives racing them. Each test opens with its interleaving and checks exactly-once delivery:
 * every message is received once or handed back once, never both, never neither. A lost
 * wake-up shows up as Fray's deadlock report (a thread parked forever).
 *
 * <p>The spin before parking usually wins under Fray's scheduler, so where the park path is the
 * point the racing thread first waits ({@link #untilRegisteredOrDone}) until the blocked side
 * has registered with the channel, or has finished. Timed parks return at once under Fray, so
 * the timed tests explore the timeout path and its last-moment races, not real durations.
 * Platform threads only: Fray does not schedule virtual threads.
 */
@ExtendWith(FrayTestExtension.class)
class FrayChannelTest {

    /** Yields until {@code ch} has {@code n} registrations, or every one of {@code ts} is done. */
    private static void untilRegisteredOrDone(Channel<?> ch, int n, Thread... ts) {
        while (ch.registrations() < n) {
            boolean anyAlive = false;
            for (Thread t : ts) anyAlive |= t.isAlive();
            if (!anyAlive) return;
            Thread.yield();
        }
    }

    private static void joinAll(List<Thread> ts) throws InterruptedException {
        for (Thread t : ts) t.join();
    }

    /** Sends, returning null if delivered or the message handed back by a closed channel. */
    private static Integer sendOrHandBack(Channel<Integer> ch, int m) throws InterruptedException {
        try {
            ch.send(m);
            return null;
        } catch (ChannelClosedException e) {
            assertEquals(m, e.undelivered(), "the refused message is handed back");
            return m;
        }
    }

    private static void assertExactlyOnce(List<Integer> expected, ConcurrentLinkedQueue<Integer> got) {
        List<Integer> sorted = new ArrayList<>(got);
        sorted.sort(null);
        assertEquals(expected, sorted, "every message exactly once");
    }

    // ---------------------------------------------------------------- blocking send/recv

    // send 1 | send 2 | recv | recv          (rendezvous: each send meets one recv)
    @ConcurrencyTest(iterations = 250)
    void rendezvousBlockingSendRecv() throws InterruptedException {
        blockingMpmc(Channel::rendezvous, 2, 1, 2);
    }

    // send 1; send 2 | send 3; send 4 | recv x4    (bounded(1): senders block on full)
    @ConcurrencyTest(iterations = 250)
    void boundedOneBlockingSendRecv() throws InterruptedException {
        blockingMpmc(() -> Channel.bounded(1), 2, 2, 1);
    }

    // send 1; send 2 | recv | recv            (unbounded: receivers block on empty)
    @ConcurrencyTest(iterations = 250)
    void unboundedBlockingRecv() throws InterruptedException {
        blockingMpmc(Channel::unbounded, 1, 2, 2);
    }

    /** {@code senders} x {@code perSender} messages, FIFO per sender, spread over {@code receivers}. */
    private static void blockingMpmc(Supplier<Channel<Integer>> make, int senders, int perSender,
                                     int receivers) throws InterruptedException {
        Channel<Integer> ch = make.get();
        int total = senders * perSender;
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int base = s * perSender;
            ts.add(FrayThreads.start(() -> {
                for (int i = 0; i < perSender; i++) ch.send(base + i + 1);
            }));
        }
        for (int r = 0; r < receivers; r++) {
            int mine = total / receivers;
            ts.add(FrayThreads.start(() -> {
                int[] last = new int[senders];
                for (int i = 0; i < mine; i++) {
                    int m = ch.recv();
                    int s = (m - 1) / perSender;
                    assertTrue(m > last[s], "FIFO per sender as one receiver sees it");
                    last[s] = m;
                    got.add(m);
                }
            }));
        }
        joinAll(ts);
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= total; i++) expected.add(i);
        assertExactlyOnce(expected, got);
        assertEquals(0, ch.registrations(), "nothing left registered");
        assertEquals(0, ch.size());
    }

    // ---------------------------------------------------------------- close racing blocked ops

    // (bounded(1) holds 1) send 2 [parked] | close | recv-until-closed    1 and 2 each received or handed back once
    @ConcurrencyTest(iterations = 250)
    void closeRacingParkedSendBounded() throws InterruptedException {
        closeRacingSend(Channel.bounded(1), true);
    }

    // send 2 | close [after send registered] | recv-until-closed     (rendezvous)
    @ConcurrencyTest(iterations = 250)
    void closeRacingParkedSendRendezvous() throws InterruptedException {
        closeRacingSend(Channel.rendezvous(), false);
    }

    private static void closeRacingSend(Channel<Integer> ch, boolean prefill) throws InterruptedException {
        if (prefill) ch.send(1);
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        Integer[] handedBack = new Integer[1];
        Thread sender = FrayThreads.start(() -> handedBack[0] = sendOrHandBack(ch, 2));
        Thread receiver = FrayThreads.start(() -> {
            try {
                for (;;) got.add(ch.recv());
            } catch (ChannelClosedException e) {
                // closed and drained
            }
        });
        untilRegisteredOrDone(ch, 1, sender);
        ch.close();
        sender.join();
        receiver.join();
        if (handedBack[0] != null) got.add(handedBack[0]);
        assertExactlyOnce(prefill ? List.of(1, 2) : List.of(2), got);
        assertTrue(ch.isClosed());
        assertEquals(0, ch.registrations(), "nothing left registered");
    }

    // recv [parked] | recv [parked] | send 1 or hand back | close   (every flavor, one per iteration)
    @ConcurrencyTest(iterations = 250)
    void closeRacingParkedRecvs() throws InterruptedException {
        for (Channel<Integer> ch : List.of(Channel.<Integer>rendezvous(), Channel.<Integer>bounded(1),
                Channel.<Integer>unbounded())) {
            ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
            int[] closedSeen = new int[1];
            TestThread.Body recv = () -> {
                try {
                    got.add(ch.recv());
                } catch (ChannelClosedException e) {
                    synchronized (closedSeen) {
                        closedSeen[0]++;
                    }
                }
            };
            Thread r1 = FrayThreads.start(recv), r2 = FrayThreads.start(recv);
            untilRegisteredOrDone(ch, 2, r1, r2);
            Integer[] handedBack = new Integer[1];
            Thread sender = FrayThreads.start(() -> handedBack[0] = sendOrHandBack(ch, 1));
            Thread closer = FrayThreads.start(ch::close);
            joinAll(List.of(r1, r2, sender, closer));
            if (handedBack[0] != null) got.add(handedBack[0]);
            assertExactlyOnce(List.of(1), got);
            assertEquals(handedBack[0] == null ? 1 : 2, closedSeen[0], "closed reported to every receiver without a message");
            assertEquals(0, ch.registrations(), "nothing left registered");
        }
    }

    // ---------------------------------------------------------------- select

    // select { recv a (rendezvous), recv b (bounded 1) } | send a 1 | send b 2     then main takes the other
    @ConcurrencyTest(iterations = 250)
    void selectRacingSends() throws InterruptedException {
        Channel<Integer> a = Channel.rendezvous(), b = Channel.bounded(1);
        int[] chosen = new int[1];
        Thread selector = FrayThreads.start(() -> chosen[0] = new Select<Integer>().recv(a, v -> v).recv(b, v -> v).select());
        Thread sa = FrayThreads.start(() -> a.send(1));
        Thread sb = FrayThreads.start(() -> b.send(2));
        selector.join();
        int other = chosen[0] == 1 ? b.recv() : a.recv();
        sa.join();
        sb.join();
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>(List.of(chosen[0], other));
        assertExactlyOnce(List.of(1, 2), got);
        assertEquals(0, a.registrations() + b.registrations(), "the select left nothing registered");
    }

    // select { send a 1 (rendezvous), recv b (rendezvous) } [parked] | recv a | send b 2   exactly one case fires
    @ConcurrencyTest(iterations = 250)
    void selectSendAndRecvRacingPartners() throws InterruptedException {
        Channel<Integer> a = Channel.rendezvous(), b = Channel.rendezvous();
        String[] fired = new String[1];
        Thread selector = FrayThreads.start(() -> fired[0] = new Select<String>()
                .send(a, 1, () -> "sent").recv(b, v -> "got " + v).select());
        untilRegisteredOrDone(a, 1, selector);
        Integer[] aGot = new Integer[1];
        Thread receiver = FrayThreads.start(() -> aGot[0] = a.recv(Duration.ofMillis(1)).isReceived() ? 1 : null);
        SendResult<Integer>[] bSent = new SendResult[1];
        Thread sender = FrayThreads.start(() -> bSent[0] = b.send(2, Duration.ofMillis(1)));
        joinAll(List.of(selector, receiver, sender));
        if (fired[0].equals("sent")) {
            assertEquals(1, aGot[0], "the select's message went to the receiver");
            assertFalse(bSent[0].isSent(), "b had no receiver left");
            assertEquals(new SendResult.TimedOut<>(2), bSent[0]);
        } else {
            assertEquals("got 2", fired[0]);
            assertTrue(bSent[0].isSent());
            assertNull(aGot[0], "a's select case did not fire");
        }
        assertEquals(0, a.registrations() + b.registrations());
    }

    // ---------------------------------------------------------------- timed receive

    // recv(timeout) | send 1 (timed, rendezvous)      delivered to both sides or to neither
    @ConcurrencyTest(iterations = 250)
    void timedRecvRacingSend() throws InterruptedException {
        for (Channel<Integer> ch : List.of(Channel.<Integer>rendezvous(), Channel.<Integer>bounded(1))) {
            RecvResult<Integer>[] r = new RecvResult[1];
            SendResult<Integer>[] s = new SendResult[1];
            Thread receiver = FrayThreads.start(() -> r[0] = ch.recv(Duration.ofMillis(1)));
            Thread sender = FrayThreads.start(() -> s[0] = ch.send(1, Duration.ofMillis(1)));
            receiver.join();
            sender.join();
            ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
            if (r[0] instanceof RecvResult.Received<Integer> v) got.add(v.value());
            else assertEquals(new RecvResult.TimedOut<Integer>(), r[0]);
            if (s[0] instanceof SendResult.TimedOut<Integer> t) got.add(t.value());    // handed back
            else if (ch.tryRecv() instanceof RecvResult.Received<Integer> v) got.add(v.value());   // still buffered
            assertExactlyOnce(List.of(1), got);
            assertEquals(0, ch.registrations(), "nothing left registered");
        }
    }

    // ---------------------------------------------------------------- broadcast, watch, oneshot

    // subscriber a: recv until closed | subscriber b: the same | send 1 | send 2; close   (send 1 may lose to the close)
    @ConcurrencyTest(iterations = 200)
    void broadcastSendsAndCloseWakeEverySubscriber() throws InterruptedException {
        Broadcast<Integer> b = new Broadcast<>(2);
        List<List<Integer>> seen = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Broadcast.Subscriber<Integer> s = b.subscribe();
            List<Integer> mine = new ArrayList<>();
            seen.add(mine);
            ts.add(FrayThreads.start(() -> {
                for (BroadcastResult<Integer> r; !((r = s.recv()) instanceof BroadcastResult.Closed); ) mine.add(r.get());
            }));
        }
        boolean[] sent1 = new boolean[1];
        Thread s1 = FrayThreads.start(() -> sent1[0] = b.trySend(1).isSent());      // may find the broadcast closed
        Thread s2 = FrayThreads.start(() -> {
            b.trySend(2);
            b.close();
        });
        s1.join();
        s2.join();
        joinAll(ts);
        List<Integer> expected = sent1[0] ? List.of(1, 2) : List.of(2);
        for (List<Integer> mine : seen) {
            List<Integer> sorted = new ArrayList<>(mine);
            sorted.sort(null);
            assertEquals(expected, sorted, "every subscriber sees every sent message (the ring holds both)");
        }
        assertEquals(seen.get(0), seen.get(1), "in the same order");
    }

    // changed() until closed | changed() until closed | send 1 | send 2; close     each sees the final 2
    @ConcurrencyTest(iterations = 200)
    void watchChangesAndCloseWakeEverySubscriber() throws InterruptedException {
        Watch<Integer> w = new Watch<>(0);
        int[] last = new int[2];
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Watch.Subscriber<Integer> s = w.subscribe();
            int me = i;
            ts.add(FrayThreads.start(() -> {
                try {
                    for (;;) {
                        int v = s.changed();
                        assertTrue(v > last[me], "values only move forward");
                        last[me] = v;
                    }
                } catch (ChannelClosedException e) {
                    // closed and seen
                }
            }));
        }
        Thread s1 = FrayThreads.start(() -> w.trySend(1));
        s1.join();
        Thread s2 = FrayThreads.start(() -> {
            w.trySend(2);
            w.close();
        });
        s2.join();
        joinAll(ts);
        assertEquals(2, last[0], "the final value is seen before the close");
        assertEquals(2, last[1]);
    }

    // await | select { recv oneshot } | send 1 | close        all agree with whichever won
    @ConcurrencyTest(iterations = 200)
    void oneshotSendRacingClose() throws InterruptedException {
        Oneshot<Integer> o = new Oneshot<>();
        Object[] seen = new Object[2];
        Thread awaiter = FrayThreads.start(() -> {
            try {
                seen[0] = o.recv();
            } catch (ChannelClosedException e) {
                seen[0] = "closed";
            }
        });
        Thread selector = FrayThreads.start(() -> seen[1] = new Select<Object>().recv(o, v -> v, () -> "closed").select());
        boolean[] sent = new boolean[1];
        Thread sender = FrayThreads.start(() -> sent[0] = o.trySend(1).isSent());
        Thread closer = FrayThreads.start(o::close);
        joinAll(List.of(awaiter, selector, sender, closer));
        Object expected = sent[0] ? (Object) 1 : "closed";
        assertEquals(expected, seen[0]);
        assertEquals(expected, seen[1]);
        assertEquals(0, o.registrations());
    }

    // ---------------------------------------------------------------- interior removal

    // send 1, 2 | recv x2 (blocking) | remove(1) or remove(2) through the queue view, then close
    // Each message is received once or removed once; a receiver whose message was removed
    // keeps waiting and is released by the close.
    private static void removalRacingBlockingRecv(Channel<Integer> ch) throws InterruptedException {
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> removed = new ConcurrentLinkedQueue<>();
        TestThread.Body receive = () -> {
            try {
                got.add(ch.recv());
            } catch (ChannelClosedException e) {
                // closed and drained: this receiver got nothing
            }
        };
        Thread r1 = FrayThreads.start(receive), r2 = FrayThreads.start(receive);
        Thread sender = FrayThreads.start(() -> {
            ch.send(1);
            ch.send(2);
        });
        Thread remover = FrayThreads.start(() -> {
            for (int m = 1; m <= 2; m++) if (ch.asBlockingQueue().remove(m)) removed.add(m);
        });
        sender.join();
        remover.join();
        ch.close();
        joinAll(List.of(r1, r2));
        List<Integer> all = new ArrayList<>(got);
        all.addAll(removed);
        all.sort(null);
        assertEquals(List.of(1, 2), all, "each message received once or removed once");
        assertEquals(0, ch.size());
        assertEquals(0, ch.registrations());
    }

    @ConcurrencyTest(iterations = 300)
    void removalRacingBlockingRecvBounded() throws InterruptedException {
        removalRacingBlockingRecv(Channel.bounded(1));
    }

    @ConcurrencyTest(iterations = 300)
    void removalRacingBlockingRecvUnbounded() throws InterruptedException {
        removalRacingBlockingRecv(Channel.unbounded());
    }
}
