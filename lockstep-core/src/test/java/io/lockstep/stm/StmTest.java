package io.lockstep.stm;

import io.lockstep.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class StmTest {

    @Test
    void smoke() {
        TVar<Integer> a = new TVar<>(10), b = new TVar<>(0);
        int moved = Stm.atomically(txn -> {
            txn.set(a, txn.get(a) - 3);
            txn.set(b, txn.get(b) + 3);
            assertThat(txn.get(a)).isEqualTo(7);                     // reads its own writes
            return 3;
        });
        assertThat(moved).isEqualTo(3);
        assertThat(a.get()).isEqualTo(7);
        assertThat(b.get()).isEqualTo(3);
        b.set(5);
        assertThat((int) Stm.atomically(txn -> txn.update(b, v -> v * 2))).isEqualTo(10);
        TVar<String> nullable = new TVar<>(null);
        assertThat(nullable.get()).isNull();
    }

    @Test
    void anExceptionAbortsAndLeavesEveryTVarUnchanged() {
        TVar<Integer> a = new TVar<>(1), b = new TVar<>(2);
        assertThatThrownBy(() -> Stm.run(txn -> {
            txn.set(a, 100);
            txn.commute(b, v -> v + 1);
            throw new IllegalArgumentException("boom");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
        assertThat(a.get()).isEqualTo(1);
        assertThat(b.get()).isEqualTo(2);
        assertThatThrownBy(() -> Stm.run(txn -> txn.commute(a, v -> { throw new IllegalStateException("in commit"); })))
                .isInstanceOf(IllegalStateException.class).hasMessage("in commit");
        a.set(3);                                                    // the locks were released
        assertThat(a.get()).isEqualTo(3);
    }

    @Test
    void badUseThrowsClearly() throws Exception {
        assertThatThrownBy(() -> Stm.atomically(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(Stm::retry).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Stm.run(txn -> Stm.retry()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wait forever");
        TVar<Integer> a = new TVar<>(1);
        Txn escaped = Stm.atomically(txn -> txn);
        assertThatThrownBy(() -> escaped.get(a)).isInstanceOf(IllegalStateException.class);
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        Stm.run(txn -> {
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    txn.get(a);
                } catch (Throwable e) {
                    fromOther.set(e);
                }
            });
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(fromOther.get()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Stm.run(txn -> txn.get(null))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void retryWakesOnlyWhenATVarItReadChanges() throws Exception {
        TVar<Integer> funds = new TVar<>(0), unrelated = new TVar<>(0);
        AtomicInteger runs = new AtomicInteger();
        Thread taker = Thread.ofPlatform().start(() -> Stm.run(txn -> {
            runs.incrementAndGet();
            int f = txn.get(funds);
            if (f < 10) Stm.retry();
            txn.set(funds, f - 10);
        }));
        awaitBlocked(taker);
        assertThat(runs).hasValue(1);
        unrelated.set(1);                                            // not read: no wake-up
        funds.set(5);                                                // read: wakes, retries again
        awaitBlockedAfter(taker, runs, 2);
        funds.set(15);
        taker.join();
        assertThat(runs).hasValue(3);
        assertThat(funds.get()).isEqualTo(5);
    }

    @Test
    void retryIsInterruptible() throws Exception {
        TVar<Integer> never = new TVar<>(0);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                Stm.run(txn -> { if (txn.get(never) == 0) Stm.retry(); });
            } catch (Throwable e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitBlocked(t);
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void orElseRunsTheSecondWhenTheFirstRetriesAndUndoesItsWrites() {
        TVar<Integer> a = new TVar<>(0), b = new TVar<>(5), log = new TVar<>(0);
        int from = Stm.atomically(Stm.orElse(
                txn -> {
                    txn.set(log, 99);                                // undone
                    if (txn.get(a) < 3) Stm.retry();
                    txn.set(a, txn.get(a) - 3);
                    return 1;
                },
                txn -> {
                    txn.set(b, txn.get(b) - 3);
                    return 2;
                }));
        assertThat(from).isEqualTo(2);
        assertThat(log.get()).isZero();
        assertThat(b.get()).isEqualTo(2);
    }

    @Test
    void whenBothAlternativesRetryTheTransactionWaitsOnEverythingEitherRead() throws Exception {
        TVar<Integer> a = new TVar<>(0), b = new TVar<>(0);
        AtomicInteger result = new AtomicInteger();
        Thread t = Thread.ofPlatform().start(() -> result.set(Stm.atomically(Stm.orElse(
                txn -> txn.get(a) > 0 ? 1 : Stm.retry(),
                txn -> txn.get(b) > 0 ? 2 : Stm.retry()))));
        awaitBlocked(t);
        a.set(1);                                                    // read only by the first alternative
        t.join();
        assertThat(result).hasValue(1);
    }

    @Test
    void nestedAtomicallyJoinsTheOuterAndUndoesItsWritesIfItThrows() {
        TVar<Integer> a = new TVar<>(0), b = new TVar<>(0);
        Stm.run(outer -> {
            outer.set(a, 1);
            Stm.run(inner -> inner.set(b, inner.get(a) + 1));       // sees the outer's write
            assertThat(outer.get(b)).isEqualTo(2);
            assertThat(b.get()).isEqualTo(2);                         // TVar.get joins too
            try {
                Stm.run(inner -> {
                    inner.set(a, 100);
                    throw new IllegalStateException("inner");
                });
            } catch (IllegalStateException expected) {
                assertThat(outer.get(a)).isEqualTo(1);               // inner's write undone
            }
        });
        assertThat(a.get()).isEqualTo(1);
        assertThat(b.get()).isEqualTo(2);
        assertThatThrownBy(() -> Stm.run(outer -> {
            outer.set(a, 50);
            Stm.run(inner -> inner.set(b, 50));
            throw new IllegalArgumentException("outer");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(a.get()).isEqualTo(1);
        assertThat(b.get()).isEqualTo(2);
    }

    @Test
    void commuteAppliesAtCommitAndMaterializesOnRead() {
        TVar<Integer> counter = new TVar<>(0);
        Stm.run(txn -> {
            txn.commute(counter, n -> n + 1);
            txn.commute(counter, n -> n * 10);
        });
        assertThat(counter.get()).isEqualTo(10);
        int seen = Stm.atomically(txn -> {
            txn.commute(counter, n -> n + 1);
            int v = txn.get(counter);
            txn.commute(counter, n -> n + 1);
            return v;
        });
        assertThat(seen).isEqualTo(11);
        assertThat(counter.get()).isEqualTo(12);
    }

    @Test
    void aTransactionThatKeepsLosingRunsIrrevocably() {
        TVar<Integer> x = new TVar<>(0);
        AtomicInteger attempts = new AtomicInteger();
        boolean lastIrrevocable = Stm.atomically(txn -> {
            attempts.incrementAndGet();
            int v = txn.get(x);
            if (!txn.isIrrevocable()) {                              // someone commits under our feet
                Thread w = Thread.ofVirtual().start(() -> x.set(v + 1));
                try {
                    w.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            txn.set(x, txn.get(x) + 100);
            return txn.isIrrevocable();
        });
        assertThat(lastIrrevocable).isTrue();
        assertThat(attempts).hasValue(Stm.OPTIMISTIC_ATTEMPTS + 1);
        assertThat(x.get()).isEqualTo(Stm.OPTIMISTIC_ATTEMPTS + 100);
    }

    @Test
    void aBodyThatSwallowsAConflictStillDoesNotCommit() {
        TVar<Integer> x = new TVar<>(0);
        AtomicInteger attempts = new AtomicInteger();
        Stm.run(txn -> {
            int n = attempts.incrementAndGet();
            int v = txn.get(x);
            if (n == 1) {
                Thread w = Thread.ofVirtual().start(() -> x.set(v + 1));
                try {
                    w.join();
                    txn.set(x, txn.get(x) + 10);                     // x moved on: conflict...
                } catch (Throwable swallowed) {                      // ...which the body swallows
                }
                return;
            }
            txn.set(x, txn.get(x) + 10);
        });
        assertThat(attempts).hasValue(2);
        assertThat(x.get()).isEqualTo(11);
    }

    static void awaitBlocked(Thread t) {
        Await.blockedOrEnded(t);
    }

    private static void awaitBlockedAfter(Thread t, AtomicInteger runs, int n) {
        Await.until(() -> runs.get() >= n, n + " runs");
        awaitBlocked(t);
    }
}
