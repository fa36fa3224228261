package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RawRwLock's and RwLock's async forms: guard-owned holds, the shared lines, cancel-safety, misuse; the Executor overloads (lockAsync(executor) barging). */
@Timeout(30)
class AsyncRwLockTest {

    private static void assertFree(RawRwLock rw) {
        assertThat(rw.tryLockWrite()).as("the lock is free afterwards").isTrue();
        rw.unlockWrite();
        assertThat(rw.getQueueLength()).as("nobody left in line").isZero();
        assertThat(rw.toString()).doesNotContain("waiting");
    }

    @Test
    void uncontendedRequestsCompleteAtOnceWithGuardOwnedHolds() {
        RawRwLock rw = new RawRwLock();
        RawRwLockGuard r1 = rw.lockReadAsync().join(), r2 = rw.lockReadAsync().join();
        assertThat(r1.mode()).isEqualTo(RawRwLockGuard.Mode.READ);
        assertThat(rw.getReadLockCount()).isEqualTo(2);
        RawRwLockGuard u = rw.lockUpgradableAsync().join();
        assertThat(rw.isUpgradableLocked()).isTrue();
        r1.close();
        r2.close();
        RawRwLockGuard w = u.upgrade();
        assertThat(u.isClosed()).isTrue();
        assertThat(rw.isWriteLocked()).isTrue();
        assertThat(rw.isWriteLockedByCurrentThread()).as("a guard, not a thread, holds it").isFalse();
        assertThatThrownBy(rw::unlockWrite).isInstanceOf(IllegalMonitorStateException.class);
        RawRwLockGuard r = w.downgrade();
        assertThat(rw.getReadLockCount()).isEqualTo(1);
        assertThat(rw.isWriteLocked()).isFalse();
        r.close();
        assertFree(rw);
        RawRwLockGuard w2 = rw.lockWriteAsync().join();
        assertThat(w2.mode()).isEqualTo(RawRwLockGuard.Mode.WRITE);
        w2.close();
        assertFree(rw);
    }

