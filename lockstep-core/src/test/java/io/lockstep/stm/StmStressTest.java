package io.lockstep.stm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Await;
import io.lockstep.testing.Stress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bank transfers, opacity and retry hand-offs under real threads. */
@Timeout(60)
class StmStressTest {

    @Test
    void bankTransfersKeepTheSumAtEveryObservation() throws Exception {
        int accounts = 8, initial = 100;
        List<TVar<Integer>> bank = new ArrayList<>();
        for (int i = 0; i < accounts; i++) bank.add(new TVar<>(initial));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger badSums = new AtomicInteger(), observations = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < Stress.iterations(5_000); i++) {
                    TVar<Integer> from = bank.get(r.nextInt(accounts)), to = bank.get(r.nextInt(accounts));
                    int amount = r.nextInt(10);
                    Stm.run(txn -> {
                        txn.set(from, txn.get(from) - amount);
                        txn.commute(to, b -> b + amount);
                    });
                }
            }));
        }
        Thread observer = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                Stm.run(txn -> {
                    int sum = 0;
                    for (TVar<Integer> a : bank) sum += txn.get(a);
                    if (sum != accounts * initial) badSums.incrementAndGet();   // inside the body
                });
                observations.incrementAndGet();
            }
        });
        for (Thread t : threads) t.join();
        stop.set(true);
        observer.join();
        assertThat(badSums).hasValue(0);
        assertThat(observations.get()).isPositive();
        assertThat(bank.stream().mapToInt(TVar::get).sum()).isEqualTo(accounts * initial);
    }

    /**
     * Write skew: each withdrawal reads both accounts and takes their whole sum from one, so no
     * serial order drives the sum below zero; two withdrawals that both commit without validating
     * their reads (TL2's rv + 1 == wv shortcut taken wrongly) do. With the commit's validation
     * disabled this fails in every run.
     */
    @Test
    void writeSkew_commitsValidateWhatTheyRead() throws Exception {
        TVar<Integer> a = new TVar<>(0), b = new TVar<>(0);
        AtomicInteger withdrawals = new AtomicInteger(), negativeSums = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            TVar<Integer> mine = t % 2 == 0 ? a : b;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < Stress.iterations(5_000); i++) {
                    boolean deposit = i % 2 == 0;
                    boolean withdrew = Stm.atomically(txn -> {
                        int sum = txn.get(a) + txn.get(b);
                        if (deposit) {
                            txn.set(mine, txn.get(mine) + 1);
                            return false;
                        }
                        if (sum < 1) return false;
                        Thread.yield();                              // widens the window for another withdrawal
                        txn.set(mine, txn.get(mine) - sum);          // empties the pair
                        return true;
                    });
                    if (withdrew) withdrawals.incrementAndGet();
                    if (Stm.<Integer>atomically(txn -> txn.get(a) + txn.get(b)) < 0) negativeSums.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(negativeSums).hasValue(0);
        assertThat(Stm.<Integer>atomically(txn -> txn.get(a) + txn.get(b)).intValue()).isNotNegative();
        assertThat(withdrawals.get()).isPositive();
    }

    @Test
    void opacity_readersNeverSeeAnInconsistentSnapshot() throws Exception {
        TVar<Integer> x = new TVar<>(0), y = new TVar<>(0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger inconsistent = new AtomicInteger(), attempts = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    Stm.run(txn -> {
                        attempts.incrementAndGet();
                        int a = txn.get(x);
                        Thread.onSpinWait();
                        int b = txn.get(y);
                        if (a + b != 0) inconsistent.incrementAndGet();   // even in attempts that abort
                    });
                }
            }));
        }
        // Readers first, so that their attempts overlap the writers' commits (a fast run of the
        // writers alone was over before any reader began: CI, 0.013 s).
        Await.until(() -> attempts.get() > 0, "a reader is running");
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < Stress.iterations(5_000); i++) {
                    Stm.run(txn -> {
                        int d = ThreadLocalRandom.current().nextInt(1, 5);
                        txn.set(x, txn.get(x) + d);
                        txn.set(y, txn.get(y) - d);
                    });
                }
            }));
        }
        for (Thread t : writers) t.join();
        stop.set(true);
        for (Thread t : readers) t.join();
        assertThat(inconsistent).hasValue(0);
        assertThat(attempts.get()).isPositive();
    }

    @Test
    void retryHandsOffEveryItemThroughAOneSlotMailbox() throws Exception {
        TVar<Integer> slot = new TVar<>(null);
        int items = Stress.iterations(2_000);
        AtomicInteger sum = new AtomicInteger();
        Thread consumer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < items; i++) {
                sum.addAndGet(Stm.atomically(txn -> {
                    Integer v = txn.get(slot);
                    if (v == null) return Stm.retry();
                    txn.set(slot, null);
                    return v;
                }));
            }
        });
        for (int i = 1; i <= items; i++) {
            int item = i;
            Stm.run(txn -> {
                if (txn.get(slot) != null) Stm.retry();
                txn.set(slot, item);
            });
        }
        consumer.join();
        assertThat(sum).hasValue(items * (items + 1) / 2);
    }
}
