package io.lockstep.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.observe.Observer;
import io.lockstep.observe.Overflow;
import io.lockstep.observe.Subscription;
import io.lockstep.observe.SubscriberOptions;
import io.lockstep.observe.Topic;
import io.lockstep.testing.Storm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Topic storm: publishers on virtual and platform threads (interrupted by a chaos thread, some
 * publishing with short timeouts) against one subscriber per overflow policy, a synchronous
 * one, a thrower, and subscribers that come and go throughout. Then it counts: for every
 * subscriber that stayed, events delivered + events dropped = events published; each
 * publisher's events arrive in order, none twice; every throw is reported once; every
 * subscriber that stayed completes exactly once.
 */
@Tag("storm")
class TopicStormTest {
    private static final int PUBLISHERS = 4;

    /** Checks per-publisher order and counts what it saw. */
    static final class Ledger implements Observer<Long> {
        final String name;
        final long[] last = new long[PUBLISHERS];
        final AtomicLong received = new AtomicLong();
        final AtomicInteger completed = new AtomicInteger();
        final int throwEvery;
        volatile String broken;
        Subscription subscription;

        Ledger(String name, int throwEvery) {
            this.name = name;
            this.throwEvery = throwEvery;
            java.util.Arrays.fill(last, -1);
        }

        @Override
        public void onEvent(Long e) {                    // serial per subscriber: plain fields suffice
            int p = (int) (e >>> 32);
            long seq = e & 0xFFFF_FFFFL;
            if (seq <= last[p]) broken = name + ": publisher " + p + " sent " + seq + " after " + last[p];
            last[p] = seq;
            long n = received.incrementAndGet();
            if (completed.get() > 0) broken = name + ": an event after onComplete";
            if (throwEvery > 0 && n % throwEvery == 0) throw new IllegalStateException("planned");
            if (ThreadLocalRandom.current().nextInt(500) == 0) LockSupport.parkNanos(200_000);   // now and then slow
        }

        @Override
        public void onComplete() {
            completed.incrementAndGet();
        }

        @Override
        public void onError(Throwable cause) {
            broken = name + ": unexpected onError " + cause;
        }
    }

    @Test
    void everyEventIsDeliveredOrCountedAsDropped() {
        int perPublisher = Storm.size(20_000);
        AtomicLong reported = new AtomicLong(), planned = new AtomicLong();
        Topic<Long> topic = new Topic<>((s, e) -> {
            if ("planned".equals(e.getMessage())) planned.incrementAndGet();
            reported.incrementAndGet();
        });
        List<Ledger> stayers = new ArrayList<>();
        SubscriberOptions base = SubscriberOptions.defaults().capacity(8);
        Object[][] kinds = {
                {"block", base},
                {"drop-oldest", base.overflow(Overflow.DROP_OLDEST)},
                {"drop-newest", base.overflow(Overflow.DROP_NEWEST)},
                {"synchronous", base.synchronous()},
                {"thrower", base.capacity(64)}};
        for (Object[] k : kinds) {
            Ledger l = new Ledger((String) k[0], k[0].equals("thrower") ? 97 : 0);
            l.subscription = topic.subscribe(l, (SubscriberOptions) k[1]);
            stayers.add(l);
        }
        AtomicInteger publishersDone = new AtomicInteger();
        AtomicLong churned = new AtomicLong();
        try (Storm storm = new Storm("topic")) {
            List<Thread> publishers = storm.start(PUBLISHERS / 2, PUBLISHERS - PUBLISHERS / 2, "publisher", p -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (long seq = 0; seq < perPublisher; seq++) {
                    long event = ((long) p << 32) | seq;
                    if (rnd.nextInt(10) == 0) topic.publish(event, Duration.ofNanos(rnd.nextLong(1, 200_000)));
                    else topic.publish(event);
                    Thread.interrupted();                // publish keeps an interrupt for us: clear it
                    storm.progress();
                }
                publishersDone.incrementAndGet();
            });
            storm.start(1, 1, "churn", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (publishersDone.get() < PUBLISHERS && !storm.stopping()) {
                    Ledger l = new Ledger("churn", 0);
                    Overflow o = Overflow.values()[rnd.nextInt(3)];          // not FAIL: it would leave
                    Subscription s = topic.subscribe(l, base.overflow(o));
                    LockSupport.parkNanos(rnd.nextLong(10_000, 500_000));
                    s.cancel();
                    if (l.broken != null) throw new AssertionError(l.broken);
                    churned.incrementAndGet();
                    storm.progress();
                }
            });
            storm.chaos(publishers, 500);
            storm.until(() -> publishersDone.get() == PUBLISHERS, "every publisher done");
            topic.close();
            storm.until(() -> stayers.stream().allMatch(l -> l.completed.get() > 0), "every subscriber completed");
            storm.joinAll();
        }
        long total = (long) PUBLISHERS * perPublisher;
        for (Ledger l : stayers) {
            assertThat(l.broken).as(l.name).isNull();
            assertThat(l.completed.get()).as(l.name + " completions").isEqualTo(1);
            assertThat(l.received.get() + l.subscription.dropped()).as(l.name + ": delivered + dropped").isEqualTo(total);
        }
        long throwerReceived = stayers.get(4).received.get();
        assertThat(planned.get()).as("every planned throw reported").isEqualTo(throwerReceived / 97);
        assertThat(reported.get()).as("nothing else failed").isEqualTo(planned.get());
        assertThat(churned.get()).as("subscribers came and went").isPositive();
        assertThat(topic.subscriberCount()).isZero();
    }
}
