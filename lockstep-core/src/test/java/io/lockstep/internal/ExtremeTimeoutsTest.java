package io.lockstep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.channel.Channels;
import io.lockstep.channel.Receiver;
import io.lockstep.channel.RecvResult;
import io.lockstep.deadlock.DeadlockDetector;
import io.lockstep.deadlock.DeadlockWatchdog;
import io.lockstep.deadlock.LockLevel;
import io.lockstep.deadlock.Locks;
import io.lockstep.deadlock.MultiLockGuard;
import io.lockstep.park.ParkResult;
import io.lockstep.park.Parker;
import io.lockstep.park.ParkingLot;
import io.lockstep.spin.ClhLock;
import io.lockstep.spin.McsLock;
import io.lockstep.spin.SpinRwLock;
import io.lockstep.spin.TasLock;
import io.lockstep.spin.TicketLock;
import io.lockstep.spin.TtasLock;
import io.lockstep.sync.AutoResetEvent;
import io.lockstep.sync.Event;
import io.lockstep.sync.Latch;
import io.lockstep.sync.Notify;
import io.lockstep.sync.OnceCell;
import io.lockstep.sync.WaitGroup;
import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every timed method of the coordination primitives, spin locks, parking and deadlock tools with
 * the extreme timeouts (issue 12, item 5): {@code Long.MAX_VALUE} of every {@link TimeUnit} and
 * the longest {@link Duration}s mean "wait (practically) forever" (the call neither returns nor
 * throws while nothing happens, then succeeds when released); {@code Long.MIN_VALUE} and the most
 * negative Durations mean "do not wait" (the timed-out outcome at once).
 */
@Timeout(60)
class ExtremeTimeoutsTest {
    private static final Duration WINDOW = Duration.ofMillis(200);
    private static final List<Duration> HUGE = List.of(
            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofSeconds(Long.MAX_VALUE),
            Duration.ofMillis(Long.MAX_VALUE), Duration.ofNanos(Long.MAX_VALUE));
    private static final List<Duration> PAST = List.of(
            Duration.ofSeconds(Long.MIN_VALUE), Duration.ofMillis(Long.MIN_VALUE),
            Duration.ofNanos(Long.MIN_VALUE), Duration.ofNanos(-1));

    /** A timeout as a method takes it: a Duration, or a (long, TimeUnit) pair. */
    private record Wait(Duration duration, long time, TimeUnit unit) {
        @Override
        public String toString() {
            return duration != null ? duration.toString() : time + " " + unit;
        }
    }

    /** One blocked-until-released situation around one timed method. */
    private interface Subject {
        /** One timed call; whether it succeeded (acquired, opened, consumed). Runs on its own thread. */
        boolean attempt(Wait w) throws Exception;

        /** Makes a pending attempt succeed; runs on the test thread. */
        void release();
    }

    private record Kind(String name, boolean takesUnit, Supplier<Subject> fresh) {}

