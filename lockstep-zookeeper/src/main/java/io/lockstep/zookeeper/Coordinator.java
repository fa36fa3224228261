package io.lockstep.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.common.PathUtils;

/**
 * One client's session with a ZooKeeper ensemble, and the factory of the distributed primitives
 * that live in it. Close it to end the session: every lock it holds is released (its ephemeral
 * nodes die with the session) and every wait it runs fails.
 *
 * <pre>{@code
 * try (Coordinator zk = Coordinator.connect("zk1:2181,zk2:2181,zk3:2181")) {
 *     DistributedMutex orders = zk.mutex("orders");
 *     try (DistributedMutexGuard g = orders.lock()) {
 *         store.write("orders/42", g, "shipped");    // fenced: rejected if g was lost meanwhile
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #embedded()} runs an in-process ZooKeeper server for development, demos and tests.
 *
 * <p>Errors: a malformed connection string is an {@link IllegalArgumentException} before
 * anything is started; an ensemble that cannot be reached within the connect timeout is a
 * {@link CoordinationException} (the client is closed, no thread is left behind); any method
 * but {@link #close()} on a closed coordinator throws {@link IllegalStateException}.
 *
 * <p>A coordinator reconnects by itself, and starts a new session if its session expires; what
 * that means for a held lock is the {@link Ownership} of its guard.
 */
