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
 * The Jepsen-style run ({@link JepsenHarness}) for {@link DistributedSemaphore}: five clients
 * share two leases; each lease increments the counter of its slot in a {@link FencedStore}
 * (fenced read, pause, fenced write), never checking that the lease is still valid. Checked from
 * the store's view: per slot, the accepted increments wrote 1, 2, ..., n exactly once with rising
 * tokens; and, with every store request numbered in the store's own order, at no moment were more
 * than two leases inside their accepted read-to-write span. 10 s by default.
 */
@Timeout(180)
class SemaphoreJepsenTest {
    private static final int CLIENTS = 5;
    private static final int PERMITS = 2;

    /** An increment the store accepted: read at {@code readAt}, written at {@code writtenAt} (store order). */
    private record Accepted(String client, int slot, long token, long value, long readAt, long writtenAt) {}

    /** The store, with each request numbered in the order the store performed them. */
    private static final class NumberedStore {
        private final InMemoryFencedStore<String> store = new InMemoryFencedStore<>();
        private long clock;

        synchronized long read(String key, long token, long[] value) {
            value[0] = store.read(key, token).map(Long::parseLong).orElse(0L);
            return ++clock;
        }

        synchronized long write(String key, long token, long value) {
            store.write(key, token, Long.toString(value));
            return ++clock;
        }

        synchronized Optional<String> value(String key) {
            return store.read(key, Long.MAX_VALUE);
        }
    }

    @Test
    void neverMoreThanPermitsLeasesActAsTheStoreSeesIt() throws Exception {
        JepsenHarness run = new JepsenHarness(10);
        NumberedStore store = new NumberedStore();
        ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
        run.run(CLIENTS, (id, client, random) ->
                increment(run, id, client.semaphore("jepsen", PERMITS), store, random, accepted));

        String report = run.report();
        assertThat(accepted).as("no increment was accepted at all\n%s", report).isNotEmpty();
        for (int slot = 0; slot < PERMITS; slot++) {
            int s = slot;
            List<Accepted> writes = new ArrayList<>(accepted.stream().filter(a -> a.slot() == s).toList());
            writes.sort(Comparator.comparingLong(Accepted::value));
            for (int i = 0; i < writes.size(); i++) {
                assertThat(writes.get(i).value())
                        .as("slot %d: accepted increment #%d (lost or duplicated increments)\n%s", s, i + 1, report)
                        .isEqualTo(i + 1);
                if (i > 0) {
                    assertThat(writes.get(i).token())
                            .as("slot %d: token of increment #%d above the previous one's\n%s", s, i + 1, report)
                            .isGreaterThan(writes.get(i - 1).token());
                }
            }
            assertThat(store.value(key(s)).map(Long::parseLong).orElse(0L))
                    .as("slot %d's count\n%s", s, report).isEqualTo(writes.size());
        }
        assertThat(accepted).as("slots\n%s", report).allSatisfy(a -> assertThat(a.slot()).isBetween(0, PERMITS - 1));
        // Sweep the accepted spans in store order: at most PERMITS inside at once.
        List<long[]> events = new ArrayList<>();
        for (Accepted a : accepted) {
            events.add(new long[] {a.readAt(), +1});
            events.add(new long[] {a.writtenAt(), -1});
        }
        events.sort(Comparator.comparingLong((long[] e) -> e[0]));
        int inside = 0, most = 0;
        for (long[] e : events) {
            inside += (int) e[1];
            most = Math.max(most, inside);
        }
        assertThat(most).as("the most leases inside a read-to-write span at once\n%s", report)
                .isLessThanOrEqualTo(PERMITS);
        System.out.printf("SemaphoreJepsenTest: seed %d, %d s, %d accepted increments, at most %d at once,"
                + " %d stale requests refused, %d nemesis actions%n", run.seed, run.seconds, accepted.size(), most,
                run.count("refused"), run.nemesisActions());
    }

    private static String key(int slot) {
        return "slot-" + slot;
    }

    private static void increment(JepsenHarness run, int id, DistributedSemaphore semaphore, NumberedStore store,
                                  Random random, ConcurrentLinkedQueue<Accepted> accepted) throws InterruptedException {
        Optional<DistributedSemaphoreLease> lease;
        try {
            lease = semaphore.tryAcquire(Duration.ofSeconds(2));
        } catch (CoordinationException | IllegalStateException e) {
            run.record(id, "acquire failed: " + e.getMessage());
            LockSupport.parkNanos(50_000_000);
            return;
        }
        if (lease.isEmpty()) return;
        try (DistributedSemaphoreLease l = lease.get()) {
            long token = l.token();
            run.holding(id);
            try {
                long[] value = new long[1];
                long readAt = store.read(key(l.slot()), token, value);
                LockSupport.parkNanos(random.nextInt(4) == 0 ? 200_000_000L : random.nextInt(2_000_000));
                long writtenAt = store.write(key(l.slot()), token, value[0] + 1);
                accepted.add(new Accepted(JepsenHarness.who(id), l.slot(), token, value[0] + 1, readAt, writtenAt));
                run.record(id, "slot " + l.slot() + ": wrote " + (value[0] + 1) + " with token " + token
                        + (l.isValid() ? "" : " (lease " + l.ownership() + ")"));
            } catch (StaleTokenException e) {
                run.record(id, "refused: slot " + l.slot() + ": " + e.getMessage());
            } finally {
                run.notHolding(id);
            }
        }
    }
}
