package io.lockstep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    @Test
    void zeroAndNegativeTimeoutsAreAlreadyExpired() {
        assertThat(Deadline.expired(Deadline.after(Duration.ZERO))).isTrue();
        assertThat(Deadline.expired(Deadline.after(Duration.ofSeconds(-5)))).isTrue();
        assertThat(Deadline.expired(Deadline.after(-1, TimeUnit.NANOSECONDS))).isTrue();
        assertThat(Deadline.remaining(Deadline.afterNanos(0))).isLessThanOrEqualTo(0);
    }

    @Test
    void hugeTimeoutsSaturateToNoDeadline() {
        assertThat(Deadline.after(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Deadline.NONE);
        assertThat(Deadline.after(ChronoUnit.FOREVER.getDuration())).isEqualTo(Deadline.NONE);
        assertThat(Deadline.after(Long.MAX_VALUE, TimeUnit.DAYS)).isEqualTo(Deadline.NONE);
        assertThat(Deadline.afterNanos(Long.MAX_VALUE)).isEqualTo(Deadline.NONE);
        assertThat(Deadline.expired(Deadline.NONE)).isFalse();
        assertThat(Deadline.remaining(Deadline.NONE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void hugeNegativeDurationsDoNotWait() {
        assertThat(Deadline.expired(Deadline.after(Duration.ofSeconds(Long.MIN_VALUE)))).isTrue();
    }

    @Test
    void conversionsSaturateInsteadOfThrowing() {
        assertThat(Deadline.toNanos(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))).isEqualTo(Long.MAX_VALUE);
        assertThat(Deadline.toNanos(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThat(Deadline.toNanos(Duration.ofMillis(3))).isEqualTo(3_000_000L);
        for (TimeUnit unit : TimeUnit.values()) {
            assertThat(Deadline.after(Deadline.toDuration(Long.MAX_VALUE, unit))).isEqualTo(Deadline.NONE);
            assertThat(Deadline.expired(Deadline.after(Deadline.toDuration(Long.MIN_VALUE, unit)))).isTrue();
            assertThat(Deadline.after(Long.MAX_VALUE, unit)).isEqualTo(Deadline.NONE);
            assertThat(Deadline.expired(Deadline.after(Long.MIN_VALUE, unit))).isTrue();
        }
        assertThat(Deadline.toDuration(7, TimeUnit.SECONDS)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void anOrdinaryTimeoutIsInTheFutureAndShrinks() {
        long deadline = Deadline.after(Duration.ofHours(1));
        assertThat(deadline).isNotEqualTo(Deadline.NONE);
        assertThat(Deadline.expired(deadline)).isFalse();
        long first = Deadline.remaining(deadline);
        assertThat(first).isPositive().isLessThanOrEqualTo(TimeUnit.HOURS.toNanos(1));
        assertThat(Deadline.remaining(deadline)).isLessThanOrEqualTo(first);
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> Deadline.after(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Deadline.after(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Deadline.toNanos(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Deadline.toDuration(1, null)).isInstanceOf(NullPointerException.class);
    }
}
