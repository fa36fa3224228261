package io.lockstep.spin;

/**
 * The sequential specification of a non-reentrant lock driven through tryLock/unlock, for the
 * Lincheck tests: who holds it, by Lincheck thread id. An unlock by a non-holder fails and
 * changes nothing.
 */
public class LockSpec {
    private int holder = -1;

    public boolean tryLock(int thread) {
        if (holder != -1) return false;
        holder = thread;
        return true;
    }

    public boolean unlock(int thread) {
        if (holder != thread) return false;
        holder = -1;
        return true;
    }
}
