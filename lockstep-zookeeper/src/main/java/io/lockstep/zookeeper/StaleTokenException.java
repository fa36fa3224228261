package io.lockstep.zookeeper;

/**
 * A {@link FencedStore} refused a request whose fencing token is lower than one it has already
 * seen for that key: the lock that issued the token was lost, and another holder has been here
 * since. Nothing was read or written. The holder should stop: its work may have overlapped
 * another's, and the store has kept the newer holder's data.
 */
public final class StaleTokenException extends FencedStoreException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final long token;
    private final long fence;

    /** A refusal of {@code token} for {@code key}, whose fence is at {@code fence}. */
    public StaleTokenException(String key, long token, long fence) {
        super("stale fencing token " + token + " for key \"" + key + "\": the store has already seen token " + fence
                + " (the lock that issued " + token + " was lost, and a later holder has been here)", null);
        this.key = key;
        this.token = token;
        this.fence = fence;
    }

    /** The key of the refused request. */
    public String key() {
        return key;
    }

    /** The refused token. */
    public long token() {
        return token;
    }

    /** The highest token the store had seen for the key when it refused. */
    public long fence() {
        return fence;
    }
}
