package io.lockstep.bench.stm;

import io.lockstep.stm.Stm;
import io.lockstep.stm.TVar;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.multiverse.api.StmUtils;
import org.multiverse.api.references.TxnInteger;
import org.openjdk.jmh.annotations.*;

/**
 * Bank transfers over 64 and 1,024 accounts, 2 threads. Targets: lockstep >= 1.0x Multiverse
 * and >= 0.33x one global ReentrantLock. What each side uses: lockstep, a {@code TVar<Integer>}
 * per account (boxed values: a transfer allocates two Integers and its capturing lambda) in
 * {@code Stm.run}; Multiverse 0.7.0, a primitive {@code TxnInteger} per account in
 * {@code StmUtils.atomic} ({@code decrement}/{@code increment}); globallock, an {@code int[]}
 * under one {@code ReentrantLock}.
 * {@code java -jar lockstep-bench/target/benchmarks.jar StmBench -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class StmBench {
    /** A bank of integer accounts. */
    interface Bank {
        void transfer(int from, int to, int amount);
    }

    @Param({"lockstep", "multiverse", "globallock"})
    public String impl;

    @Param({"64", "1024"})
    public int accounts;

    private Bank bank;

    @Setup
    public void setup() {
        bank = switch (impl) {
            case "lockstep" -> {
                @SuppressWarnings("unchecked")
                TVar<Integer>[] a = new TVar[accounts];
                for (int i = 0; i < accounts; i++) a[i] = new TVar<>(1_000);
                yield (from, to, amount) -> Stm.run(txn -> {
                    txn.set(a[from], txn.get(a[from]) - amount);
                    txn.set(a[to], txn.get(a[to]) + amount);
                });
            }
            case "multiverse" -> {
                TxnInteger[] a = new TxnInteger[accounts];
                for (int i = 0; i < accounts; i++) a[i] = StmUtils.newTxnInteger(1_000);
                yield (from, to, amount) -> StmUtils.atomic(() -> {
                    a[from].decrement(amount);
                    a[to].increment(amount);
                });
            }
            case "globallock" -> {
                int[] a = new int[accounts];
                java.util.Arrays.fill(a, 1_000);
                ReentrantLock lock = new ReentrantLock();
                yield (from, to, amount) -> {
                    lock.lock();
                    try {
                        a[from] -= amount;
                        a[to] += amount;
                    } finally {
                        lock.unlock();
                    }
                };
            }
            default -> throw new IllegalArgumentException(impl);
        };
    }

    @Benchmark
    public void transfer() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        bank.transfer(r.nextInt(accounts), r.nextInt(accounts), r.nextInt(10));
    }
}
