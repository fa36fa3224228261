package io.lockstep.cli.tour;

/**
 * A scenario's invariant did not hold. Thrown by {@link Check}; the tour prints its message as the
 * reason on the scenario's {@code ✘} line, so the message should say what was expected and what
 * happened instead.
 *
 * <pre>{@code
 * if (holders.get() > 1) {
 *   throw new ScenarioFailure(holders.get() + " threads held the mutex at once");
 * }
 * }</pre>
 */
public class ScenarioFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a failure.
     *
     * @param message what went wrong, on one line
     */
    public ScenarioFailure(String message) {
        super(message);
    }
}
