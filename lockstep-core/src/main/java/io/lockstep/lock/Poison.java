package io.lockstep.lock;

/**
 * The poison flag shared by {@link Mutex} and {@link RwLock}: the first failure recorded while the
 * lock was held (exclusively), or null. A non-poisoning lock never records one.
 */
final class Poison {
    private final boolean enabled;
    private volatile Throwable cause;      // written under the lock (first failure wins), cleared by anyone

    Poison(boolean enabled) {
        this.enabled = enabled;
    }

    /** Records {@code failure} unless disabled or already poisoned. */
    void record(Throwable failure) {
        if (enabled && cause == null) cause = failure;
    }

    /** The failure that poisoned the lock, or null. */
    Throwable cause() {
        return cause;
    }

    void clear() {
        cause = null;
    }
}
