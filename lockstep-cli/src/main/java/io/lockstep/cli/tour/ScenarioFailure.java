package io.lockstep.cli.tour;

/** A scenario's invariant did not hold; the message says which and how. */
public final class ScenarioFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public ScenarioFailure(String message) {
        super(message);
    }
}
