package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real signals sent with {@code kill -s} to a real child JVM ({@link SignalChild}), which says
 * what it received. POSIX only: Windows has neither {@code kill} nor most of these signals.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OsSignalsChildTest {
    /** One child for the per-signal tests: each subscribes, receives, and closes again. */
    private ChildJvm child;

    @BeforeAll
    void startChild() throws Exception {
        child = ChildJvm.start(SignalChild.class);
        child.awaitLine(l -> l.startsWith("ready"), "ready");
    }

    @AfterAll
    void stopChild() throws Exception {
        if (child != null) child.close();
    }

    @ParameterizedTest
    @EnumSource(value = Signal.class, names = {"INT", "TERM", "HUP", "USR1", "USR2"})
    void everyModeOfEverySubscriberReceivesTheSignal(Signal signal) throws Exception {
        child.send("sub " + signal + " callback");
        String reply = child.awaitLine(l -> l.matches("(subscribed|refused) " + signal + " .*"), "a reply to sub");
        skipIfInheritedAsIgnored(reply, signal);
        assertThat(reply).isEqualTo("subscribed " + signal + " callback");
        assertThat(child.ask("sub " + signal + " event", "subscribed " + signal)).isEqualTo("subscribed " + signal + " event");
        assertThat(child.ask("sub " + signal + " channel", "subscribed " + signal)).isEqualTo("subscribed " + signal + " channel");

        child.signal(signal);

        Set<String> reached = new HashSet<>(); // the three deliveries run concurrently: any order
        while (reached.size() < 3) {
            reached.add(child.awaitLine(l -> l.startsWith("got " + signal + " "), "the deliveries of " + signal + ", got " + reached));
        }
        assertThat(reached).containsExactlyInAnyOrder("got " + signal + " callback", "got " + signal + " event", "got " + signal + " channel");
        for (String mode : List.of("callback", "event", "channel")) {
            assertThat(child.ask("count " + signal + " " + mode, "count " + signal + " " + mode))
                    .isEqualTo("count " + signal + " " + mode + " 1 0");
            child.ask("close " + signal + " " + mode, "closed " + signal + " " + mode);
        }
        // Still alive and answering after the last close restored the default handler.
        assertThat(child.process().isAlive()).isTrue();
    }

    @Test
    void closingOneSubscriberKeepsTheOthers() throws Exception {
        child.ask("sub USR1 callback", "subscribed USR1");
        child.ask("sub USR1 event", "subscribed USR1");
        child.ask("close USR1 callback", "closed USR1");

        child.signal(Signal.USR1);

        child.awaitLine(l -> l.equals("got USR1 event"), "got USR1 event");
        child.ask("close USR1 event", "closed USR1");
        assertThat(child.seen()).doesNotContain("got USR1 callback");
    }

    @Test
    void lastCloseRestoresTheJvmsTermHandler() throws Exception {
        try (ChildJvm c = ChildJvm.start(SignalChild.class)) {
            c.awaitLine(l -> l.startsWith("ready"), "ready");
            c.ask("sub TERM callback", "subscribed TERM");
            c.ask("sub TERM channel", "subscribed TERM");
            c.signal(Signal.TERM);
            c.awaitLine(l -> l.equals("got TERM channel"), "got TERM channel");
            c.ask("close TERM callback", "closed TERM");
            c.ask("close TERM channel", "closed TERM");

            c.signal(Signal.TERM);

            // The JVM's own handler is back: it exits with 128 + 15.
            assertThat(c.awaitExit()).isEqualTo(143);
        }
    }

    @Test
    void shutdownSignalLetsTheChildFinishAndExitCleanly() throws Exception {
        try (ChildJvm c = ChildJvm.start(SignalChild.class)) {
            c.awaitLine(l -> l.startsWith("ready"), "ready");
            c.ask("shutdown", "awaiting");

            c.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output

            String report = c.awaitLine(l -> l.startsWith("shutdown"), "the shutdown report");
            assertThat(report).matches("shutdown TERM finished \\d+");
            assertThat(c.awaitExit()).as("exit status after a graceful shutdown").isZero();
        }
    }

    /** INT and HUP may come ignored from the parent (a background job, nohup): then skip, loudly. */
    private static void skipIfInheritedAsIgnored(String reply, Signal signal) {
        assumeFalse(reply.startsWith("refused") && reply.contains("ignored by this process"),
                () -> signal.osName() + " is ignored by the process that started the tests: " + reply);
    }
}
