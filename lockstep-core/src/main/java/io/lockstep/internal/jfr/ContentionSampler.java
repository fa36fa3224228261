package io.lockstep.internal.jfr;

import io.lockstep.internal.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The table behind {@code io.lockstep.contention.Contention}: sampled contended waits per
 * primitive. Fed by {@link ContendedAcquireEvent#end}, the same point that ends the JFR event.
 */
public final class ContentionSampler {
    /*
     * Implementation notes.
     *
     * Off (sampleEvery == 0, the default): sample() is one read of a static volatile int on the
     * contended slow path; the fast paths never come here. On: one wait in sampleEvery, chosen by
     * ThreadLocalRandom (no shared counter to contend on), is timed (two nanoTime reads) and
     * added to its primitive's cell: a ConcurrentHashMap lookup and three atomic updates. The
     * other waits cost the random draw only. So the cost per contended wait is bounded by
     * (lookup + updates) / sampleEvery + a draw, whatever the contention. The recording runs
     * after the lock was acquired, inside the caller's critical section, so it must be short:
     * each thread remembers the last cell it used (one lock is usually hot at a time), skipping
     * the key allocation and the map lookup, and the max is written only when it grows.
     * reset() bumps a generation so that no thread keeps feeding a cell the map has dropped.
     *
     * Keys hold the primitive's class and identity hash, not the primitive: the table must not
     * keep locks alive. Two live primitives of one class with one identity hash would share a
     * cell (rare, and only merges their numbers). The table is bounded: past MAX_PRIMITIVES
     * cells, new primitives are counted in one "(other primitives)" cell, so a program that
     * creates locks without end cannot grow it without end. reset() clears it.
     */
    static final int MAX_PRIMITIVES = 1024;
    static final String OTHERS = "(other primitives)";
    private static volatile int sampleEvery;
    /** The sampling of the latest start, kept after a stop: what the numbers were sampled at. */
    private static volatile int lastSampleEvery = 1;
    private static final ConcurrentHashMap<Key, Cell> CELLS = new ConcurrentHashMap<>();
    private static final Key OTHERS_KEY = new Key(Object.class, 0);
    private static volatile int generation;
    private static final ThreadLocal<LastCell> LAST = ThreadLocal.withInitial(LastCell::new);

    /** The cell a thread last recorded into, with what it was for. */
    private static final class LastCell {
        Class<?> type;
        int identity;
        int generation = -1;
        Cell cell;
    }

    private ContentionSampler() {}

    private record Key(Class<?> type, int identity) {}

    /** One primitive's numbers; the description is taken when its first wait is sampled. */
    private static final class Cell {
        final String primitive;
        final String name;
        final String type;
        final LongAdder waits = new LongAdder();
        final LongAdder totalNanos = new LongAdder();
        final AtomicLong maxNanos = new AtomicLong();

        Cell(String primitive, String name, String type) {
            this.primitive = primitive;
            this.name = name;
            this.type = type;
        }
    }

    /** One primitive's sampled numbers, as a snapshot read them. */
    public record Row(String primitive, String name, String type, long waits, long totalNanos, long maxNanos) {}

    /** Starts sampling one contended wait in {@code every} (1: all of them); 0 stops. */
    public static void sampleEvery(int every) {
        if (every < 0) throw new IllegalArgumentException("sampleEvery must be 0 (off) or positive, not " + every);
        if (every != 0) lastSampleEvery = every;
        sampleEvery = every;
    }

    /** One wait in how many was sampled by the latest start (1 if never started). */
    public static int lastSampleEvery() {
        return lastSampleEvery;
    }

    /** One wait in how many is sampled; 0 when off. */
    public static int sampleEvery() {
        return sampleEvery;
    }

    /** Whether to time the wait now starting (the caller is on a contended slow path). */
    static boolean sample() {
        int every = sampleEvery;
        return every != 0 && (every == 1 || ThreadLocalRandom.current().nextInt(every) == 0);
    }

    static void record(Object primitive, long nanos) {
        Class<?> type = primitive.getClass();
        int identity = System.identityHashCode(primitive);
        int gen = generation;
        LastCell last = LAST.get();
        Cell cell = last.cell;
        if (cell == null || last.type != type || last.identity != identity || last.generation != gen) {
            cell = cell(primitive, new Key(type, identity));
            last.type = type;
            last.identity = identity;
            last.generation = gen;
            last.cell = cell;
        }
        cell.waits.increment();
        cell.totalNanos.add(nanos);
        if (nanos > cell.maxNanos.get()) cell.maxNanos.accumulateAndGet(nanos, Math::max);
    }

    private static Cell cell(Object primitive, Key key) {
        Cell cell = CELLS.get(key);
        if (cell != null) return cell;
        return CELLS.size() >= MAX_PRIMITIVES
            ? CELLS.computeIfAbsent(OTHERS_KEY, k -> new Cell(OTHERS, null, "(various)"))
            : CELLS.computeIfAbsent(key, k -> new Cell(Names.describe(primitive), Names.of(primitive),
                primitive.getClass().getSimpleName()));
    }

    /** The cells now, in no particular order (each row a racy but consistent-enough read). */
    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>(CELLS.size());
        for (Cell c : CELLS.values()) {
            rows.add(new Row(c.primitive, c.name, c.type, c.waits.sum(), c.totalNanos.sum(), c.maxNanos.get()));
        }
        return rows;
    }

    /** Forgets every number. */
    public static void reset() {
        generation++;                   // racing resets may write one value: still a change
        CELLS.clear();
    }
}
