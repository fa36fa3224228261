package io.lockstep.sync;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.lock.PoisonedException;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.gate.Gate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Runs an initialization exactly once, as Rust's {@code std::sync::Once}: the first
 * {@link #call} runs its action, concurrent callers wait for it to finish, later callers return at
 * once. If the action throws, the Once is <em>poisoned</em>: every later {@code call} throws
 * {@link PoisonedException} (with the failure as its cause, as a poisoned {@code Mutex} does),
 * unless it uses {@link #callIgnoringPoison}, which retries.
 *
 * <pre>{@code
 * private static final Once INIT = new Once();
 *
 * static void ensureDriverLoaded() {
 *     INIT.call(() -> System.loadLibrary("driver"));
 * }
 * }</pre>
 * For a value, prefer {@link OnceCell} or {@link Lazy} (which retry after a failure instead).
 *
 * <p><b>Memory effects:</b> the action's effects happen-before every {@code call} returns.
 */
public final class Once {
    /*
     * Implementation notes.
     * State: INCOMPLETE -> RUNNING -> COMPLETE, or RUNNING -> POISONED (-> RUNNING again via
     * callIgnoringPoison). Only the thread whose CAS moved it to RUNNING runs the action and
     * leaves RUNNING; waiters use Gate's keyed protocol on `this`, uninterruptibly (a Once cannot
     * be half-waited for). A call from inside the action would wait for itself: it throws.
     */
    private static final int INCOMPLETE = 0, RUNNING = 1, COMPLETE = 2, POISONED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Once.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;
    private Thread runner;                    // the thread in RUNNING; written by it (reentrancy check only)
    private volatile Throwable failure;       // why it is POISONED

    /** A Once that has not run. */
    public Once() {}

    /**
     * Runs {@code action} if no call has completed yet; waits while another call runs.
     *
     * @throws PoisonedException if poisoned by an earlier failure ({@link PoisonedException#lock()} is this Once)
     * @throws IllegalStateException if called from inside the action
     */
    public void call(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (state != COMPLETE) callSlow(action, false);
    }

    /** As {@link #call}, but a poisoned Once runs {@code action} again (Rust's {@code call_once_force}). */
    public void callIgnoringPoison(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (state != COMPLETE) callSlow(action, true);
    }

    private void callSlow(Runnable action, boolean force) {
        for (;;) {
            int s = state;
            switch (s) {
                case COMPLETE -> {
                    return;
                }
                case RUNNING -> {
                    if (runner == Thread.currentThread()) {
                        throw new IllegalStateException("Once.call from inside its own action would deadlock");
                    }
                    Gate.until(this, () -> state != RUNNING, Deadline.NONE, false);
                }
                case POISONED -> {
                    if (!force) {
                        throw new PoisonedException(this, this + " poisoned: an earlier call failed with " + failure, failure);
                    }
                    if (STATE.compareAndSet(this, s, RUNNING)) {
                        run(action);
                        return;
                    }
                }
                default -> {
                    if (STATE.compareAndSet(this, s, RUNNING)) {
                        run(action);
                        return;
                    }
                }
            }
        }
    }

    private void run(Runnable action) {
        runner = Thread.currentThread();
        boolean ok = false;
        try {
            action.run();
            ok = true;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            runner = null;
            state = ok ? COMPLETE : POISONED;
            ParkingLot.unparkAll(this);
        }
    }

    /** Whether a call has completed. */
    public boolean isCompleted() {
        return state == COMPLETE;
    }

    /** Whether a failed call poisoned it. */
    public boolean isPoisoned() {
        return state == POISONED;
    }

    @Override
    public String toString() {
        return Names.describe(this) + switch (state) {
            case RUNNING -> "[running]";
            case COMPLETE -> "[complete]";
            case POISONED -> "[poisoned]";
            default -> "[incomplete]";
        };
    }

    /**
     * Names this once for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this once, so a field can be
     * named where it is created: {@code private final Once init = new Once().named("init");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this once already has another name
     */
    public Once named(String name) {
        return Names.name(this, name);
    }

    /** This once's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