    @Test
    void closingTwiceIsANoOpAndAnyThreadMayClose() throws Exception {
        RawRwLock rw = new RawRwLock();
        RawRwLockGuard w = rw.lockWriteAsync().join();
        TestThread.start("closer", w::close).joinAndRethrow();
        w.close();                                         // a second close does nothing
        assertThat(w.isClosed()).isTrue();
        rw.lockRead();                                     // a thread's read hold, counted
        RawRwLockGuard r = rw.lockReadAsync().join();
        r.close();
        r.close();
        assertThat(rw.getReadLockCount()).as("the second close released nothing").isEqualTo(1);
        rw.unlockRead();
        assertFree(rw);
        RawRwLockGuard u = rw.lockUpgradableAsync().join();
        u.close();
        assertThatThrownBy(u::upgrade).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(u::downgrade).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> rw.lockReadAsync().join().upgrade()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aClosedAsyncReadDoesNotTouchTheClosingThreadsBiasedRead() throws Exception {
        RawRwLock rw = new RawRwLock();
        assertThat(rw.bias()).isTrue();
        RawRwLockGuard async = rw.lockReadAsync().join();  // counted, never in a slot
        rw.lockRead();                                     // this thread's biased read
        async.close();
        assertThat(rw.getReadLockCount()).as("our own read is still held").isEqualTo(1);
        assertThat(rw.tryLockWrite()).isFalse();
        rw.unlockRead();
        assertFree(rw);
    }

    @Test
    void aQueuedWriterDrainsReadersAndNewReadersQueueBehindIt() {
        RawRwLock rw = new RawRwLock();
        rw.lockRead();
        CompletableFuture<RawRwLockGuard> w = rw.lockWriteAsync();
        assertThat(w).as("waits for the reader to leave").isNotDone();
        assertThat(rw.isWriteLocked()).as("reserved: new readers wait").isTrue();
        CompletableFuture<RawRwLockGuard> r = rw.lockReadAsync();
        assertThat(r).isNotDone();
        rw.unlockRead();
        assertThat(w).as("the last reader's release let it in").isDone();
        assertThat(r).isNotDone();
        w.join().close();
        assertThat(r).as("a writer's release lets the readers in").isDone();
        r.join().close();
        assertFree(rw);
    }

    @Test
    void writersAndUpgradableReadersWaitForEachOther() {
        RawRwLock rw = new RawRwLock();
        rw.lockUpgradable();
        CompletableFuture<RawRwLockGuard> u = rw.lockUpgradableAsync();
        CompletableFuture<RawRwLockGuard> w = rw.lockWriteAsync();
        assertThat(u).isNotDone();
        assertThat(w).isNotDone();
        assertThat(rw.getQueueLength()).isEqualTo(2);
        rw.unlockUpgradable();
        assertThat(u).isDone();
        u.join().close();
        w.join().close();
        assertFree(rw);
    }

    @Test
    void cancellingAQueuedReaderLeavesTheLine() {
        RawRwLock rw = new RawRwLock();
        rw.lockWrite();
        CompletableFuture<RawRwLockGuard> r = rw.lockReadAsync();
        assertThat(r.cancel(false)).isTrue();
        assertThat(rw.getQueueLength()).isZero();
        rw.unlockWrite();
        assertThat(rw.getReadLockCount()).isZero();
        assertFree(rw);
    }

    @Test
    void cancellingADrainingWriterGivesTheReservationUp() {
        RawRwLock rw = new RawRwLock();
        rw.lockRead();
        CompletableFuture<RawRwLockGuard> w = rw.lockWriteAsync();
        CompletableFuture<RawRwLockGuard> r = rw.lockReadAsync();
        assertThat(rw.tryLockRead()).as("reserved").isFalse();
        assertThat(w.cancel(false)).isTrue();
        assertThat(rw.isWriteLocked()).as("the reservation is given up").isFalse();
        assertThat(r).as("the reader it held back is let in").isDone();
        r.join().close();
        rw.unlockRead();
        assertFree(rw);
    }

    @Test
    void cancellingAWriterQueuedBehindAWriterLetsTheReadersBehindItGo() {
        RawRwLock rw = new RawRwLock();
        RawRwLockGuard u = rw.lockUpgradableAsync().join();    // blocks writers, not readers
        CompletableFuture<RawRwLockGuard> w = rw.lockWriteAsync();
        CompletableFuture<RawRwLockGuard> r = rw.lockReadAsync();
        assertThat(r).as("write-preferring: behind the waiting writer").isNotDone();
        assertThat(w.cancel(false)).isTrue();
        assertThat(r).as("woken when the last writer left the line (I3)").isDone();
        r.join().close();
        u.close();
        assertFree(rw);
    }

    @Test
    void timeoutAndCompleteByTheUserLoseNothing() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockWrite();
        CompletableFuture<RawRwLockGuard> timed = rw.lockWriteAsync().orTimeout(20, TimeUnit.MILLISECONDS);
        CompletableFuture<RawRwLockGuard> completed = rw.lockReadAsync();
        CompletableFuture<RawRwLockGuard> waiting = rw.lockUpgradableAsync();
        assertThatThrownBy(timed::join).hasCauseInstanceOf(TimeoutException.class);
        completed.complete(null);
        Await.until(() -> rw.getQueueLength() == 1, "the timed-out and completed requests left the line");
        rw.unlockWrite();
        waiting.get(20, TimeUnit.SECONDS).close();
        assertFree(rw);
    }

