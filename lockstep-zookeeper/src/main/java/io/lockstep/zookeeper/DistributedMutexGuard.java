package io.lockstep.zookeeper;

/**
 * Ownership of a {@link DistributedMutex}, with its fencing token (the lock node's czxid). The
 * guard, not a thread, owns the lock: close it from any thread, preferably with
 * try-with-resources. What it knows and when, and what {@code release()} answers, is
 * {@link FencedGuard}'s.
 *
 * <pre>{@code
 * try (DistributedMutexGuard g = mutex.lock()) {
 *     g.onLost(worker::interrupt);                // stop the work if the lock goes away
 *     store.write("report", g, render());         // the store refuses it if g.token() is stale
 * }
 * }</pre>
 */
public final class DistributedMutexGuard extends FencedGuard {
    private final String mutexName;

    DistributedMutexGuard(Coordinator coordinator, String mutexName, String node) {
        super(coordinator, node);
        this.mutexName = mutexName;
    }

    /** The name of the mutex. */
    public String mutexName() {
        return mutexName;
    }

    @Override
    public String toString() {
        return describe("DistributedMutexGuard", mutexName);
    }
}
