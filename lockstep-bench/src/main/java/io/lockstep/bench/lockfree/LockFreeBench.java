package io.lockstep.bench.lockfree;

import io.lockstep.lockfree.EliminationStack;
import io.lockstep.lockfree.MpmcArrayQueue;
import io.lockstep.lockfree.MsQueue;
import io.lockstep.lockfree.TreiberStack;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * A push-then-pop pair per operation on a shared stack or queue, by 2 threads, compared in one
 * run through {@code @Param("impl")}: stacks against {@link ConcurrentLinkedDeque} (as a stack),
 * queues against {@link ConcurrentLinkedQueue}.
 *
 * <pre>
 * java -jar lockstep-bench/target/benchmarks.jar LockFreeBench -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 * Targets: stack and queue >= 1.0x ConcurrentLinkedDeque / ConcurrentLinkedQueue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Threads(2)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LockFreeBench {
    @Param({"stack/treiber", "stack/elimination", "stack/cld", "queue/ms", "queue/mpmcArray", "queue/clq"})
    public String impl;

    /** Push then pop, so the structure stays small and both paths are measured. */
    interface Adapter {
        Integer pushPop(Integer v);
    }

    private Adapter adapter;
    private static final Integer VALUE = 42;

    @Setup
    public void setup() {
        adapter = switch (impl) {
            case "stack/treiber" -> {
                TreiberStack<Integer> s = new TreiberStack<>();
                yield v -> { s.push(v); return s.pop(); };
            }
            case "stack/elimination" -> {
                EliminationStack<Integer> s = new EliminationStack<>();
                yield v -> { s.push(v); return s.pop(); };
            }
            case "stack/cld" -> {
                ConcurrentLinkedDeque<Integer> s = new ConcurrentLinkedDeque<>();
                yield v -> { s.push(v); return s.pollFirst(); };
            }
            case "queue/ms" -> {
                MsQueue<Integer> q = new MsQueue<>();
                yield v -> { q.offer(v); return q.poll(); };
            }
            case "queue/mpmcArray" -> {
                MpmcArrayQueue<Integer> q = new MpmcArrayQueue<>(1024);
                yield v -> { q.offer(v); return q.poll(); };
            }
            case "queue/clq" -> {
                ConcurrentLinkedQueue<Integer> q = new ConcurrentLinkedQueue<>();
                yield v -> { q.offer(v); return q.poll(); };
            }
            default -> throw new IllegalArgumentException(impl);
        };
    }

    @Benchmark
    public Integer pushPop() {
        return adapter.pushPop(VALUE);
    }
}
