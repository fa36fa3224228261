package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Eventually;
import io.lockstep.testing.Interrupts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Event, AutoResetEvent and Notify: Python's Event and tokio's Notify behaviours, written fresh. */
@Timeout(30)
class EventTest {

    @Test
    void eventReleasesEveryWaiterAndStaysSetUntilCleared() throws Exception {
        Event e = new Event();
        assertThat(e.isSet()).isFalse();
        assertThat(e.await(Duration.ofMillis(5))).isFalse();
        AtomicInteger released = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(Thread.ofPlatform().start(() -> {
                try {
                    e.await();
                    released.incrementAndGet();
                } catch (InterruptedException ex) {
                    throw new AssertionError(ex);
                }
            }));
        }
        for (Thread t : waiters) Eventually.parked(t);
        e.set();
        e.set();
        for (Thread t : waiters) t.join();
        assertThat(released.get()).isEqualTo(3);
        assertThat(e.await(Duration.ZERO)).isTrue();
        e.clear();
        assertThat(e.isSet()).isFalse();
        assertThat(e.await(Duration.ZERO)).isFalse();
    }

    @Test
    void aWaiterIsReleasedByASetEvenIfClearedAtOnce() throws Exception {
        Event e = new Event();
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result.set(e.await(Duration.ofSeconds(20)));
            } catch (InterruptedException ex) {
                throw new AssertionError(ex);
            }
        });
        Eventually.parked(t);
        e.set();
        e.clear();
        t.join();
        assertThat(result.get()).isTrue();
    }

    @Test
    void eventAwaitIsInterruptible() throws Exception {
        Event e = new Event();
        Thread.currentThread().interrupt();
        assertThatThrownBy(e::await).isInstanceOf(InterruptedException.class);
    }

    @Test
    void autoResetReleasesOneWaiterPerSet() throws Exception {
        AutoResetEvent e = new AutoResetEvent();
        AtomicInteger released = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiters.add(Thread.ofPlatform().start(() -> {
                try {
                    e.await();
                    released.incrementAndGet();
                } catch (InterruptedException ex) {
                    throw new AssertionError(ex);
                }
            }));
        }
        for (Thread t : waiters) Eventually.parked(t);
        e.set();
        Eventually.until(() -> released.get() == 1, "one released");
        assertThat(e.isSet()).as("consumed by the waiter").isFalse();
        e.set();
        for (Thread t : waiters) t.join();
        assertThat(released.get()).isEqualTo(2);
    }

    @Test
    void autoResetStaysSignalledForOneLaterWaiterAndCanBeReset() throws Exception {
        AutoResetEvent e = new AutoResetEvent();
        e.set();
        e.set();                                             // does not accumulate
        assertThat(e.isSet()).isTrue();
        assertThat(e.await(Duration.ZERO)).isTrue();
        assertThat(e.await(Duration.ZERO)).isFalse();
        e.set();
        e.reset();
        assertThat(e.await(Duration.ofMillis(5))).isFalse();
    }

    @Test
    void notifyOneStoresOnePermitWhenNobodyWaits() throws Exception {
        Notify n = new Notify();
        n.notifyOne();
        n.notifyOne();
        n.await();                                           // the stored permit
        assertThat(n.await(Duration.ofMillis(5))).isFalse();
    }

    @Test
    void notifyWaitersWakesEveryoneAndStoresNothing() throws Exception {
        Notify n = new Notify();
        assertThat(n.notifyWaiters()).isZero();
        AtomicInteger woken = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(Thread.ofPlatform().start(() -> {
                n.awaitUninterruptibly();
                woken.incrementAndGet();
            }));
        }
        Eventually.until(() -> io.lockstep.park.ParkingLot.queueLength(n) == 3, "three wait");
        assertThat(n.notifyWaiters()).isEqualTo(3);
        for (Thread t : waiters) t.join();
        assertThat(woken.get()).isEqualTo(3);
        assertThat(n.await(Duration.ZERO)).as("no permit stored").isFalse();
    }

    @Test
    void notifyOneWakesWaitersInOrderAndATimedOutWaiterLosesNothing() throws Exception {
        Notify n = new Notify();
        assertThat(n.await(Duration.ofMillis(5))).isFalse();
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            waiters.add(Thread.ofPlatform().start(() -> {
                n.awaitUninterruptibly();
                order.add(id);
            }));
            Eventually.until(() -> io.lockstep.park.ParkingLot.queueLength(n) == id + 1, "waiter " + id + " parked");
        }
        for (int i = 0; i < 3; i++) {
            n.notifyOne();
            int expected = i + 1;
            Eventually.until(() -> order.size() == expected, "released " + expected);
        }
        for (Thread t : waiters) t.join();
        assertThat(order).containsExactly(0, 1, 2);
        Thread.currentThread().interrupt();
        assertThatThrownBy(n::await).isInstanceOf(InterruptedException.class);
    }


    @Test
    void awaitUninterruptiblyKeepsWaitingAndTheInterruptStatus() throws Throwable {
        Event e = new Event();
        Interrupts.ignoredBy("Event.awaitUninterruptibly", e::awaitUninterruptibly, e::set);
    }

    @Test
    void autoResetAwaitUninterruptiblyKeepsWaitingAndTheInterruptStatus() throws Throwable {
        AutoResetEvent e = new AutoResetEvent();
        Interrupts.ignoredBy("AutoResetEvent.awaitUninterruptibly", e::awaitUninterruptibly, e::set);
        assertThat(e.isSet()).as("the waiter consumed the signal").isFalse();
    }
}
