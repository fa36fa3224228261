package io.lockstep.cli.tour;

import io.lockstep.cli.priority.CeilingMutex;
import io.lockstep.cli.priority.PiMutex;
import io.lockstep.cli.priority.PriorityScheduler;
import io.lockstep.cli.priority.SchedulerMutex;
import io.lockstep.cli.priority.Task;
import io.lockstep.deadlock.LockOrder;
import io.lockstep.deadlock.Locks;
import io.lockstep.deadlock.MultiLockGuard;
import io.lockstep.deadlock.PotentialDeadlockException;
import io.lockstep.lock.RawMutex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Deadlocks and priority inversion: the lock-order validator catching two threads that take two
 * locks in opposite orders, {@code Locks.lockAll} making the same work safe, and the Mars
 * Pathfinder inversion measured without a protocol, with inheritance and with a ceiling.
 */
public final class DeadlockScenarios implements ScenarioGroup {
    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "deadlock-detect",
                        "two threads take two locks in opposite orders: the validator reports it with both stacks",
                        DeadlockScenarios::deadlockDetect),
                Scenario.of(
                        "lock-ordering",
                        "the same opposite-order transfers with Locks.lockAll: one global order, no deadlock",
                        DeadlockScenarios::lockOrdering),
                Scenario.of(
                        "priority-inversion",
                        "Mars Pathfinder on one simulated CPU: the high task's wait without and with inheritance",
                        DeadlockScenarios::priorityInversion));
    }

    // ---------------------------------------------------------------- deadlock-detect

    /**
     * Validation is compiled in or out once per JVM, at the first lock, and the tour has used locks
     * already; so this scenario runs {@link ValidatorDemo} in a JVM of its own, started with {@code
     * -Dlockstep.lockorder=throw}.
     */
    private static String deadlockDetect() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                java,
                                "-D" + "lockstep.lockorder=throw",
                                "-cp",
                                System.getProperty("java.class.path"),
                                ValidatorDemo.class.getName())
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Check.that(p.waitFor(60, TimeUnit.SECONDS), "the demo JVM did not finish");
        Check.equal(0, p.exitValue(), "demo exit status (output: " + out + ")");
        Check.that(
                out.contains("Potential deadlock: acquiring a while holding b"),
                "no report in: %s",
                out);
        Check.that(
                out.contains("thisAcquisition") && out.contains("takeBThenA"),
                "the new acquisition's stack is missing: %s",
                out);
        Check.that(
                out.contains("conflicting") && out.contains("takeAThenB"),
                "the earlier acquisition's stack is missing: %s",
                out);
        return "thread-1 took a then b, thread-2 b then a: PotentialDeadlockException [b -> a -> b], "
                + "with thread-2's stack (takeBThenA) and thread-1's (takeAThenB); no thread blocked";
    }

    /** Run with {@code -Dlockstep.lockorder=throw}: prints the report of an opposite-order pair. */
    public static final class ValidatorDemo {
        private ValidatorDemo() {}

        private static void nest(RawMutex outer, RawMutex inner) {
            outer.lock();
            try {
                inner.lock();
                inner.unlock();
            } finally {
                outer.unlock();
            }
        }

        static void takeAThenB(RawMutex a, RawMutex b) {
            nest(a, b);
        }

        static void takeBThenA(RawMutex a, RawMutex b) {
            nest(b, a);
        }

        /** Entry point of the demo JVM. */
        public static void main(String[] args) throws InterruptedException {
            RawMutex a = new RawMutex(), b = new RawMutex();
            LockOrder.name(a, "a");
            LockOrder.name(b, "b");
            Thread t1 = Thread.ofPlatform().name("thread-1").start(() -> takeAThenB(a, b));
            t1.join();
            Thread t2 =
                    Thread.ofPlatform()
                            .name("thread-2")
                            .start(
                                    () -> {
                                        try {
                                            takeBThenA(a, b);
                                            System.out.println("no report");
                                        } catch (PotentialDeadlockException e) {
                                            System.out.println(e.getMessage());
                                            System.out.println("thisAcquisition:");
                                            Arrays.stream(e.getStackTrace())
                                                    .limit(4)
                                                    .forEach(f -> System.out.println("\tat " + f));
                                            System.out.println(
                                                    "conflicting ("
                                                            + e.getCause().getMessage()
                                                            + "):");
                                            Arrays.stream(e.conflictingStackTrace())
                                                    .limit(4)
                                                    .forEach(f -> System.out.println("\tat " + f));
                                        }
                                    });
            t2.join();
        }
    }

    // ---------------------------------------------------------------- lock-ordering

    private static final class Account {
        final RawMutex lock = new RawMutex();
        long balance = 1_000; // guarded by lock
    }

    private static String lockOrdering() throws InterruptedException {
        Account x = new Account(), y = new Account();
        int transfers = 20_000;
        Thread t1 = Thread.ofPlatform().start(() -> transfer(x, y, transfers));
        Thread t2 =
                Thread.ofPlatform().start(() -> transfer(y, x, transfers)); // the opposite order
        Check.that(
                t1.join(java.time.Duration.ofSeconds(30))
                        && t2.join(java.time.Duration.ofSeconds(30)),
                "transfers did not finish: deadlock?");
        try (MultiLockGuard g = Locks.lockAll(x.lock, y.lock)) {
            Check.equal(2_000L, x.balance + y.balance, "total money");
        }
        return "2 threads x "
                + transfers
                + " transfers in opposite directions under Locks.lockAll: finished, total 2000 kept";
    }

    private static void transfer(Account from, Account to, int times) {
        for (int i = 0; i < times; i++) {
            try (MultiLockGuard g = Locks.lockAll(from.lock, to.lock)) {
                from.balance--;
                to.balance++;
            }
        }
    }

    // ---------------------------------------------------------------- priority-inversion

    private static long highWait(
            Function<PriorityScheduler, SchedulerMutex> protocol, long mediumWork)
            throws InterruptedException {
        PriorityScheduler s = new PriorityScheduler(1);
        SchedulerMutex bus = protocol.apply(s);
        s.spawn("meteo", 1, 0, () -> critical(s, bus, 4));
        Task high = s.spawn("bus-manager", 3, 1, () -> critical(s, bus, 1));
        s.spawn("comms", 2, 2, () -> s.work(mediumWork));
        s.run();
        return high.blockedTicks();
    }

    private static void critical(PriorityScheduler s, SchedulerMutex m, long ticks) {
        m.lock();
        try {
            s.work(ticks);
        } finally {
            m.unlock();
        }
    }

    private static String priorityInversion() throws InterruptedException {
        long[] plain = {highWait(SchedulerMutex::new, 10), highWait(SchedulerMutex::new, 100)};
        long[] pi = {highWait(PiMutex::new, 10), highWait(PiMutex::new, 100)};
        long[] ceiling = {
            highWait(s -> new CeilingMutex(s, 3), 10), highWait(s -> new CeilingMutex(s, 3), 100)
        };
        Check.that(
                plain[1] - plain[0] == 90,
                "without a protocol the wait grows with medium work: %s",
                Arrays.toString(plain));
        Check.that(
                pi[0] == pi[1] && pi[0] <= 4,
                "with PiMutex the wait is bounded by low's section: %s",
                Arrays.toString(pi));
        Check.that(
                ceiling[0] == 0 && ceiling[1] == 0,
                "with CeilingMutex high never blocks: %s",
                Arrays.toString(ceiling));
        return String.format(
                "high task's wait (ticks) with 10 / 100 ticks of medium work: no protocol %d / %d, "
                        + "PiMutex %d / %d, CeilingMutex %d / %d",
                plain[0], plain[1], pi[0], pi[1], ceiling[0], ceiling[1]);
    }
}
