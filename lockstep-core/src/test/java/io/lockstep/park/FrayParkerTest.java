package io.lockstep.park;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

/** Park/unpark races on a Parker, explored by Fray (run with -Pfray). */
@ExtendWith(FrayTestExtension.class)
class FrayParkerTest {

    // park | unpark : whichever runs first, park returns and the permit is consumed
    @FrayTest(iterations = 200)
    void parkRacesUnpark() throws Exception {
        Parker parker = new Parker();
        Thread waker = new Thread(parker::unpark);
        waker.start();
        parker.park();
        waker.join();
        assertThat(parker.toString()).contains("no permit");
    }

    // park | unpark ; unpark : two permits collapse into one, the second park needs a new one
    @FrayTest(iterations = 200)
    void doubleUnparkStoresOnePermit() throws Exception {
        Parker parker = new Parker();
        Thread waker = new Thread(() -> {
            parker.unpark();
            parker.unpark();
        });
        waker.start();
        parker.park();
        waker.join();
        parker.park(java.time.Duration.ZERO);                   // may consume the second, or not
        assertThat(parker.toString()).contains("no permit");
    }
}
