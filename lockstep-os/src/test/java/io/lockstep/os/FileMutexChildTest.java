package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileMutex across real processes: exclusion, and a holder killed with SIGKILL. */
class FileMutexChildTest {
    @TempDir
    Path dir;

    @Test
    void twoProcessesAndTheirThreadsAreNeverInsideTogether() throws Exception {
        Path lock = dir.resolve("excl.lock");
        Path log = dir.resolve("log.txt");
        int rounds = 40;
        try (ChildJvm a = ChildJvm.start(IpcChild.class, "rounds", lock.toString(), log.toString(), "" + rounds);
             ChildJvm b = ChildJvm.start(IpcChild.class, "rounds", lock.toString(), log.toString(), "" + rounds)) {
            a.awaitLine("done"::equals, "done");
            b.awaitLine("done"::equals, "done");
            assertThat(a.awaitExit()).isZero();
            assertThat(b.awaitExit()).isZero();
        }
        CriticalLog seen = CriticalLog.read(log);
        assertThat(seen.problems()).isEmpty();
        assertThat(seen.maxInside()).as("most threads inside at once, over both processes").isEqualTo(1);
        assertThat(seen.sections()).isEqualTo(2 * 2 * rounds); // processes x threads x rounds
        assertThat(seen.processes()).as("both processes took part").isEqualTo(2);
    }

    @Test
    void aHolderKilledWithSigkillReleasesTheMutex() throws Exception {
        Path lock = dir.resolve("crash.lock");
        try (FileMutex mutex = FileMutex.open(lock);
             ChildJvm holder = ChildJvm.start(IpcChild.class, "hold", lock.toString())) {
            holder.awaitLine(l -> l.startsWith("locked"), "locked");
            assertThat(mutex.tryLock()).as("held by the child").isEmpty();
            assertThat(mutex.tryLock(Duration.ofMillis(50))).as("held by the child").isEmpty();

            holder.process().destroyForcibly();
            holder.awaitExit();

            Optional<FileMutexGuard> guard = mutex.tryLock(ChildJvm.PATIENCE);
            assertThat(guard).as("the survivor proceeds").isPresent();
            guard.get().close();
        }
    }

    @Test
    void openingAndClosingAnotherFileMutexOnTheFileKeepsTheLock() throws Exception {
        Path lock = dir.resolve("reopen.lock");
        try (FileMutex holder = FileMutex.open(lock); FileMutexGuard g = holder.lock()) {
            // With a channel of its own, this close would drop the process's POSIX lock.
            FileMutex.open(lock).close();
            try (ChildJvm probe = ChildJvm.start(IpcChild.class, "probe", lock.toString())) {
                assertThat(probe.awaitLine(l -> l.equals("busy") || l.equals("acquired"), "the probe's verdict"))
                        .as("another process sees the file locked").isEqualTo("busy");
            }
        }
    }
}
