package io.lockstep.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, item 2: a chain of pending asynchronous receives, each of whose callbacks triggers
 * the next, must run with a flat stack (completing a future never recurses through user code),
 * and a callback that throws must lose nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncChainTest {
    private static final int LINKS = 100_000;

    /** The caller's stack depth now. */
    private static int depth() {
        return StackWalker.getInstance().walk(s -> (int) s.count());
    }

    @Test
    void oneshotChainRunsWithAFlatStack() throws Exception {
        List<Oneshot<Integer>> shots = new ArrayList<>();
        for (int i = 0; i < LINKS; i++) shots.add(new Oneshot<>());
        AtomicInteger maxDepth = new AtomicInteger();
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < LINKS; i++) {
            int next = i + 1;
            stages.add(shots.get(i).recvAsync().thenAccept(v -> {
                if (v % 1000 == 999) maxDepth.accumulateAndGet(depth(), Math::max);   // walking costs
                if (next < LINKS) shots.get(next).trySend(v + 1);            // completes the next future
            }));
        }
        int base = depth();
        shots.get(0).trySend(0);                       // the whole chain runs in this call, iteratively
        assertThat(stages).as("none lost to a StackOverflowError")
                .allMatch(s -> s.isDone() && !s.isCompletedExceptionally());
        assertThat(shots.get(LINKS - 1).tryRecv().get()).isEqualTo(LINKS - 1);
        assertThat(maxDepth.get() - base).as("stack growth").isLessThan(100);
    }

    @Test
    void aThrowingOneshotCallbackLosesNothing() throws Exception {
        Oneshot<Integer> shot = new Oneshot<>();
        CompletableFuture<Void> bad = shot.recvAsync().thenAccept(v -> {
            throw new IllegalStateException("user bug");
        });
        CompletableFuture<Integer> good = shot.recvAsync();
        Oneshot<Integer> next = new Oneshot<>();
        CompletableFuture<Integer> chained = next.recvAsync();
        shot.recvAsync().thenAccept(v -> {
            next.trySend(v + 1);
            throw new IllegalStateException("after completing the next one");
        });
        shot.trySend(1);
        assertThat(bad).isCompletedExceptionally();
        assertThat(good.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(chained.get(30, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void channelReceiveChainRunsWithAFlatStack() throws Exception {
        for (Channel<Integer> ch : List.of(Channel.<Integer>rendezvous(), Channel.<Integer>bounded(1),
                Channel.<Integer>unbounded())) {
            int links = LINKS / 10;                                       // a virtual thread per step
            AtomicInteger maxDepth = new AtomicInteger(), seen = new AtomicInteger();
            List<CompletableFuture<Void>> stages = new ArrayList<>();
            for (int i = 0; i < links; i++) {
                stages.add(ch.recvAsync().thenAccept(v -> {
                    maxDepth.accumulateAndGet(depth(), Math::max);
                    seen.incrementAndGet();
                    ch.sendAsync(v + 1);                                  // completes the next receive
                }));
            }
            ch.sendAsync(0);
            CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(seen.get()).isEqualTo(links);
            assertThat(maxDepth.get()).as("stack depth in a callback").isLessThan(100);
        }
    }
}
