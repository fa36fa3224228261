package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Interrupts;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WaitGroup: Go's sync.WaitGroup tests (reuse, negative counter), written fresh. */
@Timeout(30)
class WaitGroupTest {

    @Test
    void negativeCounterThrowsAndChangesNothing() {
        WaitGroup wg = new WaitGroup();
        assertThatThrownBy(wg::done).isInstanceOf(IllegalStateException.class).hasMessageContaining("negative");
        wg.add(2);
        assertThatThrownBy(() -> wg.add(-3)).isInstanceOf(IllegalStateException.class);
        assertThat(wg.count()).isEqualTo(2);
        assertThatThrownBy(() -> wg.add(Integer.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
        assertThat(wg.count()).isEqualTo(2);
    }

    @Test
    void awaitsEveryTaskAndCanBeReused() throws Exception {
        WaitGroup wg = new WaitGroup();
        AtomicInteger finished = new AtomicInteger();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 16; i++) {
                wg.add(1);
                Thread.startVirtualThread(() -> {
                    finished.incrementAndGet();
                    wg.done();
                });
            }
            wg.await();
            assertThat(finished.get()).isEqualTo(16 * (round + 1));
        }
        assertThat(wg.await(Duration.ZERO)).isTrue();
        wg.add(1);
        assertThat(wg.await(Duration.ofMillis(5))).isFalse();
    }


    @Test
    void awaitUninterruptiblyKeepsWaitingAndTheInterruptStatus() throws Throwable {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        Interrupts.ignoredBy("WaitGroup.awaitUninterruptibly", wg::awaitUninterruptibly, wg::done);
    }
}
