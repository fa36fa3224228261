package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.Eventually;
import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Semaphore behaviour: the JSR-166 TCK's SemaphoreTest cases (counts, blocking acquire released by
 * another thread, timed and interrupted acquires) and tokio's batch_semaphore tests (batch
 * absorption, cancellation returning permits, close), written fresh for this API; then both modes
 * (barging with its starvation bound, fair), the JUC contracts and the issue-12 regressions.
 * Tests that need strict FIFO hand-off build a fair semaphore.
 */
@Timeout(30)
class SemaphoreTest {

    @Test
    void badInputIsRejectedAndChangesNothing() {
                assertThatThrownBy(() -> Semaphore.bounded(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Semaphore.bounded(0, 0)).isInstanceOf(IllegalArgumentException.class);
        Semaphore s = Semaphore.bounded(2, 3);
        assertThatThrownBy(() -> s.acquire(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.tryAcquire(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never");
        assertThatThrownBy(() -> s.release(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.forgetPermits(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.release(2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("maximum");
        assertThatThrownBy(() -> s.tryAcquire(1, (Duration) null)).isInstanceOf(NullPointerException.class);
        assertThat(s.availablePermits()).isEqualTo(2);
        s.release(1);
        assertThat(s.availablePermits()).isEqualTo(3);
    }

    @Test
    void countsAsTheTckExpects() throws Exception {
        Semaphore s = new Semaphore(2);
        Permit a = s.acquire();
        assertThat(s.availablePermits()).isEqualTo(1);
        Optional<Permit> b = s.tryAcquire(1);
        assertThat(b).isPresent();
        assertThat(s.tryAcquire(1)).isEmpty();
        assertThat(s.tryAcquire(1, Duration.ZERO)).isEmpty();
        a.close();
        a.close();                                           // idempotent: releases once
        assertThat(s.availablePermits()).isEqualTo(1);
        b.get().forget();
        b.get().close();
        assertThat(s.availablePermits()).isEqualTo(1);
        s.release(5);                                        // no ownership; may grow
        assertThat(s.availablePermits()).isEqualTo(6);
        assertThat(s.forgetPermits(4)).isEqualTo(4);
        assertThat(s.forgetPermits(10)).isEqualTo(2);
        assertThat(s.availablePermits()).isZero();
        try (Permit zero = s.acquire(0)) {
            assertThat(zero.permits()).isZero();
        }
        s.addPermits(1);
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void binaryHoldsAtMostOne() {
        Semaphore s = Semaphore.binary();
        Permit p = s.acquire();
        assertThat(s.tryAcquire(1)).isEmpty();
        p.close();
        assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class);
        assertThat(s.availablePermits()).isEqualTo(1);
        assertThat(s.maximum()).isEqualTo(1);
    }

    @Test
    void acquireBlocksUntilAnotherThreadReleases() throws Exception {
        Semaphore s = new Semaphore(0);
        AtomicReference<Permit> got = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> got.set(s.acquire(2)));
        Eventually.until(() -> s.getQueueLength() == 1, "the acquirer queued");
        s.release();
        Eventually.parked(t);
        assertThat(got.get()).isNull();
        s.release();
        t.join();
        assertThat(got.get().permits()).isEqualTo(2);
        assertThat(s.availablePermits()).isZero();
        got.get().close();
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    @Test
    void headRequestAbsorbsPermitsSoABigRequestIsNotStarved() throws Exception {
        Semaphore s = new Semaphore(1, true);
        CompletableFuture<Permit> big = s.acquireAsync(3);    // absorbs the 1
        CompletableFuture<Permit> small = s.acquireAsync(1);
        assertThat(s.availablePermits()).isZero();
        assertThat(s.tryAcquire(1)).as("no barging past waiters").isEmpty();
        s.release(1);
        assertThat(big).isNotDone();
        assertThat(small).as("the released permit went to the head").isNotDone();
        s.release(1);
        assertThat(big).isDone();
        assertThat(small).isNotDone();
        s.release(1);
        assertThat(small).isDone();
        big.join().close();
        small.join().close();
        assertThat(s.availablePermits()).isEqualTo(4);
    }

    @Test
    void releaseOfManyWakesSeveralWaitersInOrder() {
        Semaphore s = new Semaphore(0);
        List<CompletableFuture<Permit>> fs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) fs.add(s.acquireAsync(i));
        s.release(4);
        assertThat(fs.get(0)).isDone();
        assertThat(fs.get(1)).isDone();
        assertThat(fs.get(2)).isNotDone();
        s.release(2);
        assertThat(fs.get(2)).isDone();
        assertThat(s.availablePermits()).isZero();
    }

    @Test
    void cancellingAnAsyncAcquireGivesBackWhatItAbsorbed() {
        Semaphore s = new Semaphore(1, true);
        CompletableFuture<Permit> f = s.acquireAsync(2);
        assertThat(s.availablePermits()).isZero();
        assertThat(f.cancel(false)).isTrue();
        assertThat(s.availablePermits()).isEqualTo(1);
        assertThat(s.getQueueLength()).isZero();
        assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void cancelledHeadPassesItsPermitsToTheNextWaiter() {
        Semaphore s = new Semaphore(1);
        CompletableFuture<Permit> first = s.acquireAsync(2);
        CompletableFuture<Permit> second = s.acquireAsync(1);
        first.cancel(true);
        assertThat(second).isCompleted();
        assertThat(second.join().permits()).isEqualTo(1);
    }

    @Test
    void asyncTimeoutWithdrawsTheRequest() {
        Semaphore s = new Semaphore(0);
        CompletableFuture<Permit> f = s.acquireAsync(1).orTimeout(10, TimeUnit.MILLISECONDS);
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class);
        Eventually.until(() -> s.getQueueLength() == 0, "the timed-out request left");
        s.release();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void asyncAcquireDoesNotBlockAndCompletesOnRelease() {
        Semaphore s = new Semaphore(2);
        CompletableFuture<Permit> now = s.acquireAsync(2);
        assertThat(now).isCompleted();
        CompletableFuture<Permit> later = s.acquireAsync(1);
        assertThat(later).isNotDone();
        now.join().close();
        assertThat(later).isCompleted();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void closeFailsWaitersAndLaterAcquiresButReleasesStillCount() throws Exception {
        Semaphore s = new Semaphore(1, true);
        CompletableFuture<Permit> async = s.acquireAsync(2);     // absorbs 1
        AtomicReference<Throwable> syncFailure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                s.acquire(1);
            } catch (Throwable e) {
                syncFailure.set(e);
            }
        });
        Eventually.until(() -> s.getQueueLength() == 2, "both queued");
        assertThat(s.close()).as("this call closed it").isTrue();
        t.join();
        assertThat(syncFailure.get()).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(async::join).hasCauseInstanceOf(SemaphoreClosedException.class);
        assertThat(s.isClosed()).isTrue();
        assertThat(s.availablePermits()).as("absorbed permits returned").isEqualTo(1);
        assertThatThrownBy(s::acquire).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(() -> s.tryAcquire(1)).isInstanceOf(SemaphoreClosedException.class);
        assertThat(s.acquireAsync(1)).isCompletedExceptionally();
        s.release(2);
        assertThat(s.availablePermits()).isEqualTo(3);
        assertThat(s.close()).as("idempotent: already closed").isFalse();
        assertThat(s.availablePermits()).as("a second close returns nothing again").isEqualTo(3);
    }

    @Test
    void timedAcquireTimesOutAndReturnsAbsorbedPermits() throws Exception {
        Semaphore s = new Semaphore(1);
        assertThat(s.tryAcquire(2, Duration.ofMillis(20))).isEmpty();
        assertThat(s.availablePermits()).isEqualTo(1);
        assertThat(s.getQueueLength()).isZero();
        assertThat(s.tryAcquire(1, Duration.ofMillis(-5))).isPresent();
    }

    @Test
    void timedAcquireSucceedsWhenReleasedInTime() throws Exception {
        Semaphore s = new Semaphore(0);
        Thread releaser = Thread.ofPlatform().start(() -> {
            Eventually.until(() -> s.getQueueLength() == 1, "queued");
            s.release();
        });
        assertThat(s.tryAcquire(1, Duration.ofSeconds(20))).isPresent();
        releaser.join();
    }

    @Test
    void interruptEndsTheWaitAndLosesNothing() throws Exception {
        Semaphore s = new Semaphore(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                s.acquireInterruptibly(3);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Eventually.until(() -> s.getQueueLength() == 1, "queued");
        t.interrupt();
        t.join();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        assertThat(s.availablePermits()).isEqualTo(1);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> s.acquireInterruptibly(1)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void uninterruptibleAcquireKeepsWaitingAndRestoresTheInterrupt() throws Exception {
        Semaphore s = new Semaphore(0);
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try (Permit p = s.acquire()) {
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        Eventually.until(() -> s.getQueueLength() == 1, "queued");
        t.interrupt();
        Eventually.parked(t);
        s.release();
        t.join();
        assertThat(interruptedAfter.get()).isTrue();
    }

    @Test
    void neverMoreHoldersThanPermits() throws Exception {
        Semaphore s = new Semaphore(3);
        AtomicInteger inside = new AtomicInteger(), max = new AtomicInteger();
        int rounds = Stress.iterations(2_000);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = 1 + i % 2;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; r < rounds; r++) {
                    try (Permit p = s.acquire(n)) {
                        int now = inside.addAndGet(n);
                        max.accumulateAndGet(now, Math::max);
                        inside.addAndGet(-n);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(max.get()).isBetween(1, 3);
        assertThat(s.availablePermits()).isEqualTo(3);
        assertThat(s.getQueueLength()).isZero();
    }

    @Test
    void asyncCancellationRacingReleaseLosesNothing() {
        int rounds = Stress.iterations(2_000);
        Semaphore s = new Semaphore(0);
        for (int r = 0; r < rounds; r++) {
            CompletableFuture<Permit> f = s.acquireAsync(2);
            Thread canceller = Thread.ofPlatform().start(() -> f.cancel(false));
            s.release(2);
            try {
                canceller.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (!f.isCancelled()) f.join().close();
            assertThat(s.availablePermits()).isEqualTo(2);
            assertThat(s.forgetPermits(2)).isEqualTo(2);
        }
    }

    @Test
    void virtualThreadsShareAFewPermits() throws Exception {
        Semaphore s = new Semaphore(2);
        AtomicInteger inside = new AtomicInteger(), max = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Permit p = s.acquire()) {
                    max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(max.get()).isBetween(1, 2);
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- regressions (issue 12)

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void chainedAsyncAcquiresRunWithAFlatStack(boolean fair) {
        Semaphore s = new Semaphore(1, fair);
        int n = 100_000;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger minDepth = new AtomicInteger(Integer.MAX_VALUE), maxDepth = new AtomicInteger();
        StackWalker walker = StackWalker.getInstance();
        Permit first = s.acquire();
        List<CompletableFuture<Void>> chain = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chain.add(s.acquireAsync(1).thenAccept(p -> {
                try (p) {                                    // the Javadoc's own pattern
                    if (done.incrementAndGet() % 1000 == 0) {
                        int depth = (int) (long) walker.walk(frames -> frames.count());
                        minDepth.accumulateAndGet(depth, Math::min);
                        maxDepth.accumulateAndGet(depth, Math::max);
                    }
                }
            }));
        }
        first.close();                                       // runs the whole chain
        assertThat(done.get()).isEqualTo(n);
        assertThat(maxDepth.get() - minDepth.get()).as("stack growth across the chain").isLessThan(20);
        assertThat(chain).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(s.availablePermits()).isEqualTo(1);
        assertThat(s.getQueueLength()).isZero();
    }

    @Test
    void callbacksThatThrowLoseNothing() {
        Semaphore s = new Semaphore(0);
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Permit> f = s.acquireAsync(1);
            if (i % 2 == 0) {
                fs.add(f.thenAccept(p -> {
                    p.close();
                    throw new IllegalStateException("user bug");
                }));
            } else {
                fs.add(f.whenComplete((p, e) -> {
                    p.close();
                    throw new StackOverflowError("user bug");
                }));
            }
        }
        s.release(1);
        assertThat(fs).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(s.availablePermits()).isEqualTo(1);
        assertThat(s.getQueueLength()).isZero();
    }

    @Test
    void aPermitWhoseReleaseFailsStaysHeldAndCanBeRetried() {
        Semaphore s = Semaphore.bounded(1, 1);
        Permit p = s.acquire();
        s.release();                                         // someone else filled it up to the maximum
        assertThatThrownBy(p::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("maximum");
        assertThat(p.isReleased()).as("nothing was released").isFalse();
        assertThat(s.availablePermits()).isEqualTo(1);
        assertThat(s.forgetPermits(1)).isEqualTo(1);
        p.close();                                           // the retry releases it
        assertThat(p.isReleased()).isTrue();
        assertThat(s.availablePermits()).isEqualTo(1);
        p.close();                                           // and only once
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- modes (issue 13)

    @Test
    void defaultModeLetsARunningThreadTakeFreePermitsWhileOthersWaitButFairModeDoesNot() throws Exception {
        for (boolean fair : new boolean[] {false, true}) {
            Semaphore s = new Semaphore(1, fair);
            assertThat(s.isFair()).isEqualTo(fair);
            // The waiter needs 2: in the default mode the free permit stays in the count (only a
            // release would start serving the waiter directly); in the fair mode the waiter absorbs it.
            TestThread waiter = TestThread.start("waiter", () -> s.acquire(2).close());
            Await.until(() -> s.getQueueLength() == 1, "the waiter queued");
            waiter.awaitBlocked();
            Optional<Permit> barged = s.tryAcquire(1);
            assertThat(barged.isPresent()).as("barging, fair=" + fair).isEqualTo(!fair);
            assertThat(s.availablePermits()).isZero();       // taken by the barger, or absorbed by the head
            barged.ifPresent(Permit::close);
            s.release(1);
            waiter.joinAndRethrow();
            assertThat(s.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void asyncRequestsKeepTheirOrderInTheDefaultMode() {
        Semaphore s = new Semaphore(1);
        CompletableFuture<Permit> big = s.acquireAsync(2);
        CompletableFuture<Permit> small = s.acquireAsync(1);
        assertThat(small).as("no async request overtakes another").isNotDone();
        s.release(1);
        assertThat(big).isDone();
        assertThat(small).isNotDone();
        big.join().close();
        assertThat(small).isDone();
        small.join().close();
        assertThat(s.availablePermits()).isEqualTo(2);
        assertThat(s.getQueueLength()).isZero();
    }

    /**
     * The starvation bound: under a storm of barging threads, each holding a permit across a
     * yield so that all permits are rarely free at once, a request for all of them still gets
     * them (served directly once it has waited past the fairness timeout).
     */
    @Test
    void aBatchWaiterIsNotStarvedByBargers() throws Exception {
        Semaphore s = new Semaphore(4);
        AtomicBoolean stop = new AtomicBoolean();
        List<TestThread> bargers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bargers.add(TestThread.start("barger-" + i, () -> {
                while (!stop.get()) {
                    try (Permit p = s.acquire()) {
                        Thread.yield();
                    }
                }
            }));
        }
        try {
            for (int round = 0; round < 10; round++) {
                Optional<Permit> all = s.tryAcquire(4, Duration.ofSeconds(5));
                assertThat(all).as("round " + round + ": all 4 permits within the deadline").isPresent();
                all.get().close();
            }
        } finally {
            stop.set(true);
        }
        for (TestThread b : bargers) b.joinAndRethrow();
        assertThat(s.availablePermits()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void neverMoreHoldersThanPermitsInEitherMode(boolean fair) throws Exception {
        Semaphore s = new Semaphore(3, fair);
        AtomicInteger inside = new AtomicInteger(), max = new AtomicInteger();
        int rounds = Stress.iterations(2_000);
        List<TestThread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = 1 + i % 2;
            boolean async = i >= 4;
            threads.add(TestThread.start("worker-" + i, () -> {
                for (int r = 0; r < rounds; r++) {
                    try (Permit p = async ? s.acquireAsync(n).join() : s.acquire(n)) {
                        max.accumulateAndGet(inside.addAndGet(n), Math::max);
                        inside.addAndGet(-n);
                    }
                }
            }));
        }
        for (TestThread t : threads) t.joinAndRethrow();
        assertThat(max.get()).isBetween(1, 3);
        assertThat(s.availablePermits()).isEqualTo(3);
        assertThat(s.getQueueLength()).isZero();
    }

    // ---------------------------------------------------------------- JUC contracts (issue 12)

    @Test
    void queueQueriesNeverBlockAndSeeWaiters() throws Exception {
        Semaphore s = new Semaphore(0, true);
        assertThat(s.hasQueuedThreads()).isFalse();
        assertThat(s.getQueuedThreads()).isEmpty();
        TestThread t = TestThread.start("waiter", () -> s.acquire().close());
        Await.until(() -> s.getQueueLength() == 1, "queued");
        CompletableFuture<Permit> async = s.acquireAsync(1);
        assertThat(s.hasQueuedThreads()).isTrue();
        assertThat(s.getQueueLength()).as("async requests count").isEqualTo(2);
        assertThat(s.getQueuedThreads()).as("only threads are listed").containsExactly(t.thread());
        assertThat(s.toString()).contains("permits=0", "queued=2", "fair");
        s.release(2);
        t.joinAndRethrow();
        async.join().close();
        assertThat(s.getQueuedThreads()).isEmpty();
        assertThat(s.toString()).contains("permits=2", "queued=0");
    }

    @Test
    void drainAndReducePermitsAsJucDoes() throws Exception {
        Semaphore s = new Semaphore(3);
        assertThat(s.drainPermits()).isEqualTo(3);
        assertThat(s.drainPermits()).isZero();
        s.release(1);
        s.reducePermits(3);                                  // below zero: a debt
        assertThat(s.availablePermits()).isEqualTo(-2);
        assertThat(s.tryAcquire(1)).isEmpty();
        CompletableFuture<Permit> waiting = s.acquireAsync(1);
        s.release(2);                                        // pays the debt first
        assertThat(waiting).isNotDone();
        s.release(1);
        assertThat(waiting).isDone();
        waiting.join().close();
        assertThat(s.availablePermits()).isEqualTo(1);
        s.reducePermits(4);
        assertThat(s.drainPermits()).as("a debt is forgiven, as JUC's drainPermits").isEqualTo(-3);
        assertThat(s.availablePermits()).isZero();
        assertThatThrownBy(() -> s.reducePermits(-1)).isInstanceOf(IllegalArgumentException.class);
        s.reducePermits(Integer.MAX_VALUE);
        assertThatThrownBy(() -> s.reducePermits(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below");
        assertThat(s.availablePermits()).as("nothing reduced").isEqualTo(-Integer.MAX_VALUE);
        Semaphore negative = new Semaphore(-1);              // JUC allows a negative start
        assertThat(negative.tryAcquire(0)).isEmpty();
        negative.release(2);
        assertThat(negative.availablePermits()).isEqualTo(1);
    }

    @Test
    void fairModeServesADebtBeforeTheHead() {
        Semaphore s = new Semaphore(0, true);
        CompletableFuture<Permit> head = s.acquireAsync(2);
        s.reducePermits(1);
        s.release(2);
        assertThat(head).isNotDone();
        s.release(1);
        assertThat(head).isDone();
        head.join().close();
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    @Test
    void extremeTimeoutsSaturate() throws Exception {
        Semaphore s = new Semaphore(1);
        for (TimeUnit unit : TimeUnit.values()) {
            s.tryAcquire(Long.MAX_VALUE, unit).orElseThrow().close();       // huge: waits forever, not an overflow
            s.tryAcquire(1, Long.MIN_VALUE, unit).orElseThrow().close();
            Permit held = s.acquire();
            assertThat(s.tryAcquire(1, Long.MIN_VALUE, unit)).as(unit + ": a negative timeout does not wait").isEmpty();
            assertThat(s.tryAcquire(0L, unit)).isEmpty();
            held.close();
        }
        for (Duration d : List.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofSeconds(Long.MIN_VALUE))) {
            s.tryAcquire(d).orElseThrow().close();
        }
        Permit held = s.acquire();
        assertThat(s.tryAcquire(Duration.ofSeconds(Long.MIN_VALUE))).isEmpty();
        TestThread waiter = TestThread.start("forever", () ->
                s.tryAcquire(1, Long.MAX_VALUE, TimeUnit.DAYS).orElseThrow().close());
        Await.until(() -> s.getQueueLength() == 1, "the forever-waiter queued");
        held.close();
        waiter.joinAndRethrow();
        assertThat(s.availablePermits()).isEqualTo(1);
        assertThatThrownBy(() -> s.tryAcquire(1, 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void hugeCountsAreCheckedNotOverflowed() {
        Semaphore s = new Semaphore(0);
        assertThat(s.tryAcquire(Integer.MAX_VALUE)).isEmpty();
        s.release(Integer.MAX_VALUE);
        assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("maximum");
        assertThat(s.availablePermits()).isEqualTo(Integer.MAX_VALUE);
        s.acquire(Integer.MAX_VALUE).forget();
        assertThat(s.availablePermits()).isZero();
        assertThatThrownBy(() -> new Semaphore(1).acquire(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Semaphore.bounded(0, 5).acquireAsync(6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTrackedSemaphoreHasItsPermitsAsMaximumAndNeedsOne() throws Exception {
        assertThatThrownBy(() -> Semaphore.tracked(0)).isInstanceOf(IllegalArgumentException.class);
        Semaphore pool = Semaphore.tracked(2);
        assertThat(pool.maximum()).isEqualTo(2);
        try (Permit a = pool.acquire(); Permit b = pool.acquireInterruptibly()) {
            assertThat(pool.tryAcquire()).isEmpty();
            assertThat(pool.availablePermits()).isZero();
        }
        assertThatThrownBy(() -> pool.release()).as("a lock's permits do not grow").isInstanceOf(IllegalStateException.class);
        assertThat(pool.availablePermits()).isEqualTo(2);
    }
}
