package io.lockstep.spin;

import static io.lockstep.internal.WaitOutcome.DONE;

import io.lockstep.internal.LockHolders;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import io.lockstep.park.ParkResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * A reader-writer spin lock with writer preference: any number of readers share it, a writer has
 * it alone, and once a writer waits no new reader enters, so a stream of readers cannot starve
 * writers. The spinning counterpart of Rust's {@code spin::RwLock}.
 *
 * <pre>{@code
 * SpinRwLock rw = new SpinRwLock();
 * Map<String, Integer> config = new HashMap<>();
 *
 * rw.readLock().lock();
 * try { return config.get(key); } finally { rw.readLock().unlock(); }
 *
 * rw.writeLock().lock();
 * try { config.put(key, value); } finally { rw.writeLock().unlock(); }
 * }</pre>
 *
 * <p>Each read lock and unlock is a CAS on one shared word, so read-mostly workloads on many
 * cores are better served by {@link io.lockstep.lock.RawMutex}-style locks with sharded readers or
 * by RCU; this lock suits short sections on a few cores. Waiting is bounded (spin, yield, park).
 *
 * <p><b>Memory effects:</b> a write unlock happens-before every later read or write lock; a read
 * unlock happens-before the next write lock.
 * <p><b>Fairness:</b> writer preference among running threads; no FIFO order.
 * <p><b>Ownership:</b> not reentrant, no upgrade (a reader asking for the write lock deadlocks)
 * and no downgrade. The write lock checks its owner as {@link TtasLock} does. The read lock only
 * checks that some read lock is held: {@code readLock().unlock()} with no reader throws
 * {@link IllegalMonitorStateException}, but a thread may release another's read hold (tracking
 * readers per thread would cost a thread-local lookup per acquisition).
 */
public final class SpinRwLock implements ReadWriteLock {
    /*
     * Implementation notes.
     *
     * Algorithm: the counter-based reader-writer spin lock (Mellor-Crummey & Scott 1991, the
     * "simple reader-writer lock" with writer preference), with a separate count of waiting
     * writers instead of one flag, so several waiting writers keep readers out together.
     * State:  bit 30 (WRITER)   a writer holds it
     *         bits 0-29         number of readers holding it
     *         writersWaiting    writers inside lock()/tryLock(timeout) that do not hold it yet
     * Invariants:
     *   I1  WRITER set => reader count 0 (a writer enters only from state 0; readers enter only
     *       while WRITER is clear, by CAS on the same word).
     *   I2  Waits park on `this`; every change that can end one is volatile and followed by
     *       wakeAll(this): write unlock, the last read unlock, a waiting writer leaving without
     *       the lock (Waiters I1).
     * Memory ordering: acquire CAS to enter either side; volatile store / RMW to leave.
     * Cost: one CAS per read lock and per read unlock (the word is shared by all readers).
     * Tried and rejected: reader preference (writers starve under a steady read load).
     */
    private static final int WRITER = 1 << 30, READERS = WRITER - 1;
    private static final VarHandle STATE, WRITERS_WAITING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(SpinRwLock.class, "state", int.class);
            WRITERS_WAITING = l.findVarHandle(SpinRwLock.class, "writersWaiting", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // Both sides park on the SpinRwLock: the one holder the detector can name is the writer.
        LockHolders.register(SpinRwLock.class, (l, action) -> {
            Thread o = ((SpinRwLock) l).writeLock.owner();
            if (o != null) action.accept(o);
        });
    }

    private volatile int state;
    private volatile int writersWaiting;
    private final Waiters waiters = new Waiters();              // both sides park on `this` (I2)
    private final ReadLock readLock = new ReadLock(waiters);
    private final WriteLock writeLock = new WriteLock(waiters);

    /** Creates an unlocked lock. */
    public SpinRwLock() {}

    /** The shared side. */
    @Override
    public Lock readLock() {
        return readLock;
    }

    /** The exclusive side. */
    @Override
    public Lock writeLock() {
        return writeLock;
    }

