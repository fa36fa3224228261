package io.lockstep.stm;

import java.util.concurrent.atomic.AtomicLong;

/** TL2's global version clock: a transaction reads it to start and bumps it to commit writes. */
final class VersionClock {
    /*
     * Implementation notes.
     *
     * Based on: TL2's GV1 (one shared counter, incremented by every writing commit). Tried and
     * rejected for now: GV4/GV5 (sharing or skipping increments), which cut the counter's cache
     * traffic at the cost of more aborts; at 2-8 threads the single counter is not the bottleneck
     * (StmBench). Read-only transactions never write it.
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
