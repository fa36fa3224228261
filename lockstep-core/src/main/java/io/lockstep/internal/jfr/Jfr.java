package io.lockstep.internal.jfr;

import jdk.jfr.FlightRecorder;

/**
 * Where primitives start Lockstep's JFR events: each method returns a started event, or null
 * (or emits nothing) unless a recording enables it.
 *
 * <pre>{@code
 * ContendedAcquireEvent e = Jfr.contendedAcquire();      // on the slow path only
 * int outcome = waitForTheLock();
 * if (e != null) e.end(this, "exclusive", holder, outcome);
 * }</pre>
 */
public final class Jfr {
    /*
     * Implementation notes.
     *
     * Why a class of its own: an event class's static initializer registers it with JFR
     * (FlightRecorder.register, which JFR puts there when it instruments the class), and that
     * builds JFR's metadata repository: milliseconds of work, class loading and locks inside JFR
     * on the first contended acquire of a process that never records (under Fray's scheduler it
     * never finished). So nothing touches an event class until FlightRecorder.isInitialized()
     * says JFR is up: a recording started with -XX:StartFlightRecording, jcmd JFR.start or the
     * jdk.jfr API initializes it first. The check is one static volatile read in FlightRecorder,
     * a class with no static initializer work. Only then is the event class initialized, and its
     * probe instance answers whether a recording enables the event.
     */
    private Jfr() {}

    private static boolean up() {
        return FlightRecorder.isInitialized();
    }

    /**
     * A started contended acquisition, or null: it carries a started {@code io.lockstep.ContendedAcquire}
     * if a recording enables it, and is timed for {@code Contention} if that is on and samples
     * this wait.
     */
    public static ContendedAcquireEvent contendedAcquire() {
        boolean sampled = ContentionSampler.sample();
        ContendedAcquireJfrEvent jfr = up() ? ContendedAcquireJfrEvent.startIfEnabled() : null;
        return jfr == null && !sampled ? null : new ContendedAcquireEvent(jfr, sampled);
    }

    /**
     * Starts an {@code io.lockstep.ContendedHold} of {@code primitive} by the current thread, if a
     * recording enables it; call after a contended acquire succeeded.
     */
    public static void holdBegins(Object primitive) {
        if (up()) ContendedHoldEvent.begin(primitive);
    }

    /** Ends the current thread's contended hold of {@code primitive}, if one began; call on a release that wakes a waiter. */
    public static void holdEnds(Object primitive) {
        if (up()) ContendedHoldEvent.end(primitive);
    }

    /** A started {@code io.lockstep.ChannelWait}, or null. */
    public static ChannelWaitEvent channelWait() {
        return up() ? ChannelWaitEvent.startIfEnabled() : null;
    }

    /** A started {@code io.lockstep.SyncWait}, or null. */
    public static SyncWaitEvent syncWait() {
        return up() ? SyncWaitEvent.startIfEnabled() : null;
    }

    /** A started {@code io.lockstep.StmRetry}, or null. */
    public static StmRetryEvent stmRetry() {
        return up() ? StmRetryEvent.startIfEnabled() : null;
    }

    /** A started {@code io.lockstep.RcuGracePeriod}, or null. */
    public static RcuGracePeriodEvent rcuGracePeriod() {
        return up() ? RcuGracePeriodEvent.startIfEnabled() : null;
    }

    /** Emits {@code io.lockstep.StmConflict} if a recording enables it. */
    public static void stmConflict(int conflicts, boolean irrevocableNext) {
        if (up()) StmConflictEvent.emit(conflicts, irrevocableNext);
    }

    /** Emits {@code io.lockstep.DeadlockFound} if a recording enables it. */
    public static void deadlockFound(int threads, String locks, String report) {
        if (up()) DeadlockFoundEvent.emit(threads, locks, report);
    }

    /** Emits {@code io.lockstep.LockOrderViolation} if a recording enables it. */
    public static void lockOrderViolation(String cycle, String message) {
        if (up()) LockOrderViolationEvent.emit(cycle, message);
    }
}
