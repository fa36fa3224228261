package io.lockstep.park.gate;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.internal.Deadline;
import io.lockstep.park.ParkingLot;
import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Gate's two forms: the keyed wait ({@link Gate#until}) and a gate with its own parked bit. */
class GateTest {

    private volatile boolean open;

    @Test
    void untilReturnsAtOnceWhenAlreadyOpen() {
        open = true;
        assertThat(Gate.until(this, () -> open, Deadline.afterNanos(0), true)).isEqualTo(DONE);
        assertThat(ParkingLot.queueLength(this)).isZero();
    }

    @Test
    void untilTimesOutWhileClosedAndLeavesNobodyParked() {
        assertThat(Gate.until(this, () -> open, Deadline.after(Duration.ofMillis(5)), true)).isEqualTo(TIMED_OUT);
        assertThat(ParkingLot.queueLength(this)).isZero();
    }

    @Test
    void openingAndUnparkingTheKeyReleasesEveryWaiter() throws InterruptedException {
        List<TestThread> waiters = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            waiters.add(TestThread.start("w" + i, () -> {
                assertThat(Gate.until(this, () -> open, Deadline.NONE, true)).isEqualTo(DONE);
                done.incrementAndGet();
            }));
        }
        Await.until(() -> ParkingLot.queueLength(this) == 3, "three waiters parked");
        open = true;                                          // the volatile write first
        ParkingLot.unparkAll(this);
        for (TestThread w : waiters) w.joinAndRethrow();
        assertThat(done).hasValue(3);
    }

    @Test
    void interruptEndsAnInterruptibleWaitWithTheStatusCleared() throws InterruptedException {
        TestThread w = TestThread.start("w", () -> {
            assertThat(Gate.until(this, () -> open, Deadline.NONE, true)).isEqualTo(INTERRUPTED);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        });
        Await.until(() -> ParkingLot.queueLength(this) == 1, "the waiter parked");
        w.interrupt();
        w.joinAndRethrow();
    }

    @Test
    void interruptDoesNotEndAnUninterruptibleWaitAndIsKept() throws InterruptedException {
        TestThread w = TestThread.start("w", () -> {
            assertThat(Gate.until(this, () -> open, Deadline.NONE, false)).isEqualTo(DONE);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        });
        Await.until(() -> ParkingLot.queueLength(this) == 1, "the waiter parked");
        w.interrupt();
        Await.holds(Duration.ofMillis(20), () -> w.thread().isAlive(), "still waiting after the interrupt");
        open = true;
        ParkingLot.unparkAll(this);
        w.joinAndRethrow();
    }

    @Test
    void untilInterruptiblyThrowsOnAPendingInterruptAndReportsTimeouts() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> Gate.untilInterruptibly(this, () -> true, Deadline.NONE))
                .isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThatCode(() -> {
            assertThat(Gate.untilInterruptibly(this, () -> open, Deadline.after(Duration.ofMillis(2)))).isFalse();
            assertThat(Gate.untilInterruptibly(this, () -> true, Deadline.NONE)).isTrue();
        }).doesNotThrowAnyException();
    }

    @Test
    void wakeAllSkipsTheParkingLotWhileNobodyWaits() {
        Gate gate = new Gate();
        assertThat(gate.mayHaveWaiters()).isFalse();
        gate.wakeAll();                                       // nothing to do, nothing breaks
        assertThat(gate.await(() -> open, Deadline.after(Duration.ofMillis(2)), true)).isEqualTo(TIMED_OUT);
        // a waiter that gave up leaves its bit set: the next wakeAll clears it under the bucket lock
        assertThat(gate.mayHaveWaiters()).isTrue();
        gate.wakeAll();
        assertThat(gate.mayHaveWaiters()).isFalse();
    }

    @Test
    void everyChangeWakesEveryWaiterOfTheGate() throws InterruptedException {
        Gate gate = new Gate();
        AtomicInteger version = new AtomicInteger();
        List<TestThread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(TestThread.start("w" + i, () -> {
                for (int seen = 0; seen < 50; seen++) {
                    int s = seen;
                    assertThat(gate.await(() -> version.get() > s, Deadline.NONE, true)).isEqualTo(DONE);
                }
            }));
        }
        for (int v = 1; v <= 50; v++) {
            version.set(v);                                   // the change first, then the wake-up
            gate.wakeAll();
        }
        for (TestThread w : waiters) w.joinAndRethrow();
        assertThat(ParkingLot.queueLength(gate)).isZero();
    }
}
