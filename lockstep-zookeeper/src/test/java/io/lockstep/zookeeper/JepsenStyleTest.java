package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded Jepsen-style run ({@link JepsenHarness}): five clients increment a counter kept in a
 * {@link FencedStore} under a {@link DistributedMutex}, while the nemesis kills and restarts
 * servers and expires sessions on the servers. Clients never check that their guard is still
 * valid before writing (as a paused process could not): the fencing token alone must keep the
 * counter right. The history is then checked: the accepted increments wrote 1, 2, ..., n exactly
 * once each (none lost, none duplicated), their tokens rise strictly in that order, and the store
 * holds n. On failure the nemesis schedule and the history are printed. 20 s by default.
 */
@Timeout(180)
class JepsenStyleTest {
    private static final int CLIENTS = 5;
    private static final String KEY = "counter";

    private record Accepted(String client, long token, long value) {}

    @Test
    void fencedIncrementsStayExactUnderServerCrashesAndSessionExpiries() throws Exception {
        JepsenHarness run = new JepsenHarness(20);
        InMemoryFencedStore<String> store = new InMemoryFencedStore<>();
        ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
        run.run(CLIENTS, (id, client, random) -> increment(run, id, client.mutex("jepsen"), store, random, accepted));

        List<Accepted> writes = new ArrayList<>(accepted);
        writes.sort(Comparator.comparingLong(Accepted::value));
        String report = run.report();
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
        System.out.printf("JepsenStyleTest: seed %d, %d s, %d accepted increments, %d stale requests refused,"
                + " %d nemesis actions%n", run.seed, run.seconds, writes.size(), run.count("refused"),
                run.nemesisActions());
    }

    /** One lock, fenced read, pause, fenced write, unlock; every outcome goes into the history. */
    private static void increment(JepsenHarness run, int id, DistributedMutex mutex, FencedStore<String> store,
                                  Random random, ConcurrentLinkedQueue<Accepted> accepted) throws InterruptedException {
        Optional<DistributedMutexGuard> lock;
        try {
            lock = mutex.tryLock(Duration.ofSeconds(2));
        } catch (CoordinationException | IllegalStateException e) {
            run.record(id, "lock failed: " + e.getMessage());
            LockSupport.parkNanos(50_000_000);
            return;
        }
        if (lock.isEmpty()) return;
        try (DistributedMutexGuard g = lock.get()) {
            long token = g.token();
            run.holding(id);
            try {
                long value = store.read(KEY, token).map(Long::parseLong).orElse(0L);
                // A pause, often long (a GC, a swap): the session may expire meanwhile, unknown to us.
                LockSupport.parkNanos(random.nextInt(4) == 0 ? 200_000_000L : random.nextInt(2_000_000));
                store.write(KEY, token, Long.toString(value + 1));
                accepted.add(new Accepted(JepsenHarness.who(id), token, value + 1));
                run.record(id, "wrote " + (value + 1) + " with token " + token
                        + (g.isValid() ? "" : " (guard " + g.ownership() + ")"));
            } catch (StaleTokenException e) {
                run.record(id, "refused: " + e.getMessage());
            } finally {
                run.notHolding(id);
            }
        }
    }
}
