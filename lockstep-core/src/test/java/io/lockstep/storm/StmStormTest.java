package io.lockstep.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.stm.Stm;
import io.lockstep.stm.TVar;
import io.lockstep.stm.TxnFunction;
import io.lockstep.testing.Storm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * STM storm: transfers between accounts that block in {@code retry()} while the source is short
 * (sometimes through {@code orElse} to a second source), a {@code commute}d transfer counter,
 * virtual and platform threads, and interrupts that cancel blocked retries. Every committed
 * transfer is applied exactly once and a cancelled one not at all: each account ends at its
 * initial balance plus the transfers the workers saw commit, and money is conserved.
 */
@Tag("storm")
class StmStormTest {

    @Test
    void transfersAreAppliedExactlyOnce() {
        int accounts = 8;
        long initial = 100;
        List<TVar<Long>> balance = new ArrayList<>();
        for (int i = 0; i < accounts; i++) balance.add(new TVar<>(initial));
        TVar<Long> transfers = new TVar<>(0L);
        AtomicLongArray delta = new AtomicLongArray(accounts);
        AtomicLong committed = new AtomicLong(), cancelled = new AtomicLong();
        long target = Storm.size(30_000);
        try (Storm storm = new Storm("stm")) {
            storm.start(8, 4, "worker", i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (committed.get() < target && !storm.stopping()) {
                    int a = rnd.nextInt(accounts), b = rnd.nextInt(accounts), to = rnd.nextInt(accounts);
                    long amount = rnd.nextLong(1, 30);
                    TxnFunction<Integer> first = take(balance, a, to, amount, transfers),
                            second = take(balance, b, to, amount, transfers);
                    try {
                        int from = Stm.atomically(rnd.nextBoolean() ? first : Stm.orElse(first, second));
                        delta.addAndGet(from, -amount);
                        delta.addAndGet(to, amount);
                        committed.incrementAndGet();
                        storm.progress();
                    } catch (CancellationException e) {                  // interrupted in retry(): no effect
                        assertThat(Thread.interrupted()).as("interrupt status kept").isTrue();
                        cancelled.incrementAndGet();
                    }
                }
            });
            storm.chaos(storm.workers(), 300);
            storm.joinAll();
            long sum = 0;
            for (int i = 0; i < accounts; i++) {
                long now = balance.get(i).get();
                sum += now;
                assertThat(now).as("account %d (%d committed, %d cancelled)", i, committed.get(), cancelled.get())
                        .isEqualTo(initial + delta.get(i));
            }
            assertThat(sum).isEqualTo(initial * accounts);
            assertThat(transfers.get()).isEqualTo(committed.get());
        }
    }

    /** Moves {@code amount} from account {@code from} to {@code to}, retrying while {@code from} is short. */
    private static TxnFunction<Integer> take(List<TVar<Long>> balance, int from, int to, long amount, TVar<Long> transfers) {
        return txn -> {
            long have = txn.get(balance.get(from));
            if (have < amount) return Stm.retry();
            txn.set(balance.get(from), have - amount);
            txn.update(balance.get(to), v -> v + amount);
            txn.commute(transfers, n -> n + 1);
            return from;
        };
    }
}
