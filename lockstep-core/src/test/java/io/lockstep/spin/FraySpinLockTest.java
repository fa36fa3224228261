package io.lockstep.spin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

/**
 * The spin locks' park fallback under Fray (run with -Pfray): two threads (three for the
 * wake-one and per-node paths), one acquisition each, so every interleaving of spin, yield, park
 * and release is in reach. A lost wake-up shows as a
 * deadlock, a broken exclusion as a lost increment.
 */
@ExtendWith(FrayTestExtension.class)
class FraySpinLockTest {

    // lock; count++; unlock | lock; count++; unlock
    private static void twoThreads(Supplier<Lock> factory) throws Exception {
        threads(factory, 2);
    }

    private static void threads(Supplier<Lock> factory, int n) throws Exception {
        Lock lock = factory.get();
        int[] count = {0};
        Runnable body = () -> {
            lock.lock();
            try {
                count[0]++;
            } finally {
                lock.unlock();
            }
        };
        Thread[] others = new Thread[n - 1];
        for (int i = 0; i < others.length; i++) {
            others[i] = new Thread(body);
            others[i].start();
        }
        body.run();
        for (Thread t : others) t.join();
        assertThat(count[0]).isEqualTo(n);
    }

    // Two parked waiters: a release must not skip its wake while the first woken thread is
    // still on its way unless that thread re-checks the lock (Waiters I3).
    @FrayTest(iterations = 50)
    void ttasThreeThreads() throws Exception {
        threads(TtasLock::new, 3);
    }

    // Per-node waiter counts: a head waiting for its successor's link, a successor parked on its node.
    @FrayTest(iterations = 50)
    void mcsThreeThreads() throws Exception {
        threads(McsLock::new, 3);
    }

    @FrayTest(iterations = 100)
    void tas() throws Exception {
        twoThreads(TasLock::new);
    }

    @FrayTest(iterations = 100)
    void ttas() throws Exception {
        twoThreads(TtasLock::new);
    }

    @FrayTest(iterations = 100)
    void ticket() throws Exception {
        twoThreads(TicketLock::new);
    }

    @FrayTest(iterations = 100)
    void mcs() throws Exception {
        twoThreads(McsLock::new);
    }

    @FrayTest(iterations = 100)
    void clh() throws Exception {
        twoThreads(ClhLock::new);
    }

    @FrayTest(iterations = 100)
    void rwWrite() throws Exception {
        twoThreads(() -> new SpinRwLock().writeLock());
    }
}
