package io.lockstep.cli.tour;

import java.time.Duration;

/**
 * How one scenario ended, as {@link Tour#run} reports it.
 *
 * <pre>{@code
 * Outcome outcome = Tour.run(scenario, Tour.DEFAULT_TIMEOUT);
 * System.out.println(outcome.line());          // ✔ mutex-excludes — 2 threads x 10000 ...
 * if (!outcome.details().isEmpty()) {
 *   System.err.println(outcome.details());     // the stack of a stuck or throwing scenario
 * }
 * }</pre>
 *
 * @param name the scenario's name
 * @param passed whether it returned normally
 * @param message what it showed if it passed, why it failed otherwise
 * @param details a multi-line supplement to a failure (a stack trace), or empty
 * @param elapsed how long it ran (up to the timeout for one that timed out)
 */
public record Outcome(
        String name, boolean passed, String message, String details, Duration elapsed) {

    /**
     * The tour's line for this outcome: {@code ✔ name — message} or {@code ✘ name — message},
     * always one line, even if the scenario's text had line breaks.
     *
     * @return the line, without a line terminator
     */
    public String line() {
        return (passed ? "✔ " : "✘ ")
                + name
                + " — "
                + message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
