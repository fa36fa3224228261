package io.lockstep.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.channel.Channel;
import io.lockstep.channel.Select;
import io.lockstep.testing.Storm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Select storm: producers select-send each id to one of two random channels (or plain-send it,
 * as the channel storm does), consumers select-receive over every channel still open (blocking,
 * timed, or non-blocking), over a bounded, a rendezvous and an unbounded channel, with interrupts
 * from a chaos thread and all channels closed at a random point. A losing clause must take and
 * deliver nothing: every id comes out exactly once (received, or handed back by a closed
 * channel), nothing stalls, and no registration is left.
 */
@Tag("storm")
class SelectStormTest {
    private static final int MESSAGES = Storm.size(15_000);
    private static final int TIMED_OUT = Integer.MIN_VALUE;

    @Test
    void losingClausesLoseNothing() {
        List<Channel<Integer>> channels = List.of(Channel.bounded(2), Channel.rendezvous(), Channel.unbounded());
        Ledger ledger = new Ledger(MESSAGES);
        AtomicInteger nextId = new AtomicInteger(), producersDone = new AtomicInteger();
        int platform = 3, virtual = 12;
        try (Storm storm = new Storm("select")) {
            storm.start(virtual, platform, "producer", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int id; (id = nextId.getAndIncrement()) < MESSAGES; ) {
                    while (!sendOne(channels, id, ledger, rnd)) { }
                    storm.progress();
                }
                producersDone.incrementAndGet();
            });
            storm.start(virtual, platform, "consumer", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                boolean[] closed = new boolean[channels.size()];
                int open = channels.size();
                while (open > 0) {
                    Select<Integer> select = new Select<>();
                    for (int c = 0; c < channels.size(); c++) {
                        int index = c;
                        if (!closed[c]) select.recv(channels.get(c), v -> v, () -> -1 - index);
                    }
                    Integer r;
                    try {
                        r = switch (rnd.nextInt(3)) {
                            case 0 -> select.select();
                            case 1 -> select.select(Duration.ofNanos(rnd.nextLong(1, 300_000)), () -> TIMED_OUT);
                            default -> select.trySelect(() -> TIMED_OUT);
                        };
                    } catch (InterruptedException e) {
                        continue;
                    }
                    if (r == TIMED_OUT) continue;
                    if (r < 0) {
                        closed[-1 - r] = true;
                        open--;
                    } else {
                        ledger.delivered(r);
                        storm.progress();
                    }
                }
            });
            storm.chaos(storm.workers(), 300);
            int closeAt = ThreadLocalRandom.current().nextInt(MESSAGES / 3, MESSAGES * 3 / 2);
            storm.until(() -> ledger.deliveredCount() >= closeAt || producersDone.get() == platform + virtual,
                    "delivered " + closeAt + " or every producer done");
            for (Channel<Integer> c : channels) c.close();
            storm.joinAll();
            ledger.verify();
            for (Channel<Integer> c : channels) {
                assertThat(c.isEmpty()).as("%s drained", c).isTrue();
                assertThat(Probes.registrations(c)).as("registrations left on %s", c).isZero();
            }
        }
    }

    /** Tries once to send {@code id}: a select over two random channels, or a plain send; true once settled. */
    private static boolean sendOne(List<Channel<Integer>> channels, int id, Ledger ledger, ThreadLocalRandom rnd) {
        int first = rnd.nextInt(channels.size()), second = (first + 1 + rnd.nextInt(channels.size() - 1)) % channels.size();
        if (rnd.nextInt(4) == 0) return ChannelStormTest.sendOne(channels.get(first), id, ledger, rnd);
        Select<String> select = new Select<String>()
                .send(channels.get(first), id, () -> "sent", m -> "closed")
                .send(channels.get(second), id, () -> "sent", m -> "closed");
        String r;
        try {
            r = switch (rnd.nextInt(3)) {
                case 0 -> select.select();
                case 1 -> select.select(Duration.ofNanos(rnd.nextLong(1, 300_000)), () -> "timeout");
                default -> select.trySelect(() -> "timeout");
            };
        } catch (InterruptedException e) {
            return false;
        }
        if (r.equals("closed")) ledger.refused(id);
        return !r.equals("timeout");
    }
}
