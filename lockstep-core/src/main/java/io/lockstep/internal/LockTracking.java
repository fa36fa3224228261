package io.lockstep.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The lock-order hooks that Lockstep's mutexes, read-write locks and spin locks call: free when
 * switched off, because
 * {@link #ENABLED} is a {@code static final} the JIT folds, so {@code if (LockTracking.ENABLED)}
 * and everything behind it compiles to nothing.
 *
 * <pre>{@code
 * public void lock() {
 *     if (LockTracking.ENABLED) LockTracking.acquiring(this, LockTracking.EXCLUSIVE);  // may throw
 *     ...take the lock...
 *     if (LockTracking.ENABLED) LockTracking.acquired(this, LockTracking.EXCLUSIVE);
 * }
 * public boolean tryLock() {
 *     if (!...try...) return false;
 *     if (LockTracking.ENABLED) LockTracking.tryAcquired(this, LockTracking.EXCLUSIVE);
 *     return true;
 * }
 * void release() {
 *     if (LockTracking.ENABLED) LockTracking.released(this);
 *     ...
 * }
 * }</pre>
 * A read lock passes {@link #SHARED}: two shared holds never conflict.
 */
public final class LockTracking {
    /*
     * Implementation notes.
     *
     * When is it on? ENABLED is decided once, by this class's initializer, which runs at the first
     * lock or unlock of any Lockstep lock:
     *   -Dlockstep.lockorder=throw|warn   on, with that policy
     *   -Dlockstep.lockorder=off          off for good: LockOrder.setPolicy(THROW|WARN) is refused
     *   (unset)                           on only if LockOrder.setPolicy(THROW|WARN) ran before
     * The trade-off: a static final flag is what makes "off" cost nothing (a volatile flag would
     * cost a load and a branch on every lock and unlock), and the price is that the programmatic
     * switch must come before the first lock is used; afterwards only the policy can change (THROW,
     * WARN, OFF), and OFF then still keeps each thread's list of held locks up to date, so turning
     * validation back on later sees the truth. Switch is a separate class so that asking for
     * tracking does not itself run this initializer.
     *
     * Layering: internal sits below every other package, so the validator (io.lockstep.deadlock)
     * is loaded by name, once, only when ENABLED. TRACKER is static final, so C2 knows its exact
     * class and inlines the calls.
     *
     * Tried and rejected: a SwitchPoint-guarded MethodHandle (free when off and switchable later,
     * but adds LambdaForm frames to the interpreter and C1 paths of every lock, and inlining budget
     * to the C2 one).
     */

    /** The mode of a write lock or mutex. */
    public static final int EXCLUSIVE = 0;
    /** The mode of a read lock: two shared holds never conflict. */
    public static final int SHARED = 1;

    /** Whether the hooks do anything; decided once (see the notes). */
    public static final boolean ENABLED = Switch.decide(System.getProperty(Switch.PROPERTY));

    private static final Tracker TRACKER = ENABLED ? loadTracker() : null;

    private LockTracking() {}

    /** What the hooks call; implemented by {@code io.lockstep.deadlock}. */
    public interface Tracker {
        /** Before a blocking acquisition of {@code lock}: validate the order (may throw). */
        void acquiring(Object lock, int mode);

        /** After any acquisition that went through {@link #acquiring}: now held. */
        void acquired(Object lock, int mode);

        /** After a successful non-blocking or timed try: record the order, never throw; now held. */
        void tryAcquired(Object lock, int mode);

        /** Before the lock is released by its holder (the last hold of a reentrant lock). */
        void released(Object lock);

        /** A guard-owned hold (an async acquisition) was granted; see {@link LockTracking#guardAcquired}. */
        void guardAcquired(Object guard, Object lock, int mode, Supplier<Thread> holder);

        /** The guard-owned hold of {@code guard} is released. */
        void guardReleased(Object guard);
    }

    /** Before a blocking acquisition: validates the lock order; may throw PotentialDeadlockException. */
    public static void acquiring(Object lock, int mode) {
        TRACKER.acquiring(lock, mode);
    }

    /** After a blocking acquisition succeeded. */
    public static void acquired(Object lock, int mode) {
        TRACKER.acquired(lock, mode);
    }

    /** After a {@code tryLock} (timed or not) succeeded: records the order, cannot deadlock, never throws. */
    public static void tryAcquired(Object lock, int mode) {
        TRACKER.tryAcquired(lock, mode);
    }

    /** Before the holder releases the lock for good (not each inner hold of a reentrant lock). */
    public static void released(Object lock) {
        TRACKER.released(lock);
    }

    /**
     * After a guard-owned hold (taken by an async form, owned by {@code guard} rather than a
     * thread) was granted. It counts as held by the thread {@code holder} names at the time of
     * each later check (the thread the task last ran on): a lock that thread takes while the guard
     * is open is ordered after {@code lock}, as if a thread held both.
     */
    public static void guardAcquired(Object guard, Object lock, int mode, Supplier<Thread> holder) {
        TRACKER.guardAcquired(guard, lock, mode, holder);
    }

    /** Before the guard-owned hold of {@code guard} is released. */
    public static void guardReleased(Object guard) {
        TRACKER.guardReleased(guard);
    }

    private static Tracker loadTracker() {
        try {
            var constructor = Class.forName("io.lockstep.deadlock.LockOrderValidator").getDeclaredConstructor();
            constructor.setAccessible(true);                       // same module: always allowed
            return (Tracker) constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The one-time decision, kept apart from {@link LockTracking} so that
     * {@code LockOrder.setPolicy} can ask for tracking without deciding it.
     */
    public static final class Switch {
        /** The system property: {@code throw}, {@code warn} or {@code off}. */
        public static final String PROPERTY = "lockstep.lockorder";
        private static final int UNDECIDED = 0, REQUESTED = 1, ON = 2, OFF = 3;
        private static final AtomicInteger STATE = new AtomicInteger(UNDECIDED);

        private Switch() {}

        /**
         * The property's value, checked: {@code "throw"}, {@code "warn"}, {@code "off"}, or
         * {@code null} when unset.
         *
         * @throws IllegalArgumentException for any other value
         */
        public static String parse(String value) {
            if (value == null) return null;
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            return switch (v) {
                case "throw", "warn", "off" -> v;
                default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                        + " is not one of throw, warn, off");
            };
        }

        /**
         * Asks for tracking to be compiled in. Harmless if it already is.
         *
         * @throws IllegalStateException if it was decided off (property {@code off}, or a Lockstep
         *     lock was used before this call)
         */
        public static void request() {
            for (;;) {
                int s = STATE.get();
                if (s == ON || s == REQUESTED) return;
                if (s == OFF || "off".equals(parse(System.getProperty(PROPERTY)))) {
                    throw new IllegalStateException("lock-order tracking is compiled out: a Lockstep lock was used"
                            + " before LockOrder.setPolicy, or -D" + PROPERTY + "=off; start the JVM with -D"
                            + PROPERTY + "=throw (or warn), or call LockOrder.setPolicy before the first lock");
                }
                if (STATE.compareAndSet(UNDECIDED, REQUESTED)) return;
            }
        }

        /** Whether tracking was asked for or is on (without deciding anything). */
        public static boolean requested() {
            int s = STATE.get();
            return s == REQUESTED || s == ON;
        }

        /** Decides once; called by LockTracking's initializer. */
        static boolean decide(String property) {
            String p = parse(property);
            for (;;) {
                int s = STATE.get();
                if (s == ON || s == OFF) return s == ON;
                boolean on = "throw".equals(p) || "warn".equals(p) || (p == null && s == REQUESTED);
                if (STATE.compareAndSet(s, on ? ON : OFF)) return on;
            }
        }
    }
}
