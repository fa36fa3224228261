package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lockfree.MpmcArrayQueue;
import io.lockstep.lockfree.MsQueue;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The java.util.concurrent contracts of the queue types (issue 12): construction from a
 * collection (as ArrayBlockingQueue, LinkedBlockingQueue and ConcurrentLinkedQueue allow), a
 * capacity too large to allocate refused with a message naming the limit (item 13: it used to
 * be an OutOfMemoryError), and toString showing state.
 */
class QueueContractsTest {

    @Test
    void hugeCapacitiesAreRefusedNamingTheLimit() {
        assertThat(Channel.MAX_CAPACITY).isEqualTo(1 << 24).isEqualTo(MpmcArrayQueue.MAX_CAPACITY);
        for (int capacity : new int[] {Integer.MAX_VALUE, Channel.MAX_CAPACITY + 1}) {
            assertThatThrownBy(() -> Channel.bounded(capacity))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16777216");
            assertThatThrownBy(() -> new MpmcArrayQueue<>(capacity))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16777216");
        }
        assertThatThrownBy(() -> new MpmcArrayQueue<>(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void queueViewsStartWithACollection() throws InterruptedException {
        BlockingQueue<Integer> bounded = Channel.bounded(3, List.of(1, 2)).asBlockingQueue();
        assertThat(bounded).containsExactly(1, 2);
        assertThat(bounded.remainingCapacity()).isOne();
        assertThat(Channel.bounded(2, List.of(1, 2)).asBlockingQueue()).containsExactly(1, 2);
        BlockingQueue<Integer> unbounded = Channel.unbounded(List.of(3, 4, 5)).asBlockingQueue();
        assertThat(unbounded.take()).isEqualTo(3);
        assertThat(unbounded).containsExactly(4, 5);
        assertThat(Channel.unbounded(List.of()).size()).isZero();
        assertThatThrownBy(() -> Channel.bounded(1, List.of(1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity 1");
        assertThatThrownBy(() -> Channel.bounded(0, List.of(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channel.unbounded(Arrays.asList(1, null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Channel.unbounded(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Channel.bounded(2, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void lockFreeQueuesStartWithACollection() {
        assertThat(new MpmcArrayQueue<>(4, List.of(1, 2, 3))).containsExactly(1, 2, 3);
        assertThat(new MsQueue<>(List.of(1, 2, 3))).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> new MpmcArrayQueue<>(2, List.of(1, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity 2");
        assertThatThrownBy(() -> new MpmcArrayQueue<>(4, Arrays.asList(1, null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MsQueue<>(Arrays.asList(1, null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MsQueue<Integer>(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringShowsState() {
        Channel<Integer> ch = Channel.bounded(4, List.of(1, 2));
        assertThat(ch).hasToString("Channel[array, size=2, capacity=4]");
        assertThat(ch.asBlockingQueue()).hasToString("[1, 2]");          // a Collection's toString
        ch.close();
        assertThat(ch).hasToString("Channel[array, size=2, capacity=4, closed]");
        assertThat(Channel.unbounded(List.of(7))).hasToString("Channel[list, size=1]");
        assertThat(new MpmcArrayQueue<>(4, List.of(1, 2))).hasToString("[1, 2]");
    }
}
