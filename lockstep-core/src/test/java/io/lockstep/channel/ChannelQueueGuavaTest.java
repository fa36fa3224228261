package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.GuavaSuites;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Channel#asBlockingQueue()} against Guava testlib's {@code QueueTestSuiteBuilder}, run
 * through a Jupiter {@code @TestFactory} ({@link GuavaSuites#queue}), plus the
 * BlockingQueue-specific checks the JSR-166 TCK makes (BlockingQueueTest: drainTo,
 * remainingCapacity, timed offer/poll, null rejection), written anew. The suite runs every
 * tester, interior removal (remove(Object), removeAll, retainAll, removeIf, Iterator.remove)
 * included.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelQueueGuavaTest {

    @TestFactory
    Stream<DynamicNode> guavaQueueSuite() {
        return Stream.of(
                suite("unbounded", n -> Channel.unbounded()),
                suite("bounded", n -> Channel.bounded(Math.max(1, n) + 8)));
    }

    private static DynamicNode suite(String name, IntFunction<Channel<String>> make) {
        return GuavaSuites.queue("Channel." + name + ".asBlockingQueue", elements -> {
            BlockingQueue<String> q = make.apply(elements.length).asBlockingQueue();
            Collections.addAll(q, elements);
            return q;
        });
    }

    @org.junit.jupiter.api.Test
    void blockingQueueContractAsTheTckChecksIt() throws Exception {
        BlockingQueue<Integer> q = Channel.<Integer>bounded(3).asBlockingQueue();
        assertThat(q.remainingCapacity()).isEqualTo(3);
        assertThat(q.offer(1)).isTrue();
        q.put(2);
        assertThat(q.offer(3, 1, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(q.remainingCapacity()).isZero();
        assertThat(q.offer(4)).isFalse();
        assertThat(q.offer(4, 10, TimeUnit.MILLISECONDS)).isFalse();
        assertThatThrownBy(() -> q.add(4)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> q.offer(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
        assertThat(q.peek()).isEqualTo(1);
        assertThat(q.toArray()).containsExactly(1, 2, 3);
        assertThat(q.contains(2)).isTrue();
        List<Integer> sink = new ArrayList<>();
        assertThat(q.drainTo(sink, 2)).isEqualTo(2);
        assertThat(sink).containsExactly(1, 2);
        assertThatThrownBy(() -> q.drainTo(q)).isInstanceOf(IllegalArgumentException.class);
        assertThat(q.drainTo(sink)).isEqualTo(1);
        assertThat(q.poll()).isNull();
        assertThat(q.poll(10, TimeUnit.MILLISECONDS)).isNull();
        assertThat(q.remainingCapacity()).isEqualTo(3);
        assertThat(q.remove(5)).isFalse();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                q.put(7);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(q.take()).isEqualTo(7);
        t.join();
        assertThat(Channel.<Integer>unbounded().asBlockingQueue().remainingCapacity()).isEqualTo(Integer.MAX_VALUE);
    }

    @org.junit.jupiter.api.Test
    void closedChannelRefusesInsertionsAndTakeReportsClosed() {
        Channel<Integer> ch = Channel.bounded(2);
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        q.add(1);
        ch.close();
        assertThatThrownBy(() -> q.offer(2)).isInstanceOf(ChannelClosedException.class);
        assertThat(q.poll()).isEqualTo(1);
        assertThat(q.poll()).isNull();
        assertThatThrownBy(q::take).isInstanceOf(ChannelClosedException.class);
    }
}
