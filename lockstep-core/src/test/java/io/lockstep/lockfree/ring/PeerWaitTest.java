package io.lockstep.lockfree.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerWaitTest {
    @Test
    void sixDoublingSpinRoundsFourYieldsThenParksFromTenMicrosToOneMilli() {
        int spun = 0;
        for (int r = 0; r < PeerWait.POLICY.spinRounds(); r++) spun += PeerWait.POLICY.pauses(r);
        assertThat(spun).as("1 + 2 + ... + 32").isEqualTo(63);
        assertThat(PeerWait.POLICY.spinRounds()).isEqualTo(6);
        assertThat(PeerWait.POLICY.yieldRounds()).isEqualTo(4);
        long[] parks = new long[9];
        for (int i = 0; i < parks.length; i++) parks[i] = PeerWait.POLICY.parkNanos(10 + i);
        assertThat(parks).containsExactly(10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 1_000_000, 1_000_000);
    }
}
