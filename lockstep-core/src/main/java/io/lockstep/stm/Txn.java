package io.lockstep.stm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A running transaction: the handle a body reads and writes {@link TVar}s through. It is valid
 * only inside the {@link Stm#atomically} call that passed it, on that call's thread.
 *
 * <pre>{@code
 * Stm.run(txn -> {
 *     int stock = txn.get(inventory);
 *     if (stock == 0) Stm.retry();                  // wait for a restock
 *     txn.set(inventory, stock - 1);
 *     txn.commute(sold, n -> n + 1);                // no conflict with other sellers
 * });
 * }</pre>
 *
 * <p><b>Memory effects.</b> As {@link TVar}: every value a transaction reads was committed by a
 * transaction whose actions happen-before the read.
 */
public final class Txn {
    /*
     * Implementation notes.
     *
     * Based on: TL2 (Dice, Shalev, Shavit, "Transactional Locking II", DISC 2006): a global
     * version clock, invisible reads validated against the read version `rv`, buffered writes,
     * locks taken only at commit. Differences: a read that finds a newer version tries to extend
     * the snapshot (revalidating the read set at the current clock, as LSA/TinySTM do) before
     * aborting; commute entries (Clojure's commute) are applied under the commit locks;
     * an irrevocable mode locks every TVar on first access, so it cannot abort.
     *
     * State: reads (TVar, version seen); writes (entries with a buffered value and/or pending
     *   commute functions), indexed by an identity map once large.
     * Invariants:
     *   I1  Opacity: every read returns a value committed at a version <= rv, and every earlier
     *       read is still valid at rv (extension revalidates before moving rv). So the body sees
     *       one consistent snapshot, even in an attempt that later aborts.
     *   I2  No TVar changes before commit: writes are buffered; an abort or exception drops them.
     *   I3  Commit: lock the write set (any lock held by another aborts), take wv = tick(),
     *       revalidate reads unless wv == rv + 1, write, release at wv. Locks are never waited
     *       for while others are held, so commits cannot deadlock.
     *   I4  Irrevocable: every TVar touched is locked on first access (one irrevocable
     *       transaction at a time, Stm's gate), so no commit can invalidate what it read.
     *   I5  The read and write sets live in the thread's Buffers, reused by its transactions:
     *       a Txn uses them from construction until release() (the next attempt's Txn releases
     *       the previous one; atomically releases the last), and only while buf.user == this.
     *       A Txn handle leaked out of its attempt has active == false, so it never touches
     *       buffers that now belong to another attempt. Release nulls the references (no
     *       retained values) and drops arrays over MAX_KEPT. The optimistic handle itself is
     *       reused too (Buffers.spare, optimistic()): it is inactive between attempts, so a
     *       handle leaked out of a transaction still fails outside one; used inside a later
     *       transaction of the same thread it is that transaction's handle (the same thing a
     *       nested atomically would get). Irrevocable attempts, rare, get a fresh one.
     *   I6  Extension validates the read that triggered it too: that read's re-check came before
     *       `now` was taken, so a commit between the two could have overwritten it (and other
     *       TVars) at a version <= now; the old value would then sit in a snapshot at `now`.
     *       (Found by StmStressTest's opacity check, about 1 run in 4, before the fix.)
     *   I7  An optimistic attempt starts at rv = the newest clock value its thread has seen (its
     *       last commit's wv or extension), not at a fresh read of the clock. Any clock value
     *       read before the attempt began is a sound rv: a commit with wv <= rv ticked before
     *       the attempt began, holding the locks of its whole write set, so each of its writes
     *       is either visible to our reads or seen locked (abort). A stale rv only means a read
     *       of a newer TVar extends (one clock read then, instead of one per attempt; at most
     *       one extension more than a fresh rv, since after it rv is past the attempt's start),
     *       and the rv + 1 == wv skip of I3 still proves that no other commit ticked since rv.
     *       Why: the clock's line is written by every commit, so reading it to begin was a cache
     *       miss per transaction (StmBench profile: ~6 % in the read, and it turned the commit's
     *       increment into a second transfer of the line).
     */
    private static final int INDEX_THRESHOLD = 8;
    /** Buffers larger than this are dropped, not kept for the thread's next transaction. */
    private static final int MAX_KEPT = 1024;

    /** A buffered write: a value, and/or commute functions to apply at commit. */
    private static final class WriteEntry {
        TVar<Object> var;
        Object value;
        boolean hasValue;
        List<UnaryOperator<Object>> commutes;                    // null when none pending
        long lockedWord = -1;                                    // the word before our lock; -1: not locked

        void reset(TVar<Object> v) {
            var = v;
            value = null;
            hasValue = false;
            commutes = null;
            lockedWord = -1;
        }

        WriteEntry copy() {
            WriteEntry c = new WriteEntry();
            c.var = var;
            c.value = value;
            c.hasValue = hasValue;
            c.commutes = commutes == null ? null : new ArrayList<>(commutes);
            return c;
        }

        void restore(WriteEntry c) {
            value = c.value;
            hasValue = c.hasValue;
            commutes = c.commutes == null ? null : new ArrayList<>(c.commutes);
            lockedWord = -1;
        }
    }

    /** A snapshot of the write set, for orElse and nested transactions (closed nesting). */
    record Savepoint(WriteEntry[] writes) {}

    /**
     * The per-thread buffers every transaction of a thread reuses (I5), and the transaction
     * running on it (Stm's CURRENT).
     */
    static final class Buffers {
        Txn current;
        TVar<?>[] readVars = new TVar<?>[8];
        long[] readVersions = new long[8];
        WriteEntry[] writes = new WriteEntry[4];
        /** The Txn whose attempt last used these buffers; only it may read them (I5). */
        Txn user;
        /** The optimistic Txn handle reused by this thread's attempts (I5). */
        Txn spare;
        /** The newest clock value this thread has read or ticked: the next attempt's rv (I7). */
        long clock;

        /** Drops references to TVars and values (and oversized arrays), after an attempt. */
        void clear(int reads, int writeCount) {
            if (readVars.length > MAX_KEPT) {
                readVars = new TVar<?>[8];
                readVersions = new long[8];
            } else {
                Arrays.fill(readVars, 0, reads, null);
            }
            if (writes.length > MAX_KEPT) {
                writes = new WriteEntry[4];
            } else {
                for (int i = 0; i < writeCount; i++) writes[i].reset(null);
            }
            user = null;
        }
    }

    private final Thread owner = Thread.currentThread();
    private final boolean irrevocable;
    private final Buffers buf;
    private long rv;
    private boolean active = true;
    /** Set when a signal was thrown: a body that swallowed it must not commit. */
    private Signal pendingSignal;
    private TVar<?> blocker;                                     // the locked TVar that aborted us
    private int nReads, nWrites;                                 // in buf.readVars / buf.writes
    private Map<TVar<?>, WriteEntry> index;                      // null below INDEX_THRESHOLD
    /** Irrevocable mode: every TVar locked so far, with its word before the lock (I4). */
    private final Map<TVar<?>, Long> locked;

    Txn(boolean irrevocable, Buffers buf) {
        this.irrevocable = irrevocable;
        Txn previous = buf.user;
        if (previous != null) {
            if (previous.active) buf = new Buffers();            // cannot happen (Stm runs one at a time); be safe
            else previous.release();
        }
        this.buf = buf;
        buf.user = this;
        this.locked = irrevocable ? new IdentityHashMap<>() : null;
        this.rv = VersionClock.now();
    }

    /**
     * Stm: the Txn for a new optimistic attempt: the thread's reused handle (I5), or a new one
     * the first time (or, defensively, while another attempt still uses the buffers).
     */
    static Txn optimistic(Buffers buf) {
        Txn t = buf.spare, previous = buf.user;
        if (t == null || (previous != null && previous.active)) {
            t = new Txn(false, buf);
            if (t.buf == buf) buf.spare = t;
            return t;
        }
        if (previous != null) previous.release();
        buf.user = t;
        t.rv = buf.clock;                                        // I7: no clock access to begin
        t.active = true;
        return t;
    }

    /** Stm, once the attempt (and any wait after it) is over: hands the buffers back (I5). */
    void release() {
        pendingSignal = null;
        blocker = null;
        if (buf.user != this) return;
        buf.clear(nReads, nWrites);
        nReads = nWrites = 0;
        index = null;
    }

    // ---------------------------------------------------------------- the API

    /** The value of {@code var} in this transaction. */
    @SuppressWarnings("unchecked")
    public <T> T get(TVar<T> var) {
        checkUsable(var);
        WriteEntry e = find(var);
        if (e == null) return irrevocable ? readLocked(var) : readShared(var);
        if (!e.hasValue) materialize(e);
        return (T) e.value;
    }

    /** Writes {@code value} to {@code var}; visible to others only when the transaction commits. */
    public <T> void set(TVar<T> var, T value) {
        checkUsable(var);
        WriteEntry e = entry(var);
        e.value = value;
        e.hasValue = true;
        e.commutes = null;
    }

    /** Reads {@code var}, writes {@code function} of it, and returns the new value. */
    public <T> T update(TVar<T> var, UnaryOperator<T> function) {
        Objects.requireNonNull(function, "function");
        T next = function.apply(get(var));
        set(var, next);
        return next;
    }

    /**
     * Applies {@code function} to {@code var} at commit time, without reading it now: two
     * transactions that only commute the same TVar (counters, sums) do not conflict. If this
     * transaction reads {@code var} later, the pending functions are applied then, and the read
     * conflicts as usual. The function runs while the commit holds its locks: it must be short,
     * side-effect free and must not block; if it throws, the transaction aborts with it.
     */
    @SuppressWarnings("unchecked")
    public <T> void commute(TVar<T> var, UnaryOperator<T> function) {
        Objects.requireNonNull(function, "function");
        checkUsable(var);
        WriteEntry e = entry(var);
        if (e.hasValue) {
            e.value = function.apply((T) e.value);
        } else {
            if (e.commutes == null) e.commutes = new ArrayList<>(2);
            e.commutes.add((UnaryOperator<Object>) function);
        }
    }

    /** Whether this transaction runs irrevocably (the contention policy's fall-back). */
    public boolean isIrrevocable() {
        return irrevocable;
    }

    // ---------------------------------------------------------------- reads

    private <T> T readShared(TVar<T> var) {
        for (;;) {
            long pre = var.lockWord();
            if (TVar.isLocked(pre)) throw conflict(var);
            T value = var.valueRelaxed();
            if (var.lockWord() != pre) continue;                 // a commit slipped in: read again
            recordRead(var, pre);                                // before extend: it validates this read too (I6)
            if (TVar.version(pre) > rv && !extend()) throw conflict(null);
            return value;                                        // keeps I1
        }
    }

    private <T> T readLocked(TVar<T> var) {
        recordRead(var, locked.get(var));                        // checkUsable locked it (I4)
        return var.valueRelaxed();
    }

    private void recordRead(TVar<?> var, long word) {
        int n = nReads;
        Buffers b = buf;
        if (n == b.readVars.length) {
            b.readVars = Arrays.copyOf(b.readVars, n * 2);
            b.readVersions = Arrays.copyOf(b.readVersions, n * 2);
        }
        b.readVars[n] = var;
        b.readVersions[n] = TVar.version(word);
        nReads = n + 1;
    }

    /** Moves rv to the current clock if every read so far is still valid there (keeps I1). */
    private boolean extend() {
        long now = buf.clock = VersionClock.now();               // a sound rv even if we abort (I7)
        if (!readsValid()) return false;
        rv = now;
        return true;
    }

    /** Whether every recorded read still holds its version (locked only by this commit). */
    private boolean readsValid() {
        TVar<?>[] vars = buf.readVars;
        long[] versions = buf.readVersions;
        for (int i = 0, n = nReads; i < n; i++) {
            TVar<?> var = vars[i];
            long word = var.lockWord();
            if (TVar.isLocked(word)) {
                WriteEntry mine = find(var);
                if (mine == null || mine.lockedWord < 0 || TVar.version(mine.lockedWord) != versions[i]) return false;
            } else if (TVar.version(word) != versions[i]) {
                return false;
            }
        }
        return true;
    }

    /** A read of a commuted TVar: the pending functions apply to the value read now. */
    private void materialize(WriteEntry e) {
        applyCommutes(e, irrevocable ? readLocked(e.var) : readShared(e.var));
    }

    private static void applyCommutes(WriteEntry e, Object base) {
        Object v = base;
        for (UnaryOperator<Object> f : e.commutes) v = f.apply(v);
        e.value = v;
        e.hasValue = true;
        e.commutes = null;
    }

    // ---------------------------------------------------------------- the write set

    private WriteEntry find(TVar<?> var) {
        if (index != null) return index.get(var);
        WriteEntry[] w = buf.writes;
        for (int i = 0, n = nWrites; i < n; i++) {
            WriteEntry e = w[i];
            if (e.var == var) return e;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private WriteEntry entry(TVar<?> var) {
        WriteEntry e = find(var);
        if (e != null) return e;
        Buffers b = buf;
        int n = nWrites;
        if (n == b.writes.length) b.writes = Arrays.copyOf(b.writes, n * 2);
        e = b.writes[n];
        if (e == null) b.writes[n] = e = new WriteEntry();
        e.reset((TVar<Object>) var);
        nWrites = n + 1;
        if (index != null) {
            index.put(var, e);
        } else if (nWrites > INDEX_THRESHOLD) {
            reindex();
        }
        return e;
    }

    private void reindex() {
        index = null;
        if (nWrites <= INDEX_THRESHOLD) return;
        index = new IdentityHashMap<>();
        for (int i = 0; i < nWrites; i++) index.put(buf.writes[i].var, buf.writes[i]);
    }

    Savepoint savepoint() {
        WriteEntry[] copy = new WriteEntry[nWrites];
        for (int i = 0; i < copy.length; i++) copy[i] = buf.writes[i].copy();
        return new Savepoint(copy);
    }

    /**
     * Drops every write made since {@code sp} (reads stay: a later retry waits on them too).
     * Entries are only ever appended, so entry i still belongs to the TVar of the copy i.
     */
    void rollbackTo(Savepoint sp) {
        WriteEntry[] saved = sp.writes();
        for (int i = 0; i < saved.length; i++) buf.writes[i].restore(saved[i]);
        for (int i = saved.length; i < nWrites; i++) buf.writes[i].reset(null);
        nWrites = saved.length;
        reindex();
        pendingSignal = null;
    }

    // ---------------------------------------------------------------- signals and checks

    private void checkUsable(TVar<?> var) {
        Objects.requireNonNull(var, "var");
        if (Thread.currentThread() != owner) throw new IllegalStateException("a Txn belongs to the thread running it");
        if (!active) throw new IllegalStateException("the transaction has ended");
        if (irrevocable && !locked.containsKey(var)) locked.put(var, var.lockBlocking());   // I4
    }

    private Signal conflict(TVar<?> lockedBy) {
        blocker = lockedBy;
        return signal(Signal.CONFLICT);
    }

    Signal signal(Signal s) {
        pendingSignal = s;
        return s;
    }

    /** The signal the body received and may have swallowed, or null. */
    Signal pendingSignal() {
        return pendingSignal;
    }

    // ---------------------------------------------------------------- commit and abort

    /** Publishes the writes (I3); throws {@link Signal#CONFLICT} after undoing, if it cannot. */
    void commit() {
        if (pendingSignal != null) throw pendingSignal;          // the body swallowed it
        if (irrevocable) {
            commitIrrevocably();
            return;
        }
        active = false;
        if (nWrites == 0) return;                                // read-only: valid at rv (I1)
        WriteEntry[] writes = buf.writes;
        for (int i = 0, n = nWrites; i < n; i++) {
            WriteEntry e = writes[i];
            long w = e.var.lockWord();
            if (!e.var.tryLock(w)) {
                releaseUnchanged();
                throw conflict(e.var);
            }
            e.lockedWord = w;
        }
        long wv = buf.clock = VersionClock.tick();
        if (wv != rv + 1 && !readsValid()) {
            releaseUnchanged();
            throw conflict(null);
        }
        publish(wv);
    }

    private void commitIrrevocably() {
        active = false;
        for (int i = 0; i < nWrites; i++) buf.writes[i].lockedWord = locked.get(buf.writes[i].var);
        publish(VersionClock.tick());
        for (Map.Entry<TVar<?>, Long> l : locked.entrySet()) {
            if (find(l.getKey()) == null) l.getKey().unlock(TVar.version(l.getValue()));   // read only
        }
        locked.clear();
    }

    private void publish(long wv) {
        WriteEntry[] writes = buf.writes;
        int n = nWrites;
        try {
            for (int i = 0; i < n; i++) {
                WriteEntry e = writes[i];
                if (!e.hasValue) applyCommutes(e, e.var.valueRelaxed());       // under our lock
            }
        } catch (RuntimeException | Error t) {
            releaseUnchanged();
            throw t;
        }
        for (int i = 0; i < n; i++) writes[i].var.write(writes[i].value);
        for (int i = 0; i < n; i++) writes[i].var.unlock(wv);
        for (int i = 0; i < n; i++) writes[i].var.wakeWaiters();
    }

    /** Ends an attempt that will not commit: releases whatever it locked, unchanged (I2). */
    void abort() {
        active = false;
        if (irrevocable) releaseUnchanged();
    }

    private void releaseUnchanged() {
        if (irrevocable) {
            for (Map.Entry<TVar<?>, Long> l : locked.entrySet()) l.getKey().unlock(TVar.version(l.getValue()));
            locked.clear();
            return;
        }
        for (int i = 0; i < nWrites; i++) {
            WriteEntry e = buf.writes[i];
            if (e.lockedWord >= 0) e.var.unlock(TVar.version(e.lockedWord));
            e.lockedWord = -1;
        }
    }

    /** After a conflict on a locked TVar: waits until it is released, so the re-run does not spin. */
    void awaitBlocker() {
        if (blocker != null) blocker.awaitUnlocked();
    }

    /**
     * After retry(): waits until some TVar this attempt read has changed. False if interrupted.
     *
     * @throws IllegalStateException if the attempt read nothing (it would wait forever)
     */
    boolean awaitChange() {
        if (nReads == 0) throw new IllegalStateException("retry() before reading any TVar would wait forever");
        TVar<?>[] readVars = buf.readVars;
        long[] readVersions = buf.readVersions;
        int n = nReads;
        RetryWaiter waiter = new RetryWaiter();
        RetryWaiter.Registration[] registrations = new RetryWaiter.Registration[n];
        try {
            for (int i = 0; i < n; i++) registrations[i] = readVars[i].addWaiter(waiter);
            for (int i = 0; i < n; i++) {                        // changed meanwhile: no need to sleep
                long word = readVars[i].lockWord();
                if (TVar.isLocked(word) || TVar.version(word) != readVersions[i]) return true;
            }
            return waiter.await();
        } finally {
            // Every way out, so an interrupted or otherwise abandoned wait leaves nothing behind.
            for (RetryWaiter.Registration r : registrations) if (r != null) r.remove();
        }
    }
}
