package io.lockstep.spin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void constantIsEightRoundsOfEightPausesThenSixYields() {
        for (int r = 0; r < 8; r++) assertThat(Backoff.CONSTANT.pauses(r)).isEqualTo(8);
        assertThat(Backoff.CONSTANT.spinRounds()).isEqualTo(8);
        assertThat(Backoff.CONSTANT.yieldRounds()).isEqualTo(6);
    }

    @Test
    void exponentialDoublesToSixtyFourWithJitter() {
        assertThat(Backoff.EXPONENTIAL.jitter()).isTrue();
        assertThat(Backoff.EXPONENTIAL.maxShift()).isEqualTo(6);
        for (int r = 0; r < 8; r++) assertThat(Backoff.EXPONENTIAL.pauses(r)).isBetween(1 << Math.min(r, 6), (2 << Math.min(r, 6)) - 1);
    }

    @Test
    void snoozeIsBoundedAndResets() {
        Backoff b = Backoff.constant();
        int rounds = 0;
        while (b.snooze()) rounds++;
        assertThat(rounds).isEqualTo(14);
        b.reset();
        assertThat(b.snooze()).isTrue();
    }
}
