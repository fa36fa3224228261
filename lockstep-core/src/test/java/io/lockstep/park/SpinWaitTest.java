package io.lockstep.park;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpinWaitTest {
    @Test
    void spinIsBoundedAndResets() {
        SpinWait s = new SpinWait();
        int rounds = 0;
        while (s.spin()) rounds++;
        assertThat(rounds).isEqualTo(10);
        assertThat(s.spin()).isFalse();
        s.reset();
        assertThat(s.spin()).isTrue();
    }

    @Test
    void spinNoYieldIsBoundedToo() {
        SpinWait s = new SpinWait();
        int rounds = 0;
        while (s.spinNoYield()) rounds++;
        assertThat(rounds).isEqualTo(10);
    }

    @Test
    void scheduleIsParkingLotsTwoFourEightThenSevenYields() {
        assertThat(new int[] {SpinWait.SPIN.pauses(0), SpinWait.SPIN.pauses(1), SpinWait.SPIN.pauses(2)})
                .containsExactly(2, 4, 8);
        assertThat(SpinWait.SPIN.yieldRounds()).isEqualTo(7);
        int total = 0;
        for (int r = 0; r < SpinWait.SPIN_NO_YIELD.spinRounds(); r++) total += SpinWait.SPIN_NO_YIELD.pauses(r);
        assertThat(total).as("spinNoYield: 2 + 4 + 8 x 8").isEqualTo(70);
    }
}
