package io.lockstep.bench.lock;

import io.lockstep.lock.RawMutex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A broadcast: eight threads wait on a condition, one {@code signalAll()} releases them, and the
 * operation ends when all eight have re-acquired the lock (the last one reports back). Measures
 * what the README claims for Lockstep's condition variable: {@code signalAll} moves the waiters
 * onto the mutex's queue, so they take the lock one at a time as it frees, instead of all waking
 * to fight for it.
 *
 * <pre>
 *   java -jar lockstep-bench/target/benchmarks.jar CondvarBench -p impl=lockstep,reentrant
 * </pre>
 *
 * {@code lockstep} = {@link RawMutex} and its {@link Condition} (a Condvar);
 * {@code reentrant} = ReentrantLock and its Condition. Lower is better (microseconds per round).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class CondvarBench {
    private static final int WAITERS = 8;

    @Param({"lockstep", "reentrant"})
    public String impl;

    private Lock lock;
    private Condition released, allBack;
    private long generation;          // guarded by lock: bumped once per round
    private int arrived;              // guarded by lock: waiters back in this round
    private boolean stop;             // guarded by lock
    private final List<Thread> waiters = new ArrayList<>();

    @Setup(Level.Trial)
    public void setup() throws InterruptedException {
        lock = switch (impl) {
            case "lockstep" -> new RawMutex();
            case "reentrant" -> new ReentrantLock();
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
        released = lock.newCondition();
        allBack = lock.newCondition();
        for (int i = 0; i < WAITERS; i++) {
            Thread t = Thread.ofPlatform().daemon().name("waiter-" + i).start(this::waiter);
            waiters.add(t);
        }
        lock.lock();
        try {
            while (arrived < WAITERS) allBack.await();        // every waiter is waiting
        } finally {
            lock.unlock();
        }
    }

    private void waiter() {
        lock.lock();
        try {
            long seen = generation;
            if (++arrived == WAITERS) allBack.signal();
            while (!stop) {
                while (generation == seen && !stop) released.awaitUninterruptibly();
                seen = generation;
                if (++arrived == WAITERS) allBack.signal();     // then waits again: all are waiting
            }
        } finally {
            lock.unlock();
        }
    }

    /** One round: release all eight, return once every one has re-acquired the lock. */
    @Benchmark
    @Threads(1)
    public long signalAll() {
        lock.lock();
        try {
            arrived = 0;
            generation++;
            released.signalAll();
            while (arrived < WAITERS) allBack.awaitUninterruptibly();
            return generation;
        } finally {
            lock.unlock();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        lock.lock();
        try {
            stop = true;
            released.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : waiters) t.join(10_000);
    }
}
