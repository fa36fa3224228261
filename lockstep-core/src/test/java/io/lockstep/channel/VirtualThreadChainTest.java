package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages through a chain of virtual threads joined by rendezvous channels (the issue's
 * "a million messages through 10,000 virtual threads"; Go's test/chan/powser and sieve in
 * spirit). Full size with -Dlockstep.stress=10 or more; the default keeps CI short.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadChainTest {

    @Test
    void messagesFlowThroughAChainOfVirtualThreads() throws Exception {
        int links = Math.min(10_000, Stress.iterations(1_000));
        int messages = Stress.iterations(30_000) / Math.max(1, links / 100);
        List<Channel<Integer>> chans = new ArrayList<>();
        for (int i = 0; i <= links; i++) chans.add(i % 2 == 0 ? Channel.rendezvous() : Channel.bounded(16));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            Channel<Integer> in = chans.get(i), out = chans.get(i + 1);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int v : in) out.send(v + 1);
                    out.close();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < messages; i++) chans.get(0).send(i);
                chans.get(0).close();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        long count = 0, expectedNext = links;
        for (int v : chans.get(links)) {
            assertThat(v).isEqualTo(expectedNext++);
            count++;
        }
        assertThat(count).isEqualTo(messages);
        producer.join();
        for (Thread t : threads) t.join();
    }
}
