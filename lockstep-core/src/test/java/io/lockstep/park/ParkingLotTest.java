package io.lockstep.park;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of the parking lot: every outcome of {@code park}, every unpark operation, the cancel
 * callback, monitoring, and the growth of the table under many parked (virtual) threads.
 */
class ParkingLotTest {

    /** A thread parked (or about to park) on a key, and what its park returned. */
    private static final class Parker {
        final TestThread thread;
        final AtomicReference<ParkResult> result = new AtomicReference<>();
        final AtomicBoolean interruptedAfter = new AtomicBoolean();

        Parker(String name, boolean virtual, Object key, long deadline, boolean interruptible,
               ParkingLot.CancelCallback onCancel) {
            TestThread.Body body = () -> {
                result.set(ParkingLot.park(key, () -> true, null, onCancel, ParkingLot.DEFAULT_PARK_TOKEN,
                        deadline, interruptible));
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            };
            thread = virtual ? TestThread.startVirtual(name, body) : TestThread.start(name, body);
        }

        ParkResult await() throws InterruptedException {
            thread.joinAndRethrow();
            return result.get();
        }
    }

    private static Parker parkOn(Object key) {
        return parkOn(key, ParkingLot.NO_DEADLINE, true, null);
    }

    private static Parker parkOn(Object key, long deadline, boolean interruptible, ParkingLot.CancelCallback onCancel) {
        Parker p = new Parker("parker", false, key, deadline, interruptible, onCancel);
        Await.until(() -> ParkingLot.isParkedOn(p.thread.thread(), key), "parked on " + key);
        return p;
    }

    // ------------------------------------------------------------ bad input

