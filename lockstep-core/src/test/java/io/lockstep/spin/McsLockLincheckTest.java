package io.lockstep.spin;

import java.util.concurrent.locks.Lock;

/** {@link McsLock} under {@link SpinLockLincheckTest}. */
public class McsLockLincheckTest extends SpinLockLincheckTest {
    @Override
    Lock newLock() {
        return new McsLock();
    }
}
