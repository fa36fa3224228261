package io.lockstep.spin;

import java.util.concurrent.locks.Lock;

/** {@link ClhLock} under {@link SpinLockLincheckTest}. */
public class ClhLockLincheckTest extends SpinLockLincheckTest {
    @Override
    Lock newLock() {
        return new ClhLock();
    }
}
