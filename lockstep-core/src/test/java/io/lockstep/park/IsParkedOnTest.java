package io.lockstep.park;

import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

/** Issue 12, item 12: a null thread is a caller's bug, not a thread that is not parked. */
class IsParkedOnTest {

    @Test
    void aNullThreadOrKeyThrows() {
        assertThatNullPointerException().isThrownBy(() -> ParkingLot.isParkedOn(null, new Object()))
                .withMessageContaining("thread");
        assertThatNullPointerException().isThrownBy(() -> ParkingLot.isParkedOn(Thread.currentThread(), null))
                .withMessageContaining("key");
    }
}
