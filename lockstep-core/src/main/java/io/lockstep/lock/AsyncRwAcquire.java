package io.lockstep.lock;

import io.lockstep.internal.Completions;
import io.lockstep.park.AsyncWait;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * One async acquisition of a {@link RawRwLock} (read, write or upgradable): a future for the
 * guard, and the request that waits in the lock's lines in the parking lot until it gets its hold.
 *
 * <pre>{@code
 * CompletableFuture<G> f = AsyncRwAcquire.start(rw, RawRwLockGuard.Mode.WRITE, guard -> wrap(guard));
 * }</pre>
 */
final class AsyncRwAcquire<G> implements LongConsumer, BiConsumer<G, Throwable> {
    /*
     * Implementation notes.
     *
     * Phases: READ (queued on the lock with the parked readers; a writer's release lets it in by
     * hand-off, counting it, I4), EXCLUSIVE (queued on writeView with writers and upgradable
     * readers; woken to retry, never handed the lock) and, for a writer, DRAIN (WRITER reserved,
     * queued on readView until the readers leave). A step runs on the caller, then once per
     * wake-up (through Completions, on the waker's thread after it released the bucket), so steps
     * never overlap; `revoked` and `parkedAt` are written by steps only and published to the
     * canceller by the volatile write of `queued`.
     *
     * Cancel-safety, as AsyncAcquire: the future and the parking lot race, and the bucket lock
     * decides. Whoever settles the future runs accept(v, e), which cancels the queued wait; the
     * one whose cancel succeeds (it or the step that re-checks the future after queuing: Dekker
     * on the two volatiles) does what a thread that gives up does in that phase: nothing for a
     * reader, wake stranded readers for a writer (I3), give the reservation up for a drainer
     * (B3). If a waker won, the step sees the future done: a reader or writer that was only
     * woken takes nothing (a writer that can take the lock takes it, so as not to swallow the
     * wake-up, and hands it on below), a hold that was taken is granted, and grant's complete
     * fails, so the guard is closed: released or handed on exactly once.
     */
    private static final int READ = 0, EXCLUSIVE = 1, DRAIN = 2;

    /** A queued wait and the phase it belongs to (what a successful cancel must undo). */
    private record Queued(AsyncWait handle, int phase) {}

    private final RawRwLock lock;
    private final RawRwLockGuard.Mode mode;
    private final Function<RawRwLockGuard, G> wrap;
    /** The thread that asked: the guard's holder in reports. */
    private final Thread requester = Thread.currentThread();
    final CompletableFuture<G> future = new CompletableFuture<>();
    private volatile Queued queued;
    private volatile G granted;
    /** The phase the next wake-up belongs to; written by steps only. */
    private int phase;
    /** Whether taking WRITER revoked the reader bias (so the drain waits for biased readers too). */
    private boolean revoked;
    /** nanoTime of the first drain wait, 0 if none (for the bias policy, as a thread's drain). */
    private long parkedAt;

    private AsyncRwAcquire(RawRwLock lock, RawRwLockGuard.Mode mode, Function<RawRwLockGuard, G> wrap) {
        this.lock = lock;
        this.mode = mode;
        this.wrap = wrap;
        this.phase = mode == RawRwLockGuard.Mode.READ ? READ : EXCLUSIVE;
    }

    /**
     * Starts a request. {@code wrap} turns the held guard into the future's value; it may throw
     * (a poisoned RwLock), after closing the guard itself, to fail the future instead.
     */
    static <G> CompletableFuture<G> start(RawRwLock lock, RawRwLockGuard.Mode mode, Function<RawRwLockGuard, G> wrap) {
        AsyncRwAcquire<G> req = new AsyncRwAcquire<>(lock, mode, wrap);
        req.step(RawRwLock.TOKEN_NORMAL);
        if (!req.future.isDone()) req.future.whenComplete(req);
        return req.future;
    }

    /** The parking lot woke us (after releasing the bucket). */
    @Override
    public void accept(long token) {
        Completions.run(() -> step(token));
    }

    /** The future completed: if not by us, leave the line (or, if too late, the step hands the hold on). */
    @Override
    public void accept(G value, Throwable failure) {
        if (failure == null && value != null && value == granted) return;
        Queued q = queued;
        if (q != null) leave(q);
    }

    /** Takes the hold, or queues for it; see the notes for what a settled future changes. */
    private void step(long token) {
        for (;;) {
            switch (phase) {
                case READ -> {
                    if (token == RawRwLock.TOKEN_HANDOFF) {          // a writer's release counted us (I4)
                        grant();
                        return;
                    }
                    if (future.isDone()) return;                          // woken only: we hold nothing
                    if (lock.tryReadCounted()) {
                        grant();
                        return;
                    }
                    AsyncWait w = lock.enqueueRead(this);
                    if (w != null) {
                        queue(w);
                        return;
                    }
                }
                case EXCLUSIVE -> {
                    int replaced = lock.tryTakeExclusive(mode == RawRwLockGuard.Mode.WRITE ? RawRwLock.WRITER : RawRwLock.UPGRADABLE);
                    if (replaced >= 0) {
                        if (mode == RawRwLockGuard.Mode.UPGRADABLE) {
                            grant();
                            return;
                        }
                        revoked = RawRwLock.revokedBias(replaced);
                        phase = DRAIN;
                        continue;
                    }
                    if (future.isDone()) {                                // blocked, and nobody waits any more
                        lock.exclusiveGivenUp();
                        return;
                    }
                    AsyncWait w = lock.enqueueExclusive(this);
                    if (w != null) {
                        queue(w);
                        return;
                    }
                }
                default -> {                                              // DRAIN: WRITER is ours
                    if (lock.drainedAsync(revoked)) {
                        lock.drainedByGuard(revoked, parkedAt);
                        grant();
                        return;
                    }
                    if (future.isDone()) {
                        lock.reservationGivenUp(revoked);
                        return;
                    }
                    if (parkedAt == 0) parkedAt = System.nanoTime() | 1;
                    AsyncWait w = lock.enqueueDrain(revoked, this);
                    if (w != null) {
                        queue(w);
                        return;
                    }
                }
            }
            token = RawRwLock.TOKEN_NORMAL;                         // the state moved: look again
        }
    }

    /** Publishes the wait, then re-checks the future (Dekker with accept). */
    private void queue(AsyncWait w) {
        Queued q = new Queued(w, phase);
        queued = q;
        if (future.isDone()) leave(q);
    }

    /** Cancels {@code q}; if this call took it out of the line, undoes what its phase holds back. */
    private void leave(Queued q) {
        if (q.phase() == READ) lock.cancelRead(q.handle());
        else if (q.phase() == EXCLUSIVE) lock.cancelExclusive(q.handle());
        else lock.cancelDrain(q.handle(), revoked);
    }

    /** We hold the lock in our mode: give the guard to the future, or release it if nobody wants it. */
    private void grant() {
        RawRwLockGuard guard = new RawRwLockGuard(lock, mode, requester);
        lock.guardAcquired(guard);
        G value;
        try {
            value = wrap.apply(guard);                                   // on failure wrap has closed the guard
        } catch (Throwable t) {
            future.completeExceptionally(t);
            return;
        }
        granted = value;
        if (!future.complete(value)) guard.close();                      // cancelled, timed out or completed: hand on
    }
}
