package io.lockstep.contention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lock.RawMutex;
import io.lockstep.sync.Semaphore;
import io.lockstep.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** {@link Contention}: off by default, counts sampled contended waits per primitive when on (issue 16). */
@Isolated("Contention is process-wide")
@Timeout(30)
class ContentionTest {
    @AfterEach
    void off() {
        Contention.stop();
        Contention.reset();
    }

    /** A thread waits about {@code millis} for {@code mutex}, held by this thread meanwhile. */
    private static void contend(RawMutex mutex, long millis) throws InterruptedException {
        mutex.lock();
        Thread waiter = Thread.ofPlatform().start(() -> {
            mutex.lock();
            mutex.unlock();
        });
        Await.until(mutex::hasQueuedThreads, "the waiter parked");
        Thread.sleep(millis);
        mutex.unlock();
        waiter.join();
    }

    private static Optional<Contention.Entry> entry(String primitive) {
        return Contention.snapshot().entries().stream().filter(e -> e.primitive().equals(primitive)).findFirst();
    }

    @Test
    void offByDefaultCountsNothing() throws InterruptedException {
        assertThat(Contention.isStarted()).isFalse();
        contend(new RawMutex().named("contention-off"), 20);
        assertThat(entry("RawMutex \"contention-off\"")).isEmpty();
        assertThat(Contention.snapshot().started()).isFalse();
    }

    @Test
    void countsEveryContendedWaitOfAMutexAndASemaphoreWhenSamplingAll() throws InterruptedException {
        Contention.start(1);
        RawMutex orders = new RawMutex().named("contention-orders");
        contend(orders, 60);
        contend(orders, 30);
        Semaphore permits = new Semaphore(1).named("contention-permits");
        permits.acquire();
        Thread waiter = Thread.ofPlatform().start(() -> permits.acquire().close());
        Await.until(permits::hasQueuedThreads, "the waiter queued");
        Thread.sleep(40);
        permits.release();
        waiter.join();

        Contention.Entry o = entry("RawMutex \"contention-orders\"").orElseThrow();
        assertThat(o.name()).isEqualTo("contention-orders");
        assertThat(o.type()).isEqualTo("RawMutex");
        assertThat(o.sampledWaits()).isEqualTo(2);
        assertThat(o.estimatedWaits()).isEqualTo(2);
        assertThat(o.maxWait()).isGreaterThanOrEqualTo(Duration.ofMillis(60));
        assertThat(o.sampledTotalWait()).isGreaterThanOrEqualTo(Duration.ofMillis(90)).isGreaterThan(o.maxWait());
        Contention.Entry p = entry("Semaphore \"contention-permits\"").orElseThrow();
        assertThat(p.sampledWaits()).isEqualTo(1);
        assertThat(p.maxWait()).isGreaterThanOrEqualTo(Duration.ofMillis(40));
        List<Contention.Entry> top = Contention.snapshot().top(2);
        assertThat(top.get(0).sampledTotalWait()).isGreaterThanOrEqualTo(top.get(1).sampledTotalWait());
    }

    @Test
    void stopKeepsTheNumbersAndCountsNoMore() throws InterruptedException {
        Contention.start(1);
        RawMutex m = new RawMutex().named("contention-stop");
        contend(m, 20);
        Contention.stop();
        contend(m, 20);
        Contention.Snapshot s = Contention.snapshot();
        assertThat(s.started()).isFalse();
        assertThat(s.sampleEvery()).isEqualTo(1);
        assertThat(entry("RawMutex \"contention-stop\"").orElseThrow().sampledWaits()).isEqualTo(1);
        Contention.reset();
        assertThat(entry("RawMutex \"contention-stop\"")).isEmpty();
    }

    @Test
    void sparseSamplingTimesFewWaitsAndScalesTheEstimate() throws InterruptedException {
        Contention.start(1_000_000);
        RawMutex m = new RawMutex().named("contention-sparse");
        for (int i = 0; i < 5; i++) contend(m, 1);
        // each of the 5 waits is timed with probability 1e-6
        assertThat(entry("RawMutex \"contention-sparse\"")).isEmpty();
        assertThat(Contention.snapshot().sampleEvery()).isEqualTo(1_000_000);
    }

    @Test
    void badSamplingIsRefused() {
        assertThatThrownBy(() -> Contention.start(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("positive");
        assertThat(Contention.isStarted()).isFalse();
        assertThatThrownBy(() -> Contention.snapshot().top(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
