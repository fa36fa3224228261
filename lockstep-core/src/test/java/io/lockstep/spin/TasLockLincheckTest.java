package io.lockstep.spin;

import java.util.concurrent.locks.Lock;

/** {@link TasLock} under {@link SpinLockLincheckTest}. */
public class TasLockLincheckTest extends SpinLockLincheckTest {
    @Override
    Lock newLock() {
        return new TasLock();
    }
}
