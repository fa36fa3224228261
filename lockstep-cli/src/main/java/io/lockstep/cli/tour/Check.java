package io.lockstep.cli.tour;

import java.util.Objects;

/**
 * Invariant checks for scenarios: a broken invariant throws {@link ScenarioFailure}.
 *
 * <pre>{@code
 * Check.that(maxConcurrent <= 3, "at most 3 at once, saw %d", maxConcurrent);
 * Check.equal(2000, counter, "counter");
 * }</pre>
 */
public final class Check {
    private Check() {}

    /** Fails with the formatted message unless {@code condition}. */
    public static void that(boolean condition, String format, Object... args) {
        if (!condition) throw new ScenarioFailure(String.format(format, args));
    }

    /** Fails unless {@code expected} equals {@code actual}, naming {@code what}. */
    public static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new ScenarioFailure(what + ": expected " + expected + " but was " + actual);
        }
    }
}
