package io.lockstep.cli.tour;

import io.lockstep.rcu.Rcu;
import io.lockstep.rcu.RcuReadGuard;
import io.lockstep.stm.Stm;
import io.lockstep.stm.TVar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The tour's read-copy-update and software-transactional-memory scenarios. */
public final class RcuStmScenarios implements ScenarioGroup {

    /** A configuration version holding a resource that must be closed once nobody reads it. */
    private static final class Config {
        final int generation;
        volatile boolean closed;

        Config(int generation) {
            this.generation = generation;
        }
    }

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "rcu",
                        "configuration reload: readers never block; old versions close after their readers",
                        RcuStmScenarios::rcu),
                Scenario.of(
                        "stm-bank",
                        "concurrent transfers conserve the total; a retry waits for funds",
                        RcuStmScenarios::stmBank));
    }

    private static String rcu() throws InterruptedException {
        Rcu<Config> config = new Rcu<>(new Config(0));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sawClosed = new AtomicInteger(),
                reads = new AtomicInteger(),
                closed = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        CountDownLatch reading = new CountDownLatch(4); // reloads overlap live readers
        for (int i = 0; i < 4; i++) {
            readers.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        while (!stop.get()) {
                                            try (RcuReadGuard<Config> g = config.readLock()) {
                                                Config c = g.get();
                                                Thread.yield(); // a long-ish read section
                                                if (c.closed) sawClosed.incrementAndGet();
                                            }
                                            reads.incrementAndGet();
                                            reading.countDown();
                                        }
                                    }));
        }
        reading.await();
        int reloads = 200;
        for (int i = 1; i <= reloads; i++) {
            int generation = i;
            Config old = config.update(c -> new Config(generation));
            config.callAfterGracePeriod(
                    () -> {
                        old.closed = true;
                        closed.incrementAndGet();
                    });
        }
        config.barrier();
        stop.set(true);
        for (Thread t : readers) t.join();
        Check.equal(0, sawClosed.get(), "read sections that saw their version closed");
        Check.equal(reloads, closed.get(), "old versions closed");
        return reloads
                + " reloads, "
                + reads.get()
                + " read sections, every old version closed only after its readers";
    }

    private static String stmBank() throws InterruptedException {
        int accounts = 10, initial = 100;
        List<TVar<Integer>> bank = new ArrayList<>();
        for (int i = 0; i < accounts; i++) bank.add(new TVar<>(initial));
        TVar<Integer> pending = new TVar<>(0);
        Thread waiter =
                Thread.ofVirtual()
                        .start(
                                () ->
                                        Stm.run(
                                                txn -> {
                                                    int p = txn.get(pending);
                                                    if (p < 500)
                                                        Stm.retry(); // waits, parked, for the funds
                                                    txn.set(pending, p - 500);
                                                }));
        AtomicInteger badTotals = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int seed = w;
            workers.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        for (int i = 0; i < 1_000; i++) {
                                            TVar<Integer> from = bank.get((seed + i) % accounts),
                                                    to = bank.get((seed * 3 + i * 7) % accounts);
                                            Stm.run(
                                                    txn -> {
                                                        txn.set(from, txn.get(from) - 1);
                                                        txn.set(to, txn.get(to) + 1);
                                                    });
                                            if (i % 100 == 0) {
                                                Stm.run(
                                                        txn -> {
                                                            int total = 0;
                                                            for (TVar<Integer> a : bank)
                                                                total += txn.get(a);
                                                            if (total != accounts * initial)
                                                                badTotals.incrementAndGet();
                                                        });
                                            }
                                        }
                                        Stm.run(txn -> txn.commute(pending, p -> p + 125));
                                    }));
        }
        for (Thread t : workers) t.join();
        waiter.join();
        int total =
                Stm.atomically(
                        txn -> {
                            int sum = 0;
                            for (TVar<Integer> a : bank) sum += txn.get(a);
                            return sum;
                        });
        Check.equal(accounts * initial, total, "total");
        Check.equal(0, badTotals.get(), "observations with a wrong total");
        Check.equal(0, pending.get(), "funds left after the waiting withdrawal");
        return "4,000 transfers, total stays "
                + total
                + "; a retry waited until 500 arrived, then took it";
    }
}
