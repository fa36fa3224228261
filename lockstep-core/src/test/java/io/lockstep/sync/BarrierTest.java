package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Eventually;
import io.lockstep.testing.Interrupts;
import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Barrier: the JSR-166 TCK's CyclicBarrierTest behaviours (action, breaking on interrupt and
 * timeout, reset) and tokio's barrier test (exactly one leader per generation), written fresh.
 */
@Timeout(30)
class BarrierTest {

    @Test
    void badPartiesRejected() {
        assertThatThrownBy(() -> new Barrier(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onePartyIsAlwaysTheLeader() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        Barrier b = new Barrier(1, actions::incrementAndGet);
        assertThat(b.await()).isTrue();
        assertThat(b.await()).isTrue();
        assertThat(actions.get()).isEqualTo(2);
    }

    @Test
    void exactlyOneLeaderPerGenerationAndEveryBeforePrecedesEveryAfter() throws Exception {
        int parties = 4, generations = Stress.iterations(300);
        AtomicInteger leaders = new AtomicInteger(), actions = new AtomicInteger();
        AtomicInteger arrivedThisRound = new AtomicInteger();
        AtomicReference<String> broken = new AtomicReference<>();
        Barrier b = new Barrier(parties, () -> {
            int expected = actions.incrementAndGet() % 2 == 1 ? parties : 0;   // odd: the counting barrier
            if (arrivedThisRound.getAndSet(0) != expected) broken.set("action " + actions.get() + " saw the wrong arrivals");
        });
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < parties; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int g = 0; g < generations; g++) {
                        arrivedThisRound.incrementAndGet();
                        if (b.await()) leaders.incrementAndGet();
                        if (b.await()) leaders.incrementAndGet();   // keeps the rounds apart
                    }
                } catch (Exception e) {
                    broken.set(e.toString());
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(broken.get()).isNull();
        assertThat(leaders.get()).isEqualTo(2 * generations);
        assertThat(actions.get()).isEqualTo(2 * generations);
    }

    @Test
    void timeoutBreaksTheBarrierForEveryoneUntilReset() throws Exception {
        Barrier b = new Barrier(3);
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                b.await();
            } catch (Throwable e) {
                other.set(e);
            }
        });
        Eventually.until(() -> b.getNumberWaiting() == 1, "one waits");
        assertThatThrownBy(() -> b.await(Duration.ofMillis(10))).isInstanceOf(TimeoutException.class);
        waiter.join();
        assertThat(other.get()).isInstanceOf(BrokenBarrierException.class);
        assertThat(b.isBroken()).isTrue();
        assertThatThrownBy(b::await).isInstanceOf(BrokenBarrierException.class);
        b.reset();
        assertThat(b.isBroken()).isFalse();
        assertThat(b.getParties()).isEqualTo(3);
    }

    // Issue 12 item 8: the broken generation's arrivals were still reported as waiting.
    @Test
    void nobodyIsWaitingOnABrokenBarrier() throws Exception {
        Barrier b = new Barrier(3);
        TestThread waiter = TestThread.start("waiter", () ->
                assertThatThrownBy(b::await).isInstanceOf(BrokenBarrierException.class));
        Eventually.until(() -> b.getNumberWaiting() == 1, "one waits");
        assertThatThrownBy(() -> b.await(Duration.ofMillis(1))).isInstanceOf(TimeoutException.class);
        waiter.joinAndRethrow();
        assertThat(b.isBroken()).isTrue();
        assertThat(b.getNumberWaiting()).isZero();
        assertThat(b.toString()).contains("waiting=0", "broken");
        b.reset();
        assertThat(b.isBroken()).isFalse();
        assertThat(b.getNumberWaiting()).isZero();
    }

    // I3: a waiter that parked (it announced it) is woken by the leader's one unparkAll.
    @Test
    void parkedWaitersAreWokenByTheLeader() throws Exception {
        Barrier b = new Barrier(3);
        List<TestThread> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiters.add(TestThread.start("waiter" + i, () -> assertThat(b.await()).isFalse()));
        }
        for (TestThread w : waiters) {
            Eventually.until(() -> w.thread().getState() == Thread.State.WAITING, "parked");
        }
        assertThat(b.await()).isTrue();
        for (TestThread w : waiters) w.joinAndRethrow();
    }

    // Issue 12 item 5: Long.MAX_VALUE / Long.MIN_VALUE in every unit, and Duration extremes.
    @Test
    void extremeTimeoutsWaitForeverOrNotAtAll() throws Exception {
        for (TimeUnit unit : TimeUnit.values()) {
            Barrier one = new Barrier(1);
            assertThat(one.await(Long.MAX_VALUE, unit)).isTrue();
            assertThat(one.await(Long.MIN_VALUE, unit)).as("the last arrival need not wait").isTrue();
            Barrier two = new Barrier(2);
            assertThatThrownBy(() -> two.await(Long.MIN_VALUE, unit)).isInstanceOf(TimeoutException.class);
            assertThat(two.isBroken()).isTrue();
            two.reset();
            TestThread waiter = TestThread.start("waiter", () -> assertThat(two.await(Long.MAX_VALUE, unit)).isFalse());
            Eventually.until(() -> two.getNumberWaiting() == 1, "waits with " + unit);
            assertThat(two.await(Long.MIN_VALUE, unit)).isTrue();
            waiter.joinAndRethrow();
        }
        Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), min = Duration.ofSeconds(Long.MIN_VALUE);
        Barrier two = new Barrier(2);
        assertThatThrownBy(() -> two.await(min)).isInstanceOf(TimeoutException.class);
        two.reset();
        TestThread waiter = TestThread.start("waiter", () -> assertThat(two.await(max)).isFalse());
        Eventually.until(() -> two.getNumberWaiting() == 1, "waits with a huge Duration");
        assertThat(two.await(min)).isTrue();
        waiter.joinAndRethrow();
    }

    @Test
    void interruptBreaksAndResetFailsTheWaiters() throws Exception {
        Barrier b = new Barrier(3);
        AtomicReference<Throwable> first = new AtomicReference<>(), second = new AtomicReference<>();
        Thread a = Thread.ofPlatform().start(() -> {
            try {
                b.await();
            } catch (Throwable e) {
                first.set(e);
            }
        });
        Eventually.until(() -> b.getNumberWaiting() == 1, "one waits");
        a.interrupt();
        a.join();
        assertThat(first.get()).isInstanceOf(InterruptedException.class);
        assertThat(b.isBroken()).isTrue();
        b.reset();
        Thread c = Thread.ofPlatform().start(() -> {
            try {
                b.await();
            } catch (Throwable e) {
                second.set(e);
            }
        });
        Eventually.until(() -> b.getNumberWaiting() == 1, "one waits again");
        b.reset();
        c.join();
        assertThat(second.get()).isInstanceOf(BrokenBarrierException.class);
    }

    @Test
    void aFailingActionBreaksTheBarrierAndReachesTheLeader() throws Exception {
        Barrier b = new Barrier(2, () -> { throw new IllegalStateException("action"); });
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                b.await();
            } catch (Throwable e) {
                other.set(e);
            }
        });
        Eventually.until(() -> b.getNumberWaiting() == 1, "one waits");
        assertThatThrownBy(b::await).hasMessage("action");
        t.join();
        assertThat(other.get()).isInstanceOf(BrokenBarrierException.class);
        assertThat(b.isBroken()).isTrue();
    }


    @Test
    void awaitUninterruptiblyKeepsWaitingAndTheInterruptStatusWithoutBreaking() throws Throwable {
        Barrier b = new Barrier(2);
        Interrupts.ignoredBy("Barrier.awaitUninterruptibly", b::awaitUninterruptibly,
                () -> assertThat(b.await()).as("the second party leads").isTrue());
        assertThat(b.isBroken()).as("an ignored interrupt does not break the generation").isFalse();
    }
}
