package io.lockstep.stm;

/**
 * A transaction body that returns a value; see {@link Stm#atomically}. It may run more than once
 * (each conflict re-runs it), so it should have no effects outside its {@link TVar}s.
 *
 * <pre>{@code
 * TxnFunction<Integer> withdraw10 = txn -> txn.update(balance, b -> b - 10);
 * int after = Stm.atomically(withdraw10);
 * }</pre>
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface TxnFunction<R> {
    /** Runs the body in {@code txn}. */
    R apply(Txn txn);
}
