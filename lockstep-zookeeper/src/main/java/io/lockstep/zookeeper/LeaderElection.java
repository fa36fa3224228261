package io.lockstep.zookeeper;

import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A leader election among every client of the ensemble that asks by the same name, made by
 * {@link Coordinator#election(String)}: one {@link Leadership} at a time, granted to the
 * candidates in the order they stood. The leader learns of a loss through
 * {@link Leadership#onLost} (best effort, as for any lock) and is fenced by its token.
 *
 * <pre>{@code
 * LeaderElection election = coordinator.election("scheduler");
 * try (Leadership lead = election.awaitLeadership()) {
 *     lead.onLost(worker::interrupt);
 *     runScheduler(lead);                            // writes fenced with lead.token()
 * }                                                  // abdicates: the next candidate leads
 * }</pre>
 */
public final class LeaderElection {
    /*
     * Implementation notes. The election is the mutex recipe under its own path (candidates are
     * the queue, the first leads, each watches only its predecessor): Recipe.firstInLine and an
     * Acquisition, with a Leadership as the guard. A candidate that is not leader holds no lock:
     * it only waits in line.
     */
    private final Coordinator coordinator;
    private final String name;
    private final Recipe<Leadership> recipe;

    LeaderElection(Coordinator coordinator, String name, String path) {
        this.coordinator = coordinator;
        this.name = name;
        this.recipe = Recipe.firstInLine(path, "leadership of " + name, node -> new Leadership(coordinator, name, node));
    }

    /** The name given to {@link Coordinator#election(String)}. */
    public String name() {
        return name;
    }

    /**
     * Stands as a candidate and waits to lead.
     *
     * @throws InterruptedException  if interrupted while waiting (the candidacy is withdrawn)
     * @throws SessionLostException  if the session ended while waiting
     * @throws IllegalStateException if the coordinator is or gets closed
     */
    public Leadership awaitLeadership() throws InterruptedException {
        return Futures.awaitGrant(start(true), Deadline.NONE).orElseThrow();
    }

    /**
     * Leads if nobody leads or stands in line now, without standing.
     *
     * @throws InterruptedException  if interrupted while asking
     * @throws IllegalStateException if the coordinator is closed
     */
    public Optional<Leadership> tryLead() throws InterruptedException {
        return Futures.awaitGrant(start(false), Deadline.NONE);
    }

    /**
     * Stands as a candidate for at most {@code timeout}; a zero or negative timeout is
     * {@link #tryLead()}.
     *
     * @return the leadership, or empty if the time ran out first (the candidacy is withdrawn)
     * @throws InterruptedException  if interrupted while waiting
     * @throws SessionLostException  if the session ended while waiting
     */
    public Optional<Leadership> awaitLeadership(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (!timeout.isPositive()) return tryLead();
        return Futures.awaitGrant(start(true), deadline);
    }

    /**
     * Stands as a candidate without blocking; the future completes, on a thread of its own, when
     * this candidate leads. Cancel-safe: cancelling it withdraws the candidacy, and abdicates if
     * leadership was granted in that instant.
     *
     * @throws IllegalStateException if the coordinator is closed
     */
    public CompletableFuture<Leadership> awaitLeadershipAsync() {
        return start(true);
    }

    private CompletableFuture<Leadership> start(boolean queue) {
        coordinator.checkOpen();
        Acquisition<Leadership> a = new Acquisition<>(coordinator, recipe, "candidate-", queue);
        a.start();
        return a.future();
    }

    @Override
    public String toString() {
        return "LeaderElection[" + name + "]";
    }
}
