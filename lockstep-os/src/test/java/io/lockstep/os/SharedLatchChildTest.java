package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SharedLatch across real processes: count-downs from children, one killed after counting. */
class SharedLatchChildTest {
    @TempDir
    Path dir;

    @Test
    void aCountDownByAProcessKilledAfterwardsCountsExactlyOnceAndOpensAWaiterElsewhere() throws Exception {
        Path file = dir.resolve("ready.latch");
        try (SharedLatch latch = SharedLatch.open(file, 3);
             ChildJvm waiter = ChildJvm.start(IpcChild.class, "latch-await", file.toString(), "3");
             ChildJvm counter = ChildJvm.start(IpcChild.class, "latch-count", file.toString(), "3")) {
            counter.awaitLine("counted"::equals, "counted");
            counter.process().destroyForcibly();
            counter.awaitExit();
            assertThat(latch.getCount()).as("the dead process's count-down stays counted, once").isEqualTo(2);

            assertThat(latch.countDown()).isTrue();
            assertThat(latch.await(Duration.ofMillis(50))).as("one count-down still missing").isFalse();
            assertThat(latch.getCount()).isEqualTo(1);
            assertThat(latch.countDown()).isTrue();
            assertThat(latch.await(ChildJvm.PATIENCE)).isTrue();
            waiter.awaitLine("opened"::equals, "opened");
            assertThat(waiter.awaitExit()).isZero();
            assertThat(latch.countDown()).as("an open latch stays open").isFalse();
            assertThat(latch.getCount()).isZero();
        }
    }
}
