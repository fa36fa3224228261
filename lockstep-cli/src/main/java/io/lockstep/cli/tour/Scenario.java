package io.lockstep.cli.tour;

import java.util.concurrent.Callable;

/**
 * One example of the tour: it runs a piece of the seed's code with Lockstep's primitives and
 * checks the invariant the seed states, returning a one-line account of what it showed.
 *
 * <pre>{@code
 * Scenario.of("cpp-mutex-counter", "2 threads x 1000 increments under a mutex", () -> {
 *     ...
 *     Check.equal(2000, counter, "counter");
 *     return "2 threads x 1000 increments = 2000";
 * });
 * }</pre>
 */
public interface Scenario {
    /** A short kebab-case name, unique in the tour. */
    String name();

    /** One line: what the scenario exercises. */
    String description();

    /** Runs it; returns what it showed, throws (e.g. {@link ScenarioFailure}) if an invariant broke. */
    String run() throws Exception;

    /** A scenario from its parts. */
    static Scenario of(String name, String description, Callable<String> body) {
        return new Scenario() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public String run() throws Exception {
                return body.call();
            }
        };
    }
}
