package io.lockstep.lockfree.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SlotRing's two-phase protocol directly (its users, MpmcArrayQueue and the bounded channel, are
 * tested through their own contracts, Lincheck and Fray): reservations, laps, close, interior
 * removal and the slot-freed hook.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SlotRingTest {

    @Test
    void rejectsANonPositiveCapacity() {
        assertThatThrownBy(() -> new SlotRing(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reservesPublishesAndTakesInOrderAcrossLaps() {
        SlotRing ring = new SlotRing(3);
        for (int lap = 0; lap < 4; lap++) {
            for (int i = 0; i < 3; i++) {
                long p = ring.reserveSend();
                assertThat(p).isNotNegative();
                ring.publish(p, lap * 10 + i);
            }
            assertThat(ring.reserveSend()).isEqualTo(SlotRing.FULL);
            assertThat(ring.size()).isEqualTo(3);
            assertThat(ring.peek()).isEqualTo(lap * 10);
            for (int i = 0; i < 3; i++) assertThat(ring.take(ring.reserveRecv())).isEqualTo(lap * 10 + i);
            assertThat(ring.reserveRecv()).isEqualTo(SlotRing.EMPTY);
            assertThat(ring.peek()).isNull();
        }
    }

    @Test
    void closeRefusesSendsAndReportsClosedOnceDrained() {
        SlotRing ring = new SlotRing(2);
        ring.publish(ring.reserveSend(), "a");
        assertThat(ring.close()).isTrue();
        assertThat(ring.close()).isFalse();
        assertThat(ring.isClosed()).isTrue();
        assertThat(ring.reserveSend()).isEqualTo(SlotRing.CLOSED);
        assertThat(ring.canSend()).isTrue();                 // ready: a send would find it closed
        assertThat(ring.take(ring.reserveRecv())).isEqualTo("a");
        assertThat(ring.reserveRecv()).isEqualTo(SlotRing.CLOSED);
    }

    @Test
    void removedSlotsArePassedAndFreedWhenTheyReachTheHead() {
        AtomicInteger freed = new AtomicInteger();
        SlotRing ring = new SlotRing(4) {
            @Override
            protected void slotFreed() {
                freed.incrementAndGet();
            }
        };
        for (String m : List.of("a", "b", "c", "d")) ring.publish(ring.reserveSend(), m);
        assertThat(ring.removeIf("b"::equals, 1)).isEqualTo(1);      // interior: keeps its slot
        assertThat(ring.size()).isEqualTo(3);
        assertThat(ring.remainingCapacity()).isZero();
        assertThat(ring.snapshot()).containsExactly("a", "c", "d");
        assertThat(ring.removeIf("a"::equals, 1)).isEqualTo(1);      // the oldest: a and b leave
        assertThat(ring.remainingCapacity()).isEqualTo(2);
        assertThat(freed).hasValue(2);
        assertThat(ring.peek()).isEqualTo("c");
        List<Object> out = new ArrayList<>();
        for (long p; (p = ring.reserveRecv()) >= 0; ) out.add(ring.take(p));
        assertThat(out).containsExactly("c", "d");
        assertThat(ring.removeIf(x -> true, Integer.MAX_VALUE)).isZero();
    }

    @Test
    void aMessageReservedByAReceiverIsNoLongerRemovable() {
        SlotRing ring = new SlotRing(2);
        ring.publish(ring.reserveSend(), "x");
        long p = ring.reserveRecv();                                  // reserved, not yet taken
        assertThat(ring.removeIf("x"::equals, 1)).isZero();          // behind the head: not removable
        assertThat(ring.take(p)).isEqualTo("x");
    }

    // issue 12, item 7: the snapshot stopped at a slot reserved but not yet written
    @Test
    void snapshotSkipsASlotReservedButNotYetWritten() {
        SlotRing ring = new SlotRing(4);
        long a = ring.reserveSend();                                  // another producer, paused
        ring.publish(ring.reserveSend(), "x");                        // my add(x)
        assertThat(ring.snapshot()).containsExactly("x");
        ring.publish(a, "a");
        assertThat(ring.snapshot()).containsExactly("a", "x");
    }

    @Test
    void snapshotSkipsTakenAndRemovedSlotsAcrossLaps() {
        SlotRing ring = new SlotRing(3);
        for (String m : List.of("a", "b", "c")) ring.publish(ring.reserveSend(), m);
        assertThat(ring.take(ring.reserveRecv())).isEqualTo("a");
        assertThat(ring.removeIf("b"::equals, 1)).isOne();            // removed in the middle
        long d = ring.reserveSend();                                  // next lap, not yet written
        assertThat(ring.snapshot()).containsExactly("c");
        ring.publish(d, "d");
        assertThat(ring.snapshot()).containsExactly("c", "d");
    }

    // issue 12, item 13: a huge capacity is refused up front, not an OutOfMemoryError
    @Test
    void refusesACapacityAboveTheMaximum() {
        for (int capacity : new int[] {SlotRing.MAX_CAPACITY + 1, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> new SlotRing(capacity))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(capacity))
                    .hasMessageContaining(String.valueOf(SlotRing.MAX_CAPACITY));
        }
    }

    // issue 12, item 4: a peer that reserved and stalls is waited for by parking, not yielding
    @Test
    void aReceiverWaitingForAStalledSenderParks() throws InterruptedException {
        SlotRing ring = new SlotRing(2);
        long stalled = ring.reserveSend();
        AtomicReference<Object> got = new AtomicReference<>();
        TestThread receiver = TestThread.start("receiver", () -> got.set(ring.take(ring.reserveRecv())));
        receiver.awaitBlocked();                                      // TIMED_WAITING: parked
        ring.publish(stalled, "late");
        receiver.joinAndRethrow();
        assertThat(got.get()).isEqualTo("late");
    }
}
