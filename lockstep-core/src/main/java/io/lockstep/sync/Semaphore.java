package io.lockstep.sync;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.GuardedBy;
import io.lockstep.lock.RawMutex;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore: fair, with batch requests, an optional maximum, {@link #close()}, and
 * {@link #acquireAsync} for code that must not block a thread.
 *
 * <ul>
 *   <li><b>Fair FIFO with batches</b> (as tokio's): permits released while threads wait go to the
 *       oldest request first, and it keeps what it gets until it has all it asked for, so a
 *       request for 10 is never starved by a stream of requests for 1.</li>
 *   <li><b>Permits are values:</b> every acquire returns a {@link Permit}; closing it releases
 *       exactly once, {@link Permit#forget()} keeps the permits out. {@link #release(int)} works
 *       from any thread too: permits are not owned.</li>
 *   <li><b>Maximum</b> (as C++20's {@code counting_semaphore<Max>}): releasing past it throws
 *       {@link IllegalStateException} and changes nothing.</li>
 *   <li><b>{@link #close()}</b>: waiting and later acquires fail with
 *       {@link SemaphoreClosedException}; releases still count.</li>
 * </ul>
 *
 * <pre>{@code
 * Semaphore downloads = new Semaphore(5);
 * try (Permit p = downloads.acquire()) {          // at most 5 downloads at once
 *     fetch(url);
 * }
 * downloads.acquireAsync(2).thenAccept(p -> { try (p) { fetchPair(); } });
 * }</pre>
 * Compared with {@link java.util.concurrent.Semaphore}: {@code acquire()} here is uninterruptible
 * (use {@link #acquireInterruptibly}), permits come back as an AutoCloseable, and it is always fair
 * at no cost to the uncontended path.
 *
 * <p><b>Memory effects:</b> actions before a release (or a permit's close) happen-before the
 * return of an acquire that gets those permits.
 */
public final class Semaphore {
    /*
     * Implementation notes.
     *
     * Based on: tokio's batch_semaphore (an atomic permit count for the fast paths, a FIFO of
     * waiters under a mutex for the slow ones, waiters that absorb permits partially).
     * Differences: sync waiters park in the ParkingLot keyed by their own node; async waiters
     * hold a CompletableFuture; releases take the mutex only when waiters are queued (tokio's
     * always do), which a QUEUED bit in the state word makes possible; a maximum.
     *
     * State (long): [ permits : 61 | QUEUED | CLOSED ]
     *   permits  available now
     *   QUEUED   the waiter queue is non-empty
     *   CLOSED   close() was called (never cleared)
     * Invariants:
     *   I1  QUEUED changes only under `lock`, and is set iff head != null.
     *   I2  QUEUED implies permits == 0: a waiter absorbs every available permit before it
     *       queues, and releases hand permits to the queue before the count while QUEUED. So the
     *       fast acquire (CAS permits - n when permits >= n) can never overtake a waiter: FIFO.
     *   I3  A waiter's status leaves WAITING exactly once, under `lock`; whoever moves it
     *       (granter, canceller, closer) owns the permits it absorbed from then on.
     *   I4  available() + absorbed <= maximum, where absorbed (under lock) counts permits held by
     *       queued waiters, since cancellation gives them back.
     * Protocol: acquire: CAS fast path; else bounded spin; else under lock absorb and enqueue,
     *   then park on the node (validate: still WAITING) or hand back a future. Release: CAS fast
     *   path while !QUEUED; else under lock `assign` permits head-first, then wake the satisfied
     *   waiters (unpark / complete) after unlocking. Cancellation (timeout, interrupt, a cancelled
     *   future) removes the node under lock and re-`assign`s what it had absorbed.
     * Memory ordering: acquire CAS on take, release CAS on give; waiters granted under `lock`
     *   are published through the ParkingLot's unpark or the future's completion.
     * Fairness/progress: strict FIFO among waiters; tryAcquire never barges (I2). A future
     *   completed outside the lock may run user callbacks; never under the lock.
     * Tried and rejected: parking sync waiters directly on the semaphore key (no per-waiter
     *   absorption, and async waiters could not share the queue).
     */
    private static final long CLOSED = 1, QUEUED = 2, ONE = 4;
    private static final int WAITING = 0, GRANTED = 1, CANCELLED = 2, FAILED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Semaphore.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long state;
    private final int maximum;
    private final RawMutex lock = new RawMutex();
    @GuardedBy("lock") private Waiter head, tail;
    @GuardedBy("lock") private long absorbed;

    /** A queued request: a parked thread (future == null) or an async one. */
    private static final class Waiter {
        final int requested;
        final CompletableFuture<Permit> future;      // null for a thread parked on this node
        @GuardedBy("lock") int remaining;
        @GuardedBy("lock") Waiter prev, next, nextWoken;
        volatile int status;                         // WAITING until I3 moves it

        Waiter(int requested, int remaining, CompletableFuture<Permit> future) {
            this.requested = requested;
            this.remaining = remaining;
            this.future = future;
        }
    }

    /** A semaphore with {@code permits} available and no maximum beyond {@link Integer#MAX_VALUE}. */
    public Semaphore(int permits) {
        this(permits, Integer.MAX_VALUE);
    }

    private Semaphore(int permits, int maximum) {
        if (permits < 0) throw new IllegalArgumentException("permits < 0: " + permits);
        if (maximum < 1 || permits > maximum) {
            throw new IllegalArgumentException("need 0 <= permits <= maximum, 1 <= maximum: " + permits + ", " + maximum);
        }
        this.maximum = maximum;
        this.state = permits * ONE;
    }

    /** A semaphore that can never hold more than {@code maximum} permits (C++'s {@code counting_semaphore<Max>}). */
    public static Semaphore bounded(int permits, int maximum) {
        return new Semaphore(permits, maximum);
    }

    /** A binary semaphore (at most one permit), initially available. */
    public static Semaphore binary() {
        return new Semaphore(1, 1);
    }

    // ---------------------------------------------------------------- acquire

    /** Waits, uninterruptibly, for one permit. */
    public Permit acquire() {
        return acquire(1);
    }

    /**
     * Waits, uninterruptibly, for {@code n} permits, taken together.
     *
     * @throws IllegalArgumentException if {@code n} is negative or above the maximum
     * @throws SemaphoreClosedException if closed before or while waiting
     */
    public Permit acquire(int n) {
        checkRequest(n);
        if (tryTake(n)) return new Permit(this, n);
        return acquireSlow(n, Deadline.NONE, false);
    }

    /** As {@link #acquire()}, but an interrupt ends the wait. */
    public Permit acquireInterruptibly() throws InterruptedException {
        return acquireInterruptibly(1);
    }

    /** As {@link #acquire(int)}, but an interrupt ends the wait (losing no permits). */
    public Permit acquireInterruptibly(int n) throws InterruptedException {
        checkRequest(n);
        if (Thread.interrupted()) throw new InterruptedException();
        if (tryTake(n)) return new Permit(this, n);
        Permit p = acquireSlow(n, Deadline.NONE, true);
        if (p == null) {                                     // no deadline: it was the interrupt
            Thread.interrupted();
            throw new InterruptedException();
        }
        return p;
    }

    /** One permit if available now, without waiting. */
    public Optional<Permit> tryAcquire() {
        return tryAcquire(1);
    }

    /** {@code n} permits if available now, without waiting (and never ahead of a waiter). */
    public Optional<Permit> tryAcquire(int n) {
        checkRequest(n);
        return tryTake(n) ? Optional.of(new Permit(this, n)) : Optional.empty();
    }

    /** {@code n} permits if granted within {@code timeout}; a zero or negative timeout does not wait. */
    public Optional<Permit> tryAcquire(int n, Duration timeout) throws InterruptedException {
        checkRequest(n);
        long deadline = Deadline.after(timeout);
        if (Thread.interrupted()) throw new InterruptedException();
        if (tryTake(n)) return Optional.of(new Permit(this, n));
        if (Deadline.expired(deadline)) return Optional.empty();
        Permit p = acquireSlow(n, deadline, true);
        if (p == null && Thread.interrupted()) throw new InterruptedException();
        return Optional.ofNullable(p);
    }

    /**
     * {@code n} permits, as a future that completes when they are granted; no thread waits.
     * Cancelling the future (or completing it yourself, or a timeout from {@code orTimeout})
     * removes the request and gives back any permits it had absorbed; a future completed with a
     * {@link Permit} owns it. Fails with {@link SemaphoreClosedException} if closed.
     */
    public CompletableFuture<Permit> acquireAsync(int n) {
        checkRequest(n);
        Waiter w;
        try {
            if (tryTake(n)) return CompletableFuture.completedFuture(new Permit(this, n));
            w = enqueue(n, new CompletableFuture<>());
        } catch (SemaphoreClosedException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (w == null) return CompletableFuture.completedFuture(new Permit(this, n));
        w.future.whenComplete((p, e) -> {
            if (w.status == WAITING) cancel(w);          // not completed by us: withdraw
        });
        return w.future;
    }

    /** The fast path: takes {@code n} if that many are available now. */
    private boolean tryTake(int n) {
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0) throw new SemaphoreClosedException();
            if (s / ONE < n) return false;                   // with QUEUED, permits == 0 (I2)
            if (STATE.weakCompareAndSetAcquire(this, s, s - n * ONE)) return true;
        }
    }

    /** Returns the permit, or null on timeout or interrupt (the interrupt status is set for the caller). */
    private Permit acquireSlow(int n, long deadline, boolean interruptible) {
        SpinWait spin = new SpinWait();
        while ((state & QUEUED) == 0 && spin.spin()) {
            if (tryTake(n)) return new Permit(this, n);
        }
        Waiter w = enqueue(n, null);
        if (w == null) return new Permit(this, n);
        boolean interrupted = false;
        for (;;) {
            ParkResult r = ParkingLot.park(w, () -> w.status == WAITING, null, null,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
            boolean gaveUp = r instanceof ParkResult.TimedOut || r instanceof ParkResult.Interrupted;
            interrupted |= r instanceof ParkResult.Interrupted;
            if (gaveUp && cancel(w)) {
                if (interrupted) Thread.currentThread().interrupt();
                return null;
            }
            switch (w.status) {
                case GRANTED -> {
                    if (interrupted) Thread.currentThread().interrupt();   // granted as we gave up: keep it
                    return new Permit(this, n);
                }
                case FAILED -> throw new SemaphoreClosedException();
                default -> { }                                            // spurious: wait again
            }
        }
    }

    /** Under lock: takes {@code n} now if nobody waits, else absorbs what is there and queues. */
    private Waiter enqueue(int n, CompletableFuture<Permit> future) {
        lock.lock();
        try {
            for (;;) {
                long s = state;
                if ((s & CLOSED) != 0) throw new SemaphoreClosedException();
                long available = s / ONE;
                if (head == null && available >= n) {
                    if (STATE.compareAndSet(this, s, s - n * ONE)) return null;
                    continue;
                }
                if (STATE.compareAndSet(this, s, (s & CLOSED) | QUEUED)) {     // keeps I1, I2
                    Waiter w = new Waiter(n, (int) (n - available), future);
                    absorbed += available;
                    w.prev = tail;
                    if (tail == null) head = w; else tail.next = w;
                    tail = w;
                    return w;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Withdraws a waiting request; false if it was already granted or failed (I3). */
    private boolean cancel(Waiter w) {
        Waiter woken;
        lock.lock();
        try {
            if (w.status != WAITING) return false;
            w.status = CANCELLED;
            unlink(w);
            long had = w.requested - w.remaining;
            absorbed -= had;
            woken = assign(had);
        } finally {
            lock.unlock();
        }
        wake(woken);
        return true;
    }

    // ---------------------------------------------------------------- release

    /** Releases one permit. @see #release(int) */
    public void release() {
        release(1);
    }

    /**
     * Adds {@code n} permits, from any thread, waking waiters they satisfy, oldest first.
     * Releases still count after {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if that would exceed the maximum (nothing is released)
     */
    public void release(int n) {
        if (n < 0) throw new IllegalArgumentException("n < 0: " + n);
        for (;;) {
            long s = state;
            if ((s & QUEUED) != 0) {
                releaseSlow(n);
                return;
            }
            if (s / ONE + n > maximum) throw tooMany(n, s / ONE);
            if (STATE.weakCompareAndSetRelease(this, s, s + n * ONE)) return;
        }
    }

    /** Same as {@link #release(int)}; named for growing a pool's capacity, as tokio's {@code add_permits}. */
    public void addPermits(int n) {
        release(n);
    }

    private void releaseSlow(int n) {
        Waiter woken;
        lock.lock();
        try {
            long available = state / ONE;
            if (available + absorbed + n > maximum) throw tooMany(n, available + absorbed);   // keeps I4
            woken = assign(n);
        } finally {
            lock.unlock();
        }
        wake(woken);
    }

    /**
     * Under lock: hands {@code n} permits to the queue head-first, then any rest to the count
     * (clearing QUEUED if the queue emptied). Returns the satisfied waiters, linked by nextWoken.
     */
    private Waiter assign(long n) {
        Waiter woken = null, last = null;
        while (n > 0 && head != null) {
            Waiter w = head;
            long take = Math.min(n, w.remaining);
            w.remaining -= (int) take;
            absorbed += take;
            n -= take;
            if (w.remaining == 0) {
                unlink(w);
                absorbed -= w.requested;
                w.status = GRANTED;                          // I3
                if (last == null) woken = w; else last.nextWoken = w;
                last = w;
            }
        }
        if (head == null) {
            for (;;) {
                long s = state;                              // permits == 0 while QUEUED (I2)
                if (STATE.compareAndSet(this, s, ((s & CLOSED) | (s & ~(ONE - 1))) + n * ONE)) break;   // keeps I1
            }
        }
        return woken;
    }

    /** Outside the lock: lets the granted (or failed) waiters go. */
    private void wake(Waiter w) {
        for (; w != null; w = w.nextWoken) {
            if (w.future == null) {
                ParkingLot.unparkOne(w, r -> ParkingLot.DEFAULT_UNPARK_TOKEN);   // the one thread keyed by w
            } else if (w.status == GRANTED) {
                Permit p = new Permit(this, w.requested);
                if (!w.future.complete(p)) p.close();        // cancelled as we granted: give back
            } else {
                w.future.completeExceptionally(new SemaphoreClosedException());
            }
        }
    }

    @GuardedBy("lock")
    private void unlink(Waiter w) {
        if (w.prev == null) head = w.next; else w.prev.next = w.next;
        if (w.next == null) tail = w.prev; else w.next.prev = w.prev;
        w.prev = w.next = null;
    }

    // ---------------------------------------------------------------- close and queries

    /**
     * Closes the semaphore: every waiting acquire fails with {@link SemaphoreClosedException}
     * (the permits they had absorbed return to the count), and so does every later one. Releases
     * still count. Idempotent.
     */
    public void close() {
        Waiter failed = null, last = null;
        lock.lock();
        try {
            long returned = absorbed;
            for (Waiter w = head; w != null; w = w.next) {
                w.status = FAILED;                           // I3
                if (last == null) failed = w; else last.nextWoken = w;
                last = w;
            }
            head = tail = null;
            absorbed = 0;
            for (;;) {
                long s = state;
                long next = ((s & ~(CLOSED | QUEUED)) + returned * ONE) | CLOSED;   // keeps I1
                if (STATE.compareAndSet(this, s, next)) break;
            }
        } finally {
            lock.unlock();
        }
        wake(failed);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /** Permits available now (a snapshot; permits absorbed by waiting requests are not counted). */
    public int availablePermits() {
        return (int) (state / ONE);
    }

    /** The most permits this semaphore can hold. */
    public int maximum() {
        return maximum;
    }

    /**
     * Removes up to {@code n} available permits for good (shrinking a pool); returns how many.
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public int forgetPermits(int n) {
        if (n < 0) throw new IllegalArgumentException("n < 0: " + n);
        for (;;) {
            long s = state;
            long take = Math.min(n, s / ONE);
            if (STATE.weakCompareAndSet(this, s, s - take * ONE)) return (int) take;
        }
    }

    /** How many requests wait (a snapshot, for monitoring). */
    public int getQueueLength() {
        lock.lock();
        try {
            int count = 0;
            for (Waiter w = head; w != null; w = w.next) count++;
            return count;
        } finally {
            lock.unlock();
        }
    }

    private void checkRequest(int n) {
        if (n < 0) throw new IllegalArgumentException("n < 0: " + n);
        if (n > maximum) throw new IllegalArgumentException("n = " + n + " can never be granted: maximum is " + maximum);
    }

    private IllegalStateException tooMany(int n, long held) {
        return new IllegalStateException("releasing " + n + " would exceed the maximum " + maximum
                + " (" + held + " available)");
    }

    @Override
    public String toString() {
        long s = state;
        return super.toString() + "[permits=" + s / ONE + ((s & QUEUED) != 0 ? ", waiters" : "")
                + ((s & CLOSED) != 0 ? ", closed" : "") + "]";
    }
}
