package io.lockstep.spin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

/**
 * The spin locks' park fallback under Fray (run with -Pfray): two threads, one acquisition each,
 * so every interleaving of spin, yield, park and release is in reach. A lost wake-up shows as a
 * deadlock, a broken exclusion as a lost increment.
 */
@ExtendWith(FrayTestExtension.class)
class FraySpinLockTest {

    // lock; count++; unlock | lock; count++; unlock
    private static void twoThreads(Supplier<Lock> factory) throws Exception {
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
        Thread other = new Thread(body);
        other.start();
        body.run();
        other.join();
        assertThat(count[0]).isEqualTo(2);
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
