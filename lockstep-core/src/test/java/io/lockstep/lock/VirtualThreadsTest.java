package io.lockstep.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Stress;
import io.lockstep.testing.TestThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

/** Many virtual threads blocking in Lockstep's locks and condvars: all must finish (none pinned, none lost). */
class VirtualThreadsTest {
    static final int THREADS = 1_000;

    @Test
    void thousandVirtualThreadsContendARawMutexAndMeetAtACondvar() throws InterruptedException {
        Mutex<Integer> arrived = Mutex.of(0);
        Condvar allHere = new Condvar();
        RawMutex counterLock = new RawMutex();
        long[] counter = {0};
        int increments = Stress.iterations(20);
        List<TestThread> ts = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            ts.add(TestThread.startVirtual("v" + i, () -> {
                for (int k = 0; k < increments; k++) {
                    counterLock.lock();
                    try {
                        counter[0]++;
                    } finally {
                        counterLock.unlock();
                    }
                }
                try (MutexGuard<Integer> g = arrived.lock()) {   // a barrier: wait for everybody
                    g.set(g.get() + 1);
                    if (g.get() == THREADS) allHere.notifyAllWaiters();
                    else allHere.awaitWhile(g, n -> n < THREADS);
                }
                for (int k = 0; k < increments; k++) {
                    counterLock.lock();
                    try {
                        counter[0]++;
                    } finally {
                        counterLock.unlock();
                    }
                }
            }));
        }
        for (TestThread t : ts) t.joinAndRethrow();
        assertThat(counter[0]).isEqualTo(2L * THREADS * increments);
        assertThat(counterLock.isLocked()).isFalse();
        assertThat(counterLock.hasQueuedThreads()).isFalse();
    }

    @Test
    void thousandVirtualThreadsSignalledOneByOneThroughAReentrantMutexCondition() throws InterruptedException {
        ReentrantMutex lock = new ReentrantMutex();
        Condition turn = lock.newCondition();
        int[] next = {0};
        List<TestThread> ts = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int me = i;
            ts.add(TestThread.startVirtual("v" + i, () -> {
                lock.lock();
                try {
                    while (next[0] != me) turn.await();
                    next[0]++;
                    turn.signalAll();
                } finally {
                    lock.unlock();
                }
            }));
        }
        for (TestThread t : ts) t.joinAndRethrow();
        assertThat(next[0]).isEqualTo(THREADS);
    }
}
