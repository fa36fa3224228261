package io.lockstep.lockfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Order, null rejection, and exact multisets under 4 producers x 4 consumers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LockFreeStructuresTest {

    @Test
    void stacksAreLifoAndQueuesFifo() {
        TreiberStack<Integer> t = new TreiberStack<>();
        EliminationStack<Integer> e = new EliminationStack<>();
        MsQueue<Integer> m = new MsQueue<>();
        MpmcArrayQueue<Integer> a = new MpmcArrayQueue<>(3);
        for (int i = 1; i <= 3; i++) {
            t.push(i);
            e.push(i);
            m.offer(i);
            assertThat(a.offer(i)).isTrue();
        }
        assertThat(a.offer(4)).isFalse();
        assertThat(a.size()).isEqualTo(3);
        assertThat(t.peek()).isEqualTo(3);
        assertThat(m.peek()).isEqualTo(1);
        for (int i = 3; i >= 1; i--) {
            assertThat(t.pop()).isEqualTo(i);
            assertThat(e.pop()).isEqualTo(i);
        }
        for (int i = 1; i <= 3; i++) {
            assertThat(m.poll()).isEqualTo(i);
            assertThat(a.poll()).isEqualTo(i);
        }
        assertThat(t.pop()).isNull();
        assertThat(e.pop()).isNull();
        assertThat(m.poll()).isNull();
        assertThat(a.poll()).isNull();
        assertThat(t.isEmpty() && e.isEmpty() && m.isEmpty() && a.isEmpty()).isTrue();
        assertThatThrownBy(() -> t.push(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> e.push(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.offer(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> a.offer(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MpmcArrayQueue<>(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactMultisetUnderContention() throws Exception {
        TreiberStack<Integer> t = new TreiberStack<>();
        EliminationStack<Integer> e = new EliminationStack<>();
        MsQueue<Integer> m = new MsQueue<>();
        MpmcArrayQueue<Integer> a = new MpmcArrayQueue<>(64);
        check(v -> t.push(v), t::pop);
        check(v -> e.push(v), e::pop);
        check(v -> m.offer(v), m::poll);
        check(v -> {
            while (!a.offer(v)) Thread.onSpinWait();
        }, a::poll);
    }

    private static void check(IntConsumer put, Supplier<Integer> take) throws Exception {
        int per = Stress.iterations(20_000), total = 4 * per;
        BitSet seen = new BitSet();
        int[] count = new int[1];
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int base = p * per;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < per; i++) put.accept(base + i);
            }));
        }
        for (int c = 0; c < 4; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (;;) {
                    synchronized (seen) {
                        if (count[0] == total) return;
                    }
                    Integer v = take.get();
                    if (v == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    synchronized (seen) {
                        assertThat(seen.get(v)).as("duplicate %d", v).isFalse();
                        seen.set(v);
                        count[0]++;
                    }
                }
            }));
        }
        for (Thread th : threads) th.join();
        assertThat(seen.cardinality()).isEqualTo(total);
    }
}
