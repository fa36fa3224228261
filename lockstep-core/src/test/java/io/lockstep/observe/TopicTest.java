package io.lockstep.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Topic: ordering, isolation, the four overflow policies, close, and subscribing during delivery. */
@Timeout(60)
class TopicTest {
    private static final SubscriberOptions SYNC = SubscriberOptions.defaults().synchronous();

    /** Records what an observer saw; thread-safe. */
    static final class Recorder<T> implements Observer<T> {
        final List<T> events = new CopyOnWriteArrayList<>();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        public void onEvent(T event) {
            events.add(event);
        }

        @Override
        public void onComplete() {
            completed.incrementAndGet();
        }

        @Override
        public void onError(Throwable cause) {
            error.set(cause);
        }

        boolean ended() {
            return completed.get() > 0 || error.get() != null;
        }
    }

    /** An observer whose first callback waits at a gate until the test opens it. */
    static final class Gated<T> extends CountDownLatch implements Observer<T> {
        final Recorder<T> inner = new Recorder<>();
        final CountDownLatch entered = new CountDownLatch(1);

        Gated() {
            super(1);
        }

        @Override
        public void onEvent(T event) {
            entered.countDown();
            try {
                if (!await(20, TimeUnit.SECONDS)) throw new AssertionError("gate never opened");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            inner.onEvent(event);
        }

        @Override
        public void onComplete() {
            inner.onComplete();
        }

        @Override
        public void onError(Throwable cause) {
            inner.onError(cause);
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(20, TimeUnit.SECONDS)).as("the gated subscriber got its first event").isTrue();
        }
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void everySubscriberGetsEveryEventInOrderThenComplete() {
        Topic<Integer> topic = new Topic<>();
        Recorder<Integer> sync = new Recorder<>(), async = new Recorder<>();
        topic.subscribe(sync, SYNC);
        topic.subscribe(async);
        for (int i = 0; i < 1_000; i++) assertThat(topic.publish(i)).isEqualTo(2);
        assertThat(sync.events).as("synchronous: delivered before publish returned").isEqualTo(range(0, 1_000));
        topic.close();
        Await.until(async::ended, "the executor subscriber completes");
        assertThat(async.events).isEqualTo(range(0, 1_000));
        assertThat(async.completed.get()).isEqualTo(1);
        assertThat(sync.completed.get()).isEqualTo(1);
        assertThat(topic.subscriberCount()).isZero();
    }

    @Test
    void aSlowSubscriberDoesNotDelayAFastOne() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Gated<Integer> slow = new Gated<>();
        Recorder<Integer> fast = new Recorder<>();
        topic.subscribe(slow, SubscriberOptions.defaults().capacity(1_000));
        topic.subscribe(fast, SubscriberOptions.defaults().capacity(1_000));
        for (int i = 0; i < 500; i++) topic.publish(i);
        Await.until(() -> fast.events.size() == 500, "the fast subscriber has everything");
        slow.awaitEntered();
        assertThat(slow.inner.events).as("the slow one is still in its first callback").isEmpty();
        slow.countDown();
        topic.close();
        Await.until(slow.inner::ended, "the slow subscriber completes");
        assertThat(slow.inner.events).isEqualTo(range(0, 500));
        assertThat(fast.events).isEqualTo(range(0, 500));
    }

