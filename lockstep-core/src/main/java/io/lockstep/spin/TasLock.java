package io.lockstep.spin;

import io.lockstep.internal.Names;
/**
 * The test-and-set spin lock: every attempt is an atomic exchange of 1 into a flag. The simplest
 * lock there is, and the baseline the others improve on.
 *
 * <pre>{@code
 * Mutex<Integer> counter = Mutex.of(new TasLock(), 0);
 * counter.update(c -> c + 1);
 * }</pre>
 *
 * <p>Every waiting attempt writes the lock's cache line, so under contention the waiters slow
 * the holder down (the line ping-pongs between cores); prefer {@link TtasLock} or a queue lock
 * when more than two threads contend. Waiting is bounded: a few rounds of spinning, a few
 * yields, then the thread parks, so the lock survives oversubscription and virtual threads.
 *
 * <p><b>Memory effects:</b> as {@link java.util.concurrent.locks.Lock}: an unlock happens-before
 * every later lock of the same lock.
 * <p><b>Fairness:</b> none; any thread may take the lock whenever it is free.
 * <p><b>Ownership:</b> not reentrant ({@link #lock()} by the holder throws
 * {@link IllegalStateException}); {@link #unlock()} by a non-holder throws
 * {@link IllegalMonitorStateException}.
 */
public final class TasLock extends FlagLock {
    /*
     * Implementation notes.
     *
     * Algorithm: test-and-set (see Anderson 1990 and Herlihy & Shavit, "The Art of Multiprocessor
     * Programming", ch. 7). One getAndSet(1) with acquire semantics per attempt; the flag table
     * and release protocol are in FlagLock.
     * Memory ordering: acquire exchange on lock; volatile store on unlock (release is enough for
     * the critical sections, volatile is for the park handshake, Waiters I1).
     * Fairness/progress: barging; a parked thread is woken on each release but may lose again.
     * Cost: uncontended, one exchange and one volatile store (x86: xchg + xchg-like store).
     *   Contended, every spin is a write: O(waiters) coherence traffic per hand-off. The spin
     *   phase uses a constant back-off on purpose: TAS is kept as the textbook baseline for
     *   SpinBench; TtasLock is the tuned version.
     * Oversubscription: bounded spin, then yield, then park (Backoff, Waiters).
     */

    /** Creates an unlocked lock. */
    public TasLock() {
        super(false);
    }

    @Override
    boolean tryAcquire() {
        return (int) STATE.getAndSetAcquire(this, 1) == 0;
    }

    /**
     * Names this lock for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * lock, so a field can be named where it is created:
     * {@code private final TasLock lock = new TasLock().named("stats");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this lock already has another name
     */
    public TasLock named(String name) {
        return Names.name(this, name);
    }

    /** This lock's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
