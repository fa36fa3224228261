package io.lockstep.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockstep.testing.FrayThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): the last handle's close racing blocked operations. A lost wake-up (a receiver
 * parked after the disconnection it missed) shows up as Fray's deadlock report; a lost or
 * duplicated message as a failed count.
 */
@ExtendWith(FrayTestExtension.class)
class FrayChannelHandlesTest {

    // rx: for (m : rx) | tx1: send 1; close | tx2: send 2; close     (the later close disconnects)
    @ConcurrencyTest(iterations = 300)
    void lastSenderCloseVersusBlockedRecvBounded() throws InterruptedException {
        lastSenderCloseVersusBlockedRecv(() -> Channel.bounded(1));
    }

    @ConcurrencyTest(iterations = 300)
    void lastSenderCloseVersusBlockedRecvRendezvous() throws InterruptedException {
        lastSenderCloseVersusBlockedRecv(Channel::rendezvous);
    }

    @ConcurrencyTest(iterations = 300)
    void lastSenderCloseVersusBlockedRecvUnbounded() throws InterruptedException {
        lastSenderCloseVersusBlockedRecv(Channel::unbounded);
    }

    private static void lastSenderCloseVersusBlockedRecv(Supplier<Channel<Integer>> make) throws InterruptedException {
        ChannelPair<Integer> p = make.get().split();
        SenderHandle<Integer> second = p.sender().newSender();
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        Thread rx = FrayThreads.start(() -> {
            for (int m : p.receiver()) got.add(m);           // ends only on the disconnection
        });
        List<Thread> txs = new ArrayList<>();
        int[] message = {1, 2};
        List<SenderHandle<Integer>> handles = List.of(p.sender(), second);
        for (int i = 0; i < 2; i++) {
            SenderHandle<Integer> tx = handles.get(i);
            int m = message[i];
            txs.add(FrayThreads.start(() -> {
                tx.send(m);
                assertTrue(tx.close());
            }));
        }
        for (Thread t : txs) t.join();
        rx.join();
        List<Integer> sorted = new ArrayList<>(got);
        sorted.sort(null);
        assertEquals(List.of(1, 2), sorted, "both messages received once, before the end");
    }

    // rx: recv (blocked) | tx: close the last sender    (no message: the close alone must wake it)
    @ConcurrencyTest(iterations = 300)
    void lastSenderCloseWakesAnEmptyWait() throws InterruptedException {
        ChannelPair<Integer> p = Channel.<Integer>bounded(2).split();
        SenderHandle<Integer> second = p.sender().newSender();
        Thread rx = FrayThreads.start(() -> {
            try {
                p.receiver().recv();
                throw new AssertionError("nothing was sent");
            } catch (ChannelClosedException expected) {
                // the disconnection
            }
        });
        Thread a = FrayThreads.start(() -> p.sender().close());
        Thread b = FrayThreads.start(() -> second.close());
        a.join();
        b.join();
        rx.join();
    }
}
