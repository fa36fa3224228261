package io.lockstep.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): the cancel-safety of the async waits of {@code sync} (issue 15: one Fray test
 * per primitive): cancelling a future never loses the wake-up, permit or value another waiter
 * needs. A lost wake-up leaves a future that never completes, which Fray reports as a deadlock
 * at the join.
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

    // a: awaitAsync | b: awaitAsync; cancel | main: countDown -- the kept future opens, nothing lingers
    @ConcurrencyTest(iterations = 300)
    void latchAwaitAsyncCancelRacingCountDown() throws InterruptedException {
        Latch latch = new Latch(1);
        gateRacingCancel(latch::awaitAsync, latch::countDown);
    }

    // a: awaitAsync | b: awaitAsync; cancel | main: done -- the kept future opens, nothing lingers
    @ConcurrencyTest(iterations = 300)
    void waitGroupAwaitAsyncCancelRacingDone() throws InterruptedException {
        WaitGroup group = new WaitGroup();
        group.add(1);
        gateRacingCancel(group::awaitAsync, group::done);
    }

    // a: awaitAsync | b: awaitAsync; cancel | main: set -- the kept future opens, nothing lingers
    @ConcurrencyTest(iterations = 300)
    void eventAwaitAsyncCancelRacingSet() throws InterruptedException {
        Event event = new Event();
        gateRacingCancel(event::awaitAsync, event::set);
    }

    /** a gate's awaitAsync kept by one thread and cancelled by another while {@code open} runs. */
    private static void gateRacingCancel(Supplier<CompletableFuture<Void>> awaitAsync, Runnable open)
            throws InterruptedException {
        CompletableFuture<?>[] got = new CompletableFuture<?>[2];
        Thread a = new Thread(() -> got[0] = awaitAsync.get());
        Thread b = new Thread(() -> {
            got[1] = awaitAsync.get();
            got[1].cancel(false);
        });
        a.start();
        b.start();
        open.run();
        a.join();
        b.join();
        got[0].join();                                       // opened, not lost to the cancel
        assertEquals(true, got[1].isDone());
        assertEquals(true, awaitAsync.get().isDone(), "open for later callers too");
    }

    // a: getAsync(on a new thread); cancel | b: get -- computed once, kept for both
    @ConcurrencyTest(iterations = 300)
    void lazyGetAsyncCancelledRacingGet() throws InterruptedException {
        AtomicInteger computed = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> {
            computed.incrementAndGet();
            return "v";
        });
        Thread[] task = new Thread[1];
        Thread a = new Thread(() -> lazy.getAsync(r -> (task[0] = new Thread(r)).start()).cancel(false));
        String[] seen = new String[1];
        Thread b = new Thread(() -> seen[0] = lazy.get());
        a.start();
        b.start();
        a.join();
        b.join();
        if (task[0] != null) task[0].join();
        assertEquals("v", seen[0]);
        assertEquals(1, computed.get(), "computed once, the cancelled future's value kept");
        assertEquals("v", lazy.getAsync(Runnable::run).join());
    }
}
