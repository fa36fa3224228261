package io.lockstep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The policy's shape; each caller's test pins its own numbers (SpinWaitTest, BackoffTest, PeerWaitTest). */
class BackoffPolicyTest {
    @Test
    void pausesDoubleFromTheFirstShiftUpToTheMax() {
        BackoffPolicy p = BackoffPolicy.spinThenYield(6, 1, 4, false, 0);
        assertThat(new int[] {p.pauses(0), p.pauses(1), p.pauses(2), p.pauses(3), p.pauses(4), p.pauses(5)})
                .containsExactly(2, 4, 8, 16, 16, 16);
    }

    @Test
    void jitterStaysBelowTwiceTheBase() {
        BackoffPolicy p = BackoffPolicy.spinThenYield(8, 0, 6, true, 0);
        for (int r = 0; r < 8; r++) {
            int base = 1 << Math.min(r, 6);
            for (int i = 0; i < 50; i++) assertThat(p.pauses(r)).isBetween(base, 2 * base - 1);
        }
    }

    @Test
    void aPolicyWithoutParksStopsAfterItsBudget() {
        BackoffPolicy p = BackoffPolicy.spinThenYield(2, 0, 1, false, 1);
        assertThat(p.pause(0)).isTrue();
        assertThat(p.pause(1)).isTrue();
        assertThat(p.pause(2)).isTrue();                                          // the yield
        assertThat(p.pause(3)).isFalse();
        assertThat(p.pause(100)).isFalse();
    }

    @Test
    void timedParksDoubleUpToTheCapWithoutOverflow() {
        BackoffPolicy p = BackoffPolicy.spinThenYield(1, 0, 0, false, 1).thenPark(3, 100);
        assertThat(new long[] {p.parkNanos(2), p.parkNanos(3), p.parkNanos(7), p.parkNanos(8)})
                .containsExactly(3, 6, 96, 100);
        assertThat(p.parkNanos(Integer.MAX_VALUE)).isEqualTo(100);
        assertThat(p.pause(2)).isTrue();                                          // parks 3 ns, never false
    }

    @Test
    void aTimedParkNeverRunsPastTheDeadline() {
        BackoffPolicy p = BackoffPolicy.spinThenYield(0, 0, 0, false, 0).thenPark(60_000_000_000L, 60_000_000_000L);
        long start = System.nanoTime();
        assertThat(p.pause(0, this, Deadline.afterNanos(1_000_000))).isTrue();   // a 60 s park, cut to 1 ms
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }
}
