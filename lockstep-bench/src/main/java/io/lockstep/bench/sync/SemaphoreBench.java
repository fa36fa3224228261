package io.lockstep.bench.sync;

import io.lockstep.sync.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * Lockstep's Semaphore beside java.util.concurrent.Semaphore (default, non-fair), one run:
 * {@code uncontended} is one thread acquiring and releasing its own semaphore; {@code contended}
 * is 2 threads sharing one semaphore of 1 permit (every acquire may wait). Both libraries barge by
 * default ({@code lockstep}, {@code juc}; Lockstep's with eventual fairness) and are strictly FIFO
 * on request ({@code lockstepfair}, {@code jucfair}), so each mode has its peer. Targets (issue
 * 13): lockstep ≥ 1.0× juc contended and uncontended; lockstepfair ≥ 2× jucfair.
 *
 * <pre>java -jar lockstep-bench/target/benchmarks.jar SemaphoreBench -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SemaphoreBench {

    /** The adapter: one permit in, one permit out. */
    interface Sem {
        void acquire() throws InterruptedException;

        void release();
    }

    static Sem create(String impl, int permits) {
        return switch (impl) {
            case "lockstep", "lockstepfair" -> new Sem() {
                final Semaphore s = new Semaphore(permits, impl.equals("lockstepfair"));

                @Override
                public void acquire() {
                    s.acquire().forget();                       // the permit goes back via release()
                }

                @Override
                public void release() {
                    s.release();
                }
            };
            case "juc", "jucfair" -> new Sem() {
                final java.util.concurrent.Semaphore s = new java.util.concurrent.Semaphore(permits, impl.equals("jucfair"));

                @Override
                public void acquire() throws InterruptedException {
                    s.acquire();
                }

                @Override
                public void release() {
                    s.release();
                }
            };
            default -> throw new IllegalArgumentException(impl);
        };
    }

    /** One semaphore per thread. */
    @State(Scope.Thread)
    public static class Own {
        @Param({"lockstep", "lockstepfair", "juc", "jucfair"})
        public String impl;
        Sem sem;

        @Setup
        public void setUp() {
            sem = create(impl, 1);
        }
    }

    /** One semaphore for all threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"lockstep", "lockstepfair", "juc", "jucfair"})
        public String impl;
        Sem sem;

        @Setup
        public void setUp() throws InterruptedException {
            sem = create(impl, 1);
            // Take the slow path once so it is compiled before measurement.
            sem.acquire();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    sem.acquire();
                    sem.release();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            sem.release();
            t.join();
        }
    }

    @Benchmark
    public void uncontended(Own s) throws InterruptedException {
        s.sem.acquire();
        s.sem.release();
    }

    @Benchmark
    @Threads(2)
    public void contended(Shared s) throws InterruptedException {
        s.sem.acquire();
        s.sem.release();
    }
}