    @Test
    void nullArgumentsAreRejected() {
        Object key = new Object();
        assertThatThrownBy(() -> ParkingLot.park(null, () -> true, null, ParkingLot.NO_DEADLINE))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.park(key, null, null, ParkingLot.NO_DEADLINE))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkOne(null, r -> 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkOne(key, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkAll(key, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkRequeue(null, key, () -> RequeueOp.ABORT, (op, r) -> 0))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkRequeue(key, null, () -> RequeueOp.ABORT, (op, r) -> 0))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkRequeue(key, new Object(), null, (op, r) -> 0))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkRequeue(key, new Object(), () -> RequeueOp.ABORT, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.queueLength(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.isParkedOn(Thread.currentThread(), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.parkedThreads(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.forEachParked(null)).isInstanceOf(NullPointerException.class);
    }

    /** Regression: a null callback used to be found only after the waiter was dequeued, stranding it. */
    @Test
    void nullUnparkCallbackLeavesTheWaiterParked() throws InterruptedException {
        Object key = new Object();
        Parker p = parkOn(key);
        assertThatThrownBy(() -> ParkingLot.unparkOne(key, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ParkingLot.unparkAll(key, null)).isInstanceOf(NullPointerException.class);
        assertThat(ParkingLot.queueLength(key)).isEqualTo(1);
        assertThat(ParkingLot.unparkAll(key)).isEqualTo(1);
        assertThat(p.await()).isEqualTo(new ParkResult.Unparked(0));
    }

    // ------------------------------------------------------------ validate, beforeSleep

    @Test
    void validateFalseReturnsInvalidWithoutQueueingOrRunningBeforeSleep() {
        Object key = new Object();
        AtomicBoolean slept = new AtomicBoolean();
        ParkResult r = ParkingLot.park(key, () -> false, () -> slept.set(true), ParkingLot.NO_DEADLINE);
        assertThat(r).isInstanceOf(ParkResult.Invalid.class);
        assertThat(r.isUnparked()).isFalse();
        assertThat(slept).isFalse();
        assertThat(ParkingLot.queueLength(key)).isZero();
    }

    @Test
    void validateThatThrowsPropagatesAndLeavesNothingQueued() {
        Object key = new Object();
        assertThatThrownBy(() -> ParkingLot.park(key, () -> { throw new IllegalStateException("boom"); }, null,
                ParkingLot.NO_DEADLINE)).hasMessage("boom");
        assertThat(ParkingLot.queueLength(key)).isZero();
    }

    @Test
    void beforeSleepRunsOnceQueuedAndMayUnparkItself() {
        Object key = new Object();
        AtomicBoolean queuedWhenRun = new AtomicBoolean();
        ParkResult r = ParkingLot.park(key, () -> true, () -> {
            queuedWhenRun.set(ParkingLot.isParkedOn(Thread.currentThread(), key));
            ParkingLot.unparkOne(key, u -> 3);               // a wake-up before sleeping is not lost
        }, ParkingLot.NO_DEADLINE);
        assertThat(queuedWhenRun).isTrue();
        assertThat(r).isEqualTo(new ParkResult.Unparked(3));
    }

    @Test
    void beforeSleepThatThrowsCancelsThePark() {
        Object key = new Object();
        List<Boolean> cancels = new ArrayList<>();
        assertThatThrownBy(() -> ParkingLot.park(key, () -> true, () -> { throw new IllegalStateException("nope"); },
                (k, last) -> cancels.add(last), 0, ParkingLot.NO_DEADLINE, true)).hasMessage("nope");
        assertThat(cancels).containsExactly(true);
        assertThat(ParkingLot.queueLength(key)).isZero();
    }

    // ------------------------------------------------------------ timeouts

    @Test
    void deadlineInThePastTimesOutAtOnce() {
        Object key = new Object();
        List<Object> cancelledKeys = new ArrayList<>();
        ParkResult r = ParkingLot.park(key, () -> true, null, (k, last) -> cancelledKeys.add(k), 0,
                System.nanoTime() - 1, true);
        assertThat(r).isInstanceOf(ParkResult.TimedOut.class);
        assertThat(cancelledKeys).containsExactly(key);
        assertThat(ParkingLot.queueLength(key)).isZero();
    }

    @Test
    void timedParkTimesOutAfterItsDeadline() {
        Object key = new Object();
        long start = System.nanoTime();
        ParkResult r = ParkingLot.park(key, () -> true, null, start + 50_000_000L);
        assertThat(r).isInstanceOf(ParkResult.TimedOut.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(ParkingLot.queueLength(key)).isZero();
    }

    @Test
    void timedParkWokenBeforeItsDeadlineIsUnparked() throws InterruptedException {
        Object key = new Object();
        Parker p = parkOn(key, System.nanoTime() + Duration.ofSeconds(30).toNanos(), true, null);
        ParkingLot.unparkOne(key, r -> 7);
        assertThat(p.await()).isEqualTo(new ParkResult.Unparked(7));
    }

    @Test
    void cancelCallbackSaysWhetherTheLastThreadLeft() throws InterruptedException {
        Object key = new Object();
        List<Boolean> lastFlags = new CopyOnWriteArrayList<>();
        Parker forever = parkOn(key, ParkingLot.NO_DEADLINE, true, (k, last) -> lastFlags.add(last));
        Parker brief = parkOn(key, System.nanoTime() + 30_000_000L, true, (k, last) -> lastFlags.add(last));
        assertThat(brief.await()).isInstanceOf(ParkResult.TimedOut.class);
        assertThat(lastFlags).containsExactly(false);           // `forever` still parked
        forever.thread.interrupt();
        assertThat(forever.await()).isInstanceOf(ParkResult.Interrupted.class);
        assertThat(lastFlags).containsExactly(false, true);
    }

    // ------------------------------------------------------------ interrupts

    @Test
    void interruptEndsAnInterruptiblePark() throws InterruptedException {
        Object key = new Object();
        Parker p = parkOn(key);
        p.thread.interrupt();
        assertThat(p.await()).isInstanceOf(ParkResult.Interrupted.class);
        assertThat(p.interruptedAfter).as("interrupt status cleared").isFalse();
        assertThat(ParkingLot.queueLength(key)).isZero();
    }

    @Test
    void interruptedBeforeParkingReturnsInterrupted() {
        Object key = new Object();
        Thread.currentThread().interrupt();
        ParkResult r = ParkingLot.park(key, () -> true, null, ParkingLot.NO_DEADLINE);
        assertThat(r).isInstanceOf(ParkResult.Interrupted.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(ParkingLot.queueLength(key)).isZero();
    }

    @Test
    void uninterruptibleParkKeepsWaitingAndRestoresTheInterrupt() throws InterruptedException {
        Object key = new Object();
        Parker p = parkOn(key, ParkingLot.NO_DEADLINE, false, null);
        p.thread.interrupt();
        Await.holds(Duration.ofMillis(50), p.thread::isAlive, "still parked after the interrupt");
        Await.until(() -> ParkingLot.isParkedOn(p.thread.thread(), key), "re-parked");
        ParkingLot.unparkOne(key, r -> 2);
        assertThat(p.await()).isEqualTo(new ParkResult.Unparked(2));
        assertThat(p.interruptedAfter).as("interrupt status restored").isTrue();
    }

    @Test
    void uninterruptibleTimedParkTimesOutWithTheInterruptRestored() throws InterruptedException {
        Object key = new Object();
        Parker p = parkOn(key, System.nanoTime() + 100_000_000L, false, null);
        p.thread.interrupt();
        assertThat(p.await()).isInstanceOf(ParkResult.TimedOut.class);
        assertThat(p.interruptedAfter).isTrue();
    }

    // ------------------------------------------------------------ unparkOne

    @Test
    void unparkOneWithNobodyParkedStillRunsTheCallback() {
        Object key = new Object();
        List<UnparkResult> seen = new ArrayList<>();
        UnparkResult r = ParkingLot.unparkOne(key, u -> {
            seen.add(u);
            return 0;
        });
        assertThat(r.unparkedThreads()).isZero();
        assertThat(r.haveMoreThreads()).isFalse();
        assertThat(seen).containsExactly(r);
    }

    @Test
    void unparkOneWakesInFifoOrderAndReportsWhoIsLeft() throws InterruptedException {
        Object key = new Object();
        Object other = new Object();
        Parker bystander = parkOn(other);                      // another key: never woken here
        Parker a = parkOn(key), b = parkOn(key), c = parkOn(key);
        assertThat(ParkingLot.parkedThreads(key)).containsExactly(a.thread.thread(), b.thread.thread(), c.thread.thread());
        assertThat(ParkingLot.queueLength(key)).isEqualTo(3);

        List<UnparkResult> results = new ArrayList<>();
        for (Parker expected : List.of(a, b, c)) {
            long token = 10 + results.size();
            results.add(ParkingLot.unparkOne(key, r -> token));
            assertThat(expected.await()).isEqualTo(new ParkResult.Unparked(token));
        }
        assertThat(results).extracting(UnparkResult::unparkedThreads).containsExactly(1, 1, 1);
        assertThat(results).extracting(UnparkResult::haveMoreThreads).containsExactly(true, true, false);
        assertThat(ParkingLot.queueLength(other)).isEqualTo(1);
        ParkingLot.unparkAll(other);
        bystander.await();
    }

    @Test
    void beFairOnceTheWaiterHasWaitedHalfAMillisecond() throws InterruptedException {
        Object key = new Object();
        Parker p = parkOn(key);
        Thread.sleep(2);                                        // well past FAIR_TIMEOUT_NANOS
        AtomicReference<UnparkResult> inCallback = new AtomicReference<>();
        UnparkResult r = ParkingLot.unparkOne(key, u -> {
            inCallback.set(u);
            return 0;
        });
        assertThat(r.beFair()).isTrue();
        assertThat(inCallback.get()).isEqualTo(r);
        p.await();
    }

    /** An async waiter cannot barge, so it is handed over at once, unless it retries like a thread (parkAsync's barging). */
    @Test
    void anAsyncWaiterIsHandedOverAtOnceUnlessItRetriesLikeAThread() {
        long f = ParkingLot.FAIR_TIMEOUT_NANOS, t0 = System.nanoTime();
        Object key = new Object();
        assertThat(new WaitNode(null, token -> { }, key, 0, t0, false).wantsFairness(t0, f)).isTrue();
        assertThat(new WaitNode(null, token -> { }, key, 0, t0, true).wantsFairness(t0, f)).isFalse();
        assertThat(new WaitNode(null, token -> { }, key, 0, t0, true).wantsFairness(t0 + f, f)).isTrue();
    }

    /** Regression: a throwing callback used to leave the dequeued thread marked woken but never unparked. */
    @Test
    void throwingUnparkCallbackStillWakesTheDequeuedThread() throws InterruptedException {
        Object key = new Object();
        Parker p = parkOn(key);
        assertThatThrownBy(() -> ParkingLot.unparkOne(key, r -> { throw new IllegalStateException("cb"); }))
                .hasMessage("cb");
        assertThat(p.await()).isEqualTo(new ParkResult.Unparked(ParkingLot.DEFAULT_UNPARK_TOKEN));

        Parker q1 = parkOn(key), q2 = parkOn(key);
        assertThatThrownBy(() -> ParkingLot.unparkAll(key, r -> { throw new IllegalStateException("cb"); }))
                .hasMessage("cb");
        q1.await();
        q2.await();

        Object to = new Object();
        Parker r1 = parkOn(key);
        assertThatThrownBy(() -> ParkingLot.unparkRequeue(key, to, () -> RequeueOp.UNPARK_ONE,
                (op, r) -> { throw new IllegalStateException("cb"); })).hasMessage("cb");
        r1.await();
    }

    // ------------------------------------------------------------ unparkAll

    @Test
    void unparkAllWakesEveryoneWithTheTokenAndCountsThem() throws InterruptedException {
        Object key = new Object();
        assertThat(ParkingLot.unparkAll(key)).isZero();
        List<Parker> parkers = new ArrayList<>();
        for (int i = 0; i < 5; i++) parkers.add(parkOn(key));
        AtomicInteger seenCount = new AtomicInteger();
        int woken = ParkingLot.unparkAll(key, r -> {
            seenCount.set(r.unparkedThreads());
            return 42;
        });
        assertThat(woken).isEqualTo(5);
        assertThat(seenCount).hasValue(5);
        for (Parker p : parkers) assertThat(p.await()).isEqualTo(new ParkResult.Unparked(42));
        assertThat(ParkingLot.queueLength(key)).isZero();
    }

    // ------------------------------------------------------------ unparkRequeue

    private record Requeued(List<Parker> parkers, Object from, Object to) {}

    private static Requeued threeParkedOnFrom() {
        return parkedOnFrom(3);
    }

    private static Requeued parkedOnFrom(int n) {
        Object from = new Object(), to = new Object();
        List<Parker> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) ps.add(parkOn(from));
        return new Requeued(ps, from, to);
    }

    private static void finish(Requeued q, int expectedFrom, int expectedTo) throws InterruptedException {
        assertThat(ParkingLot.queueLength(q.from)).isEqualTo(expectedFrom);
        assertThat(ParkingLot.queueLength(q.to)).isEqualTo(expectedTo);
        ParkingLot.unparkAll(q.from);
        ParkingLot.unparkAll(q.to);
        for (Parker p : q.parkers) p.await();
    }

    @Test
    void requeueAbortDoesNothingAndSkipsTheCallback() throws InterruptedException {
        Requeued q = threeParkedOnFrom();
        AtomicBoolean called = new AtomicBoolean();
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.to, () -> RequeueOp.ABORT, (op, u) -> {
            called.set(true);
            return 0;
        });
        assertThat(r.unparkedThreads() + r.requeuedThreads()).isZero();
        assertThat(called).isFalse();
        finish(q, 3, 0);
    }

    @Test
    void requeueUnparkOne() throws InterruptedException {
        Requeued q = threeParkedOnFrom();
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.to, () -> RequeueOp.UNPARK_ONE, (op, u) -> 5);
        assertThat(r).isEqualTo(new UnparkResult(1, 0, true, r.beFair()));
        assertThat(q.parkers.get(0).await()).isEqualTo(new ParkResult.Unparked(5));
        finish(q, 2, 0);
    }

    @Test
    void requeueOne() throws InterruptedException {
        Requeued q = threeParkedOnFrom();
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.to, () -> RequeueOp.REQUEUE_ONE, (op, u) -> 0);
        assertThat(r).isEqualTo(new UnparkResult(0, 1, true, false));
        assertThat(ParkingLot.parkedThreads(q.to)).containsExactly(q.parkers.get(0).thread.thread());
        finish(q, 2, 1);
    }

    @Test
    void requeueUnparkOneRequeueRest() throws InterruptedException {
        Requeued q = threeParkedOnFrom();
        AtomicReference<RequeueOp> opSeen = new AtomicReference<>();
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.to, () -> RequeueOp.UNPARK_ONE_REQUEUE_REST, (op, u) -> {
            opSeen.set(op);
            return 9;
        });
        assertThat(opSeen).hasValue(RequeueOp.UNPARK_ONE_REQUEUE_REST);
        assertThat(r).isEqualTo(new UnparkResult(1, 2, false, r.beFair()));
        assertThat(q.parkers.get(0).await()).isEqualTo(new ParkResult.Unparked(9));
        assertThat(ParkingLot.parkedThreads(q.to))
                .containsExactly(q.parkers.get(1).thread.thread(), q.parkers.get(2).thread.thread());
        finish(q, 0, 2);
    }

