package io.lockstep.rcu;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reclaimer alone: deferred callbacks run in order, a throwing one does not stop the rest, and the worker exists only while work is pending. */
class ReclaimerTest {

    @Test
    void barrierWaitsForEveryCallbackQueuedBeforeItInOrder() {
        Reclaimer r = new Reclaimer(new ReaderRegistry(), Thread.ofPlatform().daemon()::unstarted);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            r.defer(() -> ran.add(n));
        }
        r.barrier();
        assertThat(ran).hasSize(100).isSorted();
    }

    @Test
    void aThrowingCallbackIsReportedAndTheRestStillRun() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Reclaimer r = new Reclaimer(new ReaderRegistry(), task -> {
            Thread t = new Thread(task);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> reported.add(e));
            return t;
        });
        AtomicInteger after = new AtomicInteger();
        r.defer(() -> {
            throw new IllegalStateException("boom");
        });
        r.defer(after::incrementAndGet);
        r.barrier();
        assertThat(after).hasValue(1);
        assertThat(reported).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theWorkerEndsWhenIdleAndAnotherStartsForLaterWork() {
        AtomicInteger started = new AtomicInteger();
        List<Thread> workers = new CopyOnWriteArrayList<>();
        Reclaimer r = new Reclaimer(new ReaderRegistry(), task -> {
            started.incrementAndGet();
            Thread t = Thread.ofPlatform().daemon().unstarted(task);
            workers.add(t);
            return t;
        });
        r.barrier();
        Await.until(() -> workers.stream().noneMatch(Thread::isAlive), "the idle worker ends");
        r.barrier();
        assertThat(started.get()).isGreaterThanOrEqualTo(2);
        Await.until(() -> workers.stream().noneMatch(Thread::isAlive), "no worker while nothing is pending");
    }
}
