package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Storm;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Counted handles ({@link Channel#split()}): crossbeam's disconnection. The facts checked are
 * those of crossbeam-channel's tests (tests/array.rs, list.rs, zero.rs: disconnect_wakes_sender,
 * disconnect_wakes_receiver, recv_after_disconnect, send_after_disconnect, and select over a
 * disconnected receiver), written anew for this API, plus the handle rules of their own:
 * counting, idempotent close, and a closed handle refusing use.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelHandlesTest {

    static Stream<Arguments> flavors() {
        return ChannelTest.flavors();
    }

    /** Flavors that buffer two messages. */
    static Stream<Arguments> buffered() {
        return ChannelTest.buffered().filter(a -> !a.get()[0].equals("bounded(1)"));
    }

    static Stream<Arguments> blockingSend() {
        return flavors().filter(a -> !a.get()[0].equals("unbounded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void closingTheLastSenderWakesABlockedReceiver(String name, Supplier<Channel<Integer>> make) throws Exception {
        ChannelPair<Integer> p = make.get().split();
        TestThread rx = TestThread.start("rx", () ->
                assertThatThrownBy(() -> p.receiver().recv()).isInstanceOf(ChannelClosedException.class));
        rx.awaitBlocked();
        p.sender().close();
        rx.joinAndRethrow();
        assertThat(p.receiver().tryRecv()).isInstanceOf(RecvResult.Closed.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffered")
    void bufferedMessagesDrainAfterTheLastSenderCloses(String name, Supplier<Channel<Integer>> make) throws Exception {
        ChannelPair<Integer> p = make.get().split();
        SenderHandle<Integer> other = p.sender().newSender();
        p.sender().send(1);
        other.send(2);
        p.sender().close();
        assertThat(p.receiver().isClosed()).as("one sender is still open").isFalse();
        other.close();
        assertThat(p.receiver().isClosed()).isTrue();
        assertThat(p.receiver().recv()).isEqualTo(1);
        assertThat(p.receiver().recv(Duration.ofSeconds(1))).isEqualTo(new RecvResult.Received<>(2));
        assertThat(p.receiver().recv(Duration.ofSeconds(1))).isInstanceOf(RecvResult.Closed.class);
        assertThatThrownBy(() -> p.receiver().recv()).isInstanceOf(ChannelClosedException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void sendAfterEveryReceiverClosedHandsTheMessageBack(String name, Supplier<Channel<Integer>> make) throws Exception {
        ChannelPair<Integer> p = make.get().split();
        ReceiverHandle<Integer> other = p.receiver().newReceiver();
        p.receiver().close();
        assertThat(p.sender().isClosed()).as("one receiver is still open").isFalse();
        other.close();
        assertThat(p.sender().isClosed()).isTrue();
        assertThat(p.sender().trySend(7)).isEqualTo(new SendResult.Closed<>(7));
        assertThat(p.sender().send(8, Duration.ofSeconds(1))).isEqualTo(new SendResult.Closed<>(8));
        assertThatThrownBy(() -> p.sender().send(9))
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat(e.undelivered()).isEqualTo(9));
        assertThat(p.sender().sendAsync(10)).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(ChannelClosedException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blockingSend")
    void closingTheLastReceiverWakesABlockedSender(String name, Supplier<Channel<Integer>> make) throws Exception {
        ChannelPair<Integer> p = make.get().split();
        while (p.sender().trySend(0).isSent()) {}            // fill the buffer (a rendezvous has none)
        TestThread tx = TestThread.start("tx", () ->
                assertThatThrownBy(() -> p.sender().send(42)).isInstanceOfSatisfying(ChannelClosedException.class,
                        e -> assertThat(e.undelivered()).isEqualTo(42)));
        tx.awaitBlocked();
        p.receiver().close();
        tx.joinAndRethrow();
    }

    @Test
    void selectOverADisconnectedReceiverIsReadyWithClosed() throws Exception {
        ChannelPair<Integer> p = Channel.<Integer>bounded(4).split();
        ChannelPair<Integer> idle = Channel.<Integer>bounded(4).split();
        Select<String> select = new Select<String>()
                .recv(idle.receiver(), m -> "idle " + m)
                .recv(p.receiver(), m -> "value " + m, () -> "closed");
        TestThread selector = TestThread.start("select", () -> assertThat(select.select()).isEqualTo("closed"));
        selector.awaitBlocked();
        p.sender().close();
        selector.joinAndRethrow();
        assertThat(select.trySelect(() -> "none")).isEqualTo("closed");
        assertThat(p.receiver().channel().registrations()).as("no registration left behind").isZero();
    }

    @Test
    void selectSendsThroughAHandleAndSeesTheLastReceiverGo() throws Exception {
        ChannelPair<Integer> p = Channel.<Integer>bounded(1).split();
        Select<String> send = new Select<String>().send(p.sender(), 1, () -> "sent", m -> "refused " + m);
        assertThat(send.trySelect(() -> "full")).isEqualTo("sent");
        assertThat(send.trySelect(() -> "full")).isEqualTo("full");
        p.receiver().close();
        assertThat(send.trySelect(() -> "full")).isEqualTo("refused 1");
    }

    @Test
    void closeIsIdempotentAndCountsOnce() {
        ChannelPair<Integer> p = Channel.<Integer>unbounded().split();
        SenderHandle<Integer> second = p.sender().newSender();
        assertThat(p.sender().close()).isTrue();
        assertThat(p.sender().close()).as("a second close does nothing").isFalse();
        assertThat(p.sender().close()).isFalse();
        assertThat(second.isClosed()).as("closing one handle three times counts once").isFalse();
        assertThat(second.trySend(1).isSent()).isTrue();
        assertThat(second.close()).isTrue();
        assertThat(p.receiver().tryRecv()).isEqualTo(new RecvResult.Received<>(1));
        assertThat(p.receiver().tryRecv()).isInstanceOf(RecvResult.Closed.class);
    }

    @Test
    void aClosedHandleRefusesUseWithIllegalStateNotChannelClosed() {
        ChannelPair<Integer> p = Channel.<Integer>bounded(4).split();
        SenderHandle<Integer> tx = p.sender().newSender();
        ReceiverHandle<Integer> rx = p.receiver().newReceiver();
        tx.close();
        rx.close();
        assertThat(p.sender().isClosed()).as("the channel is open for the other handles").isFalse();
        assertThat(tx.isClosed()).isTrue();
        List<Runnable> uses = List.of(
                () -> tx.trySend(1), () -> tx.sendAsync(1), tx::newSender,
                () -> call(() -> tx.send(1)), () -> call(() -> tx.send(1, Duration.ZERO)),
                rx::tryRecv, rx::recvAsync, rx::newReceiver, rx::iterator, rx::stream,
                () -> call(rx::recv), () -> call(() -> rx.recv(Duration.ZERO)),
                () -> new Select<String>().send(tx, 1, () -> "sent"),
                () -> new Select<String>().recv(rx, m -> "got"));
        for (Runnable use : uses) {
            assertThatThrownBy(use::run).isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("handle is closed");
        }
        assertThat(p.sender().trySend(5).isSent()).as("nothing was sent or lost").isTrue();
        assertThat(p.receiver().tryRecv()).isEqualTo(new RecvResult.Received<>(5));
    }

    @Test
    void iterationThroughAHandleStopsWhenTheHandleCloses() {
        ChannelPair<Integer> p = Channel.<Integer>unbounded().split();
        ReceiverHandle<Integer> rx = p.receiver().newReceiver();
        p.sender().trySend(1);
        p.sender().trySend(2);
        Iterator<Integer> it = rx.iterator();
        assertThat(it.next()).isEqualTo(1);
        rx.close();
        assertThatThrownBy(it::hasNext).isExactlyInstanceOf(IllegalStateException.class);
        p.sender().close();
        assertThat(p.receiver().stream().toList()).containsExactly(2);
    }

    @Test
    void aSecondSplitIsRefusedAndTheChannelStillClosesExplicitly() throws Exception {
        Channel<Integer> channel = Channel.bounded(2);
        ChannelPair<Integer> p = channel.split();
        assertThatThrownBy(channel::split).isExactlyInstanceOf(IllegalStateException.class);
        assertThat(channel.toString()).contains("senders=1, receivers=1");
        p.sender().send(1);
        assertThat(channel.close()).isTrue();
        assertThat(p.sender().trySend(2)).isEqualTo(new SendResult.Closed<>(2));
        assertThat(p.receiver().recv()).isEqualTo(1);
        assertThat(p.receiver().tryRecv()).isInstanceOf(RecvResult.Closed.class);
        assertThat(p.sender().close()).as("the handle still closes once").isTrue();
    }

    @Test
    void pairRejectsNullHandles() {
        ChannelPair<Integer> p = Channel.<Integer>unbounded().split();
        assertThatThrownBy(() -> new ChannelPair<>(null, p.receiver())).hasMessage("sender");
        assertThatThrownBy(() -> new ChannelPair<>(p.sender(), null)).hasMessage("receiver");
    }

    /**
     * Producers clone their handle from a shared one, send, and close, while others clone from
     * theirs concurrently; consumers clone too. Every message sent is received exactly once, the
     * receivers' loops end only after the last sender's close, and none ends early.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void stormOfSendersCloningAndClosing(String name, Supplier<Channel<Integer>> make) throws Exception {
        ChannelPair<Integer> p = make.get().split();
        int producers = Storm.size(16), consumers = 4, perProducer = Storm.size(500);
        LongAdder sentSum = new LongAdder(), receivedSum = new LongAdder();
        AtomicInteger sent = new AtomicInteger(), received = new AtomicInteger(), consumersDone = new AtomicInteger();
        List<SenderHandle<Integer>> roots = new ArrayList<>();
        for (int i = 0; i < producers; i++) roots.add(p.sender().newSender());
        List<ReceiverHandle<Integer>> rxs = new ArrayList<>();
        for (int i = 0; i < consumers; i++) rxs.add(p.receiver().newReceiver());
        p.sender().close();
        p.receiver().close();
        try (Storm storm = new Storm("handles-" + name)) {
            storm.startMixed(consumers, "consumer", i -> {
                ReceiverHandle<Integer> rx = rxs.get(i);
                for (int m : rx) {
                    receivedSum.add(m);
                    received.incrementAndGet();
                    storm.progress();
                }
                rx.close();
                consumersDone.incrementAndGet();
            });
            storm.startMixed(producers, "producer", i -> {
                SenderHandle<Integer> root = roots.get(i);
                for (int k = 0; k < perProducer; k++) {
                    SenderHandle<Integer> tx = ThreadLocalRandom.current().nextBoolean() ? root.newSender() : root;
                    int m = i * perProducer + k;
                    tx.send(m);
                    sentSum.add(m);
                    sent.incrementAndGet();
                    if (tx != root) {
                        assertThat(tx.close()).isTrue();
                        assertThat(tx.close()).isFalse();
                    }
                    storm.progress();
                }
                root.close();
            });
            storm.until(() -> consumersDone.get() == consumers, "every consumer's loop ended");
            storm.joinAll();
        }
        assertThat(sent.get()).isEqualTo(producers * perProducer);
        assertThat(received.get()).isEqualTo(sent.get());
        assertThat(receivedSum.sum()).isEqualTo(sentSum.sum());
    }

    private interface Blocking {
        void run() throws Exception;
    }

    private static void call(Blocking body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
