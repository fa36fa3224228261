package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;

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
    void aRendezvousAnswersWithAPendingRegistration() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();                 // lock-free: nothing to hold
        CompletableFuture<Integer> pending = ch.recvAsync();        // a registration to count
        CompletableFuture<String> answers = CompletableFuture.supplyAsync(() ->
                ch.isClosed() + " " + ch.registrations() + " " + ch.size() + " " + ch);
        assertThat(answers).succeedsWithin(Duration.ofSeconds(20))
                .isEqualTo("false 1 0 Channel[zero, size=0, capacity=0]");
        assertThat(pending.cancel(true)).isTrue();
        assertThat(ch.registrations()).isZero();
    }
}
