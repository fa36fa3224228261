package io.lockstep.cli.tour;

import io.lockstep.lock.Condvar;
import io.lockstep.lock.Mutex;
import io.lockstep.lock.MutexGuard;
import io.lockstep.lock.RwLock;
import io.lockstep.lock.RwLockReadGuard;
import io.lockstep.lock.RwLockWriteGuard;
import io.lockstep.sync.Barrier;
import io.lockstep.sync.Event;
import io.lockstep.sync.Latch;
import io.lockstep.sync.OnceCell;
import io.lockstep.sync.Permit;
import io.lockstep.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The tour of {@code io.lockstep.sync} and the reader-writer lock: semaphores (counting, binary,
 * async, and one built from a Mutex and a Condvar), RwLock, Barrier, OnceCell and Event, each
 * checking the invariant the seed states by measuring it.
 */
public final class SyncScenarios implements ScenarioGroup {

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "cpp-counting-semaphore",
                        "5 workers, 3 permits: at most 3 ever work at once",
                        SyncScenarios::countingSemaphore),
                Scenario.of(
                        "binary-semaphore-signal",
                        "one thread signals another through a binary semaphore",
                        SyncScenarios::binarySignal),
                Scenario.of(
                        "download-limiter",
                        "20 downloads, at most 5 at once",
                        SyncScenarios::downloadLimiter),
                Scenario.of(
                        "async-semaphore",
                        "2 permits, 4 async tasks, no thread blocked",
                        SyncScenarios::asyncSemaphore),
                Scenario.of(
                        "condvar-semaphore",
                        "the seed's semaphore built from Mutex and Condvar",
                        SyncScenarios::condvarSemaphore),
                Scenario.of("rwlock", "readers share, the writer excludes", SyncScenarios::rwLock),
                Scenario.of(
                        "barrier",
                        "3 threads: every \"before\" precedes every \"after\"",
                        SyncScenarios::barrier),
                Scenario.of(
                        "once-lock",
                        "a global initialized once under a race",
                        SyncScenarios::onceLock),
                Scenario.of(
                        "event",
                        "Python's threading.Event: a worker waits for a signaler",
                        SyncScenarios::event));
    }

    /** Counts threads inside a region and remembers the most at once. */
    private static final class Occupancy {
        private final AtomicInteger inside = new AtomicInteger();
        private final AtomicInteger max = new AtomicInteger();

        void enter() {
            max.accumulateAndGet(inside.incrementAndGet(), Math::max);
        }

        void leave() {
            inside.decrementAndGet();
        }

        int max() {
            return max.get();
        }
    }

    /** A little simulated work that gives other threads a chance to overlap. */
    private static void work() {
        LockSupport.parkNanos(200_000);
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) t.join();
    }

    private static String countingSemaphore() throws InterruptedException {
        Semaphore permits = new Semaphore(3);
        Occupancy working = new Occupancy();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            workers.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        for (int round = 0; round < 20; round++) {
                                            try (Permit p = permits.acquire()) {
                                                working.enter();
                                                work();
                                                working.leave();
                                            }
                                        }
                                    }));
        }
        joinAll(workers);
        Check.that(working.max() <= 3, "at most 3 at once, saw %d", working.max());
        Check.equal(3, permits.availablePermits(), "permits after all workers finished");
        return "5 workers x 20 rounds; most working at once: " + working.max() + " (limit 3)";
    }

    private static String binarySignal() throws InterruptedException {
        Semaphore signal = Semaphore.bounded(0, 1);
        long[] payload = new long[1];
        Thread producer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    payload[0] = 42; // published by the release
                                    signal.release();
                                });
        try (Permit p = signal.acquire()) {
            Check.equal(42L, payload[0], "value seen after the signal");
        }
        producer.join();
        return "the waiter saw 42 after the signal; the permit never exceeded 1";
    }

    private static String downloadLimiter() throws InterruptedException {
        Semaphore slots = new Semaphore(5);
        Occupancy downloading = new Occupancy();
        AtomicInteger done = new AtomicInteger();
        List<Thread> downloads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            downloads.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try (Permit p = slots.acquire()) {
                                            downloading.enter();
                                            work();
                                            downloading.leave();
                                            done.incrementAndGet();
                                        }
                                    }));
        }
        joinAll(downloads);
        Check.equal(20, done.get(), "downloads finished");
        Check.that(
                downloading.max() <= 5,
                "at most 5 concurrent downloads, saw %d",
                downloading.max());
        return "20 downloads on virtual threads; most at once: " + downloading.max() + " (limit 5)";
    }

    private static String asyncSemaphore() {
        Semaphore permits = new Semaphore(2);
        Occupancy running = new Occupancy();
        List<CompletableFuture<Permit>> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) requests.add(permits.acquireAsync(1));
        int grantedAtOnce = (int) requests.stream().filter(CompletableFuture::isDone).count();
        Check.equal(2, grantedAtOnce, "requests granted without waiting");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Void>> tasks = new ArrayList<>();
            for (CompletableFuture<Permit> request : requests) {
                tasks.add(
                        request.thenAcceptAsync(
                                p -> {
                                    try (p) {
                                        running.enter();
                                        work();
                                        running.leave();
                                    }
                                },
                                pool));
            }
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
        Check.that(running.max() <= 2, "at most 2 tasks at once, saw %d", running.max());
        Check.equal(2, permits.availablePermits(), "permits after the tasks");
        return "4 async tasks: 2 granted at once, 2 completed by releases; most at once: "
                + running.max();
    }

    /** The seed's semaphore, written with a Mutex and a Condvar. */
    private static final class CondvarSemaphore {
        private final Mutex<Integer> count;
        private final Condvar available = new Condvar();

        CondvarSemaphore(int permits) {
            count = Mutex.of(permits);
        }

        void acquire() throws InterruptedException {
            try (MutexGuard<Integer> g = count.lock()) {
                available.awaitWhile(g, c -> c == 0);
                g.set(g.get() - 1);
            }
        }

        void release() {
            count.update(c -> c + 1);
            available.notifyOne();
        }
    }

    private static String condvarSemaphore() throws InterruptedException {
        CondvarSemaphore sem = new CondvarSemaphore(2);
        Occupancy inside = new Occupancy();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        for (int round = 0; round < 10; round++) {
                                            try {
                                                sem.acquire();
                                            } catch (InterruptedException e) {
                                                throw new IllegalStateException(e);
                                            }
                                            inside.enter();
                                            work();
                                            inside.leave();
                                            sem.release();
                                        }
                                    }));
        }
        joinAll(threads);
        Check.that(inside.max() <= 2, "at most 2 inside, saw %d", inside.max());
        return "4 threads x 10 rounds through a Mutex+Condvar semaphore of 2; most inside: "
                + inside.max();
    }

    private static String rwLock() throws InterruptedException {
        RwLock<Map<String, Integer>> config = RwLock.of(new HashMap<>(Map.of("retries", 3)));
        Latch allInside = new Latch(3), letGo = new Latch(1);
        AtomicInteger readSum = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try (RwLockReadGuard<Map<String, Integer>> g =
                                                config.read()) {
                                            allInside.countDown();
                                            letGo.await(); // all three hold the read lock together
                                            readSum.addAndGet(g.get().get("retries"));
                                        } catch (InterruptedException e) {
                                            throw new IllegalStateException(e);
                                        }
                                    }));
        }
        Check.that(allInside.await(Duration.ofSeconds(10)), "3 readers inside at once");
        Check.that(
                config.tryWrite().isEmpty(), "the writer is excluded while readers hold the lock");
        letGo.countDown();
        joinAll(readers);
        Check.equal(9, readSum.get(), "sum of the 3 readers' values");
        try (RwLockWriteGuard<Map<String, Integer>> w = config.write()) {
            w.get().put("retries", 5);
            Check.that(
                    config.tryRead().isEmpty(),
                    "readers are excluded while the writer holds the lock");
        }
        int seen = config.withRead(m -> m.get("retries"));
        Check.equal(5, seen, "value after the write");
        return "3 readers shared the lock; the writer was shut out, then wrote 5 with readers shut out";
    }

    private static String barrier() throws InterruptedException {
        Barrier meet = new Barrier(3);
        AtomicLong clock = new AtomicLong();
        long[] before = new long[3], after = new long[3];
        AtomicInteger leaders = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        before[id] = clock.incrementAndGet();
                                        try {
                                            if (meet.await()) leaders.incrementAndGet();
                                        } catch (Exception e) {
                                            throw new IllegalStateException(e);
                                        }
                                        after[id] = clock.incrementAndGet();
                                    }));
        }
        joinAll(threads);
        long lastBefore = Math.max(before[0], Math.max(before[1], before[2]));
        long firstAfter = Math.min(after[0], Math.min(after[1], after[2]));
        Check.that(
                lastBefore < firstAfter,
                "every before precedes every after (%d < %d)",
                lastBefore,
                firstAfter);
        Check.equal(1, leaders.get(), "leaders");
        return "befores at ticks <= "
                + lastBefore
                + ", afters from tick "
                + firstAfter
                + "; one leader";
    }

    private static String onceLock() throws InterruptedException {
        OnceCell<String> global = new OnceCell<>();
        AtomicInteger initializations = new AtomicInteger();
        Latch start = new Latch(1);
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        start.awaitUninterruptibly();
                                        seen.add(
                                                global.getOrInit(
                                                        () -> {
                                                            initializations.incrementAndGet();
                                                            work();
                                                            return "config@"
                                                                    + Thread.currentThread()
                                                                            .getName();
                                                        }));
                                    }));
        }
        start.countDown();
        joinAll(threads);
        Check.equal(1, initializations.get(), "initializations");
        Check.that(seen.stream().distinct().count() == 1, "all 8 threads saw one value: %s", seen);
        return "8 racing threads, 1 initialization, everyone saw " + seen.get(0);
    }

    private static String event() throws InterruptedException {
        Event ready = new Event();
        String[] message = new String[1];
        AtomicInteger handled = new AtomicInteger();
        Thread worker =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        ready.await();
                                        if ("go".equals(message[0])) handled.incrementAndGet();
                                    } catch (InterruptedException e) {
                                        throw new IllegalStateException(e);
                                    }
                                });
        message[0] = "go";
        ready.set();
        worker.join();
        Check.equal(1, handled.get(), "workers that saw \"go\" after the event");
        Check.that(ready.isSet(), "the event stays set");
        return "the worker waited, the signaler set the event, the worker saw \"go\"";
    }
}
