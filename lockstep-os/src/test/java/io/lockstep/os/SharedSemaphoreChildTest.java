package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SharedSemaphore across real processes: the bound, and a holder killed with SIGKILL. */
class SharedSemaphoreChildTest {
    @TempDir
    Path dir;

    @Test
    void twoProcessesNeverHoldMoreThanThePermits() throws Exception {
        Path sem = dir.resolve("bound.sem");
        Path log = dir.resolve("log.txt");
        int rounds = 40;
        try (ChildJvm a = ChildJvm.start(IpcChild.class, "sem-rounds", sem.toString(), "1", log.toString(), "" + rounds);
             ChildJvm b = ChildJvm.start(IpcChild.class, "sem-rounds", sem.toString(), "1", log.toString(), "" + rounds)) {
            a.awaitLine("done"::equals, "done");
            b.awaitLine("done"::equals, "done");
            assertThat(a.awaitExit()).isZero();
            assertThat(b.awaitExit()).isZero();
        }
        CriticalLog seen = CriticalLog.read(log);
        assertThat(seen.problems()).isEmpty();
        assertThat(seen.maxInside()).as("most holders at once, over both processes").isEqualTo(1);
        assertThat(seen.sections()).isEqualTo(2 * 2 * rounds);
        assertThat(seen.processes()).isEqualTo(2);
    }

    @Test
    void aHolderKilledWithSigkillHasItsPermitRecoveredOnce() throws Exception {
        Path file = dir.resolve("crash.sem");
        try (SharedSemaphore sem = SharedSemaphore.open(file, 2);
             ChildJvm holder = ChildJvm.start(IpcChild.class, "sem-hold", file.toString(), "2")) {
            holder.awaitLine(l -> l.startsWith("acquired"), "acquired");
            SharedPermit mine = sem.tryAcquire().orElseThrow();
            assertThat(sem.tryAcquire(Duration.ofMillis(50))).as("both permits held").isEmpty();

            holder.process().destroyForcibly();
            holder.awaitExit();

            SharedPermit recovered = sem.tryAcquire(ChildJvm.PATIENCE).orElseThrow();
            assertThat(sem.recoverAbandoned()).as("nothing left to recover").isZero();
            assertThat(sem.tryAcquire()).as("still two permits, not three").isEmpty();
            recovered.close();
            mine.close();
            assertThat(sem.availablePermits()).isEqualTo(2);
        }
    }
}
