package io.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockstep.park.ParkingLot;
import io.lockstep.testing.FrayThreads;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): Condvar.awaitAsync's signal-vs-cancel race. A task waits next to a thread; a
 * notification and the task's cancellation race. Whoever the notification reaches, the thread
 * must wake: a notification taken by a task that then gives up is passed on, and one the task
 * kept (it got the lock first) is answered here, as a consumer would. The mutex ends free.
 */
@ExtendWith(FrayTestExtension.class)
class FrayAsyncCondvarTest {

    /**
     * [fillers, parked first so that notifyAll requeues the task;] main: task awaitAsync; t: await
     * (parked) | settler: {@code settle} the task | main: lock; {@code notify}; unlock.
     */
    private static void notifyRacingCancel(Consumer<Condvar> notify, boolean requeue) throws InterruptedException {
        Mutex<Integer> m = Mutex.of(0);
        Condvar cv = new Condvar();
        Thread[] fillers = requeue ? FrayCondvarTest.parkedFillers(m, cv) : new Thread[0];
        CompletableFuture<MutexGuard<Integer>> task = cv.awaitAsync(m.lockAsync().join());
        Thread t = FrayThreads.start(() -> {
            try (MutexGuard<Integer> g = m.lock()) {
                cv.await(g);
            }
        });
        FrayRawMutexTest.untilParkedOrDone(() -> ParkingLot.queueLength(cv), fillers.length + 2, t);
        Thread settler = FrayThreads.start(() -> task.cancel(false));
        try (MutexGuard<Integer> g = m.lock()) {
            notify.accept(cv);
        }
        settler.join();
        assertTrue(task.isDone());
        if (!task.isCancelled()) {                           // the task won the notification and the lock
            task.getNow(null).close();
            try (MutexGuard<Integer> g = m.lock()) {
                cv.notifyOne();                              // what its consumer would do next
            }
        }
        t.join();
        FrayCondvarTest.join(fillers);
        RawMutex raw = (RawMutex) m.rawLock();
        assertTrue(raw.tryLock(), "the mutex is free afterwards");
        raw.unlock();
        assertEquals(0, raw.getQueueLength());
        assertEquals(0, ParkingLot.queueLength(cv));
    }

    @ConcurrencyTest(iterations = 400)
    void notifyOneRacingCancelIsNeverLost() throws InterruptedException {
        notifyRacingCancel(Condvar::notifyOne, false);
    }

    @ConcurrencyTest(iterations = 300)
    void notifyAllRacingCancelReleasesTheRequeuedTask() throws InterruptedException {
        notifyRacingCancel(Condvar::notifyAllWaiters, true);
    }
}
