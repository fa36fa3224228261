package io.lockstep.park;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray) explores the interleavings of the parking lot's races. Each test opens with its
 * interleaving and asserts an invariant; a lost wake-up shows up as Fray's deadlock report.
 */
@ExtendWith(FrayTestExtension.class)
class FrayParkingLotTest {

    // parker: park(validate: state == 0) | waker: state = 1; unparkOne
    @ConcurrencyTest(iterations = 300)
    void parkRacingUnparkLosesNoWakeUp() throws InterruptedException {
        Object key = new Object();
        AtomicInteger state = new AtomicInteger();
        Thread parker = new Thread(() -> {
            while (state.get() == 0) ParkingLot.park(key, () -> state.get() == 0, null, ParkingLot.NO_DEADLINE);
        });
        parker.start();
        state.set(1);
        ParkingLot.unparkOne(key, r -> 0);
        parker.join();
        assertEquals(0, ParkingLot.queueLength(key));
    }

    // parker: park(deadline) | waker: unparkOne(token 7): exactly one of "woken" and "timed out"
    @ConcurrencyTest(iterations = 300)
    void timeoutRacingUnparkIsExactlyOneOutcome() throws InterruptedException {
        Object key = new Object();
        AtomicReference<ParkResult> result = new AtomicReference<>();
        Thread parker = new Thread(() -> result.set(
                ParkingLot.park(key, () -> true, null, System.nanoTime() + 1_000_000L)));
        parker.start();
        UnparkResult u = ParkingLot.unparkOne(key, r -> 7);
        parker.join();
        if (u.unparkedThreads() == 1) assertEquals(new ParkResult.Unparked(7), result.get());
        else assertTrue(result.get() instanceof ParkResult.TimedOut, "neither woken nor timed out: " + result.get());
        assertEquals(0, ParkingLot.queueLength(key));
    }

    // parker: park (interruptible) | main: interrupt; unparkOne
    @ConcurrencyTest(iterations = 300)
    void interruptRacingUnparkIsExactlyOneOutcome() throws InterruptedException {
        Object key = new Object();
        AtomicReference<ParkResult> result = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread parker = new Thread(() -> {
            result.set(ParkingLot.park(key, () -> true, null, ParkingLot.NO_DEADLINE));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        parker.start();
        parker.interrupt();
        UnparkResult u = ParkingLot.unparkOne(key, r -> 3);
        if (u.unparkedThreads() == 0) ParkingLot.unparkAll(key);   // it may not have parked yet
        parker.join();
        ParkResult r = result.get();
        if (r instanceof ParkResult.Interrupted) {
            assertEquals(false, interruptedAfter.get(), "Interrupted clears the status");
        } else {
            assertTrue(r instanceof ParkResult.Unparked, "unexpected " + r);
            assertEquals(true, interruptedAfter.get(), "a woken thread keeps the interrupt");
        }
        assertEquals(0, ParkingLot.queueLength(key));
    }

    // parker: park(from, deadline) | main: unparkRequeue(from -> to, REQUEUE_ALL); unparkAll(to)
    @ConcurrencyTest(iterations = 300)
    void requeueRacingTimeoutCancelsOnTheRightKey() throws InterruptedException {
        Object from = new Object(), to = new Object();
        AtomicReference<Object> cancelledOn = new AtomicReference<>();
        AtomicReference<ParkResult> result = new AtomicReference<>();
        Thread parker = new Thread(() -> result.set(ParkingLot.park(from, () -> true, null,
                (k, last) -> cancelledOn.set(k), 0, System.nanoTime() + 1_000_000L, true)));
        parker.start();
        ParkingLot.unparkRequeue(from, to, () -> RequeueOp.REQUEUE_ALL, (op, r) -> 0);
        ParkingLot.unparkAll(to);
        parker.join();
        if (result.get() instanceof ParkResult.TimedOut) assertTrue(cancelledOn.get() == from || cancelledOn.get() == to);
        assertEquals(0, ParkingLot.queueLength(from));
        assertEquals(0, ParkingLot.queueLength(to));
    }

    // a, b: park(key) | main: unparkAll until both left; counts must add up
    @ConcurrencyTest(iterations = 300)
    void unparkAllCountsEveryoneOnce() throws InterruptedException {
        Object key = new Object();
        AtomicInteger state = new AtomicInteger();
        Runnable body = () -> {
            while (state.get() == 0) ParkingLot.park(key, () -> state.get() == 0, null, ParkingLot.NO_DEADLINE);
        };
        Thread a = new Thread(body), b = new Thread(body);
        a.start();
        b.start();
        state.set(1);
        int woken = ParkingLot.unparkAll(key);
        a.join();
        b.join();
        assertTrue(woken >= 0 && woken <= 2);
        assertEquals(0, ParkingLot.queueLength(key));
    }
}
