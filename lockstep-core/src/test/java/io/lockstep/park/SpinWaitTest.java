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
}
