package io.lockstep.zookeeper;

/**
 * The ZooKeeper session ended (expired on the servers, or was given up for lost by the client)
 * while a caller waited for a distributed primitive. Nothing was acquired, and the caller's queue
 * node was removed (an ephemeral node dies with its session; the library also deletes it, in
 * case the old session outlives the client's verdict). A {@link Coordinator} starts a new
 * session by itself, so the caller may simply try again.
 */
public final class SessionLostException extends CoordinationException {
    private static final long serialVersionUID = 1L;

    SessionLostException(String message) {
        super(message);
    }
}
