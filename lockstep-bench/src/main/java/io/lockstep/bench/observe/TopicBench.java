package io.lockstep.bench.observe;

import io.lockstep.observe.Observer;
import io.lockstep.observe.SubscriberOptions;
import io.lockstep.observe.Topic;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One publisher thread pushes {@value #EVENTS} events through a {@link Topic} or a JDK
 * {@link SubmissionPublisher} to 1 or 4 subscribers, each delivering on the same kind of
 * executor (a fixed pool of 2 platform threads, so neither side pays for thread creation), with a
 * buffer of 256 events and a publisher that waits for room (Topic's BLOCK_PUBLISHER,
 * SubmissionPublisher's {@code submit}). Score: ns per event published, until every subscriber
 * has had the last one. The target: Topic at least 1.5x SubmissionPublisher.
 *
 * <p>The wait for the last event is bounded ({@value #STALL_SECONDS} s): a stalled
 * implementation fails the run with an {@link IllegalStateException} naming it instead of
 * hanging. SubmissionPublisher with 4 subscribers was seen to stall here (publisher waiting on
 * the latch, pool threads idle). The benchmark's own protocol is not the cause: each round makes
 * a fresh latch of one count per subscriber before its first event, and each subscriber counts
 * it down once, on that round's last event, which it can only see after the latch was made;
 * the previous round's latch reached zero before this one replaced it. What the benchmark did
 * hide is a subscriber that the publisher drops with {@code onError} (a throwing
 * {@code onNext}, a rejected consumer task): its latch count never came down, silently. Errors
 * are now recorded and the stall report names them.
 *
 * <pre>
 * java -jar lockstep-bench/target/benchmarks.jar TopicBench -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TopicBench {
    static final int EVENTS = 20_000;
    static final int BUFFER = 256;
    static final int STALL_SECONDS = 30;

    @Param({"lockstep", "submission"})
    public String impl;

    @Param({"1", "4"})
    public int subscribers;

    private ExecutorService pool;
    private Topic<Integer> topic;
    private SubmissionPublisher<Integer> submission;
    private volatile CountDownLatch done;
    private final AtomicReference<Throwable> error = new AtomicReference<>();

    /** Counts the last event of each round down on the current latch. */
    private void seen(int event) {
        if (event == EVENTS - 1) done.countDown();
    }

    @Setup(Level.Trial)
    public void setup() {
        pool = Executors.newFixedThreadPool(2);
        switch (impl) {
            case "lockstep" -> {
                topic = new Topic<>((subscription, t) -> error.compareAndSet(null, t));
                SubscriberOptions options = SubscriberOptions.defaults().capacity(BUFFER).executor(pool);
                Observer<Integer> observer = this::seen;
                for (int i = 0; i < subscribers; i++) topic.subscribe(observer, options);
            }
            case "submission" -> {
                submission = new SubmissionPublisher<>(pool, BUFFER);
                for (int i = 0; i < subscribers; i++) {
                    submission.subscribe(new Flow.Subscriber<>() {
                        public void onSubscribe(Flow.Subscription s) {
                            s.request(Long.MAX_VALUE);
                        }

                        public void onNext(Integer item) {
                            seen(item);
                        }

                        public void onError(Throwable t) {
                            error.compareAndSet(null, t);
                        }

                        public void onComplete() {}
                    });
                }
            }
            default -> throw new IllegalArgumentException(impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (topic != null) topic.close();
        if (submission != null) submission.close();
        pool.shutdown();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void publish() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(subscribers);
        done = latch;
        if (topic != null) {
            for (int i = 0; i < EVENTS; i++) topic.publish(i);
        } else {
            for (int i = 0; i < EVENTS; i++) submission.submit(i);
        }
        if (!latch.await(STALL_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(impl + " with " + subscribers + " subscribers stalled: "
                    + latch.getCount() + " of them did not get the last of " + EVENTS + " events in "
                    + STALL_SECONDS + " s" + (error.get() == null ? "" : "; a subscriber failed: " + error.get()));
        }
    }
}
