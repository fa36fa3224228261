package io.lockstep.bench.spin;

import io.lockstep.lock.RawMutex;
import io.lockstep.spin.ClhLock;
import io.lockstep.spin.McsLock;
import io.lockstep.spin.TasLock;
import io.lockstep.spin.TicketLock;
import io.lockstep.spin.TtasLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The spin locks beside RawMutex and ReentrantLock, one run: {@code contended} is 2 threads on
 * one lock with a short critical section, {@code oversubscribed} is 8 threads (more than most CI
 * cores). Targets (issue 5): the best spin lock ≥ 1.0× ReentrantLock at 2 threads; no spin lock
 * below 0.5× ReentrantLock when oversubscribed.
 *
 * <pre>java -jar lockstep-bench/target/benchmarks.jar SpinBench -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SpinBench {

    /** The adapter: how each implementation is made; all are plain {@link Lock}s. */
    enum Impl {
        tas(TasLock::new), ttas(TtasLock::new), ticket(TicketLock::new), mcs(McsLock::new),
        clh(ClhLock::new), lockstep(RawMutex::new), reentrant(ReentrantLock::new);

        final Supplier<Lock> factory;

        Impl(Supplier<Lock> factory) {
            this.factory = factory;
        }
    }

    @Param({"tas", "ttas", "ticket", "mcs", "clh", "lockstep", "reentrant"})
    public String impl;

    private Lock lock;
    private long counter;

    @Setup
    public void setUp() {
        lock = Impl.valueOf(impl).factory.get();
        // Exercise the contended path once (a second thread finds the lock held).
        lock.lock();
        Thread t = Thread.ofPlatform().start(() -> {
            lock.lock();
            lock.unlock();
        });
        Thread.onSpinWait();
        lock.unlock();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private long criticalSection() {
        lock.lock();
        try {
            return ++counter;
        } finally {
            lock.unlock();
        }
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(2)
    public long contended() {
        return criticalSection();
    }

    @Benchmark
    @Group("oversubscribed")
    @GroupThreads(8)
    public long oversubscribed() {
        return criticalSection();
    }
}
