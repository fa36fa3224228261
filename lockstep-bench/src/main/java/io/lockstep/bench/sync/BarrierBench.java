package io.lockstep.bench.sync;

import io.lockstep.sync.Barrier;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Barrier beside CyclicBarrier ({@code cyclic}): 2 parties ({@code roundTrip}) or 4
 * ({@code roundTrip4}) meeting over and over (each op is one round trip). Target (issue 13):
 * ≥ 1.0× cyclic at both. Both wait with a timeout, so the party left
 * waiting when JMH ends an iteration times out and resets instead of hanging the run.
 *
 * <pre>java -jar lockstep-bench/target/benchmarks.jar BarrierBench -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BarrierBench {
    private static final Duration TIMEOUT = Duration.ofMillis(50);

    /** The adapter: await with a timeout; false if it timed out or broke (and was reset). */
    interface Meet {
        boolean await() throws InterruptedException;
    }

    @Param({"lockstep", "cyclic"})
    public String impl;

    private Meet meet2, meet4;

    @Setup
    public void setUp() {
        meet2 = meet(2);
        meet4 = meet(4);
    }

    private Meet meet(int parties) {
        return switch (impl) {
            case "lockstep" -> {
                Barrier b = new Barrier(parties);
                yield () -> {
                    try {
                        b.await(TIMEOUT);
                        return true;
                    } catch (TimeoutException | BrokenBarrierException e) {
                        b.reset();
                        return false;
                    }
                };
            }
            case "cyclic" -> {
                CyclicBarrier b = new CyclicBarrier(parties);
                yield () -> {
                    try {
                        b.await(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
                        return true;
                    } catch (TimeoutException | BrokenBarrierException e) {
                        b.reset();
                        return false;
                    }
                };
            }
            default -> throw new IllegalArgumentException(impl);
        };
    }

    @Benchmark
    @Threads(2)
    public boolean roundTrip() throws InterruptedException {
        return meet2.await();
    }

    @Benchmark
    @Threads(4)
    public boolean roundTrip4() throws InterruptedException {
        return meet4.await();
    }
}
