package io.lockstep.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.atomic.AtomicLongCell;
import io.lockstep.atomic.Ordering;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PerThreadTest {

    @Test
    void eachThreadGetsItsOwnValue() throws Exception {
        AtomicInteger ids = new AtomicInteger();              // the seed's THREAD_ID counter
        PerThread<Integer> id = PerThread.withInitial(ids::getAndIncrement);
        int mine = id.get();
        assertThat(id.get()).isEqualTo(mine);
        int[] theirs = new int[2];
        Thread a = Thread.ofVirtual().start(() -> theirs[0] = id.get());
        Thread b = Thread.ofPlatform().start(() -> theirs[1] = id.get());
        a.join();
        b.join();
        assertThat(Set.of(mine, theirs[0], theirs[1])).hasSize(3);
    }

    @Test
    void visitsLiveThreadsAndDropsDeadOnes() throws Exception {
        PerThread<AtomicLongCell> hits = PerThread.withInitial(() -> new AtomicLongCell(0));
        CountDownLatch counted = new CountDownLatch(10), finish = new CountDownLatch(1);
        List<Thread> live = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            live.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 100; i++) hits.get().fetchAdd(1, Ordering.RELAXED);
                counted.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        counted.await();
        assertThat(hits.size()).isEqualTo(10);
        long total = hits.reduce(0L, (sum, c) -> sum + c.load(Ordering.RELAXED));
        assertThat(total).isEqualTo(1000);
        finish.countDown();
        for (Thread t : live) t.join();
        assertThat(hits.size()).as("dead threads' values are dropped").isZero();
        Set<AtomicLongCell> seen = new HashSet<>();
        hits.forEach(seen::add);
        assertThat(seen).isEmpty();
    }

    @Test
    void manyShortVirtualThreadsDoNotAccumulate() throws Exception {
        PerThread<int[]> cells = PerThread.withInitial(() -> new int[1]);
        for (int round = 0; round < 20; round++) {
            List<Thread> batch = new ArrayList<>();
            for (int t = 0; t < 100; t++) batch.add(Thread.ofVirtual().start(() -> cells.get()[0]++));
            for (Thread t : batch) t.join();
        }
        int slots = Integer.parseInt(cells.toString().replaceAll("\\D", ""));
        assertThat(slots).as("registrations purge dead slots (2,000 threads came and went)").isLessThan(300);
        assertThat(cells.size()).isZero();
    }

    @Test
    void setRemoveAndBadInput() {
        PerThread<String> name = PerThread.withInitial(() -> "fresh");
        name.set("mine");
        assertThat(name.get()).isEqualTo("mine");
        name.remove();
        name.remove();                                          // nothing left: no-op
        assertThat(name.size()).isZero();
        assertThat(name.get()).isEqualTo("fresh");
        assertThatThrownBy(() -> PerThread.withInitial(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> name.forEach(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> name.reduce(0, null)).isInstanceOf(NullPointerException.class);
        PerThread<String> failing = PerThread.withInitial(() -> {
            throw new IllegalStateException("no value");
        });
        assertThatThrownBy(failing::get).hasMessage("no value");
        assertThat(failing.size()).as("a failed initializer registers nothing").isZero();
        PerThread<String> fresh = PerThread.withInitial(() -> "x");
        fresh.set("y");
        assertThat(fresh.get()).isEqualTo("y");
    }
}
