package io.lockstep.rcu;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class RcuTest {

    @Test
    void smoke() {
        Rcu<String> rcu = new Rcu<>("a");
        assertThat(rcu.read(String::length)).isEqualTo(1);
        assertThat(rcu.update(s -> s + "b")).isEqualTo("a");
        assertThat((String) rcu.read(s -> s)).isEqualTo("ab");
        try (RcuReadGuard<String> g = rcu.readLock()) {
            assertThat(g.get()).isEqualTo("ab");
            assertThat(rcu.isReading()).isTrue();
        }
        assertThat(rcu.isReading()).isFalse();
        rcu.synchronize();
    }

    @Test
    void badInputIsRejectedAndChangesNothing() {
        Rcu<String> rcu = new Rcu<>("a");
        assertThatThrownBy(() -> new Rcu<>(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> rcu.update(s -> null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> rcu.update(s -> { throw new IllegalArgumentException("no"); }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rcu.read(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> rcu.callAfterGracePeriod(null)).isInstanceOf(NullPointerException.class);
        assertThat((String) rcu.read(s -> s)).isEqualTo("a");
        assertThat(rcu.isReading()).isFalse();
    }

    @Test
    void guardSeesOneVersionAndClosesIdempotently() {
        Rcu<Integer> rcu = new Rcu<>(1);
        RcuReadGuard<Integer> g = rcu.readLock();
        rcu.update(v -> v + 1);
        assertThat(g.get()).isEqualTo(1);
        assertThat((int) rcu.read(v -> v)).isEqualTo(2);                  // nested section sees the new one
        g.close();
        g.close();
        assertThat(rcu.isReading()).isFalse();
        assertThatThrownBy(g::get).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nestedSectionsEndWithTheOutermost() {
        Rcu<Integer> rcu = new Rcu<>(1);
        try (RcuReadGuard<Integer> outer = rcu.readLock()) {
            rcu.read(v -> {
                try (RcuReadGuard<Integer> inner = rcu.readLock()) {
                    return inner.get();
                }
            });
            assertThat(rcu.isReading()).isTrue();
        }
        assertThat(rcu.isReading()).isFalse();
    }

    @Test
    void synchronizeOrBarrierInsideAReadSectionThrows() {
        Rcu<Integer> rcu = new Rcu<>(1);
        assertThatThrownBy(() -> rcu.read(v -> { rcu.synchronize(); return v; }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wait for itself");
        try (RcuReadGuard<Integer> g = rcu.readLock()) {
            assertThatThrownBy(rcu::synchronize).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(rcu::barrier).isInstanceOf(IllegalStateException.class);
        }
        assertThat(rcu.isReading()).isFalse();
        rcu.synchronize();                                           // and afterwards it works
    }

    @Test
    void aSectionOfAnotherRcuDoesNotCount() {
        Rcu<Integer> a = new Rcu<>(1), b = new Rcu<>(2);
        assertThat((int) a.read(v -> { b.synchronize(); return v; })).isEqualTo(1);
    }

    @Test
    void guardClosedByAnotherThreadThrowsAndStaysOpen() throws Exception {
        Rcu<Integer> rcu = new Rcu<>(1);
        RcuReadGuard<Integer> g = rcu.readLock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                g.close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.join();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
        assertThat(rcu.isReading()).isTrue();
        g.close();
    }

    @Test
    void synchronizeWaitsForAnOlderReader() throws Exception {
        Rcu<Integer> rcu = new Rcu<>(1);
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> rcu.read(v -> {
            entered.countDown();
            await(release);
            return v;
        }));
        entered.await();
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            rcu.update(v -> v + 1);
            rcu.synchronize();
            done.set(true);
        });
        awaitParkedOnSlot(rcu);
        assertThat(done).isFalse();
        release.countDown();
        writer.join();
        reader.join();
        assertThat(done).isTrue();
    }

    @Test
    void aSectionThatBeginsAfterAGracePeriodAnnouncesItsEpoch() {
        Rcu<Integer> rcu = new Rcu<>(1);
        rcu.synchronize();
        try (RcuReadGuard<Integer> g = rcu.readLock()) {
            long announced = rcu.registry.slot().announced();
            assertThat(announced & ~ReaderSlot.FLAGS).isEqualTo(rcu.registry.epoch());
            assertThat(announced & ReaderSlot.ACTIVE).isEqualTo(ReaderSlot.ACTIVE);
        }
        assertThat(rcu.registry.slot().announced()).isZero();
    }

    @Test
    void callbackRunsOnlyAfterOlderReadersFinish() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Rcu<Integer> rcu = new Rcu<>(1, Threads.recording(failure));
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicBoolean readerDone = new AtomicBoolean(), ranAfterReader = new AtomicBoolean();
        Thread reader = Thread.ofVirtual().start(() -> rcu.read(v -> {
            entered.countDown();
            await(release);
            readerDone.set(true);
            return v;
        }));
        entered.await();
        rcu.update(v -> 2);
        CountDownLatch ran = new CountDownLatch(1);
        rcu.callAfterGracePeriod(() -> {
            ranAfterReader.set(readerDone.get());
            ran.countDown();
        });
        awaitParkedOnSlot(rcu);
        assertThat(ran.getCount()).isEqualTo(1);
        release.countDown();
        rcu.barrier();
        assertThat(ran.getCount()).isZero();
        assertThat(ranAfterReader).isTrue();
        reader.join();
        assertThat(failure.get()).isNull();
    }

    @Test
    void callbacksRunInOrderAndAFailureDoesNotStopTheRest() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Rcu<Integer> rcu = new Rcu<>(1, Threads.recording(failure));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            rcu.callAfterGracePeriod(() -> order.add(n));
            if (i == 50) rcu.callAfterGracePeriod(() -> { throw new IllegalStateException("boom"); });
        }
        rcu.barrier();
        assertThat(order).hasSize(100).isSorted();
        assertThat(failure.get()).hasMessage("boom");
        rcu.barrier();                                               // an idle barrier returns too
    }

    @Test
    void aThreadFactoryThatFailsLosesNoCallback() {
        AtomicBoolean refuse = new AtomicBoolean(true);
        Rcu<Integer> rcu = new Rcu<>(1, r -> refuse.get() ? null : Thread.ofVirtual().unstarted(r));
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> rcu.callAfterGracePeriod(() -> ran.set(true)))
                .isInstanceOf(IllegalStateException.class);
        refuse.set(false);
        rcu.barrier();
        assertThat(ran).isTrue();
    }

    @Test
    void virtualThreadsGetTheirOwnSlotsAndDeadOnesArePruned() throws Exception {
        Rcu<Integer> rcu = new Rcu<>(1);
        rcu.read(v -> v);                                            // this thread's slot
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) threads.add(Thread.ofVirtual().start(() -> rcu.read(v -> v)));
        for (Thread t : threads) t.join();
        assertThat(registeredSlots(rcu)).isEqualTo(201);
        rcu.synchronize();
        assertThat(registeredSlots(rcu)).isLessThanOrEqualTo(2);   // the head is never unlinked
    }

    @Test
    void aThreadThatDiesInsideASectionIsTreatedAsGone() throws Exception {
        Rcu<Integer> rcu = new Rcu<>(1);
        Thread leaker = Thread.ofVirtual().start(rcu::readLock);    // never closed
        leaker.join();
        rcu.synchronize();
        assertThat((int) rcu.read(v -> v)).isEqualTo(1);
    }

    /** Waits until some grace-period waiter is parked on a reader slot of {@code rcu}. */
    static void awaitParkedOnSlot(AbstractRcu<?> rcu) {
        Await.until(() -> {
            for (ReaderSlot s = rcu.registry.firstSlot(); s != null; s = s.next) {
                if (io.lockstep.park.ParkingLot.queueLength(s) > 0) return true;
            }
            return false;
        }, "a grace-period waiter parked on a reader slot");
    }

    static int registeredSlots(AbstractRcu<?> rcu) {
        int n = 0;
        for (ReaderSlot s = rcu.registry.firstSlot(); s != null; s = s.next) n++;
        return n;
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
