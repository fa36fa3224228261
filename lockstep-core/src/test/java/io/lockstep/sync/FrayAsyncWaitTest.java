package io.lockstep.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): async waits on gates that create their waiter queue lazily. A lost wake-up
 * leaves a future that never completes, which Fray reports as a deadlock at the join.
 */
@ExtendWith(FrayTestExtension.class)
class FrayAsyncWaitTest {

    // a: getAsync (installs the waiter queue) | b: getAsync; cancel | main: set -- nobody is missed
    @ConcurrencyTest(iterations = 400)
    void onceCellGetAsyncRacingSet() throws InterruptedException {
        OnceCell<String> cell = new OnceCell<>();
        CompletableFuture<?>[] got = new CompletableFuture<?>[2];
        Thread a = new Thread(() -> got[0] = cell.getAsync());
        Thread b = new Thread(() -> {
            got[1] = cell.getAsync();
            got[1].cancel(false);
        });
        a.start();
        b.start();
        cell.set("v");
        a.join();
        b.join();
        assertEquals("v", got[0].join());
        assertEquals("v", cell.getAsync().join());
    }

    // main: awaitAsync (queued) | canceller: cancel | main: notifyOne -- consumed by the future, or stored: exactly one
    @ConcurrencyTest(iterations = 400)
    void notifyAwaitAsyncCancelRacingNotifyOne() throws InterruptedException {
        Notify n = new Notify();
        CompletableFuture<Void> f = n.awaitAsync();
        Thread canceller = new Thread(() -> f.cancel(false));
        canceller.start();
        n.notifyOne();
        canceller.join();
        boolean consumed = f.isDone() && !f.isCancelled();
        assertEquals(!consumed, n.hasPermit(), "the notification went to the future or was stored, exactly once");
    }

    // main: f1, f2 = awaitAsync | canceller: cancel f1 | main: set -- f1 consumed it, or f2 got it: exactly one
    @ConcurrencyTest(iterations = 300)
    void autoResetEventCancelledFuturePassesTheSignalOn() throws InterruptedException {
        AutoResetEvent e = new AutoResetEvent();
        CompletableFuture<Void> f1 = e.awaitAsync(), f2 = e.awaitAsync();
        Thread canceller = new Thread(() -> f1.cancel(false));
        canceller.start();
        e.set();
        canceller.join();
        boolean first = f1.isDone() && !f1.isCancelled();
        assertEquals(!first, f2.isDone(), "the signal went to exactly one future");
        assertEquals(false, e.isSet());
    }

    // main: a = awaitAsync (1 of 2) | canceller: cancel a | main: awaitAsync (the last) -- broken, or tripped: exactly one
    @ConcurrencyTest(iterations = 300)
    void barrierCancelRacingTheLastArrival() throws InterruptedException {
        Barrier b = new Barrier(2);
        CompletableFuture<Boolean> a = b.awaitAsync();
        Thread canceller = new Thread(() -> a.cancel(false));
        canceller.start();
        CompletableFuture<Boolean> last = b.awaitAsync();
        canceller.join();
        boolean tripped = last.isDone() && !last.isCompletedExceptionally();
        assertEquals(!tripped, b.isBroken(), "the cancel broke the generation, or came too late to");
        assertEquals(true, last.isDone());
        assertEquals(true, a.isDone());
        if (tripped) assertEquals(true, last.join());
    }
}
