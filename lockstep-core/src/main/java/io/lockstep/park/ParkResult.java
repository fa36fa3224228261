package io.lockstep.park;

/**
 * How a {@link ParkingLot#park park} call returned.
 *
 * <pre>{@code
 * switch (ParkingLot.park(this, () -> state == WAITING, null, deadline)) {
 *     case ParkResult.Unparked u when u.token() == HANDOFF -> { return true; }  // we own it now
 *     case ParkResult.Unparked u -> { }                                         // retry
 *     case ParkResult.Invalid i -> { }                                          // state moved on; retry
 *     case ParkResult.TimedOut t -> { return false; }
 *     case ParkResult.Interrupted i -> throw new InterruptedException();
 * }
 * }</pre>
 */
public sealed interface ParkResult
        permits ParkResult.Unparked, ParkResult.Invalid, ParkResult.TimedOut, ParkResult.Interrupted {

    /** Woken by an unpark call, which passed {@code token} (see {@link ParkingLot#DEFAULT_UNPARK_TOKEN}). */
    record Unparked(long token) implements ParkResult {
        private static final Unparked[] SMALL = {new Unparked(0), new Unparked(1), new Unparked(2), new Unparked(3)};

        static Unparked of(long token) {
            return token >= 0 && token < SMALL.length ? SMALL[(int) token] : new Unparked(token);
        }
    }

    /** {@code validate} returned false: the caller never slept. */
    record Invalid() implements ParkResult {
        static final Invalid INSTANCE = new Invalid();
    }

    /** The deadline passed before an unpark; the thread was removed from the queue. */
    record TimedOut() implements ParkResult {
        static final TimedOut INSTANCE = new TimedOut();
    }

    /**
     * The thread was interrupted while parked interruptibly; it was removed from the queue and its
     * interrupt status was cleared (the caller usually throws {@link InterruptedException}).
     */
    record Interrupted() implements ParkResult {
        static final Interrupted INSTANCE = new Interrupted();
    }

    /** Whether this is an {@link Unparked} result. */
    default boolean isUnparked() {
        return this instanceof Unparked;
    }
}
