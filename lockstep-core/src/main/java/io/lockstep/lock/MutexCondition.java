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
        try {
            condvar.awaitOn(mutex, Deadline.NONE, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        checkHeld();
        long deadline = Deadline.afterNanos(nanosTimeout);
        condvar.awaitOn(mutex, deadline, true);
        long left = deadline - System.nanoTime();
        return deadline == Deadline.NONE ? Long.MAX_VALUE : left;
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        checkHeld();
        return condvar.awaitOn(mutex, Deadline.after(time, unit), true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        checkHeld();
        long millis = deadline.getTime() - System.currentTimeMillis();
        return condvar.awaitOn(mutex, Deadline.after(millis, TimeUnit.MILLISECONDS), true);
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
