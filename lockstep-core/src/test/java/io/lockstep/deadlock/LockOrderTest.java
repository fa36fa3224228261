package io.lockstep.deadlock;

import io.lockstep.testing.Await;
import io.lockstep.testing.JfrRecording;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lockstep.internal.LockTracking;
import io.lockstep.lock.Condvar;
import io.lockstep.lock.Mutex;
import io.lockstep.lock.MutexGuard;
import io.lockstep.lock.RawMutex;
import io.lockstep.lock.RawMutexGuard;
import io.lockstep.lock.RawRwLock;
import io.lockstep.lock.ReentrantMutex;
import io.lockstep.lock.RwLock;
import io.lockstep.lock.RwLockWriteGuard;
import io.lockstep.lock.RawRwLockGuard;
import io.lockstep.spin.ClhLock;
import io.lockstep.spin.McsLock;
import io.lockstep.spin.SpinRwLock;
import io.lockstep.spin.TasLock;
import io.lockstep.spin.TicketLock;
import io.lockstep.spin.TtasLock;
import io.lockstep.sync.Permit;
import io.lockstep.sync.Semaphore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lock-order validation with tracking compiled in. Runs in its own JVM with
 * {@code -Dlockstep.lockorder=throw} (surefire execution {@code lockorder-tracking}); run alone
 * without it, it is skipped.
 */
@Timeout(30)
class LockOrderTest {
    @BeforeAll
    static void trackingOn() {
        if ("required".equals(System.getProperty("lockstep.test.lockorder"))) {
            assertThat(LockOrder.isTracking()).as("-Dlockstep.lockorder=throw must compile tracking in").isTrue();
        }
        assumeTrue(LockOrder.isTracking(), "needs -Dlockstep.lockorder=throw");
    }

    @BeforeEach
    void fresh() {
        LockOrder.reset();
        LockOrder.setPolicy(LockOrder.Policy.THROW);
    }

    @AfterEach
    void restore() {
        LockOrder.setPolicy(LockOrder.Policy.THROW);
    }

    private static void nest(Lock outer, Lock inner) {
        outer.lock();
        try {
            inner.lock();
            inner.unlock();
        } finally {
            outer.unlock();
        }
    }

    private static void takeAThenB(RawMutex a, RawMutex b) {
        nest(a, b);
    }

    private static void takeBThenA(RawMutex a, RawMutex b) {
        nest(b, a);
    }

