package io.lockstep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The trampoline: nested completions run after the current one, in order; a throw loses none. */
class CompletionsTest {

    @Test
    void aNestedCompletionRunsAfterTheCurrentOneInOrder() {
        List<String> log = new ArrayList<>();
        Completions.run(() -> {
            log.add("outer start");
            Completions.run(() -> log.add("first nested"));
            Completions.run(() -> log.add("second nested"));
            log.add("outer end");
        });
        assertThat(log).containsExactly("outer start", "outer end", "first nested", "second nested");
    }

    @Test
    void aThrowingCompletionLosesNoOtherAndIsRethrownAtTheEnd() {
        CompletableFuture<Integer> later = new CompletableFuture<>();
        assertThatThrownBy(() -> Completions.run(() -> {
            Completions.complete(later, 7);
            Completions.run(() -> {
                throw new IllegalStateException("second");
            });
            throw new IllegalStateException("first");
        })).isInstanceOf(IllegalStateException.class).hasMessage("first")
                .satisfies(t -> assertThat(t.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("second")));
        assertThat(later).isCompletedWithValue(7);
        CompletableFuture<Integer> after = new CompletableFuture<>();
        Completions.complete(after, 1);                       // the thread's trampoline was reset
        assertThat(after).isCompletedWithValue(1);
    }
}
