package io.lockstep.park;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.Stress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ParkerTest {
    private final Parker parker = new Parker();

    @Test
    void aStoredPermitIsConsumedOnce() {
        parker.unpark();
        parker.unpark();                                     // one permit, not two
        assertThat(parker.toString()).contains("permit available");
        parker.park();
        assertThat(parker.park(Duration.ofMillis(20))).as("the permit was used up").isFalse();
        assertThat(parker.park(Duration.ZERO)).isFalse();
        parker.unpark();
        assertThat(parker.park(Duration.ZERO)).isTrue();
    }

    @Test
    void unparkFromAnotherThreadWakesTheParkedOne() throws Exception {
        Thread main = Thread.currentThread();
        Thread helper = Thread.ofVirtual().start(() -> {
            Await.until(() -> ParkingLot.isParkedOn(main, parker), "ParkingLot.isParkedOn(main, parker)");
            parker.unpark();                                  // the seed's main.unpark()
        });
        parker.park();
        helper.join();
        assertThat(parker.toString()).contains("no permit");
    }

    @Test
    void unrelatedLockSupportUnparksDoNotWakeIt() throws Exception {
        Thread main = Thread.currentThread();
        Thread noise = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 100; i++) LockSupport.unpark(main);
        });
        noise.join();
        assertThat(parker.park(Duration.ofMillis(30))).isFalse();
    }

    @Test
    void interruptEndsParkAndKeepsTheStatus() {
        Thread.currentThread().interrupt();
        parker.park();
        assertThat(Thread.interrupted()).isTrue();
        Thread.currentThread().interrupt();
        assertThat(parker.park(Duration.ofSeconds(10))).isFalse();
        assertThat(Thread.interrupted()).isTrue();
        parker.unpark();
        parker.park();                                        // the later permit was kept
    }

    @Test
    void aSecondParkingThreadIsRejected() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Thread first = Thread.ofVirtual().start(() -> {
            parker.park();
            done.countDown();
        });
        Await.until(() -> ParkingLot.isParkedOn(first, parker), "ParkingLot.isParkedOn(first, parker)");
        assertThatThrownBy(parker::park).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> parker.park(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        assertThat(parker.toString()).contains("parked");
        parker.unpark();
        done.await();
        assertThatThrownBy(() -> parker.park(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void pingPongLosesNoWakeUp() throws Exception {
        Parker ping = new Parker(), pong = new Parker();
        int rounds = Stress.iterations(20_000);
        int[] done = {0};
        Thread other = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < rounds; i++) {
                ping.park();
                done[0]++;
                pong.unpark();
            }
        });
        for (int i = 0; i < rounds; i++) {
            ping.unpark();
            pong.park();
        }
        other.join();
        assertThat(done[0]).as("every round was woken, none lost").isEqualTo(rounds);
    }
}
