package io.lockstep.testing;

/**
 * Stress-test sizes that shrink on demand, as crossbeam's {@code if cfg!(miri)} constants:
 * {@code Stress.iterations(25_000)} is scaled by {@code -Dlockstep.stress} (default 1).
 *
 * <pre>{@code
 * for (int i = 0; i < Stress.iterations(10_000); i++) { ... }
 * }</pre>
 */
public final class Stress {
    private static final double SCALE = Double.parseDouble(System.getProperty("lockstep.stress", "1"));

    private Stress() {}

    /** {@code n} scaled by {@code -Dlockstep.stress}, at least 1. */
    public static int iterations(int n) {
        return (int) Math.max(1, Math.round(n * SCALE));
    }
}
