package io.lockstep.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.channel.Channel;
import io.lockstep.channel.ChannelClosedException;
import io.lockstep.channel.RecvResult;
import io.lockstep.channel.SendResult;
import io.lockstep.testing.Storm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Channel storm, for each flavor: producers and consumers, virtual and platform, each operation
 * picked at random among blocking, timed, non-blocking and async (waited for, cancelled, or
 * timed out with {@code orTimeout}), while a chaos thread interrupts them and the channel is
 * closed at a random point. Every message id must come out exactly once: received by a consumer
 * or handed back to its producer by the closed channel. Nothing may stall (the watchdog fails
 * the test with a thread dump), and the channel ends with no registration left.
 */
@Tag("storm")
class ChannelStormTest {
    private static final int MESSAGES = Storm.size(20_000);

    @ParameterizedTest
    @ValueSource(strings = {"bounded", "unbounded", "rendezvous"})
    void nothingLostNothingDuplicatedNothingStuck(String flavor) throws Exception {
        Supplier<Channel<Integer>> make = switch (flavor) {
            case "bounded" -> () -> Channel.bounded(4);
            case "unbounded" -> Channel::unbounded;
            default -> Channel::rendezvous;
        };
        Channel<Integer> channel = make.get();
        Ledger ledger = new Ledger(MESSAGES);
        AtomicInteger nextId = new AtomicInteger(), producersDone = new AtomicInteger();
        int platform = 3, virtual = 24, producers = platform + virtual;
        try (Storm storm = new Storm("channel-" + flavor)) {
            storm.start(virtual, platform, "producer", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int id; (id = nextId.getAndIncrement()) < MESSAGES; ) {
                    while (!sendOne(channel, id, ledger, rnd)) { }
                    storm.progress();
                }
                producersDone.incrementAndGet();
            });
            storm.start(virtual, platform, "consumer", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (;;) {
                    Integer got = recvOne(channel, rnd);
                    if (got == CLOSED) return;
                    if (got != null) {
                        ledger.delivered(got);
                        storm.progress();
                    }
                }
            });
            List<Thread> everyone = storm.workers();
            storm.chaos(everyone, 300);
            int closeAt = ThreadLocalRandom.current().nextInt(MESSAGES / 3, MESSAGES * 3 / 2);
            storm.until(() -> ledger.deliveredCount() >= closeAt || producersDone.get() == producers,
                    "delivered " + closeAt + " or every producer done");
            channel.close();
            storm.joinAll();
            ledger.verify();
            assertThat(channel.isEmpty()).as("drained").isTrue();
            assertThat(Probes.registrations(channel)).as("registrations left").isZero();
        }
    }

    /** A sentinel for "closed and drained"; distinct from every boxed message id. */
    @SuppressWarnings("removal")
    private static final Integer CLOSED = new Integer(-1);

    /** Tries once to send {@code id}; true once it is settled (sent, or refused for good as the channel closed). */
    static boolean sendOne(Channel<Integer> channel, int id, Ledger ledger, ThreadLocalRandom rnd) {
        try {
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    channel.send(id);
                    return true;
                }
                case 1 -> {
                    return settled(channel.send(id, Duration.ofNanos(rnd.nextLong(1, 200_000))), id, ledger);
                }
                case 2 -> {
                    return settled(channel.trySend(id), id, ledger);
                }
                default -> {
                    CompletableFuture<Void> f = channel.sendAsync(id);
                    Abandon.randomly(f, rnd);
                    Object outcome = Abandon.outcome(f);
                    if (outcome == null) return true;                       // sent
                    if (outcome instanceof ChannelClosedException c) {
                        assertThat(c.undelivered()).isEqualTo(id);
                        ledger.refused(id);
                        return true;
                    }
                    if (outcome instanceof CancellationException || outcome instanceof TimeoutException) return false;
                    throw new AssertionError("sendAsync ended with " + outcome, (Throwable) outcome);
                }
            }
        } catch (InterruptedException e) {
            return false;                                                  // not sent: try again
        } catch (ChannelClosedException e) {
            assertThat(e.undelivered()).isEqualTo(id);
            ledger.refused(id);
            return true;
        }
    }

    private static boolean settled(SendResult<Integer> r, int id, Ledger ledger) {
        switch (r) {
            case SendResult.Sent<Integer> s -> {
                return true;
            }
            case SendResult.Closed<Integer> c -> {
                assertThat(c.value()).isEqualTo(id);
                ledger.refused(id);
                return true;
            }
            case SendResult.Full<Integer> f -> {
                assertThat(f.value()).isEqualTo(id);
                return false;
            }
            case SendResult.TimedOut<Integer> t -> {
                assertThat(t.value()).isEqualTo(id);
                return false;
            }
        }
    }

    /** Tries once to receive: a message id, null for none this time, or {@link #CLOSED}. */
    static Integer recvOne(Channel<Integer> channel, ThreadLocalRandom rnd) {
        try {
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    return channel.recv();
                }
                case 1 -> {
                    return received(channel.recv(Duration.ofNanos(rnd.nextLong(1, 200_000))));
                }
                case 2 -> {
                    return received(channel.tryRecv());
                }
                default -> {
                    CompletableFuture<Integer> f = channel.recvAsync();
                    Abandon.randomly(f, rnd);
                    Object outcome = Abandon.outcome(f);
                    if (outcome instanceof Integer id) return id;
                    if (outcome instanceof ChannelClosedException) return CLOSED;
                    if (outcome instanceof CancellationException || outcome instanceof TimeoutException) return null;
                    throw new AssertionError("recvAsync ended with " + outcome, (Throwable) outcome);
                }
            }
        } catch (InterruptedException e) {
            return null;
        } catch (ChannelClosedException e) {
            return CLOSED;
        }
    }

    private static Integer received(RecvResult<Integer> r) {
        return switch (r) {
            case RecvResult.Received<Integer> got -> got.value();
            case RecvResult.Closed<Integer> c -> CLOSED;
            default -> null;
        };
    }
}
