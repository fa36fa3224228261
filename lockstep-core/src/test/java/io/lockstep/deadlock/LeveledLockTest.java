package io.lockstep.deadlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lock.RawMutex;
import io.lockstep.lock.ReentrantMutex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LeveledLockTest {
    static final LockLevel LOW = LockLevel.of("low", 10), HIGH = LockLevel.of("high", 20);

    @Test
    void increasingLevelsAreFine() {
        LeveledLock low = LOW.guard(new RawMutex()), high = HIGH.guard(new RawMutex());
        low.lock();
        high.lock();
        low.unlock();                                         // out of order is fine
        high.unlock();
        assertThat(low.tryLock()).isTrue();
        low.unlock();
    }

    @Test
    void takingALowerLevelWhileHoldingAHigherOneIsRefused() {
        RawMutex raw = new RawMutex();
        LeveledLock low = LOW.guard(raw), high = HIGH.guard(new RawMutex());
        high.lock();
        try {
            assertThatThrownBy(low::lock).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("taking low (10) while holding high (20)");
            assertThatThrownBy(low::tryLock).isInstanceOf(IllegalStateException.class);
            assertThat(raw.isLocked()).as("refused before taking").isFalse();
        } finally {
            high.unlock();
        }
        low.lock();                                           // after release: fine again
        low.unlock();
    }

    @Test
    void equalLevelsAreRefusedButReentryIsNot() {
        LeveledLock a = LOW.guard(new ReentrantMutex()), b = LOW.guard(new RawMutex());
        a.lock();
        a.lock();                                             // inner hold of the same lock
        assertThatThrownBy(b::lock).isInstanceOf(IllegalStateException.class);
        a.unlock();
        assertThatThrownBy(b::lock).isInstanceOf(IllegalStateException.class);   // still held once
        a.unlock();
        b.lock();
        b.unlock();
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> LockLevel.of(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LOW.guard(null)).isInstanceOf(NullPointerException.class);
    }
}
