package io.lockstep.stm;

/**
 * A transaction body that returns nothing; see {@link Stm#run}. Like {@link TxnFunction}, it may
 * run more than once.
 *
 * <pre>{@code
 * Stm.run(txn -> { txn.set(from, txn.get(from) - 5); txn.set(to, txn.get(to) + 5); });
 * }</pre>
 */
@FunctionalInterface
public interface TxnAction {
    /** Runs the body in {@code txn}. */
    void run(Txn txn);
}
