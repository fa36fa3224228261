package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FairUnlock#bump()}: a holder gives way to a parked waiter and gets the lock back after it. */
@Timeout(30)
class FairUnlockTest {
    private static Supplier<FairUnlock> lock(String kind) {
        return kind.equals("raw") ? RawMutex::new : ReentrantMutex::new;
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "reentrant"})
    void bumpLetsTheParkedWaiterInBeforeTheHolderContinues(String kind) throws InterruptedException {
        FairUnlock lock = lock(kind).get();
        AtomicBoolean waiterRan = new AtomicBoolean();
        lock.lock();
        TestThread waiter = TestThread.start("waiter", () -> {
            lock.lock();
            try {
                waiterRan.set(true);
            } finally {
                lock.unlock();
            }
        });
        Await.until(() -> io.lockstep.park.ParkingLot.queueLength(lock) == 1, "the waiter parked");
        lock.bump();                             // hand-off to the waiter, then wait for it to leave
        try {
            assertThat(waiterRan).as("the waiter ran between unlockFair and lock").isTrue();
        } finally {
            lock.unlock();
        }
        waiter.joinAndRethrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "reentrant"})
    void bumpWithoutWaitersKeepsTheLock(String kind) {
        FairUnlock lock = lock(kind).get();
        lock.lock();
        lock.bump();
        assertThat(((MutexCore) lock).heldByCurrentThread()).as("held again after bump").isTrue();
        lock.unlock();
        assertThat(((MutexCore) lock).locked()).isFalse();
    }
}
