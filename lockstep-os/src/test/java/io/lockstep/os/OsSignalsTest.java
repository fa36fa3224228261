package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.channel.Channel;
import io.lockstep.sync.Event;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sun.misc.SignalHandler;

/**
 * In-process checks of the subscription bookkeeping: no signal is raised here (a mistake would
 * kill the test JVM); {@link OsSignalsChildTest} sends real ones to a child JVM.
 */
class OsSignalsTest {

    @ParameterizedTest
    @EnumSource(value = Signal.class, names = {"QUIT", "KILL", "STOP", "SEGV", "PIPE"})
    void reservedSignalsAreRefusedWithTheReason(Signal signal) {
        assertThat(OsSignals.isSupported(signal)).isFalse();
        assertThatThrownBy(() -> OsSignals.subscribe(signal, s -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(signal.osName())
                .hasMessageContaining(signal.reservedBecause());
        assertThat(OsSignals.subscriberCount(signal)).isZero();
    }

    @Test
    void parseAcceptsBothSpellings() {
        assertThat(Signal.parse("SIGTERM")).isEqualTo(Signal.TERM);
        assertThat(Signal.parse(" usr1 ")).isEqualTo(Signal.USR1);
        assertThatThrownBy(() -> Signal.parse("SIGFOO")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIGFOO");
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> OsSignals.subscribe(null, new Event())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> OsSignals.subscribe(Signal.USR1, (Event) null)).isInstanceOf(NullPointerException.class);
        assertThat(OsSignals.subscriberCount(Signal.USR1)).isZero();
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void lastCloseRestoresThePreviousHandlerAndOnlyThen() {
        sun.misc.Signal usr1 = new sun.misc.Signal("USR1");
        SignalHandler mine = s -> { };
        SignalHandler original = sun.misc.Signal.handle(usr1, mine);
        try {
            SignalSubscription a = OsSignals.subscribe(Signal.USR1, new Event());
            SignalSubscription b = OsSignals.subscribe(Signal.USR1, Channel.<Signal>bounded(1));
            assertThat(OsSignals.subscriberCount(Signal.USR1)).isEqualTo(2);

            a.close();
            a.close(); // idempotent: must not remove b
            assertThat(OsSignals.subscriberCount(Signal.USR1)).isEqualTo(1);
            SignalHandler installed = sun.misc.Signal.handle(usr1, mine); // a probe: swap ours out and back
            sun.misc.Signal.handle(usr1, installed);
            assertThat(installed).as("still ours while b is open").isNotSameAs(mine);

            b.close();
            assertThat(OsSignals.subscriberCount(Signal.USR1)).isZero();
            assertThat(sun.misc.Signal.handle(usr1, mine)).as("the handler before the first subscribe").isSameAs(mine);
        } finally {
            sun.misc.Signal.handle(usr1, original);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void closeLeavesAHandlerInstalledByOtherCodeInPlace() {
        sun.misc.Signal usr1 = new sun.misc.Signal("USR1");
        SignalHandler before = sun.misc.Signal.handle(usr1, s -> { });
        try {
            SignalSubscription sub = OsSignals.subscribe(Signal.USR1, new Event());
            SignalHandler theirs = s -> { };
            sun.misc.Signal.handle(usr1, theirs);

            sub.close();

            assertThat(sun.misc.Signal.handle(usr1, theirs)).isSameAs(theirs);
        } finally {
            sun.misc.Signal.handle(usr1, before);
        }
    }

    @Test
    void shutdownSignalFiresOnceAndEachAsyncWaiterIsIndependent() throws Exception {
        try (ShutdownSignal shutdown = new ShutdownSignal()) {
            assertThat(shutdown.signals()).contains(Signal.TERM);
            CompletableFuture<Signal> cancelled = shutdown.awaitAsync();
            CompletableFuture<Signal> kept = shutdown.awaitAsync();
            assertThat(cancelled.cancel(false)).isTrue();
            assertThat(shutdown.await(Duration.ofMillis(1))).isEmpty();

            CompletableFuture<Signal> blocking = CompletableFuture.supplyAsync(() -> {
                try {
                    return shutdown.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, Thread::startVirtualThread);
            shutdown.trigger(Signal.TERM);
            shutdown.trigger(Signal.INT); // only the first counts

            assertThat(blocking.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(Signal.TERM);
            assertThat(kept.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(Signal.TERM);
            assertThat(shutdown.received()).contains(Signal.TERM);
            assertThat(shutdown.awaitAsync()).isCompletedWithValue(Signal.TERM);
        }
        assertThat(OsSignals.subscriberCount(Signal.TERM)).isZero();
        assertThat(OsSignals.subscriberCount(Signal.INT)).isZero();
    }
}
