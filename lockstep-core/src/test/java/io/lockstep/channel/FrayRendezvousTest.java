package io.lockstep.channel;

import io.lockstep.testing.FrayThreads;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): the lock-free rendezvous matcher (ZeroFlavor over WaitQueue). A partner claims a
 * waiting operation with one CAS on its context; every way a wait can end without that partner
 * (interrupt, timeout, close, a select's other case) races the claim here. Each test opens with
 * its interleaving and checks exactly-once delivery: a message is received once or handed back
 * once, never both, never neither; and no registration is left behind.
 *
 * <p>Timed parks return at once under Fray, so a timed wait explores its timeout path and the
 * last-moment races with a claim. Platform threads only: Fray does not schedule virtual threads.
 */
@ExtendWith(FrayTestExtension.class)
class FrayRendezvousTest {

    /** Yields until {@code ch} has {@code n} registrations or {@code t} is done. */
    private static void untilRegisteredOrDone(Channel<?> ch, int n, Thread t) {
        while (ch.registrations() < n && t.isAlive()) Thread.yield();
    }

    private static void assertExactlyOnce(List<Integer> expected, ConcurrentLinkedQueue<Integer> got) {
        List<Integer> sorted = new ArrayList<>(got);
        sorted.sort(null);
        assertEquals(expected, sorted, "every message exactly once");
    }

    // recv [registered] | trySend 1 | interrupt the receiver       (match vs cancel)
    @ConcurrencyTest(iterations = 300)
    void claimRacingAnInterruptedRecv() throws InterruptedException {
        Channel<Integer> ch = Channel.rendezvous();
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        boolean[] interrupted = new boolean[1];
        Thread receiver = FrayThreads.start(() -> {
            try {
                got.add(ch.recv());
            } catch (InterruptedException e) {
                interrupted[0] = true;
            }
        });
        untilRegisteredOrDone(ch, 1, receiver);
        boolean[] sent = new boolean[1];
        Thread sender = FrayThreads.start(() -> sent[0] = ch.trySend(1).isSent());
        receiver.interrupt();
        sender.join();
        receiver.join();
        if (!sent[0]) got.add(1);                                   // handed back as Full
        assertExactlyOnce(List.of(1), got);
        assertEquals(!sent[0], interrupted[0], "an interrupted receive took nothing");
        assertEquals(0, ch.registrations(), "nothing left registered");
    }

    // send 1 [registered] | tryRecv | interrupt the sender          (match vs cancel, the sending side)
    @ConcurrencyTest(iterations = 300)
    void claimRacingAnInterruptedSend() throws InterruptedException {
        Channel<Integer> ch = Channel.rendezvous();
        boolean[] sent = new boolean[1];
        Thread sender = FrayThreads.start(() -> {
            try {
                ch.send(1);
                sent[0] = true;
            } catch (InterruptedException e) {
                // not sent: the message stays with the caller
            }
        });
        untilRegisteredOrDone(ch, 1, sender);
        RecvResult<Integer>[] r = new RecvResult[1];
        Thread receiver = FrayThreads.start(() -> r[0] = ch.tryRecv());
        sender.interrupt();
        sender.join();
        receiver.join();
        assertEquals(sent[0], r[0].isReceived(), "sent exactly when received");
        if (sent[0]) assertEquals(new RecvResult.Received<>(1), r[0]);
        assertEquals(0, ch.registrations(), "nothing left registered");
    }

    // send 1 [registered] | recv until closed | close               (match vs close)
    @ConcurrencyTest(iterations = 300)
    void claimRacingClose() throws InterruptedException {
        Channel<Integer> ch = Channel.rendezvous();
        Integer[] handedBack = new Integer[1];
        Thread sender = FrayThreads.start(() -> {
            try {
                ch.send(1);
            } catch (ChannelClosedException e) {
                handedBack[0] = (Integer) e.undelivered();
            }
        });
        untilRegisteredOrDone(ch, 1, sender);
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        Thread receiver = FrayThreads.start(() -> {
            try {
                for (;;) got.add(ch.recv());
            } catch (ChannelClosedException e) {
                // closed and drained
            }
        });
        Thread closer = FrayThreads.start(ch::close);
        sender.join();
        receiver.join();
        closer.join();
        if (handedBack[0] != null) got.add(handedBack[0]);
        assertExactlyOnce(List.of(1), got);
        assertEquals(0, ch.registrations(), "nothing left registered");
    }

    // recv [registered] | send 1 (timed) | close                    (match vs close, the receiving side)
    @ConcurrencyTest(iterations = 300)
    void receiverClaimedRacingClose() throws InterruptedException {
        Channel<Integer> ch = Channel.rendezvous();
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        boolean[] closedSeen = new boolean[1];
        Thread receiver = FrayThreads.start(() -> {
            try {
                got.add(ch.recv());
            } catch (ChannelClosedException e) {
                closedSeen[0] = true;
            }
        });
        untilRegisteredOrDone(ch, 1, receiver);
        SendResult<Integer>[] s = new SendResult[1];
        Thread sender = FrayThreads.start(() -> s[0] = ch.send(1, Duration.ofMillis(1)));
        Thread closer = FrayThreads.start(ch::close);
        receiver.join();
        sender.join();
        closer.join();
        if (s[0] instanceof SendResult.Closed<Integer> c) got.add(c.value());        // handed back
        if (s[0] instanceof SendResult.TimedOut<Integer> t) got.add(t.value());
        assertExactlyOnce(List.of(1), got);
        assertEquals(!s[0].isSent(), closedSeen[0], "the receiver got the message or learned of the close");
        assertEquals(0, ch.registrations(), "nothing left registered");
    }

    // select { recv a (rendezvous), recv b (bounded 1) } with a timeout | trySend a 1 | trySend b 2   (match vs timeout)
    @ConcurrencyTest(iterations = 300)
    void timedSelectRacingClaims() throws InterruptedException {
        Channel<Integer> a = Channel.rendezvous(), b = Channel.bounded(1);
        Integer[] chosen = new Integer[1];
        Thread selector = FrayThreads.start(() -> chosen[0] = new Select<Integer>().recv(a, v -> v).recv(b, v -> v)
                .select(Duration.ofMillis(1), () -> null));
        boolean[] aSent = new boolean[1];
        Thread sa = FrayThreads.start(() -> aSent[0] = a.trySend(1).isSent());
        Thread sb = FrayThreads.start(() -> b.trySend(2));
        selector.join();
        sa.join();
        sb.join();
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        if (chosen[0] != null) got.add(chosen[0]);
        if (!aSent[0]) got.add(1);                                  // refused: still the caller's
        if (b.tryRecv() instanceof RecvResult.Received<Integer> v) got.add(v.value());   // b had room
        assertExactlyOnce(List.of(1, 2), got);
        assertEquals(aSent[0], Integer.valueOf(1).equals(chosen[0]), "a's message went to the select or back");
        assertEquals(0, a.registrations() + b.registrations(), "the select left nothing registered");
    }

    // recv(timeout) [registered] | trySend 1                        (match vs timeout, plain receive)
    @ConcurrencyTest(iterations = 300)
    void timedRecvRacingTrySend() throws InterruptedException {
        Channel<Integer> ch = Channel.rendezvous();
        RecvResult<Integer>[] r = new RecvResult[1];
        Thread receiver = FrayThreads.start(() -> r[0] = ch.recv(Duration.ofMillis(1)));
        untilRegisteredOrDone(ch, 1, receiver);
        boolean[] sent = new boolean[1];
        Thread sender = FrayThreads.start(() -> sent[0] = ch.trySend(1).isSent());
        receiver.join();
        sender.join();
        assertEquals(sent[0], r[0].isReceived(), "sent exactly when received");
        if (!sent[0]) assertEquals(new RecvResult.TimedOut<Integer>(), r[0]);
        assertEquals(0, ch.registrations(), "nothing left registered");
    }
}
