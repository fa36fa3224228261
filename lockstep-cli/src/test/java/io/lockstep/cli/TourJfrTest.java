package io.lockstep.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.cli.tour.Scenario;
import io.lockstep.cli.tour.ScenarioGroup;
import io.lockstep.cli.tour.Tour;
import io.lockstep.lock.RawMutex;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep tour --jfr FILE} records the run, Lockstep's events included (issue 16). */
@Timeout(30)
class TourJfrTest {
    /** A scenario in which a thread waits about 100 ms for a mutex named "tour-orders". */
    private static Scenario contended() {
        return Scenario.of(
                "fake-contended",
                "a thread waits for a held mutex",
                () -> {
                    RawMutex orders = new RawMutex().named("tour-orders");
                    CountDownLatch locking = new CountDownLatch(1);
                    orders.lock();
                    Thread waiter =
                            Thread.ofPlatform()
                                    .name("tour-waiter")
                                    .start(
                                            () -> {
                                                locking.countDown();
                                                orders.lock();
                                                orders.unlock();
                                            });
                    locking.await();
                    Thread.sleep(
                            100); // far over the 20 ms threshold, however late the waiter parks
                    orders.unlock();
                    waiter.join();
                    return "the waiter got the mutex";
                });
    }

    @Test
    void theRecordingHoldsLockstepsEventsAndTheCountIsPrinted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tour.jfr");
        ScenarioGroup group = () -> List.of(contended());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit =
                LockstepCommand.commandLine(Tour.of(group), out, err)
                        .execute("tour", "--jfr", file.toString());

        assertThat(exit).as(err.toString(UTF_8)).isZero();
        assertThat(out.toString(UTF_8))
                .contains("Recorded to " + file + ": Lockstep events ContendedAcquire 1");
        List<RecordedEvent> acquires =
                RecordingFile.readAllEvents(file).stream()
                        .filter(
                                e ->
                                        e.getEventType()
                                                .getName()
                                                .equals("io.lockstep.ContendedAcquire"))
                        .filter(e -> "tour-orders".equals(e.getString("name")))
                        .toList();
        assertThat(acquires).hasSize(1);
        assertThat(acquires.get(0).getThread().getJavaName()).isEqualTo("tour-waiter");
        assertThat(RecordingFile.readAllEvents(file))
                .as("the JDK's default events are there too")
                .anyMatch(e -> e.getEventType().getName().equals("jdk.JVMInformation"));
    }
}
