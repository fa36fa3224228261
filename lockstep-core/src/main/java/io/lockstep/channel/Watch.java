package io.lockstep.channel;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.internal.WaitOutcome;
import io.lockstep.park.gate.Gate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The latest value of something, with change notification (tokio's {@code watch}): senders
 * replace the value, anybody reads the current one, and each {@link Subscriber} can wait until
 * there is a value newer than the last one it looked at. Intermediate values may be skipped: a
 * watch carries state, not a stream of events.
 *
 * <pre>{@code
 * // Before: a volatile field plus a wait/notify or polling loop
 * volatile Config current;                           // ...and how do workers learn it changed?
 *
 * // After
 * Watch<Config> config = new Watch<>(Config.defaults());
 * Watch.Subscriber<Config> mine = config.subscribe();
 * worker.start(() -> {
 *     for (;;) {
 *         Config c = mine.changed();                  // waits for a newer version; throws once closed
 *         reconfigure(c);
 *     }
 * });
 * config.trySend(Config.load(path));                  // the worker wakes and sees it
 * config.close();                                     // the worker's changed() throws ChannelClosedException
 * }</pre>
 *
 * <p>Every send bumps the {@link #version()}. After {@link #close()}, sends fail and hand their
 * value back, {@link #get()} still returns the last value, and a subscriber's
 * {@link Subscriber#changed()} first returns a change it has not seen yet, then reports the
 * close. Values are never null.
 *
 * <p><b>Memory effects:</b> actions in a thread before a {@link #trySend} happen-before the actions
 * after any read that returns that value (or a later one). Actions before {@link #close()}
 * happen-before a {@code changed} that reports it.
 *
 * @param <T> the value type
 */
public final class Watch<T> {
    /*
     * Implementation notes.
     *
     * Based on: tokio's watch (a value under an RwLock plus a version counter and a Notify).
     * Differences: the value, its version and the closed flag live in one immutable State
     * record behind one volatile reference, replaced by CAS: reads are a single volatile load
     * and never block, a reader always sees a value with its own version, and senders are
     * lock-free. Waiting is a Gate: every change wakes every waiter.
     *
     * State: state = State{version, value, closed}
     * Invariants:
     *   I1  Every CAS replaces state with a new record (identity changes on every change).
     *   I2  version increases by one per send; close keeps the version and sets closed; once
     *       closed the state never changes again.
     *   I3  Subscriber.seen <= state.version.
     * changed(): waits only while state.version == seen && !closed, so any change releases it.
     * Memory ordering: the CAS (volatile) publishes the record with its value; every read is a
     *   volatile load.
     * Progress: send and close are lock-free (a CAS loop); reads are wait-free.
     * Tried and rejected: a version counter and a value in separate fields (a seqlock). Readers
     *   would retry under writes and need fences; one record per send costs one allocation.
     */
    private record State(long version, Object value, boolean closed) {}

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Watch.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile State state;               // I1, I2
    final Gate signal = new Gate();

    /** A watch holding {@code initial} at version 0. */
    public Watch(T initial) {
        state = new State(0, Objects.requireNonNull(initial, "initial"), false);
    }

    /** The current value (also after close). */
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) state.value;
    }

    /** The current version: 0 for the initial value, one more per send. */
    public long version() {
        return state.version;
    }

    /**
     * Replaces the value and wakes every subscriber waiting for a change. Never waits.
     *
     * @return {@link SendResult.Sent}, or {@link SendResult.Closed} holding {@code value}
     */
    public SendResult<T> trySend(T value) {
        Objects.requireNonNull(value, "value");
        for (;;) {
            State s = state;
            if (s.closed) return new SendResult.Closed<>(value);
            if (STATE.compareAndSet(this, s, new State(s.version + 1, value, false))) break;   // I2
        }
        signal.wakeAll();
        return new SendResult.Sent<>();
    }

    /**
     * Replaces the value with {@code update} applied to the current one, atomically (it may be
     * called more than once under contention, so keep it free of side effects).
     *
     * @return the new value, or empty if the watch is closed (then nothing changed)
     */
    @SuppressWarnings("unchecked")
    public Optional<T> update(UnaryOperator<T> update) {
        Objects.requireNonNull(update, "update");
        for (;;) {
            State s = state;
            if (s.closed) return Optional.empty();
            T next = Objects.requireNonNull(update.apply((T) s.value), "update returned null");
            if (STATE.compareAndSet(this, s, new State(s.version + 1, next, false))) {
                signal.wakeAll();
                return Optional.of(next);
            }
        }
    }

    /** Closes the watch; true if this call did. Waiting subscribers wake and see the close. */
    public boolean close() {
        for (;;) {
            State s = state;
            if (s.closed) return false;
            if (STATE.compareAndSet(this, s, new State(s.version, s.value, true))) break;      // I2
        }
        signal.wakeAll();
        return true;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return state.closed;
    }

    /** A subscriber that has seen the current value: its first {@code changed} waits for a send. */
    public Subscriber<T> subscribe() {
        return new Subscriber<>(this, state.version);
    }

    /**
     * Names this watch for reports: {@code toString()} and the diagnostics that print it. Returns
     * this watch, so a field can be named where it is created:
     * {@code private final Watch<Config> config = new Watch<>(initial).named("config");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this watch already has another name
     */
    public Watch<T> named(String name) {
        return Names.name(this, name);
    }

    /** This watch's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    @Override
    public String toString() {
        State s = state;
        return Names.label(this) + "[version=" + s.version + ", value=" + s.value + (s.closed ? ", closed]" : "]");
    }

    /**
     * One observer of a {@link Watch}, remembering the last version it has seen. A subscriber
     * belongs to one thread at a time; different subscribers may be used concurrently.
     *
     * <p><b>Memory effects:</b> those of {@link Watch}.
     *
     * @param <T> the value type
     */
    public static final class Subscriber<T> {
        private final Watch<T> owner;
        private long seen;                      // I3; owner thread only

        Subscriber(Watch<T> owner, long seen) {
            this.owner = owner;
            this.seen = seen;
        }

        /** The current value, without marking it seen (tokio's {@code borrow}). */
        public T get() {
            return owner.get();
        }

        /** The current value, marking it seen (tokio's {@code borrow_and_update}). */
        @SuppressWarnings("unchecked")
        public T getAndMarkSeen() {
            State s = owner.state;
            seen = s.version;
            return (T) s.value;
        }

        /** Whether a value newer than the last one seen is there now. */
        public boolean hasChanged() {
            return owner.state.version != seen;
        }

        /** The version of the last value this subscriber has seen. */
        public long seenVersion() {
            return seen;
        }

        /**
         * Waits until there is a value newer than the last one seen, marks it seen and returns
         * it. A change not yet seen is returned at once, even after close.
         *
         * @throws ChannelClosedException if the watch is closed and nothing newer is there
         * @throws InterruptedException   if interrupted while waiting; nothing was marked seen
         */
        public T changed() throws InterruptedException {
            if (Thread.interrupted()) throw new InterruptedException();
            RecvResult<T> r = changedUntil(Deadline.NONE);
            if (r instanceof RecvResult.Closed) throw new ChannelClosedException(null);
            return r.get();
        }

        /**
         * As {@link #changed()}, waiting at most {@code timeout} (zero or negative: do not
         * wait): {@link RecvResult.Received} with the new value, {@link RecvResult.TimedOut} or
         * {@link RecvResult.Closed}.
         *
         * @throws InterruptedException if interrupted while waiting; nothing was marked seen
         */
        public RecvResult<T> changed(Duration timeout) throws InterruptedException {
            long deadline = Deadline.after(timeout);
            if (Thread.interrupted()) throw new InterruptedException();
            return changedUntil(deadline);
        }

        @SuppressWarnings("unchecked")
        private RecvResult<T> changedUntil(long deadline) throws InterruptedException {
            Watch<T> w = owner;
            long mine = seen;
            int r = w.signal.await(() -> {
                State s = w.state;
                return s.version != mine || s.closed;
            }, deadline, true);
            if (r == WaitOutcome.INTERRUPTED) throw new InterruptedException();
            State s = w.state;
            if (s.version != mine) {                    // a change wins over the close
                seen = s.version;
                return new RecvResult.Received<>((T) s.value);
            }
            return s.closed ? new RecvResult.Closed<>() : new RecvResult.TimedOut<>();
        }

        @Override
        public String toString() {
            return "Watch.Subscriber[seen=" + seen + ", current=" + owner.version() + "]";
        }
    }
}
