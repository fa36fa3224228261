package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.park.ParkingLot;
import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Condvar.awaitAsync: a task's condition wait over a guard-owned hold; requeue, cancel-safety, notifications passed on. */
@Timeout(30)
class AsyncCondvarTest {

    private static void assertFree(Mutex<?> m, Condvar cv) {
        RawMutex raw = (RawMutex) m.rawLock();
        assertThat(raw.tryLock()).as("the mutex is free afterwards").isTrue();
        raw.unlock();
        assertThat(raw.getQueueLength()).isZero();
        assertThat(ParkingLot.queueLength(cv)).as("nobody waits on the condvar").isZero();
    }

    @Test
    void awaitAsyncReleasesAndCompletesWithTheLockHeldAgain() throws Exception {
        Mutex<Integer> m = Mutex.of(0);
        Condvar cv = new Condvar();
        MutexGuard<Integer> g = m.lockAsync().join();
        CompletableFuture<MutexGuard<Integer>> f = cv.awaitAsync(g);
        assertThat(g.isClosed()).as("the guard's hold was released").isTrue();
        assertThat(f).isNotDone();
        try (MutexGuard<Integer> t = m.lock()) {               // the lock is free for others meanwhile
            t.set(1);
            assertThat(cv.notifyOne()).isTrue();
            assertThat(f).as("re-taking the lock waits for our unlock").isNotDone();
        }
        MutexGuard<Integer> again = f.get(20, TimeUnit.SECONDS);
        assertThat(again.get()).isEqualTo(1);
        assertThat(((RawMutex) m.rawLock()).isLocked()).isTrue();
        TestThread.start("closer", again::close).joinAndRethrow();
        assertFree(m, cv);
    }

    @Test
    void notifyAllMovesAsyncWaitersOntoTheMutexNextToThreads() throws Exception {
        Mutex<List<String>> m = Mutex.of(new ArrayList<>());
        Condvar cv = new Condvar();
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            MutexGuard<List<String>> g = m.lockAsync().join();
            tasks.add(cv.awaitAsync(g).thenAccept(h -> {
                try (h) {
                    h.get().add(name);
                }
            }));
        }
        TestThread t = TestThread.start("thread", () -> {
            try (MutexGuard<List<String>> g = m.lock()) {
                cv.await(g);
                g.get().add("t");
            }
        });
        Await.until(() -> ParkingLot.queueLength(cv) == 3, "two tasks and a thread wait");
        try (MutexGuard<List<String>> g = m.lock()) {
            assertThat(cv.notifyAllWaiters()).isEqualTo(3);
            assertThat(ParkingLot.queueLength(cv)).isZero();
        }
        t.joinAndRethrow();
        CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        List<String> seen = m.withLock(l -> List.copyOf(l));
        assertThat(seen).containsExactlyInAnyOrder("a", "b", "t");
        assertFree(m, cv);
    }

    @Test
    void aCancelledWaiterLeavesTheLineHoldingNothing() throws Exception {
        Mutex<Integer> m = Mutex.of(0);
        Condvar cv = new Condvar();
        CompletableFuture<MutexGuard<Integer>> f = cv.awaitAsync(m.lockAsync().join());
        CompletableFuture<MutexGuard<Integer>> timed = cv.awaitAsync(m.lockAsync().join()).orTimeout(10, TimeUnit.MILLISECONDS);
        assertThat(f.cancel(false)).isTrue();
        assertThatThrownBy(timed::join).hasCauseInstanceOf(TimeoutException.class);
        assertThat(cv.notifyOne()).as("nobody left to notify").isFalse();
        assertFree(m, cv);
    }

    @Test
    void aNotificationTakenByAWaiterThatGivesUpIsPassedOn() throws Exception {
        Mutex<Integer> m = Mutex.of(0);
        Condvar cv = new Condvar();
        CompletableFuture<MutexGuard<Integer>> first = cv.awaitAsync(m.lockAsync().join());
        CompletableFuture<MutexGuard<Integer>> second = cv.awaitAsync(m.lockAsync().join());
        MutexGuard<Integer> held = m.lock();
        assertThat(cv.notifyOne()).isTrue();                    // the first waiter takes it, then waits for the lock
        assertThat(ParkingLot.queueLength(cv)).isEqualTo(1);
        assertThat(first.cancel(false)).isTrue();              // gives up while re-taking the lock
        assertThat(ParkingLot.queueLength(cv)).as("the notification went on to the second").isZero();
        held.close();
        second.get(20, TimeUnit.SECONDS).close();
        assertFree(m, cv);
    }

    @Test
    void misuseIsRefusedAndTheGuardKeepsItsHold() {
        Mutex<Integer> m = Mutex.of(0);
        Condvar cv = new Condvar();
        try (MutexGuard<Integer> threadOwned = m.lock()) {
            assertThatThrownBy(() -> cv.awaitAsync(threadOwned)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lockAsync");
            assertThat(threadOwned.isClosed()).isFalse();
        }
        MutexGuard<Integer> closed = m.lockAsync().join();
        closed.close();
        assertThatThrownBy(() -> cv.awaitAsync(closed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cv.awaitAsync(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("guard");
        MutexGuard<Integer> g = m.lockAsync().join();
        assertThatThrownBy(() -> cv.awaitAsync(g, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("executor");
        assertThat(g.isClosed()).as("nothing released").isFalse();
        g.close();
        assertFree(m, cv);
    }

    @Test
    void theExecutorOverloadRunsStagesOnTheExecutor() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "cv-pool"));
        try {
            Mutex<Integer> m = Mutex.of(0);
            Condvar cv = new Condvar();
            CompletableFuture<String> f = cv.awaitAsync(m.lockAsync().join(), pool).thenApply(g -> {
                try (g) {
                    return Thread.currentThread().getName();
                }
            });
            try (MutexGuard<Integer> g = m.lock()) {
                cv.notifyOne();
            }
            assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("cv-pool");
            Await.until(() -> !((RawMutex) m.rawLock()).isLocked(), "the stage closed its guard");
            assertFree(m, cv);
        } finally {
            pool.shutdownNow();
        }
    }
}
