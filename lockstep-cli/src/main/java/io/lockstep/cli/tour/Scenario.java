package io.lockstep.cli.tour;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One stop of the tour: a small program that exercises a primitive and checks an invariant that the
 * primitive promises. {@code lockstep tour} prints one line for it, {@code ✔ name — what it showed}
 * or {@code ✘ name — why}.
 *
 * <p>Most scenarios are written with {@link #of}:
 *
 * <pre>{@code
 * Scenario.of("mutex-excludes", "two threads never hold a Mutex at once", () -> {
 *   ... run two threads that each lock and unlock ROUNDS times, counting overlaps ...
 *   Check.equal(0, overlaps, "overlapping critical sections");
 *   return "2 threads x " + ROUNDS + " lock/unlock, never both inside";
 * })
 * }</pre>
 *
 * <p>The tour runs each scenario on a fresh platform thread, one at a time, with a timeout (30 s
 * unless {@code --timeout} says otherwise); a scenario that is still running then fails and its
 * thread's stack is printed. So a scenario must not depend on another having run, must stop every
 * thread it starts, and should react to interruption, which is how a timed-out scenario is asked to
 * stop.
 */
public interface Scenario {

    /**
     * The name used on the command line, unique in the tour: lower-case words joined by hyphens,
     * starting with the primitive, e.g. {@code semaphore-fair-order}.
     *
     * @return the name; no whitespace
     */
    String name();

    /**
     * What the scenario demonstrates, in one line, shown by {@code lockstep tour --list}.
     *
     * @return the description; one line
     */
    String description();

    /**
     * Runs the scenario.
     *
     * @return what it showed, in one line with the numbers that matter, e.g. {@code "4 threads x
     *     10000 acquires, peak holders 2 of 2 permits"}
     * @throws ScenarioFailure (usually through {@link Check}) if the invariant did not hold
     * @throws Exception if anything else went wrong; the scenario fails with it
     */
    String run() throws Exception;

    /**
     * Makes a scenario from its parts.
     *
     * @param name see {@link #name()}
     * @param description see {@link #description()}
     * @param body see {@link #run()}
     * @return the scenario
     */
    static Scenario of(String name, String description, Callable<String> body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(body, "body");
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

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
