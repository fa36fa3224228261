package io.lockstep.atomic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ArcTest {
    private final AtomicInteger closes = new AtomicInteger();

    @Test
    void closesTheResourceOnceAfterTheLastHandle() {
        Arc<String> a = Arc.of("db", r -> closes.incrementAndGet());
        Arc<String> b = a.retain();
        assertThat(a.strongCount()).isEqualTo(2);
        a.close();
        a.close();                                             // idempotent per handle
        assertThat(closes.get()).isZero();
        assertThat(b.get()).isEqualTo("db");
        b.close();
        assertThat(closes.get()).isEqualTo(1);
        assertThat(b.strongCount()).isZero();
        assertThat(b.isClosed()).isTrue();
        assertThat(b.toString()).contains("closed");
    }

    @Test
    void aClosedHandleThrowsOnUse() {
        Arc<String> a = Arc.of("db", r -> closes.incrementAndGet());
        Arc<String> b = a.retain();
        a.close();
        assertThatThrownBy(a::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(a::retain).isInstanceOf(IllegalStateException.class);
        assertThat(b.strongCount()).as("the failed retain changed nothing").isEqualTo(1);
        b.close();
        assertThat(closes.get()).isEqualTo(1);
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> Arc.of(null, r -> {})).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Arc.of("x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Arc.onLeak(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anAutoCloseableIsClosedAndItsFailureReported() {
        AtomicInteger closed = new AtomicInteger();
        try (Arc<AutoCloseable> arc = Arc.of(closed::incrementAndGet)) {
            arc.retain().close();
        }
        assertThat(closed.get()).isEqualTo(1);
        Arc<AutoCloseable> failing = Arc.of(() -> {
            throw new java.io.IOException("disk gone");
        });
        assertThatThrownBy(failing::close).isInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(failing.strongCount()).as("counts as closed").isZero();
    }

    /** The seed's shape: one owner per thread, each dropping its handle when done. */
    @Test
    void racingRetainAndCloseCloseExactlyOnce() throws Exception {
        for (int round = 0; round < Stress.iterations(300); round++) {
            AtomicInteger closed = new AtomicInteger();
            AtomicReference<Throwable> useAfterClose = new AtomicReference<>();
            Arc<int[]> root = Arc.of(new int[1], r -> {
                if (closed.incrementAndGet() != 1) useAfterClose.set(new AssertionError("closed twice"));
            });
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Arc<int[]> mine = root.retain();
                threads.add(Thread.ofPlatform().start(() -> {
                    try (mine) {
                        go.await();
                        for (int i = 0; i < 10; i++) {
                            try (Arc<int[]> more = mine.retain()) {
                                if (closed.get() != 0) useAfterClose.set(new AssertionError("resource closed while held"));
                                more.get();
                            }
                        }
                    } catch (Throwable e) {
                        useAfterClose.set(e);
                    }
                }));
            }
            go.countDown();
            root.close();                                      // races with the workers
            for (Thread t : threads) t.join();
            assertThat(useAfterClose.get()).isNull();
            assertThat(closed.get()).isEqualTo(1);
        }
    }

    @Test
    void aLeakedHandleIsReportedWithItsCreationSite() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        AtomicReference<Throwable> report = new AtomicReference<>();
        Arc.onLeak(site -> {
            report.set(site);
            reported.countDown();
        });
        Arc.leakDetection(true);
        try {
            Arc<String> kept = Arc.of("kept", r -> {});
            leakOne(kept);
            kept.close();                                      // a closed handle is never reported
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!reported.await(10, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) System.gc();
            assertThat(report.get()).isNotNull().hasMessageContaining("never closed");
            assertThat(report.get().getStackTrace()).anySatisfy(
                    e -> assertThat(e.getMethodName()).isEqualTo("leakOne"));
        } finally {
            Arc.leakDetection(false);
            Arc.onLeak(t -> {});
        }
    }

    private static void leakOne(Arc<String> arc) {
        arc.retain();                                          // dropped without close()
    }
}
