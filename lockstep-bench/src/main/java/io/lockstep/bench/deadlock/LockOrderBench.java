package io.lockstep.bench.deadlock;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
import io.lockstep.deadlock.LockOrder;
import io.lockstep.lock.RawMutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of lock-order validation: uncontended lock/unlock of a nest of {@code depth} locks
 * (1 = a single lock), with validation compiled out ({@code off}), on with THROW ({@code on}), and
 * Guava's {@code CycleDetectingLockFactory} (THROW) for comparison.
 *
 * <p>Targets (issue 7): {@code off} within 1.05x of plain RawMutex (compare with this benchmark
 * on the commit before the hooks, or with MutexBench's uncontended case); {@code on} within 2x of
 * {@code off}, and faster than {@code guava}.
 *
 * <p>Tracking is decided once per JVM, at the first use of a Lockstep lock. JMH runs every
 * parameter combination in a fresh fork, and {@link #setUp} runs before any Lockstep lock is
 * used in it, so {@code on} switches it in with {@link LockOrder#setPolicy} and {@code off}
 * leaves it out. Forks are therefore required: with {@code -f 0}, setup fails rather than
 * measure the wrong thing.
 * <pre>
 * java -jar lockstep-bench/target/benchmarks.jar LockOrderBench
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LockOrderBench {
    @Param({"off", "on", "guava"})
    public String impl;

    @Param({"1", "2", "8"})
    public int depth;

    private Lock[] locks;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("on")) LockOrder.setPolicy(LockOrder.Policy.THROW);   // before any lock: compiles it in
        locks = new Lock[depth];
        CycleDetectingLockFactory guava = CycleDetectingLockFactory.newInstance(CycleDetectingLockFactory.Policies.THROW);
        for (int i = 0; i < depth; i++) {
            locks[i] = impl.equals("guava") ? guava.newReentrantLock("lock-" + i) : new RawMutex();
        }
        // Record the order once, so the measurement sees the steady state (edges known).
        nest();
        boolean tracking = LockOrder.isTracking();
        if (tracking != impl.equals("on")) {
            throw new IllegalStateException("impl=" + impl + " but tracking=" + tracking + ": run with forks (-f 1 or more)");
        }
    }

    @Benchmark
    public void nest() {
        Lock[] ls = locks;
        for (Lock l : ls) l.lock();
        for (int i = ls.length - 1; i >= 0; i--) ls[i].unlock();
    }
}
