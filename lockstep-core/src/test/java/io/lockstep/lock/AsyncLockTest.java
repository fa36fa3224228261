package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** lockAsync on RawMutex and Mutex: guard-owned holds, the shared line, cancel-safety, misuse. */
@Timeout(30)
class AsyncLockTest {

    private static void assertFree(RawMutex m) {
        assertThat(m.tryLock()).as("the lock is free afterwards").isTrue();
        m.unlock();
        assertThat(m.getQueueLength()).as("nobody left in line").isZero();
    }

    @Test
    void uncontendedLockAsyncCompletesAtOnceWithAGuardOwnedHold() {
        RawMutex m = new RawMutex();
        CompletableFuture<RawMutexGuard> f = m.lockAsync();
        assertThat(f).isDone();
        RawMutexGuard g = f.join();
        assertThat(m.isLocked()).isTrue();
        assertThat(m.isHeldByCurrentThread()).as("a guard, not a thread, holds it").isFalse();
        assertThat(g.mutex()).isSameAs(m);
        g.close();
        assertThat(g.isClosed()).isTrue();
        assertFree(m);
    }

    @Test
    void misuseGetsClearExceptionsAndLosesNothing() throws Exception {
        RawMutex m = new RawMutex().named("accounts");
        RawMutexGuard g = m.lockAsync().join();
        assertThatThrownBy(m::unlock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("async guard").hasMessageContaining("accounts");
        assertThatThrownBy(m::unlockFair).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(m.isLocked()).as("the failed unlock left the hold").isTrue();
        TestThread.start("closer", g::close).joinAndRethrow();   // any thread may close it
        assertThatThrownBy(g::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed twice");
        assertFree(m);
        m.lock();                                          // the second close released nothing
        assertThatThrownBy(g::close).isInstanceOf(IllegalStateException.class);
        assertThat(m.isHeldByCurrentThread()).isTrue();
        m.unlock();
    }

    @Test
    void aQueuedRequestIsHandedTheLockByAThreadsUnlock() {
        RawMutex m = new RawMutex();
        m.lock();
        CompletableFuture<RawMutexGuard> f = m.lockAsync();
        assertThat(f).isNotDone();
        assertThat(m.getQueueLength()).isEqualTo(1);
        assertThat(m.getQueuedThreads()).as("an async request is not a thread").isEmpty();
        m.unlock();
        assertThat(f).as("handed over directly, on the unlocking thread").isDone();
        assertThat(m.isLocked()).isTrue();
        assertThat(m.tryLock()).as("no barging past a hand-off").isFalse();
        f.join().close();
        assertFree(m);
    }

    @Test
    void asyncRequestsAndParkedThreadsShareOneLine() throws Exception {
        RawMutex m = new RawMutex();
        List<String> order = new ArrayList<>();              // guarded by m
        RawMutexGuard first = m.lockAsync().join();
        CompletableFuture<Void> a = m.lockAsync().thenAccept(g -> { order.add("a"); g.close(); });
        TestThread t = TestThread.start("b", () -> {
            m.lock();
            order.add("b");
            m.unlockFair();
        });
        Await.until(() -> m.getQueueLength() == 2, "the thread parked behind the request");
        CompletableFuture<Void> c = m.lockAsync().thenAccept(g -> { order.add("c"); g.close(); });
        first.unlockFair();
        t.joinAndRethrow();
        CompletableFuture.allOf(a, c).get(20, TimeUnit.SECONDS);
        assertThat(order).containsExactly("a", "b", "c");
        assertFree(m);
    }

    @Test
    void cancellingAQueuedRequestLeavesTheLine() {
        RawMutex m = new RawMutex();
        m.lock();
        CompletableFuture<RawMutexGuard> f = m.lockAsync();
        assertThat(f.cancel(false)).isTrue();
        assertThat(m.getQueueLength()).isZero();
        assertThat(m.hasParked()).as("the last waiter to leave clears PARKED").isFalse();
        m.unlock();
        assertFree(m);
    }

    @Test
    void timeoutAndCompleteByTheUserLoseNoLock() throws Exception {
        RawMutex m = new RawMutex();
        m.lock();
        CompletableFuture<RawMutexGuard> timed = m.lockAsync().orTimeout(20, TimeUnit.MILLISECONDS);
        CompletableFuture<RawMutexGuard> completed = m.lockAsync();
        CompletableFuture<RawMutexGuard> waiting = m.lockAsync();
        assertThatThrownBy(timed::join).hasCauseInstanceOf(TimeoutException.class);
        completed.complete(null);
        Await.until(() -> m.getQueueLength() == 1, "the timed-out and completed requests left the line");
        m.unlock();
        waiting.get(20, TimeUnit.SECONDS).close();
        assertFree(m);
    }

    @Test
    void aCallbackThatClosesItsGuardDoesNotRecurseIntoTheNext() throws Exception {
        RawMutex m = new RawMutex();
        int n = 100_000;
        int[] count = {0};
        int[] maxDepth = {0};
        m.lock();
        List<CompletableFuture<Void>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(m.lockAsync().thenAccept(g -> {
                count[0]++;
                maxDepth[0] = Math.max(maxDepth[0], new Throwable().getStackTrace().length);
                g.close();
            }));
        }
        m.unlock();                                       // every request is granted from here
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(count[0]).isEqualTo(n);
        assertThat(maxDepth[0]).as("stack depth stays flat (iterative completion)").isLessThan(200);
        assertFree(m);
    }

    @Test
    void mixedThreadsAndTasksExcludeEachOther() throws Exception {
        Mutex<Integer> counter = Mutex.of(0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                tasks.add(counter.lockAsync().thenAcceptAsync(g -> {
                    try (g) {
                        g.set(g.get() + 1);
                    }
                }, pool));
            }
            List<TestThread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(TestThread.startVirtual("v" + t, () -> {
                    for (int i = 0; i < 500; i++) counter.update(c -> c + 1);
                }));
            }
            for (TestThread t : threads) t.joinAndRethrow();
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(counter.<Integer>withLock(c -> c)).isEqualTo(4_000);
            assertFree((RawMutex) counter.rawLock());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void asyncMutexGuardIsOwnedByItselfAndPoisoningHolds() throws Exception {
        Mutex<Integer> mutex = Mutex.of(1);
        MutexGuard<Integer> g = mutex.lockAsync().join();
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            int v = g.get();
            g.set(v + 1);
            g.close();                                    // closed on another thread
            return v;
        });
        assertThat(read.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(mutex.<Integer>withLock(v -> v)).isEqualTo(2);

        MutexGuard<Integer> h = mutex.lockAsync().join();
        assertThatThrownBy(() -> h.unlocked(() -> {})).isInstanceOf(IllegalStateException.class).hasMessageContaining("lockAsync");
        assertThatThrownBy(() -> new Condvar().await(h)).isInstanceOf(IllegalStateException.class);
        h.poison(new RuntimeException("half-way"));
        h.close();
        h.close();                                        // a MutexGuard's second close does nothing, as ever
        assertThatThrownBy(() -> mutex.lockAsync().join()).hasCauseInstanceOf(PoisonedException.class);
        RawMutex raw = (RawMutex) mutex.rawLock();
        raw.lock();
        CompletableFuture<MutexGuard<Integer>> queued = mutex.lockAsync();
        raw.unlock();
        assertThatThrownBy(queued::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PoisonedException.class);
        assertFree(raw);
        mutex.clearPoison();
        mutex.lockAsync().join().close();
    }

    @Test
    void lockAsyncNeedsARawMutex() {
        Mutex<String> m = Mutex.of(new ReentrantLock(), "x");
        assertThatThrownBy(m::lockAsync).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("RawMutex");
    }

    @Test
    void aRequestQueuedBehindAParkedThreadIsNotStarved() throws Exception {
        RawMutex m = new RawMutex();
        m.lock();
        TestThread t = TestThread.start("parked", () -> {
            m.lock();
            m.unlock();
        }).awaitBlocked();
        CompletableFuture<RawMutexGuard> f = m.lockAsync();
        m.unlock();
        t.joinAndRethrow();
        f.get(20, TimeUnit.SECONDS).close();
        Await.holds(Duration.ofMillis(20), () -> !m.isLocked(), "free");
    }
}
