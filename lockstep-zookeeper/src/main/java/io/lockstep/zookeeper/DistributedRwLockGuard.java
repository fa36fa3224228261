package io.lockstep.zookeeper;

/**
 * A read or write lock of a {@link DistributedRwLock}, with its fencing token. What it knows and
 * when, and what {@code release()} answers, is {@link FencedGuard}'s.
 *
 * <p>Tokens: a write lock's is its node's czxid; a read lock's is one more than the token of the
 * last write lock granted before it, the same for every read lock granted between two write
 * locks, so that readers holding together are never refused by a store one of them fenced,
 * while a deposed writer's late write and a deposed reader's late read are.
 */
public final class DistributedRwLockGuard extends FencedGuard {
    private final String lockName;
    private final boolean write;

    DistributedRwLockGuard(Coordinator coordinator, String lockName, String node, boolean write) {
        super(coordinator, node);
        this.lockName = lockName;
        this.write = write;
    }

    /** The name of the lock. */
    public String lockName() {
        return lockName;
    }

    /** Whether this is the write (exclusive) lock. */
    public boolean isWriteLock() {
        return write;
    }

    @Override
    public String toString() {
        return describe("DistributedRwLockGuard", lockName + (write ? ", write" : ", read"));
    }
}
