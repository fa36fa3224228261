package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Await;
import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Notify.awaitAsync and AutoResetEvent.awaitAsync: one line with threads; cancelling loses no notification. */
@Timeout(30)
class NotifyAsyncTest {

    @Test
    void aStoredPermitCompletesAtOnceAndIsConsumed() {
        Notify n = new Notify();
        n.notifyOne();
        assertThat(n.awaitAsync()).isCompleted();
        assertThat(n.hasPermit()).isFalse();
        assertThat(n.awaitAsync()).isNotDone();
    }

    @Test
    void aCancelledWaiterLeavesTheLineAndTheNotificationIsStored() {
        Notify n = new Notify();
        CompletableFuture<Void> f = n.awaitAsync();
        CompletableFuture<Void> timed = n.awaitAsync().orTimeout(10, TimeUnit.MILLISECONDS);
        assertThat(f.cancel(false)).isTrue();
        Await.until(timed::isDone, "the timeout fires");
        n.notifyOne();
        assertThat(n.hasPermit()).as("nobody waits any more: the permit is stored, not lost").isTrue();
    }

    @Test
    void asyncWaitersAndThreadsShareOneLine() throws Exception {
        AutoResetEvent e = new AutoResetEvent();
        List<String> order = new ArrayList<>();
        CompletableFuture<Void> a = e.awaitAsync().thenRun(() -> { synchronized (order) { order.add("a"); } });
        TestThread b = TestThread.start("b", () -> {
            e.await();
            synchronized (order) { order.add("b"); }
        }).awaitBlocked();
        CompletableFuture<Void> c = e.awaitAsync().thenRun(() -> { synchronized (order) { order.add("c"); } });
        e.set();
        assertThat(a).as("first in line, completed by the set() itself").isDone();
        assertThat(c).isNotDone();
        e.set();
        b.joinAndRethrow();
        e.set();
        c.get(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly("a", "b", "c");
        assertThat(e.isSet()).isFalse();
    }

    @Test
    void notifyWaitersCompletesEveryFutureAndStoresNothing() {
        Notify n = new Notify();
        CompletableFuture<Void> a = n.awaitAsync(), b = n.awaitAsync();
        b.cancel(false);
        assertThat(n.notifyWaiters()).isEqualTo(1);
        assertThat(a).isCompleted();
        assertThat(n.hasPermit()).isFalse();
    }

    @Test
    void aChainOfStagesThatNotifyTheNextDoesNotRecurse() throws Exception {
        Notify n = new Notify();
        int links = 100_000;
        int[] ran = {0}, maxDepth = {0};
        List<CompletableFuture<Void>> all = new ArrayList<>(links);
        for (int i = 0; i < links; i++) {
            all.add(n.awaitAsync().thenRun(() -> {
                ran[0]++;
                maxDepth[0] = Math.max(maxDepth[0], new Throwable().getStackTrace().length);
                n.notifyOne();                           // wakes the next link
            }));
        }
        n.notifyOne();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(ran[0]).isEqualTo(links);
        assertThat(maxDepth[0]).isLessThan(200);
        assertThat(n.hasPermit()).as("the last link's notification is stored").isTrue();
    }
}
