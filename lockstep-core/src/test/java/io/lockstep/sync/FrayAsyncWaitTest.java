package io.lockstep.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): async waits on gates that create their waiter queue lazily. A lost wake-up
 * leaves a future that never completes, which Fray reports as a deadlock at the join.
 */
@ExtendWith(FrayTestExtension.class)
class FrayAsyncWaitTest {

    // a: getAsync (installs the waiter queue) | b: getAsync; cancel | main: set -- nobody is missed
    @ConcurrencyTest(iterations = 400)
    void onceCellGetAsyncRacingSet() throws InterruptedException {
        OnceCell<String> cell = new OnceCell<>();
        CompletableFuture<?>[] got = new CompletableFuture<?>[2];
        Thread a = new Thread(() -> got[0] = cell.getAsync());
        Thread b = new Thread(() -> {
            got[1] = cell.getAsync();
            got[1].cancel(false);
        });
        a.start();
        b.start();
        cell.set("v");
        a.join();
        b.join();
        assertEquals("v", got[0].join());
        assertEquals("v", cell.getAsync().join());
    }
}
