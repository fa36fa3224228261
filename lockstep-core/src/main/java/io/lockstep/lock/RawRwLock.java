package io.lockstep.lock;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.BackoffPolicy;
import io.lockstep.internal.Deadline;
import io.lockstep.internal.LockHolders;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import io.lockstep.internal.OnExecutor;
import io.lockstep.internal.jfr.ContendedAcquireEvent;
import io.lockstep.internal.jfr.Jfr;
import io.lockstep.park.AsyncWait;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import io.lockstep.park.UnparkResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * A fair, write-preferring reader-writer lock in one int, with an upgradable read mode: the state
 * machine under {@link RwLock}, and a drop-in {@link ReadWriteLock}.
 *
 * <ul>
 *   <li><b>Write-preferring:</b> once a writer waits, new readers wait behind it, so a stream of
 *       readers cannot starve writers. A thread that already holds a read lock and must not
 *       deadlock behind such a writer uses {@link #lockReadRecursive()}.</li>
 *   <li><b>Phase-fair:</b> when a writer unlocks, every reader parked at that moment is let in at
 *       once, ahead of the next writer, so writers cannot starve readers either.</li>
 *   <li><b>Upgradable reads</b> (one at a time, alongside plain readers): {@link #upgrade()} turns
 *       one into a write lock without letting another writer in between;
 *       {@link #downgrade()} turns a write lock into a read lock the same way.</li>
 * </ul>
 *
 * <pre>{@code
 * RawRwLock rw = new RawRwLock();
 * rw.lockRead();
 * try { return map.get(key); } finally { rw.unlockRead(); }
 *
 * Lock w = rw.writeLock();                      // as any ReadWriteLock
 * w.lock();
 * try { map.put(key, value); } finally { w.unlock(); }
 * }</pre>
 * Prefer {@link RwLock}, which owns the data and hands out guards.
 *
 * <p><b>Memory effects:</b> as {@link ReadWriteLock}: a write unlock (or downgrade) happens-before
 * every later lock of either kind; a read unlock happens-before the next write lock.
 *
 * <p><b>Ownership and misuse:</b> write locks are owned: {@code unlockWrite} by another thread
 * throws {@link IllegalMonitorStateException}; an untimed {@code lockWrite}/{@code lockRead} by
 * the thread that already holds the write lock, and an untimed {@code lockWrite} by the holder
 * of the upgradable read lock (use {@link #upgrade()}), throw {@link IllegalStateException} (they
 * would deadlock; a timed one just times out). The upgradable holder may take plain read locks
 * even while a writer waits (the writer waits for it anyway). Read locks are not tracked per
 * thread (that is what makes them cheap): a thread that holds a read lock and asks for the write
 * lock of the same lock waits for itself forever. That is detected (and throws
 * {@link IllegalStateException}) only when the read lock was taken on the biased path below;
 * otherwise run with {@code -Dlockstep.lockorder} or a {@code DeadlockWatchdog} to have it reported.
 * {@code unlockRead} with no reader throws. Neither mode is reentrant, except through
 * {@link #lockReadRecursive()}. The {@code Lock} views do not support conditions.
 *
 * <p><b>Reader bias:</b> once readers share the lock, each reader publishes itself in a slot of
 * a small per-lock table instead of counting itself in the lock word, so readers on different
 * cores do not fight over one cache line (BRAVO). A writer revokes the bias and waits for those
 * slots to empty, which makes a write after many reads a little dearer; if a revocation has to
 * wait long, the bias stays off for a while.
 *
 * <p><b>Differences from java.util.concurrent</b> ({@link
 * java.util.concurrent.locks.ReentrantReadWriteLock}):
 * <ul>
 *   <li>{@link #isWriteLocked()} is also true while a writer has reserved the lock and waits for
 *       the readers inside to leave (new readers already wait behind it).</li>
 *   <li>Read holds are not counted per thread: there is no {@code getReadHoldCount()}, and
 *       {@code unlockRead} by a thread that holds no read lock is detected only when no reader
 *       is counted at all. A read lock taken on the biased path is released only by the thread
 *       that took it (another thread's {@code unlockRead} does not find it, as in RRWL).</li>
 *   <li>Not reentrant; {@link #isFair()} is false: acquisition is not FIFO (a running writer may
 *       barge ahead of a woken one), though neither side starves (write preference, phase
 *       fairness).</li>
 *   <li>{@link #getQueuedThreads()} and {@link #getOwner()} are public (for monitoring), and no
 *       view supports conditions.</li>
 * </ul>
 */
public final class RawRwLock implements ReadWriteLock {
    /*
     * Implementation notes.
     *
     * Based on: parking_lot's RawRwLock (one word, a reader count, a writer bit that reserves the
     * lock while readers drain, a separate key for the draining writer), Brandenburg and
     * Anderson's phase-fair reader-writer locks (readers parked when a writer leaves all go next)
     * and Dice and Kogan's BRAVO (USENIX ATC 2019: a reader bias flag; while it is set readers
     * publish themselves in a visible-readers table instead of the shared count; a writer clears
     * the flag and waits for the table to drain; the bias comes back after a back-off
     * proportional to what the revocation cost).
     * Differences: our ParkingLot has no unpark_filter, so readers, writers and the draining writer
     * park on three keys: `this` (readers), `writeView` (writers and upgradable readers) and
     * `readView` (the one writer waiting for readers to drain); the views exist anyway.
     * Writers are woken one at a time and retry (they may be barged by a running writer);
     * readers are let in by hand-off (the waker adds their count to the state).
     *
     * State (int): [ readers : 26 | RBIAS | DRAIN_PARKED | WRITERS_PARKED | READERS_PARKED | UPGRADABLE | WRITER ]
     *   WRITER          held by a writer, or reserved by one waiting for readers to drain
     *                   (readers > 0 and WRITER: the writer is draining; new readers wait)
     *   UPGRADABLE      an upgradable reader holds it (compatible with readers, not with writers)
     *   READERS_PARKED  readers may be parked on `this`
     *   WRITERS_PARKED  writers or upgradable readers may be parked on `writeView`
     *   DRAIN_PARKED    the reserving writer may be parked on `readView`
     *   RBIAS           readers may take the biased path (never together with WRITER)
     * Reader bias: BRAVO's table is global, indexed by a hash of (thread, lock), and holds the
     *   lock; a reader then cannot tell at unlock whether the entry in its slot is its own or a
     *   colliding thread's. Here each lock has its own table (allocated the first time readers
     *   share it, so a lock nobody shares stays one word), a slot per cache line, indexed by a
     *   hash of the thread's id (a virtual thread keeps its slot wherever it is mounted), holding
     *   the reading thread: only that thread stores itself there, so its unlock finds its own
     *   entry for sure. A thread whose slot is taken (by a colliding thread, or by its own first
     *   read hold) counts itself in the state instead; both kinds of reader coexist.
     *   B1  Dekker: a reader CASes itself into its slot, then re-reads RBIAS (backing out if it
     *       is gone); a writer CASes RBIAS off with WRITER, then scans the table. Volatile
     *       accesses are totally ordered, so either the reader sees RBIAS off or the writer sees
     *       the reader.
     *   B2  A biased reader leaving empties its slot (volatile), then wakes the drainer if
     *       DRAIN_PARKED; the drainer sets DRAIN_PARKED, then validates "readers or slots left"
     *       under the bucket lock: the same Dekker pair as the count's (I5 is unaffected: biased
     *       readers never hold writers back on writeView).
     *   B3  Slots are occupied only while RBIAS is set or while the writer that cleared it drains
     *       them: a writer that gives up (timeout, interrupt, tryLockWrite/tryUpgrade finding a
     *       biased reader) puts RBIAS back in the same CAS that drops WRITER, so the next writer
     *       scans too; a writer that drained keeps the table empty until RBIAS is set again.
     *   Bias policy: turned on by a reader that finds another reader counted or loses a CAS on
     *   the word; a writer whose revocation only spun restores it at unlock (`rebias`), one that
     *   had to park leaves it off for INHIBIT_FACTOR times the park's length, counted in reads.
     * Invariants:
     *   I1  Each *_PARKED bit is cleared only under its key's bucket lock (unpark and cancel
     *       callbacks), so no parked thread is missed.
     *   I2  WRITER with readers == 0 and no drain in progress means exclusively held; `owner` is
     *       written only by the thread that holds it exclusively (as MutexCore's I2).
     *   I3  Readers park only while WRITER or WRITERS_PARKED is set. Whoever clears the last of
     *       those two bits without letting readers in (a writer giving up, a woken writer timing
     *       out) wakes the parked readers (wakeStrandedReaders).
     *   I4  A reader woken with TOKEN_HANDOFF holds a read lock: the waker counted it.
     *   I5  The last reader's wake-up reaches a writer. A drainer can see the readers gone and
     *       finish while the last reader has not yet called lastReaderLeft, leaving DRAIN_PARKED
     *       set with nobody parked on readView; lastReaderLeft used to spend its one wake-up on
     *       that empty key and stop, stranding a writer parked behind the drainer and then every
     *       reader behind that writer (found by the 1-16 thread scaling run: 4 threads of
     *       RwLockBench.readMostly on 16 cores hung; FrayRwLockTest.readMostlyMixNeverStrandsAThread
     *       finds it with 4 threads). Now a drain wake-up that finds nobody falls through to
     *       waking a writer, and a drainer that acquires clears its own bit (it holds WRITER, so
     *       nobody else can be parked on readView).
     *   I6  WRITERS_PARKED is stale when the writer that set it found its blocker gone at park
     *       time and retried (the bit stays until a wakeWriter clears it), and readers park behind
     *       a stale bit like a real one. A wakeWriter that wakes nobody therefore wakes the
     *       stranded readers (I3): the last reader leaving such a lock used to clear the bit and
     *       leave a reader parked forever (Fray, readMostlyMixNeverStrandsAThread, in CI).
     * Protocol:
     *   read:   CAS readers+1 if !(WRITER|WRITERS_PARKED); else set READERS_PARKED and park on this.
     *   write:  CAS WRITER if !(WRITER|UPGRADABLE), then drain: park on readView (DRAIN_PARKED)
     *           until readers == 0; else set WRITERS_PARKED and park on writeView.
     *   unlockRead:  CAS readers-1; the last reader wakes the draining writer, else one writer.
     *   unlockWrite: if READERS_PARKED, unparkAll(this) handing each woken reader its lock and
     *           clearing WRITER in the same callback; otherwise clear WRITER and wake one writer.
     * Memory ordering: acquire CAS on every lock, release CAS on every unlock; hand-offs publish
     *   through the parking lot's unpark (happens-before the woken thread's return).
     * Fairness/progress: see the class doc. Waiting is bounded-spin then park (SpinWait).
     * Reader wait: a reader that finds a writer in (or reserving) the lock yields almost at once
     *   (READER_WAIT: 2 pauses, then 7 yields, then it parks) instead of SpinWait's 14 pauses
     *   first. A reader polling the state word takes its line from the writer, whose acquire,
     *   drain and release are all on that word; out of the way, the writer is done sooner.
     *   RwLockBench.readMostly (2 cores, alternating A/B, docs/BENCHMARKS.md seventh pass):
     *   23-27 -> 35-41 ops/us at 2 threads, 27 -> 42 at 4 and 30 -> 42 at 8; writeMostly
     *   43 -> 51. The other way, 94 pauses before the yields: readMostly fell to 15. Writers and
     *   the drainer keep SpinWait.
     * Tried and rejected: one key with a wake-one-and-retry policy for everyone (readers
     *   trickle in one by one, and a writer unlock can wake a reader that cannot enter).
     *   Per-thread read ownership as in ReentrantReadWriteLock (a ThreadLocal per lock: the cost
     *   that makes its reads slow). Always restoring the bias after a write (readMostly, 10 %
     *   writes, fell to about half: every write paid a revocation that waited for a reader).
     *   Tried again (issue 13, fourth pass), with readers behind a writer entering through the
     *   restored bias: readMostly rose 32 -> 40 ops/us but RwLockBench.writeMostly (9 writes per
     *   read) fell 90 -> 30 (every write scans the table and waits for the readers' slots), so
     *   the inhibition stays.
     */
    static final int WRITER = 1, UPGRADABLE = 2, READERS_PARKED = 4, WRITERS_PARKED = 8,
            DRAIN_PARKED = 16, RBIAS = 32, ONE_READER = 64;
    private static final int MAX_READERS = Integer.MAX_VALUE / ONE_READER;
    static final long TOKEN_NORMAL = 0, TOKEN_HANDOFF = 1;
    /** Reader slots per table, a power of two: enough that threads rarely share one. */
    private static final int SLOTS = Math.clamp(Integer.highestOneBit(4 * Runtime.getRuntime().availableProcessors() - 1) << 1, 8, 256);
    /** Array elements between two slots, so that each slot has a cache line of its own. */
    private static final int STRIDE = 16;
    /**
     * After a revocation that had to wait, the bias stays off for INHIBIT_FACTOR times its
     * duration (BRAVO's N = 9), counted in shared reads of about NANOS_PER_READ each.
     */
    private static final int INHIBIT_FACTOR = 9, NANOS_PER_READ = 32, MAX_INHIBIT = 1 << 20;
    /**
     * A reader kept out by a writer: 2 pauses, then 7 yields, then it parks (not SpinWait's 14
     * pauses first; see the notes, "Reader wait").
     */
    private static final BackoffPolicy READER_WAIT = BackoffPolicy.spinThenYield(1, 1, 1, false, 7);
    private static final VarHandle STATE, TABLE, SLOT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(RawRwLock.class, "state", int.class);
            TABLE = l.findVarHandle(RawRwLock.class, "table", Thread[].class);
            SLOT = MethodHandles.arrayElementVarHandle(Thread[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // For DeadlockDetector, per parking key: readers on the lock wait for the writer; writers
        // and upgradable readers on writeView wait for the writer and the upgradable holder; the
        // draining writer on readView waits for the readers it can name (the biased ones).
        // A guard-owned hold names the thread its task last ran on (as RawMutex's guards).
        LockHolders.register(RawRwLock.class, (l, action) -> {
            RawRwLock rw = (RawRwLock) l;
            Thread o = rw.owner;
            if (o != null) action.accept(o);
            acceptHolder(rw.writeGuard, action);
        });
        LockHolders.register(WriteView.class, (l, action) -> {
            RawRwLock rw = ((WriteView) l).outer();
            Thread o = rw.owner, u = rw.upgradableOwner;
            if (o != null) action.accept(o);
            if (u != null && u != o) action.accept(u);
            acceptHolder(rw.writeGuard, action);
            acceptHolder(rw.upgradableGuard, action);
        });
        LockHolders.register(ReadView.class, (l, action) -> {
            Thread[] t = ((ReadView) l).outer().table;
            if (t == null) return;
            for (int i = STRIDE; i < t.length; i += STRIDE) {
                if (SLOT.getVolatile(t, i) instanceof Thread r) action.accept(r);
            }
        });
    }

    private static void acceptHolder(RawRwLockGuard g, Consumer<? super Thread> action) {
        Thread t = g == null ? null : g.holderThread();
        if (t != null) action.accept(t);
    }

    private volatile int state;
    /** The visible-readers table: slot i holds the thread reading through it; null until first biased. */
    private volatile Thread[] table;
    /** Shared reads to see before re-biasing; plain and racy, a heuristic. */
    private int inhibit;
    /** Whether the write holder restores RBIAS when it unlocks; plain, written by the holder (as I2). */
    private boolean rebias;
    /** The exclusive holder, or null; plain (I2). */
    private Thread owner;
    /** The holder of UPGRADABLE, or null; plain, written by the holder (as I2). */
    private Thread upgradableOwner;
    /** The guard holding WRITER, or UPGRADABLE, or null; plain, for DeadlockDetector (as owner). */
    private RawRwLockGuard writeGuard, upgradableGuard;
    private final ReadView readView = new ReadView();     // also the drain key
    private final WriteView writeView = new WriteView();  // also the writers' key

    /** Creates an unlocked lock. */
    public RawRwLock() {}

    private static int readers(int s) {
        return s >>> 6;
    }

    /** The slot of {@code t}: by thread identity (a virtual thread keeps it across carriers). */
    private static int slotOf(Thread t) {
        return (1 + ((int) ((t.threadId() * 0x9E3779B97F4A7C15L) >>> 56) & (SLOTS - 1))) * STRIDE;
    }

    // ---------------------------------------------------------------- read

    /** Blocks until a read lock is granted (behind any waiting writer). */
    public void lockRead() {
        checkOrder(LockTracking.SHARED);
        if (!tryReadNow()) acquireRead(Deadline.NONE, false, false);
    }

    /**
     * Takes a read lock even if a writer waits, when other readers (normally including the
     * caller) hold the lock: for a thread that already holds a read lock and must take another,
     * which {@link #lockRead()} could deadlock on behind a waiting writer.
     */
    public void lockReadRecursive() {
        checkOrder(LockTracking.SHARED);
        if (!tryReadNow()) acquireRead(Deadline.NONE, false, true);
    }

    /** A read lock if one is available now, without waiting. */
    public boolean tryLockRead() {
        if (tryReadBiased()) return tracked(LockTracking.SHARED, false);
        for (int s = state; canRead(s, false); s = state) {
            if (casReaders(s)) return tracked(LockTracking.SHARED, false);
        }
        return false;
    }

    /**
     * Releases a read lock taken by the current thread.
     *
     * @throws IllegalMonitorStateException if no read lock is held (detected when no reader is
     *     counted; a read lock taken through the reader bias can only be released by its thread)
     */
    public void unlockRead() {
        Thread[] t = table;
        if (t != null) {
            Thread me = Thread.currentThread();
            int i = slotOf(me);
            if (SLOT.getOpaque(t, i) == me) {                                   // only we store ourselves there
                leaveSlot(t, i);
                if (LockTracking.ENABLED) LockTracking.released(this);
                return;
            }
        }
        releaseCountedRead();
        if (LockTracking.ENABLED) LockTracking.released(this);
    }

    /** Releases a read lock counted in the state (not through a slot). */
    private void releaseCountedRead() {
        for (;;) {
            int s = state;
            if (readers(s) == 0) throw new IllegalMonitorStateException("unlockRead without a read lock held");
            int next = s - ONE_READER;
            if (STATE.weakCompareAndSetRelease(this, s, next)) {
                if (readers(next) == 0 && (next & (DRAIN_PARKED | WRITERS_PARKED)) != 0) lastReaderLeft();
                return;
            }
        }
    }

    /**
     * BRAVO's fast path: while RBIAS is set, a reader publishes itself in its own slot of the
     * table instead of counting itself in the shared state word.
     */
    private boolean tryReadBiased() {
        if ((state & (RBIAS | WRITERS_PARKED)) != RBIAS) return false;
        Thread[] t = table;                                                     // set before RBIAS was
        Thread me = Thread.currentThread();
        int i = slotOf(me);
        if (!SLOT.compareAndSet(t, i, null, me)) return false;                  // shared slot, or a second hold
        if ((state & RBIAS) != 0) return true;                                  // B1: the revoker will see us
        leaveSlot(t, i);
        return false;
    }

    /** Empties a reader's slot and wakes the revoking writer if it is parked (B2). */
    private void leaveSlot(Thread[] t, int i) {
        SLOT.setVolatile(t, i, null);
        if ((state & DRAIN_PARKED) != 0) wakeDrainer();
    }

    /** Slots 1..SLOTS, each STRIDE elements apart; element 0 keeps slot 1 off the array header's line. */
    private static Thread[] newTable() {
        return new Thread[(SLOTS + 1) * STRIDE];
    }

    /** Whether any reader is published in the table (a revoking writer waits for none). */
    private boolean anyVisibleReader() {
        Thread[] t = table;
        for (int i = STRIDE; i < t.length; i += STRIDE) if (SLOT.getVolatile(t, i) != null) return true;
        return false;
    }

    /** How many readers are published in the table (a snapshot). */
    private int visibleReaders() {
        Thread[] t = table;
        int n = 0;
        if (t != null) for (int i = STRIDE; i < t.length; i += STRIDE) if (SLOT.getVolatile(t, i) != null) n++;
        return n;
    }

    /**
     * Called by a reader that counted itself while another reader was inside, or that lost a
     * CAS on the state word: readers share this lock, so the counter's cache line moves between
     * them. Turns the reader bias on unless a recent revocation inhibits it.
     */
    private void readersShare() {
        if (--inhibit < 0) bias();
    }

    /** Turns the reader bias on now if no writer holds or waits (also for tests and the Fray model). */
    boolean bias() {
        inhibit = 0;
        for (int s = state; (s & (RBIAS | WRITER | WRITERS_PARKED)) == 0; s = state) {
            if (table == null) TABLE.compareAndSet(this, null, newTable());
            if (STATE.weakCompareAndSet(this, s, s | RBIAS)) return true;
        }
        return (state & RBIAS) != 0;
    }

    /** Whether readers may now take the biased path (a snapshot). */
    boolean isBiased() {
        return (state & RBIAS) != 0;
    }

    private boolean tryReadFast() {
        int s = state;
        if ((s & (WRITER | WRITERS_PARKED)) != 0 || readers(s) == MAX_READERS
                || !STATE.weakCompareAndSetAcquire(this, s, s + ONE_READER)) {
            return false;
        }
        if (readers(s) > 0 && (s & RBIAS) == 0) readersShare();
        return true;
    }

    private boolean canRead(int s, boolean recursive) {
        return (s & (WRITER | WRITERS_PARKED)) == 0 || (recursive && readers(s) > 0);
    }

    private boolean casReaders(int s) {
        if (readers(s) == MAX_READERS) throw new IllegalStateException("too many readers");
        return STATE.weakCompareAndSetAcquire(this, s, s + ONE_READER);
    }

    /** Returns DONE, TIMED_OUT or INTERRUPTED. */
    int acquireRead(long deadline, boolean interruptible, boolean recursive) {
        checkOrder(LockTracking.SHARED);
        ContendedAcquireEvent e = Jfr.contendedAcquire();                // null unless JFR records it
        int r;
        if (e == null) {
            r = readContended(deadline, interruptible, recursive);
        } else {
            Thread holder = owner != null ? owner : upgradableOwner;          // racy: for the report only
            r = contended(e, "read", holder, readContended(deadline, interruptible, recursive));
        }
        if (r == DONE) tracked(LockTracking.SHARED, true);
        return r;
    }

    private int readContended(long deadline, boolean interruptible, boolean recursive) {
        Thread me = Thread.currentThread();
        if (deadline == Deadline.NONE && owner == me) throw selfDeadlock("read");
        // A thread already inside must not queue behind a writer that waits for it: the upgradable
        // holder (no writer can get in before it leaves) and a recursive reader holding a slot.
        boolean upgradableHolder = upgradableOwner == me, slotHolder = recursive && holdsSlot(me);
        int round = 0;
        for (boolean first = true;; first = false) {
            int s = state;
            if (canRead(s, recursive) || slotHolder || (upgradableHolder && (s & WRITER) == 0)) {
                if (casReaders(s)) {
                    if (first && (s & RBIAS) == 0) readersShare();
                    return DONE;
                }
                continue;
            }
            if ((s & READERS_PARKED) == 0 && READER_WAIT.pause(round)) { round++; continue; }
            if (Deadline.expired(deadline)) return TIMED_OUT;
            if ((s & READERS_PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | READERS_PARKED)) continue;
            ParkResult r = ParkingLot.park(this, () -> {
                int t = state;
                return !canRead(t, recursive) && (t & READERS_PARKED) != 0;     // holders never park
            }, null, this::readerParkCancelled, ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
            switch (r) {
                case ParkResult.Unparked u when u.token() == TOKEN_HANDOFF -> {
                    return DONE;                                   // I4
                }
                case ParkResult.TimedOut t -> {
                    return TIMED_OUT;
                }
                case ParkResult.Interrupted i -> {
                    return INTERRUPTED;
                }
                default -> round = 0;
            }
        }
    }

    /** Cancel callback of a reader's park, under the bucket lock: the last one clears READERS_PARKED (I1). */
    private void readerParkCancelled(Object key, boolean last) {
        if (last) STATE.getAndBitwiseAnd(this, ~READERS_PARKED);
    }

    private boolean holdsSlot(Thread me) {
        Thread[] t = table;
        return t != null && SLOT.getOpaque(t, slotOf(me)) == me;
    }

    /** The last reader left while a writer waits. */
    private void lastReaderLeft() {
        int s = state;
        if ((s & DRAIN_PARKED) != 0) {
            if (wakeDrainer()) return;                                           // the drainer goes on
            s = state;                                                           // nobody drained (I5)
        }
        if ((s & (WRITER | UPGRADABLE)) == 0 && readers(s) == 0 && (s & WRITERS_PARKED) != 0) {
            wakeWriter();
        }
    }

    /** Wakes the writer parked waiting for readers to leave; whether there was one. */
    private boolean wakeDrainer() {
        return ParkingLot.unparkOne(readView, u -> {
            STATE.getAndBitwiseAnd(this, ~DRAIN_PARKED);                         // keeps I1
            return TOKEN_NORMAL;
        }).unparkedThreads() > 0;
    }

    // ---------------------------------------------------------------- write

    /** Blocks until the write lock is held. */
    public void lockWrite() {
        checkOrder(LockTracking.EXCLUSIVE);
        if (!tryWriteFast()) acquireWrite(Deadline.NONE, false);
        ownWrite();
    }

    private boolean tryWriteFast() {
        if (!STATE.weakCompareAndSetAcquire(this, 0, WRITER)) return false;
        rebias = false;
        return true;
    }

    /** The write lock if it is free now (no readers, writer or upgradable reader). */
    public boolean tryLockWrite() {
        for (int s = state; (s & (WRITER | UPGRADABLE)) == 0 && readers(s) == 0; s = state) {
            if (STATE.weakCompareAndSetAcquire(this, s, (s | WRITER) & ~RBIAS)) {
                boolean revoked = (s & RBIAS) != 0;
                if (revoked && anyVisibleReader()) {                            // B3: a biased reader is inside
                    releaseWriteSlow(WRITER, RBIAS);
                    return false;
                }
                rebias = revoked;
                owner = Thread.currentThread();
                return tracked(LockTracking.EXCLUSIVE, false);
            }
        }
        return false;
    }

    /** Releases the write lock. @throws IllegalMonitorStateException if not held by this thread */
    public void unlockWrite() {
        checkOwner();
        owner = null;                                                            // before release (I2)
        if (LockTracking.ENABLED) LockTracking.released(this);
        freeWrite();
    }

    /** Clears WRITER (restoring the bias if the holder revoked it cheaply), letting the waiters in. */
    private void freeWrite() {
        int bias = rebias ? RBIAS : 0;
        if (!STATE.weakCompareAndSetRelease(this, WRITER, bias)) releaseWriteSlow(WRITER, bias);
    }

    /**
     * Turns the write lock into a read lock atomically: no writer can get in between, and readers
     * waiting behind it are let in. @throws IllegalMonitorStateException if not held by this thread
     */
    public void downgrade() {
        checkOwner();
        owner = null;
        heldAs(LockTracking.SHARED);
        releaseWriteSlow(WRITER, ONE_READER + (rebias ? RBIAS : 0));
    }

    /** Records the current thread as the write holder, once acquireWrite returned DONE. */
    void ownWrite() {
        owner = Thread.currentThread();
        tracked(LockTracking.EXCLUSIVE, true);
    }

    /** Returns DONE, TIMED_OUT or INTERRUPTED; sets no owner (see ownWrite). */
    int acquireWrite(long deadline, boolean interruptible) {
        checkOrder(LockTracking.EXCLUSIVE);
        ContendedAcquireEvent e = Jfr.contendedAcquire();                // null unless JFR records it
        if (e == null) return writeContended(deadline, interruptible);
        Thread holder = owner != null ? owner : upgradableOwner;              // racy: for the report only
        return contended(e, "write", holder, writeContended(deadline, interruptible));
    }

    private int writeContended(long deadline, boolean interruptible) {
        Thread me = Thread.currentThread();
        if (deadline == Deadline.NONE && owner == me) throw selfDeadlock("write");
        if (deadline == Deadline.NONE && upgradableOwner == me) {
            throw new IllegalStateException("the write lock requested by the holder of the upgradable read lock "
                    + "would deadlock: use upgrade()");
        }
        if (deadline == Deadline.NONE && holdsSlot(me)) {                     // certain: only we store ourselves
            throw new IllegalStateException("the write lock requested by a thread that holds a read lock would "
                    + "deadlock: RawRwLock does not upgrade read locks (use lockUpgradable)");
        }
        SpinWait spin = new SpinWait();
        for (;;) {
            int s = state;
            if ((s & (WRITER | UPGRADABLE)) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, (s | WRITER) & ~RBIAS)) {
                    return drain(deadline, interruptible, (s & RBIAS) != 0);
                }
                continue;
            }
            int r = parkExclusive(s, spin, deadline, interruptible, WRITER | UPGRADABLE);
            if (r != DONE) return r;
        }
    }

    /**
     * One round of waiting on writeView for {@code blockers} to clear: spin, or set
     * WRITERS_PARKED and park. Returns DONE to mean "retry", or TIMED_OUT / INTERRUPTED.
     */
    private int parkExclusive(int s, SpinWait spin, long deadline, boolean interruptible, int blockers) {
        if ((s & WRITERS_PARKED) == 0 && spin.spin()) return DONE;
        if (Deadline.expired(deadline)) {
            wakeStrandedReaders();                                              // I3: we may have been woken
            return TIMED_OUT;
        }
        if ((s & WRITERS_PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | WRITERS_PARKED)) {
            return DONE;
        }
        ParkResult r = ParkingLot.park(writeView, this, () -> {
            int t = state;
            return (t & blockers) != 0 && (t & WRITERS_PARKED) != 0;
        }, null, this::writerParkCancelled, ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
        if (r instanceof ParkResult.TimedOut || r instanceof ParkResult.Interrupted) {
            wakeStrandedReaders();                                              // keeps I3
            return r instanceof ParkResult.TimedOut ? TIMED_OUT : INTERRUPTED;
        }
        spin.reset();
        return DONE;
    }

    /** Cancel callback of a writer's park, under the bucket lock: the last one clears WRITERS_PARKED (I1). */
    private void writerParkCancelled(Object key, boolean last) {
        if (last) STATE.getAndBitwiseAnd(this, ~WRITERS_PARKED);
    }

    /**
     * WRITER is ours; waits for the readers to leave, the biased ones too if we {@code revoked}
     * the bias. Gives WRITER up on timeout or interrupt (restoring the bias, so that the next
     * writer waits for the biased readers still inside).
     */
    private int drain(long deadline, boolean interruptible, boolean revoked) {
        SpinWait spin = new SpinWait();
        long parkedAt = 0;                                                      // 0: not parked
        for (;;) {
            int s = state;
            if (drained(revoked)) {
                drainDone(revoked, parkedAt);
                return DONE;
            }
            if ((s & DRAIN_PARKED) == 0 && spin.spin()) continue;
            boolean expired = Deadline.expired(deadline);
            if (!expired) {
                if ((s & DRAIN_PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | DRAIN_PARKED)) continue;
                if (revoked && parkedAt == 0) parkedAt = System.nanoTime() | 1;
                ParkResult r = ParkingLot.park(readView, this, () -> drainMustWait(revoked), null,
                        this::drainParkCancelled, ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
                if (!(r instanceof ParkResult.TimedOut || r instanceof ParkResult.Interrupted)) continue;
                if (drained(revoked)) {                                             // drained as we gave up
                    if (r instanceof ParkResult.Interrupted) Thread.currentThread().interrupt();
                    rebias = false;
                    return DONE;
                }
                expired = r instanceof ParkResult.TimedOut;
            }
            giveUpReservation(revoked);
            return expired ? TIMED_OUT : INTERRUPTED;
        }
    }

    /** Whether the readers a draining writer waits for are gone (the biased ones too if it {@code revoked} the bias). */
    private boolean drained(boolean revoked) {
        return readers(state) == 0 && !(revoked && anyVisibleReader());
    }

    /** validate of a drainer's park, under the bucket lock: sleep only if the last reader will see DRAIN_PARKED. */
    private boolean drainMustWait(boolean revoked) {
        int t = state;
        return (readers(t) > 0 || (revoked && anyVisibleReader())) && (t & DRAIN_PARKED) != 0;
    }

    /** Cancel callback of the drainer's park, under the bucket lock: it is the only one on readView (I1). */
    private void drainParkCancelled(Object key, boolean last) {
        STATE.getAndBitwiseAnd(this, ~DRAIN_PARKED);
    }

    /**
     * The drain is over and the write lock is ours. A revocation that spun briefly keeps the bias;
     * one that had to park (since {@code parkedAt}, 0 if never) is costly, and the bias stays off
     * for a while (BRAVO's inhibition).
     */
    private void drainDone(boolean revoked, long parkedAt) {
        clearOwnDrainBit(state);
        rebias = revoked && parkedAt == 0;
        if (revoked && parkedAt != 0) {
            long reads = (System.nanoTime() - parkedAt) / NANOS_PER_READ * INHIBIT_FACTOR;
            inhibit = (int) Math.clamp(reads, 1, MAX_INHIBIT);
        }
    }

    /** A drainer gives its WRITER reservation up, restoring the bias it revoked (B3). */
    private void giveUpReservation(boolean revoked) {
        clearOwnDrainBit(state);
        releaseWriteSlow(WRITER, revoked ? RBIAS : 0);
    }

    /**
     * A drainer not parked clears a DRAIN_PARKED it set whose park failed validation, so that the
     * bit does not outlive its drain (I5). It holds WRITER, so no other thread can be parked on
     * readView to miss.
     */
    private void clearOwnDrainBit(int s) {
        if ((s & DRAIN_PARKED) != 0) STATE.getAndBitwiseAnd(this, ~DRAIN_PARKED);
    }

    /**
     * Clears {@code clear} (WRITER or UPGRADABLE) and adds {@code add} (0 or ONE_READER), then lets
     * in the readers parked behind it, or else wakes one writer.
     */
    private void releaseWriteSlow(int clear, int add) {
        for (;;) {
            int s = state;
            if ((s & READERS_PARKED) != 0 && clear == WRITER) {
                if (grantParkedReaders(clear, add) == 0 && readers(state) == 0 && (state & WRITERS_PARKED) != 0) {
                    wakeWriter();
                }
                return;
            }
            if (STATE.weakCompareAndSetRelease(this, s, (s & ~clear) + add)) {
                if ((s & WRITERS_PARKED) != 0) wakeWriter();
                wakeStrandedReaders();                                          // I3, for UPGRADABLE
                return;
            }
        }
    }

    /** Wakes every parked reader holding a read lock each (I4), clearing {@code clear}; returns how many. */
    private int grantParkedReaders(int clear, int add) {
        return ParkingLot.unparkAll(this, r -> {
            int woken = r.unparkedThreads();
            for (;;) {
                int s = state;
                int next = (s & ~(clear | READERS_PARKED)) + add + woken * ONE_READER;   // keeps I1
                if (STATE.weakCompareAndSetRelease(this, s, next)) return TOKEN_HANDOFF;
            }
        });
    }

    /**
     * Wakes one parked writer or upgradable reader to retry. WRITERS_PARKED can outlive its
     * writers (one whose park failed validation retries with the bit still set), and readers
     * park behind it; when nobody was parked, clearing it here must let them go (I3, I6).
     */
    private void wakeWriter() {
        UnparkResult r = ParkingLot.unparkOne(writeView, u -> {
            if (!u.haveMoreThreads()) STATE.getAndBitwiseAnd(this, ~WRITERS_PARKED);   // keeps I1
            return TOKEN_NORMAL;
        });
        if (r.unparkedThreads() == 0) wakeStrandedReaders();
    }

    /** Keeps I3: parked readers whose blockers are all gone are woken to retry. */
    private void wakeStrandedReaders() {
        int s = state;
        if ((s & READERS_PARKED) != 0 && (s & (WRITER | WRITERS_PARKED)) == 0) {
            ParkingLot.unparkAll(this, r -> {
                STATE.getAndBitwiseAnd(this, ~READERS_PARKED);                  // keeps I1
                return TOKEN_NORMAL;
            });
        }
    }

    // ---------------------------------------------------------------- upgradable

    /** Blocks until the upgradable read lock is held (readers may share it; writers may not). */
    public void lockUpgradable() {
        acquireUpgradable(Deadline.NONE, false);
    }

    /** The upgradable read lock if it is available now. */
    public boolean tryLockUpgradable() {
        for (int s = state; (s & (WRITER | UPGRADABLE | WRITERS_PARKED)) == 0; s = state) {
            if (STATE.weakCompareAndSetAcquire(this, s, s | UPGRADABLE)) {
                upgradableOwner = Thread.currentThread();
                return tracked(LockTracking.EXCLUSIVE, false);
            }
        }
        return false;
    }

    /** Returns DONE, TIMED_OUT or INTERRUPTED. */
    int acquireUpgradable(long deadline, boolean interruptible) {
        checkOrder(LockTracking.EXCLUSIVE);
        ContendedAcquireEvent e = Jfr.contendedAcquire();                // null unless JFR records it
        if (e == null) return upgradableContended(deadline, interruptible);
        Thread holder = owner != null ? owner : upgradableOwner;              // racy: for the report only
        return contended(e, "upgradable", holder, upgradableContended(deadline, interruptible));
    }

    /** Ends a contended-acquire event begun when the wait started (the holder: a writer or upgradable reader then). */
    private int contended(ContendedAcquireEvent e, String mode, Thread holder, int outcome) {
        e.end(this, mode, holder, outcome);
        return outcome;
    }

    private int upgradableContended(long deadline, boolean interruptible) {
        Thread me = Thread.currentThread();
        if (deadline == Deadline.NONE && (owner == me || upgradableOwner == me)) throw selfDeadlock("upgradable");
        SpinWait spin = new SpinWait();
        for (;;) {
            int s = state;
            if ((s & (WRITER | UPGRADABLE)) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, s | UPGRADABLE)) {
                    upgradableOwner = me;
                    tracked(LockTracking.EXCLUSIVE, true);
                    return DONE;
                }
                continue;
            }
            int r = parkExclusive(s, spin, deadline, interruptible, WRITER | UPGRADABLE);
            if (r != DONE) return r;
        }
    }

    /** Releases the upgradable read lock. @throws IllegalMonitorStateException if not held by this thread */
    public void unlockUpgradable() {
        checkUpgradableOwner();
        upgradableOwner = null;
        if (LockTracking.ENABLED) LockTracking.released(this);
        releaseWriteSlow(UPGRADABLE, 0);
    }

    /**
     * Turns the upgradable read lock into the write lock, waiting for the plain readers to leave;
     * no other writer can get in between. @throws IllegalMonitorStateException if not held
     */
    public void upgrade() {
        checkUpgradableOwner();
        upgradableOwner = null;
        upgradeHeld();
        owner = Thread.currentThread();
    }

    /** UPGRADABLE is held: swaps it for WRITER and waits, uninterruptibly, for the plain readers to leave. */
    private void upgradeHeld() {
        int s;
        do {
            s = state;
        } while (!STATE.weakCompareAndSetAcquire(this, s, (s & ~(UPGRADABLE | RBIAS)) | WRITER));
        drain(Deadline.NONE, false, (s & RBIAS) != 0);
    }

    /** Upgrades only if no plain reader holds the lock now; false leaves the upgradable lock held. */
    public boolean tryUpgrade() {
        checkUpgradableOwner();
        for (int s = state; readers(s) == 0; s = state) {
            if (STATE.weakCompareAndSetAcquire(this, s, (s & ~(UPGRADABLE | RBIAS)) | WRITER)) {
                boolean revoked = (s & RBIAS) != 0;
                if (revoked && anyVisibleReader()) {                            // B3: a biased reader is inside
                    releaseWriteSlow(WRITER, UPGRADABLE | RBIAS);
                    return false;
                }
                rebias = revoked;
                upgradableOwner = null;
                owner = Thread.currentThread();
                return true;
            }
        }
        return false;
    }

    /** Turns the upgradable read lock into a plain read lock, letting writers compete again. */
    public void downgradeUpgradable() {
        checkUpgradableOwner();
        upgradableOwner = null;
        heldAs(LockTracking.SHARED);
        releaseWriteSlow(UPGRADABLE, ONE_READER);
    }

    // ---------------------------------------------------------------- guard-owned holds (async)

    /**
     * Acquires a read lock without blocking a thread: the future completes with a
     * {@linkplain RawRwLockGuard guard} that owns the read hold (not a thread, so any thread may
     * close it). The request waits behind writers as {@link #lockRead()} does, in the same line
     * as the parked readers, and is let in with them when a writer leaves. An async read hold is
     * always counted in the lock word (never through the reader bias, which belongs to a thread).
     *
     * <p><b>Cancel-safe:</b> cancelling the future, {@code orTimeout} or completing it yourself
     * loses nothing: a request still waiting leaves the line; one that was just let in releases
     * its read lock, once.
     *
     * <p><b>Which thread runs dependent stages:</b> the caller, if the lock was available;
     * otherwise the thread whose release let the request in (the writer's unlock, the last
     * reader's), after that release and outside every internal lock, one after another, never
     * nested. Use {@link #lockReadAsync(Executor)} to run them on an executor.
     */
    public CompletableFuture<RawRwLockGuard> lockReadAsync() {
        return AsyncRwAcquire.start(this, RawRwLockGuard.Mode.READ, g -> g);
    }

    /**
     * Acquires the write lock without blocking a thread: the future completes with a guard that
     * owns it. A request waits in the writers' line, then (holding the reservation, so new readers
     * wait behind it) for the readers inside to leave; cancelled while it waits for them, it gives
     * the reservation up. Cancel-safety and the thread that runs dependent stages are as
     * {@link #lockReadAsync()}'s: stages run on the thread whose release (a writer's unlock, the
     * last reader's) let the request in.
     */
    public CompletableFuture<RawRwLockGuard> lockWriteAsync() {
        return AsyncRwAcquire.start(this, RawRwLockGuard.Mode.WRITE, g -> g);
    }

    /**
     * Acquires the upgradable read lock without blocking a thread: the future completes with a
     * guard that owns it ({@link RawRwLockGuard#upgrade()} turns it into the write lock).
     * Cancel-safety and the thread that runs dependent stages are as {@link #lockReadAsync()}'s.
     */
    public CompletableFuture<RawRwLockGuard> lockUpgradableAsync() {
        return AsyncRwAcquire.start(this, RawRwLockGuard.Mode.UPGRADABLE, g -> g);
    }

    /**
     * As {@link #lockReadAsync()}, with the future completed on {@code executor}, so that the
     * stages attached to it run there. Cancel-safe: a guard that reaches the executor after the
     * future was settled is closed; a rejected task fails the future and closes the guard; an
     * executor that accepts the task and drops it ({@code shutdownNow}) loses the hold.
     *
     * @throws NullPointerException if {@code executor} is null (nothing is acquired)
     */
    public CompletableFuture<RawRwLockGuard> lockReadAsync(Executor executor) {
        return OnExecutor.complete(this::lockReadAsync, executor);
    }

    /** As {@link #lockWriteAsync()}, completed on {@code executor} (see {@link #lockReadAsync(Executor)}). */
    public CompletableFuture<RawRwLockGuard> lockWriteAsync(Executor executor) {
        return OnExecutor.complete(this::lockWriteAsync, executor);
    }

    /** As {@link #lockUpgradableAsync()}, completed on {@code executor} (see {@link #lockReadAsync(Executor)}). */
    public CompletableFuture<RawRwLockGuard> lockUpgradableAsync(Executor executor) {
        return OnExecutor.complete(this::lockUpgradableAsync, executor);
    }

    /** For an RwLock over this lock: an async acquisition in {@code mode}, the future's value built by {@code wrap}. */
    <G> CompletableFuture<G> acquireAsync(RawRwLockGuard.Mode mode, Function<RawRwLockGuard, G> wrap) {
        return AsyncRwAcquire.start(this, mode, wrap);
    }

    /*
     * The steps of an async acquisition (AsyncRwAcquire drives them). Each either takes what it
     * asks for, or queues the request with ParkingLot.parkAsync on the key and with the *_PARKED
     * bit a thread would use (same validate, so I1, I3 and I5 hold as for threads), or returns null
     * to say "the state moved: look again". A queued request is woken (its onUnpark runs) or
     * cancelled, exactly once; the cancel* methods run the same callbacks as a cancelled park and
     * do what a thread that gives up does.
     */

    /** A read lock counted in the state, if readers may enter now (never through a slot). */
    boolean tryReadCounted() {
        for (int s = state; canRead(s, false); s = state) {
            if (casReaders(s)) return true;
        }
        return false;
    }

    /** Queues an async reader on this lock, behind the writer that blocks it; null if none does any more. */
    AsyncWait enqueueRead(LongConsumer waiter) {
        int s = state;
        if (canRead(s, false)) return null;
        if ((s & READERS_PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | READERS_PARKED)) return null;
        return ParkingLot.parkAsync(this, () -> {
            int t = state;
            return !canRead(t, false) && (t & READERS_PARKED) != 0;
        }, ParkingLot.DEFAULT_PARK_TOKEN, waiter);
    }

    /** Takes a queued async reader out; false if a writer's release already let it in or woke it. */
    boolean cancelRead(AsyncWait w) {
        return w.cancel(this::readerParkCancelled);
    }

    /**
     * Takes {@code bit} (WRITER or UPGRADABLE) if neither is held, and returns the state it
     * replaced, or -1 if blocked. WRITER is a reservation that also revokes the bias (see
     * {@link #revokedBias}): the caller drains the readers next.
     */
    int tryTakeExclusive(int bit) {
        for (int s = state; (s & (WRITER | UPGRADABLE)) == 0; s = state) {
            int next = bit == WRITER ? (s | WRITER) & ~RBIAS : s | UPGRADABLE;
            if (STATE.weakCompareAndSetAcquire(this, s, next)) return s;
        }
        return -1;
    }

    /** Whether {@code replaced}, a state {@link #tryTakeExclusive} returned, had the reader bias on. */
    static boolean revokedBias(int replaced) {
        return (replaced & RBIAS) != 0;
    }

    /** Queues an async writer or upgradable reader on writeView; null if nothing blocks it any more. */
    AsyncWait enqueueExclusive(LongConsumer waiter) {
        int s = state;
        if ((s & (WRITER | UPGRADABLE)) == 0) return null;
        if ((s & WRITERS_PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | WRITERS_PARKED)) return null;
        return ParkingLot.parkAsync(writeView, () -> {
            int t = state;
            return (t & (WRITER | UPGRADABLE)) != 0 && (t & WRITERS_PARKED) != 0;
        }, ParkingLot.DEFAULT_PARK_TOKEN, waiter);
    }

    /** Takes a queued async writer out, waking readers it may have held back (I3); false if already woken. */
    boolean cancelExclusive(AsyncWait w) {
        if (!w.cancel(this::writerParkCancelled)) return false;
        wakeStrandedReaders();
        return true;
    }

    /** A writer woken to retry gave up without the lock: readers it held back must not be stranded (I3). */
    void exclusiveGivenUp() {
        wakeStrandedReaders();
    }

    /** WRITER is reserved by an async request: whether the readers are gone (see {@link #drained}). */
    boolean drainedAsync(boolean revoked) {
        return drained(revoked);
    }

    /** Queues the reserving async writer on readView until the readers leave; null if they have. */
    AsyncWait enqueueDrain(boolean revoked, LongConsumer waiter) {
        int s = state;
        if (drained(revoked)) return null;
        if ((s & DRAIN_PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | DRAIN_PARKED)) return null;
        return ParkingLot.parkAsync(readView, () -> drainMustWait(revoked), ParkingLot.DEFAULT_PARK_TOKEN, waiter);
    }

    /** Takes the queued drainer out and gives its reservation up (B3); false if already woken. */
    boolean cancelDrain(AsyncWait w, boolean revoked) {
        if (!w.cancel(this::drainParkCancelled)) return false;
        giveUpReservation(revoked);
        return true;
    }

    /** The reserving async writer drained the readers: the write lock is its guard's (see {@link #drainDone}). */
    void drainedByGuard(boolean revoked, long parkedAt) {
        drainDone(revoked, parkedAt);
    }

    /** The reserving async writer gives up before the readers left (nobody wants the lock any more). */
    void reservationGivenUp(boolean revoked) {
        giveUpReservation(revoked);
    }

    /*
     * A guard-owned hold has no owning thread, so the checkers learn of it here: the lock-order
     * validator through LockTracking's guard hooks (as RawMutex's guards), and DeadlockDetector
     * through writeGuard and upgradableGuard, named by the LockHolders lookups beside owner and
     * upgradableOwner. Guard-owned reads are counted, so, as counted thread reads, the detector
     * cannot name them (the validator does see them).
     */

    /** Guard {@code g} now holds its mode (granted, or the result of an upgrade or downgrade). */
    void guardAcquired(RawRwLockGuard g) {
        switch (g.mode()) {
            case WRITE -> writeGuard = g;
            case UPGRADABLE -> upgradableGuard = g;
            case READ -> { }
        }
        if (LockTracking.ENABLED) LockTracking.guardAcquired(g, this, trackingMode(g.mode()), g::holderThread);
    }

    /** Guard {@code g}'s hold ends (closed, or about to change mode): before the state is released (as owner, I2). */
    private void guardReleased(RawRwLockGuard g) {
        if (LockTracking.ENABLED) LockTracking.guardReleased(g);
        if (writeGuard == g) writeGuard = null;
        if (upgradableGuard == g) upgradableGuard = null;
    }

    private static int trackingMode(RawRwLockGuard.Mode mode) {
        return mode == RawRwLockGuard.Mode.READ ? LockTracking.SHARED : LockTracking.EXCLUSIVE;
    }

    /** Releases guard {@code g}'s hold (the guard's exactly-once close). */
    void releaseGuardOwned(RawRwLockGuard g) {
        guardReleased(g);
        switch (g.mode()) {
            case READ -> releaseCountedRead();
            case WRITE -> freeWrite();
            case UPGRADABLE -> releaseWriteSlow(UPGRADABLE, 0);
        }
    }

    /** Guard {@code from}'s write or upgradable hold becomes {@code to}'s counted read hold, with nobody exclusive in between. */
    void downgradeGuardOwned(RawRwLockGuard from, RawRwLockGuard to) {
        guardReleased(from);
        guardAcquired(to);
        if (from.mode() == RawRwLockGuard.Mode.WRITE) releaseWriteSlow(WRITER, ONE_READER + (rebias ? RBIAS : 0));
        else releaseWriteSlow(UPGRADABLE, ONE_READER);
    }

    /** Guard {@code from}'s upgradable hold becomes {@code to}'s write lock; the calling thread waits for the readers to leave. */
    void upgradeGuardOwned(RawRwLockGuard from, RawRwLockGuard to) {
        upgradeHeld();
        guardReleased(from);
        guardAcquired(to);
    }

    // ---------------------------------------------------------------- lock-order tracking

    /*
     * Every hold is recorded with LockTracking (SHARED for reads, EXCLUSIVE for the write and the
     * upgradable lock), so that -Dlockstep.lockorder sees RwLocks as it sees mutexes: a thread
     * that holds a read lock and asks for the write lock of the same lock is reported as a
     * self-deadlock instead of hanging, and reversed orders between RwLocks and other locks are
     * found. upgrade() keeps the upgradable hold's EXCLUSIVE record; downgrades re-record as SHARED.
     */

    /** Before a blocking acquisition; a read under our own upgradable lock never conflicts with it. */
    private void checkOrder(int mode) {
        if (LockTracking.ENABLED && !(mode == LockTracking.SHARED && upgradableOwner == Thread.currentThread())) {
            LockTracking.acquiring(this, mode);
        }
    }

    /** Records a hold just taken; returns true, so that a successful path can return it. */
    private boolean tracked(int mode, boolean blocking) {
        if (LockTracking.ENABLED) {
            if (blocking) LockTracking.acquired(this, mode);
            else LockTracking.tryAcquired(this, mode);
        }
        return true;
    }

    /** A hold changes mode (a downgrade): its record is replaced by one of {@code mode}. */
    private void heldAs(int mode) {
        if (LockTracking.ENABLED) {
            LockTracking.released(this);
            LockTracking.acquired(this, mode);
        }
    }

    /** A read lock without waiting, by the reader bias or the count, recorded. */
    private boolean tryReadNow() {
        return (tryReadBiased() || tryReadFast()) && tracked(LockTracking.SHARED, false);
    }

    // ---------------------------------------------------------------- queries and views

    /** Whether a writer holds the lock, or has reserved it and waits for readers to leave (a snapshot). */
    public boolean isWriteLocked() {
        return (state & WRITER) != 0;
    }

    /** Whether the current thread holds the write lock. */
    public boolean isWriteLockedByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** How many read locks are held (a snapshot; the upgradable read lock is not counted). */
    public int getReadLockCount() {
        return readers(state) + visibleReaders();
    }

    /** Whether an upgradable read lock is held (a snapshot). */
    public boolean isUpgradableLocked() {
        return (state & UPGRADABLE) != 0;
    }

    /** Threads parked waiting, of every kind (a snapshot, for monitoring). */
    public int getQueueLength() {
        return ParkingLot.queueLength(this) + ParkingLot.queueLength(writeView) + ParkingLot.queueLength(readView);
    }

    /** The threads parked waiting, of every kind: writers first, then readers (a snapshot, for monitoring). */
    public Collection<Thread> getQueuedThreads() {
        List<Thread> threads = new ArrayList<>(ParkingLot.parkedThreads(readView));
        threads.addAll(ParkingLot.parkedThreads(writeView));
        threads.addAll(ParkingLot.parkedThreads(this));
        return threads;
    }

    /** Whether any thread is parked waiting (a snapshot). */
    public boolean hasQueuedThreads() {
        return getQueueLength() > 0;
    }

    /** Whether {@code thread} is parked waiting for this lock (a snapshot). @throws NullPointerException if null */
    public boolean hasQueuedThread(Thread thread) {
        Objects.requireNonNull(thread, "thread");
        return ParkingLot.isParkedOn(thread, this) || ParkingLot.isParkedOn(thread, writeView)
                || ParkingLot.isParkedOn(thread, readView);
    }

    /** The thread holding the write lock, or null (a racy snapshot, for monitoring). */
    public Thread getOwner() {
        return owner;
    }

    /** 1 if the current thread holds the write lock, else 0 (the lock is not reentrant). */
    public int getWriteHoldCount() {
        return isWriteLockedByCurrentThread() ? 1 : 0;
    }

    /** Always false: acquisition is not FIFO (see the class doc's differences). */
    public boolean isFair() {
        return false;
    }

    /** The read side as a {@link Lock}; {@code newCondition} is unsupported. */
    @Override
    public Lock readLock() {
        return readView;
    }

    /** The write side as a {@link Lock}; {@code newCondition} is unsupported. */
    @Override
    public Lock writeLock() {
        return writeView;
    }

    private void checkOwner() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("write unlock by " + Thread.currentThread()
                    + ", which does not hold the write lock");
        }
    }

    private void checkUpgradableOwner() {
        if (upgradableOwner != Thread.currentThread()) {
            throw new IllegalMonitorStateException(Thread.currentThread()
                    + " does not hold the upgradable read lock");
        }
    }

    private static IllegalStateException selfDeadlock(String mode) {
        return new IllegalStateException("a " + mode + " lock requested by a thread that holds the write "
                + "(or upgradable) lock would deadlock: RawRwLock is not reentrant");
    }

    /** The state, as {@code [readers=2, writer=main, upgradable, writers waiting, biased]}; never blocks. */
    @Override
    public String toString() {
        int s = state;
        Thread o = owner;
        return Names.describe(this) + "[readers=" + (readers(s) + visibleReaders())
                + ((s & WRITER) != 0 ? (o != null ? ", writer=" + o.getName() : ", writer draining") : "")
                + ((s & UPGRADABLE) != 0 ? ", upgradable" : "")
                + ((s & WRITERS_PARKED) != 0 ? ", writers waiting" : "")
                + ((s & READERS_PARKED) != 0 ? ", readers waiting" : "")
                + ((s & RBIAS) != 0 ? ", biased" : "") + "]";
    }

    static void throwIfInterrupted(int outcome) throws InterruptedException {
        if (outcome == INTERRUPTED) throw new InterruptedException();
    }

    private final class ReadView implements Lock {
        RawRwLock outer() {
            return RawRwLock.this;
        }

        @Override
        public String toString() {
            return "read side of " + RawRwLock.this;
        }

        @Override
        public void lock() {
            lockRead();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) throw new InterruptedException();
            if (!tryReadNow()) throwIfInterrupted(acquireRead(Deadline.NONE, true, false));
        }

        @Override
        public boolean tryLock() {
            return tryLockRead();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            long deadline = Deadline.after(time, unit);
            if (Thread.interrupted()) throw new InterruptedException();
            if (tryReadNow()) return true;
            int r = acquireRead(deadline, true, false);
            throwIfInterrupted(r);
            return r == DONE;
        }

        @Override
        public void unlock() {
            unlockRead();
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("read locks have no conditions");
        }
    }

    private final class WriteView implements Lock {
        RawRwLock outer() {
            return RawRwLock.this;
        }

        @Override
        public String toString() {
            return "write side of " + RawRwLock.this;
        }

        @Override
        public void lock() {
            lockWrite();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) throw new InterruptedException();
            if (!tryWriteFast()) throwIfInterrupted(acquireWrite(Deadline.NONE, true));
            ownWrite();
        }

        @Override
        public boolean tryLock() {
            return tryLockWrite();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            long deadline = Deadline.after(time, unit);
            if (Thread.interrupted()) throw new InterruptedException();
            if (!tryWriteFast()) {
                int r = acquireWrite(deadline, true);
                throwIfInterrupted(r);
                if (r != DONE) return false;
            }
            ownWrite();
            return true;
        }

        @Override
        public void unlock() {
            unlockWrite();
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("use RwLock with a Mutex/Condvar pair; conditions are unsupported");
        }
    }

    /**
     * Names this lock for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * lock, so a field can be named where it is created:
     * {@code private final RawRwLock lock = new RawRwLock().named("routes");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this lock already has another name
     */
    public RawRwLock named(String name) {
        return Names.name(this, name);
    }

    /** This lock's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
