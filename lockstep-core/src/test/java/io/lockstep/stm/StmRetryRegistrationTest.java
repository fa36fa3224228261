package io.lockstep.stm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.TestThread;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A retry() that ends in any way leaves no registration on the TVars it read (issue 12, item 3:
 * interrupted waiters stayed registered, so heap and registration cost grew with every one).
 */
@Timeout(60)
class StmRetryRegistrationTest {
    private static final int ABANDONED = 200_000;

    @Test
    void manyInterruptedRetriesLeaveNoRegistrationBehind() {
        TVar<Integer> never = new TVar<>(0), alsoNever = new TVar<>(0);
        TxnAction waitForChange = txn -> {
            if (txn.get(never) + txn.get(alsoNever) == 0) Stm.retry();
        };
        for (int i = 1; i <= ABANDONED; i++) {
            Thread.currentThread().interrupt();                      // the retry's park ends at once
            try {
                Stm.run(waitForChange);
                throw new AssertionError("retry() returned");
            } catch (CancellationException expected) {
                if (!Thread.interrupted()) throw new AssertionError("interrupt status lost");
            }
            if (i == 1_000 || i == ABANDONED) {
                // Counted, not timed: before the fix both TVars held one registration per abandoned retry.
                assertThat(never.waiterCount()).as("registrations on never after %d", i).isZero();
                assertThat(alsoNever.waiterCount()).as("registrations on alsoNever after %d", i).isZero();
            }
        }
    }

    @Test
    void aBlockedRetryThatIsInterruptedDeregisters() throws Exception {
        TVar<Integer> never = new TVar<>(0);
        TestThread t = TestThread.startVirtual("retrier", () -> assertThatThrownBy(
                () -> Stm.run(txn -> { if (txn.get(never) == 0) Stm.retry(); }))
                .isInstanceOf(CancellationException.class));
        t.awaitBlocked();
        assertThat(never.waiterCount()).isEqualTo(1);
        t.interrupt();
        t.joinAndRethrow();
        assertThat(never.waiterCount()).isZero();
    }

    @Test
    void aRetryWokenThroughOneTVarLeavesTheOthers() throws Exception {
        TVar<Integer> written = new TVar<>(0), untouched = new TVar<>(0);
        TestThread t = TestThread.start("retrier", () -> Stm.run(txn -> {
            if (txn.get(untouched) + txn.get(written) == 0) Stm.retry();
        }));
        t.awaitBlocked();
        assertThat(untouched.waiterCount()).isEqualTo(1);
        written.set(1);
        t.joinAndRethrow();
        assertThat(written.waiterCount()).isZero();
        assertThat(untouched.waiterCount()).as("left on the TVar nobody wrote").isZero();
    }
}
