package io.lockstep.atomic;

import static io.lockstep.atomic.Ordering.ACQUIRE;
import static io.lockstep.atomic.Ordering.ACQ_REL;
import static io.lockstep.atomic.Ordering.RELAXED;
import static io.lockstep.atomic.Ordering.RELEASE;
import static io.lockstep.atomic.Ordering.SEQ_CST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** AtomicIntCell, AtomicLongCell and AtomicCell: operations, every ordering, and misuse. */
class AtomicCellsTest {

    @ParameterizedTest
    @EnumSource(value = Ordering.class, names = {"RELAXED", "ACQUIRE", "SEQ_CST"})
    void loadsAcceptLoadOrderings(Ordering o) {
        assertThat(new AtomicIntCell(7).load(o)).isEqualTo(7);
        assertThat(new AtomicLongCell(7).load(o)).isEqualTo(7);
        assertThat(new AtomicCell<>("x").load(o)).isEqualTo("x");
    }

    @ParameterizedTest
    @EnumSource(value = Ordering.class, names = {"RELEASE", "ACQ_REL"})
    void loadsRejectStoreOrderings(Ordering o) {
        assertThatThrownBy(() -> new AtomicIntCell(0).load(o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such thing as a " + o + " load");
        assertThatThrownBy(() -> new AtomicLongCell(0).load(o)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AtomicCell<>("x").load(o)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Ordering.class, names = {"ACQUIRE", "ACQ_REL"})
    void storesRejectLoadOrderingsAndWriteNothing(Ordering o) {
        AtomicLongCell cell = new AtomicLongCell(1);
        assertThatThrownBy(() -> cell.store(2, o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store");
        assertThat(cell.load(SEQ_CST)).isEqualTo(1);
        AtomicIntCell i = new AtomicIntCell(1);
        assertThatThrownBy(() -> i.store(2, o)).isInstanceOf(IllegalArgumentException.class);
        AtomicCell<String> c = new AtomicCell<>("a");
        assertThatThrownBy(() -> c.store("b", o)).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.load(SEQ_CST)).isEqualTo("a");
    }

    @ParameterizedTest
    @EnumSource(value = Ordering.class, names = {"RELAXED", "RELEASE", "SEQ_CST"})
    void storesAcceptStoreOrderings(Ordering o) {
        AtomicIntCell cell = new AtomicIntCell(0);
        cell.store(3, o);
        assertThat(cell.load(SEQ_CST)).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Ordering.class)
    void readModifyWritesAcceptEveryOrdering(Ordering o) {
        AtomicLongCell cell = new AtomicLongCell(10);
        assertThat(cell.fetchAdd(5, o)).isEqualTo(10);
        assertThat(cell.fetchSub(3, o)).isEqualTo(15);
        assertThat(cell.swap(0b1100, o)).isEqualTo(12);
        assertThat(cell.fetchAnd(0b0100, o)).isEqualTo(0b1100);
        assertThat(cell.fetchOr(0b0001, o)).isEqualTo(0b0100);
        assertThat(cell.fetchXor(0b0101, o)).isEqualTo(0b0101);
        assertThat(cell.fetchMax(9, o)).isZero();
        assertThat(cell.fetchMin(4, o)).isEqualTo(9);
        assertThat(cell.fetchUpdate(x -> x * 10, o)).isEqualTo(4);
        assertThat(cell.load(SEQ_CST)).isEqualTo(40);

        AtomicIntCell i = new AtomicIntCell(Integer.MAX_VALUE);
        assertThat(i.fetchAdd(1, o)).isEqualTo(Integer.MAX_VALUE);
        assertThat(i.load(SEQ_CST)).as("wraps").isEqualTo(Integer.MIN_VALUE);
        assertThat(i.fetchUpdate(x -> 1, o)).isEqualTo(Integer.MIN_VALUE);
        assertThat(i.fetchOr(2, o) | i.fetchAnd(2, o) | i.fetchXor(1, o)).isEqualTo(3);

        AtomicCell<String> c = new AtomicCell<>("a");
        assertThat(c.swap("b", o)).isEqualTo("a");
        assertThat(c.fetchUpdate(s -> s + "c", o)).isEqualTo("b");
        assertThat(c.load(SEQ_CST)).isEqualTo("bc");
    }

    @Test
    void compareExchangeReturnsTheWitness() {
        AtomicIntCell value = new AtomicIntCell(0);                 // the seed's compare_exchange(0, 1)
        assertThat(value.compareExchange(0, 1, SEQ_CST, SEQ_CST)).isZero();
        assertThat(value.load(SEQ_CST)).isEqualTo(1);
        assertThat(value.compareExchange(0, 2, ACQ_REL, ACQUIRE)).as("fails, shows what it found").isEqualTo(1);
        assertThat(value.load(SEQ_CST)).isEqualTo(1);

        AtomicLongCell l = new AtomicLongCell(5);
        for (Ordering s : Ordering.values()) {
            for (Ordering f : new Ordering[] {RELAXED, ACQUIRE, SEQ_CST}) {
                long cur = l.load(SEQ_CST);
                assertThat(l.compareExchange(cur, cur + 1, s, f)).isEqualTo(cur);
                assertThat(l.compareExchange(cur, -1, s, f)).isEqualTo(cur + 1);
                while (!l.compareExchangeWeak(cur + 1, cur + 2, s, f)) Thread.onSpinWait();
                assertThat(l.compareExchangeWeak(-7, 0, s, f)).isFalse();
            }
        }
        String a = new String("a"), alsoA = new String("a");
        AtomicCell<String> c = new AtomicCell<>(a);
        assertThat(c.compareExchange(alsoA, "b", SEQ_CST, SEQ_CST)).as("identity, not equals").isSameAs(a);
        assertThat(c.compareExchange(a, null, SEQ_CST, SEQ_CST)).isSameAs(a);
        assertThat(c.load(SEQ_CST)).isNull();
        assertThat(c.compareExchangeWeak(null, "x", RELEASE, RELAXED) || c.load(SEQ_CST) == null).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Ordering.class, names = {"RELEASE", "ACQ_REL"})
    void compareExchangeRejectsAStoreOrderingOnFailureAndWritesNothing(Ordering failure) {
        AtomicLongCell l = new AtomicLongCell(0);
        assertThatThrownBy(() -> l.compareExchange(0, 1, SEQ_CST, failure))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failure ordering");
        assertThatThrownBy(() -> l.compareExchangeWeak(0, 1, SEQ_CST, failure)).isInstanceOf(IllegalArgumentException.class);
        assertThat(l.load(SEQ_CST)).isZero();
        assertThatThrownBy(() -> new AtomicIntCell(0).compareExchange(0, 1, ACQ_REL, failure))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AtomicCell<>("a").compareExchange("a", "b", RELEASE, failure))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullArgumentsAreRejected() {
        AtomicLongCell l = new AtomicLongCell(0);
        assertThatThrownBy(() -> l.load(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> l.compareExchange(0, 1, null, SEQ_CST)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> l.compareExchange(0, 1, SEQ_CST, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> l.fetchUpdate(null, SEQ_CST)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new AtomicCell<String>(null).fetchUpdate(null, SEQ_CST)).isInstanceOf(NullPointerException.class);
        assertThat(l.load(SEQ_CST)).isZero();
        assertThat(l).hasToString("0");
    }

    @Test
    @Timeout(30)
    void concurrentCountersLoseNothing() throws Exception {
        AtomicLongCell relaxed = new AtomicLongCell(0);
        AtomicIntCell updated = new AtomicIntCell(0);
        int threads = 5, each = Stress.iterations(20_000);                 // the seed: 5 threads
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            all.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    relaxed.fetchAdd(1, RELAXED);
                    updated.fetchUpdate(x -> x + 1, ACQ_REL);
                }
            }));
        }
        for (Thread t : all) t.join();
        assertThat(relaxed.load(SEQ_CST)).isEqualTo((long) threads * each);
        assertThat(updated.load(SEQ_CST)).isEqualTo(threads * each);
    }

    @Test
    @Timeout(30)
    void releaseAcquirePublishes() throws Exception {
        for (int round = 0; round < Stress.iterations(2_000); round++) {
            int[] data = {0};
            AtomicIntCell ready = new AtomicIntCell(0);
            int[] seen = {-1};
            Thread consumer = Thread.ofPlatform().start(() -> {
                while (ready.load(ACQUIRE) == 0) Thread.onSpinWait();
                seen[0] = data[0];
            });
            data[0] = 42;
            ready.store(1, RELEASE);
            consumer.join();
            assertThat(seen[0]).isEqualTo(42);
        }
    }
}
