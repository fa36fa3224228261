package io.lockstep.bench.rcu;

import io.lockstep.rcu.QsbrReader;
import io.lockstep.rcu.QsbrRcu;
import io.lockstep.rcu.Rcu;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.*;

/**
 * Read-mostly publication: 2 threads reading, 1 writer updating periodically. Targets: lockstep's
 * read throughput >= 10x ReentrantReadWriteLock and >= 0.5x the AtomicReference floor; {@code qsbr}
 * (QsbrRcu: each read is {@code get()}, with a quiescent state every 16 reads, as a request loop
 * reports one between requests; a reader registered per thread) >= 0.5x {@code atomic}.
 * {@code java -jar lockstep-bench/target/benchmarks.jar RcuBench -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RcuBench {
    /** One published int[] config, read and replaced. */
    interface Impl {
        int read(Reader reader);

        void update(int v);
    }

    @Param({"lockstep", "rrwl", "stamped", "atomic", "qsbr"})
    public String impl;

    private Impl subject;

    @Setup
    public void setup() {
        subject = switch (impl) {
            case "lockstep" -> new Impl() {
                final Rcu<int[]> rcu = new Rcu<>(new int[] {0});
                public int read(Reader reader) { return rcu.read(a -> a[0]); }
                public void update(int v) { rcu.update(a -> new int[] {v}); }
            };
            case "rrwl" -> new Impl() {
                final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
                int[] value = {0};
                public int read(Reader reader) {
                    lock.readLock().lock();
                    try { return value[0]; } finally { lock.readLock().unlock(); }
                }
                public void update(int v) {
                    lock.writeLock().lock();
                    try { value = new int[] {v}; } finally { lock.writeLock().unlock(); }
                }
            };
            case "stamped" -> new Impl() {
                final StampedLock lock = new StampedLock();
                int[] value = {0};
                public int read(Reader reader) {
                    long stamp = lock.tryOptimisticRead();
                    int[] v = value;
                    if (!lock.validate(stamp)) {
                        stamp = lock.readLock();
                        try { v = value; } finally { lock.unlockRead(stamp); }
                    }
                    return v[0];
                }
                public void update(int v) {
                    long stamp = lock.writeLock();
                    try { value = new int[] {v}; } finally { lock.unlockWrite(stamp); }
                }
            };
            case "atomic" -> new Impl() {
                final AtomicReference<int[]> ref = new AtomicReference<>(new int[] {0});
                public int read(Reader reader) { return ref.get()[0]; }
                public void update(int v) { ref.set(new int[] {v}); }
            };
            case "qsbr" -> new Qsbr();
            default -> throw new IllegalArgumentException(impl);
        };
    }

    /** QsbrRcu: the reading threads register (one QsbrReader each, see {@link Reader}). */
    static final class Qsbr implements Impl {
        /** As a request loop would: a quiescent state between requests, not after every read. */
        static final int READS_PER_QUIESCENT_STATE = 16;

        final QsbrRcu<int[]> rcu = new QsbrRcu<>(new int[] {0});

        public int read(Reader reader) {
            QsbrReader<int[]> r = reader.qsbr;
            int v = r.get()[0];
            if ((++reader.reads & (READS_PER_QUIESCENT_STATE - 1)) == 0) r.quiescentState();
            return v;
        }

        public void update(int v) { rcu.update(a -> new int[] {v}); }
    }

    /** Per reading thread: its QSBR registration (unused by the other impls). */
    @State(Scope.Thread)
    public static class Reader {
        QsbrReader<int[]> qsbr;
        int reads;

        @Setup
        public void register(RcuBench bench) {                        // runs on the reading thread
            if (bench.subject instanceof Qsbr q) qsbr = q.rcu.register();
        }

        @TearDown
        public void unregister() {
            if (qsbr != null) qsbr.close();
        }
    }

    @Benchmark
    @Group("rw")
    @GroupThreads(2)
    public int read(Reader reader) {
        return subject.read(reader);
    }

    @Benchmark
    @Group("rw")
    @GroupThreads(1)
    public void write() {
        subject.update((int) System.nanoTime());
        LockSupport.parkNanos(10_000);                               // periodically, not flat out
    }
}
