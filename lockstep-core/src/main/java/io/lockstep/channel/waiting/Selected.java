package io.lockstep.channel.waiting;

/**
 * Why a waiting {@link Context} was released, when it was not selected by an {@link Operation}
 * (crossbeam's {@code Selected}). A context's selection word holds one of these or the
 * operation that completed it.
 */
public enum Selected {
    /** The waiter itself withdrew: a registered case turned out ready, or an async op was cancelled. */
    ABORTED,
    /** A channel the waiter registered with was closed. */
    DISCONNECTED,
    /** The waiter's deadline passed. */
    TIMED_OUT,
    /** The waiter was interrupted. */
    INTERRUPTED
}
