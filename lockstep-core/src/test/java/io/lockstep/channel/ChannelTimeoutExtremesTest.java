package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Extreme timeouts on every timed method of the channel and its queue view (issue 12, item 5):
 * {@code Long.MAX_VALUE} in any unit, and the largest {@link Duration}, mean "no limit" (the
 * operation succeeds at once if it can, else waits until it can); {@code Long.MIN_VALUE} and the
 * most negative Duration mean "do not wait". The queue view used to convert through
 * {@code Duration.of}, which throws ArithmeticException for a huge timeout in any unit above
 * nanoseconds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelTimeoutExtremesTest {
    private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    private static final Duration MOST_NEGATIVE = Duration.ofSeconds(Long.MIN_VALUE);

    @ParameterizedTest
    @EnumSource(TimeUnit.class)
    void queueViewHugeTimeoutsMeanNoLimit(TimeUnit unit) throws Exception {
        BlockingQueue<Integer> q = Channel.<Integer>bounded(1).asBlockingQueue();
        assertThat(q.offer(1, Long.MAX_VALUE, unit)).isTrue();              // room: at once
        TestThread sender = TestThread.start("offer-max", () -> assertThat(q.offer(2, Long.MAX_VALUE, unit)).isTrue());
        sender.awaitBlocked();                                              // full: waits
        assertThat(q.poll(Long.MAX_VALUE, unit)).isEqualTo(1);
        sender.joinAndRethrow();
        assertThat(q.poll(Long.MAX_VALUE, unit)).isEqualTo(2);
        AtomicReference<Integer> got = new AtomicReference<>();
        TestThread receiver = TestThread.start("poll-max", () -> got.set(q.poll(Long.MAX_VALUE, unit)));
        receiver.awaitBlocked();                                            // empty: waits
        q.put(3);
        receiver.joinAndRethrow();
        assertThat(got.get()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(TimeUnit.class)
    void queueViewMostNegativeTimeoutsDoNotWait(TimeUnit unit) throws Exception {
        for (Channel<Integer> ch : List.of(Channel.<Integer>bounded(1), Channel.<Integer>unbounded(),
                Channel.<Integer>rendezvous())) {
            BlockingQueue<Integer> q = ch.asBlockingQueue();
            assertThat(q.poll(Long.MIN_VALUE, unit)).as("%s empty", ch).isNull();
            if (ch.capacity() == 0) {
                assertThat(q.offer(1, Long.MIN_VALUE, unit)).as("no receiver").isFalse();
                continue;
            }
            assertThat(q.offer(1, Long.MIN_VALUE, unit)).isTrue();
            if (ch.capacity() == 1) assertThat(q.offer(2, Long.MIN_VALUE, unit)).as("full").isFalse();
            assertThat(q.poll(Long.MIN_VALUE, unit)).isEqualTo(1);
        }
    }

    @Test
    void channelDurationExtremes() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        assertThat(ch.send(1, LONGEST)).isInstanceOf(SendResult.Sent.class);
        assertThat(ch.send(2, MOST_NEGATIVE)).isInstanceOf(SendResult.TimedOut.class);
        TestThread sender = TestThread.start("send-longest", () ->
                assertThat(ch.send(2, LONGEST)).isInstanceOf(SendResult.Sent.class));
        sender.awaitBlocked();
        assertThat(ch.recv(LONGEST)).isEqualTo(new RecvResult.Received<>(1));
        sender.joinAndRethrow();
        assertThat(ch.recv(MOST_NEGATIVE)).isEqualTo(new RecvResult.Received<>(2));
        assertThat(ch.recv(MOST_NEGATIVE)).isInstanceOf(RecvResult.TimedOut.class);
        AtomicReference<RecvResult<Integer>> got = new AtomicReference<>();
        TestThread receiver = TestThread.start("recv-longest", () -> got.set(ch.recv(LONGEST)));
        receiver.awaitBlocked();
        ch.send(3);
        receiver.joinAndRethrow();
        assertThat(got.get()).isEqualTo(new RecvResult.Received<>(3));
    }
}
