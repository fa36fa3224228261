package io.lockstep.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Absolute deadlines on the {@link System#nanoTime()} clock, as the slow paths of every
 * Lockstep primitive take them ({@code long deadlineNanos}).
 *
 * <p>Public methods take a {@link Duration} or a {@code (long, TimeUnit)} pair; they convert it
 * once, here, so a retry loop never stretches the caller's timeout. Conversions saturate, as
 * Guava's {@code toSafeNanos} does: a timeout too long to represent means "no deadline", and a
 * zero or negative timeout means "do not wait" (the java.util.concurrent convention).
 *
 * <pre>{@code
 * long deadline = Deadline.after(timeout);
 * while (!ready()) {
 *     if (Deadline.expired(deadline)) return false;
 *     LockSupport.parkNanos(this, Deadline.remaining(deadline));
 * }
 * }</pre>
 */
public final class Deadline {
    /** The absence of a deadline: wait until woken. */
    public static final long NONE = Long.MAX_VALUE;

    /** Timeouts beyond this are treated as {@link #NONE} (about 146 years). */
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE >>> 1;

    private Deadline() {}

    /** The deadline {@code timeout} from now; {@code null} is rejected. */
    public static long after(Duration timeout) {
        if (timeout == null) throw new NullPointerException("timeout");
        return afterNanos(toNanos(timeout));
    }

    /** The deadline {@code time unit} from now; {@code null} is rejected. */
    public static long after(long time, TimeUnit unit) {
        if (unit == null) throw new NullPointerException("unit");
        return afterNanos(unit.toNanos(time));
    }

    /**
     * {@code timeout} in nanoseconds, saturating at {@link Long#MAX_VALUE} and
     * {@link Long#MIN_VALUE} where {@link Duration#toNanos()} would throw; {@code null} is rejected.
     * For periods and relative waits that are not deadlines (a tick period, a
     * {@code tryLock(long, TimeUnit)} delegate).
     */
    public static long toNanos(Duration timeout) {
        if (timeout == null) throw new NullPointerException("timeout");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * {@code time unit} as a {@link Duration}, saturating as {@link TimeUnit#toNanos} does (so
     * {@code Long.MAX_VALUE} of any unit still means "no deadline" to {@link #after(Duration)});
     * {@code null} is rejected. For {@code (long, TimeUnit)} methods that delegate to a
     * {@code Duration} one.
     */
    public static Duration toDuration(long time, TimeUnit unit) {
        if (unit == null) throw new NullPointerException("unit");
        return Duration.ofNanos(unit.toNanos(time));
    }

    /**
     * The deadline at the wall-clock instant {@code epochMillis} (as {@code Condition.awaitUntil}'s
     * {@code Date}), saturating: an instant in the past means "do not wait", one too far ahead
     * to represent means {@link #NONE}.
     */
    public static long atEpochMillis(long epochMillis) {
        long millis;
        try {
            millis = Math.subtractExact(epochMillis, System.currentTimeMillis());
        } catch (ArithmeticException overflow) {
            return epochMillis < 0 ? System.nanoTime() : NONE;
        }
        return after(millis, TimeUnit.MILLISECONDS);
    }

    /** The deadline {@code nanos} from now, saturating. */
    public static long afterNanos(long nanos) {
        long now = System.nanoTime();
        if (nanos <= 0) return now;
        if (nanos >= MAX_TIMEOUT_NANOS) return NONE;
        long deadline = now + nanos;
        return deadline == NONE ? NONE - 1 : deadline;
    }

    /** Nanoseconds left until {@code deadline}; {@link Long#MAX_VALUE} for {@link #NONE}. */
    public static long remaining(long deadline) {
        return deadline == NONE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    /** Whether {@code deadline} has passed. {@link #NONE} never expires. */
    public static boolean expired(long deadline) {
        return deadline != NONE && deadline - System.nanoTime() <= 0;
    }
}
