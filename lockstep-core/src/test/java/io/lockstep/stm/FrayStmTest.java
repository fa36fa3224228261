package io.lockstep.stm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

/** STM under Fray's schedules: bank sum and opacity, and retry wake-ups. */
@ExtendWith(FrayTestExtension.class)
class FrayStmTest {

    // transfer a->b | transfer b->a | observer (sum inside the body)
    @FrayTest(iterations = 100)
    void transfersKeepTheSumAndObserversSeeItInsideTheBody() throws Exception {
        TVar<Integer> a = new TVar<>(10), b = new TVar<>(10);
        AtomicBoolean bad = new AtomicBoolean();
        Thread t1 = new Thread(() -> Stm.run(txn -> { txn.set(a, txn.get(a) - 3); txn.set(b, txn.get(b) + 3); }));
        Thread t2 = new Thread(() -> Stm.run(txn -> { txn.set(b, txn.get(b) - 4); txn.commute(a, v -> v + 4); }));
        t1.start();
        t2.start();
        Stm.run(txn -> { if (txn.get(a) + txn.get(b) != 20) bad.set(true); });
        t1.join();
        t2.join();
        assertThat(bad).isFalse();
        assertThat(a.get() + b.get()).isEqualTo(20);
        assertThat(a.get()).isEqualTo(11);
    }

    // taker (retry until funds) | depositor
    @FrayTest(iterations = 100)
    void retryWakesWhenTheTVarItReadChanges() throws Exception {
        TVar<Integer> funds = new TVar<>(0);
        Thread taker = new Thread(() -> Stm.run(txn -> {
            int f = txn.get(funds);
            if (f < 5) Stm.retry();
            txn.set(funds, f - 5);
        }));
        taker.start();
        funds.set(7);
        taker.join();
        assertThat(funds.get()).isEqualTo(2);
    }
}