    @Test
    void callbacksThatCloseTheirGuardsDoNotRecurse() throws Exception {
        RawRwLock rw = new RawRwLock();
        int n = 50_000;
        int[] count = {0};
        int[] maxDepth = {0};
        rw.lockWrite();
        List<CompletableFuture<Void>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(rw.lockWriteAsync().thenAccept(g -> {
                count[0]++;
                maxDepth[0] = Math.max(maxDepth[0], new Throwable().getStackTrace().length);
                g.close();
            }));
        }
        rw.unlockWrite();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(count[0]).isEqualTo(n);
        assertThat(maxDepth[0]).as("stack depth stays flat (iterative completion)").isLessThan(200);
        assertFree(rw);
    }

    @Test
    void threadsAndTasksExcludeEachOther() throws Exception {
        RwLock<long[]> lock = RwLock.of(new long[2]);          // a write bumps both; a reader sees them equal
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                tasks.add(lock.writeAsync().thenAcceptAsync(g -> {
                    try (g) {
                        g.get()[0]++;
                        g.get()[1]++;
                    }
                }, pool));
                tasks.add(lock.readAsync().thenApplyAsync(g -> {
                    try (g) {
                        return g.get()[0] == g.get()[1];
                    }
                }, pool).thenAccept(equal -> assertThat(equal).isTrue()));
                if (i % 4 == 0) {
                    tasks.add(lock.upgradableReadAsync().thenAcceptAsync(u -> {
                        try (RwLockWriteGuard<long[]> w = u.upgrade()) {
                            w.get()[0]++;
                            w.get()[1]++;
                        }
                    }, pool));
                }
            }
            List<TestThread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(TestThread.startVirtual("v" + t, () -> {
                    for (int i = 0; i < 250; i++) {
                        lock.withWrite(d -> d[1]++ + d[0]++);
                        assertThat(lock.<Boolean>withRead(d -> d[0] == d[1])).isTrue();
                    }
                }));
            }
            for (TestThread t : threads) t.joinAndRethrow();
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            long writes = lock.withRead(d -> d[0]);
            assertThat(writes).isEqualTo(1_000 + 250 * 4 + 250);
            assertFree((RawRwLock) lock.rawLock());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rwLockAsyncGuardsOwnTheirHoldsAndPoisoningHolds() throws Exception {
        RwLock<Integer> lock = RwLock.of(1);
        RawRwLock raw = (RawRwLock) lock.rawLock();
        RwLockWriteGuard<Integer> w = lock.writeAsync().join();
        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
            int v = w.get();
            w.set(v + 1);
            RwLockReadGuard<Integer> r = w.downgrade();     // on another thread
            int seen = r.get();
            r.close();
            return seen;
        });
        assertThat(other.get(20, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(w.isClosed()).isTrue();
        assertFree(raw);

        RwLockUpgradableReadGuard<Integer> u = lock.upgradableReadAsync().join();
        RwLockReadGuard<Integer> plain = lock.readAsync().join();
        assertThat(u.get()).isEqualTo(2);
        RwLockReadGuard<Integer> down = u.downgrade();
        assertThat(raw.getReadLockCount()).isEqualTo(2);
        down.close();
        plain.close();
        plain.close();                                     // a second close does nothing
        assertFree(raw);

        RwLockWriteGuard<Integer> p = lock.writeAsync().join();
        p.poison(new RuntimeException("half-way"));
        p.close();
        assertThatThrownBy(() -> lock.readAsync().join()).hasCauseInstanceOf(PoisonedException.class);
        raw.lockWrite();
        CompletableFuture<RwLockWriteGuard<Integer>> queued = lock.writeAsync();
        raw.unlockWrite();
        assertThatThrownBy(queued::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PoisonedException.class);
        assertFree(raw);
        lock.clearPoison();
        lock.upgradableReadAsync().join().close();
        assertFree(raw);
    }

    @Test
    void rwLockOverAnyReadWriteLock() throws Exception {
        ReentrantReadWriteLock rrwl = new ReentrantReadWriteLock();
        RwLock<String> lock = RwLock.of(rrwl, "a");
        assertThat(lock.rawLock()).isSameAs(rrwl);
        try (RwLockReadGuard<String> r = lock.read(); RwLockReadGuard<String> again = lock.readRecursive()) {
            assertThat(r.get() + again.get()).isEqualTo("aa");
            assertThat(rrwl.getReadLockCount()).isEqualTo(2);
            assertThat(lock.tryWrite()).isEmpty();
        }
        lock.withWrite(s -> s + "b");
        assertThat(lock.update(s -> s + "c")).isEqualTo("ac");
        RwLockWriteGuard<String> w = lock.write();
        assertThat(rrwl.isWriteLockedByCurrentThread()).isTrue();
        TestThread stranger = TestThread.start("stranger", () ->
                assertThatThrownBy(w::downgrade).isInstanceOf(IllegalMonitorStateException.class));
        stranger.joinAndRethrow();
        try (RwLockReadGuard<String> r = w.downgrade()) {
            assertThat(rrwl.isWriteLocked()).isFalse();
            assertThat(rrwl.getReadLockCount()).isEqualTo(1);
            assertThat(r.get()).isEqualTo("ac");
        }
        assertThat(lock.tryRead(java.time.Duration.ofMillis(10))).isPresent().get().satisfies(RwLockReadGuard::close);
        assertThatThrownBy(lock::upgradableRead).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("RawRwLock");
        assertThatThrownBy(lock::tryUpgradableRead).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(lock::readAsync).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(lock::writeAsync).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(lock::upgradableReadAsync).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> lock.writeAsync(Runnable::run)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(rrwl.isWriteLocked() || rrwl.getReadLockCount() > 0).as("nothing leaked").isFalse();
        assertThatThrownBy(() -> RwLock.of(null, "x")).isInstanceOf(NullPointerException.class).hasMessageContaining("lock");
    }

    // ---------------------------------------------------------------- Executor overloads

    @Test
    void executorOverloadsRunDependentStagesOnTheExecutor() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "stage-pool"));
        try {
            RawMutex m = new RawMutex();
            m.lock();
            AtomicReference<String> ran = new AtomicReference<>();
            CompletableFuture<Void> stage = m.lockAsync(pool).thenAccept(g -> {
                ran.set(Thread.currentThread().getName());
                g.close();
            });
            m.unlock();
            stage.get(20, TimeUnit.SECONDS);
            assertThat(ran.get()).isEqualTo("stage-pool");

            RawRwLock rw = new RawRwLock();
            rw.lockWrite();
            CompletableFuture<String> r = rw.lockReadAsync(pool).thenApply(g -> { g.close(); return Thread.currentThread().getName(); });
            CompletableFuture<String> w = rw.lockWriteAsync(pool).thenApply(g -> { g.close(); return Thread.currentThread().getName(); });
            CompletableFuture<String> u = rw.lockUpgradableAsync(pool).thenApply(g -> { g.close(); return Thread.currentThread().getName(); });
            rw.unlockWrite();
            assertThat(List.of(r.get(20, TimeUnit.SECONDS), w.get(20, TimeUnit.SECONDS), u.get(20, TimeUnit.SECONDS)))
                    .containsOnly("stage-pool");
            Await.until(() -> rw.tryLockWrite(), "the last stage closed its guard");
            rw.unlockWrite();

            // Stages attached before the future completes (as ever, a stage attached to a completed
            // future runs on the thread that attaches it): hold the locks while attaching.
            Mutex<Integer> mutex = Mutex.of(0);
            RawMutex underMutex = (RawMutex) mutex.rawLock();
            underMutex.lock();
            CompletableFuture<String> viaMutex = mutex.lockAsync(pool).thenApply(g -> { try (g) { return Thread.currentThread().getName(); } });
            underMutex.unlock();
            assertThat(viaMutex.get(20, TimeUnit.SECONDS)).isEqualTo("stage-pool");
            RwLock<Integer> lock = RwLock.of(0);
            RawRwLock underRw = (RawRwLock) lock.rawLock();
            underRw.lockWrite();
            List<CompletableFuture<String>> viaRwLock = List.of(
                    lock.writeAsync(pool).thenApply(g -> { try (g) { return Thread.currentThread().getName(); } }),
                    lock.readAsync(pool).thenApply(g -> { try (g) { return Thread.currentThread().getName(); } }),
                    lock.upgradableReadAsync(pool).thenApply(g -> { try (g) { return Thread.currentThread().getName(); } }));
            underRw.unlockWrite();
            for (CompletableFuture<String> f : viaRwLock) assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("stage-pool");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lockAsyncOnAnExecutorWaitsLikeAThreadAndLetsRunningHoldersBarge() throws Exception {
        RawMutex m = new RawMutex();
        List<Runnable> parked = new ArrayList<>();                // an executor that runs later
        CompletableFuture<RawMutexGuard> free = m.lockAsync(parked::add);
        assertThat(free).as("free: granted on the caller").isDone();
        free.join().close();

        // The fairness timer (0.5 ms) is real time: a slow machine may find a request already due
        // and hand it the lock; then the barging step is skipped, and the rest must hold anyway.
        m.lock();
        CompletableFuture<RawMutexGuard> f = m.lockAsync(parked::add);
        m.unlock();                                                // frees the lock, wakes the request to retry
        assertThat(f).isNotDone();
        if (!m.isLocked()) {                                       // woken to retry, not handed the lock
            assertThat(m.tryLock()).as("a running holder barges while the retry waits for the executor").isTrue();
            m.unlock();
        }
        parked.removeFirst().run();                                // the retry: the lock is free again
        assertThat(f).isDone();
        f.join().close();

        m.lock();
        CompletableFuture<RawMutexGuard> cancelled = m.lockAsync(parked::add);
        m.unlock();
        assertThat(cancelled.cancel(false)).isTrue();              // woken already, retry (or grant) not yet run
        parked.removeFirst().run();                                // sees nobody waits: passes the wake-up or lock on
        assertThat(m.isLocked()).isFalse();
        assertThat(m.getQueueLength()).isZero();

        m.lock();
        CompletableFuture<RawMutexGuard> woken = m.lockAsync(parked::add);
        CompletableFuture<RawMutexGuard> next = m.lockAsync();     // behind it in line
        m.unlock();                                                // normally wakes `woken` to retry (not yet due)
        assertThat(woken.cancel(false)).isTrue();
        parked.removeFirst().run();                                // the retry passes the wake-up (or the lock) on
        assertThat(next).as("the waiter behind a cancelled, woken request is not stranded").isDone();
        next.join().close();
        assertThat(m.getQueueLength()).isZero();

        m.lock();
        CompletableFuture<RawMutexGuard> due = m.lockAsync(parked::add);
        Thread.sleep(2);                                           // past the 0.5 ms fairness timer
        m.unlock();
        assertThat(m.tryLock()).as("a request that has waited long is handed the lock").isFalse();
        parked.removeFirst().run();
        due.join().close();
        assertThat(parked).isEmpty();

        m.lock();
        CompletableFuture<RawMutexGuard> rejected = m.lockAsync(r -> { throw new RejectedExecutionException("full"); });
        m.unlock();                                                // the retry runs here instead
        rejected.join().close();
        assertThatThrownBy(() -> m.lockAsync((java.util.concurrent.Executor) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("executor");
        assertThat(m.isLocked()).as("nothing acquired").isFalse();
        assertThat(m.getQueueLength()).isZero();
    }

    @Test
    void completedOnTheExecutorYetCancelSafe() throws Exception {
        List<Runnable> parked = new ArrayList<>();
        RawRwLock rw = new RawRwLock();
        CompletableFuture<RawRwLockGuard> r = rw.lockReadAsync(parked::add);
        assertThat(rw.getReadLockCount()).as("granted at once, on its way to the executor").isEqualTo(1);
        assertThat(r.cancel(false)).isTrue();
        parked.forEach(Runnable::run);                          // arrives too late: closed
        parked.clear();
        assertFree(rw);
        assertThatThrownBy(() -> rw.lockWriteAsync(r2 -> { throw new RejectedExecutionException("full"); }).join())
                .hasCauseInstanceOf(RejectedExecutionException.class);
        assertFree(rw);

        io.lockstep.sync.Semaphore s = new io.lockstep.sync.Semaphore(1);
        CompletableFuture<io.lockstep.sync.Permit> p = s.acquireAsync(1, parked::add);
        p.cancel(false);
        parked.forEach(Runnable::run);
        assertThat(s.availablePermits()).as("the permit came back").isEqualTo(1);
        assertThat(s.acquireAsync(1, Runnable::run).join()).isNotNull();
    }
}
