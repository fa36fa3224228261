package io.lockstep.stm;

import java.util.concurrent.atomic.AtomicLong;

/** TL2's global version clock: a writing commit bumps it; a transaction reads it only to extend its snapshot (Txn's I7). */
final class VersionClock {
    /*
     * Implementation notes.
     *
     * Based on: TL2's GV1 (one shared counter, incremented by every writing commit). Tried and
     * rejected for now: GV4/GV5 (sharing or skipping increments), which cut the counter's cache
     * traffic at the cost of more aborts; at 2-8 threads the single counter is not the bottleneck
     * (StmBench). Read-only transactions never write it, and no transaction reads it to begin
     * (Txn's I7: an attempt starts at the newest value its thread has seen), so a transaction
     * touches the counter's line once to commit, plus once per snapshot extension.
     * Tried and rejected: padding the counter onto a cache line of its own (StmBench, four
     * alternating A/B rounds: no difference beyond the noise; docs/BENCHMARKS.md, seventh pass).
     */
    private static final AtomicLong CLOCK = new AtomicLong();

    private VersionClock() {}

    static long now() {
        return CLOCK.get();
    }

    /** A fresh commit version, greater than every version before it. */
    static long tick() {
        return CLOCK.incrementAndGet();
    }
}