public final class Coordinator implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * One CuratorFramework per coordinator. Curator reconnects and retries operations; this class
     * turns its connection-state events into what the primitives need:
     *   SUSPENDED   every held guard becomes SUSPENDED (not valid);
     *   RECONNECTED every suspended guard checks its lock node (same czxid, owned by the current
     *               session) and becomes HELD again, or LOST; every waiting acquisition looks at
     *               its queue again (its watch may have fired while the reply was lost);
     *   LOST        every guard is LOST and every waiting acquisition fails (SessionLostException).
     * Both SUSPENDED and LOST advance `epoch`; a guard's verification counts only if no such
     * event came between its request and its answer, so a late "node is there" cannot revive a
     * guard that was suspended again meanwhile.
     *
     * Guards and acquisitions register here only while they need these events. Nothing here
     * blocks: listeners run on Curator's connection-state thread, replies on ZooKeeper's event
     * thread, and user callbacks on their own virtual threads (Callbacks).
     */
    /** How long the servers keep a silent session alive (and its locks held): 10 s. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #connect} waits for the first connection: 10 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    static final String ROOT = "/lockstep";

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[^:\\[\\]\\s]+)(?::(\\d{1,5}))?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");

    private final CuratorFramework client;
    private final String connectString;
    private final EmbeddedEnsemble ownedEnsemble;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong epoch = new AtomicLong();
    private final Set<FencedGuard> guards = ConcurrentHashMap.newKeySet();
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

    private Coordinator(CuratorFramework client, String connectString, EmbeddedEnsemble ownedEnsemble) {
        this.client = client;
        this.connectString = connectString;
        this.ownedEnsemble = ownedEnsemble;
    }

    /**
     * Connects to the ensemble at {@code connectString} ({@code "host:port,host:port[/chroot]"}),
     * with the {@linkplain #DEFAULT_SESSION_TIMEOUT default session} and
     * {@linkplain #DEFAULT_CONNECT_TIMEOUT connect} timeouts.
     *
     * @throws IllegalArgumentException if {@code connectString} is malformed
     * @throws CoordinationException    if no server answered within the connect timeout
     */
    public static Coordinator connect(String connectString) {
        return builder(connectString).connect();
    }

    /**
     * A builder for a coordinator with other timeouts.
     *
     * @throws IllegalArgumentException if {@code connectString} is malformed
     */
    public static Builder builder(String connectString) {
        validateConnectString(connectString);
        return new Builder(connectString);
    }

    /**
     * Starts a one-server ZooKeeper ensemble in this JVM (on a free local port, data in a
     * temporary directory) and connects to it; closing the coordinator stops the server and
     * deletes its data. For development, demos and tests: one JVM is no fault tolerance. For
     * several clients, or a three-server ensemble, use {@link EmbeddedEnsemble} and
     * {@link #connect}.
     */
    public static Coordinator embedded() {
        EmbeddedEnsemble ensemble = EmbeddedEnsemble.start(1);
        try {
            return new Builder(ensemble.connectString()).connect(ensemble);
        } catch (RuntimeException | Error e) {
            ensemble.close();
            throw e;
        }
    }

    /** Settings of a coordinator that {@link #connect(String)} does not take. */
    public static final class Builder {
        private final String connectString;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Builder(String connectString) {
            this.connectString = connectString;
        }

        /**
         * How long the servers keep this client's session (and its locks) after hearing nothing
         * from it; the servers clamp it to their own bounds. Shorter: a crashed holder's locks
         * free up sooner; longer: a slow network or a GC pause loses fewer locks.
         */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = positiveMillis(timeout, "sessionTimeout");
            return this;
        }

        /** How long {@link #connect()} waits for the first connection before failing. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positiveMillis(timeout, "connectTimeout");
            return this;
        }

        /**
         * Connects.
         *
         * @throws CoordinationException if no server answered within the connect timeout
         */
        public Coordinator connect() {
            return connect(null);
        }

        private Coordinator connect(EmbeddedEnsemble owned) {
            int sessionMs = (int) Math.min(Integer.MAX_VALUE, sessionTimeout.toMillis());
            int connectMs = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
            CuratorFramework client = CuratorFrameworkFactory.builder()
                    .connectString(connectString)
                    .sessionTimeoutMs(sessionMs)
                    .connectionTimeoutMs(connectMs)
                    // Retries of one operation while the connection is down; a waiter that still
                    // fails is driven again on RECONNECTED.
                    .retryPolicy(new ExponentialBackoffRetry(100, 5, 1_000))
                    // The connection string stays the caller's: no rewriting from /zookeeper/config.
                    .ensembleTracker(false)
                    .build();
            Coordinator coordinator = new Coordinator(client, connectString, owned);
            client.getConnectionStateListenable().addListener((c, state) -> coordinator.stateChanged(state));
            client.start();
            boolean connected;
            try {
                connected = client.blockUntilConnected(connectMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                client.close();
                Thread.currentThread().interrupt();
                throw new CoordinationException("interrupted while connecting to ZooKeeper at " + connectString, e);
            }
            if (!connected) {
                client.close();
                throw new CoordinationException("could not connect to ZooKeeper at " + connectString + " within "
                        + connectTimeout + " (is the ensemble running, and reachable from here?)");
            }
            return coordinator;
        }

        private static Duration positiveMillis(Duration timeout, String what) {
            Objects.requireNonNull(timeout, what);
            if (timeout.isNegative() || timeout.toMillis() == 0) {
                throw new IllegalArgumentException(what + " must be at least 1 ms, not " + timeout);
            }
            return timeout;
        }
    }

    /**
     * The mutex called {@code name} in this ensemble: every client that asks for the same name
     * contends for the same lock.
     *
     * @param name letters, digits and {@code _ . : -}; at most 200 characters
     * @throws IllegalArgumentException if {@code name} is not such a name
     * @throws IllegalStateException    if this coordinator is closed
     */
    public DistributedMutex mutex(String name) {
        checkName(name);
        checkOpen();
        return new DistributedMutex(this, name, ROOT + "/mutex/" + name);
    }

    /**
     * The semaphore called {@code name}, with {@code permits} leases; every client must give the
     * same count (see {@link #mutex} for names).
     *
     * @throws IllegalArgumentException if {@code name} is not a valid name or {@code permits} is
     *                                  not 1 to 1000
     * @throws IllegalStateException    if this coordinator is closed
     */
    public DistributedSemaphore semaphore(String name, int permits) {
        checkName(name);
        if (permits < 1 || permits > 1000) {
            throw new IllegalArgumentException("a semaphore has 1 to 1000 permits, not " + permits);
        }
        checkOpen();
        return new DistributedSemaphore(this, name, ROOT + "/semaphore/" + name, permits);
    }

    /**
     * The readers-writer lock called {@code name} (see {@link #mutex} for names).
     *
     * @throws IllegalArgumentException if {@code name} is not a valid name
     * @throws IllegalStateException    if this coordinator is closed
     */
    public DistributedRwLock rwLock(String name) {
        checkName(name);
        checkOpen();
        return new DistributedRwLock(this, name, ROOT + "/rwlock/" + name);
    }

    /**
     * The leader election called {@code name} (see {@link #mutex} for names).
     *
     * @throws IllegalArgumentException if {@code name} is not a valid name
     * @throws IllegalStateException    if this coordinator is closed
     */
    public LeaderElection election(String name) {
        checkName(name);
        checkOpen();
        return new LeaderElection(this, name, ROOT + "/election/" + name);
    }

    /**
     * The run-at-most-once action called {@code name} (see {@link #mutex} for names).
     *
     * @throws IllegalArgumentException if {@code name} is not a valid name
     * @throws IllegalStateException    if this coordinator is closed
     */
    public DistributedOnce once(String name) {
        checkName(name);
        checkOpen();
        return new DistributedOnce(this, name, ROOT + "/once/" + name);
    }

    /**
     * The counter called {@code name} in this ensemble (see {@link #mutex} for names).
     *
     * @throws IllegalArgumentException if {@code name} is not a valid name
     * @throws IllegalStateException    if this coordinator is closed
     */
    public DistributedCounter counter(String name) {
        checkName(name);
        checkOpen();
        return new DistributedCounter(this, name, ROOT + "/counter/" + name);
    }

    /**
     * The count-down latch called {@code name}, with the count {@code count} if this call creates
     * it (the first caller's count wins; see {@link #mutex} for names).
     *
     * @throws IllegalArgumentException if {@code name} is not a valid name or {@code count} is negative
     * @throws IllegalStateException    if this coordinator is closed
     * @throws InterruptedException     if interrupted while creating it
     */
    public DistributedLatch latch(String name, long count) throws InterruptedException {
        checkName(name);
        if (count < 0) throw new IllegalArgumentException("a latch's count is at least 0, not " + count);
        checkOpen();
        return DistributedLatch.open(this, name, ROOT + "/latch/" + name, count);
    }

    /**
     * The cyclic barrier called {@code name}, tripped by {@code parties} awaits; every party must
     * give the same count (see {@link #mutex} for names).
     *
     * @throws IllegalArgumentException if {@code name} is not a valid name or {@code parties} is below 1
     * @throws IllegalStateException    if this coordinator is closed
     */
    public DistributedBarrier barrier(String name, int parties) {
        checkName(name);
        if (parties < 1) throw new IllegalArgumentException("a barrier has at least 1 party, not " + parties);
        checkOpen();
        return new DistributedBarrier(this, name, ROOT + "/barrier/" + name, parties);
    }

    /** The connection string this coordinator was made with. */
    public String connectString() {
        return connectString;
    }

    /** Whether the client is connected to a server now. */
    public boolean isConnected() {
        return !closed.get() && client.getZookeeperClient().isConnected();
    }

    /**
     * The id of the current ZooKeeper session (a coordinator whose session expired gets a new
     * one), for logs and diagnostics.
     *
     * @throws IllegalStateException if this coordinator is closed
     */
    public long sessionId() {
        checkOpen();
        return zooKeeper().getSessionId();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Ends the session: every guard becomes {@link Ownership#LOST} (its lost callbacks run), every
     * waiting lock fails with an {@link IllegalStateException}, the servers delete this client's
     * nodes, and an {@linkplain #embedded() embedded} server stops. A second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (Waiter w : waiters) w.sessionLost();          // a closed coordinator fails them
        for (FencedGuard g : guards) g.lose("the coordinator was closed");
        client.close();
        if (ownedEnsemble != null) ownedEnsemble.close();
    }

    @Override
    public String toString() {
        return "Coordinator[" + connectString + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- for the primitives ----

    CuratorFramework client() {
        return client;
    }

    void checkOpen() {
        if (closed.get()) throw new IllegalStateException("coordinator closed: " + connectString);
    }

    /** The number of SUSPENDED and LOST events so far; see the implementation notes. */
    long epoch() {
        return epoch.get();
    }

    ZooKeeper zooKeeper() {
        try {
            return client.getZookeeperClient().getZooKeeper();
        } catch (Exception e) {
            throw new CoordinationException("no ZooKeeper handle for " + connectString, e);
        }
    }

    /** The current session's id, or 0 if there is no usable handle now. */
    long currentSessionOrZero() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    byte[] sessionPassword() {
        checkOpen();
        return zooKeeper().getSessionPasswd();
    }

    /** Registers a waiter for connection events; false (and nothing registered) if closed. */
    boolean register(Waiter w) {
        waiters.add(w);
        if (closed.get()) {
            waiters.remove(w);
            return false;
        }
        return true;
    }

    void deregister(Waiter w) {
        waiters.remove(w);
    }

    /**
     * Takes over a freshly granted guard. {@code epochAtCheck} is the epoch when its lock node was
     * last seen: if a SUSPENDED or LOST came since, the guard starts suspended and checks again
     * (the RECONNECTED that would have checked it may already have gone by).
     */
    void adopt(FencedGuard g, long epochAtCheck) {
        guards.add(g);
        if (closed.get()) {
            g.lose("the coordinator was closed");
        } else if (epoch.get() != epochAtCheck) {
            g.suspend();
            g.verify(epoch.get());
        }
    }

    void forget(FencedGuard g) {
        guards.remove(g);
    }

    /**
     * Deletes {@code path} (a lock or queue node of this client) even across connection loss:
     * Curator retries a guaranteed delete until it succeeds. A node that is already gone is fine.
     */
    void deleteQuietly(String path) {
        if (closed.get()) return;                // the session's end deletes our ephemeral nodes
        try {
            client.delete().guaranteed().inBackground((c, e) -> { }).forPath(path);
        } catch (Exception e) {
            // Closed concurrently: the session's end deletes the node.
        }
    }

    /**
     * Deletes {@code paths} (nodes of one grant) in one transaction, all or none, retried across
     * connection loss. If one is gone, none is deleted: the grant's session ended and took its
     * nodes along, and a node at a reused path (a semaphore slot) may be another holder's now.
     */
    void deleteTogether(List<String> paths) {
        if (closed.get()) return;                // the session's end deletes our ephemeral nodes
        try {
            List<CuratorOp> ops = new ArrayList<>();
            for (String p : paths) ops.add(client.transactionOp().delete().forPath(p));
            client.transaction().inBackground((c, e) -> {
                int rc = e.getResultCode();
                if (rc == KeeperException.Code.CONNECTIONLOSS.intValue()
                        || rc == KeeperException.Code.OPERATIONTIMEOUT.intValue()) {
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(() -> deleteTogether(paths));
                }
            }).forOperations(ops);
        } catch (Exception e) {
            // Closed concurrently: the session's end deletes the nodes.
        }
    }

    private void stateChanged(ConnectionState state) {
        switch (state) {
            case SUSPENDED -> {
                epoch.incrementAndGet();
                for (FencedGuard g : guards) g.suspend();
            }
            case LOST -> {
                epoch.incrementAndGet();
                for (FencedGuard g : guards) g.lose("the ZooKeeper session was lost");
                for (Waiter w : waiters) w.sessionLost();
            }
            case RECONNECTED -> {
                long now = epoch.get();
                for (FencedGuard g : guards) g.verify(now);
                for (Waiter w : waiters) w.reconnected();
            }
            default -> { }
        }
    }

    static CoordinationException failure(String what, KeeperException.Code code, String path) {
        KeeperException cause = KeeperException.create(code, path);
        return new CoordinationException(what + " failed: " + cause.getMessage(), cause);
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a primitive name: \"" + name
                    + "\" (letters, digits and _ . : -, 1 to 200 characters)");
        }
    }

    static void validateConnectString(String connectString) {
        Objects.requireNonNull(connectString, "connectString");
        String hosts = connectString;
        int slash = connectString.indexOf('/');
        if (slash >= 0) {
            String chroot = connectString.substring(slash);
            hosts = connectString.substring(0, slash);
            try {
                if (!chroot.equals("/")) PathUtils.validatePath(chroot);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed connection string \"" + connectString
                        + "\": bad chroot " + chroot + ": " + e.getMessage(), e);
            }
        }
        if (hosts.isBlank()) {
            throw new IllegalArgumentException("malformed connection string \"" + connectString
                    + "\": no server; expected host:port[,host:port...][/chroot]");
        }
        for (String part : hosts.split(",", -1)) {
            var m = HOST_PORT.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("malformed connection string \"" + connectString + "\": \""
                        + part + "\" is not host[:port]; expected host:port[,host:port...][/chroot]");
            }
            String port = m.group(2);
            if (port != null) {
                int p = Integer.parseInt(port);
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("malformed connection string \"" + connectString
                            + "\": port " + p + " of \"" + part + "\" is not in 1..65535");
                }
            }
        }
    }
}