    @Test
    void dropOldestKeepsTheNewestEvents() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Gated<Integer> g = new Gated<>();
        Subscription s = topic.subscribe(g, SubscriberOptions.defaults().capacity(4).overflow(Overflow.DROP_OLDEST));
        topic.publish(0);
        g.awaitEntered();                                 // 0 is out of the buffer, in the callback
        for (int i = 1; i <= 10; i++) assertThat(topic.publish(i)).isEqualTo(1);
        assertThat(s.pending()).isEqualTo(4);
        assertThat(s.dropped()).isEqualTo(6);
        g.countDown();
        topic.close();
        Await.until(g.inner::ended, "completes");
        assertThat(g.inner.events).containsExactly(0, 7, 8, 9, 10);
    }

    @Test
    void dropNewestKeepsTheBuffer() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Gated<Integer> g = new Gated<>();
        Subscription s = topic.subscribe(g, SubscriberOptions.defaults().capacity(4).overflow(Overflow.DROP_NEWEST));
        topic.publish(0);
        g.awaitEntered();
        for (int i = 1; i <= 10; i++) topic.publish(i);
        assertThat(s.dropped()).isEqualTo(6);
        g.countDown();
        topic.close();
        Await.until(g.inner::ended, "completes");
        assertThat(g.inner.events).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void failSubscriberGetsItsBufferThenOverflowAndLeaves() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Gated<Integer> g = new Gated<>();
        Recorder<Integer> other = new Recorder<>();
        Subscription s = topic.subscribe(g, SubscriberOptions.defaults().capacity(2).overflow(Overflow.FAIL_SUBSCRIBER));
        topic.subscribe(other, SYNC);
        topic.publish(0);
        g.awaitEntered();
        topic.publish(1);
        topic.publish(2);
        assertThat(topic.publish(3)).as("the failed subscriber does not count").isEqualTo(1);
        assertThat(topic.subscriberCount()).isEqualTo(1);
        assertThat(topic.publish(4)).isEqualTo(1);
        g.countDown();
        Await.until(g.inner::ended, "the failed subscriber gets its error");
        assertThat(g.inner.events).containsExactly(0, 1, 2);
        assertThat(g.inner.error.get()).isInstanceOf(OverflowException.class);
        assertThat(s.dropped()).isEqualTo(1);
        assertThat(s.isActive()).isFalse();
        assertThat(other.events).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void blockPublisherParksUntilThereIsRoomAfterTheOthersGotTheEvent() throws Exception {
        Topic<Integer> topic = new Topic<>();
        Gated<Integer> g = new Gated<>();
        Recorder<Integer> other = new Recorder<>();
        topic.subscribe(g, SubscriberOptions.defaults().capacity(1));
        topic.subscribe(other, SYNC);
        topic.publish(0);
        g.awaitEntered();
        topic.publish(1);                                 // fills the buffer
        TestThread publisher = TestThread.start("publisher", () -> assertThat(topic.publish(2)).isEqualTo(2));
        publisher.awaitBlocked();
        Await.until(() -> other.events.size() == 3, "the other subscriber got 2 before the publisher waited");
        assertThat(publisher.isAlive()).isTrue();
        g.countDown();
        publisher.joinAndRethrow();
        topic.close();
        Await.until(g.inner::ended, "completes");
        assertThat(g.inner.events).containsExactly(0, 1, 2);
    }

    @Test
    void timedPublishGivesUpOnAFullBlockingSubscriber() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Gated<Integer> g = new Gated<>();
        Recorder<Integer> other = new Recorder<>();
        Subscription s = topic.subscribe(g, SubscriberOptions.defaults().capacity(1));
        topic.subscribe(other, SYNC);
        topic.publish(0);
        g.awaitEntered();
        topic.publish(1);
        assertThat(topic.publish(2, Duration.ofMillis(20))).as("only the other subscriber").isEqualTo(1);
        assertThat(topic.publish(3, Duration.ZERO)).isEqualTo(1);
        assertThat(s.dropped()).isEqualTo(2);
        g.countDown();
        topic.close();
        Await.until(g.inner::ended, "completes");
        assertThat(g.inner.events).containsExactly(0, 1);
        assertThat(other.events).containsExactly(0, 1, 2, 3);
    }

    @Test
    void closeWakesABlockedPublisher() throws Exception {
        Topic<Integer> topic = new Topic<>();
        Gated<Integer> g = new Gated<>();
        topic.subscribe(g, SubscriberOptions.defaults().capacity(1));
        topic.publish(0);
        g.awaitEntered();
        topic.publish(1);
        TestThread publisher = TestThread.start("publisher", () -> assertThat(topic.publish(2)).isZero());
        publisher.awaitBlocked();
        topic.close();
        publisher.joinAndRethrow();
        g.countDown();
        Await.until(g.inner::ended, "completes");
        assertThat(g.inner.events).containsExactly(0, 1);
        assertThat(g.inner.completed.get()).isEqualTo(1);
    }

    @Test
    void unsubscribeWakesABlockedPublisher() throws Exception {
        Topic<Integer> topic = new Topic<>();
        Gated<Integer> g = new Gated<>();
        Subscription s = topic.subscribe(g, SubscriberOptions.defaults().capacity(1));
        topic.publish(0);
        g.awaitEntered();
        topic.publish(1);
        TestThread publisher = TestThread.start("publisher", () -> assertThat(topic.publish(2)).isZero());
        publisher.awaitBlocked();
        s.cancel();
        publisher.joinAndRethrow();
        g.countDown();
        Await.holds(Duration.ofMillis(50), () -> g.inner.events.size() <= 1, "no delivery after unsubscribe but the running one");
        assertThat(g.inner.completed.get()).as("a cancelled subscriber is not completed").isZero();
        assertThat(topic.subscriberCount()).isZero();
    }

    @Test
    void aThrowingSubscriberIsReportedAndIsolated() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Topic<Integer> topic = new Topic<>((sub, e) -> reported.add(e));
        List<Integer> seen = new ArrayList<>();
        topic.subscribe(e -> {
            seen.add(e);
            if (e == 3) throw new IllegalStateException("boom at 3");
        }, SYNC);
        Recorder<Integer> other = new Recorder<>();
        topic.subscribe(other, SYNC);
        for (int i = 0; i < 6; i++) topic.publish(i);
        assertThat(reported).singleElement().extracting(Throwable::getMessage).isEqualTo("boom at 3");
        assertThat(seen).as("the thrower goes on").isEqualTo(range(0, 6));
        assertThat(other.events).isEqualTo(range(0, 6));
    }

    @Test
    void aThrowingErrorHandlerReachesTheUncaughtExceptionHandler() {
        Topic<Integer> topic = new Topic<>((sub, e) -> {
            throw new IllegalStateException("handler failed");
        });
        topic.subscribe(e -> {
            throw new IllegalArgumentException("subscriber failed");
        }, SYNC);
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread me = Thread.currentThread();
        Thread.UncaughtExceptionHandler before = me.getUncaughtExceptionHandler();
        me.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            topic.publish(1);
        } finally {
            me.setUncaughtExceptionHandler(before == me.getThreadGroup() ? null : before);
        }
        assertThat(uncaught).singleElement().satisfies(e -> {
            assertThat(e).hasMessage("handler failed");
            assertThat(e.getSuppressed()).hasSize(1);
            assertThat(e.getSuppressed()[0]).hasMessage("subscriber failed");
        });
    }

    @Test
    void subscribeAndUnsubscribeFromInsideADelivery() {
        Topic<Integer> topic = new Topic<>();
        Recorder<Integer> late = new Recorder<>();
        AtomicReference<Subscription> self = new AtomicReference<>();
        List<Integer> first = new ArrayList<>();
        self.set(topic.subscribe(e -> {
            first.add(e);
            if (e == 2) {
                topic.subscribe(late, SYNC);
                self.get().cancel();
            }
        }, SYNC));
        for (int i = 0; i < 5; i++) topic.publish(i);
        assertThat(first).containsExactly(0, 1, 2);
        assertThat(late.events).containsExactly(3, 4);
    }

    @Test
    void aSubscriberThatRepublishesRunsInALoopNotARecursion() {
        Topic<Integer> topic = new Topic<>();
        int n = 200_000;
        AtomicInteger last = new AtomicInteger();
        topic.subscribe(e -> {
            last.set(e);
            if (e < n) topic.publish(e + 1);
        }, SYNC);
        topic.publish(0);
        assertThat(last.get()).as("a deep chain ran on a flat stack").isEqualTo(n);
    }

    @Test
    void publishingIntoItsOwnFullBufferFailsInsteadOfWaitingForever() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Topic<Integer> topic = new Topic<>((s, e) -> reported.add(e));
        List<Integer> seen = new ArrayList<>();
        topic.subscribe(e -> {
            seen.add(e);
            if (e == 0) {
                topic.publish(1);                         // fills the buffer of 1
                topic.publish(2);                         // would wait for this very callback
            }
        }, SYNC.capacity(1));
        topic.publish(0);
        assertThat(reported).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(seen).containsExactly(0, 1);
    }

    @Test
    void closeExceptionallyAndSubscribingToAClosedTopic() {
        Topic<Integer> topic = new Topic<>();
        Recorder<Integer> r = new Recorder<>();
        topic.subscribe(r, SYNC);
        topic.publish(1);
        RuntimeException cause = new RuntimeException("upstream failed");
        assertThat(topic.closeExceptionally(cause)).isTrue();
        assertThat(topic.close()).isFalse();
        assertThat(r.events).containsExactly(1);
        assertThat(r.error.get()).isSameAs(cause);
        assertThatThrownBy(() -> topic.publish(2)).isInstanceOf(IllegalStateException.class);
        Recorder<Integer> late = new Recorder<>();
        Subscription s = topic.subscribe(late, SYNC);
        assertThat(late.error.get()).as("a late subscriber gets the end at once").isSameAs(cause);
        assertThat(s.isActive()).isFalse();
        assertThat(topic.isClosed()).isTrue();
    }

    @Test
    void executorThatRefusesFailsTheSubscriberVisibly() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Topic<Integer> topic = new Topic<>((s, e) -> reported.add(e));
        Recorder<Integer> r = new Recorder<>();
        topic.subscribe(r, SubscriberOptions.defaults().executor(task -> {
            throw new RejectedExecutionException("shut down");
        }));
        assertThat(topic.publish(1)).isEqualTo(1);
        assertThat(reported).singleElement().isInstanceOf(RejectedExecutionException.class);
        assertThat(r.error.get()).isInstanceOf(RejectedExecutionException.class);
        assertThat(topic.subscriberCount()).isZero();
        assertThat(topic.publish(2)).isZero();
    }

    @Test
    void flowViewHonoursDemandAndRule39() {
        Topic<Integer> topic = new Topic<>();
        ConcurrentLinkedQueue<Object> signals = new ConcurrentLinkedQueue<>();
        AtomicReference<Flow.Subscription> sub = new AtomicReference<>();
        topic.asPublisher(SYNC).subscribe(new Flow.Subscriber<Integer>() {
            public void onSubscribe(Flow.Subscription s) {
                sub.set(s);
                signals.add("subscribed");
            }

            public void onNext(Integer item) {
                signals.add(item);
            }

            public void onError(Throwable t) {
                signals.add(t);
            }

            public void onComplete() {
                signals.add("complete");
            }
        });
        topic.publish(1);
        topic.publish(2);
        assertThat(signals).containsExactly("subscribed");
        sub.get().request(1);
        assertThat(signals).containsExactly("subscribed", 1);
        sub.get().request(0);
        assertThat(signals).hasSize(3).last().isInstanceOf(IllegalArgumentException.class);
        assertThat(topic.subscriberCount()).isZero();
    }

    @Test
    void badInputIsRefusedClearly() {
        Topic<Integer> topic = new Topic<>();
        assertThatThrownBy(() -> topic.publish(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> topic.subscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> topic.asPublisher().subscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> topic.publish(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SubscriberOptions.defaults().capacity(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscriberOptions.defaults().overflow(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Topic<Integer>(null)).isInstanceOf(NullPointerException.class);
    }
}
