package io.lockstep.zookeeper;

import io.lockstep.sync.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A ZooKeeper ensemble of one or three servers (any odd number up to 7) running in this JVM,
 * on ZooKeeper's own server classes, with local ports and a temporary data directory: for
 * development, demos and tests, including the faults a real deployment meets. It can
 * {@linkplain #kill kill} and {@linkplain #restart restart} a server and
 * {@linkplain #expireSession expire} a client's session on the servers.
 *
 * <pre>{@code
 * try (EmbeddedEnsemble zk = EmbeddedEnsemble.start(3);
 *      Coordinator a = Coordinator.connect(zk.connectString());
 *      Coordinator b = Coordinator.connect(zk.connectString())) {
 *     ...
 *     zk.kill(zk.leader());          // a majority is left: the ensemble carries on
 * }
 * }</pre>
 *
 * <p>Not for production: every server shares this JVM's fate, so it tolerates no crash.
 */
public final class EmbeddedEnsemble implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Each server is a ZooKeeperServerEmbedded (standalone for one server, a QuorumPeer for
     * more) over a Properties configuration written here: its client, quorum and election ports
     * are picked free at start and kept across restarts, so a client's connection string stays
     * right; its data directory (with the `myid` file a quorum member needs) too, so a restarted
     * server recovers its snapshot and log. tickTime 500 ms makes elections and session checks
     * quick; session timeouts may still range to 60 s. The admin HTTP server is off.
     * leader() asks each server with the `srvr` four-letter word, which ZooKeeper allows by
     * default.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final List<Properties> configs;
    private final int[] clientPorts;
    private final AtomicReferenceArray<ZooKeeperServerEmbedded> servers;

    private EmbeddedEnsemble(Path dir, List<Properties> configs, int[] clientPorts) {
        this.dir = dir;
        this.configs = configs;
        this.clientPorts = clientPorts;
        this.servers = new AtomicReferenceArray<>(configs.size());
    }

    /**
     * Starts {@code size} servers and returns once each has been started (a quorum may need a
     * moment more to elect a leader; {@link Coordinator#connect} waits for that).
     *
     * @param size 1, 3, 5 or 7
     * @throws IllegalArgumentException if {@code size} is not one of those
     * @throws CoordinationException    if a server does not start
     */
    public static EmbeddedEnsemble start(int size) {
        if (size < 1 || size > 7 || size % 2 == 0) {
            throw new IllegalArgumentException("an embedded ensemble has 1, 3, 5 or 7 servers, not " + size);
        }
        // The ports are free when picked, not necessarily when bound: another process may take
        // one in between, and that server then never starts. Try again on fresh ports.
        CoordinationException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnFreePorts(size);
            } catch (CoordinationException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    private static EmbeddedEnsemble startOnFreePorts(int size) {
        Path dir;
        try {
            dir = Files.createTempDirectory("lockstep-zk");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for an embedded ZooKeeper", e);
        }
        int[] clientPorts = new int[size];
        int[] quorumPorts = new int[size];
        int[] electionPorts = new int[size];
        for (int i = 0; i < size; i++) {
            clientPorts[i] = freePort();
            quorumPorts[i] = freePort();
            electionPorts[i] = freePort();
        }
        List<Properties> configs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Properties p = new Properties();
            Path data = dir.resolve("server" + (i + 1));
            p.setProperty("dataDir", data.toString());
            p.setProperty("clientPort", Integer.toString(clientPorts[i]));
            p.setProperty("clientPortAddress", "127.0.0.1");
            p.setProperty("tickTime", "500");
            p.setProperty("initLimit", "20");
            p.setProperty("syncLimit", "10");
            p.setProperty("maxSessionTimeout", "60000");
            p.setProperty("admin.enableServer", "false");
            p.setProperty("maxClientCnxns", "0");
            if (size > 1) {
                for (int j = 0; j < size; j++) {
                    p.setProperty("server." + (j + 1), "127.0.0.1:" + quorumPorts[j] + ":" + electionPorts[j]);
                }
            }
            try {
                Files.createDirectories(data);
                if (size > 1) Files.writeString(data.resolve("myid"), Integer.toString(i + 1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare " + data, e);
            }
            configs.add(p);
        }
        EmbeddedEnsemble ensemble = new EmbeddedEnsemble(dir, configs, clientPorts);
        try {
            for (int i = 0; i < size; i++) ensemble.restart(i);
        } catch (RuntimeException | Error e) {
            ensemble.close();
            throw e;
        }
        return ensemble;
    }

    /** The connection string of every server, for {@link Coordinator#connect}. */
    public String connectString() {
        StringBuilder sb = new StringBuilder();
        for (int port : clientPorts) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append("127.0.0.1:").append(port);
        }
        return sb.toString();
    }

    /** How many servers the ensemble has, running or not. */
    public int size() {
        return servers.length();
    }

    /** Whether server {@code i} (0-based) runs. */
    public boolean isRunning(int i) {
        return servers.get(checkIndex(i)) != null;
    }

    /** Stops server {@code i} (0-based) at once, as a crash would; does nothing if it is stopped. */
    public void kill(int i) {
        ZooKeeperServerEmbedded s = servers.getAndSet(checkIndex(i), null);
        if (s != null) s.close();
    }

    /**
     * Starts server {@code i} (0-based) again, on its old ports and data; does nothing if it runs.
     *
     * @throws CoordinationException if it does not start
     */
    public void restart(int i) {
        if (servers.get(checkIndex(i)) != null) return;
        try {
            ZooKeeperServerEmbedded s = ZooKeeperServerEmbedded.builder()
                    .baseDir(dir)
                    .configuration((Properties) configs.get(i).clone())
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            s.start(START_TIMEOUT.toMillis());   // a server that dies while starting fails here, not hangs
            if (!servers.compareAndSet(i, null, s)) s.close();     // a racing restart won
        } catch (Exception e) {
            throw new CoordinationException("embedded ZooKeeper server " + i + " did not start", e);
        }
    }

    /**
     * The index of the server that leads the ensemble now (for one server, that server), or -1
     * if none answers as leader (an election is under way, or a majority is down).
     */
    public int leader() {
        for (int i = 0; i < servers.length(); i++) {
            if (!isRunning(i)) continue;
            String mode = ask(clientPorts[i], "srvr");
            if (mode.contains("Mode: leader") || mode.contains("Mode: standalone")) return i;
        }
        return -1;
    }

    /**
     * Expires {@code client}'s session on the servers, as a long partition or pause would: a
     * second handle attaches to the session (same id and password) and closes it. The servers
     * then delete its ephemeral nodes at once, so its locks go to the next in line; the client
     * itself learns it only when it next reaches a server (its guards become
     * {@link Ownership#LOST} then). Unlike curator-test's {@code KillSession}, which only
     * pretends on the client's side, this is the real fault.
     *
     * @throws CoordinationException if no server let the second handle attach within 10 s
     * @throws InterruptedException  if interrupted meanwhile
     */
    public void expireSession(Coordinator client) throws InterruptedException {
        expire(connectString(), client.sessionId(), client.sessionPassword(), Duration.ofSeconds(10));
    }

    /**
     * Attaches a second handle to session {@code id} at {@code connectString} and closes it, which
     * ends the session on the servers. Shared with the tests, which run their own clusters.
     */
    static void expire(String connectString, long id, byte[] password, Duration timeout) throws InterruptedException {
        Event attached = new Event();
        ZooKeeper twin;
        try {
            twin = new ZooKeeper(connectString, (int) timeout.toMillis(), e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected
                        || e.getState() == Watcher.Event.KeeperState.Expired) {
                    attached.set();
                }
            }, id, password);
        } catch (IOException e) {
            throw new CoordinationException("cannot open a second handle on session 0x" + Long.toHexString(id), e);
        }
        try {
            if (!attached.await(timeout)) {
                throw new CoordinationException("could not attach to session 0x" + Long.toHexString(id)
                        + " within " + timeout);
            }
        } finally {
            twin.close();
        }
    }

    /** Stops every server and deletes the data. A second call does nothing. */
    @Override
    public void close() {
        for (int i = 0; i < servers.length(); i++) kill(i);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Already deleted, or a file still held open: the temporary directory is left behind.
        }
    }

    @Override
    public String toString() {
        return "EmbeddedEnsemble[" + connectString() + "]";
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= servers.length()) {
            throw new IndexOutOfBoundsException("server " + i + " of an ensemble of " + servers.length());
        }
        return i;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /** Sends a four-letter word; the answer, or "" if the server does not answer. */
    static String ask(int port, String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
