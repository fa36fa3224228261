package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** ReentrantMutex beyond the Lock contract: hold counts through every acquire form, unlockFair. */
class ReentrantMutexTest {

    @Test
    void everyAcquireFormCountsAHold() throws InterruptedException {
        ReentrantMutex m = new ReentrantMutex();
        assertThat(m.getHoldCount()).isZero();
        m.lock();
        assertThat(m.tryLock()).isTrue();
        m.lockInterruptibly();
        assertThat(m.tryLock(0, TimeUnit.SECONDS)).isTrue();
        assertThat(m.tryLock(-1, TimeUnit.SECONDS)).isTrue();
        assertThat(m.getHoldCount()).isEqualTo(5);
        assertThat(m.isLocked()).isTrue();
        assertThat(m.isHeldByCurrentThread()).isTrue();
        for (int i = 4; i >= 0; i--) {
            m.unlock();
            assertThat(m.getHoldCount()).isEqualTo(i);
        }
        assertThat(m.isLocked()).isFalse();
        assertThatThrownBy(m::unlock).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(m.getHoldCount()).isZero();
    }

    @Test
    void reentrantAcquireByAnInterruptedOwnerThrowsForTheInterruptibleForms() {
        ReentrantMutex m = new ReentrantMutex();
        m.lock();
        Thread.currentThread().interrupt();
        assertThatThrownBy(m::lockInterruptibly).isInstanceOf(InterruptedException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> m.tryLock(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(m.getHoldCount()).isEqualTo(1);
        m.unlock();
    }

    @Test
    void otherThreadsSeeHoldCountZero() throws InterruptedException {
        ReentrantMutex m = new ReentrantMutex();
        m.lock();
        m.lock();
        AtomicInteger seen = new AtomicInteger(-1);
        TestThread t = TestThread.start("other", () -> {
            seen.set(m.getHoldCount());
            assertThatThrownBy(m::unlock).isInstanceOf(IllegalMonitorStateException.class);
            assertThatThrownBy(m::unlockFair).isInstanceOf(IllegalMonitorStateException.class);
        });
        t.joinAndRethrow();
        assertThat(seen).hasValue(0);
        assertThat(m.getHoldCount()).as("unchanged by the failed unlocks").isEqualTo(2);
        m.unlock();
        m.unlock();
    }

    @Test
    void unlockFairReleasesOnlyTheLastHold() throws InterruptedException {
        ReentrantMutex m = new ReentrantMutex();
        List<String> order = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch checked = new java.util.concurrent.CountDownLatch(1);
        m.lock();
        m.lock();
        TestThread a = TestThread.start("a", () -> {
            m.lock();
            order.add("a");
            checked.await();                               // hold it until main has looked
            m.unlock();
        });
        Await.until(() -> m.hasQueuedThread(a.thread()), "a queued");
        m.unlockFair();
        assertThat(m.getHoldCount()).isEqualTo(1);
        assertThat(order).isEmpty();
        m.unlockFair();
        assertThat(m.tryLock()).as("handed to a").isFalse();
        checked.countDown();
        a.joinAndRethrow();
        assertThat(order).containsExactly("a");
        assertThat(m.toString()).contains("unlocked");
    }
}
