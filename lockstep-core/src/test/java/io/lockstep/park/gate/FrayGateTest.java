package io.lockstep.park.gate;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockstep.internal.Deadline;
import io.lockstep.park.ParkingLot;
import io.lockstep.testing.FrayThreads;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): Gate's races. A lost wake-up leaves a waiter parked forever, which Fray reports
 * as a deadlock.
 */
@ExtendWith(FrayTestExtension.class)
class FrayGateTest {

    // waiter: await(version > 0) | changer: version = 1; wakeAll   (the bit's Dekker handshake)
    @ConcurrencyTest(iterations = 500)
    void wakeAllRacingAwaitLosesNoWakeUp() throws InterruptedException {
        Gate gate = new Gate();
        AtomicInteger version = new AtomicInteger();
        Thread waiter = FrayThreads.start(() -> assertEquals(DONE, gate.await(() -> version.get() > 0, Deadline.NONE, true)));
        version.set(1);
        gate.wakeAll();
        waiter.join();
    }

    // w1, w2: await(version > seen) twice | changer: two changes, each with wakeAll
    // (a waiter whose bit another wake-up cleared re-sets it instead of sleeping unannounced: I2)
    @ConcurrencyTest(iterations = 400)
    void twoWaitersTwoChangesNobodySleepsUnannounced() throws InterruptedException {
        Gate gate = new Gate();
        AtomicInteger version = new AtomicInteger();
        TestThread.Body body = () -> {
            for (int seen = 0; seen < 2; seen++) {
                int s = seen;
                assertEquals(DONE, gate.await(() -> version.get() > s, Deadline.NONE, true));
            }
        };
        Thread w1 = FrayThreads.start(body), w2 = FrayThreads.start(body);
        version.set(1);
        gate.wakeAll();
        version.set(2);
        gate.wakeAll();
        w1.join();
        w2.join();
    }

    // waiter: until(open) on the key | opener: open = true; unparkAll(key)
    @ConcurrencyTest(iterations = 500)
    void keyedOpeningRacingUntilLosesNoWakeUp() throws InterruptedException {
        Object key = new Object();
        AtomicInteger open = new AtomicInteger();
        Thread waiter = FrayThreads.start(() -> assertEquals(DONE, Gate.until(key, () -> open.get() == 1, Deadline.NONE, true)));
        open.set(1);
        ParkingLot.unparkAll(key);
        waiter.join();
    }

    // waiter: until(open, 1 ms) | opener: open; unparkAll — DONE exactly when it saw the gate open
    @ConcurrencyTest(iterations = 400)
    void timeoutRacingOpening() throws InterruptedException {
        Object key = new Object();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger outcome = new AtomicInteger(-1);
        Thread waiter = FrayThreads.start(() -> outcome.set(Gate.until(key, () -> open.get() == 1,
                Deadline.after(Duration.ofMillis(1)), true)));
        open.set(1);
        ParkingLot.unparkAll(key);
        waiter.join();
        assertTrue(outcome.get() == DONE || outcome.get() == TIMED_OUT);
        assertEquals(0, ParkingLot.queueLength(key));
    }

    // waiter: until(open), interruptible | main: interrupt; open; unparkAll
    // The interrupt comes before the opening: it either ends the wait (INTERRUPTED, status
    // cleared) or, if the waiter sees the gate open first, the wait is DONE with the status kept.
    @ConcurrencyTest(iterations = 400)
    void interruptRacingOpening() throws InterruptedException {
        Object key = new Object();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger outcome = new AtomicInteger(-1);
        AtomicInteger flagKept = new AtomicInteger();
        Thread waiter = FrayThreads.start(() -> {
            outcome.set(Gate.until(key, () -> open.get() == 1, Deadline.NONE, true));
            flagKept.set(Thread.interrupted() ? 1 : 0);
        });
        waiter.interrupt();
        open.set(1);
        ParkingLot.unparkAll(key);
        waiter.join();
        if (outcome.get() == INTERRUPTED) assertEquals(0, flagKept.get(), "INTERRUPTED clears the status");
        else {
            assertEquals(DONE, outcome.get());
            assertEquals(1, flagKept.get(), "DONE keeps the interrupt for the caller");
        }
        assertEquals(0, ParkingLot.queueLength(key));
    }
}
