package io.lockstep.os;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A permit taken from a {@link SharedSemaphore}: closing gives it back exactly once, from any
 * thread of the process that acquired it. If the process dies first, the permit is recovered by
 * the other processes.
 *
 * <pre>{@code
 * try (SharedPermit p = gpus.acquire()) {
 *     train();
 * }
 * }</pre>
 */
public final class SharedPermit implements AutoCloseable {
    private final SharedSemaphore semaphore;
    private final int lease;
    private final AtomicBoolean released = new AtomicBoolean();

    SharedPermit(SharedSemaphore semaphore, int lease) {
        this.semaphore = semaphore;
        this.lease = lease;
    }

    /** The semaphore it came from. */
    public SharedSemaphore semaphore() {
        return semaphore;
    }

    /** Whether it was given back. */
    public boolean isReleased() {
        return released.get();
    }

    /**
     * Gives the permit back; a second call does nothing.
     *
     * @throws IllegalStateException if another process took the lease back, believing this one dead
     */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) semaphore.release(lease);
    }

    @Override
    public String toString() {
        return "SharedPermit[" + semaphore.path() + " lease " + lease + (isReleased() ? ", released" : "") + "]";
    }
}
