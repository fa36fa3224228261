package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.Interrupts;
import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Monitor: entering, guards, implicit signalling, reentrancy, timeouts, interrupts, misuse. */
class MonitorTest {

    /** A one-slot box over a Monitor, as in the class's Javadoc. */
    static final class SafeBox {
        Integer value;                                   // before the guards: no forward reference
        final Monitor monitor = new Monitor();
        final Monitor.Guard valuePresent = monitor.newGuard(() -> value != null);
        final Monitor.Guard valueAbsent = monitor.newGuard(() -> value == null);

        void put(int v) throws InterruptedException {
            monitor.enterWhen(valueAbsent);
            try {
                value = v;
            } finally {
                monitor.leave();
            }
        }

        int take() throws InterruptedException {
            monitor.enterWhen(valuePresent);
            try {
                int v = value;
                value = null;
                return v;
            } finally {
                monitor.leave();
            }
        }
    }

    @Test
    void enterAndLeave() throws InterruptedException {
        Monitor m = new Monitor();
        assertThat(m.isOccupied()).isFalse();
        assertThat(m.getOccupiedDepth()).isZero();
        m.enter();
        assertThat(m.tryEnter()).isTrue();
        m.enterInterruptibly();
        assertThat(m.getOccupiedDepth()).isEqualTo(3);
        assertThat(m.isOccupiedByCurrentThread()).isTrue();
        AtomicBoolean other = new AtomicBoolean(true);
        TestThread t = TestThread.start("other", () -> other.set(m.tryEnter() || m.isOccupiedByCurrentThread()));
        t.joinAndRethrow();
        assertThat(other).isFalse();
        m.leave();
        m.leave();
        m.leave();
        assertThat(m.isOccupied()).isFalse();
        assertThatThrownBy(m::leave).isInstanceOf(IllegalMonitorStateException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(m::enterInterruptibly).isInstanceOf(InterruptedException.class);
    }

    @Test
    void misuse() {
        Monitor m = new Monitor(), other = new Monitor();
        Monitor.Guard foreign = other.newGuard(() -> true);
        assertThatThrownBy(() -> m.newGuard(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.enterWhen(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.enterWhen(foreign)).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("another monitor");
        assertThatThrownBy(() -> m.enterWhen(foreign, Duration.ZERO)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> m.enterWhenUninterruptibly(foreign)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> m.enterIf(foreign)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> m.tryEnterIf(foreign)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> m.waitFor(foreign)).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(m.isOccupied()).as("nothing entered").isFalse();
        Monitor.Guard own = m.newGuard(() -> true);
        assertThatThrownBy(() -> m.waitFor(own)).as("not occupied").isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> m.waitFor(own, Duration.ZERO)).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> m.getWaitQueueLength(own)).isInstanceOf(IllegalMonitorStateException.class);
        m.enter();
        try {
            assertThatThrownBy(() -> m.getWaitQueueLength(foreign)).isInstanceOf(IllegalMonitorStateException.class);
            assertThatThrownBy(() -> m.waitFor(own, null)).isInstanceOf(NullPointerException.class);
        } finally {
            m.leave();
        }
        assertThatThrownBy(() -> m.enterWhen(own, null)).isInstanceOf(NullPointerException.class);
        assertThat(m.isOccupied()).isFalse();
    }

    @Test
    void enterIfAndTryEnterIf() throws InterruptedException {
        Monitor m = new Monitor();
        boolean[] flag = {false};
        Monitor.Guard g = m.newGuard(() -> flag[0]);
        assertThat(m.enterIf(g)).isFalse();
        assertThat(m.tryEnterIf(g)).isFalse();
        assertThat(m.isOccupied()).isFalse();
        flag[0] = true;
        assertThat(m.enterIf(g)).isTrue();
        m.leave();
        assertThat(m.tryEnterIf(g)).isTrue();
        m.leave();
        m.enter();
        AtomicBoolean other = new AtomicBoolean(true);
        TestThread t = TestThread.start("other", () -> other.set(m.tryEnterIf(g)));
        t.joinAndRethrow();
        assertThat(other).as("occupied elsewhere").isFalse();
        m.leave();
    }

    @Test
    void enterWhenWaitsForTheGuardAndLeaveSignalsImplicitly() throws InterruptedException {
        SafeBox box = new SafeBox();
        AtomicInteger taken = new AtomicInteger();
        TestThread taker = TestThread.start("taker", () -> taken.set(box.take()));
        Await.until(() -> box.monitor.getOccupiedDepth() == 0 && waiting(box.monitor, box.valuePresent) == 1, "taker waits");
        box.put(42);                                     // no signal() anywhere: leave() wakes the taker
        taker.joinAndRethrow();
        assertThat(taken).hasValue(42);
    }

    private static int waiting(Monitor m, Monitor.Guard g) {
        if (!m.tryEnter()) return -1;
        try {
            return m.getWaitQueueLength(g);
        } finally {
            m.leave();
        }
    }

    @Test
    void boundedBufferStress() throws InterruptedException {
        SafeBox box = new SafeBox();
        int perProducer = Stress.iterations(2_000);
        AtomicInteger sum = new AtomicInteger();
        List<TestThread> ts = new ArrayList<>();
        for (int p = 0; p < 2; p++) ts.add(TestThread.start("producer", () -> {
            for (int i = 1; i <= perProducer; i++) box.put(i);
        }));
        for (int c = 0; c < 2; c++) ts.add(TestThread.start("consumer", () -> {
            for (int i = 0; i < perProducer; i++) sum.addAndGet(box.take());
        }));
        for (TestThread t : ts) t.joinAndRethrow();
        assertThat(sum).hasValue(2 * perProducer * (perProducer + 1) / 2);
    }

    @Test
    void timedEnterWhen() throws InterruptedException {
        Monitor m = new Monitor();
        boolean[] flag = {false};
        Monitor.Guard g = m.newGuard(() -> flag[0]);
        assertThat(m.enterWhen(g, Duration.ZERO)).isFalse();
        assertThat(m.enterWhen(g, Duration.ofMillis(-1))).isFalse();
        long start = System.nanoTime();
        assertThat(m.enterWhen(g, Duration.ofMillis(30))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(30_000_000L);
        assertThat(m.isOccupied()).as("not held after a timeout").isFalse();
        flag[0] = true;
        assertThat(m.enterWhen(g, Duration.ZERO)).isTrue();
        m.leave();
        flag[0] = false;
        TestThread setter = TestThread.start("setter", () -> {
            Await.until(() -> waiting(m, g) == 1, "waiting");
            m.enter();
            flag[0] = true;
            m.leave();
        });
        assertThat(m.enterWhen(g, Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
        m.leave();
        setter.joinAndRethrow();
        assertThat(m.isOccupied()).isFalse();
    }

    @Test
    void timedEnterWhenWhileOccupiedElsewhereTimesOut() throws InterruptedException {
        Monitor m = new Monitor();
        Monitor.Guard always = m.newGuard(() -> true);
        m.enter();
        AtomicBoolean got = new AtomicBoolean(true);
        TestThread t = TestThread.start("t", () -> got.set(m.enterWhen(always, Duration.ofMillis(20))));
        t.joinAndRethrow();
        assertThat(got).isFalse();
        m.leave();
    }

    @Test
    void waitForInsideTheMonitor() throws InterruptedException {
        Monitor m = new Monitor();
        boolean[] flag = {false};
        Monitor.Guard g = m.newGuard(() -> flag[0]);
        m.enter();
        try {
            assertThat(m.waitFor(g, Duration.ofMillis(10))).isFalse();
            assertThat(m.isOccupiedByCurrentThread()).isTrue();
            TestThread setter = TestThread.start("setter", () -> {
                m.enter();
                flag[0] = true;
                m.leave();
            });
            m.waitFor(g);
            assertThat(flag[0]).isTrue();
            assertThat(m.waitFor(g, Duration.ZERO)).isTrue();
            setter.joinAndRethrow();
        } finally {
            m.leave();
        }
    }

    @Test
    void enterWhenInterrupted() throws InterruptedException {
        Monitor m = new Monitor();
        Monitor.Guard never = m.newGuard(() -> false);
        AtomicBoolean threw = new AtomicBoolean(), occupiedAfter = new AtomicBoolean(true);
        TestThread t = TestThread.start("t", () -> {
            try {
                m.enterWhen(never);
            } catch (InterruptedException e) {
                threw.set(true);
                occupiedAfter.set(m.isOccupiedByCurrentThread());
            }
        });
        Await.until(() -> waiting(m, never) == 1, "waiting");
        t.interrupt();
        t.joinAndRethrow();
        assertThat(threw).isTrue();
        assertThat(occupiedAfter).as("left the monitor on the way out").isFalse();
        assertThat(m.isOccupied()).isFalse();
        m.enter();
        assertThat(m.getWaitQueueLength(never)).isZero();
        m.leave();
    }

    @Test
    void enterWhenUninterruptibly() throws InterruptedException {
        Monitor m = new Monitor();
        boolean[] flag = {false};
        Monitor.Guard g = m.newGuard(() -> flag[0]);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        TestThread t = TestThread.start("t", () -> {
            m.enterWhenUninterruptibly(g);
            interruptedAfter.set(Thread.interrupted());
            m.leave();
        });
        Await.until(() -> waiting(m, g) == 1, "waiting");
        t.interrupt();
        Await.holds(Duration.ofMillis(20), t::isAlive, "enterWhenUninterruptibly ignores the interrupt");
        m.enter();
        flag[0] = true;
        m.leave();
        t.joinAndRethrow();
        assertThat(interruptedAfter).isTrue();
    }

    /**
     * Reentrant enterWhen: the occupant made another thread's guard true and then waits for a
     * guard of its own. It must signal before waiting (it is about to release the monitor without
     * a leave()), or both wait forever. Afterwards its depth is back to 2.
     */
    @Test
    void reentrantEnterWhenSignalsBeforeWaitingAndRestoresTheDepth() throws InterruptedException {
        Monitor m = new Monitor();
        boolean[] a = {false}, b = {false};
        Monitor.Guard guardA = m.newGuard(() -> a[0]);
        Monitor.Guard guardB = m.newGuard(() -> b[0]);
        TestThread other = TestThread.start("other", () -> {
            m.enterWhen(guardA);
            try {
                b[0] = true;
            } finally {
                m.leave();
            }
        });
        Await.until(() -> waiting(m, guardA) == 1, "other waits for A");
        m.enter();
        try {
            a[0] = true;
            m.enterWhen(guardB);                               // reentrant; B is false for now
            try {
                assertThat(m.getOccupiedDepth()).isEqualTo(2);
                assertThat(b[0]).isTrue();
            } finally {
                m.leave();
            }
            assertThat(m.getOccupiedDepth()).isEqualTo(1);
        } finally {
            m.leave();
        }
        other.joinAndRethrow();
        assertThat(m.isOccupied()).isFalse();
    }

    @Test
    void reentrantTimedEnterWhenThatTimesOutKeepsTheOuterHold() throws InterruptedException {
        Monitor m = new Monitor();
        Monitor.Guard never = m.newGuard(() -> false);
        m.enter();
        assertThat(m.enterWhen(never, Duration.ofMillis(10))).isFalse();
        assertThat(m.getOccupiedDepth()).isEqualTo(1);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> m.enterWhen(never)).isInstanceOf(InterruptedException.class);
        assertThat(m.getOccupiedDepth()).isEqualTo(1);
        m.leave();
        assertThat(m.isOccupied()).isFalse();
    }

    @Test
    void aThrowingGuardPropagatesAndLeavesTheMonitorFree() {
        Monitor m = new Monitor();
        Monitor.Guard bad = m.newGuard(() -> { throw new IllegalStateException("guard"); });
        assertThatThrownBy(() -> m.enterWhen(bad)).hasMessage("guard");
        assertThatThrownBy(() -> m.enterIf(bad)).hasMessage("guard");
        assertThatThrownBy(() -> m.enterWhenUninterruptibly(bad)).hasMessage("guard");
        assertThat(m.isOccupied()).isFalse();
    }

    @Test
    void manyWaitersOnDifferentGuardsAllGetIn() throws InterruptedException {
        Monitor m = new Monitor();
        int[] stage = {0};
        int n = 8;
        List<Monitor.Guard> guards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int mine = i;
            guards.add(m.newGuard(() -> stage[0] == mine));
        }
        List<TestThread> ts = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            int mine = i;
            ts.add(TestThread.start("s" + i, () -> {
                m.enterWhen(guards.get(mine));
                try {
                    stage[0]++;                          // makes the next guard true
                } finally {
                    m.leave();
                }
            }));
        }
        for (TestThread t : ts) t.joinAndRethrow();
        assertThat(stage[0]).isEqualTo(n);
    }


    @Test
    void waitForUninterruptiblyKeepsWaitingAndTheInterruptStatus() throws Throwable {
        Monitor m = new Monitor();
        boolean[] flag = {false};
        Monitor.Guard g = m.newGuard(() -> flag[0]);
        Interrupts.ignoredBy("Monitor.waitForUninterruptibly", () -> {
            m.enter();
            try {
                m.waitForUninterruptibly(g);
                assertThat(m.isOccupiedByCurrentThread()).isTrue();
            } finally {
                m.leave();
            }
        }, () -> {
            m.enter();
            flag[0] = true;
            m.leave();
        });
    }
}
