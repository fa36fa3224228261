package io.lockstep.channel;

import io.lockstep.testing.FrayThreads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): a Select waiting on a channel and a CompletableFuture while the future is
 * cancelled (or completed) and a message arrives; and a Oneshot linked to a future racing a
 * cancel against a send. Exactly one case runs, a message the select did not take stays in the
 * channel, nothing stays registered, and the linked pair settles once, the same way on both
 * sides. Platform threads only.
 */
@ExtendWith(FrayTestExtension.class)
class FraySelectFutureTest {

    @ConcurrencyTest(iterations = 400)
    void selectOnChannelAndFutureRacesCancelAndSend() throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(1);
        CompletableFuture<Integer> f = new CompletableFuture<>();
        String[] outcome = new String[1];
        List<Thread> ts = List.of(
                FrayThreads.start(() -> outcome[0] = new Select<String>()
                        .recv(ch, m -> "message")
                        .await(f, v -> "value", e -> "failed " + e.getClass().getSimpleName())
                        .select()),
                FrayThreads.start(() -> f.cancel(false)),
                FrayThreads.start(() -> ch.send(7)));
        for (Thread t : ts) t.join();
        RecvResult<Integer> left = ch.tryRecv();
        if (outcome[0].equals("message")) {
            assertTrue(left instanceof RecvResult.Empty, "the select took the message: " + left);
        } else {
            assertEquals("failed CancellationException", outcome[0]);
            assertEquals(new RecvResult.Received<>(7), left, "the loser's message stays in the channel");
        }
        assertTrue(f.isCancelled());
        assertEquals(0, ch.registrations(), "nothing left registered");
    }

    @ConcurrencyTest(iterations = 400)
    void timedSelectRacesFutureCompletion() throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(1);
        CompletableFuture<Integer> f = new CompletableFuture<>();
        String[] outcome = new String[1];
        List<Thread> ts = List.of(
                FrayThreads.start(() -> outcome[0] = new Select<String>()
                        .recv(ch, m -> "message")
                        .await(f, v -> "value " + v)
                        .select(Duration.ofMillis(1), () -> "timeout")),
                FrayThreads.start(() -> f.complete(5)));
        for (Thread t : ts) t.join();
        assertTrue(outcome[0].equals("value 5") || outcome[0].equals("timeout"), outcome[0]);
        assertEquals(0, ch.registrations(), "nothing left registered");
    }

    @ConcurrencyTest(iterations = 400)
    void linkedOneshotAndFutureSettleOnceTheSameWay() throws InterruptedException {
        Oneshot<Integer> o = new Oneshot<>();
        CompletableFuture<Integer> f = o.toFuture();
        SendResult<?>[] sent = new SendResult<?>[1];
        boolean[] cancelled = new boolean[1];
        List<Thread> ts = List.of(
                FrayThreads.start(() -> sent[0] = o.trySend(1)),
                FrayThreads.start(() -> cancelled[0] = f.cancel(false)));
        for (Thread t : ts) t.join();
        assertTrue(f.isDone() && o.isDone());
        if (cancelled[0]) {
            assertTrue(f.isCancelled());
            assertTrue(sent[0] instanceof SendResult.Closed, "the producer learns of the cancel: " + sent[0]);
            assertTrue(o.tryRecv() instanceof RecvResult.Closed);
        } else {
            assertTrue(sent[0] instanceof SendResult.Sent);
            assertEquals(Integer.valueOf(1), f.join());
            assertEquals(new RecvResult.Received<>(1), o.tryRecv());
        }
    }
}
