package io.lockstep.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lock.PoisonedException;
import io.lockstep.testing.Interrupts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Once, OnceCell and Lazy: one initialization under a race, poisoning, retry after failure. */
@Timeout(30)
class OnceTest {

    @Test
    void onceRunsExactlyOnceUnderARace() throws Exception {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> once.call(() -> {
                runs.incrementAndGet();
                Thread.yield();
            })));
        }
        for (Thread t : threads) t.join();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(once.isCompleted()).isTrue();
        assertThatThrownBy(() -> once.call(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aFailedCallPoisonsUntilForced() {
        Once once = new Once();
        RuntimeException boom = new RuntimeException("boom");
        assertThatThrownBy(() -> once.call(() -> { throw boom; })).isSameAs(boom);
        assertThat(once.isPoisoned()).isTrue();
        assertThatThrownBy(() -> once.call(() -> { })).isInstanceOf(PoisonedException.class).hasCause(boom)
                .satisfies(e -> assertThat(((PoisonedException) e).lock()).isSameAs(once))
                .satisfies(e -> assertThatThrownBy(((PoisonedException) e)::clearPoison)
                        .as("a Once is retried with callIgnoringPoison, not cleared")
                        .isInstanceOf(IllegalStateException.class));
        AtomicInteger runs = new AtomicInteger();
        once.callIgnoringPoison(runs::incrementAndGet);
        once.call(runs::incrementAndGet);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(once.isCompleted()).isTrue();
    }

    @Test
    void reentrantCallsThrowInsteadOfDeadlocking() {
        Once once = new Once();
        assertThatThrownBy(() -> once.call(() -> once.call(() -> { })))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("deadlock");
        OnceCell<String> cell = new OnceCell<>();
        assertThatThrownBy(() -> cell.getOrInit(() -> cell.getOrInit(() -> "x")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(cell.isSet()).isFalse();
    }

    @Test
    void onceCellInitializesOnceAndConcurrentCallersWait() throws Exception {
        OnceCell<String> cell = new OnceCell<>();
        AtomicInteger inits = new AtomicInteger();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> seen.add(cell.getOrInit(() -> {
                inits.incrementAndGet();
                Thread.yield();
                return "v" + Thread.currentThread().threadId();
            }))));
        }
        for (Thread t : threads) t.join();
        assertThat(inits.get()).isEqualTo(1);
        assertThat(seen).hasSize(8).containsOnly(cell.get().orElseThrow());
        assertThat(cell.set("other")).isFalse();
    }

    @Test
    void onceCellRetriesAfterAThrowingInitializer() throws Exception {
        OnceCell<Integer> cell = new OnceCell<>();
        assertThatThrownBy(() -> cell.getOrInit(() -> { throw new IllegalStateException("init"); }))
                .hasMessage("init");
        assertThat(cell.get()).isEmpty();
        assertThatThrownBy(() -> cell.getOrInit(() -> null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cell.set(null)).isInstanceOf(NullPointerException.class);
        assertThat(cell.await(Duration.ofMillis(5))).isEmpty();
        assertThat(cell.set(7)).isTrue();
        assertThat(cell.getOrInit(() -> 8)).isEqualTo(7);
        assertThat(cell.await()).isEqualTo(7);
    }

    @Test
    void lazyComputesOnceAndRetriesAfterFailure() {
        AtomicInteger calls = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("first");
            return "value";
        });
        assertThat(lazy.isInitialized()).isFalse();
        assertThatThrownBy(lazy::get).hasMessage("first");
        assertThat(lazy.get()).isEqualTo("value");
        assertThat(lazy.get()).isEqualTo("value");
        assertThat(calls.get()).isEqualTo(2);
        assertThat(lazy.getIfInitialized()).contains("value");
        assertThatThrownBy(() -> Lazy.of(null)).isInstanceOf(NullPointerException.class);
    }


    @Test
    void onceCellAwaitUninterruptiblyKeepsWaitingAndTheInterruptStatus() throws Throwable {
        OnceCell<String> cell = new OnceCell<>();
        Interrupts.ignoredBy("OnceCell.awaitUninterruptibly",
                () -> assertThat(cell.awaitUninterruptibly()).isEqualTo("v"), () -> cell.set("v"));
    }
}
