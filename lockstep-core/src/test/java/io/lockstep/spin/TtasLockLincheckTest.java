package io.lockstep.spin;

import java.util.concurrent.locks.Lock;

/** {@link TtasLock} under {@link SpinLockLincheckTest}. */
public class TtasLockLincheckTest extends SpinLockLincheckTest {
    @Override
    Lock newLock() {
        return new TtasLock();
    }
}