    @Test
    void requeueUnparkSomeWakesTheFirstFewAndMovesTheRest() throws InterruptedException {
        int few = ParkingLot.REQUEUE_WAKE_LIMIT;
        assertThat(few).isBetween(2, 4);
        Requeued q = parkedOnFrom(few + 2);
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.to, () -> RequeueOp.UNPARK_SOME_REQUEUE_REST, (op, u) -> 7);
        assertThat(r).isEqualTo(new UnparkResult(few, 2, false, r.beFair()));
        for (Parker p : q.parkers.subList(0, few)) assertThat(p.await()).isEqualTo(new ParkResult.Unparked(7));
        assertThat(ParkingLot.parkedThreads(q.to))
                .containsExactly(q.parkers.get(few).thread.thread(), q.parkers.get(few + 1).thread.thread());
        finish(q, 0, 2);
    }

    @Test
    void requeueUnparkSomeWithFewerWaitersWakesThemAll() throws InterruptedException {
        Requeued q = parkedOnFrom(2);
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.to, () -> RequeueOp.UNPARK_SOME_REQUEUE_REST, (op, u) -> 7);
        assertThat(r).isEqualTo(new UnparkResult(2, 0, false, r.beFair()));
        for (Parker p : q.parkers) assertThat(p.await()).isEqualTo(new ParkResult.Unparked(7));
        finish(q, 0, 0);
    }

    @Test
    void requeueAllKeepsFifoOrderBehindExistingWaiters() throws InterruptedException {
        Requeued q = threeParkedOnFrom();
        Parker already = parkOn(q.to);
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.to, () -> RequeueOp.REQUEUE_ALL, (op, u) -> 0);
        assertThat(r).isEqualTo(new UnparkResult(0, 3, false, false));
        List<Thread> expected = new ArrayList<>(List.of(already.thread.thread()));
        for (Parker p : q.parkers) expected.add(p.thread.thread());
        assertThat(ParkingLot.parkedThreads(q.to)).containsExactlyElementsOf(expected);
        // Woken from the new key, in order, with the new key's token.
        for (Parker p : List.of(already, q.parkers.get(0), q.parkers.get(1), q.parkers.get(2))) {
            ParkingLot.unparkOne(q.to, u -> 4);
            assertThat(p.await()).isEqualTo(new ParkResult.Unparked(4));
        }
        finish(q, 0, 0);
    }

    @Test
    void requeueUnparkAll() throws InterruptedException {
        Requeued q = threeParkedOnFrom();
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.to, () -> RequeueOp.UNPARK_ALL, (op, u) -> 6);
        assertThat(r).isEqualTo(new UnparkResult(3, 0, false, r.beFair()));
        for (Parker p : q.parkers) assertThat(p.await()).isEqualTo(new ParkResult.Unparked(6));
        finish(q, 0, 0);
    }

    @Test
    void requeueOntoTheSameKeyIsHarmless() throws InterruptedException {
        Requeued q = threeParkedOnFrom();
        UnparkResult r = ParkingLot.unparkRequeue(q.from, q.from, () -> RequeueOp.REQUEUE_ALL, (op, u) -> 0);
        assertThat(r.requeuedThreads()).isEqualTo(3);
        finish(q, 3, 0);
    }

    @Test
    void cancelAfterRequeueReportsTheNewKey() throws InterruptedException {
        Object from = new Object(), to = new Object();
        List<Object> cancelledOn = new CopyOnWriteArrayList<>();
        Parker p = parkOn(from, ParkingLot.NO_DEADLINE, true, (k, last) -> cancelledOn.add(k));
        ParkingLot.unparkRequeue(from, to, () -> RequeueOp.REQUEUE_ALL, (op, u) -> 0);
        p.thread.interrupt();
        assertThat(p.await()).isInstanceOf(ParkResult.Interrupted.class);
        assertThat(cancelledOn).containsExactly(to);
        assertThat(ParkingLot.queueLength(to)).isZero();
    }

    // ------------------------------------------------------------ growth, forEachParked

    /**
     * Parks more than LOAD_FACTOR x buckets virtual threads, two per key, so the table must grow;
     * every thread must be visible, keep its per-key FIFO position and wake with its own token.
     */
    @Test
    void tableGrowsUnderManyParkedVirtualThreadsAndLosesNobody() throws InterruptedException {
        int before = ParkingLot.bucketCount();
        int keys = (3 * before) / 2 + 64;                         // 2 per key: > 3 x buckets parked
        Object[] key = new Object[keys];
        for (int i = 0; i < keys; i++) key[i] = new Object();
        Map<Thread, Object> expected = new HashMap<>();
        List<Parker> firsts = new ArrayList<>(), seconds = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            List<Parker> list = round == 0 ? firsts : seconds;
            for (int i = 0; i < keys; i++) {
                Parker p = new Parker("v" + round + "-" + i, true, key[i], ParkingLot.NO_DEADLINE, true, null);
                list.add(p);
                expected.put(p.thread.thread(), key[i]);
            }
            for (int i = 0; i < keys; i++) {
                Parker p = list.get(i);
                Object k = key[i];
                Await.until(() -> ParkingLot.isParkedOn(p.thread.thread(), k), "parked");
            }
        }
        assertThat(ParkingLot.bucketCount()).as("grown from %d", before).isGreaterThan(before);

        Map<Thread, Object> seen = new ConcurrentHashMap<>();
        ParkingLot.forEachParked((t, k) -> {
            if (expected.containsKey(t)) seen.put(t, k);
        });
        assertThat(seen).isEqualTo(expected);

        for (int i = 0; i < keys; i++) {
            final int index = i;
            assertThat(ParkingLot.queueLength(key[i])).isEqualTo(2);
            assertThat(ParkingLot.unparkOne(key[i], r -> index).haveMoreThreads()).isTrue();
            assertThat(firsts.get(i).await()).isEqualTo(new ParkResult.Unparked(i));
            assertThat(ParkingLot.unparkOne(key[i], r -> index + 1L).haveMoreThreads()).isFalse();
            assertThat(seconds.get(i).await()).isEqualTo(new ParkResult.Unparked(i + 1L));
        }
    }

    /** Growth while waiters are being requeued and cancelled: every thread still leaves exactly once. */
    @Test
    void growthRacingRequeueAndTimeoutsLosesNobody() throws InterruptedException {
        int threads = 3 * ParkingLot.bucketCount() + 200;
        int pairs = 16;
        Object[] from = new Object[pairs], to = new Object[pairs];
        for (int i = 0; i < pairs; i++) {
            from[i] = new Object();
            to[i] = new Object();
        }
        AtomicInteger unparked = new AtomicInteger(), timedOut = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        TestThread requeuer = TestThread.start("requeuer", () -> {
            for (int i = 0; !stop.get(); i = (i + 1) % pairs) {
                ParkingLot.unparkRequeue(from[i], to[i], () -> RequeueOp.REQUEUE_ALL, (op, r) -> 0);
            }
        });
        List<TestThread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Object k = from[i % pairs];
            boolean timed = i % 5 == 0;
            all.add(TestThread.startVirtual("g" + i, () -> {
                long deadline = timed ? System.nanoTime() + 20_000_000L : ParkingLot.NO_DEADLINE;
                ParkResult r = ParkingLot.park(k, () -> true, null, null, 0, deadline, false);
                (r instanceof ParkResult.TimedOut ? timedOut : unparked).incrementAndGet();
            }));
        }
        Await.until(() -> timedOut.get() + countParked(from) + countParked(to) + unparked.get() >= threads,
                "all parked or timed out");
        stop.set(true);
        requeuer.joinAndRethrow();
        Await.until(() -> {                                      // keep waking until all are out
            for (int i = 0; i < pairs; i++) {
                ParkingLot.unparkAll(from[i]);
                ParkingLot.unparkAll(to[i]);
            }
            return unparked.get() + timedOut.get() >= threads;
        }, "every parker unparked or timed out");
        for (TestThread t : all) t.joinAndRethrow();
        assertThat(unparked.get() + timedOut.get()).isEqualTo(threads);
        assertThat(countParked(from) + countParked(to)).isZero();
    }

    private static int countParked(Object[] keys) {
        int n = 0;
        for (Object k : keys) n += ParkingLot.queueLength(k);
        return n;
    }

    @Test
    void forEachParkedSeesAParkedThread() throws InterruptedException {
        Object key = new Object();
        Parker p = parkOn(key);
        List<Object> keys = Collections.synchronizedList(new ArrayList<>());
        ParkingLot.forEachParked((t, k) -> {
            if (t == p.thread.thread()) keys.add(k);
        });
        assertThat(keys).containsExactly(key);
        ParkingLot.unparkAll(key);
        p.await();
    }

    @Test
    void resultTypes() {
        assertThat(new ParkResult.Unparked(1).isUnparked()).isTrue();
        assertThat(ParkResult.Unparked.of(1)).isSameAs(ParkResult.Unparked.of(1));
        assertThat(ParkResult.Unparked.of(1000)).isEqualTo(new ParkResult.Unparked(1000));
        assertThat(ParkResult.Unparked.of(-1)).isEqualTo(new ParkResult.Unparked(-1));
        assertThat(ParkResult.TimedOut.INSTANCE.isUnparked()).isFalse();
        assertThat(UnparkResult.NONE).isEqualTo(new UnparkResult(0, 0, false, false));
        assertThat(RequeueOp.values()).hasSize(7);
    }
}
