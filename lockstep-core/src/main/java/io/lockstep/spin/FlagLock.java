package io.lockstep.spin;

import io.lockstep.park.ParkResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one-word spin lock that {@link TasLock} and {@link TtasLock} share: a flag, 0 free and 1
 * held, and waiters parked on the lock itself. The two differ only in how they try to set it.
 */
abstract sealed class FlagLock extends SpinCore permits TasLock, TtasLock {
    /*
     * State:  0  free
     *         1  held
     * Waiters park on `this` with validate "state == 1"; release is a volatile store of 0
     * followed by waking one parked thread (Waiters I1). One is enough: a woken thread that loses
     * the race to a barger parks again, and the barger's own release wakes the next.
     */
    static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(FlagLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile int state;

    FlagLock(boolean exponentialBackoff) {
        super(exponentialBackoff);
    }

    @Override
    final void release() {
        STATE.setVolatile(this, 0);                            // volatile, not just release (Waiters I1)
        waiters.wakeOne(this);
    }

    @Override
    final ParkResult parkWhileBusy(long deadline, boolean interruptible) {
        if (state == 0) return null;
        return waiters.park(this, () -> state != 0, deadline, interruptible);
    }

    @Override
    public final boolean isLocked() {
        return state != 0;
    }
}
