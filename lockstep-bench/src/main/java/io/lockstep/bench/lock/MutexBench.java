package io.lockstep.bench.lock;

import io.lockstep.lock.Mutex;
import io.lockstep.lock.MutexGuard;
import io.lockstep.lock.RawMutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A lock/unlock around an increment of a shared counter, for Lockstep's {@link RawMutex} and
 * its peers in the same run (as parking_lot's {@code benchmark/src/bin/mutex.rs}): one thread
 * (the uncontended fast path), two and four threads (contended) and eight threads on two cores
 * (oversubscribed: the owner is often descheduled, so waiters must park, not spin). The
 * {@code mutexT} impl is {@link Mutex} over the same RawMutex, through a guard, to show what the
 * data-owning wrapper costs.
 *
 * <pre>
 *   java -jar lockstep-bench/target/benchmarks.jar MutexBench
 *   java -jar lockstep-bench/target/benchmarks.jar MutexBench.contended -p impl=lockstep,reentrant
 * </pre>
 *
 * Each {@code impl} runs in its own fork, so the adapter call site stays monomorphic and the
 * JIT inlines the lock exactly as it would in user code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class MutexBench {

    /** The lock under test, reduced to the one thing measured here. */
    interface LockAdapter {
        /** Increments the shared counter under the lock; returns the new value. */
        long increment();
    }

    /** Any {@link Lock}: lock, increment, unlock. */
    static final class JucLock implements LockAdapter {
        private final Lock lock;
        private long counter;                     // guarded by lock

        JucLock(Lock lock) {
            this.lock = lock;
        }

        @Override
        public long increment() {
            lock.lock();
            try {
                return ++counter;
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@link Mutex}: the counter lives inside, reached through a guard. */
    static final class MutexT implements LockAdapter {
        private final Mutex<long[]> counter = Mutex.of(new long[1]);

        @Override
        public long increment() {
            try (MutexGuard<long[]> g = counter.lock()) {
                return ++g.get()[0];
            }
        }
    }

    /** An object used as a monitor: {@code synchronized} cannot be split into lock and unlock calls. */
    static final class Monitor implements LockAdapter {
        private final Object monitor = new Object();
        private long counter;                     // guarded by monitor

        @Override
        public long increment() {
            synchronized (monitor) {
                return ++counter;
            }
        }
    }

    /**
     * {@code lockstep} = {@link RawMutex}; {@code reentrant} = ReentrantLock; {@code synchronized}
     * = a monitor; {@code mutexT} = {@link Mutex} over a RawMutex.
     */
    @Param({"lockstep", "reentrant", "synchronized", "mutexT"})
    public String impl;

    private LockAdapter lock;

    @Setup
    public void setup() {
        lock = switch (impl) {
            case "lockstep" -> new JucLock(new RawMutex());
            case "reentrant" -> new JucLock(new ReentrantLock());
            case "synchronized" -> new Monitor();
            case "mutexT" -> new MutexT();
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
    }

    @Benchmark
    @Threads(1)
    public long uncontended() {
        return lock.increment();
    }

    @Benchmark
    @Threads(2)
    public long contended() {
        return lock.increment();
    }

    @Benchmark
    @Threads(4)
    public long contended4() {
        return lock.increment();
    }

    @Benchmark
    @Threads(8)
    public long oversubscribed() {
        return lock.increment();
    }
}
