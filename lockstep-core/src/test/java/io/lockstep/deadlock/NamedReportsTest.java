package io.lockstep.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lock.RawMutex;
import io.lockstep.testing.Await;
import io.lockstep.testing.JfrRecording;
import io.lockstep.testing.TestThread;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deadlock reports name the locks and their holders, and a recording gets a DeadlockFound event (issue 16). */
@Timeout(30)
class NamedReportsTest {
    @BeforeEach
    void noValidation() {
        LockOrder.setPolicy(LockOrder.Policy.OFF);   // with THROW the validator would refuse the second lock
    }

    /** Takes {@code first}, waits until both threads hold their first lock, then takes {@code second}, interruptibly. */
    private static TestThread taking(String name, RawMutex first, RawMutex second, CountDownLatch bothHoldFirst) {
        return TestThread.start(name, () -> {
            first.lock();
            try {
                bothHoldFirst.countDown();
                bothHoldFirst.await();
                second.lockInterruptibly();
                second.unlock();
            } catch (InterruptedException expected) {
                // the test breaks the deadlock
            } finally {
                first.unlock();
            }
        });
    }

    @Test
    void aDeadlockReportNamesTheLocksAndTheHoldersAndIsRecorded() throws Throwable {
        RawMutex accounts = new RawMutex().named("accounts"), ledger = new RawMutex().named("ledger");
        CountDownLatch bothHoldFirst = new CountDownLatch(2);
        TestThread[] threads = new TestThread[2];
        Deadlock[] found = new Deadlock[1];
        List<RecordedEvent> events = JfrRecording.record(JfrRecording.lockstepSettings(), () -> {
            threads[0] = taking("transfer-in", accounts, ledger, bothHoldFirst);
            threads[1] = taking("transfer-out", ledger, accounts, bothHoldFirst);
            found[0] = Await.until(DeadlockDetector::findDeadlocks, d -> !d.isEmpty(), "a deadlock is found").get(0);
        });
        for (TestThread t : threads) t.interrupt();
        for (TestThread t : threads) t.joinAndRethrow();

        String report = found[0].describe();
        assertThat(report).contains("\"transfer-in\"", "waits for RawMutex \"ledger\", held by \"transfer-out\"",
                "\"transfer-out\"", "waits for RawMutex \"accounts\", held by \"transfer-in\"", "taking");
        RecordedEvent e = events.stream().filter(x -> x.getEventType().getName().equals("io.lockstep.DeadlockFound"))
                .findFirst().orElseThrow(() -> new AssertionError("no DeadlockFound event in " + events));
        assertThat(e.getInt("threads")).isEqualTo(2);
        assertThat(e.getString("locks")).contains("RawMutex \"accounts\"", "RawMutex \"ledger\"");
        assertThat(e.getString("report")).isEqualTo(report);
    }
}
