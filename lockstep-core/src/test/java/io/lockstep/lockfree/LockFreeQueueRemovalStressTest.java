package io.lockstep.lockfree;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Producers, consumers and removers ({@code remove(Object)} of recently offered values) on one
 * queue: every element is polled once or removed once, never both, never lost; each consumer
 * sees each producer's elements in order; the queue ends empty. Producers keep at most about
 * {@code BACKLOG} elements in the queue, so that removers, which pick among the 32 values each
 * producer offered last, often find theirs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LockFreeQueueRemovalStressTest {
    private static final int PRODUCERS = 2, CONSUMERS = 2, REMOVERS = 2, BACKLOG = 48;

    @Test
    void msQueue() throws Exception {
        check(new MsQueue<>());
    }

    @Test
    void mpmcArrayQueue() throws Exception {
        check(new MpmcArrayQueue<>(64));
    }

    private static void check(Queue<Integer> q) throws Exception {
        int per = Stress.iterations(10_000), total = PRODUCERS * per;
        AtomicIntegerArray offered = new AtomicIntegerArray(PRODUCERS);    // per producer, a count
        AtomicInteger accounted = new AtomicInteger();                     // polled + removed
        AtomicInteger backlog = new AtomicInteger();                       // offered - accounted
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<BitSet> polled = new ArrayList<>(), removed = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            threads.add(start(failure, () -> {
                for (int i = 0; i < per; i++) {
                    while (backlog.get() > BACKLOG) Thread.yield();        // keep removes hitting
                    while (!q.offer(producer * per + i)) Thread.yield();
                    backlog.incrementAndGet();
                    offered.set(producer, i + 1);
                }
            }));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            BitSet mine = new BitSet(total);
            polled.add(mine);
            threads.add(start(failure, () -> {
                int[] lastFrom = new int[PRODUCERS];
                Arrays.fill(lastFrom, -1);
                while (accounted.get() < total && failure.get() == null) {
                    Integer v = q.poll();
                    if (v == null) {
                        Thread.yield();
                        continue;
                    }
                    int producer = v / per;
                    assertThat(v % per).as("FIFO per producer").isGreaterThan(lastFrom[producer]);
                    lastFrom[producer] = v % per;
                    assertThat(mine.get(v)).as("polled twice: %d", v).isFalse();
                    mine.set(v);
                    accounted.incrementAndGet();
                    backlog.decrementAndGet();
                }
            }));
        }
        for (int r = 0; r < REMOVERS; r++) {
            BitSet mine = new BitSet(total);
            removed.add(mine);
            threads.add(start(failure, () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (accounted.get() < total && failure.get() == null) {
                    int producer = rnd.nextInt(PRODUCERS), n = offered.get(producer);
                    if (n == 0) continue;
                    int v = producer * per + n - 1 - rnd.nextInt(Math.min(n, 32));
                    if (q.remove(v)) {                                     // a fresh Integer: equals
                        assertThat(mine.get(v)).as("removed twice: %d", v).isFalse();
                        mine.set(v);
                        accounted.incrementAndGet();
                        backlog.decrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        BitSet all = new BitSet(total);
        int sum = 0, removals = 0;
        for (BitSet b : polled) {
            all.or(b);
            sum += b.cardinality();
        }
        for (BitSet b : removed) {
            all.or(b);
            sum += b.cardinality();
            removals += b.cardinality();
        }
        assertThat(all.cardinality()).as("every element accounted for").isEqualTo(total);
        assertThat(sum).as("none both polled and removed, or taken twice").isEqualTo(total);
        assertThat(q.poll()).isNull();
        assertThat(q.peek()).isNull();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.size()).isZero();
        System.out.printf("%s: %d elements, %d removed from the middle%n",
                q.getClass().getSimpleName(), total, removals);
    }

    private static Thread start(AtomicReference<Throwable> failure, Runnable body) {
        return Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }
}
