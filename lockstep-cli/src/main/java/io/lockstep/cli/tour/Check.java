package io.lockstep.cli.tour;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Assertions for scenarios: each throws a {@link ScenarioFailure} whose message becomes the reason
 * printed on the scenario's {@code ✘} line.
 *
 * <pre>{@code
 * Check.that(elapsed < 100, "the waiter woke after %d ms, expected under 100 ms", elapsed);
 * Check.equal(2 * ROUNDS, counter.get(), "the counter after two threads x ROUNDS increments");
 * }</pre>
 *
 * <p>Scenarios use these rather than {@code assert} (off unless {@code -ea}) or a test library (not
 * on the command's class path).
 */
public final class Check {
    private Check() {}

    /**
     * Fails unless {@code condition} holds.
     *
     * @param condition the invariant
     * @param format a {@link String#format} pattern saying what went wrong
     * @param args the pattern's arguments
     * @throws ScenarioFailure if {@code condition} is false
     */
    public static void that(boolean condition, String format, Object... args) {
        if (!condition) {
            // Locale.ROOT so that a number reads the same on every machine.
            throw new ScenarioFailure(String.format(Locale.ROOT, format, args));
        }
    }

    /**
     * Fails unless two values are equal ({@link Objects#deepEquals}, so arrays compare by content).
     * Integral numbers compare by value, so {@code equal(2, atomicLong.get(), ...)} holds for an
     * {@code Integer} 2 and a {@code Long} 2.
     *
     * @param expected the value the invariant requires
     * @param actual the value observed
     * @param what the observed quantity, e.g. {@code "the order the waiters woke in"}
     * @throws ScenarioFailure if they differ
     */
    public static void equal(Object expected, Object actual, String what) {
        if (!Objects.deepEquals(expected, actual) && !sameIntegralValue(expected, actual)) {
            throw new ScenarioFailure(
                    what + ": expected " + show(expected) + " but was " + show(actual));
        }
    }

    private static boolean sameIntegralValue(Object a, Object b) {
        return isIntegral(a)
                && isIntegral(b)
                && ((Number) a).longValue() == ((Number) b).longValue();
    }

    private static boolean isIntegral(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte;
    }

    private static String show(Object value) {
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        String shown = Arrays.deepToString(new Object[] {value});
        return shown.substring(1, shown.length() - 1);
    }
}
