package io.lockstep.internal.jfr;

/**
 * One contended acquisition being watched: a thread that found a lock (mutex, read-write lock
 * mode, spin lock) or semaphore taken and has to wait. It feeds the JFR event
 * {@code io.lockstep.ContendedAcquire} when a recording enables it, and the in-process
 * {@link ContentionSampler} when {@code io.lockstep.contention.Contention} is on and sampled this
 * wait; {@link Jfr#contendedAcquire()} returns null when neither wants it.
 *
 * <pre>{@code
 * // on the slow path only, after the fast path failed:
 * ContendedAcquireEvent e = Jfr.contendedAcquire();           // null unless JFR or Contention wants it
 * int outcome = waitForTheLock();
 * if (e != null) e.end(this, "exclusive", holderSeenAtStart, outcome);
 * }</pre>
 */
public final class ContendedAcquireEvent {
    /*
     * Implementation notes.
     *
     * Not itself a jdk.jfr.Event: an event class is initialized (registered with JFR) only once
     * JFR is up (see Jfr), and Contention must work in a process that never records. So the
     * primitives hold this small object, which holds the JFR event when there is one.
     */
    private final ContendedAcquireJfrEvent jfr;
    /** System.nanoTime() when the wait began, if Contention sampled it. */
    private final long sampledAt;
    private final boolean sampled;

    ContendedAcquireEvent(ContendedAcquireJfrEvent jfr, boolean sampled) {
        this.jfr = jfr;
        this.sampled = sampled;
        this.sampledAt = sampled ? System.nanoTime() : 0;
    }

    /**
     * Ends the wait on {@code primitive}: commits the JFR event if it lasted at least the
     * threshold, and adds the wait to Contention's numbers if it was sampled.
     *
     * @param code a {@link io.lockstep.internal.WaitOutcome} code (DONE shown as acquired)
     */
    public void end(Object primitive, String mode, Thread holder, int code) {
        if (sampled) ContentionSampler.record(primitive, System.nanoTime() - sampledAt);
        if (jfr != null) jfr.end(primitive, mode, holder, code);
    }
}
