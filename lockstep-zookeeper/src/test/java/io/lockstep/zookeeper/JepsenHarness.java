package io.lockstep.zookeeper;

import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;

/**
 * The bounded Jepsen-style run shared by the fenced primitives' tests: clients loop on a three-
 * server TestingCluster while a nemesis kills and restarts servers and expires clients' sessions
 * on the servers (preferring a current holder's: the case fencing exists for). It keeps the
 * history and the nemesis schedule for the failure report.
 *
 * <p>{@code -Dlockstep.zk.jepsen.seconds=300} runs longer; the seed is printed, and
 * {@code -Dlockstep.zk.jepsen.seed=...} replays the nemesis's choices.
 */
final class JepsenHarness {
    record Step(long atMillis, String who, String what) {
        @Override
        public String toString() {
            return String.format("%6d ms  %-9s %s", atMillis, who, what);
        }
    }

    /** One client's turn: acquire, act on the store, release; record every outcome. */
    interface Turn {
        void run(int id, Coordinator client, Random random) throws InterruptedException;
    }

    final long seconds;
    final long seed;
    private final long start = System.nanoTime();
    private final ConcurrentLinkedQueue<Step> history = new ConcurrentLinkedQueue<>();
    private final List<Step> nemesisLog = new ArrayList<>();
    /** Who believes it holds a grant now, for the nemesis. */
    private final Set<Integer> holders = ConcurrentHashMap.newKeySet();

    JepsenHarness(long defaultSeconds) {
        this.seconds = Long.getLong("lockstep.zk.jepsen.seconds", defaultSeconds);
        this.seed = Long.getLong("lockstep.zk.jepsen.seed", System.nanoTime());
    }

    /** Runs {@code clients} clients, each repeating {@code turn} until the time is up, under the nemesis. */
    void run(int clients, Turn turn) throws Exception {
        long end = start + Duration.ofSeconds(seconds).toNanos();
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            List<Coordinator> coordinators = new ArrayList<>();
            List<TestThread> threads = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) coordinators.add(Zk.connect(cluster.getConnectString()));
                for (int i = 0; i < clients; i++) {
                    int id = i;
                    Coordinator c = coordinators.get(i);
                    Random random = new Random(seed + i);
                    threads.add(TestThread.start(who(id), () -> {
                        while (System.nanoTime() - end < 0) turn.run(id, c, random);
                    }));
                }
                runNemesis(cluster, coordinators, new Random(seed), end);
                for (TestThread t : threads) t.joinAndRethrow();
            } finally {
                for (Coordinator c : coordinators) c.close();
            }
        }
    }

    static String who(int id) {
        return "client-" + id;
    }

    void record(int id, String what) {
        history.add(new Step(millis(), who(id), what));
    }

    void holding(int id) {
        holders.add(id);
    }

    void notHolding(int id) {
        holders.remove(id);
    }

    /** How many recorded steps start with {@code prefix}. */
    long count(String prefix) {
        return history.stream().filter(s -> s.what().startsWith(prefix)).count();
    }

    int nemesisActions() {
        return nemesisLog.size();
    }

    /** The seed, the nemesis schedule and the history, for a failure message. */
    String report() {
        return "seed " + seed + "\nnemesis:\n" + join(nemesisLog) + "\nhistory:\n"
                + join(history.stream().sorted(Comparator.comparingLong(Step::atMillis)).toList());
    }

    /**
     * Every 0.5 to 1.5 s: kill a server (at most one down), restart it, or expire a client's
     * session: a holder's if there is one, else anyone's.
     */
    private void runNemesis(TestingCluster cluster, List<Coordinator> clients, Random random, long end)
            throws Exception {
        InstanceSpec down = null;
        while (System.nanoTime() - end < 0) {
            LockSupport.parkNanos(Duration.ofMillis(500 + random.nextInt(1000)).toNanos());
            if (System.nanoTime() - end >= 0) break;
            int action = random.nextInt(3);
            if (down != null && action != 2) {
                cluster.restartServer(down);
                nemesis("restarted " + down.getPort());
                down = null;
            } else if (action == 0) {
                List<TestingZooKeeperServer> servers = cluster.getServers();
                down = servers.get(random.nextInt(servers.size())).getInstanceSpec();
                cluster.killServer(down);
                nemesis("killed " + down.getPort());
            } else {
                List<Integer> now = new ArrayList<>(holders);
                int victim = now.isEmpty() ? random.nextInt(clients.size()) : now.get(random.nextInt(now.size()));
                try {
                    Zk.expire(clients.get(victim), cluster.getConnectString());
                    nemesis("expired the session of " + who(victim));
                } catch (CoordinationException e) {
                    nemesis("could not expire " + who(victim) + ": " + e.getMessage());
                }
            }
        }
        if (down != null) {
            cluster.restartServer(down);
            nemesis("restarted " + down.getPort());
        }
    }

    private void nemesis(String what) {
        nemesisLog.add(new Step(millis(), "nemesis", what));
    }

    private long millis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String join(List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) sb.append("  ").append(s).append('\n');
        return sb.toString();
    }
}
