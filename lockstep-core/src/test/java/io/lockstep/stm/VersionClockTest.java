package io.lockstep.stm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The commit clock: every tick is unique and later than every value read before it. */
class VersionClockTest {

    @Test
    void ticksAreUniqueAcrossThreadsAndNowNeverRunsBehind() throws InterruptedException {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<TestThread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(TestThread.start("ticker" + i, () -> {
                for (int n = 0; n < 10_000; n++) {
                    long before = VersionClock.now();
                    long t = VersionClock.tick();
                    assertThat(t).isGreaterThan(before);
                    assertThat(VersionClock.now()).isGreaterThanOrEqualTo(t);
                    assertThat(seen.add(t)).as("tick %d handed out twice", t).isTrue();
                }
            }));
        }
        for (TestThread t : threads) t.joinAndRethrow();
        assertThat(seen).hasSize(40_000);
    }
}
