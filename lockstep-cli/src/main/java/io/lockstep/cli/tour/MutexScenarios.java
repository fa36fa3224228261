package io.lockstep.cli.tour;

import io.lockstep.lock.Condvar;
import io.lockstep.lock.Mutex;
import io.lockstep.lock.MutexGuard;
import io.lockstep.lock.PoisonedException;
import io.lockstep.lock.RawMutex;
import io.lockstep.lock.ReentrantMutex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The seed's mutex examples (C++ {@code std::mutex}, {@code std::lock_guard}, {@code
 * std::recursive_mutex}; Rust {@code Arc<Mutex<T>>}, poisoning, {@code Mutex + Condvar}), written
 * with Lockstep's locks. Each checks the invariant its original states.
 *
 * <pre>{@code
 * for (Scenario s : new MutexScenarios().scenarios()) System.out.println(s.name() + " — " + s.run());
 * }</pre>
 */
public final class MutexScenarios implements ScenarioGroup {

    /** How long a scenario waits for its threads before calling it a hang. */
    private static final long JOIN_MILLIS = 20_000;

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "cpp-mutex-counter",
                        "2 threads x 1000 increments under lock()/unlock()",
                        MutexScenarios::cppMutexCounter),
                Scenario.of(
                        "cpp-lock-guard",
                        "RAII: try-with-resources unlocks, even when the body throws",
                        MutexScenarios::cppLockGuard),
                Scenario.of(
                        "recursive-mutex",
                        "one thread locks a ReentrantMutex recursively",
                        MutexScenarios::recursiveMutex),
                Scenario.of(
                        "rust-arc-mutex-counter",
                        "10 threads each add 1 to a shared Mutex<Integer>",
                        MutexScenarios::rustArcMutexCounter),
                Scenario.of(
                        "mutex-poisoning",
                        "a holder fails; the next locker sees the poison and recovers",
                        MutexScenarios::mutexPoisoning),
                Scenario.of(
                        "monitor-condvar",
                        "a producer signals readiness; the consumer waits in a loop",
                        MutexScenarios::monitorCondvar));
    }

    /** C++: {@code std::mutex mtx; mtx.lock(); ++shared_counter; mtx.unlock();} on two threads. */
    static String cppMutexCounter() throws InterruptedException {
        RawMutex mtx = new RawMutex();
        int[] sharedCounter = {0}; // plain int: only the mutex orders it
        Runnable increment =
                () -> {
                    for (int i = 0; i < 1000; ++i) {
                        mtx.lock();
                        ++sharedCounter[0];
                        mtx.unlock();
                    }
                };
        runAll(List.of(increment, increment));
        Check.equal(2000, sharedCounter[0], "counter");
        Check.that(!mtx.isLocked(), "the mutex is left unlocked");
        return "2 threads x 1000 increments = " + sharedCounter[0];
    }

    /**
     * C++: {@code std::lock_guard<std::mutex> lock(mtx);}: the scope's end unlocks, exceptions too.
     */
    static String cppLockGuard() throws InterruptedException {
        Mutex<Integer> counter = Mutex.nonPoisoning(new RawMutex(), 0);
        RawMutex raw = (RawMutex) counter.rawLock();
        try (MutexGuard<Integer> g = counter.lock()) {
            g.set(g.get() + 1);
        }
        Check.that(!raw.isLocked(), "unlocked after a normal exit");
        String thrown = null;
        try (MutexGuard<Integer> g = counter.lock()) {
            g.set(g.get() + 1);
            throw new IllegalStateException("the body failed");
        } catch (IllegalStateException e) {
            thrown = e.getMessage();
        }
        Check.equal("the body failed", thrown, "exception");
        Check.that(!raw.isLocked(), "unlocked after the body threw");
        AtomicBoolean otherGotIt = new AtomicBoolean();
        runAll(
                List.of(
                        () ->
                                counter.tryLock()
                                        .ifPresent(
                                                g -> {
                                                    otherGotIt.set(true);
                                                    g.close();
                                                })));
        Check.that(otherGotIt.get(), "another thread can lock it after the throw");
        Check.equal(2, counter.withLock(c -> c), "increments");
        return "guard released on normal exit and on exception; another thread then locked it";
    }

    /** C++: {@code std::recursive_mutex}: the owner re-locks without deadlock. */
    static String recursiveMutex() throws InterruptedException {
        ReentrantMutex m = new ReentrantMutex();
        int depth = recurse(m, 3);
        Check.equal(3, depth, "deepest hold count");
        Check.equal(0, m.getHoldCount(), "hold count after unwinding");
        Check.that(!m.isLocked(), "unlocked after the last unlock");
        AtomicBoolean otherGotIt = new AtomicBoolean();
        runAll(
                List.of(
                        () -> {
                            try {
                                if (m.tryLock(5, TimeUnit.SECONDS)) {
                                    otherGotIt.set(true);
                                    m.unlock();
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }));
        Check.that(otherGotIt.get(), "another thread acquires it afterwards");
        return "locked 3 deep by one thread, hold count back to 0, then another thread acquired it";
    }

    private static int recurse(ReentrantMutex m, int levels) {
        m.lock();
        try {
            return levels == 1 ? m.getHoldCount() : recurse(m, levels - 1);
        } finally {
            m.unlock();
        }
    }

    /**
     * Rust: {@code Arc::new(Mutex::new(0))}, 10 threads each {@code *counter.lock().unwrap() += 1}.
     */
    static String rustArcMutexCounter() throws InterruptedException {
        Mutex<Integer> counter = Mutex.of(0);
        List<Runnable> handles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            handles.add(
                    () -> {
                        try (MutexGuard<Integer> num = counter.lock()) {
                            num.set(num.get() + 1);
                        }
                    });
        }
        runAll(handles);
        int result = counter.withLock(c -> c);
        Check.equal(10, result, "counter");
        return "10 threads x 1 increment = " + result;
    }

    /**
     * Rust: a thread panics holding the lock; {@code lock()} then returns {@code Err(PoisonError)}.
     */
    static String mutexPoisoning() throws InterruptedException {
        Mutex<List<String>> log = Mutex.of(new ArrayList<>(List.of("start")));
        runAll(
                List.of(
                        () -> {
                            try {
                                log.withLock(
                                        l -> {
                                            l.add("half-written");
                                            throw new IllegalStateException(
                                                    "thread failed while holding the lock");
                                        });
                            } catch (IllegalStateException expected) {
                                // the failing thread ends here; the mutex remembers
                            }
                        }));
        Check.that(log.isPoisoned(), "poisoned after the failure");
        PoisonedException seen = null;
        try (MutexGuard<List<String>> g = log.lock()) {
            Check.that(false, "lock() succeeded on a poisoned mutex: %s", g.get());
        } catch (PoisonedException e) {
            seen = e;
        }
        Check.that(seen != null, "the next locker sees the poison");
        Check.equal(
                "thread failed while holding the lock",
                seen.getCause().getMessage(),
                "poison cause");
        List<String> recovered;
        try (MutexGuard<List<String>> g = seen.recover()) {
            recovered = List.copyOf(g.get());
            g.get().remove("half-written"); // repair
            seen.clearPoison();
        }
        Check.equal(List.of("start", "half-written"), recovered, "recovered data");
        Check.that(!log.isPoisoned(), "clearPoison() heals it");
        Check.equal(List.of("start"), log.withLock(List::copyOf), "data after repair");
        return "the next locker got PoisonedException("
                + seen.getCause().getMessage()
                + "), recovered "
                + recovered
                + ", repaired and cleared the poison";
    }

    /**
     * Rust: {@code Mutex<bool> + Condvar}: producer sets ready and notifies; consumer waits while
     * !ready.
     */
    static String monitorCondvar() throws InterruptedException {
        Mutex<Boolean> ready = Mutex.of(false);
        Condvar cvar = new Condvar();
        AtomicReference<Boolean> consumerSaw = new AtomicReference<>();
        Runnable consumer =
                () -> {
                    try (MutexGuard<Boolean> g = ready.lock()) {
                        cvar.awaitWhile(g, r -> !r); // while !*ready { ready = cvar.wait(ready) }
                        consumerSaw.set(g.get());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
        Runnable producer =
                () -> {
                    try (MutexGuard<Boolean> g = ready.lock()) {
                        g.set(true); // signal data is ready
                        cvar.notifyOne();
                    }
                };
        runAll(List.of(consumer, producer));
        Check.equal(Boolean.TRUE, consumerSaw.get(), "what the consumer saw after waiting");
        return "the consumer waited in a loop and woke to ready = true";
    }

    /** Runs each body on its own thread and joins them all, failing on a hang or a thrown error. */
    private static void runAll(List<Runnable> bodies) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Runnable body : bodies) {
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    body.run();
                                } catch (Throwable e) {
                                    failure.compareAndSet(null, e);
                                }
                            });
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(JOIN_MILLIS);
            Check.that(!t.isAlive(), "a thread did not finish within %d ms", JOIN_MILLIS);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error e) throw e;
    }
}
