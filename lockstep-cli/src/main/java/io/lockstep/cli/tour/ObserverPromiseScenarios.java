package io.lockstep.cli.tour;

import io.lockstep.channel.Channel;
import io.lockstep.channel.Oneshot;
import io.lockstep.channel.Select;
import io.lockstep.channel.SendResult;
import io.lockstep.lock.Mutex;
import io.lockstep.lock.RawMutex;
import io.lockstep.observe.Observer;
import io.lockstep.observe.SubscriberOptions;
import io.lockstep.observe.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * The tour's observer and promise scenarios: a Topic with a slow subscriber, a select over a
 * channel and a future, and a mutex locked by futures ({@code async-mutex}).
 */
public final class ObserverPromiseScenarios implements ScenarioGroup {
    private static final int EVENTS = 200;
    private static final long SLOW_MILLIS = 2;
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "observer",
                        "a Topic with a slow and a fast subscriber: the slow one does not delay the "
                                + "fast one, and each gets every event in order",
                        ObserverPromiseScenarios::observer),
                Scenario.of(
                        "promise",
                        "a Select over a channel and a CompletableFuture: the channel wins, the losing "
                                + "future is cancelled and its producer sees it",
                        ObserverPromiseScenarios::promise),
                Scenario.of(
                        "async-mutex",
                        "10,000 tasks increment a Mutex<Integer> through lockAsync on a 2-thread "
                                + "executor: the exact count, and no thread ever waits in the lock's line",
                        ObserverPromiseScenarios::asyncMutex));
    }

    /** Records events and the end; the fast one also notes when it has them all. */
    private static final class Recorder implements Observer<Integer> {
        final List<Integer> events = new CopyOnWriteArrayList<>();
        final CountDownLatch completed = new CountDownLatch(1);
        final CountDownLatch all = new CountDownLatch(1);
        final long sleepMillis;
        volatile int slowSeenWhenFastDone = -1;

        Recorder(long sleepMillis) {
            this.sleepMillis = sleepMillis;
        }

        @Override
        public void onEvent(Integer e) {
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis); // a slow consumer: a database write, say
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
            events.add(e);
            if (events.size() == EVENTS) all.countDown();
        }

        @Override
        public void onComplete() {
            completed.countDown();
        }
    }

    private static String observer() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Recorder slow = new Recorder(SLOW_MILLIS), fast = new Recorder(0);
        SubscriberOptions options =
                SubscriberOptions.defaults().capacity(EVENTS); // each on its own virtual threads
        topic.subscribe(slow, options);
        topic.subscribe(fast, options);
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) topic.publish(i);
        Check.that(
                fast.all.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS),
                "the fast subscriber never got all %d events",
                EVENTS);
        long fastMillis = (System.nanoTime() - start) / 1_000_000;
        int slowThen = slow.events.size();
        topic.close();
        Check.that(
                slow.completed.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS),
                "the slow subscriber never completed");
        Check.that(
                fast.completed.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS),
                "the fast subscriber never completed");
        long slowMillis = (System.nanoTime() - start) / 1_000_000;
        List<Integer> expected = IntStream.range(0, EVENTS).boxed().toList();
        Check.equal(expected, fast.events, "the fast subscriber's events");
        Check.equal(expected, slow.events, "the slow subscriber's events");
        Check.that(
                slowThen < EVENTS / 2,
                "the fast subscriber waited for the slow one: it finished when the slow one "
                        + "had %d of %d events",
                slowThen,
                EVENTS);
        return String.format(
                "%d events; the fast subscriber had all of them after %d ms, when the slow one (%d ms "
                        + "each) had %d; the slow one finished after %d ms; both in order, both completed",
                EVENTS, fastMillis, SLOW_MILLIS, slowThen, slowMillis);
    }

    private static final int TASKS = 10_000;

    private static String asyncMutex() throws Exception {
        Mutex<Integer> counter = Mutex.of(0).named("counter");
        RawMutex raw = (RawMutex) counter.rawLock();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger threadsInLine = new AtomicInteger(), mostRequestsInLine = new AtomicInteger();
        try {
            List<CompletableFuture<Void>> tasks = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                tasks.add(
                        CompletableFuture.runAsync(() -> {}, pool)
                                .thenCompose(
                                        start -> counter.lockAsync()) // asked for on a pool thread
                                .thenAcceptAsync(
                                        g -> { // the body runs later, on either thread
                                            try (g) {
                                                g.set(g.get() + 1);
                                                threadsInLine.addAndGet(
                                                        raw.getQueuedThreads().size());
                                                mostRequestsInLine.accumulateAndGet(
                                                        raw.getQueueLength(), Math::max);
                                            }
                                        },
                                        pool));
            }
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new))
                    .get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            pool.shutdownNow();
        }
        int total = counter.withLock(c -> c);
        Check.equal(TASKS, total, "the count");
        Check.equal(0, threadsInLine.get(), "threads seen waiting in the lock's line");
        return String.format(
                "%,d increments through lockAsync on 2 threads: count %,d; up to %,d requests waited in the "
                        + "lock's line at once, and no thread ever did",
                TASKS, total, mostRequestsInLine.get());
    }

    private static String promise() throws Exception {
        Channel<String> channel = Channel.bounded(1);
        Oneshot<String> answer = new Oneshot<>();
        CompletableFuture<String> slowAnswer =
                answer.toFuture(); // cancelling it closes the oneshot
        AtomicReference<String> producerSaw = new AtomicReference<>("nothing");
        Thread producer =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    long deadline = System.nanoTime() + LIMIT.toNanos();
                                    while (!answer.isDone() && System.nanoTime() < deadline) {
                                        try {
                                            Thread.sleep(1); // slow work, one step at a time
                                        } catch (InterruptedException stop) {
                                            return;
                                        }
                                    }
                                    SendResult<String> r = answer.trySend("the slow answer");
                                    producerSaw.set(
                                            r instanceof SendResult.Closed
                                                    ? "its answer refused: cancelled"
                                                    : "its answer taken");
                                });
        Thread sender =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try {
                                        Thread.sleep(20);
                                        channel.send("the fast answer");
                                    } catch (InterruptedException stop) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        String winner;
        try {
            winner =
                    new Select<String>()
                            .recv(
                                    channel,
                                    m -> {
                                        slowAnswer.cancel(false); // the loser is cancelled
                                        return "channel: " + m;
                                    })
                            .await(slowAnswer, v -> "future: " + v)
                            .select(LIMIT, () -> "timeout");
        } finally {
            sender.join(LIMIT);
            producer.join(LIMIT);
        }
        Check.equal("channel: the fast answer", winner, "the select's winner");
        Check.that(slowAnswer.isCancelled(), "the losing future was not cancelled");
        Check.equal("its answer refused: cancelled", producerSaw.get(), "what the producer saw");
        Check.that(!producer.isAlive(), "the producer is still running");
        return "the channel won after ~20 ms; the losing future was cancelled, which closed its oneshot, and the "
                + "producer stopped with its answer refused";
    }
}
