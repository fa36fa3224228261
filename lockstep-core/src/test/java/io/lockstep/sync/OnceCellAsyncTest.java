package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** OnceCell.getAsync and Lazy.getAsync: completed by whoever sets the value; cancelling loses nothing. */
@Timeout(30)
class OnceCellAsyncTest {

    @Test
    void getAsyncCompletesWhenTheValueIsSetAndAtOnceAfterwards() throws Exception {
        OnceCell<String> cell = new OnceCell<>();
        CompletableFuture<String> early = cell.getAsync();
        CompletableFuture<String> cancelled = cell.getAsync();
        assertThat(early).isNotDone();
        assertThat(cancelled.cancel(false)).isTrue();
        assertThatThrownBy(() -> cell.getOrInit(() -> { throw new IllegalStateException("first try fails"); }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(early).as("a failed initializer sets nothing").isNotDone();
        assertThat(cell.set("v")).isTrue();
        assertThat(early.get(5, TimeUnit.SECONDS)).isEqualTo("v");
        assertThat(cell.getAsync()).isCompletedWithValue("v");
        assertThat(cancelled).isCancelled();
    }

    @Test
    void manyWaitersAreCompletedIterativelyByTheSetter() throws Exception {
        OnceCell<Integer> cell = new OnceCell<>();
        AtomicInteger seen = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[10_000];
        for (int i = 0; i < all.length; i++) all[i] = cell.getAsync().thenAccept(v -> seen.addAndGet(v));
        cell.getOrInit(() -> 1);
        CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);
        assertThat(seen.get()).isEqualTo(all.length);
    }

    @Test
    void lazyGetAsyncComputesOnTheExecutorAndRetriesAfterAFailure() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicInteger calls = new AtomicInteger();
            Lazy<String> lazy = Lazy.of(() -> {
                if (calls.incrementAndGet() == 1) throw new IllegalStateException("flaky");
                return Thread.currentThread().getName();
            });
            assertThatThrownBy(() -> lazy.getAsync(pool).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(lazy.isInitialized()).isFalse();
            String computedOn = lazy.getAsync(pool).get(5, TimeUnit.SECONDS);
            assertThat(computedOn).isNotEqualTo(Thread.currentThread().getName());
            assertThat(lazy.getAsync(pool)).isCompletedWithValue(computedOn);
            assertThat(calls.get()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }
}
