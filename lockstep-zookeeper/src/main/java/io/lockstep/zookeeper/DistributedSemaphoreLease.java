package io.lockstep.zookeeper;

/**
 * One of a {@link DistributedSemaphore}'s leases, with its slot and fencing token. The lease, not
 * a thread, holds the permit: close it from any thread, preferably with try-with-resources. What
 * it knows and when, and what {@code release()} answers (a second {@code release()} is an
 * {@link IllegalStateException}; releasing a lost lease frees nobody else's permit), is
 * {@link FencedGuard}'s.
 *
 * <pre>{@code
 * try (DistributedSemaphoreLease lease = exports.acquire()) {
 *     String key = "export-slot-" + lease.slot();         // one fenced key per slot
 *     store.write(key, lease, "running " + job);          // refused if the lease was lost
 * }
 * }</pre>
 */
public final class DistributedSemaphoreLease extends FencedGuard {
    private final String semaphoreName;
    private final int slot;

    DistributedSemaphoreLease(Coordinator coordinator, String semaphoreName, String slotNode, String queueNode,
                              int slot) {
        super(coordinator, slotNode, queueNode);
        this.semaphoreName = semaphoreName;
        this.slot = slot;
    }

    /** The name of the semaphore. */
    public String semaphoreName() {
        return semaphoreName;
    }

    /**
     * The slot this lease holds, 0 to {@code permits - 1}: no two valid leases of the semaphore
     * hold the same slot, and each slot's tokens rise from holder to holder. Fence a resource per
     * slot (a {@link FencedStore} key per slot) and it admits at most {@code permits} holders,
     * even when a lost lease's holder acts late.
     */
    public int slot() {
        return slot;
    }

    @Override
    public String toString() {
        return describe("DistributedSemaphoreLease", semaphoreName + ", slot " + slot);
    }
}
