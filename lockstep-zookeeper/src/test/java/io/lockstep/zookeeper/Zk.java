package io.lockstep.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Shared test helpers: clients with test timeouts, a server-side session expiry, queue inspection. */
final class Zk {
    /** Long enough that an election on two loaded cores does not expire anybody. */
    static final Duration SESSION = Duration.ofSeconds(10);
    /** How long a test waits for something that must happen. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private Zk() {}

    static Coordinator connect(String connectString) {
        return Coordinator.builder(connectString).sessionTimeout(SESSION).connectTimeout(PATIENCE).connect();
    }

    /** Ends {@code c}'s session on the servers (a second handle on it, then closed), as a partition would. */
    static void expire(Coordinator c, String connectString) throws InterruptedException {
        EmbeddedEnsemble.expire(connectString, c.sessionId(), c.sessionPassword(), PATIENCE);
    }

    /** The nodes in {@code mutex}'s queue, as {@code observer} sees them. */
    static List<String> queue(Coordinator observer, DistributedMutex mutex) throws Exception {
        if (observer.client().checkExists().forPath(mutex.path()) == null) return List.of();
        return observer.client().getChildren().forPath(mutex.path());
    }

    static <T> T within(CompletableFuture<T> f) throws Exception {
        return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }
}
