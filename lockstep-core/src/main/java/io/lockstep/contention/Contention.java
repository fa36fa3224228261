package io.lockstep.contention;

import io.lockstep.internal.jfr.ContentionSampler;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * In-process contention numbers per primitive, for an application's own metrics: how often
 * threads waited for each lock or semaphore, how long in all and at most. The same contended
 * acquisitions as the JFR event {@code io.lockstep.ContendedAcquire} (mutexes, {@code Monitor},
 * read-write lock modes, spin locks, semaphores), with no recording needed and no threshold.
 *
 * <pre>{@code
 * Contention.start(8);                               // time one contended wait in 8
 * ...
 * for (Contention.Entry e : Contention.snapshot().top(5)) {
 *     metrics.gauge("lock.wait.seconds", e.estimatedTotalWait().toNanos() / 1e9, "lock", e.primitive());
 * }
 * }</pre>
 *
 * <p>Off by default, and then free: the uncontended paths never look at it, and a contended
 * wait pays one read of a static field. When on, one contended wait in {@code sampleEvery} is
 * timed and counted, so the cost per contended wait stays bounded however hot a lock is; the
 * estimates scale the sampled numbers back up. Primitives are identified by how reports show them
 * ({@code RawMutex "orders"}, or {@code RawMutex@1b6d3586} when unnamed): name the ones you
 * export. The table holds no reference to a primitive; it keeps at most 1,024 of them, and
 * counts any further ones together as {@code (other primitives)}.
 */
public final class Contention {
    /*
     * Implementation notes.
     *
     * A facade over io.lockstep.internal.jfr.ContentionSampler, which ContendedAcquireEvent.end
     * feeds: the one place every contended acquire already reports to, so Contention and JFR see
     * the same waits. Process-wide on purpose (as the JFR events): a lock does not know which
     * component would like to count it.
     */
    private Contention() {}

    /** The default sampling: one contended wait in 16 is timed. */
    public static final int DEFAULT_SAMPLE_EVERY = 16;

    /**
     * One primitive's numbers.
     *
     * @param primitive how reports show it: {@code Type "name"} or {@code Type@identity}
     * @param name its name, or null when unnamed
     * @param type its class's simple name
     * @param sampledWaits how many of its contended waits were timed
     * @param sampledTotalWait their total
     * @param maxWait the longest of them
     * @param sampleEvery one wait in how many was timed (the latest start's sampling)
     */
    public record Entry(String primitive, String name, String type, long sampledWaits, Duration sampledTotalWait,
            Duration maxWait, int sampleEvery) {
        /** About how many contended waits there were: the sampled ones times the sampling. */
        public long estimatedWaits() {
            return sampledWaits * sampleEvery;
        }

        /** About how long threads waited in all: the sampled total times the sampling. */
        public Duration estimatedTotalWait() {
            return sampledTotalWait.multipliedBy(sampleEvery);
        }
    }

    /**
     * The numbers at one moment.
     *
     * @param taken when
     * @param started whether counting was on
     * @param sampleEvery one contended wait in how many is (or, once stopped, was) timed
     * @param entries one per primitive that had a sampled wait, most total wait first
     */
    public record Snapshot(Instant taken, boolean started, int sampleEvery, List<Entry> entries) {
        /** Copies the list. */
        public Snapshot {
            Objects.requireNonNull(taken, "taken");
            entries = List.copyOf(entries);
        }

        /** The {@code n} primitives threads waited for longest. */
        public List<Entry> top(int n) {
            if (n < 0) throw new IllegalArgumentException("n must not be negative: " + n);
            return entries.subList(0, Math.min(n, entries.size()));
        }
    }

    /** Starts counting, timing one contended wait in {@link #DEFAULT_SAMPLE_EVERY}. */
    public static void start() {
        start(DEFAULT_SAMPLE_EVERY);
    }

    /**
     * Starts counting (or changes the sampling), timing one contended wait in {@code sampleEvery}.
     *
     * @param sampleEvery 1 to time every contended wait; larger to bound the cost
     * @throws IllegalArgumentException if {@code sampleEvery} is not positive
     */
    public static void start(int sampleEvery) {
        if (sampleEvery < 1) throw new IllegalArgumentException("sampleEvery must be positive, not " + sampleEvery);
        ContentionSampler.sampleEvery(sampleEvery);
    }

    /** Stops counting; the numbers so far stay until {@link #reset()}. */
    public static void stop() {
        ContentionSampler.sampleEvery(0);
    }

    /** Whether waits are being counted. */
    public static boolean isStarted() {
        return ContentionSampler.sampleEvery() != 0;
    }

    /** Forgets the numbers (counting goes on if started). */
    public static void reset() {
        ContentionSampler.reset();
    }

    /** The numbers now: per primitive, most total wait first (a snapshot, racy per entry). */
    public static Snapshot snapshot() {
        int every = ContentionSampler.lastSampleEvery();
        List<Entry> entries = ContentionSampler.rows().stream()
                .map(r -> new Entry(r.primitive(), r.name(), r.type(), r.waits(), Duration.ofNanos(r.totalNanos()),
                        Duration.ofNanos(r.maxNanos()), every))
                .sorted(Comparator.comparing(Entry::sampledTotalWait).reversed().thenComparing(Entry::primitive))
                .toList();
        return new Snapshot(Instant.now(), isStarted(), every, entries);
    }
}
