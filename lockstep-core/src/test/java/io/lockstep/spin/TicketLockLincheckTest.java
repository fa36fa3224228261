package io.lockstep.spin;

import java.util.concurrent.locks.Lock;

/** {@link TicketLock} under {@link SpinLockLincheckTest}. */
public class TicketLockLincheckTest extends SpinLockLincheckTest {
    @Override
    Lock newLock() {
        return new TicketLock();
    }
}
