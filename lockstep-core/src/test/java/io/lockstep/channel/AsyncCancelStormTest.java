package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, item 1: many virtual threads calling {@code recvAsync}/{@code sendAsync} and ending
 * the futures early ({@code cancel}, {@code orTimeout}, {@code completeOnTimeout},
 * {@code complete}) while platform threads send and receive. Before the fix a withdrawal
 * yield-spun without bound for a step that a virtual thread was to run: with every carrier
 * spinning (and the JDK's delay-scheduler thread spinning inside {@code orTimeout}) the run
 * stalled. Every message sent must be received exactly once; nothing else may be received.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncCancelStormTest {
    private static final Duration STALL = Duration.ofSeconds(20);

    @Test
    void rendezvous() throws Exception {
        storm(Channel::rendezvous);
    }

    @Test
    void bounded() throws Exception {
        storm(() -> Channel.bounded(2));
    }

    /**
     * orTimeout on an operation whose step is in flight: the JDK runs the timeout on its one
     * delay-scheduler thread, which then waited (spinning) for the step, stopping every other
     * CompletableFuture timeout in the JVM. The withdrawal must wait elsewhere.
     */
    @Test
    void orTimeoutNeverHoldsTheJdkTimerThread() throws Exception {
        Channel<Integer> ch = StallingFlavor.stalling(Channel.bounded(2));
        CompletableFuture<Integer> f = ch.recvAsync();
        CountDownLatch stalled = StallingFlavor.of(ch).stallNextAccept();
        assertThat(ch.trySend(1)).isInstanceOf(SendResult.Sent.class);       // selects f: its step starts
        assertThat(stalled.await(STALL.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        f.orTimeout(1, TimeUnit.MILLISECONDS);
        CompletableFuture<Object> probe = new CompletableFuture<>().orTimeout(10, TimeUnit.MILLISECONDS);
        assertThat(probe).as("another future's timeout while f's step is stuck")
                .failsWithin(STALL).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
        StallingFlavor.of(ch).release();
        assertThat(f.get(STALL.toMillis(), TimeUnit.MILLISECONDS)).as("the message, not a timeout").isEqualTo(1);
    }

    /**
     * A cancel that meets a step in flight parks until the step ends (it used to yield-spin,
     * holding a carrier), then reports the outcome the step produced; for a platform and a
     * virtual cancelling thread.
     */
    @Test
    void aCancelWaitingForAStepInFlightParks() throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            Channel<Integer> ch = StallingFlavor.stalling(Channel.bounded(2));
            CompletableFuture<Integer> f = ch.recvAsync();
            CountDownLatch stalled = StallingFlavor.of(ch).stallNextAccept();
            assertThat(ch.trySend(7)).isInstanceOf(SendResult.Sent.class);
            assertThat(stalled.await(STALL.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            AtomicBoolean cancelled = new AtomicBoolean(true);
            TestThread.Body cancel = () -> cancelled.set(f.cancel(true));
            TestThread canceller = virtual ? TestThread.startVirtual("canceller", cancel)
                    : TestThread.start("canceller", cancel);
            canceller.awaitBlocked();
            StallingFlavor.of(ch).release();
            canceller.joinAndRethrow();
            assertThat(cancelled).as("the message moved: cancel must fail").isFalse();
            assertThat(f.get(STALL.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(7);
        }
    }

    private static void storm(Supplier<Channel<Integer>> make) throws Exception {
        Channel<Integer> ch = make.get();
        int virtualThreads = 64, opsEach = Stress.iterations(300);
        AtomicInteger ids = new AtomicInteger();
        Map<Integer, Boolean> sent = new ConcurrentHashMap<>();          // id -> delivered into the channel
        Map<Integer, Integer> received = new ConcurrentHashMap<>();      // id -> times received
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> platform = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            platform.add(Thread.ofPlatform().daemon().start(() -> {      // a sender
                while (!stop.get()) {
                    int id = ids.getAndIncrement();
                    try {
                        if (ch.send(id, Duration.ofMillis(1)) instanceof SendResult.Sent) sent.put(id, true);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
            platform.add(Thread.ofPlatform().daemon().start(() -> {      // a receiver
                while (!stop.get()) {
                    try {
                        if (ch.recv(Duration.ofMillis(1)) instanceof RecvResult.Received<Integer> r) {
                            received.merge(r.value(), 1, Integer::sum);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        CountDownLatch done = new CountDownLatch(virtualThreads);
        List<Throwable> failures = new ArrayList<>();
        for (int v = 0; v < virtualThreads; v++) {
            boolean sender = v % 2 == 0;
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < opsEach; i++) {
                        if (sender) asyncSend(ch, ids.getAndIncrement(), sent);
                        else asyncRecv(ch, received);
                    }
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        boolean finished = done.await(STALL.toMillis(), TimeUnit.MILLISECONDS);
        stop.set(true);
        for (Thread t : platform) t.join(STALL.toMillis());
        if (!finished) fail("stalled: " + done.getCount() + " of " + virtualThreads + " virtual threads still running");
        assertThat(failures).isEmpty();
        ch.close();
        for (RecvResult<Integer> r; (r = ch.tryRecv()) instanceof RecvResult.Received<Integer> m; ) {
            received.merge(m.value(), 1, Integer::sum);
        }
        assertThat(received.values()).as("received twice").allMatch(n -> n == 1);
        assertThat(received.keySet()).as("received = sent").isEqualTo(sent.keySet());
        assertThat(ch.registrations()).as("registrations left").isZero();
    }

    /** One async send ended early in a random way; records the id if the message went in. */
    private static void asyncSend(Channel<Integer> ch, int id, Map<Integer, Boolean> sent) throws Exception {
        CompletableFuture<Void> f = ch.sendAsync(id);
        endEarly(f, null, true);
        if (outcome(f) == Outcome.VALUE) sent.put(id, true);
    }

    private static void asyncRecv(Channel<Integer> ch, Map<Integer, Integer> received) throws Exception {
        CompletableFuture<Integer> f = ch.recvAsync();
        endEarly(f, -1, false);
        if (outcome(f) == Outcome.VALUE && f.join() != -1) received.merge(f.join(), 1, Integer::sum);
    }

    /**
     * Ends {@code f} early in one of the ways a user can. A send's future completes with null
     * whether sent or not, so a send is ended only exceptionally, where the outcome tells.
     */
    private static <T> void endEarly(CompletableFuture<T> f, T value, boolean send) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        switch (r.nextInt(5)) {
            case 0 -> f.cancel(true);
            case 1 -> f.orTimeout(r.nextInt(200), TimeUnit.MICROSECONDS);
            case 2 -> {
                if (send) f.completeExceptionally(new TimeoutException());
                else f.completeOnTimeout(value, r.nextInt(200), TimeUnit.MICROSECONDS);
            }
            case 3 -> {
                if (send) f.cancel(false);
                else f.complete(value);
            }
            default -> f.orTimeout(r.nextInt(2_000), TimeUnit.MICROSECONDS);
        }
    }

    private enum Outcome { VALUE, WITHDRAWN, CLOSED }

    private static Outcome outcome(CompletableFuture<?> f) throws Exception {
        try {
            f.get(STALL.toMillis(), TimeUnit.MILLISECONDS);
            return Outcome.VALUE;
        } catch (CancellationException e) {
            return Outcome.WITHDRAWN;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (c instanceof TimeoutException) return Outcome.WITHDRAWN;
            if (c instanceof ChannelClosedException) return Outcome.CLOSED;
            throw e;
        }
    }
}
