package io.lockstep.lock;

import io.lockstep.internal.Deadline;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The {@link Condition} of a {@link RawMutex} or {@link ReentrantMutex}: a {@link Condvar} bound
 * to its mutex, with JUC's contract (ownership checked on every call, a reentrant mutex released
 * completely while waiting).
 */
final class MutexCondition implements Condition {
    private final MutexCore mutex;
    private final Condvar condvar = new Condvar();

    MutexCondition(MutexCore mutex) {
        this.mutex = mutex;
    }

    /** For the mutex's monitoring methods: this condition's waiters, if it belongs to {@code m}. */
    static Condvar condvarOf(MutexCore m, Condition c) {
        if (c == null) throw new NullPointerException("condition");
        if (!(c instanceof MutexCondition mc) || mc.mutex != m) {
            throw new IllegalArgumentException("not a condition of this lock: " + c);
        }
        if (!m.heldByCurrentThread()) throw new IllegalMonitorStateException("the current thread does not hold the lock");
        return mc.condvar;
    }

    private void checkHeld() {
        if (!mutex.heldByCurrentThread()) throw new IllegalMonitorStateException("the current thread does not hold the lock");
    }

    @Override
    public void await() throws InterruptedException {
        checkHeld();
        condvar.awaitOn(mutex, Deadline.NONE, true);
    }

    @Override
    public void awaitUninterruptibly() {
        checkHeld();
        condvar.awaitOnUninterruptibly(mutex);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Deadline.afterNanos(nanosTimeout);
        checkHeld();
        condvar.awaitOn(mutex, deadline, true);
        return Deadline.remaining(deadline);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        long deadline = Deadline.after(time, unit);                // NPE for a null unit, as AQS
        checkHeld();
        return condvar.awaitOn(mutex, deadline, true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long at = Deadline.atEpochMillis(deadline.getTime());    // NPE for null, as AQS
        checkHeld();
        return condvar.awaitOn(mutex, at, true);
    }

    @Override
    public void signal() {
        checkHeld();
        condvar.notifyOne();
    }

    @Override
    public void signalAll() {
        checkHeld();
        condvar.notifyAllWaiters();
    }
}
