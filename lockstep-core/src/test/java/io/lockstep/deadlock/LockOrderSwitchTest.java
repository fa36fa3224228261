package io.lockstep.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lock.RawMutex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The programmatic switch: {@code LockOrder.setPolicy(THROW)} before the first lock compiles
 * tracking in. That needs a JVM where no lock has been used yet, so {@link Main} runs in a child
 * JVM without {@code -Dlockstep.lockorder}.
 */
@Timeout(60)
class LockOrderSwitchTest {
    @Test
    void setPolicyBeforeTheFirstLockSwitchesTrackingOn() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-ea", "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("tracking=true", "refused: [b, a, b]").doesNotContain("not refused");
        assertThat(p.exitValue()).isZero();
    }

    /** The child: switches on, then takes two locks in both orders. */
    static final class Main {
        private Main() {}

        public static void main(String[] args) {
            LockOrder.setPolicy(LockOrder.Policy.THROW);      // before any Lockstep lock
            RawMutex a = new RawMutex(), b = new RawMutex();
            LockOrder.name(a, "a");
            LockOrder.name(b, "b");
            System.out.println("tracking=" + LockOrder.isTracking());
            a.lock();
            b.lock();
            b.unlock();
            a.unlock();
            b.lock();
            try {
                a.lock();
                System.out.println("not refused");
            } catch (PotentialDeadlockException e) {
                System.out.println("refused: " + e.cycle());
            } finally {
                b.unlock();
            }
        }
    }
}
