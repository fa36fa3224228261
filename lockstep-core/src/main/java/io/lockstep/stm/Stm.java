package io.lockstep.stm;

import io.lockstep.internal.jfr.Jfr;
import io.lockstep.internal.jfr.StmRetryEvent;
import io.lockstep.lock.RawMutex;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * Software transactional memory: run a block of reads and writes of {@link TVar}s as one atomic,
 * isolated step, composable with other such blocks, without naming any lock.
 *
 * <pre>{@code
 * TVar<Integer> from = new TVar<>(100), to = new TVar<>(0);
 *
 * // move 30, waiting until the funds are there
 * Stm.run(txn -> {
 *     int balance = txn.get(from);
 *     if (balance < 30) Stm.retry();           // blocks until `from` changes, then re-runs
 *     txn.set(from, balance - 30);
 *     txn.set(to, txn.get(to) + 30);
 * });
 *
 * // take from whichever account can pay
 * int paidBy = Stm.atomically(Stm.orElse(
 *         txn -> { pay(txn, a); return 1; },
 *         txn -> { pay(txn, b); return 2; }));
 * }</pre>
 * Compared with locks: no lock order to get wrong, no deadlock, and two transfers compose into
 * one atomic transfer just by calling them inside one {@code atomically}.
 *
 * <p><b>Semantics.</b>
 * <ul>
 *   <li><i>Opacity</i>: a running body sees every TVar at one consistent moment, even in an
 *       attempt that will abort; it never needs to defend against impossible states.</li>
 *   <li><i>Re-execution</i>: a body whose snapshot was invalidated by another commit is run
 *       again, so it must not have effects outside TVars.</li>
 *   <li><i>Exceptions</i>: an exception thrown by the body aborts the transaction, leaves every
 *       TVar unchanged, and propagates.</li>
 *   <li><i>{@link #retry()}</i> abandons the attempt and blocks (parked, not spinning) until a
 *       TVar it read is changed by a commit, then runs the body again (Haskell's retry).</li>
 *   <li><i>{@link #orElse}</i> runs the first alternative; if it retries, its writes are undone
 *       and the second runs; if both retry, the whole transaction waits on everything both
 *       read.</li>
 *   <li><i>Nesting</i>: {@code atomically} inside a transaction joins it (commits with it); if
 *       the inner body throws, its own writes are undone before the exception propagates.</li>
 *   <li><i>Progress</i>: a transaction that keeps losing conflicts (16 attempts) runs once
 *       more irrevocably: it locks each TVar as it touches it and cannot abort, one such
 *       transaction at a time. So every transaction finishes, and there is no livelock.</li>
 * </ul>
 *
 * <p><b>Memory effects.</b> Everything a transaction did before it committed happens-before
 * every transaction that reads a value it wrote, and the return of every {@code atomically}
 * whose result depends on it.
 */
public final class Stm {
    /*
     * Implementation notes.
     *
     * Based on: TL2 (Dice, Shalev, Shavit 2006) for the transactions themselves (see Txn);
     * Haskell's STM (Harris, Marlow, Peyton Jones, Herlihy, "Composable Memory Transactions",
     * 2005) for retry, orElse and their blocking semantics; Clojure's commute.
     *
     * The driver loop: run the body in a fresh Txn; commit; on CONFLICT wait until the TVar whose
     * lock caused it is released (TVar.awaitUnlocked parks) and run again; on RETRY, register a
     * RetryWaiter on every TVar read, re-check them, and park until a commit wakes it.
     * Invariants:
     *   I1  At most one irrevocable transaction runs at a time (IRREVOCABLE, a RawMutex), so two
     *       of them, each waiting for the other's TVar locks, cannot deadlock; optimistic commits
     *       never wait while holding locks.
     *   I2  BUFFERS.current is set exactly while a body runs on this thread, so nested calls
     *       join it.
     *   I3  The thread-local is set once per thread and never removed: set/remove per
     *       transaction allocated a ThreadLocalMap entry (a WeakReference) every time.
     * Performance: the uncontended fast path allocates nothing of its own: read and write sets
     *   live in per-thread buffers reused by every attempt, and so does the optimistic Txn
     *   handle (Txn's I5); run() calls the action directly rather than through an adapter
     *   lambda. (StmBench's transfer still allocates its capturing lambda and boxed Integers.) Before that, each
     *   transaction allocated ~490 bytes (two ArrayLists, a long[], an entry per write, a
     *   ThreadLocal entry) and ran at ~1/3 the speed of the reuse version (StmBench, 2 threads).
     * Tried and rejected: exponential back-off between attempts (it only delays; the first
     *   conflict on a lock already waits for that lock, and the irrevocable fall-back bounds the
     *   rest); a global commit lock for irrevocability (every commit would touch one shared line).
     */
    /** Optimistic attempts that may end in a conflict before the irrevocable fall-back. */
    static final int OPTIMISTIC_ATTEMPTS = 16;

    /** This thread's reusable transaction buffers; {@code current} is the running Txn (I2, I3). */
    private static final ThreadLocal<Txn.Buffers> BUFFERS = ThreadLocal.withInitial(Txn.Buffers::new);
    private static final RawMutex IRREVOCABLE = new RawMutex();

    private Stm() {}

    /**
     * Runs {@code body} as one atomic transaction and returns its result. Inside a running
     * transaction, joins it instead.
     *
     * @throws CancellationException if the thread was interrupted while blocked in
     *                               {@link #retry()} (its interrupt status stays set)
     * @throws IllegalStateException if the body calls {@link #retry()} before reading any TVar
     */
    public static <R> R atomically(TxnFunction<R> body) {
        Objects.requireNonNull(body, "body");
        return execute(body, null);
    }

    /** Runs {@code body} as one atomic transaction; see {@link #atomically}. */
    public static void run(TxnAction body) {
        Objects.requireNonNull(body, "body");
        execute(null, body);
    }

    /** The driver: runs exactly one of {@code function} and {@code action} (no adapter to allocate). */
    @SuppressWarnings("unchecked")
    private static <R> R execute(TxnFunction<R> function, TxnAction action) {
        Txn.Buffers buffers = BUFFERS.get();
        Txn outer = buffers.current;
        if (outer != null) return joined(outer, function != null ? function : asFunction(action));
        Txn txn = null;
        try {
            int conflicts = 0;
            for (;;) {
                boolean irrevocable = conflicts >= OPTIMISTIC_ATTEMPTS;
                Signal signal;
                if (irrevocable) IRREVOCABLE.lock();
                try {
                    txn = irrevocable ? new Txn(true, buffers) : Txn.optimistic(buffers);
                    buffers.current = txn;
                    try {
                        R result;
                        if (function != null) {
                            result = function.apply(txn);
                        } else {
                            action.run(txn);
                            result = null;
                        }
                        txn.commit();
                        return result;
                    } catch (Signal s) {
                        signal = s;
                    } catch (RuntimeException | Error e) {
                        signal = txn.pendingSignal();                // a body that swallowed a signal
                        if (signal == null) {
                            txn.abort();
                            throw e;
                        }
                    }
                    txn.abort();
                } finally {
                    buffers.current = null;
                    if (irrevocable) IRREVOCABLE.unlock();
                }
                if (signal == Signal.RETRY) {
                    conflicts = 0;
                    StmRetryEvent e = Jfr.stmRetry();             // null unless JFR records it
                    boolean changed = txn.awaitChange();
                    if (e != null) e.end(changed);
                    if (!changed) throw new CancellationException("interrupted while waiting in retry()");
                } else {
                    conflicts++;
                    Jfr.stmConflict(conflicts, conflicts >= OPTIMISTIC_ATTEMPTS);
                    txn.awaitBlocker();
                }
            }
        } finally {
            buffers.current = null;
            if (txn != null) txn.release();
        }
    }

    private static <R> TxnFunction<R> asFunction(TxnAction action) {
        return txn -> {
            action.run(txn);
            return null;
        };
    }

    /**
     * Abandons the current attempt and blocks until a TVar it read changes, then runs the
     * transaction again. Inside {@link #orElse}'s first alternative, switches to the second.
     * Never returns normally.
     *
     * @throws IllegalStateException outside a transaction
     */
    public static <R> R retry() {
        Txn txn = BUFFERS.get().current;
        if (txn == null) throw new IllegalStateException("retry() outside a transaction");
        throw txn.signal(Signal.RETRY);
    }

    /**
     * A body that runs {@code first}; if {@code first} calls {@link #retry()}, undoes its writes
     * and runs {@code second} instead. If both retry, the transaction waits until anything either
     * read changes. Exceptions and conflicts pass through.
     */
    public static <R> TxnFunction<R> orElse(TxnFunction<R> first, TxnFunction<R> second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        return txn -> {
            Txn.Savepoint sp = txn.savepoint();
            try {
                return first.apply(txn);
            } catch (Signal s) {
                if (s != Signal.RETRY) throw s;
                txn.rollbackTo(sp);
                return second.apply(txn);
            }
        };
    }

    /** The transaction running on this thread, or null. */
    static Txn current() {
        return BUFFERS.get().current;
    }

    /** A nested atomically: part of {@code txn}; undoes its own writes if it throws. */
    private static <R> R joined(Txn txn, TxnFunction<R> body) {
        Txn.Savepoint sp = txn.savepoint();
        try {
            return body.apply(txn);
        } catch (Signal s) {
            throw s;
        } catch (RuntimeException | Error e) {
            if (txn.pendingSignal() == null) txn.rollbackTo(sp);
            throw e;
        }
    }
}
