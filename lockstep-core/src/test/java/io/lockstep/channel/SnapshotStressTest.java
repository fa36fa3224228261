package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.channel.flavors.Token;
import io.lockstep.lockfree.MpmcArrayQueue;
import io.lockstep.lockfree.MsQueue;
import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weakly consistent snapshots under churn (issue 12, item 7): while other threads add and take,
 * a thread that has just added x finds x with {@code contains} and with an iterator, as long as
 * x is still there. "Still there" is decided afterwards by {@code remove(x)}, which is
 * linearizable: if it finds x, x was buffered from the add to the remove, so throughout the
 * contains and the iteration too. Before the fix the snapshot stopped at the first slot another
 * producer had reserved but not yet written (or at a slot taken meanwhile), so x behind it was
 * missed.
 *
 * <p>On the rings the churners remove their own elements rather than poll, so that they never
 * take x and every round is checked (a removed slot at the head is passed at once; the ring is
 * large enough not to fill while a churner is descheduled); on the lists, which pass removed
 * slots only when polled, they poll, behind a backlog. On the channel views one more sender
 * reserves a slot, yields, then writes it (the two phases a select uses), standing for a
 * producer descheduled between them, which is otherwise rare enough to need many more rounds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SnapshotStressTest {
    private static final int CHURNERS = 3, BACKLOG = 24, RING = 1 << 12;

    /** A queue to check; whether its churners poll (else they remove their own elements); a slow sender. */
    record Case(String name, Queue<Object> queue, boolean poll, Consumer<Object> slowSend) {
        static Case view(String name, Channel<Object> channel, boolean poll) {
            return new Case(name, channel.asBlockingQueue(), poll, m -> {
                Token token = new Token();
                if (!channel.flavor.startSend(token)) return;                    // full
                Thread.yield();
                channel.flavor.write(token, m);
            });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> queues() {
        return Stream.of(
                Case.view("bounded channel view", Channel.bounded(RING), false),
                Case.view("unbounded channel view", Channel.unbounded(), true),
                new Case("MpmcArrayQueue", new MpmcArrayQueue<>(RING), false, null),
                new Case("MsQueue", new MsQueue<>(), true, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queues")
    void containsAndIterationFindWhatICalledAddFor(Case c) throws Exception {
        Queue<Object> q = c.queue();
        if (c.poll()) {
            for (int i = 0; i < BACKLOG; i++) q.add(i);      // x waits behind a backlog
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<TestThread> churners = new ArrayList<>();
        for (int t = 0; t < CHURNERS; t++) {
            boolean slow = t == 0 && c.slowSend() != null;
            churners.add(TestThread.start("churner-" + t, () -> {
                while (!stop.get()) {
                    Object e = new Object();
                    if (slow) {
                        c.slowSend().accept(e);
                    } else if (!q.offer(e)) {
                        continue;                            // full for a moment: fine
                    }
                    if (c.poll()) q.poll();
                    else q.remove(e);
                }
            }));
        }
        int rounds = Stress.iterations(2_000), checked = 0, missedByContains = 0, missedByIterator = 0;
        try {
            for (int r = 0; r < rounds; r++) {
                Object x = new Object();                     // identity: only this x matches
                if (!q.offer(x)) continue;
                boolean contained = q.contains(x);
                boolean iterated = false;
                for (Object o : q) iterated |= o == x;
                if (!q.remove(x)) continue;                  // polled meanwhile: nothing to check
                checked++;
                if (!contained) missedByContains++;
                if (!iterated) missedByIterator++;
            }
        } finally {
            stop.set(true);
            for (TestThread t : churners) t.joinAndRethrow();
        }
        assertThat(checked).as("rounds where x stayed buffered").isPositive();
        assertThat(missedByContains).as("contains(x) false while x was buffered, of %d", checked).isZero();
        assertThat(missedByIterator).as("iterator missed x while it was buffered, of %d", checked).isZero();
    }
}
