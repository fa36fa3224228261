package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages through a chain of virtual threads joined by channels (the "a million
 * messages through a chain of 10,000 virtual threads"; Go's test/chan/powser and sieve in
 * spirit). The default run is the claim itself: 10,000 virtual threads, each passing 100
 * messages on to the next, a million hand-offs in all (about 3 s on 2 busy cores);
 * {@code -Dlockstep.stress} scales the number of messages, not the chain.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadChainTest {

    @Test
    void messagesFlowThroughAChainOfVirtualThreads() throws Exception {
        int links = 10_000;
        int messages = Stress.iterations(100);
        int[] handedOn = new int[links];                       // per link, written by its thread only
        List<Channel<Integer>> chans = new ArrayList<>();
        for (int i = 0; i <= links; i++) chans.add(i % 2 == 0 ? Channel.rendezvous() : Channel.bounded(16));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            Channel<Integer> in = chans.get(i), out = chans.get(i + 1);
            int link = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int v : in) {
                        out.send(v + 1);
                        handedOn[link]++;
                    }
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
        for (Thread t : threads) t.join();                    // join: handedOn is visible now
        assertThat(handedOn).containsOnly(messages);          // links * messages hand-offs
    }
}
