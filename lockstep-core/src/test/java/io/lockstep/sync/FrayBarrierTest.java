package io.lockstep.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockstep.testing.FrayThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

/** Fray model checking of the gate-like primitives: Barrier, Latch, Notify, OnceCell. */
@ExtendWith(FrayTestExtension.class)
class FrayBarrierTest {

    // await x2 | await x2 | await x2: one leader per generation
    @FrayTest(iterations = 200)
    void oneLeaderPerGeneration() throws Exception {
        Barrier b = new Barrier(3);
        AtomicInteger leaders = new AtomicInteger();
        Runnable party = () -> {
            try {
                for (int g = 0; g < 2; g++) if (b.await()) leaders.incrementAndGet();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Thread a = new Thread(party), c = new Thread(party);
        a.start();
        c.start();
        party.run();
        a.join();
        c.join();
        assertEquals(2, leaders.get());
    }

    // countDown | countDown | await
    @FrayTest(iterations = 200)
    void latchOpensAfterTheLastCountDown() throws Exception {
        Latch l = new Latch(2);
        int[] data = new int[2];
        Thread a = new Thread(() -> { data[0] = 1; l.countDown(); });
        Thread b = new Thread(() -> { data[1] = 2; l.countDown(); });
        a.start();
        b.start();
        l.await();
        assertEquals(3, data[0] + data[1]);
        a.join();
        b.join();
    }

    // notifyOne | await: the notification is never lost
    @FrayTest(iterations = 200)
    void notifyIsNeverLost() throws Exception {
        Notify n = new Notify();
        Thread notifier = new Thread(n::notifyOne);
        notifier.start();
        n.await();
        notifier.join();
    }

    // getOrInit | getOrInit | set
    @FrayTest(iterations = 200)
    void onceCellHasOneValue() throws Exception {
        OnceCell<Integer> cell = new OnceCell<>();
        int[] seen = new int[2];
        Thread a = new Thread(() -> seen[0] = cell.getOrInit(() -> 1));
        Thread b = new Thread(() -> seen[1] = cell.getOrInit(() -> 2));
        a.start();
        b.start();
        boolean setWon = cell.set(3);
        a.join();
        b.join();
        int v = cell.get().orElseThrow();
        assertEquals(v, seen[0]);
        assertEquals(v, seen[1]);
        assertEquals(setWon, v == 3);
    }
    // awaitAsync, cancel one | countDown | countDown: the kept future is completed by the opener
    // (AsyncWaiters' add-then-recheck against set-then-scan), the cancelled one left the queue.
    @FrayTest(iterations = 500)
    void latchAwaitAsyncRacingTheLastCountDown() throws Exception {
        Latch l = new Latch(2);
        CompletableFuture<?>[] f = new CompletableFuture<?>[2];
        Thread w = new Thread(() -> {
            f[0] = l.awaitAsync();
            f[1] = l.awaitAsync();
            f[1].cancel(false);
        });
        Thread a = new Thread(l::countDown), b = new Thread(l::countDown);
        w.start();
        a.start();
        b.start();
        w.join();
        a.join();
        b.join();
        assertTrue(f[0].isDone() && !f[0].isCompletedExceptionally());
        assertEquals(0, l.async().size());
    }

    // awaitAsync | set; clear; set: the future is completed, whatever the interleaving
    @FrayTest(iterations = 300)
    void eventAwaitAsyncRacingSetAndClear() throws Exception {
        Event e = new Event();
        CompletableFuture<?>[] f = new CompletableFuture<?>[1];
        Thread w = new Thread(() -> f[0] = e.awaitAsync());
        Thread s = new Thread(() -> {
            e.set();
            e.clear();
            e.set();
        });
        w.start();
        s.start();
        w.join();
        s.join();
        assertTrue(f[0].isDone());
    }

    // awaitUninterruptibly | interrupt it | await: the interrupt, at any point of the wait, neither
    // ends it nor breaks the generation, and the waiter returns with its interrupt status set
    @FrayTest(iterations = 300)
    void uninterruptibleAwaitRacingAnInterrupt() throws Exception {
        Barrier b = new Barrier(2);
        boolean[] led = new boolean[1], interruptedAfter = new boolean[1];
        Thread w = FrayThreads.start(() -> {
            led[0] = b.awaitUninterruptibly();
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        Thread i = FrayThreads.start(w::interrupt);
        boolean leader = b.await();
        w.join();
        i.join();
        assertTrue(leader != led[0], "exactly one leader");
        assertTrue(interruptedAfter[0], "the interrupt status is kept");
        assertFalse(b.isBroken());
    }
}
