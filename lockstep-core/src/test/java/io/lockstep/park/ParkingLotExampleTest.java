package io.lockstep.park;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Compiles and runs the OneShotLatch of ParkingLot's class documentation, unchanged. */
class ParkingLotExampleTest {

    static final class OneShotLatch {
        private static final int OPEN = 1, PARKED = 2;
        private final AtomicInteger state = new AtomicInteger();

        void await() throws InterruptedException {
            while (state.get() != OPEN) {
                int s = state.get();
                if (s == 0 && !state.compareAndSet(0, PARKED)) continue;   // announce a waiter
                if (ParkingLot.park(this, () -> state.get() == PARKED, null,
                        ParkingLot.NO_DEADLINE) instanceof ParkResult.Interrupted) {
                    throw new InterruptedException();
                }
            }
        }

        void open() {
            if (state.getAndSet(OPEN) == PARKED) ParkingLot.unparkAll(this);
        }
    }

    @Test
    @Timeout(30)
    void theDocumentedLatchReleasesEveryWaiter() throws Exception {
        OneShotLatch latch = new OneShotLatch();
        AtomicInteger through = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    latch.await();
                    through.incrementAndGet();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        Await.until(() -> ParkingLot.queueLength(latch) >= 50, "ParkingLot.queueLength(latch) >= 50");  // most are asleep
        assertThat(through.get()).isZero();
        latch.open();
        for (Thread t : waiters) t.join();
        assertThat(through.get()).isEqualTo(100);
        latch.await();                                                     // open stays open
    }
}
