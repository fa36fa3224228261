package io.lockstep.rcu;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Await;
import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Grace periods never end before an older reader finishes: a reader holding a version that a
 * callback (or a writer after synchronize) closes never sees it closed.
 */
@Timeout(60)
class RcuStressTest {

    /** A version that a writer closes after a grace period. */
    static final class Version {
        final int id;
        volatile boolean closed;

        Version(int id) {
            this.id = id;
        }
    }

    @Test
    void readersNeverSeeTheirVersionClosed_callbacks() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Rcu<Version> rcu = new Rcu<>(new Version(0), Threads.recording(failure));
        run(rcu, v -> rcu.callAfterGracePeriod(() -> v.closed = true), rcu::barrier);
        assertThat(failure.get()).isNull();
    }

    @Test
    void readersNeverSeeTheirVersionClosed_synchronize() throws Exception {
        Rcu<Version> rcu = new Rcu<>(new Version(0));
        run(rcu, v -> {
            rcu.synchronize();
            v.closed = true;
        }, () -> { });
    }

    interface Retire {
        void retire(Version v);
    }

    private static void run(Rcu<Version> rcu, Retire retire, Runnable drain) throws Exception {
        int updates = Stress.iterations(200);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger violations = new AtomicInteger(), sections = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread.Builder b = i % 2 == 0 ? Thread.ofVirtual() : Thread.ofPlatform();
            readers.add(b.start(() -> {
                while (!stop.get()) {
                    try (RcuReadGuard<Version> g = rcu.readLock()) {
                        Version v = g.get();
                        if (v.closed) violations.incrementAndGet();
                        int nested = rcu.read(inner -> inner.id);
                        for (int spin = 0; spin < 50; spin++) Thread.onSpinWait();
                        if (v.closed || nested < v.id) violations.incrementAndGet();
                    }
                    sections.incrementAndGet();
                }
            }));
        }
        // Under load the readers may not have run yet; updates against no reader would test
        // nothing (and the sections check below would fail): start once they read.
        Await.until(() -> sections.get() >= readers.size(), "the readers to get going");
        for (int i = 1; i <= updates; i++) {
            int id = i;
            retire.retire(rcu.update(old -> new Version(id)));
        }
        drain.run();
        stop.set(true);
        for (Thread t : readers) t.join();
        assertThat(violations).hasValue(0);
        assertThat(sections.get()).isPositive();
        assertThat((boolean) rcu.read(v -> v.closed)).isFalse();
    }

    @Test
    void qsbrReadersNeverSeeTheirVersionClosed() throws Exception {
        QsbrRcu<Version> rcu = new QsbrRcu<>(new Version(0));
        int updates = Stress.iterations(200);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger violations = new AtomicInteger(), reads = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try (QsbrReader<Version> r = rcu.register()) {
                    for (int n = 0; !stop.get(); n++) {
                        Version v = r.get();
                        for (int spin = 0; spin < 50; spin++) Thread.onSpinWait();
                        if (v.closed) violations.incrementAndGet();
                        reads.incrementAndGet();
                        if (n % 4 == 0) r.quiescentState();
                        if (n % 64 == 0) {
                            r.offline();
                            r.online();
                        }
                    }
                }
            }));
        }
        for (int i = 1; i <= updates; i++) {
            int id = i;
            Version old = rcu.update(v -> new Version(id));
            rcu.callAfterGracePeriod(() -> old.closed = true);
        }
        rcu.barrier();
        stop.set(true);
        for (Thread t : readers) t.join();
        assertThat(violations).hasValue(0);
        assertThat(reads.get()).isPositive();
    }
}
