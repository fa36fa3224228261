package io.lockstep.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.function.Consumer;

/**
 * An atomically reference-counted handle to a resource that must be closed, as Rust's
 * {@code Arc<T>} whose last drop runs the resource's {@code Drop}: every handle is closed once,
 * and the resource is closed exactly once, when the last handle is.
 *
 * <pre>{@code
 * Arc<Connection> conn = Arc.of(openConnection(), Connection::close);
 * for (int i = 0; i < 10; i++) {
 *     Arc<Connection> mine = conn.retain();            // Arc::clone: one more owner
 *     Thread.ofVirtual().start(() -> {
 *         try (mine) {
 *             mine.get().send("hello");
 *         }                                             // drops this owner
 *     });
 * }
 * conn.close();            // the connection closes when the last of the 11 handles closes
 * }</pre>
 *
 * <p>Using a closed handle ({@link #get()}, {@link #retain()}) throws
 * {@link IllegalStateException}; closing it again does nothing. A handle that is garbage
 * collected without being closed is a leak: with leak detection on
 * ({@link #leakDetection(boolean)} or {@code -Dlockstep.arc.leakDetection=true}) each handle
 * records where it was made, and a leaked handle is reported with that stack trace (through
 * {@link #onLeak}, by default a {@link System.Logger} warning). The resource then stays open: a
 * leak is a bug to fix, not a way to close.
 *
 * <p><b>Memory effects:</b> everything a thread did through a handle before closing it
 * happens-before the closer runs; creating a handle happens-before anything done through a
 * handle retained from it.
 */
public final class Arc<T> implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Based on: Rust's std::sync::Arc (strong count only, no weak count). Differences: handles
     * are objects with their own closed flag, because Java has no move semantics: a handle can be
     * used after close, and that must throw rather than corrupt the count.
     * State:  Shared.count  number of open handles; 0 = resource closed (terminal)
     *         closed        per handle, 0 -> 1 once
     * Invariants:
     *   I1  count only rises from a positive value (retain CASes count -> count + 1 only if
     *       count > 0), so once it reaches 0 no handle can resurrect the resource.
     *   I2  Each handle decrements count at most once (its closed flag CAS guards it), so the
     *       decrement that reaches 0 is unique, and so is the call of the closer.
     * Memory ordering: the decrements are volatile RMWs (release + acquire), the one that reaches
     *   0 therefore sees every earlier owner's writes before it runs the closer (Rust uses
     *   release decrements plus an acquire fence for the same effect).
     * Leak detection: a Cleaner action per handle holding the creation site and a flag; close()
     *   sets the flag and deregisters the action. The action must not reach the handle, or the
     *   handle would never become unreachable.
     */
    private static final VarHandle CLOSED, COUNT;
    private static final Cleaner CLEANER = Cleaner.create();
    private static volatile boolean leakDetection = Boolean.getBoolean("lockstep.arc.leakDetection");
    private static volatile Consumer<? super Throwable> leakReporter = Arc::logLeak;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLOSED = l.findVarHandle(Arc.class, "closed", int.class);
            COUNT = l.findVarHandle(Shared.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Shared<T> {
        final T resource;
        final Consumer<? super T> closer;
        volatile int count = 1;

        Shared(T resource, Consumer<? super T> closer) {
            this.resource = resource;
            this.closer = closer;
        }
    }

    /** The Cleaner action of one tracked handle; holds no reference to the handle. */
    private static final class Leak implements Runnable {
        final Throwable site;
        volatile boolean closed;
        Cleaner.Cleanable cleanable;

        Leak(Throwable site) {
            this.site = site;
        }

        @Override
        public void run() {
            if (!closed) leakReporter.accept(site);
        }
    }

    private final Shared<T> shared;
    private final Leak leak;                                   // null unless leak detection was on
    private volatile int closed;

    private Arc(Shared<T> shared) {
        this.shared = shared;
        if (leakDetection) {
            Leak l = new Leak(new IllegalStateException("Arc handle to " + shared.resource
                    + " was never closed; it was created here"));
            l.cleanable = CLEANER.register(this, l);
            leak = l;
        } else {
            leak = null;
        }
    }

    /**
     * The first handle to {@code resource}; {@code closer} runs once, when the last handle
     * closes. Both must be non-null.
     */
    public static <T> Arc<T> of(T resource, Consumer<? super T> closer) {
        if (resource == null) throw new NullPointerException("resource");
        if (closer == null) throw new NullPointerException("closer");
        return new Arc<>(new Shared<>(resource, closer));
    }

    /**
     * The first handle to an {@link AutoCloseable}, closed with its own {@code close()}; a checked
     * exception from it reaches the last closer wrapped in {@link IllegalStateException}.
     */
    public static <T extends AutoCloseable> Arc<T> of(T resource) {
        return of(resource, r -> {
            try {
                r.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing " + r + " failed", e);
            }
        });
    }

    /** The resource. @throws IllegalStateException if this handle is closed */
    public T get() {
        checkOpen();
        return shared.resource;
    }

    /**
     * A new handle to the same resource (Rust's {@code Arc::clone}), to be closed on its own.
     * @throws IllegalStateException if this handle is closed
     */
    public Arc<T> retain() {
        checkOpen();
        for (int c = shared.count; ; c = shared.count) {
            if (c == 0) throw new IllegalStateException("the resource is already closed");   // I1
            if (c == Integer.MAX_VALUE) throw new IllegalStateException("too many handles");
            if (COUNT.compareAndSet(shared, c, c + 1)) return new Arc<>(shared);
        }
    }

    /**
     * Closes this handle; if it was the last open one, closes the resource (an exception from
     * the closer propagates, and the resource counts as closed). A second call does nothing.
     */
    @Override
    public void close() {
        if (!CLOSED.compareAndSet(this, 0, 1)) return;         // I2
        if (leak != null) {
            leak.closed = true;
            leak.cleanable.clean();
        }
        if ((int) COUNT.getAndAdd(shared, -1) == 1) shared.closer.accept(shared.resource);
    }

    /** Whether this handle is closed. */
    public boolean isClosed() {
        return closed != 0;
    }

    /** How many handles to the resource are open (a snapshot, as Rust's {@code strong_count}). */
    public int strongCount() {
        return shared.count;
    }

    /** Turns leak detection on or off for handles created from now on. */
    public static void leakDetection(boolean on) {
        leakDetection = on;
    }

    /**
     * Sets what receives leak reports: an exception whose stack trace is where the leaked handle
     * was made. The default logs a warning to the {@code io.lockstep.atomic.Arc} logger.
     */
    public static void onLeak(Consumer<? super Throwable> reporter) {
        if (reporter == null) throw new NullPointerException("reporter");
        leakReporter = reporter;
    }

    private void checkOpen() {
        if (closed != 0) throw new IllegalStateException("this Arc handle is closed");
    }

    private static void logLeak(Throwable site) {
        System.getLogger(Arc.class.getName()).log(System.Logger.Level.WARNING, site.getMessage(), site);
    }

    @Override
    public String toString() {
        return "Arc[" + (closed != 0 ? "closed" : shared.resource + ", count=" + shared.count) + "]";
    }
}