    private static List<Kind> kinds() {
        List<Kind> k = new ArrayList<>();
        k.add(new Kind("Latch.await", false, () -> {
            Latch latch = new Latch(1);
            return subject(w -> latch.await(w.duration()), latch::countDown);
        }));
        k.add(new Kind("WaitGroup.await", false, () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            return subject(w -> wg.await(w.duration()), wg::done);
        }));
        k.add(new Kind("Event.await", false, () -> {
            Event e = new Event();
            return subject(w -> e.await(w.duration()), e::set);
        }));
        k.add(new Kind("AutoResetEvent.await", false, () -> {
            AutoResetEvent e = new AutoResetEvent();
            return subject(w -> e.await(w.duration()), e::set);
        }));
        k.add(new Kind("Notify.await", false, () -> {
            Notify n = new Notify();
            return subject(w -> n.await(w.duration()), n::notifyOne);
        }));
        k.add(new Kind("OnceCell.await", false, () -> {
            OnceCell<String> cell = new OnceCell<>();
            return subject(w -> cell.await(w.duration()).isPresent(), () -> cell.set("x"));
        }));
        k.add(new Kind("Parker.park", false, () -> {
            Parker p = new Parker();
            return subject(w -> p.park(w.duration()), p::unpark);
        }));
        for (boolean unit : new boolean[] {false, true}) {
            k.add(new Kind("ParkingLot.park(Deadline.after)", unit, () -> {
                Object key = new Object();
                AtomicInteger released = new AtomicInteger();
                return subject(w -> {
                    long deadline = w.duration() != null ? Deadline.after(w.duration()) : Deadline.after(w.time(), w.unit());
                    ParkResult r;
                    do {
                        r = ParkingLot.park(key, () -> released.get() == 0, null, deadline);
                    } while (r instanceof ParkResult.Unparked && released.get() == 0);   // spurious: park again
                    return !(r instanceof ParkResult.TimedOut);
                }, () -> {
                    released.set(1);
                    ParkingLot.unparkAll(key);
                });
            }));
        }
        lockKind(k, "TasLock.tryLock", TasLock::new);
        lockKind(k, "TtasLock.tryLock", TtasLock::new);
        lockKind(k, "TicketLock.tryLock", TicketLock::new);
        lockKind(k, "McsLock.tryLock", McsLock::new);
        lockKind(k, "ClhLock.tryLock", ClhLock::new);
        lockKind(k, "SpinRwLock.writeLock().tryLock", () -> new SpinRwLock().writeLock());
        k.add(new Kind("SpinRwLock.readLock().tryLock", true, () -> {
            SpinRwLock rw = new SpinRwLock();
            rw.writeLock().lock();
            return lockSubject(rw.readLock(), () -> rw.writeLock().unlock());
        }));
        k.add(new Kind("LeveledLock.tryLock", true, () -> {
            ReentrantLock inner = new ReentrantLock();
            inner.lock();                                        // not through the level: the test holds many
            return lockSubject(LockLevel.of("extreme", 1).guard(inner), inner::unlock);
        }));
        k.add(new Kind("Locks.tryLockAll", false, () -> {
            Lock free = new ReentrantLock(), held = new ReentrantLock();
            held.lock();
            return subject(w -> {
                Optional<MultiLockGuard> g = Locks.tryLockAll(w.duration(), free, held);
                g.ifPresent(MultiLockGuard::close);
                return g.isPresent();
            }, held::unlock);
        }));
        return k;
    }

    private static void lockKind(List<Kind> k, String name, Supplier<Lock> lock) {
        k.add(new Kind(name, true, () -> {
            Lock l = lock.get();
            l.lock();                                            // held by the test thread until release
            return lockSubject(l, l::unlock);
        }));
    }

    private static Subject lockSubject(Lock l, Runnable release) {
        return subject(w -> {
            if (!l.tryLock(w.time(), w.unit())) return false;
            l.unlock();
            return true;
        }, release);
    }

    @FunctionalInterface
    private interface Attempt {
        boolean run(Wait w) throws Exception;
    }

    private static Subject subject(Attempt attempt, Runnable release) {
        return new Subject() {
            @Override
            public boolean attempt(Wait w) throws Exception {
                return attempt.run(w);
            }

            @Override
            public void release() {
                release.run();
            }
        };
    }

    private static List<Wait> waits(boolean takesUnit, List<Duration> durations, long extreme) {
        List<Wait> waits = new ArrayList<>();
        if (takesUnit) {
            for (TimeUnit u : TimeUnit.values()) waits.add(new Wait(null, extreme, u));
        } else {
            for (Duration d : durations) waits.add(new Wait(d, 0, null));
        }
        return waits;
    }

    @Test
    void hugeTimeoutsWaitUntilReleased() throws Exception {
        record Pending(String what, Subject subject, TestThread thread, AtomicInteger outcome) {}
        List<Pending> pending = new ArrayList<>();
        AtomicInteger started = new AtomicInteger();
        for (Kind kind : kinds()) {
            for (Wait w : waits(kind.takesUnit(), HUGE, Long.MAX_VALUE)) {
                Subject s = kind.fresh().get();
                AtomicInteger outcome = new AtomicInteger(-1);     // -1 pending, 0 timed out, 1 succeeded
                String what = kind.name() + "(" + w + ")";
                TestThread t = TestThread.startVirtual(what, () -> {
                    started.incrementAndGet();
                    outcome.set(s.attempt(w) ? 1 : 0);
                });
                pending.add(new Pending(what, s, t, outcome));
            }
        }
        Await.until(() -> started.get() == pending.size(), "every waiter started");
        Await.holds(WINDOW, () -> pending.stream().allMatch(p -> p.outcome().get() == -1 && p.thread().thread().isAlive()),
                "every huge-timeout call still waiting");
        for (Pending p : pending) p.subject().release();
        for (Pending p : pending) {
            p.thread().joinAndRethrow();
            assertThat(p.outcome().get()).as(p.what()).isEqualTo(1);
        }
    }

    @Test
    void pastTimeoutsReturnTheTimedOutOutcomeAtOnce() throws Exception {
        for (Kind kind : kinds()) {
            for (Wait w : waits(kind.takesUnit(), PAST, Long.MIN_VALUE)) {
                Subject s = kind.fresh().get();
                AtomicInteger outcome = new AtomicInteger(-1);
                String what = kind.name() + "(" + w + ")";
                TestThread t = TestThread.start(what, () -> outcome.set(s.attempt(w) ? 1 : 0));
                t.joinAndRethrow();                             // fails if it waits (JOIN_TIMEOUT)
                assertThat(outcome.get()).as(what).isZero();
                s.release();
            }
        }
    }

    @Test
    void timerChannelsWithExtremeDelays() throws Exception {
        for (Duration d : HUGE) {
            Receiver<Instant> after = Channels.after(d), tick = Channels.tick(d);
            Await.holds(Duration.ofMillis(50), () -> after.tryRecv() instanceof RecvResult.Empty
                    && tick.tryRecv() instanceof RecvResult.Empty && !after.isClosed(), "no delivery: " + d);
            assertThat(after.recv(Duration.ofMillis(1))).as("after(%s)", d).isInstanceOf(RecvResult.TimedOut.class);
            assertThat(tick.recv(Duration.ofMillis(1))).as("tick(%s)", d).isInstanceOf(RecvResult.TimedOut.class);
        }
        for (Duration d : PAST) {
            Receiver<Instant> after = Channels.after(d);
            assertThat(after.tryRecv()).as("after(%s)", d).isInstanceOf(RecvResult.Received.class);
            assertThat(after.tryRecv()).isInstanceOf(RecvResult.Closed.class);
            assertThatThrownBy(() -> Channels.tick(d)).as("tick(%s)", d).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void deadlockWatchdogWithExtremePeriods() {
        for (Duration d : HUGE) {
            try (DeadlockWatchdog dog = DeadlockDetector.watch(d, deadlock -> { })) {
                Await.until(() -> dog.scans() >= 1, "first scan");
                Await.holds(Duration.ofMillis(50), () -> dog.scans() == 1, "no second scan: " + d);
            }                                                   // close() must not wait a period
        }
        for (Duration d : PAST) {
            assertThatThrownBy(() -> DeadlockDetector.watch(d, deadlock -> { })).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
