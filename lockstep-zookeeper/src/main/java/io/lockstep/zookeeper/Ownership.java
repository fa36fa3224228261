package io.lockstep.zookeeper;

/**
 * What a {@link FencedGuard} (a mutex's guard, a semaphore's lease, ...) knows about its ownership,
 * as {@link FencedGuard#ownership()} reports it.
 *
 * <pre>
 *   HELD ⇄ SUSPENDED        connection lost, then back on the same session with the lock node intact
 *   HELD, SUSPENDED → LOST   session expired or lost, lock node deleted, coordinator closed
 *   any → RELEASED           release() or close()
 * </pre>
 */
public enum Ownership {
    /** The lock node exists and this client's session is connected: the guard owns the lock. */
    HELD,
    /**
     * The connection to the ensemble is down. The session, and the lock with it, may already be
     * gone on the servers without this client knowing: act as if the lock were lost (Curator's
     * advice). If the client reconnects within the session timeout and finds its lock node, the
     * guard goes back to {@link #HELD}, with the same fencing token.
     */
    SUSPENDED,
    /** The lock is gone for good: another client may hold it now. Terminal until released. */
    LOST,
    /** Released by this guard ({@link FencedGuard#release()} or {@code close()}). Terminal. */
    RELEASED
}
