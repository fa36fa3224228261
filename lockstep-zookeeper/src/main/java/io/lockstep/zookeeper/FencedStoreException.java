package io.lockstep.zookeeper;

/** A {@link FencedStore} could not do a read or a write (its storage failed, or the token was stale). */
public class FencedStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, caused by {@code cause} (may be null). */
    public FencedStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
