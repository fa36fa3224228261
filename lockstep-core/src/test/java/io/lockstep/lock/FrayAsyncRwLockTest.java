package io.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockstep.testing.FrayThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): RawRwLock's async forms, one test per mode and waiting phase. A request's future
 * is settled by someone else (cancel, a timeout) while the release that would let it in runs; a
 * blocked thread waits behind it. Every test ends by checking that the lock is free, nobody is
 * left in line and the blocked thread got in exactly once: a hold nobody waits for any more is
 * released (or handed on) once, and a reservation or wake-up is never swallowed.
 */
@ExtendWith(FrayTestExtension.class)
class FrayAsyncRwLockTest {
    private int counter;                       // guarded by the lock under test

    private static void assertFree(RawRwLock rw) {
        assertTrue(rw.tryLockWrite(), "the lock is free and usable afterwards");
        rw.unlockWrite();
        assertEquals(0, rw.getQueueLength(), "nobody left in line");
        assertEquals(0, rw.getReadLockCount());
    }

    /**
     * main: {@code hold}; {@code request} (queued); b: {@code blocked} (parked behind it) |
     * settler: {@code settle} the future | main: {@code release}. b gets in exactly once,
     * whoever wins; a request that won holds the lock and is closed here.
     */
    private void settleRacingRelease(RawRwLock rw, Runnable hold, Function<RawRwLock, CompletableFuture<RawRwLockGuard>> request,
                                     Runnable blocked, Runnable release, Consumer<CompletableFuture<RawRwLockGuard>> settle)
            throws InterruptedException {
        counter = 0;
        hold.run();
        CompletableFuture<RawRwLockGuard> f = request.apply(rw);
        assertFalse(f.isDone(), "queued");
        Thread b = FrayThreads.start(() -> {
            blocked.run();
            counter++;
        });
        FrayRawMutexTest.untilParkedOrDone(rw::getQueueLength, 2, b);
        Thread settler = FrayThreads.start(() -> settle.accept(f));
        release.run();
        settler.join();
        if (f.isDone() && !f.isCompletedExceptionally() && f.getNow(null) != null) {
            f.getNow(null).close();                          // the request won: release its hold
        }
        b.join();
        assertEquals(1, counter);
        assertFree(rw);
    }

    private static void cancel(CompletableFuture<RawRwLockGuard> f) {
        f.cancel(false);
    }

    // What orTimeout's timer does when it fires.
    private static void timeOut(CompletableFuture<RawRwLockGuard> f) {
        f.completeExceptionally(new TimeoutException());
    }

    /** READ: a writer's release lets the queued readers in by hand-off, counting the request. */
    @ConcurrencyTest(iterations = 300)
    void readCancelRacingTheWritersRelease() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        settleRacingRelease(rw, rw::lockWrite, RawRwLock::lockReadAsync, () -> {
            rw.lockRead();
            rw.unlockRead();
        }, rw::unlockWrite, FrayAsyncRwLockTest::cancel);
    }

    /** WRITE, first phase: queued with the writers, woken to retry by the writer's release. */
    @ConcurrencyTest(iterations = 300)
    void writeCancelRacingTheWritersRelease() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        settleRacingRelease(rw, rw::lockWrite, RawRwLock::lockWriteAsync, () -> {
            rw.lockWrite();
            rw.unlockWrite();
        }, rw::unlockWrite, FrayAsyncRwLockTest::cancel);
    }

    /** WRITE, drain phase: the reservation is held, a reader parks behind it, the last reader leaves. */
    @ConcurrencyTest(iterations = 300)
    void drainingWriteCancelRacingTheLastReader() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        settleRacingRelease(rw, rw::lockRead, RawRwLock::lockWriteAsync, () -> {
            rw.lockRead();
            rw.unlockRead();
        }, rw::unlockRead, FrayAsyncRwLockTest::cancel);
    }

    /** As above, with the biased readers' table in play (the reservation revoked the bias). */
    @ConcurrencyTest(iterations = 200)
    void drainingWriteTimeoutRacingABiasedReader() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        settleRacingRelease(rw, () -> {
            rw.bias();
            rw.lockRead();
        }, RawRwLock::lockWriteAsync, () -> {
            rw.lockRead();
            rw.unlockRead();
        }, rw::unlockRead, FrayAsyncRwLockTest::timeOut);
    }

    /** UPGRADABLE: queued with the writers behind the upgradable holder; a writer waits behind it. */
    @ConcurrencyTest(iterations = 300)
    void upgradableCancelRacingTheHoldersRelease() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        settleRacingRelease(rw, rw::lockUpgradable, RawRwLock::lockUpgradableAsync, () -> {
            rw.lockWrite();
            rw.unlockWrite();
        }, rw::unlockUpgradable, FrayAsyncRwLockTest::timeOut);
    }

    // main: lockWriteAsync -> g | a: g.close() | b: g.close() | c: lockRead -- one release, both closes return
    @ConcurrencyTest(iterations = 200)
    void racingClosesReleaseOnce() throws InterruptedException {
        RawRwLock rw = new RawRwLock();
        RawRwLockGuard g = rw.lockWriteAsync().join();
        Thread a = FrayThreads.start(g::close), b = FrayThreads.start(g::close);
        Thread c = FrayThreads.start(() -> {
            rw.lockRead();
            rw.unlockRead();
        });
        a.join();
        b.join();
        c.join();
        assertFree(rw);
    }
}