    /** How many threads hold the read lock (a snapshot, for monitoring). */
    public int getReadLockCount() {
        return state & READERS;
    }

    /** Whether a writer holds the lock (a snapshot, for monitoring). */
    public boolean isWriteLocked() {
        return (state & WRITER) != 0;
    }

    @Override
    public String toString() {
        int s = state;
        return Names.describe(this) + ((s & WRITER) != 0 ? "[write locked]" : "[readers=" + (s & READERS) + "]");
    }

    private boolean readersBarred() {
        return (state & WRITER) != 0 || writersWaiting != 0;
    }

    private final class ReadLock extends SpinCore {
        ReadLock(Waiters shared) {
            super(true, shared);
        }

        @Override
        Object primitive() {
            return SpinRwLock.this;
        }

        @Override
        String mode() {
            return "read";
        }

        @Override
        int trackedMode() {
            return LockTracking.SHARED;
        }

        @Override
        boolean tryAcquire() {
            for (;;) {
                int s = state;
                if ((s & WRITER) != 0 || writersWaiting != 0) return false;    // writer preference
                if ((s & READERS) == READERS) throw new IllegalStateException("too many readers: " + READERS);
                if ((int) STATE.compareAndExchangeAcquire(SpinRwLock.this, s, s + 1) == s) return true;
            }
        }

        @Override
        void release() {
            int after = (int) STATE.getAndAdd(SpinRwLock.this, -1) - 1;
            if (after == 0) waiters.wakeAll(SpinRwLock.this);                  // I2: a writer may wait
        }

        @Override
        ParkResult parkWhileBusy(long deadline, boolean interruptible) {
            if (!readersBarred()) return null;
            return waiters.park(SpinRwLock.this, SpinRwLock.this::readersBarred, deadline, interruptible);
        }

        @Override
        boolean heldByCurrentThread() {
            return false;                                      // unknown: readers are not tracked
        }

        @Override
        void acquired() {}

        @Override
        void releasing() {
            if ((state & READERS) == 0) {
                throw new IllegalMonitorStateException("read unlock by " + Thread.currentThread()
                        + ", but no read lock is held");
            }
        }

        @Override
        public boolean isLocked() {
            return (state & READERS) != 0;
        }
    }

    private final class WriteLock extends SpinCore {
        WriteLock(Waiters shared) {
            super(true, shared);
        }

        @Override
        Object primitive() {
            return SpinRwLock.this;
        }

        @Override
        String mode() {
            return "write";
        }

        @Override
        boolean tryAcquire() {
            return state == 0 && (int) STATE.compareAndExchangeAcquire(SpinRwLock.this, 0, WRITER) == 0;
        }

        /** Announces the waiting writer, which bars new readers, for the whole wait. */
        @Override
        int acquireSlow(long deadline, boolean interruptible) {
            WRITERS_WAITING.getAndAdd(SpinRwLock.this, 1);
            int r = poll(deadline, interruptible);
            int left = (int) WRITERS_WAITING.getAndAdd(SpinRwLock.this, -1) - 1;
            if (r != DONE && left == 0) waiters.wakeAll(SpinRwLock.this);  // I2: readers may go
            return r;
        }

        @Override
        void release() {
            STATE.setVolatile(SpinRwLock.this, 0);
            waiters.wakeAll(SpinRwLock.this);                  // I2
        }

        @Override
        ParkResult parkWhileBusy(long deadline, boolean interruptible) {
            if (state == 0) return null;
            return waiters.park(SpinRwLock.this, () -> state != 0, deadline, interruptible);
        }

        @Override
        public boolean isLocked() {
            return (state & WRITER) != 0;
        }
    }

    /**
     * Names this lock for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * lock, so a field can be named where it is created:
     * {@code private final SpinRwLock lock = new SpinRwLock().named("stats");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this lock already has another name
     */
    public SpinRwLock named(String name) {
        return Names.name(this, name);
    }

    /** This lock's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
