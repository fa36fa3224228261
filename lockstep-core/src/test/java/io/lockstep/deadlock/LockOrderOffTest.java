package io.lockstep.deadlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lockstep.internal.LockTracking;
import io.lockstep.lock.RawMutex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tracking compiled out (the default JVM of the test run: no -Dlockstep.lockorder). */
@Timeout(30)
class LockOrderOffTest {
    @Test
    void afterTheFirstLockTrackingCannotBeSwitchedOn() {
        assumeTrue(System.getProperty(LockTracking.Switch.PROPERTY) == null, "runs in the JVM without -Dlockstep.lockorder");
        RawMutex a = new RawMutex(), b = new RawMutex();
        a.lock();
        a.unlock();
        assertThat(LockOrder.isTracking()).isFalse();
        assertThatThrownBy(() -> LockOrder.setPolicy(LockOrder.Policy.THROW))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("-Dlockstep.lockorder=throw");
        assertThat(LockOrder.policy()).isEqualTo(LockOrder.Policy.OFF);
        LockOrder.setPolicy(LockOrder.Policy.OFF);            // always allowed
        a.lock();
        b.lock();
        b.unlock();
        a.unlock();
        b.lock();
        a.lock();                                             // opposite order: nothing recorded, nothing raised
        a.unlock();
        b.unlock();
        assertThat(LockOrder.isOrderedBefore(a, b)).isFalse();
    }

    @Test
    void thePropertyIsChecked() {
        assertThat(LockTracking.Switch.parse(null)).isNull();
        assertThat(LockTracking.Switch.parse(" THROW ")).isEqualTo("throw");
        assertThat(LockTracking.Switch.parse("warn")).isEqualTo("warn");
        assertThatThrownBy(() -> LockTracking.Switch.parse("yes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("throw, warn, off");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> LockOrder.setPolicy(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LockOrder.name(null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LockOrder.name(new Object(), null)).isInstanceOf(NullPointerException.class);
    }
}
