package io.lockstep.internal;

/**
 * How a wait ended: the one vocabulary of outcome codes that every wait loop returns (the
 * mutexes' and read-write locks' acquires, the spin locks', the gates' and {@code Notify}'s waits,
 * the semaphore's) and that the JFR events and {@code Contention} record.
 *
 * <p>Plain {@code int} constants, not an enum: the codes are returned on hot slow paths and
 * compared with {@code ==}, and switched over, without a load of a static field or a box.
 *
 * <pre>{@code
 * int r = acquireSlow(deadline, true);
 * switch (r) {
 *     case WaitOutcome.DONE -> { return true; }
 *     case WaitOutcome.TIMED_OUT -> { return false; }
 *     default -> throw new InterruptedException();
 * }
 * }</pre>
 */
public final class WaitOutcome {
    /** The awaited thing happened: the lock or permits were acquired, the gate opened, the state changed. */
    public static final int DONE = 0;
    /** The deadline passed first. */
    public static final int TIMED_OUT = 1;
    /** The thread was interrupted first (its interrupt status cleared). */
    public static final int INTERRUPTED = 2;
    /** The primitive was closed first (a closed semaphore). */
    public static final int CLOSED = 3;

    private WaitOutcome() {}

    /** {@code code} as reports show it; {@link #DONE} reads as {@code done} (e.g. "acquired", "released"). */
    public static String describe(int code, String done) {
        return switch (code) {
            case DONE -> done;
            case TIMED_OUT -> "timed out";
            case INTERRUPTED -> "interrupted";
            case CLOSED -> "closed";
            default -> "code " + code;
        };
    }
}
