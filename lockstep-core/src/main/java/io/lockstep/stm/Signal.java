package io.lockstep.stm;

/**
 * Control flow inside a transaction: an abort that re-runs it, or a {@code retry()}. An Error,
 * so that a body's {@code catch (Exception e)} does not swallow it; preallocated, without a
 * stack trace, because conflicts are routine.
 */
final class Signal extends Error {
    private static final long serialVersionUID = 1L;

    /** A conflict: the transaction's snapshot can no longer be extended, or a lock was taken. */
    static final Signal CONFLICT = new Signal("transaction conflict");
    /** {@link Stm#retry()}: wait until something read changes. */
    static final Signal RETRY = new Signal("retry");

    private Signal(String message) {
        super(message, null, false, false);
    }
}
