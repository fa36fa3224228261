package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.channel.flavors.ZeroFlavor;
import io.lockstep.lock.RawMutex;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, item 12: status queries and toString never block, even while a thread holds the
 * channel's internal lock (a stuck holder, a debugger's breakpoint): a monitoring thread must
 * not hang behind it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusQueriesTest {

    @Test
    void aRendezvousAnswersWhileItsLockIsHeld() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        CompletableFuture<Integer> pending = ch.recvAsync();        // a registration to count
        var field = ZeroFlavor.class.getDeclaredField("lock");
        field.setAccessible(true);
        RawMutex lock = (RawMutex) field.get(ch.flavor);
        lock.lock();                                                // the stuck holder
        try {
            CompletableFuture<String> answers = CompletableFuture.supplyAsync(() ->
                    ch.isClosed() + " " + ch.registrations() + " " + ch.size() + " " + ch);
            assertThat(answers).succeedsWithin(Duration.ofSeconds(20))
                    .isEqualTo("false 1 0 Channel[zero, size=0, capacity=0]");
        } finally {
            lock.unlock();
        }
        assertThat(pending.cancel(true)).isTrue();
        assertThat(ch.registrations()).isZero();
    }
}
