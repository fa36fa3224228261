package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CheckTest {

    @Test
    void thatPassesSilentlyAndFailsWithTheFormattedMessage() {
        assertThatCode(() -> Check.that(true, "unused %s", "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Check.that(false, "woke after %d ms, limit %.1f", 250, 100.0))
                .isExactlyInstanceOf(ScenarioFailure.class)
                .hasMessage("woke after 250 ms, limit 100.0");
    }

    @Test
    void equalComparesNumbersByValueWhateverTheirBoxedType() {
        AtomicLong counter = new AtomicLong(2);
        assertThatCode(() -> Check.equal(2, counter.get(), "counter")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Check.equal(3, counter.get(), "the counter"))
                .isExactlyInstanceOf(ScenarioFailure.class)
                .hasMessage("the counter: expected 3 but was 2");
    }

    @Test
    void equalComparesObjectsAndArraysByContent() {
        assertThatCode(() -> Check.equal(List.of(1, 2), List.of(1, 2), "order"))
                .doesNotThrowAnyException();
        assertThatCode(() -> Check.equal(new int[] {1, 2}, new int[] {1, 2}, "order"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Check.equal(new int[] {1, 2}, new int[] {2, 1}, "wake order"))
                .hasMessage("wake order: expected [1, 2] but was [2, 1]");
        assertThatThrownBy(() -> Check.equal("open", "closed", "the latch"))
                .hasMessage("the latch: expected \"open\" but was \"closed\"");
        assertThatThrownBy(() -> Check.equal("open", null, "the latch"))
                .hasMessage("the latch: expected \"open\" but was null");
    }
}
