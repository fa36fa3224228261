package io.lockstep.bench.atomic;

import io.lockstep.atomic.AtomicLongCell;
import io.lockstep.atomic.Ordering;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * AtomicLongCell against the raw VarHandle and AtomicLong doing the same access modes, single
 * threaded (the cost of the Ordering switch, which C2 should fold away). Target (issue 5):
 * {@code lockstep} within 1.05× of {@code varhandle}.
 *
 * <pre>java -jar lockstep-bench/target/benchmarks.jar AtomicBench -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AtomicBench {

    /** The adapter: the same five operations in each implementation's own words. */
    interface Cell {
        long loadAcquire();

        void storeRelease(long v);

        long fetchAdd(long d);

        long compareExchange(long expected, long desired);

        long fetchUpdate();
    }

    static final class Lockstep implements Cell {
        final AtomicLongCell cell = new AtomicLongCell(0);

        public long loadAcquire() { return cell.load(Ordering.ACQUIRE); }
        public void storeRelease(long v) { cell.store(v, Ordering.RELEASE); }
        public long fetchAdd(long d) { return cell.fetchAdd(d, Ordering.SEQ_CST); }
        public long compareExchange(long e, long d) { return cell.compareExchange(e, d, Ordering.SEQ_CST, Ordering.SEQ_CST); }
        public long fetchUpdate() { return cell.fetchUpdate(x -> x + 3, Ordering.SEQ_CST); }
    }

    /**
     * The raw VarHandle on a field of its own object, so that every impl pays the same one
     * indirection (adapter → cell object → field) and only the access itself is compared.
     */
    static final class Raw implements Cell {
        static final class Holder {
            volatile long value;
        }

        static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Holder.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Holder h = new Holder();

        public long loadAcquire() { return (long) VALUE.getAcquire(h); }
        public void storeRelease(long v) { VALUE.setRelease(h, v); }
        public long fetchAdd(long d) { return (long) VALUE.getAndAdd(h, d); }
        public long compareExchange(long e, long d) { return (long) VALUE.compareAndExchange(h, e, d); }

        public long fetchUpdate() {
            long prev = (long) VALUE.getVolatile(h);
            for (long w; (w = (long) VALUE.compareAndExchange(h, prev, prev + 3)) != prev; ) prev = w;
            return prev;
        }
    }

    static final class Juc implements Cell {
        final AtomicLong value = new AtomicLong();

        public long loadAcquire() { return value.getAcquire(); }
        public void storeRelease(long v) { value.setRelease(v); }
        public long fetchAdd(long d) { return value.getAndAdd(d); }
        public long compareExchange(long e, long d) { return value.compareAndExchange(e, d); }
        public long fetchUpdate() { return value.getAndUpdate(x -> x + 3); }
    }

    @Param({"lockstep", "varhandle", "juc"})
    public String impl;

    private Cell cell;

    @Setup
    public void setUp() {
        cell = switch (impl) {
            case "lockstep" -> new Lockstep();
            case "varhandle" -> new Raw();
            case "juc" -> new Juc();
            default -> throw new IllegalArgumentException(impl);
        };
    }

    @Benchmark
    public long load() {
        return cell.loadAcquire();
    }

    @Benchmark
    public void store() {
        cell.storeRelease(1);
    }

    @Benchmark
    public long fetchAdd() {
        return cell.fetchAdd(1);
    }

    @Benchmark
    public long compareExchange() {
        long v = cell.loadAcquire();
        return cell.compareExchange(v, v + 1);
    }

    @Benchmark
    public long fetchUpdate() {
        return cell.fetchUpdate();
    }
}
