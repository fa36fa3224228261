package io.lockstep.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both stores: the fence refuses stale tokens, for reads and writes, atomically. */
@Timeout(60)
class FencedStoreTest {
    private static final AtomicLong DATABASES = new AtomicLong();

    static Stream<FencedStore<String>> stores() {
        return Stream.of(new InMemoryFencedStore<>(), h2());
    }

    static JdbcFencedStore h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:fenced" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        JdbcFencedStore store = new JdbcFencedStore(ds, "fenced");
        store.createTableIfMissing();
        store.createTableIfMissing();                  // idempotent
        return store;
    }

    @ParameterizedTest
    @MethodSource("stores")
    void acceptsEqualAndHigherTokensAndRefusesLowerOnes(FencedStore<String> store) {
        assertThat(store.fence("k")).isEmpty();
        assertThat(store.read("other", 1)).isEmpty();
        store.write("k", 10, "a");
        store.write("k", 10, "b");                     // the same holder writes again
        assertThat(store.read("k", 10)).contains("b");
        store.write("k", 12, "c");
        assertThat(store.fence("k")).hasValue(12);
        assertThatThrownBy(() -> store.write("k", 11, "stale"))
                .isInstanceOfSatisfying(StaleTokenException.class, e -> {
                    assertThat(e.key()).isEqualTo("k");
                    assertThat(e.token()).isEqualTo(11);
                    assertThat(e.fence()).isEqualTo(12);
                })
                .hasMessageContaining("stale fencing token 11")
                .hasMessageContaining("already seen token 12");
        assertThat(store.tryWrite("k", 9, "stale")).isFalse();
        assertThat(store.read("k", 12)).contains("c");
        assertThat(store.fence("other")).hasValue(1);  // keys are fenced separately
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aFencedReadShutsOutTheOldHoldersLateWrite(FencedStore<String> store) {
        store.write("counter", 5, "1");
        Optional<String> seenByNewHolder = store.read("counter", 7);   // the next holder reads first
        assertThatThrownBy(() -> store.write("counter", 5, "2")).isInstanceOf(StaleTokenException.class);
        assertThatThrownBy(() -> store.read("counter", 6)).isInstanceOf(StaleTokenException.class);
        store.write("counter", 7, "2");
        assertThat(seenByNewHolder).contains("1");
        assertThat(store.read("counter", 7)).contains("2");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new JdbcFencedStore(new JdbcDataSource(), "x; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain SQL table name");
        InMemoryFencedStore<String> store = new InMemoryFencedStore<>();
        assertThatThrownBy(() -> store.write("k", 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.read(null, 1)).isInstanceOf(NullPointerException.class);
    }

    /**
     * Regression: writers that race to create a key. On H2 an INSERT that loses to another
     * request's uncommitted INSERT failed on the key, and the UPDATE retried at once did not yet
     * see the row, so a write whose token was above the fence was refused (CI, stop 26:
     * "StaleTokenException" with fence 0 for token 2).
     */
    @ParameterizedTest
    @MethodSource("stores")
    void writersRacingToCreateAKeyAreRefusedOnlyBelowTheFence(FencedStore<String> store) throws Exception {
        int writers = 4, keys = 300;
        CyclicBarrier start = new CyclicBarrier(writers);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<TestThread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            long token = w;
            threads.add(TestThread.start("creator-" + w, () -> {
                try {
                    for (int k = 0; k < keys; k++) {
                        start.await(20, TimeUnit.SECONDS);
                        try {
                            store.write("key-" + k, token, Long.toString(token));
                        } catch (StaleTokenException e) {
                            assertThat(e.fence()).as("fence of key-%d that refused token %d", k, token)
                                    .isGreaterThan(token);
                        }
                    }
                } catch (Throwable t) {
                    firstFailure.compareAndSet(null, t);   // before reset: the others only see a broken barrier
                    start.reset();
                }
            }));
        }
        for (TestThread t : threads) t.joinAndRethrow();
        if (firstFailure.get() != null) throw new AssertionError(firstFailure.get());
        for (int k = 0; k < keys; k++) {
            assertThat(store.read("key-" + k, writers - 1)).contains(Long.toString(writers - 1));
        }
    }

    /**
     * Writers race with increasing tokens: whatever the interleaving, the store ends at the highest
     * token's value and every refusal was of a token below a fence that had been set.
     */
    @ParameterizedTest
    @MethodSource("stores")
    void racingWritersNeverLetALowerTokenWinLast(FencedStore<String> store) throws Exception {
        int writers = 4, each = 50;
        List<TestThread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(TestThread.start("writer-" + w, () -> {
                for (int i = 0; i < each; i++) {
                    long token = (long) i * writers + id;
                    try {
                        store.write("k", token, Long.toString(token));
                    } catch (StaleTokenException e) {
                        assertThat(e.fence()).isGreaterThan(token);
                    }
                }
            }));
        }
        for (TestThread t : threads) t.joinAndRethrow();
        long top = (long) (each - 1) * writers + (writers - 1);
        assertThat(store.fence("k")).hasValue(top);
        assertThat(store.read("k", top)).contains(Long.toString(top));
    }
}
