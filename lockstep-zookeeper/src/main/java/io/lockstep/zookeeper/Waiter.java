package io.lockstep.zookeeper;

/**
 * Something waiting on the ensemble that must hear about the connection: after RECONNECTED a
 * watch may have fired while the reply was lost, so it looks again; after LOST its session (and
 * its watches and ephemeral nodes) are gone.
 */
interface Waiter {
    /** Back on the same session. */
    void reconnected();

    /** The session is gone; a new one is being made. */
    void sessionLost();
}
