package io.lockstep.zookeeper;

/**
 * The coordination service could not do what was asked: the ensemble was unreachable within the
 * connect timeout, or ZooKeeper answered with an error this library does not recover from. The
 * message names the ensemble or the path and the ZooKeeper error; the cause, if any, is
 * ZooKeeper's or Curator's exception.
 */
public class CoordinationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public CoordinationException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public CoordinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
