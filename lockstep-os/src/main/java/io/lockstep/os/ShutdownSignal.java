package io.lockstep.os;

import io.lockstep.internal.Completions;
import io.lockstep.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The graceful-shutdown helper, as Agrona's {@code ShutdownSignalBarrier}: waits for the first
 * SIGINT or SIGTERM, once. While it is open the JVM does not exit on those signals; the program
 * finishes its work and returns from {@code main} (or calls {@code System.exit}) itself.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     try (ShutdownSignal shutdown = new ShutdownSignal()) {
 *         Server server = Server.start();
 *         Signal why = shutdown.await();          // Ctrl-C, or `kill <pid>`
 *         server.drainAndStop();                  // finish in-flight requests
 *         System.out.println("stopped on " + why.osName());
 *     }
 * }
 * }</pre>
 *
 * <p>Only the first signal counts; later ones are ignored while it is open. {@link #close()}
 * unsubscribes and gives INT and TERM back to the JVM (which exits on them). A signal this
 * process inherited as ignored (INT in a background job of a script) is left alone: it is not
 * in {@link #signals()}.
 *
 * <p><b>Memory effects:</b> actions before {@link #trigger} happen-before the return of
 * {@code await} and the completion of {@code awaitAsync}.
 */
public final class ShutdownSignal implements AutoCloseable {
    /*
     * Implementation notes.
     * first (CAS, once) decides which signal won; the Event releases blocking waiters (parked in
     * the ParkingLot, so virtual threads unmount) and `done` completes the async ones. The
     * subscriptions call fire() directly on the JDK's per-signal thread (an executor that runs
     * the task in place): it holds no lock there, and dependents of `done` run on that thread
     * through Completions' trampoline.
     */
    private final AtomicReference<Signal> first = new AtomicReference<>();
    private final Event fired = new Event();
    private final CompletableFuture<Signal> done = new CompletableFuture<>();
    private final List<SignalSubscription> subscriptions = new ArrayList<>();
    private final Set<Signal> signals = EnumSet.noneOf(Signal.class);

    /**
     * Subscribes to SIGINT and SIGTERM.
     *
     * @throws UnsupportedOperationException if neither can be delivered to this process (e.g.
     *     under {@code -Xrs})
     */
    public ShutdownSignal() {
        UnsupportedOperationException refused = null;
        for (Signal s : List.of(Signal.INT, Signal.TERM)) {
            try {
                subscriptions.add(OsSignals.subscribe(s, Runnable::run, this::trigger));
                signals.add(s);
            } catch (UnsupportedOperationException e) {
                if (refused == null) refused = e; else refused.addSuppressed(e);
            }
        }
        if (subscriptions.isEmpty()) {
            throw new UnsupportedOperationException("neither SIGINT nor SIGTERM can be delivered to this process", refused);
        }
    }

    /** The signals it listens to: INT and TERM, less any this process cannot receive. */
    public Set<Signal> signals() {
        return Collections.unmodifiableSet(signals);
    }

    /** Waits for the first SIGINT or SIGTERM (or {@link #trigger}) and returns which it was. */
    public Signal await() throws InterruptedException {
        fired.await();
        return first.get();
    }

    /** Waits at most {@code timeout}; returns the signal, or empty if none came in time. */
    public Optional<Signal> await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return fired.await(timeout) ? Optional.of(first.get()) : Optional.empty();
    }

    /**
     * A future of the first signal. Each call returns a new future, so cancelling one (or
     * {@code orTimeout} on it) affects no other. Dependent stages run on the JVM's signal thread,
     * or on the caller's thread if the signal already came, or on the thread that calls
     * {@link #trigger}.
     */
    public CompletableFuture<Signal> awaitAsync() {
        return done.copy();
    }

    /** The signal that came, if one did. */
    public Optional<Signal> received() {
        return Optional.ofNullable(first.get());
    }

    /**
     * Acts as if {@code signal} had arrived (a programmatic shutdown, or a test); does nothing if
     * a signal already came.
     */
    public void trigger(Signal signal) {
        Objects.requireNonNull(signal, "signal");
        if (!first.compareAndSet(null, signal)) return;
        fired.set();
        Completions.complete(done, signal);
    }

    /** Unsubscribes: INT and TERM go back to the JVM's handler (which exits). Idempotent. */
    @Override
    public void close() {
        for (SignalSubscription s : subscriptions) s.close();
    }

    @Override
    public String toString() {
        return "ShutdownSignal" + signals + received().map(s -> "[received " + s.osName() + "]").orElse("[waiting]");
    }
}
