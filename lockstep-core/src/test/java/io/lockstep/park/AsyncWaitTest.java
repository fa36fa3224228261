package io.lockstep.park;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Async waiters ({@link ParkingLot#parkAsync}, {@link AsyncWait}): a {@link WaitNode} without a
 * thread, in the same line as parked threads; woken once with the unpark token, after the bucket
 * is released, or cancelled — never both.
 */
class AsyncWaitTest {

    @Test
    void anAsyncWaiterIsWokenWithTheTokenOutsideTheBucketLock() {
        Object key = new Object();
        AtomicLong token = new AtomicLong(-1);
        AtomicLong queuedWhenWoken = new AtomicLong(-1);
        AsyncWait w = ParkingLot.parkAsync(key, () -> true, 0, t -> {
            token.set(t);
            queuedWhenWoken.set(ParkingLot.queueLength(key));  // takes the bucket lock: free by now
        });
        assertThat(w).isNotNull();
        assertThat(w.isWoken()).isFalse();
        assertThat(ParkingLot.queueLength(key)).isEqualTo(1);
        assertThat(ParkingLot.parkedThreads(key)).as("an async waiter is not a thread").isEmpty();

        UnparkResult r = ParkingLot.unparkOne(key, u -> {
            assertThat(u.beFair()).as("an async waiter always asks for a hand-off").isTrue();
            return 7;
        });
        assertThat(r.unparkedThreads()).isEqualTo(1);
        assertThat(token.get()).isEqualTo(7);
        assertThat(queuedWhenWoken.get()).isZero();
        assertThat(w.isWoken()).isTrue();
        assertThat(w.cancel(null)).as("woken: too late to cancel").isFalse();
    }

    @Test
    void anInvalidParkQueuesNothingAndACancelledWaiterIsNeverWoken() {
        Object key = new Object();
        assertThat(ParkingLot.parkAsync(key, () -> false, 0, t -> { })).isNull();
        assertThat(ParkingLot.queueLength(key)).isZero();

        AtomicInteger wakes = new AtomicInteger(), lastLeft = new AtomicInteger();
        AsyncWait w = ParkingLot.parkAsync(key, () -> true, 0, t -> wakes.incrementAndGet());
        assertThat(w.cancel((k, last) -> { if (last) lastLeft.incrementAndGet(); })).isTrue();
        assertThat(w.cancel(null)).as("cancelled once").isFalse();
        assertThat(lastLeft.get()).isEqualTo(1);
        assertThat(ParkingLot.unparkOne(key, u -> 0).unparkedThreads()).isZero();
        assertThat(wakes.get()).isZero();
        assertThatThrownBy(() -> ParkingLot.parkAsync(key, () -> true, 0, null)).isInstanceOf(NullPointerException.class);
    }

    /** Threads and async waiters share one FIFO line; unparkAll wakes both kinds. */
    @Test
    void asyncWaitersAndThreadsShareOneLine() throws InterruptedException {
        Object key = new Object();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        ParkingLot.parkAsync(key, () -> true, 0, t -> order.add("async-1"));
        TestThread thread = TestThread.start("parked", () -> {
            ParkingLot.park(key, () -> true, null, ParkingLot.NO_DEADLINE);
            order.add("thread");
        });
        Await.until(() -> ParkingLot.queueLength(key) == 2, "the thread parks behind the async waiter");
        ParkingLot.parkAsync(key, () -> true, 0, t -> order.add("async-2"));
        assertThat(ParkingLot.unparkOne(key, u -> 0).unparkedThreads()).isEqualTo(1);
        assertThat(order).containsExactly("async-1");
        assertThat(ParkingLot.unparkAll(key)).isEqualTo(2);
        thread.joinAndRethrow();
        assertThat(new ArrayList<>(order)).containsExactlyInAnyOrder("async-1", "async-2", "thread");
        assertThat(order.get(0)).isEqualTo("async-1");
    }

    /** Cancel racing a wake-up: exactly one of them happens, every time. */
    @Test
    void cancelRacingAWakeUpSettlesEachWaiterExactlyOnce() throws InterruptedException {
        for (int round = 0; round < 2_000; round++) {
            Object key = new Object();
            AtomicInteger wakes = new AtomicInteger();
            AsyncWait w = ParkingLot.parkAsync(key, () -> true, 0, t -> wakes.incrementAndGet());
            boolean[] cancelled = new boolean[1];
            TestThread canceller = TestThread.start("cancel", () -> cancelled[0] = w.cancel(null));
            int woken = ParkingLot.unparkOne(key, u -> 0).unparkedThreads();
            canceller.joinAndRethrow();
            assertThat(wakes.get() + (cancelled[0] ? 1 : 0)).as("round %d", round).isEqualTo(1);
            assertThat(woken).isEqualTo(wakes.get());
        }
    }
}
