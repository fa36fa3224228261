package io.lockstep.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.sync.Barrier;
import io.lockstep.sync.Latch;
import io.lockstep.sync.Notify;
import io.lockstep.testing.Storm;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Coordination storms: Barrier, Latch and Notify under virtual and platform threads with
 * timeouts and interrupts. Every generation that trips lets exactly its parties through; every
 * latch releases every waiter and only once open; every notified item is taken exactly once with
 * no wake-up lost (a lost one stalls the storm and fails it with a thread dump).
 */
@Tag("storm")
class CoordinationStormTest {

    /**
     * Parties await a Barrier in rounds; some use short timeouts and the chaos thread interrupts,
     * which break the generation; the test thread resets a broken barrier, and parties that saw
     * it broken wait for that (a party resetting it itself would break the next generation that
     * others already joined, and so on: a livelock of the test, not of the barrier). Threads that
     * passed must be exactly parties × trips, and a broken round leaves nobody counted as waiting.
     */
    @Test
    void barrierLetsThroughExactlyItsPartiesPerTrip() {
        int parties = 6;
        AtomicLong trips = new AtomicLong(), passed = new AtomicLong(), broken = new AtomicLong();
        Barrier barrier = new Barrier(parties, trips::incrementAndGet);
        long target = Storm.size(2_000);
        try (Storm storm = new Storm("barrier")) {
            storm.start(parties / 2, parties - parties / 2, "party", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (trips.get() < target && !storm.stopping()) {
                    try {
                        if (rnd.nextInt(200) == 0) barrier.await(Duration.ofNanos(rnd.nextLong(1, 100_000)));
                        else barrier.await();
                        passed.incrementAndGet();
                        storm.progress();
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        broken.incrementAndGet();
                        storm.awaitSignal(() -> !barrier.isBroken() || trips.get() >= target);
                        Thread.interrupted();
                    }
                }
            });
            storm.chaos(storm.workers(), 5_000);
            storm.until(() -> {
                if (barrier.isBroken()) barrier.reset();
                return trips.get() >= target;
            }, target + " trips");
            // The rest may wait for parties that have left: break them out.
            storm.until(() -> {
                barrier.reset();
                return storm.workers().stream().noneMatch(Thread::isAlive);
            }, "every party left");
            storm.joinAll();
            assertThat(passed.get()).as("passed, with %d trips and %d broken waits", trips.get(), broken.get())
                    .isEqualTo(parties * trips.get());
            assertThat(barrier.getNumberWaiting()).as("waiting after the last (broken) round").isZero();
        }
    }

    /**
     * Rounds of a fresh Latch: counters count down, waiters wait (untimed, timed, interruptibly
     * with retries, uninterruptibly); every waiter must be released, and only once the count is 0.
     */
    @Test
    void latchReleasesEveryWaiterOnceOpen() {
        int rounds = Storm.size(2_000), counters = 3, waiters = 6;
        AtomicReference<Latch> current = new AtomicReference<>();
        AtomicInteger round = new AtomicInteger(), released = new AtomicInteger(), counted = new AtomicInteger();
        try (Storm storm = new Storm("latch")) {
            storm.start(waiters / 2, waiters - waiters / 2, "waiter", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int r = 1; r <= rounds; r++) {
                    int myRound = r;
                    storm.awaitSignal(() -> round.get() >= myRound);
                    Latch latch = current.get();
                    for (boolean open = false; !open; ) {
                        try {
                            switch (rnd.nextInt(4)) {
                                case 0 -> {
                                    latch.await();
                                    open = true;
                                }
                                case 1 -> open = latch.await(Duration.ofNanos(rnd.nextLong(1, 200_000)));
                                case 2 -> {
                                    latch.awaitUninterruptibly();
                                    open = true;
                                }
                                default -> open = latch.await(Duration.ZERO);
                            }
                        } catch (InterruptedException e) {
                            // retry
                        }
                    }
                    if (latch.getCount() != 0 || counted.get() < myRound * counters) {
                        throw new AssertionError("released before the latch opened: " + latch);
                    }
                    released.incrementAndGet();
                    storm.progress();
                }
            });
            storm.start(counters, 0, "counter", i -> {
                for (int r = 1; r <= rounds; r++) {
                    int myRound = r;
                    storm.awaitSignal(() -> round.get() >= myRound);
                    if (ThreadLocalRandom.current().nextBoolean()) LockSupport.parkNanos(20_000);
                    counted.incrementAndGet();
                    current.get().countDown();
                }
            });
            storm.chaos(storm.workers().subList(0, waiters), 200);
            for (int r = 1; r <= rounds; r++) {
                current.set(new Latch(counters));
                round.set(r);
                int expected = r * waiters;
                storm.until(() -> released.get() == expected, "round " + expected / waiters + " released every waiter");
            }
            storm.joinAll();
        }
    }

    /**
     * Producers queue items and call notifyOne (sometimes notifyWaiters); consumers take items
     * and, when there are none, await the Notify (untimed, timed, or interruptibly). A lost
     * notification leaves an item with every consumer asleep: the storm stalls and fails.
     */
    @Test
    void notifyLosesNoWakeUp() {
        int total = Storm.size(40_000);
        Ledger ledger = new Ledger(total);
        ConcurrentLinkedQueue<Integer> items = new ConcurrentLinkedQueue<>();
        Notify notify = new Notify();
        AtomicInteger nextId = new AtomicInteger();
        try (Storm storm = new Storm("notify")) {
            storm.start(2, 2, "producer", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int id; (id = nextId.getAndIncrement()) < total; ) {
                    items.add(id);
                    if (rnd.nextInt(16) == 0) notify.notifyWaiters();
                    notify.notifyOne();
                    if (rnd.nextInt(64) == 0) LockSupport.parkNanos(50_000);   // let consumers go to sleep
                }
            });
            storm.start(4, 4, "consumer", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (ledger.deliveredCount() < total) {
                    Integer id = items.poll();
                    if (id != null) {
                        ledger.delivered(id);
                        storm.progress();
                        if (ledger.deliveredCount() == total) {
                            for (int k = 0; k < 16; k++) notify.notifyWaiters();   // release the rest
                        }
                        continue;
                    }
                    try {
                        switch (rnd.nextInt(3)) {
                            case 0 -> notify.await(Duration.ofNanos(rnd.nextLong(1, 300_000)));
                            case 1 -> notify.awaitUninterruptibly();
                            default -> notify.await();
                        }
                    } catch (InterruptedException e) {
                        // look again
                    }
                }
            });
            storm.chaos(storm.workers(), 300);
            storm.until(() -> ledger.deliveredCount() == total, "every item taken");
            // Consumers still asleep wait for a notification nobody else sends.
            storm.until(() -> {
                notify.notifyWaiters();
                return storm.workers().stream().noneMatch(Thread::isAlive);
            }, "every consumer left");
            storm.joinAll();
            ledger.verify();
        }
    }
}
