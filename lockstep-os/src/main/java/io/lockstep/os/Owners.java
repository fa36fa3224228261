package io.lockstep.os;

import java.util.Optional;

/**
 * Names a process in one 64-bit word that fits a CAS: {@code (start stamp << 32) | pid}, and
 * tells whether the process a word names still runs. The start stamp (the process's start time
 * in seconds, truncated; 0 where the OS does not report it) tells a live holder from a new
 * process that reused a dead holder's pid.
 */
final class Owners {
    private static final long SELF = of(ProcessHandle.current());

    private Owners() {}

    /** This process's word. */
    static long self() {
        return SELF;
    }

    static long of(ProcessHandle process) {
        return ((long) stamp(process) << 32) | (process.pid() & 0xFFFF_FFFFL);
    }

    /**
     * Whether the process named by {@code word} runs: its pid exists and, where both stamps are
     * known, it started when the word says. A word without a stamp trusts the pid alone.
     */
    static boolean isAlive(long word) {
        long pid = word & 0xFFFF_FFFFL;
        int stamp = (int) (word >>> 32);
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) return false;
        int now = stamp(process.get());
        return stamp == 0 || now == 0 || now == stamp;
    }

    private static int stamp(ProcessHandle process) {
        // | 1: a real stamp is never 0, which means "unknown".
        return process.info().startInstant().map(i -> (int) i.getEpochSecond() | 1).orElse(0);
    }
}
