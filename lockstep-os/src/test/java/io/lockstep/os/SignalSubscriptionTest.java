package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The delivery counts: a target that has received a signal sees it counted (OsSignalsChildTest
 * once read "count 0" right after the child printed the channel's delivery, because the count
 * came after the hand-off), and a refused hand-off counts as dropped, not delivered.
 */
class SignalSubscriptionTest {

    @Test
    void aDeliveryIsCountedBeforeItsTargetRuns() {
        AtomicLong seenByTarget = new AtomicLong(-1);
        SignalSubscription[] sub = new SignalSubscription[1];
        sub[0] = new SignalSubscription(Signal.USR1, "test", s -> {
            seenByTarget.set(s.delivered());                  // the target runs inside the hand-off here
            return true;
        });
        sub[0].offer();
        assertThat(seenByTarget.get()).isEqualTo(1);
        assertThat(sub[0].delivered()).isEqualTo(1);
        assertThat(sub[0].dropped()).isZero();
    }

    @Test
    void aRefusedHandOffIsDroppedNotDelivered() {
        SignalSubscription full = new SignalSubscription(Signal.USR1, "full", s -> false);
        SignalSubscription rejected = new SignalSubscription(Signal.USR1, "rejected", s -> {
            throw new RejectedExecutionException("shut down");
        });
        full.offer();
        rejected.offer();
        for (SignalSubscription s : new SignalSubscription[] {full, rejected}) {
            assertThat(s.delivered()).as(s.toString()).isZero();
            assertThat(s.dropped()).as(s.toString()).isEqualTo(1);
        }
    }
}
