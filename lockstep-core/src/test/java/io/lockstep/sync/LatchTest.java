package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Latch: the JSR-166 TCK's CountDownLatchTest behaviours, written fresh. */
@Timeout(30)
class LatchTest {

    @Test
    void negativeCountIsRejected() {
        assertThatThrownBy(() -> new Latch(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsDownToZeroAndStaysThere() throws Exception {
        Latch l = new Latch(2);
        assertThat(l.getCount()).isEqualTo(2);
        l.countDown();
        assertThat(l.isOpen()).isFalse();
        l.countDown();
        l.countDown();
        assertThat(l.getCount()).isZero();
        l.await();
        assertThat(l.await(Duration.ZERO)).isTrue();
        assertThat(new Latch(0).isOpen()).isTrue();
    }

    @Test
    void awaitReturnsWhenAnotherThreadCountsDownAndSeesItsWrites() throws Exception {
        Latch l = new Latch(3);
        int[] data = new int[3];
        List<Thread> waiters = new ArrayList<>();
        AtomicInteger sum = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            waiters.add(Thread.ofPlatform().start(() -> {
                l.awaitUninterruptibly();
                sum.addAndGet(data[0] + data[1] + data[2]);
            }));
        }
        for (int i = 0; i < 3; i++) {
            int k = i;
            Thread.ofPlatform().start(() -> {
                data[k] = k + 1;
                l.countDown();
            });
        }
        for (Thread t : waiters) t.join();
        assertThat(sum.get()).isEqualTo(18);
    }

    @Test
    void timedAwaitTimesOut() throws Exception {
        Latch l = new Latch(1);
        assertThat(l.await(Duration.ofMillis(10))).isFalse();
        assertThat(l.await(Duration.ofMillis(-1))).isFalse();
    }

    @Test
    void interruptedAwaitThrows() throws Exception {
        Latch l = new Latch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                l.await();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Eventually.parked(t);
        t.interrupt();
        t.join();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> l.await(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
    }
}
