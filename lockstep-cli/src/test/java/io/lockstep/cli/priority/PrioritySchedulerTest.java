package io.lockstep.cli.priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Scheduling on the virtual clock; all times are exact because the clock is simulated. */
@Timeout(30)
class PrioritySchedulerTest {
    private static Runnable critical(PriorityScheduler s, SchedulerMutex m, long ticks) {
        return () -> {
            m.lock();
            try {
                s.work(ticks);
            } finally {
                m.unlock();
            }
        };
    }

    /** The measured waits of one Pathfinder run. */
    record Pathfinder(Task low, Task high, List<Task> mediums) {}

    /**
     * Mars Pathfinder, 1997: one CPU; a low-priority task (the meteorological data thread) holds
     * the bus mutex for 4 ticks; the high-priority bus manager arrives at t=1 and waits for it;
     * CPU-bound medium-priority tasks (communications) arrive at t=2.
     */
    private static Pathfinder pathfinder(
            Function<PriorityScheduler, SchedulerMutex> mutex, int mediums, long work)
            throws InterruptedException {
        PriorityScheduler s = new PriorityScheduler(1);
        SchedulerMutex bus = mutex.apply(s);
        Task low = s.spawn("meteo", 1, 0, critical(s, bus, 4));
        Task high = s.spawn("bus-manager", 3, 1, critical(s, bus, 1));
        List<Task> meds = new ArrayList<>();
        for (int i = 0; i < mediums; i++) meds.add(s.spawn("comms-" + i, 2, 2, () -> s.work(work)));
        s.run();
        return new Pathfinder(low, high, meds);
    }

    @ParameterizedTest(name = "{0} medium task(s) x {1} ticks")
    @CsvSource({"1, 10", "3, 10", "2, 50"})
    void pathfinderInversionAndItsTwoCures(int mediums, long work) throws Exception {
        Pathfinder plain = pathfinder(SchedulerMutex::new, mediums, work);
        Pathfinder pi = pathfinder(PiMutex::new, mediums, work);
        Pathfinder ceiling = pathfinder(s -> new CeilingMutex(s, 3), mediums, work);

        // Without inheritance: low is preempted by every medium task while high waits for it.
        // Low ran t=0..2 of its 4-tick section, so high (blocked at t=1) waits 3 + all medium work.
        assertThat(plain.high.blockedTicks()).isEqualTo(3 + mediums * work);
        assertThat(plain.high.finishedAt())
                .isGreaterThan(plain.mediums.get(mediums - 1).finishedAt());

        // With inheritance: the wait is the rest of low's critical section, whatever the medium
        // work.
        assertThat(pi.high.blockedTicks()).isEqualTo(3).isLessThanOrEqualTo(4);
        assertThat(pi.low.peakPriority()).isEqualTo(3);
        assertThat(pi.high.finishedAt()).isEqualTo(5);
        for (Task m : pi.mediums) assertThat(m.finishedAt()).isGreaterThan(pi.high.finishedAt());

        // With the ceiling: low runs its section at 3, high never blocks; it starts when low is
        // done.
        assertThat(ceiling.high.blockedTicks()).isZero();
        assertThat(ceiling.high.startedAt()).isEqualTo(4);
        assertThat(ceiling.high.finishedAt()).isEqualTo(5);
        assertThat(ceiling.low.peakPriority()).isEqualTo(3);
    }

    @Test
    void inheritanceFollowsAChainOfHolders() throws Exception {
        PriorityScheduler s = new PriorityScheduler(1);
        PiMutex a = new PiMutex(s), b = new PiMutex(s);
        Task low = s.spawn("low", 1, 0, critical(s, a, 5));
        Task mid =
                s.spawn(
                        "mid",
                        2,
                        1,
                        () -> {
                            b.lock();
                            try {
                                critical(s, a, 1).run(); // blocks on a, held by low
                            } finally {
                                b.unlock();
                            }
                        });
        Task high = s.spawn("high", 4, 2, critical(s, b, 1)); // blocks on b, held by mid
        Task noise = s.spawn("noise", 3, 3, () -> s.work(50));
        s.run();
        // high -> b -> mid -> a -> low: low runs at 4, so noise (3) cannot get between.
        assertThat(low.peakPriority()).isEqualTo(4);
        assertThat(mid.peakPriority()).isEqualTo(4);
        assertThat(high.blockedTicks()).isEqualTo(4); // t=2 until mid releases b at t=6
        assertThat(high.finishedAt()).isEqualTo(7);
        assertThat(noise.startedAt()).isEqualTo(7);
        assertThat(noise.finishedAt()).isEqualTo(57);
    }

    @Test
    void priorityPreemptsAndEqualPrioritiesShareCpusInSpawnOrder() throws Exception {
        PriorityScheduler s = new PriorityScheduler(2);
        Task a = s.spawn("a", 1, 0, () -> s.work(10));
        Task b = s.spawn("b", 1, 0, () -> s.work(10));
        Task c = s.spawn("c", 1, 0, () -> s.work(10));
        Task urgent = s.spawn("urgent", 5, 3, () -> s.work(2));
        s.run();
        assertThat(urgent.startedAt()).isEqualTo(3);
        assertThat(urgent.finishedAt()).isEqualTo(5);
        assertThat(a.finishedAt()).isEqualTo(10); // b was preempted, not a
        assertThat(b.finishedAt()).isEqualTo(12);
        assertThat(c.startedAt()).isEqualTo(10);
        assertThat(c.finishedAt()).isEqualTo(20);
    }

    @Test
    void aDeadlockAmongTasksIsReported() {
        PriorityScheduler s = new PriorityScheduler(1);
        SchedulerMutex x = new SchedulerMutex(s), y = new SchedulerMutex(s);
        s.spawn(
                "t1",
                1,
                0,
                () -> {
                    x.lock();
                    s.work(2);
                    y.lock();
                });
        s.spawn(
                "t2",
                2,
                1,
                () -> {
                    y.lock();
                    x.lock();
                });
        assertThatThrownBy(s::run)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("deadlock");
    }

    @Test
    void aCeilingBelowTheCallerIsAnError() {
        PriorityScheduler s = new PriorityScheduler(1);
        CeilingMutex m = new CeilingMutex(s, 2);
        s.spawn("too-high", 3, 0, critical(s, m, 1));
        assertThatThrownBy(s::run)
                .isInstanceOf(IllegalStateException.class)
                .cause()
                .hasMessageContaining("above the ceiling 2");
    }

    @Test
    void misuseIsRejected() throws Exception {
        assertThatThrownBy(() -> new PriorityScheduler(0))
                .isInstanceOf(IllegalArgumentException.class);
        PriorityScheduler s = new PriorityScheduler(1);
        assertThatThrownBy(() -> s.spawn("x", 1, -1, () -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.work(1)).isInstanceOf(IllegalStateException.class); // not a task
        SchedulerMutex m = new SchedulerMutex(s);
        s.spawn("bad-unlock", 1, 0, m::unlock);
        assertThatThrownBy(s::run)
                .isInstanceOf(IllegalStateException.class)
                .cause()
                .isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(s::run)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> s.spawn("late", 1, 0, () -> {}))
                .isInstanceOf(IllegalStateException.class);
    }
}
