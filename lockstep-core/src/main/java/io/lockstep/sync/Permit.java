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
 * <p><b>Memory effects:</b> actions before {@link #close()} happen-before the acquire that
 * receives the released permits.
 */
public final class Permit implements AutoCloseable {
    private static final VarHandle DONE;

    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(Permit.class, "done", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Semaphore semaphore;
    private final int permits;
    private volatile boolean done;            // released or forgotten; set once

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
        return done;
    }

    /** Keeps the permits out of the semaphore for good; a later {@link #close()} does nothing. */
    public void forget() {
        done = true;                          // a racing close() either released first or now sees it
    }

    /** Releases the permits; does nothing the second time, or after {@link #forget()}. */
    @Override
    public void close() {
        if (DONE.compareAndSet(this, false, true)) semaphore.release(permits);
    }

    @Override
    public String toString() {
        return "Permit[" + permits + (done ? ", released" : "") + "]";
    }
}
