package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Await;
import io.lockstep.testing.Stress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Removing elements from the middle of {@link Channel#asBlockingQueue()}: what LinkedBlockingQueue
 * and ArrayBlockingQueue promise (the JSR-166 TCK's testRemoveElement, ThreadPoolExecutor's
 * remove), and, under concurrency, that every element is either received or removed, never both
 * and never neither.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelQueueRemovalTest {

    private static Channel<Integer> channel(int capacity) {
        return capacity == 0 ? Channel.unbounded() : Channel.bounded(capacity);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 64})
    void removeFromTheMiddleSkipsThatElement(int capacity) {
        BlockingQueue<Integer> q = channel(capacity).asBlockingQueue();
        q.addAll(List.of(1, 2, 3, 4));
        assertThat(q.remove(2)).isTrue();
        assertThat(q.remove(2)).isFalse();
        assertThat(q.remove(9)).isFalse();
        assertThat(q.remove(null)).isFalse();
        assertThat(q).containsExactly(1, 3, 4);
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.contains(2)).isFalse();
        assertThat(q.poll()).isEqualTo(1);
        assertThat(q.poll()).isEqualTo(3);
        assertThat(q.poll()).isEqualTo(4);
        assertThat(q.poll()).isNull();
        assertThat(q.size()).isZero();
    }

    @Test
    void aSlotRemovedInTheMiddleIsFreedWhenReceiversPassIt() {
        BlockingQueue<Integer> q = Channel.<Integer>bounded(3).asBlockingQueue();
        q.addAll(List.of(1, 2, 3));
        assertThat(q.remove(2)).isTrue();
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.remainingCapacity()).isZero();          // the slot is still in the ring
        assertThat(q.offer(4)).isFalse();
        assertThat(q.poll()).isEqualTo(1);                   // head passes 1 and the removed 2
        assertThat(q.poll()).isEqualTo(3);
        assertThat(q.remainingCapacity()).isEqualTo(3);
    }

    @Test
    void removingTheOldestFreesItsSlotAtOnce() {
        BlockingQueue<Integer> q = Channel.<Integer>bounded(2).asBlockingQueue();
        q.addAll(List.of(1, 2));
        assertThat(q.remove(1)).isTrue();
        assertThat(q.remainingCapacity()).isEqualTo(1);
        assertThat(q.offer(3)).isTrue();
        assertThat(q).containsExactly(2, 3);
        assertThat(q.removeIf(x -> true)).isTrue();
        assertThat(q.remainingCapacity()).isEqualTo(2);
        assertThat(q.offer(5)).isTrue();
        assertThat(q.offer(6)).isTrue();
        assertThat(q).containsExactly(5, 6);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100})
    void removeIfRemoveAllRetainAllAcrossBlocksAndLaps(int capacity) {
        BlockingQueue<Integer> q = channel(capacity).asBlockingQueue();
        for (int lap = 0; lap < 3; lap++) {                 // wrap the ring / cross list blocks
            IntStream.range(0, 100).forEach(q::add);
            assertThat(q.removeIf(x -> x % 2 == 0)).isTrue();
            assertThat(q.removeIf(x -> x % 2 == 0)).isFalse();
            assertThat(q.removeAll(List.of(1, 3, 5))).isTrue();
            assertThat(q.retainAll(Set.of(7, 9, 11, 99))).isTrue();
            assertThat(q.retainAll(Set.of(7, 9, 11, 99))).isFalse();
            assertThat(q.size()).isEqualTo(4);
            List<Integer> out = new ArrayList<>();
            assertThat(q.drainTo(out)).isEqualTo(4);
            assertThat(out).containsExactly(7, 9, 11, 99);
            assertThat(q.size()).isZero();
        }
        assertThatThrownBy(() -> q.removeAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.retainAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.removeIf(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void iteratorRemoveRemovesTheReturnedElement() {
        BlockingQueue<Integer> q = Channel.<Integer>bounded(8).asBlockingQueue();
        q.addAll(List.of(1, 2, 3, 4));
        Iterator<Integer> it = q.iterator();
        assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
        assertThat(it.next()).isEqualTo(1);
        assertThat(it.next()).isEqualTo(2);
        it.remove();
        assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
        assertThat(q).containsExactly(1, 3, 4);
        assertThat(it.next()).isEqualTo(3);
        assertThat(q.poll()).isEqualTo(1);
        assertThat(q.poll()).isEqualTo(3);                  // received before the iterator removes it
        it.remove();                                         // nothing left to remove: a no-op
        assertThat(q).containsExactly(4);
    }

    @Test
    void rendezvousHasNothingToRemove() {
        BlockingQueue<Integer> q = Channel.<Integer>rendezvous().asBlockingQueue();
        assertThat(q.remove(1)).isFalse();
        assertThat(q.removeIf(x -> true)).isFalse();
        assertThat(q.remainingCapacity()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void aReceiverWhoseMessageWasRemovedKeepsWaiting(int capacity) throws Exception {
        Channel<Integer> ch = channel(capacity);
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        q.add(1);
        assertThat(q.remove(1)).isTrue();
        AtomicInteger got = new AtomicInteger();
        Thread receiver = Thread.ofPlatform().start(() -> {
            try {
                got.set(q.take());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Await.until(() -> ch.registrations() == 1, "the receiver waits");
        Await.holds(Duration.ofMillis(50), receiver::isAlive, "the receiver keeps waiting");
        q.add(2);
        receiver.join();
        assertThat(got).hasValue(2);
    }

    @Test
    void aSelectSkipsRemovedMessages() throws Exception {
        Channel<Integer> a = Channel.bounded(4), b = Channel.unbounded();
        a.asBlockingQueue().addAll(List.of(1, 2));
        b.asBlockingQueue().addAll(List.of(3));
        a.asBlockingQueue().removeIf(x -> true);
        b.asBlockingQueue().remove(3);
        assertThat(new Select<String>().recv(a, v -> "a" + v).recv(b, v -> "b" + v)
                .trySelect(() -> "none")).isEqualTo("none");
        b.send(4);
        assertThat(new Select<String>().recv(a, v -> "a" + v).recv(b, v -> "b" + v).select()).isEqualTo("b4");
        assertThat(a.recvAsync().completeOnTimeout(-1, 50, TimeUnit.MILLISECONDS).get()).isEqualTo(-1);
    }

    @Test
    void threadPoolExecutorRemovesAQueuedTask() throws Exception {
        BlockingQueue<Runnable> queue = Channel.<Runnable>bounded(16).asBlockingQueue();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, queue);
        try {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger ran = new AtomicInteger();
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runnable first = ran::incrementAndGet, second = () -> ran.addAndGet(10), third = ran::incrementAndGet;
            pool.execute(first);
            pool.execute(second);
            pool.execute(third);
            assertThat(pool.remove(second)).isTrue();
            assertThat(pool.getQueue()).containsExactly(first, third);
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).hasValue(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 8})
    void underConcurrencyEveryElementIsReceivedOrRemovedExactlyOnce(int capacity) throws Exception {
        Channel<Integer> ch = channel(capacity);
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        int producers = 2, perProducer = Stress.iterations(20_000), total = producers * perProducer;
        Set<Integer> received = ConcurrentHashMap.newKeySet(), removed = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    try {
                        ch.send(base + i);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        CountDownLatch firstRemoval = new CountDownLatch(1);   // consumers start once one removal won
        Supplier<Thread> consumer = () -> Thread.ofPlatform().start(() -> {
            try {
                firstRemoval.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            for (Integer v : ch) if (!received.add(v)) duplicates.incrementAndGet();
        });
        Thread c1 = consumer.get(), c2 = consumer.get();
        Thread remover = Thread.ofPlatform().start(() -> {     // values that may be buffered now
            for (int i = 0; i < total; i += 3) {
                if (q.remove(i) && !removed.add(i)) duplicates.incrementAndGet();
            }
        });
        Thread iteratorRemover = Thread.ofPlatform().start(() -> {   // values seen buffered
            for (int round = 0; round < 200 || firstRemoval.getCount() > 0; round++) {
                for (Iterator<Integer> it = q.iterator(); it.hasNext(); ) {
                    Integer v = it.next();
                    if ((v % 7 == 1 || firstRemoval.getCount() > 0) && q.remove(v)) {
                        if (!removed.add(v)) duplicates.incrementAndGet();
                        firstRemoval.countDown();
                    }
                }
            }
        });
        for (Thread t : threads) t.join();
        remover.join();
        iteratorRemover.join();
        ch.close();
        c1.join();
        c2.join();
        assertThat(duplicates).hasValue(0);
        assertThat(received).doesNotContainAnyElementsOf(removed);
        assertThat(received.size() + removed.size()).isEqualTo(total);
        assertThat(removed).isNotEmpty();
        assertThat(ch.size()).isZero();
    }
}
