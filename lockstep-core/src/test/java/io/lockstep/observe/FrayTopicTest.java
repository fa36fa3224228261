package io.lockstep.observe;

import io.lockstep.testing.FrayThreads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): a publisher parked on a full BLOCK_PUBLISHER buffer racing close, request and
 * unsubscribe. A lost wake-up shows as Fray's deadlock report (the publisher parked forever);
 * each test also checks that every buffered event is delivered once, in order, before exactly
 * one end. Synchronous dispatch and platform threads only (Fray does not schedule virtual
 * threads), so every delivery runs on one of the racing threads.
 */
@ExtendWith(FrayTestExtension.class)
class FrayTopicTest {
    private static final SubscriberOptions ONE = SubscriberOptions.defaults().capacity(1).synchronous();

    /** A Flow subscriber that requests nothing by itself. */
    static final class Probe implements Flow.Subscriber<Integer> {
        final ConcurrentLinkedQueue<Integer> items = new ConcurrentLinkedQueue<>();
        final AtomicInteger ends = new AtomicInteger();
        volatile Flow.Subscription subscription;
        volatile boolean endedBeforeLastItem;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Integer item) {
            if (ends.get() > 0) endedBeforeLastItem = true;
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            ends.incrementAndGet();
        }

        @Override
        public void onComplete() {
            ends.incrementAndGet();
        }
    }

    /** Publish into a full buffer while the topic closes and the subscriber requests. */
    @ConcurrencyTest(iterations = 400)
    void blockedPublisherRacesCloseAndRequest() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Probe p = new Probe();
        topic.asPublisher(ONE).subscribe(p);                // onSubscribe runs here
        topic.publish(1);                                   // no demand: the buffer is full
        int[] got = {-2};
        List<Thread> ts = List.of(
                FrayThreads.start(() -> {
                    try {
                        got[0] = topic.publish(2);
                    } catch (IllegalStateException closed) {
                        got[0] = -1;
                    }
                }),
                FrayThreads.start(topic::close),
                FrayThreads.start(() -> p.subscription.request(2)));
        for (Thread t : ts) t.join();
        List<Integer> expected = got[0] == 1 ? List.of(1, 2) : List.of(1);
        assertTrue(got[0] >= -1 && got[0] <= 1, "publish returned " + got[0]);
        assertEquals(expected, new ArrayList<>(p.items), "buffered events delivered once, in order");
        assertEquals(1, p.ends.get(), "exactly one onComplete");
        assertTrue(!p.endedBeforeLastItem, "no event after the end");
    }

    /** Publish into a full buffer while the subscriber unsubscribes (and requests one). */
    @ConcurrencyTest(iterations = 400)
    void blockedPublisherRacesUnsubscribe() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Probe p = new Probe();
        ConcurrentLinkedQueue<Integer> other = new ConcurrentLinkedQueue<>();
        topic.asPublisher(ONE).subscribe(p);
        topic.subscribe(other::add, ONE.capacity(4));
        topic.publish(1);
        int[] got = {-1};
        List<Thread> ts = List.of(
                FrayThreads.start(() -> got[0] = topic.publish(2)),
                FrayThreads.start(() -> p.subscription.cancel()),
                FrayThreads.start(() -> p.subscription.request(1)));
        for (Thread t : ts) t.join();
        assertTrue(got[0] == 1 || got[0] == 2, "the other subscriber always gets it: " + got[0]);
        assertEquals(List.of(1, 2), new ArrayList<>(other), "the other subscriber is not held up");
        assertTrue(p.items.isEmpty() || List.of(1).equals(new ArrayList<>(p.items)), "at most the requested one: " + p.items);
        assertEquals(0, p.ends.get(), "a cancelled subscriber gets no end");
        assertEquals(1, topic.subscriberCount());
    }

    /** Close, unsubscribe and publish at once: at most one end, never one after cancel's effect, nothing after the end. */
    @ConcurrencyTest(iterations = 400)
    void closeRacesUnsubscribeAndPublish() throws InterruptedException {
        Topic<Integer> topic = new Topic<>();
        Probe p = new Probe();
        topic.asPublisher(ONE).subscribe(p);
        p.subscription.request(Long.MAX_VALUE);
        List<Thread> ts = List.of(
                FrayThreads.start(() -> {
                    for (int i = 1; i <= 2; i++) {
                        try {
                            topic.publish(i);
                        } catch (IllegalStateException closed) {
                            return;
                        }
                    }
                }),
                FrayThreads.start(topic::close),
                FrayThreads.start(() -> p.subscription.cancel()));
        for (Thread t : ts) t.join();
        assertTrue(p.ends.get() <= 1, "at most one end: " + p.ends.get());
        assertTrue(!p.endedBeforeLastItem, "no event after the end");
        List<Integer> items = new ArrayList<>(p.items);
        assertTrue(items.isEmpty() || items.equals(List.of(1)) || items.equals(List.of(1, 2)), "a prefix, in order: " + items);
        assertEquals(0, topic.subscriberCount());
    }
}
