package io.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one check every {@code …Uninterruptibly} wait gets: an interrupt does not end the wait, and
 * the interrupt status is still set when the wait returns.
 *
 * <pre>{@code
 * Event e = new Event();
 * Interrupts.ignoredBy("Event.awaitUninterruptibly", e::awaitUninterruptibly, e::set);
 * }</pre>
 */
public final class Interrupts {
    private Interrupts() {}

    /**
     * Starts {@code wait} on a thread, interrupts it once it blocks, checks it keeps waiting, then
     * runs {@code release} (which must let the wait return) and checks the wait returned normally
     * with the thread's interrupt status set.
     */
    public static void ignoredBy(String what, TestThread.Body wait, TestThread.Body release) throws Throwable {
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        TestThread t = TestThread.start(what, () -> {
            wait.run();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        t.awaitBlocked();
        t.interrupt();
        Await.holds(Duration.ofMillis(20), t::isAlive, what + " keeps waiting when interrupted");
        t.awaitBlocked();                                   // parked again, not spinning on the interrupt
        release.run();
        t.joinAndRethrow();
        assertThat(interruptedAfter).as(what + " returns with the interrupt status set").isTrue();
    }
}
