package io.lockstep.cli.tour;

import io.lockstep.channel.Channel;
import io.lockstep.channel.RecvResult;
import io.lockstep.channel.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The tour's asynchronous scenarios: futures that are cancelled, timed out and completed early. */
public final class AsyncScenarios implements ScenarioGroup {
    private static final int VIRTUAL_THREADS = 100, OPS_EACH = 1_000;

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "cancel-storm",
                        "100,000 async sends and receives on virtual threads, each cancelled or "
                                + "timed out early, beside platform senders and receivers: nothing lost, nothing stuck",
                        AsyncScenarios::cancelStorm));
    }

    /** Who got which message: every message that went in comes out exactly once. */
    private static final class Ledger {
        private final BitSet sent = new BitSet(), received = new BitSet();
        private int duplicates;

        synchronized void sent(int id) {
            sent.set(id);
        }

        synchronized void received(int id) {
            if (received.get(id)) duplicates++;
            received.set(id);
        }
    }

    private static String cancelStorm() throws Exception {
        Channel<Integer> channel = Channel.bounded(4);
        Ledger ledger = new Ledger();
        AtomicInteger ids = new AtomicInteger();
        AtomicLong withdrawn = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> platform =
                List.of(
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            try {
                                                while (!stop.get()) {
                                                    int id = ids.getAndIncrement();
                                                    if (channel.send(id, Duration.ofMillis(1))
                                                            instanceof SendResult.Sent)
                                                        ledger.sent(id);
                                                }
                                            } catch (InterruptedException e) {
                                                Thread.currentThread().interrupt();
                                            }
                                        }),
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            try {
                                                while (!stop.get()) {
                                                    if (channel.recv(Duration.ofMillis(1))
                                                            instanceof
                                                            RecvResult.Received<Integer> r) {
                                                        ledger.received(r.value());
                                                    }
                                                }
                                            } catch (InterruptedException e) {
                                                Thread.currentThread().interrupt();
                                            }
                                        }));
        List<Thread> virtual = new ArrayList<>();
        try {
            for (int v = 0; v < VIRTUAL_THREADS; v++) {
                boolean sender = v % 2 == 0;
                virtual.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            for (int i = 0;
                                                    i < OPS_EACH
                                                            && !Thread.currentThread()
                                                                    .isInterrupted();
                                                    i++) {
                                                try {
                                                    if (sender) {
                                                        int id = ids.getAndIncrement();
                                                        if (settle(
                                                                endEarly(
                                                                        channel.sendAsync(id),
                                                                        null),
                                                                withdrawn)) ledger.sent(id);
                                                    } else {
                                                        CompletableFuture<Integer> f =
                                                                endEarly(channel.recvAsync(), -1);
                                                        if (!settle(f, withdrawn)) continue;
                                                        if (f.join() == -1)
                                                            withdrawn
                                                                    .incrementAndGet(); // completeOnTimeout won
                                                        else ledger.received(f.join());
                                                    }
                                                } catch (InterruptedException e) {
                                                    Thread.currentThread().interrupt();
                                                }
                                            }
                                        }));
            }
            for (Thread t : virtual) t.join();
        } finally {
            stop.set(true);
            for (Thread t : virtual) t.interrupt(); // only if the tour timed us out
            for (Thread t : platform) t.join();
        }
        channel.close();
        for (RecvResult<Integer> r;
                (r = channel.tryRecv()) instanceof RecvResult.Received<Integer> m; ) {
            ledger.received(m.value());
        }
        synchronized (ledger) {
            Check.equal(0, ledger.duplicates, "messages received twice");
            Check.equal(ledger.sent, ledger.received, "the messages received (= those sent)");
            return VIRTUAL_THREADS * OPS_EACH
                    + " async ops, each cancelled or timed out: "
                    + withdrawn.get()
                    + " withdrawn, the rest had already happened; "
                    + ledger.sent.cardinality()
                    + " messages, each received once";
        }
    }

    /**
     * Ends {@code f} early: cancel, or a timeout that fails it or (receives) completes it with -1.
     */
    private static <T> CompletableFuture<T> endEarly(CompletableFuture<T> f, T timeoutValue) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int micros = random.nextInt(200);
        return switch (random.nextInt(timeoutValue == null ? 2 : 3)) {
            case 0 -> {
                f.cancel(true);
                yield f;
            }
            case 1 -> f.orTimeout(micros, TimeUnit.MICROSECONDS);
            default -> f.completeOnTimeout(timeoutValue, micros, TimeUnit.MICROSECONDS);
        };
    }

    /** Waits for {@code f}: true if the operation took place, false if it was withdrawn. */
    private static boolean settle(CompletableFuture<?> f, AtomicLong withdrawn)
            throws InterruptedException {
        try {
            f.get();
            return true;
        } catch (CancellationException e) {
            withdrawn.incrementAndGet();
            return false;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TimeoutException))
                throw new IllegalStateException(e.getCause());
            withdrawn.incrementAndGet();
            return false;
        }
    }
}
