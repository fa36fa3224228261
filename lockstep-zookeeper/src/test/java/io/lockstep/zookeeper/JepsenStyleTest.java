package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded Jepsen-style run: five clients increment a counter kept in a {@link FencedStore} under
 * a {@link DistributedMutex}, while a nemesis kills and restarts servers of a three-server
 * ensemble and expires clients' sessions on the servers. Clients never check that their guard is
 * still valid before writing (as a paused process could not): the fencing token alone must keep
 * the counter right. The history is then checked: the accepted increments wrote 1, 2, ..., n
 * exactly once each (none lost, none duplicated), their tokens rise strictly in that order, and
 * the store holds n. On failure the nemesis schedule and the history are printed.
 *
 * <p>20 s by default; {@code -Dlockstep.zk.jepsen.seconds=300} for a longer run. The seed is
 * printed, and {@code -Dlockstep.zk.jepsen.seed=...} replays the nemesis's choices.
 */
@Timeout(180)
class JepsenStyleTest {
    private static final int CLIENTS = 5;
    private static final String KEY = "counter";

    private record Step(long atMillis, String who, String what) {
        @Override
        public String toString() {
            return String.format("%6d ms  %-9s %s", atMillis, who, what);
        }
    }

    private record Accepted(String client, long token, long value) {}

    @Test
    void fencedIncrementsStayExactUnderServerCrashesAndSessionExpiries() throws Exception {
        long seconds = Long.getLong("lockstep.zk.jepsen.seconds", 20);
        long seed = Long.getLong("lockstep.zk.jepsen.seed", System.nanoTime());
        InMemoryFencedStore<String> store = new InMemoryFencedStore<>();
        ConcurrentLinkedQueue<Step> history = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
        List<Step> nemesisLog = new ArrayList<>();
        AtomicInteger holder = new AtomicInteger(-1);    // who believes it holds the lock, for the nemesis
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();

        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            String connect = cluster.getConnectString();
            List<Coordinator> clients = new ArrayList<>();
            List<TestThread> threads = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) clients.add(Zk.connect(connect));
                for (int i = 0; i < CLIENTS; i++) {
                    String who = "client-" + i;
                    DistributedMutex mutex = clients.get(i).mutex("jepsen");
                    Random random = new Random(seed + i);
                    int id = i;
                    threads.add(TestThread.start(who, () -> {
                        while (System.nanoTime() - end < 0) {
                            increment(id, mutex, store, random, history, accepted, holder, start);
                        }
                    }));
                }
                runNemesis(cluster, clients, holder, new Random(seed), end, start, nemesisLog);
                for (TestThread t : threads) t.joinAndRethrow();
            } finally {
                for (Coordinator c : clients) c.close();
            }
        }

        List<Accepted> writes = new ArrayList<>(accepted);
        writes.sort(Comparator.comparingLong(Accepted::value));
        String report = "seed " + seed + "\nnemesis:\n" + join(nemesisLog) + "\nhistory:\n"
                + join(history.stream().sorted(Comparator.comparingLong(Step::atMillis)).toList());
        assertThat(writes).as("no increment was accepted at all\n%s", report).isNotEmpty();
        for (int i = 0; i < writes.size(); i++) {
            assertThat(writes.get(i).value())
                    .as("accepted increment #%d (lost or duplicated increments)\n%s", i + 1, report)
                    .isEqualTo(i + 1);
            if (i > 0) {
                assertThat(writes.get(i).token())
                        .as("token of accepted increment #%d above the previous one's\n%s", i + 1, report)
                        .isGreaterThan(writes.get(i - 1).token());
            }
        }
        assertThat(store.read(KEY, Long.MAX_VALUE)).as("the store's count\n%s", report)
                .contains(Long.toString(writes.size()));
        long refused = history.stream().filter(s -> s.what().startsWith("refused")).count();
        System.out.printf("JepsenStyleTest: seed %d, %d s, %d accepted increments, %d stale requests refused,"
                + " %d nemesis actions%n", seed, seconds, writes.size(), refused, nemesisLog.size());
    }

    /** One lock, fenced read, pause, fenced write, unlock; every outcome goes into the history. */
    private static void increment(int id, DistributedMutex mutex, FencedStore<String> store, Random random,
                                  ConcurrentLinkedQueue<Step> history, ConcurrentLinkedQueue<Accepted> accepted,
                                  AtomicInteger holder, long start) throws InterruptedException {
        String who = "client-" + id;
        Optional<DistributedMutexGuard> lock;
        try {
            lock = mutex.tryLock(Duration.ofSeconds(2));
        } catch (CoordinationException | IllegalStateException e) {
            history.add(new Step(millis(start), who, "lock failed: " + e.getMessage()));
            LockSupport.parkNanos(50_000_000);
            return;
        }
        if (lock.isEmpty()) return;
        try (DistributedMutexGuard g = lock.get()) {
            long token = g.token();
            holder.set(id);
            try {
                long value = store.read(KEY, token).map(Long::parseLong).orElse(0L);
                // A pause, often long (a GC, a swap): the session may expire meanwhile, unknown to us.
                LockSupport.parkNanos(random.nextInt(4) == 0 ? 200_000_000L : random.nextInt(2_000_000));
                store.write(KEY, token, Long.toString(value + 1));
                accepted.add(new Accepted(who, token, value + 1));
                history.add(new Step(millis(start), who, "wrote " + (value + 1) + " with token " + token
                        + (g.isValid() ? "" : " (guard " + g.ownership() + ")")));
            } catch (StaleTokenException e) {
                history.add(new Step(millis(start), who, "refused: " + e.getMessage()));
            } finally {
                holder.compareAndSet(id, -1);
            }
        }
    }

    /**
     * Every 0.5 to 1.5 s: kill a server (at most one down), restart it, or expire a client's
     * session: the lock holder's if there is one (the case fencing exists for), else anyone's.
     */
    private static void runNemesis(TestingCluster cluster, List<Coordinator> clients, AtomicInteger holder,
                                   Random random, long end,
                                   long start, List<Step> log) throws Exception {
        InstanceSpec down = null;
        while (System.nanoTime() - end < 0) {
            LockSupport.parkNanos(Duration.ofMillis(500 + random.nextInt(1000)).toNanos());
            if (System.nanoTime() - end >= 0) break;
            int action = random.nextInt(3);
            if (down != null && action != 2) {
                cluster.restartServer(down);
                log.add(new Step(millis(start), "nemesis", "restarted " + down.getPort()));
                down = null;
            } else if (action == 0) {
                List<TestingZooKeeperServer> servers = cluster.getServers();
                down = servers.get(random.nextInt(servers.size())).getInstanceSpec();
                cluster.killServer(down);
                log.add(new Step(millis(start), "nemesis", "killed " + down.getPort()));
            } else {
                int victim = holder.get() >= 0 ? holder.get() : random.nextInt(clients.size());
                try {
                    Zk.expire(clients.get(victim), cluster.getConnectString());
                    log.add(new Step(millis(start), "nemesis", "expired the session of client-" + victim));
                } catch (CoordinationException e) {
                    log.add(new Step(millis(start), "nemesis", "could not expire client-" + victim + ": " + e.getMessage()));
                }
            }
        }
        if (down != null) {
            cluster.restartServer(down);
            log.add(new Step(millis(start), "nemesis", "restarted " + down.getPort()));
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String join(List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) sb.append("  ").append(s).append('\n');
        return sb.toString();
    }
}
