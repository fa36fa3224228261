package io.lockstep.zookeeper;

/**
 * A {@link DistributedOnce} run was claimed but its claimant's ZooKeeper session ended before the
 * run was recorded as finished: the action may have run partly, wholly or not at all, and, at most
 * once, it will not run again by itself. Whoever sees this decides (inspect the fenced resource,
 * then repair by hand or through another once).
 */
public final class OnceInterruptedException extends CoordinationException {
    private static final long serialVersionUID = 1L;

    OnceInterruptedException(String message) {
        super(message);
    }

    OnceInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