    private static boolean mentions(StackTraceElement[] stack, String method) {
        return Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals(method));
    }

    @Test
    void oppositeOrdersInTwoThreadsAreReportedWithBothStacks() throws Exception {
        RawMutex a = new RawMutex(), b = new RawMutex();
        LockOrder.name(a, "a");
        LockOrder.name(b, "b");
        Thread first = Thread.ofPlatform().name("first").start(() -> takeAThenB(a, b));
        first.join();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread second = Thread.ofPlatform().name("second").start(() -> {
            try {
                takeBThenA(a, b);
            } catch (Throwable t) {
                seen.set(t);
            }
        });
        second.join();

        assertThat(seen.get()).isInstanceOf(PotentialDeadlockException.class);
        var e = (PotentialDeadlockException) seen.get();
        assertThat(e.cycle()).containsExactly("b", "a", "b");
        assertThat(e.getMessage()).contains("acquiring a while holding b");
        assertThat(mentions(e.getStackTrace(), "takeBThenA")).isTrue();        // this acquisition
        assertThat(e.getStackTrace()[0].getClassName()).isEqualTo(RawMutex.class.getName());
        assertThat(mentions(e.conflictingStackTrace(), "takeAThenB")).isTrue(); // the earlier one
        assertThat(e.getCause().getMessage()).contains("b acquired while holding a").contains("first");
        assertThat(a.isLocked()).as("THROW refuses before taking the lock").isFalse();
        assertThat(b.isLocked()).isFalse();                    // released by the finally
    }

    @Test
    void namedLocksAppearInTheViolationAndInItsJfrEvent() throws Throwable {
        RawMutex accounts = new RawMutex().named("accounts"), ledger = new RawMutex().named("ledger");
        nest(accounts, ledger);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        List<RecordedEvent> events = JfrRecording.record(JfrRecording.lockstepSettings(), () -> {
            try {
                nest(ledger, accounts);
            } catch (PotentialDeadlockException e) {
                seen.set(e);
            }
        });
        assertThat(seen.get()).isInstanceOf(PotentialDeadlockException.class)
                .hasMessageContaining("acquiring RawMutex \"accounts\" while holding RawMutex \"ledger\"");
        RecordedEvent e = events.stream().filter(x -> x.getEventType().getName().equals("io.lockstep.LockOrderViolation"))
                .findFirst().orElseThrow(() -> new AssertionError("no LockOrderViolation event in " + events));
        assertThat(e.getString("cycle")).isEqualTo("RawMutex \"ledger\" -> RawMutex \"accounts\" -> RawMutex \"ledger\"");
        assertThat(e.getString("message")).isEqualTo(seen.get().getMessage());
    }

    @Test
    void aCycleThroughSeveralLocksIsFound() {
        RawMutex a = new RawMutex(), b = new RawMutex(), c = new RawMutex();
        LockOrder.name(a, "a");
        LockOrder.name(b, "b");
        LockOrder.name(c, "c");
        nest(a, b);
        nest(b, c);
        assertThat(LockOrder.isOrderedBefore(a, c)).isTrue();
        assertThat(LockOrder.isOrderedBefore(c, a)).isFalse();
        c.lock();
        try {
            assertThatThrownBy(a::lock).isInstanceOfSatisfying(PotentialDeadlockException.class,
                    e -> assertThat(e.cycle()).containsExactly("c", "a", "b", "c"));
        } finally {
            c.unlock();
        }
    }

    @Test
    void consistentOrderIsQuietAndCachedEdgesStayQuiet() {
        RawMutex a = new RawMutex(), b = new RawMutex(), c = new RawMutex();
        for (int i = 0; i < 1000; i++) {
            a.lock();
            b.lock();
            c.lock();
            c.unlock();
            b.unlock();
            a.unlock();
        }
        assertThat(LockOrder.isOrderedBefore(a, c)).isTrue();
        assertThat(LockOrder.isOrderedBefore(b, a)).isFalse();
    }

    @Test
    void aNewOrderOnLocksWhoseChainsAreCachedIsStillReported() {
        RawMutex[] m = new RawMutex[8];
        for (int i = 0; i < m.length; i++) m[i] = new RawMutex();
        for (int round = 0; round < 100; round++) {           // every chain of the nest cached
            for (RawMutex x : m) x.lock();
            for (int i = m.length - 1; i >= 0; i--) m[i].unlock();
        }
        m[3].lock();
        m[5].lock();
        m[5].unlock();                                        // a sub-chain in the known order: quiet
        m[7].lock();                                          // the tail of a cached chain, on another chain
        try {
            assertThatThrownBy(m[2]::lock).isInstanceOf(PotentialDeadlockException.class);   // 3 -> 2 is new
            assertThat(m[2].isLocked()).isFalse();
        } finally {
            m[7].unlock();
            m[3].unlock();
        }
        m[0].lock();
        m[4].lock();
        m[0].unlock();                                        // out of order: the chain is now [4]
        try {
            assertThatThrownBy(m[1]::lock).isInstanceOf(PotentialDeadlockException.class);   // 4 -> 1
        } finally {
            m[4].unlock();
        }
    }

    @Test
    void warnReportsEachViolationOnceAndTakesTheLock() {
        List<PotentialDeadlockException> reports = new ArrayList<>();
        LockOrder.onViolation(reports::add);
        LockOrder.setPolicy(LockOrder.Policy.WARN);
        RawMutex a = new RawMutex(), b = new RawMutex();
        nest(a, b);
        for (int i = 0; i < 3; i++) {
            b.lock();
            a.lock();
            assertThat(a.isHeldByCurrentThread()).isTrue();
            a.unlock();
            b.unlock();
        }
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).cycle()).hasSize(3);
    }

    @Test
    void tryLockRecordsTheEdgeButIsNeverRefused() throws InterruptedException {
        RawMutex a = new RawMutex(), b = new RawMutex();
        nest(a, b);                                           // a -> b, blocking
        b.lock();
        try {
            assertThat(a.tryLock()).isTrue();                 // b -> a by try: cannot deadlock
            a.unlock();
            assertThat(a.tryLock(1, TimeUnit.MILLISECONDS)).isTrue();
            a.unlock();
        } finally {
            b.unlock();
        }
        assertThat(LockOrder.isOrderedBefore(b, a)).isTrue();
        RawMutex c = new RawMutex(), d = new RawMutex();
        c.lock();
        assertThat(d.tryLock()).isTrue();                     // c -> d by try only
        d.unlock();
        c.unlock();
        nest(d, c);                                           // a cycle only through a try edge: quiet
        assertThat(LockOrder.isOrderedBefore(c, d)).isTrue();
    }

    @Test
    void aReentrantMutexsInnerHoldsAreNotAcquisitions() {
        ReentrantMutex r = new ReentrantMutex();
        RawMutex other = new RawMutex();
        r.lock();
        other.lock();
        r.lock();                                             // inner hold, while holding other: no edge
        r.unlock();
        other.unlock();
        r.unlock();
        assertThat(LockOrder.isOrderedBefore(other, r)).isFalse();
        assertThat(LockOrder.isOrderedBefore(r, other)).isTrue();
    }

    @Test
    void relockingAHeldNonReentrantMutexIsASelfDeadlock() {
        RawMutex m = new RawMutex();
        LockOrder.name(m, "m");
        m.lock();
        try {
            assertThatThrownBy(m::lock).isInstanceOf(PotentialDeadlockException.class)
                    .hasMessageContaining("already holds");
        } finally {
            m.unlock();
        }
        assertThat(m.isLocked()).isFalse();
    }

    @Test
    void readsNeverConflictButAReadAndAWriteDo() {
        Object x = new Object(), y = new Object();            // stand-ins for read-write locks
        acquire(x, LockTracking.SHARED);
        acquire(y, LockTracking.SHARED);
        release(y);
        release(x);
        acquire(y, LockTracking.SHARED);
        acquire(x, LockTracking.SHARED);                      // read-read both ways: fine
        release(x);
        release(y);

        Object p = new Object(), q = new Object();
        acquire(p, LockTracking.EXCLUSIVE);
        acquire(q, LockTracking.EXCLUSIVE);
        release(q);
        release(p);
        acquire(q, LockTracking.SHARED);
        try {
            assertThatThrownBy(() -> LockTracking.acquiring(p, LockTracking.SHARED))
                    .isInstanceOf(PotentialDeadlockException.class);
        } finally {
            release(q);
        }
        acquire(x, LockTracking.SHARED);
        acquire(x, LockTracking.SHARED);                      // a recursive read is no self-deadlock
        release(x);
        release(x);
    }

    private static void acquire(Object lock, int mode) {
        LockTracking.acquiring(lock, mode);
        LockTracking.acquired(lock, mode);
    }

    private static void release(Object lock) {
        LockTracking.released(lock);
    }

    @Test
    void offSkipsValidationButKeepsTrackingHeldLocks() {
        RawMutex a = new RawMutex(), b = new RawMutex();
        nest(a, b);
        LockOrder.setPolicy(LockOrder.Policy.OFF);
        b.lock();                                             // held while off ...
        a.lock();                                             // ... not validated
        a.unlock();
        LockOrder.setPolicy(LockOrder.Policy.THROW);
        try {
            assertThatThrownBy(a::lock).isInstanceOf(PotentialDeadlockException.class);   // b still known held
        } finally {
            b.unlock();
        }
    }

    @Test
    void aCondvarWaitReleasesAndRetakesTheMutex() throws Exception {
        RawMutex lock = new RawMutex(), inner = new RawMutex();
        Mutex<Boolean> ready = Mutex.of(lock, false);
        Condvar changed = new Condvar();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try (MutexGuard<Boolean> g = ready.lock()) {
                changed.awaitWhile(g, r -> !r);
                inner.lock();                                 // the mutex is held again: lock -> inner
                inner.unlock();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Await.until(() -> waiter.getState() == Thread.State.WAITING, "waiter.getState() == Thread.State.WAITING");   // in the wait (likely)
        try (MutexGuard<Boolean> g = ready.lock()) {
            g.set(true);
        }
        changed.notifyAllWaiters();
        waiter.join();
        assertThat(LockOrder.isOrderedBefore(lock, inner)).isTrue();
        inner.lock();
        try {
            assertThatThrownBy(lock::lock).isInstanceOf(PotentialDeadlockException.class);
        } finally {
            inner.unlock();
        }
    }
    // ---------------------------------------------------------------- RawRwLock (issue 19: every lock visible)

    @Test
    void aReadHolderAskingForTheWriteLockIsReportedNotHung() {
        RawRwLock rw = new RawRwLock();
        LockOrder.name(rw, "rw");
        for (int round = 0; round < 2; round++) {             // counted read, then (likely) biased
            rw.lockRead();
            try {
                assertThatThrownBy(rw::lockWrite).isInstanceOf(PotentialDeadlockException.class)
                        .hasMessageContaining("already holds");
            } finally {
                rw.unlockRead();
            }
        }
        assertThat(rw.isWriteLocked()).isFalse();
        rw.lockWrite();                                       // nothing was left recorded
        rw.unlockWrite();
    }

    @Test
    void reversedOrdersBetweenARwLockAndAMutexAreReported() {
        RawRwLock rw = new RawRwLock();
        RawMutex m = new RawMutex();
        nest(rw.writeLock(), m);                              // rw -> m
        assertThat(LockOrder.isOrderedBefore(rw, m)).isTrue();
        m.lock();
        try {
            assertThatThrownBy(rw::lockRead).as("m -> rw (read) closes the cycle")
                    .isInstanceOf(PotentialDeadlockException.class);
        } finally {
            m.unlock();
        }
        assertThat(rw.getReadLockCount()).isZero();
    }

    @Test
    void readsUnderTheUpgradableLockAndUpgradesAreNotSelfDeadlocks() {
        RawRwLock rw = new RawRwLock();
        RawMutex after = new RawMutex();
        rw.lockUpgradable();
        rw.lockRead();                                        // allowed by RawRwLock's contract
        rw.unlockRead();
        rw.upgrade();
        rw.downgrade();                                       // now one read hold
        rw.lockReadRecursive();                               // two reads never conflict
        rw.unlockRead();
        after.lock();                                         // recorded: rw (read) -> after
        after.unlock();
        rw.unlockRead();
        assertThat(LockOrder.isOrderedBefore(rw, after)).isTrue();
        rw.lockWrite();                                       // nothing left recorded as held
        rw.unlockWrite();
    }
    // ---------------------------------------------------------------- spin locks

    static Stream<Lock> spinLocks() {
        return Stream.of(new TasLock(), new TtasLock(), new TicketLock(), new McsLock(),
                new ClhLock(), new SpinRwLock().writeLock());
    }

    @ParameterizedTest
    @MethodSource("spinLocks")
    void aSpinLockTakenInReversedOrderIsReported(Lock spin) {
        RawMutex m = new RawMutex();
        nest(spin, m);                                        // spin -> m
        m.lock();
        try {
            assertThatThrownBy(spin::lock).isInstanceOf(PotentialDeadlockException.class);
        } finally {
            m.unlock();
        }
        assertThat(spin.tryLock()).as("the refused lock was not taken").isTrue();
        spin.unlock();
    }

    @Test
    void aSpinRwLockReadHolderAskingForTheWriteLockIsReported() {
        SpinRwLock rw = new SpinRwLock();
        rw.readLock().lock();
        try {
            assertThatThrownBy(rw.writeLock()::lock).isInstanceOf(PotentialDeadlockException.class)
                    .hasMessageContaining("already holds");
        } finally {
            rw.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------- locks reported by their wrapper (issue 19)

    /** Takes {@code outer} then {@code inner} (each a lock's or a semaphore's acquire and release). */
    private static void nestActions(Runnable outerLock, Runnable outerUnlock, Runnable innerLock, Runnable innerUnlock) {
        outerLock.run();
        try {
            innerLock.run();
            innerUnlock.run();
        } finally {
            outerUnlock.run();
        }
    }

    @Test
    void aTrackedSemaphoreTakenInReversedOrderIsReported() {
        Semaphore printer = Semaphore.tracked(1).named("printer");
        RawMutex m = new RawMutex().named("m");
        AtomicReference<Permit> held = new AtomicReference<>();
        Runnable take = () -> held.set(printer.acquire()), give = () -> held.get().close();
        nestActions(take, give, m::lock, m::unlock);
        assertThatThrownBy(() -> nestActions(m::lock, m::unlock, take, give))
                .isInstanceOf(PotentialDeadlockException.class)
                .hasMessageContaining("printer").hasMessageContaining("m");
        assertThat(printer.availablePermits()).as("THROW refuses before taking a permit").isEqualTo(1);
        assertThat(m.isLocked()).isFalse();
    }

    @Test
    void anUntrackedSemaphoreIsNotALock() {
        Semaphore signal = Semaphore.binary();
        RawMutex m = new RawMutex();
        AtomicReference<Permit> held = new AtomicReference<>();
        Runnable take = () -> held.set(signal.acquire()), give = () -> held.get().close();
        nestActions(take, give, m::lock, m::unlock);
        nestActions(m::lock, m::unlock, take, give);           // no order recorded: no report
        assertThat(signal.availablePermits()).isEqualTo(1);
    }

    @Test
    void aJucLockUnderAMutexTakenInReversedOrderIsReported() {
        ReentrantLock jucA = new ReentrantLock(), jucB = new ReentrantLock();
        Mutex<Integer> a = Mutex.of(jucA, 0).named("juc-a"), b = Mutex.of(jucB, 0).named("juc-b");
        AtomicReference<MutexGuard<Integer>> ga = new AtomicReference<>(), gb = new AtomicReference<>();
        Runnable lockA = () -> ga.set(a.lock()), unlockA = () -> ga.get().close();
        Runnable lockB = () -> gb.set(b.lock()), unlockB = () -> gb.get().close();
        nestActions(lockA, unlockA, lockB, unlockB);
        assertThatThrownBy(() -> nestActions(lockB, unlockB, lockA, unlockA))
                .isInstanceOf(PotentialDeadlockException.class)
                .hasMessageContaining("juc-a").hasMessageContaining("juc-b");
        assertThat(jucA.isLocked()).as("THROW refuses before taking the lock").isFalse();
        assertThat(jucB.isLocked()).isFalse();
    }

    /** Two threads, each holding its first and blocked on its second; breaks and joins them after {@code check}. */
    private static void deadlockOf(Lockish first, Lockish second, Consumer<List<Thread>> check) throws Exception {
        LockOrder.setPolicy(LockOrder.Policy.OFF);              // with THROW the second nest would be refused
        CountDownLatch bothHold = new CountDownLatch(2);
        List<Thread> threads = new ArrayList<>();
        Lockish[][] orders = {{first, second}, {second, first}};
        for (Lockish[] order : orders) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    AutoCloseable outer = order[0].take();
                    try (outer) {
                        bothHold.countDown();
                        bothHold.await();
                        order[1].take().close();
                    }
                } catch (InterruptedException expected) {
                    // the test breaks the deadlock
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        try {
            List<Deadlock> found = Await.until(DeadlockDetector::findDeadlocks, d -> !d.isEmpty(), "a deadlock is found");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).waiters()).extracting(Deadlock.Waiter::thread).containsExactlyInAnyOrderElementsOf(threads);
            check.accept(threads);
        } finally {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) t.join();
        }
        assertThat(DeadlockDetector.findDeadlocks()).isEmpty();
    }

    /** An interruptible acquisition that returns what releases it. */
    @FunctionalInterface
    private interface Lockish {
        AutoCloseable take() throws InterruptedException;
    }

    @Test
    void aDeadlockThroughATrackedSemaphoreIsFound() throws Exception {
        Semaphore s = Semaphore.tracked(1).named("printer");
        RawMutex m = new RawMutex();
        deadlockOf(s::acquireInterruptibly, () -> {
            m.lockInterruptibly();
            return m::unlock;
        }, threads -> assertThat(DeadlockDetector.findDeadlocks().get(0).describe()).contains("printer"));
        assertThat(s.availablePermits()).as("every permit given back").isEqualTo(1);
    }

    @Test
    void aDeadlockThroughJucLocksUnderMutexesIsFound() throws Exception {
        Mutex<Integer> a = Mutex.of(new ReentrantLock(), 0).named("juc-a");
        Mutex<Integer> b = Mutex.of(new ReentrantLock(), 0).named("juc-b");
        deadlockOf(a::lockInterruptibly, b::lockInterruptibly,
                threads -> assertThat(DeadlockDetector.findDeadlocks().get(0).describe()).contains("juc-a", "juc-b"));
    }

    // ---------------------------------------------------------------- guard-owned holds (lockAsync)

    @Test
    void aLockTakenWhileAnAsyncGuardIsOpenIsOrderedAfterIt() throws Exception {
        RawMutex a = new RawMutex(), b = new RawMutex();
        LockOrder.name(a, "a");
        LockOrder.name(b, "b");
        a.lockAsync().thenAccept(g -> {                        // the task holds a through its guard
            try (g) {
                b.lock();                                     // b while holding a
                b.unlock();
            }
        }).get(20, TimeUnit.SECONDS);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread other = Thread.ofPlatform().name("other").start(() -> {
            try {
                nest(b, a);                                   // the reverse, by a thread
            } catch (Throwable t) {
                seen.set(t);
            }
        });
        other.join();
        assertThat(seen.get()).isInstanceOf(PotentialDeadlockException.class);
        assertThat(((PotentialDeadlockException) seen.get()).cycle()).containsExactly("b", "a", "b");
        assertThat(a.isLocked() || b.isLocked()).as("nothing leaked").isFalse();
    }

    @Test
    void theReverseOrderTakenUnderAnAsyncGuardIsRefused() throws Exception {
        Mutex<Integer> a = Mutex.of(0), b = Mutex.of(0);
        LockOrder.name(a.rawLock(), "a");
        LockOrder.name(b.rawLock(), "b");
        nest(b.rawLock(), a.rawLock());                       // a thread: b, then a
        MutexGuard<Integer> g = a.lockAsync().get(20, TimeUnit.SECONDS);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread task = Thread.ofPlatform().name("task").start(() -> {
            try {
                g.set(1);                                      // the task now runs here: its guard's holder
                b.lock().close();                              // a (guard) then b: the reverse
            } catch (Throwable t) {
                seen.set(t);
            }
        });
        task.join();
        assertThat(seen.get()).isInstanceOf(PotentialDeadlockException.class);
        assertThat(seen.get().getMessage()).contains("acquiring b while holding a");
        g.close();
        assertThat(((RawMutex) a.rawLock()).isLocked()).isFalse();
        assertThat(((RawMutex) b.rawLock()).isLocked()).as("THROW refused before taking b").isFalse();
        b.lock().close();                                      // no guard open any more: b alone is fine
    }

    @Test
    void aClosedGuardOrAnotherTasksGuardOrdersNothing() throws Exception {
        RawMutex a = new RawMutex(), b = new RawMutex();
        RawMutexGuard g = a.lockAsync().get(20, TimeUnit.SECONDS);
        g.close();
        nest(b, a);                                            // a's guard is closed: no a -> b edge later
        RawMutexGuard other = a.lockAsync().get(20, TimeUnit.SECONDS);
        Thread elsewhere = Thread.ofPlatform().start(() -> nest(b, new RawMutex()));   // not the guard's thread
        elsewhere.join();
        other.close();
        nest(a, new RawMutex());
        assertThat(a.isLocked() || b.isLocked()).isFalse();
    }

    // ---------------------------------------------------------------- guard-owned RwLock holds (readAsync, writeAsync)

    @Test
    void theReverseOrderTakenUnderAnAsyncRwLockGuardIsRefused() throws Exception {
        RwLock<Integer> a = RwLock.of(0);
        RawMutex b = new RawMutex();
        LockOrder.name(a.rawLock(), "a");
        LockOrder.name(b, "b");
        nest(b, a.rawLock().writeLock());                      // a thread: b, then a
        RwLockWriteGuard<Integer> g = a.writeAsync().get(20, TimeUnit.SECONDS);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread task = Thread.ofPlatform().name("task").start(() -> {
            try {
                g.set(1);                                      // the task now runs here: its guard's holder
                b.lock();                                      // a (write guard) then b: the reverse
                b.unlock();
            } catch (Throwable t) {
                seen.set(t);
            }
        });
        task.join();
        assertThat(seen.get()).isInstanceOf(PotentialDeadlockException.class);
        assertThat(seen.get().getMessage()).contains("acquiring b while holding a");
        g.close();
        assertThat(b.isLocked()).as("THROW refused before taking b").isFalse();
        nest(b, a.rawLock().writeLock());                      // no guard open any more: the first order is fine
    }

    @Test
    void readAndUpgradedRwLockGuardsOrderWhatTheirTaskTakes() throws Exception {
        RawRwLock a = new RawRwLock();
        RawMutex b = new RawMutex(), c = new RawMutex();
        LockOrder.name(a, "a");
        LockOrder.name(b, "b");
        LockOrder.name(c, "c");
        a.lockReadAsync().thenAccept(g -> {                    // a read guard, then b: a -> b
            try (g) {
                b.lock();
                b.unlock();
            }
        }).get(20, TimeUnit.SECONDS);
        RawRwLockGuard up = a.lockUpgradableAsync().get(20, TimeUnit.SECONDS);
        RawRwLockGuard write = up.upgrade();                   // the write guard replaces the upgradable one
        nest(c, new RawMutex());
        c.lock();                                              // a (write guard, this thread) then c: a -> c
        c.unlock();
        write.close();
        assertThat(LockOrder.isOrderedBefore(a, b)).isTrue();
        assertThat(LockOrder.isOrderedBefore(a, c)).isTrue();
        assertThatThrownBy(() -> nest(b, a.writeLock())).isInstanceOf(PotentialDeadlockException.class);
        assertThatThrownBy(() -> nest(c, a.readLock())).as("a read after c: the reverse of a -> c")
                .isInstanceOf(PotentialDeadlockException.class);
        assertThat(a.isWriteLocked()).isFalse();
    }

    // ---------------------------------------------------------------- the per-thread slots (LockOrderValidator.held)

    private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(20, TimeUnit.SECONDS)) throw new AssertionError("latch not reached in 20 s");
    }

    @Test
    void twoThreadsSharingASlotEachKeepTheirOwnHeldLocks() throws Exception {
        RawMutex a = new RawMutex(), b = new RawMutex(), x = new RawMutex(), y = new RawMutex();
        CountDownLatch aHeld = new CountDownLatch(1), bHeld = new CountDownLatch(1), evicted = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread first = Thread.ofPlatform().unstarted(() -> {
            a.lock();
            try {
                aHeld.countDown();
                awaitLatch(evicted);
                x.lock();                                     // a -> x, not b -> x
                x.unlock();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                a.unlock();
            }
        });
        Thread second = null;
        for (int n = 0; second == null; n++) {               // ids are handed out in order: one in 256 shares the slot
            assertThat(n).as("a thread id sharing the first one's slot").isLessThan(10_000);
            Thread t = Thread.ofPlatform().unstarted(() -> {
                b.lock();
                try {
                    bHeld.countDown();
                    awaitLatch(evicted);
                    y.lock();                                 // b -> y, not a -> y
                    y.unlock();
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    b.unlock();
                }
            });
            if (((t.threadId() - first.threadId()) & 255) == 0) second = t;
        }
        first.start();
        awaitLatch(aHeld);
        second.start();
        awaitLatch(bHeld);
        evicted.countDown();
        first.join();
        second.join();
        assertThat(failure.get()).isNull();
        assertThat(LockOrder.isOrderedBefore(a, x)).isTrue();
        assertThat(LockOrder.isOrderedBefore(b, y)).isTrue();
        assertThat(LockOrder.isOrderedBefore(b, x)).as("x was taken by the first thread, under a only").isFalse();
        assertThat(LockOrder.isOrderedBefore(a, y)).isFalse();
    }
}
