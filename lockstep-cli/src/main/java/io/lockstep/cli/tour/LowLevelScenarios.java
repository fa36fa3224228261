package io.lockstep.cli.tour;

import io.lockstep.atomic.Arc;
import io.lockstep.atomic.AtomicIntCell;
import io.lockstep.atomic.AtomicLongCell;
import io.lockstep.atomic.Ordering;
import io.lockstep.local.PerThread;
import io.lockstep.lock.Mutex;
import io.lockstep.park.Parker;
import io.lockstep.park.ParkingLot;
import io.lockstep.spin.SpinRwLock;
import io.lockstep.spin.TtasLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/** The seed's low-level concepts: spin locks, atomics, thread-local storage, parking, Arc. */
public final class LowLevelScenarios implements ScenarioGroup {

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "spin-mutex",
                        "the seed's spin::Mutex counter: 5 threads, one increment each",
                        LowLevelScenarios::spinMutex),
                Scenario.of(
                        "rw-spinlock",
                        "4 readers share a SpinRwLock, 2 writers take it alone",
                        LowLevelScenarios::rwSpinlock),
                Scenario.of(
                        "atomic-counter",
                        "5 threads fetchAdd(1, SEQ_CST) on one AtomicLongCell",
                        LowLevelScenarios::atomicCounter),
                Scenario.of(
                        "compare-exchange",
                        "compareExchange(0, 1, SEQ_CST, SEQ_CST) on a cell holding 0",
                        LowLevelScenarios::compareExchange),
                Scenario.of(
                        "thread-local",
                        "each thread gets its own id from a PerThread initializer",
                        LowLevelScenarios::threadLocal),
                Scenario.of(
                        "park-unpark",
                        "main parks until a helper thread unparks it",
                        LowLevelScenarios::parkUnpark),
                Scenario.of(
                        "arc",
                        "shared ownership: the resource is closed once, after its last user",
                        LowLevelScenarios::arc));
    }

    private static String spinMutex() throws InterruptedException {
        Mutex<Integer> counter = Mutex.of(new TtasLock(), 0);
        runThreads(5, i -> counter.update(n -> n + 1));
        int value = counter.withLock(n -> n);
        Check.equal(5, value, "counter");
        return "Mutex.of(new TtasLock(), 0): 5 threads x 1 increment = " + value;
    }

    private static String rwSpinlock() throws InterruptedException {
        SpinRwLock rw = new SpinRwLock();
        AtomicInteger readersInside = new AtomicInteger(), maxReaders = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        int[] value = {0};
        runThreads(
                6,
                i -> {
                    for (int k = 0; k < 200; k++) {
                        boolean writer = i < 2;
                        Lock l = writer ? rw.writeLock() : rw.readLock();
                        l.lock();
                        try {
                            if (writer) {
                                if (readersInside.get() != 0) violations.incrementAndGet();
                                value[0]++;
                            } else {
                                maxReaders.accumulateAndGet(
                                        readersInside.incrementAndGet(), Math::max);
                                Thread.yield();
                                readersInside.decrementAndGet();
                            }
                        } finally {
                            l.unlock();
                        }
                    }
                });
        Check.equal(0, violations.get(), "writers that saw a reader inside");
        Check.equal(400, value[0], "writes");
        return "2 writers x 200 writes = "
                + value[0]
                + " with no reader inside; up to "
                + maxReaders.get()
                + " readers shared the lock at once";
    }

    private static String atomicCounter() throws InterruptedException {
        AtomicLongCell counter = new AtomicLongCell(0);
        runThreads(5, i -> counter.fetchAdd(1, Ordering.SEQ_CST));
        long value = counter.load(Ordering.SEQ_CST);
        Check.equal(5L, value, "counter");
        return "5 threads x fetchAdd(1) = " + value;
    }

    private static String compareExchange() {
        AtomicIntCell value = new AtomicIntCell(0);
        int witness = value.compareExchange(0, 1, Ordering.SEQ_CST, Ordering.SEQ_CST);
        Check.equal(0, witness, "witness of the first exchange");
        Check.equal(1, value.load(Ordering.SEQ_CST), "value");
        int again = value.compareExchange(0, 2, Ordering.SEQ_CST, Ordering.SEQ_CST);
        Check.equal(1, again, "witness of the second, failing exchange");
        return "0 -> 1 (witness 0); a second compareExchange(0, 2) fails, witness 1";
    }

    private static String threadLocal() throws InterruptedException {
        AtomicInteger counter = new AtomicInteger();
        PerThread<Integer> threadId = PerThread.withInitial(counter::getAndIncrement);
        Set<Integer> ids = ConcurrentHashMap.newKeySet();
        runThreads(
                4,
                i -> {
                    int id = threadId.get();
                    Check.equal(id, threadId.get(), "a thread's id on a second read");
                    ids.add(id);
                });
        Check.equal(4, ids.size(), "distinct ids");
        return "4 threads, ids " + ids + ": each its own, stable within the thread";
    }

    private static String parkUnpark() throws InterruptedException {
        Parker parker = new Parker();
        Thread main = Thread.currentThread();
        AtomicInteger sawParked = new AtomicInteger();
        Thread helper =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    while (!ParkingLot.isParkedOn(main, parker))
                                        Thread.onSpinWait();
                                    sawParked.set(1);
                                    parker.unpark();
                                });
        parker.park();
        helper.join();
        Check.equal(1, sawParked.get(), "helper saw main parked before unparking it");
        return "main parked; the helper saw it parked, unparked it, and main went on";
    }

    private static String arc() throws InterruptedException {
        AtomicInteger closes = new AtomicInteger(), usedAfterClose = new AtomicInteger();
        Arc<Mutex<Integer>> counter = Arc.of(Mutex.of(0), m -> closes.incrementAndGet());
        List<Arc<Mutex<Integer>>> handles = new ArrayList<>();
        for (int i = 0; i < 10; i++) handles.add(counter.retain());
        counter.close(); // main gives up its own share first
        runThreads(
                10,
                i -> {
                    try (Arc<Mutex<Integer>> mine = handles.get(i)) {
                        if (closes.get() != 0) usedAfterClose.incrementAndGet();
                        mine.get().update(n -> n + 1);
                    }
                });
        Check.equal(1, closes.get(), "closes");
        Check.equal(0, usedAfterClose.get(), "uses after close");
        return "10 threads shared one Mutex through Arc handles; closed once, after the last of them";
    }

    private interface Body {
        void run(int index) throws Exception;
    }

    private static void runThreads(int n, Body body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int index = i;
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try {
                                            body.run(index);
                                        } catch (Throwable e) {
                                            failures.add(e);
                                        }
                                    }));
        }
        for (Thread t : threads) t.join();
        if (!failures.isEmpty()) {
            if (failures.get(0) instanceof RuntimeException e) throw e;
            throw new ScenarioFailure("a thread failed: " + failures.get(0));
        }
    }
}
