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
    }
}
