package io.lockstep.zookeeper;

/**
 * Leadership won in a {@link LeaderElection}, with its fencing token. Register what must stop when
 * leadership goes with {@link #onLost}; pass the token to what the leader writes, so that a
 * deposed leader that acts late is refused ({@link FencedStore}). {@link #release()} abdicates:
 * the next candidate in line leads. What it knows and when is {@link FencedGuard}'s.
 *
 * <pre>{@code
 * try (Leadership lead = election.awaitLeadership()) {
 *     lead.onLost(scheduler::shutdownNow);             // a deposed leader stops at once
 *     while (lead.isValid()) store.write("plan", lead, nextPlan());
 * }
 * }</pre>
 */
public final class Leadership extends FencedGuard {
    private final String electionName;

    Leadership(Coordinator coordinator, String electionName, String node) {
        super(coordinator, node);
        this.electionName = electionName;
    }

    /** The name of the election. */
    public String electionName() {
        return electionName;
    }

    @Override
    public String toString() {
        return describe("Leadership", electionName);
    }
}
