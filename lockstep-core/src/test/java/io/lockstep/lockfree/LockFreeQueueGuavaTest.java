package io.lockstep.lockfree;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.GuavaSuites;
import java.util.Collections;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MsQueue} and {@link MpmcArrayQueue} as {@link java.util.Queue}s: Guava testlib's
 * {@code QueueTestSuiteBuilder} (every tester, interior removal included), plus the
 * queue-specific behaviour the suite does not reach.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LockFreeQueueGuavaTest {

    @TestFactory
    Stream<DynamicNode> guavaQueueSuite() {
        return Stream.of(
                GuavaSuites.queue("MsQueue", elements -> fill(new MsQueue<>(), elements)),
                GuavaSuites.queue("MpmcArrayQueue",
                        elements -> fill(new MpmcArrayQueue<>(elements.length + 8), elements)));
    }

    private static Queue<String> fill(Queue<String> q, String[] elements) {
        Collections.addAll(q, elements);
        return q;
    }

    @Test
    void msQueueIteratorRemoveClearsExactlyTheReturnedNode() {
        MsQueue<String> q = new MsQueue<>();
        String a = "a";
        Collections.addAll(q, a, "b", a, "c");
        Iterator<String> it = q.iterator();
        it.next();
        it.next();
        assertThat(it.next()).isSameAs(a);
        it.remove();                                       // the second "a", not the first
        assertThat(q).containsExactly("a", "b", "c");
        Iterator<String> stale = q.iterator();
        stale.next();
        assertThat(q.poll()).isEqualTo("a");
        stale.remove();                                    // already polled: no-op
        assertThat(q).containsExactly("b", "c");
        assertThat(q.remove("c")).isTrue();
        assertThat(q.remove("c")).isFalse();
        assertThat(q.peek()).isEqualTo("b");
        assertThat(q.poll()).isEqualTo("b");
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.poll()).isNull();
        assertThat(q.peek()).isNull();
        assertThat(q.size()).isZero();
    }

    @Test
    void msQueuePollAndPeekPassRemovedNodes() {
        MsQueue<Integer> q = new MsQueue<>();
        for (int i = 0; i < 10; i++) q.offer(i);
        q.removeIf(i -> i % 3 != 2);                       // leaves 2, 5, 8
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.peek()).isEqualTo(2);
        assertThat(q.poll()).isEqualTo(2);
        assertThat(q.remove(8)).isTrue();                  // the last node: dead, stays linked
        assertThat(q.poll()).isEqualTo(5);
        assertThat(q.poll()).isNull();
        assertThat(q.isEmpty()).isTrue();
        q.offer(11);                                       // appended after the dead last node
        assertThat(q).containsExactly(11);
        assertThat(q.poll()).isEqualTo(11);
    }

    @Test
    void mpmcArrayQueueRemovedSlotHoldsCapacityUntilTheOlderArePolled() {
        MpmcArrayQueue<Integer> q = new MpmcArrayQueue<>(3);
        Collections.addAll(q, 1, 2, 3);
        assertThat(q.remove(2)).isTrue();
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.offer(4)).isFalse();                  // slot of 2 still behind 1
        assertThat(q.peek()).isEqualTo(1);
        assertThat(q.poll()).isEqualTo(1);                 // the head passes the removed slot
        assertThat(q.remainingCapacity()).isEqualTo(2);
        assertThat(q.offer(4)).isTrue();
        assertThat(q.remove(3)).isTrue();                  // the oldest: freed at once
        assertThat(q.remainingCapacity()).isEqualTo(2);
        assertThat(q).containsExactly(4);
        Iterator<Integer> it = q.iterator();
        assertThat(it.next()).isEqualTo(4);
        assertThat(q.poll()).isEqualTo(4);
        it.remove();                                       // already polled: no-op
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.peek()).isNull();
    }
}
