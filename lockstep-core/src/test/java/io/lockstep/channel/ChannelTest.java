package io.lockstep.channel;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Stress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Behaviour of every channel flavor at every capacity. The cases follow what Go's channel suite
 * (runtime/chan_test.go: TestChan, TestMultiConsumer, TestSelfSelect...; test/chan/*) and
 * crossbeam-channel's tests (tests/array.rs, list.rs, zero.rs: smoke, capacity, len_empty_full,
 * try_recv, recv_timeout, disconnect_wakes_*, stress_*, mpmc) check; written anew for this API.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelTest {

    static Stream<Arguments> flavors() {
        return Stream.of(
                Arguments.of("rendezvous", (Supplier<Channel<Integer>>) Channel::rendezvous),
                Arguments.of("bounded(1)", (Supplier<Channel<Integer>>) () -> Channel.bounded(1)),
                Arguments.of("bounded(3)", (Supplier<Channel<Integer>>) () -> Channel.bounded(3)),
                Arguments.of("bounded(64)", (Supplier<Channel<Integer>>) () -> Channel.bounded(64)),
                Arguments.of("unbounded", (Supplier<Channel<Integer>>) Channel::unbounded));
    }

    static Stream<Arguments> buffered() {
        return flavors().filter(a -> !a.get()[0].equals("rendezvous"));
    }

    private static Thread start(ThrowingRunnable body) {
        return Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void smokeSendThenRecvAcrossThreads(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        Thread t = start(() -> ch.send(7));
        assertThat(ch.recv()).isEqualTo(7);
        t.join();
        assertThat(ch.tryRecv()).isInstanceOf(RecvResult.Empty.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffered")
    void capacityAndLenEmptyFull(String name, Supplier<Channel<Integer>> make) {
        Channel<Integer> ch = make.get();
        int cap = Math.min(ch.capacity(), 100);
        assertThat(ch.isEmpty()).isTrue();
        for (int i = 0; i < cap; i++) {
            assertThat(ch.trySend(i).isSent()).isTrue();
            assertThat(ch.size()).isEqualTo(i + 1);
        }
        if (ch.capacity() == cap) {
            assertThat(ch.isFull()).isTrue();
            assertThat(ch.trySend(-1)).isEqualTo(new SendResult.Full<>(-1));
        }
        for (int i = 0; i < cap; i++) assertThat(ch.tryRecv()).isEqualTo(new RecvResult.Received<>(i));
        assertThat(ch.size()).isZero();
    }

    @Test
    void rendezvousTrySendFailsWithoutReceiverAndHandsMessageBack() {
        Channel<Integer> ch = Channel.rendezvous();
        assertThat(ch.trySend(1)).isEqualTo(new SendResult.Full<>(1));
        assertThat(ch.tryRecv()).isInstanceOf(RecvResult.Empty.class);
        assertThat(ch.capacity()).isZero();
    }

    @Test
    void rendezvousTrySendMeetsWaitingReceiver() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        AtomicReference<Integer> got = new AtomicReference<>();
        Thread r = start(() -> got.set(ch.recv()));
        Await.until(() -> ch.registrations() > 0, "ch.registrations() > 0");
        assertThat(ch.trySend(5).isSent()).isTrue();
        r.join();
        assertThat(got.get()).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void timedOperationsTimeOutAndZeroTimeoutDoesNotWait(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        assertThat(ch.recv(Duration.ofMillis(20))).isInstanceOf(RecvResult.TimedOut.class);
        assertThat(ch.recv(Duration.ZERO)).isInstanceOf(RecvResult.TimedOut.class);
        assertThat(ch.recv(Duration.ofMillis(-5))).isInstanceOf(RecvResult.TimedOut.class);
        if (ch.capacity() < Integer.MAX_VALUE) {
            while (ch.trySend(0).isSent()) { }
            assertThat(ch.send(9, Duration.ofMillis(20))).isEqualTo(new SendResult.TimedOut<>(9));
            assertThat(ch.send(9, Duration.ZERO)).isEqualTo(new SendResult.TimedOut<>(9));
        }
        assertThat(ch.registrations()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void timedRecvGetsMessageSentWhileWaiting(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        Thread t = start(() -> ch.send(3));
        assertThat(ch.recv(Duration.ofSeconds(30))).isEqualTo(new RecvResult.Received<>(3));
        t.join();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffered")
    void closeDrainsThenReportsClosed(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        ch.send(1);
        assertThat(ch.close()).isTrue();
        assertThat(ch.close()).isFalse();
        assertThat(ch.isClosed()).isTrue();
        assertThat(ch.trySend(2)).isEqualTo(new SendResult.Closed<>(2));
        assertThatThrownBy(() -> ch.send(3)).isInstanceOfSatisfying(ChannelClosedException.class,
                e -> assertThat(e.undelivered()).isEqualTo(3));
        assertThat(ch.recv()).isEqualTo(1);
        assertThat(ch.tryRecv()).isInstanceOf(RecvResult.Closed.class);
        assertThat(ch.recv(Duration.ofSeconds(5))).isInstanceOf(RecvResult.Closed.class);
        assertThatThrownBy(ch::recv).isInstanceOf(ChannelClosedException.class);
        assertThatThrownBy(() -> ch.tryRecv().get()).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    void rendezvousCloseReportsClosedToBothSides() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        ch.close();
        assertThat(ch.trySend(1)).isEqualTo(new SendResult.Closed<>(1));
        assertThat(ch.send(1, Duration.ofSeconds(1))).isEqualTo(new SendResult.Closed<>(1));
        assertThat(ch.tryRecv()).isInstanceOf(RecvResult.Closed.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void closeWakesEveryBlockedReceiver(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    ch.recv();
                } catch (Throwable e) {
                    outcomes.add(e);
                }
            }));
        }
        Await.until(() -> ch.registrations() >= 4, "ch.registrations() >= 4");
        ch.close();
        for (Thread t : threads) t.join();
        assertThat(outcomes).hasSize(4).allMatch(e -> e instanceof ChannelClosedException);
        assertThat(ch.registrations()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void closeWakesEveryBlockedSenderAndHandsMessagesBack(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        if (ch.capacity() == Integer.MAX_VALUE) return;        // unbounded senders never block
        while (ch.trySend(0).isSent()) { }
        ConcurrentLinkedQueue<Object> handedBack = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int v = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    ch.send(v);
                } catch (ChannelClosedException e) {
                    handedBack.add(e.undelivered());
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        Await.until(() -> ch.registrations() >= 3, "ch.registrations() >= 3");
        ch.close();
        for (Thread t : threads) t.join();
        assertThat(handedBack).containsExactlyInAnyOrder(1, 2, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void fifoFromOneProducer(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        int n = Stress.iterations(20_000);
        Thread p = start(() -> {
            for (int i = 0; i < n; i++) ch.send(i);
            ch.close();
        });
        int expected = 0;
        for (int v : ch) assertThat(v).isEqualTo(expected++);
        assertThat(expected).isEqualTo(n);
        p.join();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void exactMultisetFourProducersFourConsumers(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        int per = Stress.iterations(10_000);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int base = p * per;
            producers.add(start(() -> {
                for (int i = 0; i < per; i++) ch.send(base + i);
            }));
        }
        List<List<Integer>> received = new ArrayList<>();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            List<Integer> mine = new ArrayList<>();
            received.add(mine);
            consumers.add(start(() -> {
                for (int v : ch) mine.add(v);
            }));
        }
        for (Thread t : producers) t.join();
        ch.close();
        for (Thread t : consumers) t.join();
        List<Integer> all = new ArrayList<>();
        received.forEach(all::addAll);
        Collections.sort(all);
        assertThat(all).hasSize(4 * per);
        for (int i = 0; i < all.size(); i++) assertThat(all.get(i)).isEqualTo(i);
        assertThat(ch.registrations()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void interruptedRecvThrowsAndLeavesNoRegistration(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                ch.recv();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Await.until(() -> ch.registrations() > 0, "ch.registrations() > 0");
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(ch.registrations()).isZero();
        assertThat(ch.trySend(1).isSent()).isEqualTo(ch.capacity() > 0);   // the channel still works
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void nullMessagesAreRejected(String name, Supplier<Channel<Integer>> make) {
        Channel<Integer> ch = make.get();
        assertThatThrownBy(() -> ch.send(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ch.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ch.sendAsync(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void negativeCapacityIsRejectedAndZeroIsRendezvous() {
        assertThatThrownBy(() -> Channel.bounded(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Channel.<Integer>bounded(0).capacity()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void streamEndsWhenClosedAndDrained(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        Thread p = start(() -> {
            for (int i = 1; i <= 100; i++) ch.send(i);
            ch.close();
        });
        assertThat(ch.receiver().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5050);
        p.join();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavors")
    void sendHappensBeforeRecv(String name, Supplier<Channel<Integer>> make) throws Exception {
        Channel<int[]> ch = make.get() instanceof Channel<Integer> c && c.capacity() == 0
                ? Channel.rendezvous() : Channel.bounded(4);
        int n = Stress.iterations(5_000);
        CountDownLatch done = new CountDownLatch(1);
        Thread p = start(() -> {
            for (int i = 0; i < n; i++) {
                int[] box = new int[1];
                box[0] = i;                                   // plain write before the send
                ch.send(box);
            }
            done.countDown();
        });
        for (int i = 0; i < n; i++) assertThat(ch.recv()[0]).isEqualTo(i);
        done.await();
        p.join();
    }
}
