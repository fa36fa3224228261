package io.lockstep.sync;

import io.lockstep.internal.Completions;
import io.lockstep.internal.Deadline;
import io.lockstep.internal.GuardedBy;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import io.lockstep.internal.OnExecutor;
import io.lockstep.internal.TrackedHolds;
import io.lockstep.internal.WaitOutcome;
import io.lockstep.internal.jfr.ContendedAcquireEvent;
import io.lockstep.internal.jfr.Jfr;
import io.lockstep.lock.RawMutex;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore with batch requests, an optional maximum, {@link #close()}, and
 * {@link #acquireAsync} for code that must not block a thread.
 *
 * <ul>
 *   <li><b>Fast by default, never starving:</b> a running thread may take free permits while
 *       others sleep (as {@code java.util.concurrent.Semaphore}'s default does), but a request
 *       that has been first in line for about half a millisecond is then served directly: later
 *       permits are handed to it, oldest request first, until it has all it asked for. So no
 *       waiter starves, and a request for 10 is not overtaken forever by requests for 1.</li>
 *   <li><b>Strictly fair on request</b> ({@code new Semaphore(n, true)}, as tokio's): permits
 *       released while requests wait always go to the oldest request first, and it keeps what
 *       it gets until it has all it asked for.</li>
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
 *
 * <p><b>Async requests</b> wait in the same line as threads, in order among themselves. Which
 * thread runs their callbacks: the one whose call granted the permits (a release, a permit's
 * close, a cancelled request handing its permits on) or failed the request ({@link #close()}),
 * after the semaphore's own work is done and never under its lock. Completions caused from inside
 * a callback (the callback closes its permit, which grants the next request) are queued and run
 * by the same thread once the callback returns, so a chain of any length runs with a flat stack.
 * A callback that blocks delays the callbacks queued behind it: hand blocking work to an executor
 * ({@code thenAcceptAsync}).
 *
 * <h2>Differences from java.util.concurrent</h2>
 * A user switching from {@link java.util.concurrent.Semaphore} finds the same queries
 * ({@link #isFair()}, {@link #getQueueLength()}, {@link #hasQueuedThreads()},
 * {@link #getQueuedThreads()}, {@link #availablePermits()}, {@link #drainPermits()},
 * {@link #reducePermits(int)}) and the same contract for negative initial counts and timeouts.
 * It differs on purpose in these:
 * <ul>
 *   <li>{@link #acquire()} waits uninterruptibly (JUC's {@code acquireUninterruptibly});
 *       {@link #acquireInterruptibly()} is JUC's {@code acquire()}.</li>
 *   <li>A fair semaphore's {@link #tryAcquire()} never barges ahead of waiting requests (JUC's
 *       untimed {@code tryAcquire()} does, even when fair).</li>
 *   <li>The default mode barges, but only for a while: a request first in line for about half a
 *       millisecond is served before running threads (JUC's non-fair mode may starve it).</li>
 *   <li>A request first in line that is being served directly keeps the permits released to it
 *       until it has all it asked for: {@link #availablePermits()} stays 0 meanwhile (JUC leaves
 *       them in the count).</li>
 *   <li>{@link #getQueueLength()} and {@link #hasQueuedThreads()} count async requests as well
 *       as threads; {@link #getQueuedThreads()} lists only the threads.</li>
 * </ul>
 *
 * <p><b>Memory effects:</b> actions before a release (or a permit's close) happen-before the
 * return of an acquire that gets those permits.
 */
public final class Semaphore {
    /*
     * Implementation notes.
     *
     * Based on: tokio's batch_semaphore (an atomic permit count for the fast paths, a FIFO of
     * waiters under a mutex for the slow ones, waiters that absorb permits partially) for the
     * fair mode and for serving a starving request; parking_lot's RawMutex and WebKit's WTF::Lock
     * (barging, one waiter woken at a time to compete, a direct hand-off once it has waited past
     * a fairness timeout) for the default mode.
     * Differences: sync waiters park in the ParkingLot keyed by their own node; async waiters
     * hold a CompletableFuture, completed through Completions (the internal trampoline); releases take the mutex only
     * when a waiter needs them (tokio's always do); a maximum; a debt (negative count) for
     * reducePermits and negative initial counts, as JUC allows.
     *
     * State (long): [ permits : 60, signed | SIGNAL | HANDOFF | QUEUED | CLOSED ]
     *   permits  in the count now; negative is a debt that releases pay first
     *   QUEUED   the waiter queue is non-empty
     *   HANDOFF  the head is being served directly ("starving"; always, in fair mode): releases
     *            go to the queue under the lock, running threads may not take from the count
     *   SIGNAL   the head sleeps and the count cannot satisfy it: the next release must settle()
     *   CLOSED   close() was called (never cleared)
     * The head is in one of three conditions: starving (absorbs permits; HANDOFF), awake (a
     * thread woken to compete with running threads, in the default mode), or asleep (SIGNAL set,
     * or the count just satisfied it and it is being granted or woken).
     * Invariants:
     *   I1  QUEUED, HANDOFF and SIGNAL change only under `lock` (except that a release clears
     *       SIGNAL with its CAS and then takes the lock to settle); QUEUED is set iff head != null.
     *   I2  HANDOFF implies permits <= 0: the head absorbs every permit that arrives, so the fast
     *       acquire (CAS permits - n when permits >= n) cannot overtake it.
     *   I3  A waiter's status leaves WAITING exactly once, under `lock`; whoever moves it
     *       (granter, canceller, closer, or the waiter itself winning a competition) owns the
     *       permits it absorbed from then on.
     *   I4  Only a starving head absorbs, so absorbed == 0 without HANDOFF; and
     *       permits + absorbed <= maximum, which the fast release checks without the lock.
     *   I5  Only the head is ever awake or starving; an awake waiter is never starving.
     *   I6  No lost wake-up: when a release adds permits without the lock, either SIGNAL was set
     *       (and that release settles), or the head is awake (and retries before sleeping: it
     *       sets SIGNAL only by a CAS that checks the count cannot satisfy it), or starving
     *       (HANDOFF: releases go under the lock), or there is no queue.
     * Protocol: acquire: CAS fast path; else bounded spin while nobody is queued; else under
     *   lock enqueue and settle() the head, then (fair mode, first in line: after a bounded spin
     *   on its status, as a hand-off to a running head needs no unpark) park on the node
     *   (validate: WAITING and not awake). Woken awake, a waiter competes (bounded spin of CAS attempts); it leaves the queue
     *   if it wins, and otherwise settles again (sleeping, or starving after FAIR_TIMEOUT_NANOS
     *   first in line). Release: CAS fast path unless HANDOFF, clearing SIGNAL; if SIGNAL was set
     *   or under HANDOFF, settle() under lock. settle() decides the head's condition and grants
     *   async heads the count satisfies; everything woken is unparked or completed after
     *   unlocking. Cancellation (timeout, interrupt, a cancelled future) removes the node under
     *   lock and settles what it had absorbed.
     * Memory ordering: acquire CAS on take, release CAS on give; waiters granted under `lock`
     *   are published through the ParkingLot's unpark or the future's completion.
     * Fairness/progress: fair mode: strict FIFO, tryAcquire never barges (I2). Default: barging,
     *   FIFO among waiters, and a head starving after FAIR_TIMEOUT_NANOS (measured from when it
     *   became head) is served before running threads; then the next head's clock starts.
     * Callbacks: futures complete outside the lock through Completions (the internal trampoline) (iteratively, on the
     *   thread that granted), so a user callback never runs under the lock or recursively.
     * Lock tracking (tracked(), opt-in: a semaphore used for signalling is released by another
     *   thread, which a lock-order checker would misread): the blocking acquires report through
     *   internal.TrackedHolds around the wait, the tries after success, release after the permits
     *   went back; every hook sits behind LockTracking.ENABLED, a static final, so it folds away.
     * Tried and rejected: parking sync waiters directly on the semaphore key (no per-waiter
     *   absorption, and async waiters could not share the queue); strict FIFO hand-off as the
     *   default (a park and an unpark per contended acquire: 0.01x JUC's non-fair semaphore).
     */
    private static final long CLOSED = 1, QUEUED = 2, HANDOFF = 4, SIGNAL = 8;
    private static final int SHIFT = 4;
    private static final long ONE = 1L << SHIFT, FLAGS = ONE - 1;
    private static final int WAITING = 0, GRANTED = 1, CANCELLED = 2, FAILED = 3;
    /** How long a request may be first in line, in the default mode, before it is served directly. */
    static final long FAIR_TIMEOUT_NANOS = 500_000;
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
    private final boolean fair;
    /** Reported to the lock-order validator and deadlock detector ({@link #tracked}). */
    private final boolean tracked;
    private final RawMutex lock = new RawMutex();
    /** Read without the lock only by the monitoring queries (volatile for them). */
    @GuardedBy("lock") private volatile Waiter head;
    @GuardedBy("lock") private Waiter tail;
    @GuardedBy("lock") private long absorbed;
    /** Written under the lock, read without it. */
    @GuardedBy("lock") private volatile int queueLength;
    /** What the current lock holder must let go after unlocking: granted or failed waiters, and a head woken to compete. */
    @GuardedBy("lock") private Waiter doneHead, doneTail, roused;

    /** A queued request: a parked thread (future == null) or an async one. */
    private static final class Waiter {
        final int requested;
        final CompletableFuture<Permit> future;      // null for a thread parked on this node
        final Thread thread;                         // the parked thread, or null
        @GuardedBy("lock") int remaining;
        @GuardedBy("lock") Waiter prev, nextDone;
        @GuardedBy("lock") volatile Waiter next;     // volatile for getQueuedThreads; kept when unlinked
        @GuardedBy("lock") long headSince;           // when it became head (default mode)
        @GuardedBy("lock") boolean starving;         // served directly (HANDOFF); I5
        volatile boolean awake;                      // woken to compete; written under lock (I5)
        volatile int status;                         // WAITING until I3 moves it

        Waiter(int requested, CompletableFuture<Permit> future) {
            this.requested = requested;
            this.remaining = requested;
            this.future = future;
            this.thread = future == null ? Thread.currentThread() : null;
        }
    }

    /**
     * A semaphore with {@code permits} available (negative: that many releases must come before
     * any acquire succeeds, as in java.util.concurrent), in the default barging mode, and no
     * maximum beyond {@link Integer#MAX_VALUE}.
     */
    public Semaphore(int permits) {
        this(permits, Integer.MAX_VALUE, false);
    }

    /** As {@link #Semaphore(int)}, strictly FIFO if {@code fair}. */
    public Semaphore(int permits, boolean fair) {
        this(permits, Integer.MAX_VALUE, fair);
    }

    private Semaphore(int permits, int maximum, boolean fair) {
        this(permits, maximum, fair, false);
    }

    private Semaphore(int permits, int maximum, boolean fair, boolean tracked) {
        if (maximum < 1 || permits > maximum) {
            throw new IllegalArgumentException("need permits <= maximum, 1 <= maximum: " + permits + ", " + maximum);
        }
        this.maximum = maximum;
        this.fair = fair;
        this.tracked = tracked;
        this.state = (long) permits << SHIFT;
    }

    /** A semaphore that can never hold more than {@code maximum} permits (C++'s {@code counting_semaphore<Max>}). */
    public static Semaphore bounded(int permits, int maximum) {
        return new Semaphore(permits, maximum, false);
    }

    /** As {@link #bounded(int, int)}, strictly FIFO if {@code fair}. */
    public static Semaphore bounded(int permits, int maximum, boolean fair) {
        return new Semaphore(permits, maximum, fair);
    }

    /** A binary semaphore (at most one permit), initially available. */
    public static Semaphore binary() {
        return new Semaphore(1, 1, false);
    }

    /**
     * A semaphore used as a lock, that {@link io.lockstep.deadlock.LockOrder} and
     * {@link io.lockstep.deadlock.DeadlockDetector} see like one: {@code permits} available and
     * at most {@code permits} ({@code tracked(1)} is a binary lock). While lock-order tracking is
     * compiled in, a thread that takes a permit holds the semaphore until it gives that permit
     * back, the order of its acquisitions against other locks is validated, and a thread
     * blocked in {@link #acquire()} or {@link #acquireInterruptibly()} waits for the holders.
     * Timed and untimed tries record the order but are never refused; async acquires are not
     * tracked (no thread holds them). The rule is a lock's: the thread that acquires releases,
     * and takes one permit at a time (a second while holding one is reported as a
     * self-deadlock); a semaphore for signalling between threads should stay untracked, which is
     * what every other constructor and factory makes. With tracking off, costs nothing.
     *
     * <pre>{@code
     * Semaphore printer = Semaphore.tracked(1).named("printer");
     * try (Permit p = printer.acquire()) {      // validated against the locks this thread holds
     *     print(page);
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code permits} is below 1
     */
    public static Semaphore tracked(int permits) {
        return new Semaphore(permits, Math.max(permits, 0), false, true);
    }

    // ---------------------------------------------------------------- acquire

    /** Waits, uninterruptibly, for one permit. */
    public Permit acquire() {
        return acquire(1);
    }

    /**
     * Waits, uninterruptibly, for {@code n} permits, taken together. An interrupt while waiting
     * is kept: the thread's interrupt status is set when this returns or throws.
     *
     * @throws IllegalArgumentException if {@code n} is negative or above the maximum
     * @throws SemaphoreClosedException if closed before or while waiting
     */
    public Permit acquire(int n) {
        checkRequest(n);
        if (LockTracking.ENABLED && tracked) TrackedHolds.acquiring(this);   // may throw: nothing taken
        boolean acquired = false;
        try {
            if (!tryTake(n)) acquireSlow(n, Deadline.NONE, false);   // no deadline, uninterruptible: true or throws
            acquired = true;
        } finally {
            if (LockTracking.ENABLED && tracked) TrackedHolds.acquireEnded(this, acquired);
        }
        return new Permit(this, n);                          // one allocation site: scalar-replaceable
    }

    /** As {@link #acquire()}, but an interrupt ends the wait. */
    public Permit acquireInterruptibly() throws InterruptedException {
        return acquireInterruptibly(1);
    }

    /**
     * As {@link #acquire(int)}, but an interrupt ends the wait (losing no permits). If the wait
     * ends some other way at the same moment (granted, or closed), the interrupt status is set
     * instead of thrown.
     */
    public Permit acquireInterruptibly(int n) throws InterruptedException {
        checkRequest(n);
        if (Thread.interrupted()) throw new InterruptedException();
        if (LockTracking.ENABLED && tracked) TrackedHolds.acquiring(this);
        boolean acquired = false;
        try {
            if (!tryTake(n) && !acquireSlow(n, Deadline.NONE, true)) {   // no deadline: it was the interrupt
                Thread.interrupted();
                throw new InterruptedException();
            }
            acquired = true;
        } finally {
            if (LockTracking.ENABLED && tracked) TrackedHolds.acquireEnded(this, acquired);
        }
        return new Permit(this, n);
    }

    /** One permit if available now, without waiting. */
    public Optional<Permit> tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * {@code n} permits if available now, without waiting. A fair semaphore never grants them
     * ahead of a waiting request; the default one may.
     */
    public Optional<Permit> tryAcquire(int n) {
        checkRequest(n);
        if (!tryTake(n)) return Optional.empty();
        if (LockTracking.ENABLED && tracked) TrackedHolds.tryAcquired(this);
        return Optional.of(new Permit(this, n));
    }

    /** One permit if granted within {@code timeout}; see {@link #tryAcquire(int, Duration)}. */
    public Optional<Permit> tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    /** One permit if granted within the timeout; see {@link #tryAcquire(int, Duration)}. */
    public Optional<Permit> tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    /**
     * {@code n} permits if granted within {@code timeout}. A zero or negative timeout does not
     * wait; one too long to represent (up to {@code Long.MAX_VALUE} of any unit) waits forever.
     *
     * @throws InterruptedException if interrupted before or while waiting (nothing is lost)
     */
    public Optional<Permit> tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException {
        checkRequest(n);
        return tryAcquireUntil(n, Deadline.after(timeout, unit));
    }

    /** As {@link #tryAcquire(int, long, TimeUnit)}; {@code null} is rejected. */
    public Optional<Permit> tryAcquire(int n, Duration timeout) throws InterruptedException {
        checkRequest(n);
        return tryAcquireUntil(n, Deadline.after(timeout));
    }

    private Optional<Permit> tryAcquireUntil(int n, long deadline) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (!tryTake(n)) {
            if (Deadline.expired(deadline)) return Optional.empty();
            if (!acquireSlow(n, deadline, true)) {
                if (Thread.interrupted()) throw new InterruptedException();
                return Optional.empty();
            }
        }
        if (LockTracking.ENABLED && tracked) TrackedHolds.tryAcquired(this);
        return Optional.of(new Permit(this, n));
    }

    /**
     * {@code n} permits, as a future that completes when they are granted; no thread waits.
     * Async requests are served in order among themselves. Cancelling the future (or completing
     * it yourself, or a timeout from {@code orTimeout}) removes the request and gives back any
     * permits it had absorbed; a future completed with a {@link Permit} owns it. Fails with
     * {@link SemaphoreClosedException} if closed. See the class comment for which thread runs
     * the callbacks.
     */
    public CompletableFuture<Permit> acquireAsync(int n) {
        checkRequest(n);
        return acquireChecked(n);
    }

    /**
     * As {@link #acquireAsync(int)}, but the future is completed by {@code executor}, so the
     * dependent stages attached to it (even without an executor of their own) run there, not on
     * the thread that released the permits (a stage attached after the future completed runs on
     * the attaching thread, as always). Still cancel-safe: a permit that reaches the
     * executor after the future was cancelled, timed out or completed is released. If the
     * executor rejects the task, the future fails with its exception and the permit is released;
     * an executor that accepts the task and drops it ({@code shutdownNow}) loses the permit.
     *
     * @throws NullPointerException if {@code executor} is null (nothing is acquired)
     */
    public CompletableFuture<Permit> acquireAsync(int n, Executor executor) {
        checkRequest(n);
        return OnExecutor.complete(() -> acquireChecked(n), executor);
    }

    private CompletableFuture<Permit> acquireChecked(int n) {
        Waiter w;
        try {
            if (tryTakeUnqueued(n)) return CompletableFuture.completedFuture(new Permit(this, n));
            w = enqueue(n, new CompletableFuture<>());
        } catch (SemaphoreClosedException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (w == null) return CompletableFuture.completedFuture(new Permit(this, n));
        w.future.whenComplete((p, e) -> {
            if (w.status == WAITING) withdraw(w);         // not completed by us: withdraw
        });
        return w.future;
    }

    /** The fast path for threads: takes {@code n} if that many are in the count now. */
    private boolean tryTake(int n) {
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0) throw new SemaphoreClosedException();
            if ((s >> SHIFT) < n) return false;              // under HANDOFF, permits <= 0 (I2)
            if (STATE.weakCompareAndSetAcquire(this, s, s - n * ONE)) return true;
        }
    }

    /** The fast path for async requests: as {@link #tryTake}, but never past a queued request (their order). */
    private boolean tryTakeUnqueued(int n) {
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0) throw new SemaphoreClosedException();
            if ((s >> SHIFT) < n || (s & QUEUED) != 0) return false;
            if (STATE.weakCompareAndSetAcquire(this, s, s - n * ONE)) return true;
        }
    }

    /**
     * True once the permits are taken; false on timeout or interrupt. The caller allocates the
     * Permit, so that its fast and slow paths share one allocation site (two merged ones defeat
     * escape analysis: 24 bytes per contended acquire). Whenever an interrupt ended or
     * interrupted the wait and is not reported by returning false, the interrupt status is set.
     */
    private boolean acquireSlow(int n, long deadline, boolean interruptible) {
        ContendedAcquireEvent e = Jfr.contendedAcquire();     // null unless JFR records it
        if (e == null) return acquireContended(n, deadline, interruptible);
        int outcome = WaitOutcome.CLOSED;                 // unless it returns
        try {
            boolean acquired = acquireContended(n, deadline, interruptible);
            outcome = acquired ? WaitOutcome.DONE
                    : Deadline.expired(deadline) ? WaitOutcome.TIMED_OUT : WaitOutcome.INTERRUPTED;
            return acquired;
        } finally {
            e.end(this, n == 1 ? "1 permit" : n + " permits", null, outcome);
        }
    }

    private boolean acquireContended(int n, long deadline, boolean interruptible) {
        SpinWait spin = new SpinWait();
        while ((state & QUEUED) == 0 && spin.spin()) {          // spin only while nobody is queued
            if (tryTake(n)) return true;
        }
        Waiter w = enqueue(n, null);
        if (w == null) return true;
        if (fair && head == w) {
            // First in line in the fair mode: the permits come to us, likely soon; waiting a
            // bounded moment for them spares both sides the park and the unpark.
            spin.reset();
            while (w.status == WAITING && spin.spin()) { }
        }
        boolean interrupted = false;
        try {
            for (;;) {
                ParkResult r = ParkingLot.park(w, this, () -> w.status == WAITING && !w.awake, null, null,
                        ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
                boolean gaveUp = r instanceof ParkResult.TimedOut || r instanceof ParkResult.Interrupted;
                interrupted |= r instanceof ParkResult.Interrupted;
                if (gaveUp && withdraw(w)) return false;
                switch (w.status) {
                    case GRANTED -> {
                        return true;                         // granted as we gave up: keep it
                    }
                    case FAILED -> throw new SemaphoreClosedException();
                    default -> {
                        if (w.awake && compete(w, n)) return true;
                    }
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();   // never lost, whatever ended the wait
        }
    }

    /**
     * The head, woken in the default mode, tries to take its permits against running threads
     * (a bounded spin). True if it got them and left the queue; false if it must park again
     * (asleep, starving, or failed by close).
     */
    private boolean compete(Waiter w, int n) {
        SpinWait spin = new SpinWait();
        do {
            boolean took;
            try {
                took = tryTake(n);
            } catch (SemaphoreClosedException closed) {
                return false;                                // close() failed us first (I3)
            }
            if (took) {
                lock.lock();
                try {
                    if (w.status == WAITING) {               // else close() failed us after we took: ours still
                        w.awake = false;
                        w.status = GRANTED;                  // I3
                        unlink(w);
                        settle(0);                           // the next head
                    }
                } finally {
                    unlockAndWake();
                }
                return true;
            }
        } while (spin.spin());
        lock.lock();
        try {
            if (w.status == WAITING) {
                w.awake = false;
                settle(0);                                   // asleep with SIGNAL, starving, or awake again
            }
        } finally {
            unlockAndWake();
        }
        return false;
    }

    /** Under lock: takes {@code n} now if allowed, else queues a request and settles the head. */
    private Waiter enqueue(int n, CompletableFuture<Permit> future) {
        Waiter w;
        lock.lock();
        try {
            for (;;) {
                long s = state;
                if ((s & CLOSED) != 0) throw new SemaphoreClosedException();
                if ((s >> SHIFT) < n || (future != null && head != null)) break;   // I2; async order
                if (STATE.compareAndSet(this, s, s - n * ONE)) return null;
            }
            w = new Waiter(n, future);
            w.prev = tail;
            if (tail == null) {
                head = w;
                w.headSince = System.nanoTime();
            } else {
                tail.next = w;
            }
            tail = w;
            queueLength++;
            STATE.getAndBitwiseOr(this, QUEUED);             // I1
            settle(0);
        } finally {
            unlockAndWake();
        }
        return w;
    }

    /** Withdraws a waiting request; false if it was already granted or failed (I3). */
    private boolean withdraw(Waiter w) {
        lock.lock();
        try {
            if (w.status != WAITING) return false;
            w.status = CANCELLED;
            w.awake = false;
            long had = w.requested - w.remaining;
            absorbed -= had;
            unlink(w);
            settle(had);
            return true;
        } finally {
            unlockAndWake();
        }
    }

    // ---------------------------------------------------------------- release

    /** Releases one permit. @see #release(int) */
    public void release() {
        release(1);
    }

    /**
     * Adds {@code n} permits, from any thread, paying any debt first (see {@link #reducePermits})
     * and waking waiters they satisfy. Releases still count after {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if that would exceed the maximum (nothing is released)
     */
    public void release(int n) {
        if (n < 0) throw new IllegalArgumentException("n < 0: " + n);
        give(n);
        if (LockTracking.ENABLED && tracked) TrackedHolds.released(this);   // after: a refused release still holds
    }

    /** The release itself: the fast CAS, or under the lock when a waiter needs the permits. */
    private void give(int n) {
        for (;;) {
            long s = state;
            if ((s & HANDOFF) != 0) {
                releaseSlow(n);
                return;
            }
            long permits = s >> SHIFT;                       // absorbed == 0 without HANDOFF (I4)
            if (permits + n > maximum) throw tooMany(n, permits);
            if (STATE.weakCompareAndSetRelease(this, s, (s + n * ONE) & ~SIGNAL)) {
                if ((s & SIGNAL) != 0) signal();             // I6
                return;
            }
        }
    }

    /** Same as {@link #release(int)}; named for growing a pool's capacity, as tokio's {@code add_permits}. */
    public void addPermits(int n) {
        release(n);
    }

    private void releaseSlow(int n) {
        lock.lock();
        try {
            long held = (state >> SHIFT) + absorbed;
            if (held + n > maximum) throw tooMany(n, held);  // keeps I4
            settle(n);
        } finally {
            unlockAndWake();
        }
    }

    /** A release cleared SIGNAL: the sleeping head must be looked at. */
    private void signal() {
        lock.lock();
        try {
            settle(0);
        } finally {
            unlockAndWake();
        }
    }

    /**
     * Under lock: {@code free} permits (released, or given back by a withdrawn request) go where
     * the head's condition says, the rest to the count; then the head is settled: served
     * directly if starving (HANDOFF), granted if async and the count satisfies it, woken to
     * compete if it is a sleeping thread the count satisfies, or left asleep with SIGNAL.
     */
    @GuardedBy("lock")
    private void settle(long free) {
        for (;;) {
            Waiter h = head;
            if (h != null && (h.starving || (!h.awake
                    && (fair || System.nanoTime() - h.headSince >= FAIR_TIMEOUT_NANOS)))) {
                if (!h.starving) {                           // serve it directly from now on (I2, I5)
                    h.starving = true;
                    for (;;) {
                        long s = state, permits = s >> SHIFT;
                        long next = (Math.min(permits, 0) << SHIFT) | ((s & FLAGS) | HANDOFF) & ~SIGNAL;
                        if (STATE.compareAndSet(this, s, next)) {
                            free += Math.max(permits, 0);
                            break;
                        }
                    }
                }
                while (free > 0) {                           // a debt is paid first
                    long s = state, permits = s >> SHIFT;
                    if (permits >= 0) break;
                    long pay = Math.min(free, -permits);
                    if (STATE.compareAndSet(this, s, s + pay * ONE)) free -= pay;
                }
                long take = Math.min(free, h.remaining);
                h.remaining -= (int) take;
                absorbed += take;
                free -= take;
                if (h.remaining > 0) return;                 // free is 0
                grant(h);
                continue;
            }
            for (;;) {                                       // permits live in the count
                long s = state;
                long flags = h == null ? s & FLAGS & ~(QUEUED | HANDOFF | SIGNAL) : s & FLAGS & ~HANDOFF;
                long next = (((s >> SHIFT) + free) << SHIFT) | flags;
                if (next == s || STATE.compareAndSet(this, s, next)) break;
            }
            free = 0;
            if (h == null || h.awake) return;                // an awake head settles again itself
            long s = state;
            if ((s >> SHIFT) < h.remaining) {
                if (STATE.compareAndSet(this, s, s | SIGNAL)) return;   // I6
                continue;
            }
            if (h.future == null) {
                h.awake = true;
                roused = h;
                STATE.getAndBitwiseAnd(this, ~SIGNAL);
                return;
            }
            if (STATE.compareAndSet(this, s, (s - h.remaining * ONE) & ~SIGNAL)) {
                absorbed += h.remaining;
                h.remaining = 0;
                grant(h);
            }
        }
    }

    /** Under lock: {@code w} has all its permits (absorbed); it leaves the queue, to be woken. */
    @GuardedBy("lock")
    private void grant(Waiter w) {
        unlink(w);
        absorbed -= w.requested;
        w.status = GRANTED;                                  // I3
        addDone(w);
    }

    @GuardedBy("lock")
    private void addDone(Waiter w) {
        if (doneTail == null) doneHead = w; else doneTail.nextDone = w;
        doneTail = w;
    }

    /** Unlocks, then lets go what the critical section granted, failed or woke. */
    private void unlockAndWake() {
        Waiter done = doneHead, r = roused;
        doneHead = doneTail = roused = null;
        lock.unlock();
        if (r != null) ParkingLot.unparkOne(r, u -> ParkingLot.DEFAULT_UNPARK_TOKEN);
        while (done != null) {
            Waiter w = done;
            done = w.nextDone;                               // w is finished (I3): nobody links it again
            if (w.future == null) {
                ParkingLot.unparkOne(w, u -> ParkingLot.DEFAULT_UNPARK_TOKEN);   // the one thread keyed by w
            } else if (w.status == GRANTED) {
                Completions.run(() -> {
                    Permit p = new Permit(this, w.requested);
                    if (!w.future.complete(p)) p.close();    // cancelled as we granted: give back
                });
            } else {
                Completions.run(() -> w.future.completeExceptionally(new SemaphoreClosedException()));
            }
        }
    }

    @GuardedBy("lock")
    private void unlink(Waiter w) {
        Waiter p = w.prev, n = w.next;
        if (p == null) {
            head = n;
            if (n != null) n.headSince = System.nanoTime();  // its fairness clock starts
        } else {
            p.next = n;
        }
        if (n == null) tail = p; else n.prev = p;
        w.prev = null;                                       // w.next stays: an unlocked reader on w goes on
        queueLength--;
    }

    // ---------------------------------------------------------------- close and queries

    /**
     * Closes the semaphore: every waiting acquire fails with {@link SemaphoreClosedException}
     * (the permits they had absorbed return to the count), and so does every later one. Releases
     * still count.
     *
     * @return true if this call closed it, false if it was closed already
     */
    public boolean close() {
        lock.lock();
        try {
            if ((state & CLOSED) != 0) return false;         // only set here, under the lock
            long returned = absorbed;
            for (Waiter w = head; w != null; w = w.next) {
                w.status = FAILED;                           // I3
                addDone(w);
            }
            head = tail = null;
            absorbed = 0;
            queueLength = 0;
            for (;;) {
                long s = state;
                long next = ((s & ~FLAGS) + returned * ONE) | CLOSED;   // keeps I1, I2
                if (STATE.compareAndSet(this, s, next)) break;
            }
            return true;
        } finally {
            unlockAndWake();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /** Whether this semaphore is strictly FIFO ({@code new Semaphore(n, true)}). */
    public boolean isFair() {
        return fair;
    }

    /**
     * Permits available now (a snapshot; negative while a debt is owed; permits absorbed by a
     * request being served directly are not counted).
     */
    public int availablePermits() {
        return (int) (state >> SHIFT);
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
            long take = Math.max(0, Math.min(n, s >> SHIFT));
            if (take == 0 || STATE.weakCompareAndSet(this, s, s - take * ONE)) return (int) take;
        }
    }

    /**
     * Takes every available permit for good and returns how many (as java.util.concurrent's
     * {@code drainPermits}: a debt is forgiven, and returned as a negative number).
     */
    public int drainPermits() {
        for (;;) {
            long s = state;
            long permits = s >> SHIFT;
            if (permits == 0 || STATE.weakCompareAndSet(this, s, s & FLAGS)) return (int) permits;
        }
    }

    /**
     * Shrinks the pool by {@code reduction} permits without waiting, even below zero: a debt that
     * later releases pay before anyone is granted (java.util.concurrent's {@code reducePermits},
     * public here). Use it to shrink a pool whose permits are in use.
     *
     * @throws IllegalArgumentException if {@code reduction} is negative, or would take the count
     *                                  below {@link Integer#MIN_VALUE} (nothing is reduced)
     */
    public void reducePermits(int reduction) {
        if (reduction < 0) throw new IllegalArgumentException("reduction < 0: " + reduction);
        for (;;) {
            long s = state;
            long permits = s >> SHIFT;
            if (permits - reduction < Integer.MIN_VALUE) {
                throw new IllegalArgumentException("reducing " + permits + " permits by " + reduction
                        + " would go below " + Integer.MIN_VALUE);
            }
            if (STATE.weakCompareAndSet(this, s, s - reduction * ONE)) return;
        }
    }

    /** How many requests (threads and async) wait: a snapshot, for monitoring; never blocks. */
    public int getQueueLength() {
        return queueLength;
    }

    /** Whether any request (a thread or an async one) waits: a snapshot; never blocks. */
    public boolean hasQueuedThreads() {
        return (state & QUEUED) != 0;
    }

    /**
     * The threads waiting to acquire, first in line first (async requests are not threads and
     * are left out): a best-effort snapshot, for monitoring; never blocks.
     */
    public Collection<Thread> getQueuedThreads() {
        ArrayList<Thread> threads = new ArrayList<>();
        for (Waiter w = head; w != null; w = w.next) {
            if (w.thread != null && w.status == WAITING) threads.add(w.thread);
        }
        return threads;
    }

    private void checkRequest(int n) {
        if (n < 0) throw new IllegalArgumentException("n < 0: " + n);
        if (n > maximum) throw new IllegalArgumentException("n = " + n + " can never be granted: maximum is " + maximum);
    }

    private IllegalStateException tooMany(int n, long held) {
        return new IllegalStateException("releasing " + n + " would exceed the maximum " + maximum
                + " (" + held + " held by the semaphore)");
    }

    /** Permits, queue length, mode and closed state: a snapshot that never blocks. */
    @Override
    public String toString() {
        long s = state;
        return Names.describe(this) + "[permits=" + (s >> SHIFT) + ", queued=" + queueLength
                + (fair ? ", fair" : "") + ((s & CLOSED) != 0 ? ", closed" : "") + "]";
    }

    /**
     * Names this semaphore for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * semaphore, so a field can be named where it is created:
     * {@code private final Semaphore connections = new Semaphore(10).named("db-connections");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this semaphore already has another name
     */
    public Semaphore named(String name) {
        return Names.name(this, name);
    }

    /** This semaphore's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
