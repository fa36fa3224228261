package io.lockstep.channel;

import io.lockstep.internal.Names;
import io.lockstep.channel.flavors.OneshotFlavor;
import io.lockstep.channel.flavors.Outcome;
import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A single value, sent once and seen by everyone who waits for it: a promise you can block on,
 * check without waiting, turn into a {@link CompletableFuture}, or wait on in a {@link Select} next to channels.
 * The producer may instead {@link #close()} it without a value; waiters then learn that nothing
 * will come (tokio's {@code oneshot} with a dropped sender), never a silent null.
 *
 * <pre>{@code
 * // Before: a CompletableFuture cannot sit in a select with channels
 * CompletableFuture<Config> config = new CompletableFuture<>();
 *
 * // After
 * Oneshot<Config> config = new Oneshot<>();
 * loader.start(() -> config.trySend(load()));        // or config.close() if loading fails
 * String next = new Select<String>()
 *         .recv(config, c -> "configured " + c.name(), () -> "no config")
 *         .recv(commands, cmd -> "command " + cmd)
 *         .select();
 * Config c = config.recv();                           // the same value, for every caller
 * }</pre>
 *
 * <p>Unlike a channel, receiving does not consume: {@link #recv()}, {@link #tryRecv()},
 * {@link #recvAsync()} and a select case all see the one value, any number of times and from
 * any number of threads. A second {@link #trySend} fails and hands its value back.
 *
 * <p><b>Memory effects:</b> actions in a thread before a successful {@link #trySend} happen-before
 * the actions after any receive that returns the value. Actions before {@link #close()}
 * happen-before a receive that reports it closed.
 *
 * @param <T> the value type
 */
public final class Oneshot<T> {
    /*
     * Implementation notes.
     *
     * A thin wrapper over OneshotFlavor (see its notes for the state and the wake-up protocol):
     * the blocking waits are Flavor's shared receive loop, so they park on a Context
     * (LockSupport) like every channel wait, and Select accepts a Oneshot as a receive case
     * through the same Flavor hooks. recvAsync needs no thread: it depends on one shared
     * future that the settler completes, iteratively (OneshotFlavor's I3); a settled oneshot
     * hands out a completed future, which runs no stage of anybody else's.
     * Tried and rejected: a Oneshot that is also a Receiver. Receiver's iteration and
     * "closed and drained" semantics describe a consuming queue, not a promise.
     */
    private static final RecvResult<?> EMPTY = new RecvResult.Empty<>();
    private static final RecvResult<?> TIMED_OUT = new RecvResult.TimedOut<>();
    private static final RecvResult<?> CLOSED = new RecvResult.Closed<>();
    private static final SendResult<?> SENT = new SendResult.Sent<>();

    final OneshotFlavor<T> flavor = new OneshotFlavor<>();

    /** A oneshot with no value yet. */
    public Oneshot() {
        flavor.owner(this);                            // the waiters' park blocker
    }

    /** A oneshot that already holds {@code value}. */
    public static <T> Oneshot<T> of(T value) {
        Oneshot<T> o = new Oneshot<>();
        o.trySend(value);
        return o;
    }

    /**
     * Sets the value and wakes every waiter. Never waits: it settles the oneshot at once or is
     * refused.
     *
     * @return {@link SendResult.Sent}, or {@link SendResult.Closed} holding {@code value} if a
     *         value was already sent or the oneshot was closed
     */
    @SuppressWarnings("unchecked")
    public SendResult<T> trySend(T value) {
        Objects.requireNonNull(value, "value");
        return flavor.trySend(value) == Outcome.SENT ? (SendResult<T>) SENT : new SendResult.Closed<>(value);
    }

    /** Closes without a value, waking every waiter; true if this call did (false if already settled). */
    public boolean close() {
        return flavor.close();
    }

    /** Whether a value was sent or the oneshot was closed: waits no longer block. */
    public boolean isDone() {
        return flavor.isClosed();
    }

    /** The value if it is there: {@link RecvResult.Received}, {@link RecvResult.Empty} or {@link RecvResult.Closed}. */
    public RecvResult<T> tryRecv() {
        return result(flavor.tryRecv());
    }

    /**
     * Waits for the value.
     *
     * @throws ChannelClosedException if the oneshot was closed without a value
     * @throws InterruptedException   if interrupted while waiting
     */
    @SuppressWarnings("unchecked")
    public T recv() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        Object m = flavor.recv(Deadline.NONE, true);
        if (m == Outcome.INTERRUPTED) throw new InterruptedException();
        if (m == Outcome.CLOSED) throw new ChannelClosedException(null);
        return (T) m;
    }

    /**
     * Waits at most {@code timeout} (zero or negative: do not wait): {@link RecvResult.Received},
     * {@link RecvResult.TimedOut} or {@link RecvResult.Closed}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public RecvResult<T> recv(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (Thread.interrupted()) throw new InterruptedException();
        Object m = flavor.recv(deadline, true);
        if (m == Outcome.INTERRUPTED) throw new InterruptedException();
        return result(m);
    }

    /**
     * The value as a future: completes with the value, or exceptionally with
     * {@link ChannelClosedException} if the oneshot is closed without one. Each call returns a
     * new future; cancelling it affects no other caller and loses nothing (the value stays in
     * the oneshot). Needs no thread while pending.
     *
     * <p><b>Which thread runs dependent stages:</b> if the oneshot is already settled, the
     * future is returned completed (stages attached to it run in the thread that attaches
     * them, as for any completed future); otherwise the thread that calls {@link #trySend} or
     * {@link #close()}, before that call returns. If that thread is itself running a stage of
     * such a future (a callback that settles the next oneshot of a chain), the new stages run
     * right after the current one returns, in a loop rather than nested, so chains of any
     * length keep a flat stack; such a stage must not block waiting for a future that it has
     * just settled. A stage that throws completes its own dependent future exceptionally and
     * affects no other.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<T> recvAsync() {
        Object now = flavor.tryRecv();
        if (now == Outcome.CLOSED) return CompletableFuture.failedFuture(new ChannelClosedException(null));
        if (now != Outcome.EMPTY) return CompletableFuture.completedFuture((T) now);
        CompletableFuture<T> out = new CompletableFuture<>();
        flavor.future().whenComplete((v, e) -> {
            if (v == Outcome.CLOSED) out.completeExceptionally(new ChannelClosedException(null));
            else out.complete((T) v);
        });
        return out;
    }

    /**
     * A oneshot settled by {@code future}: it gets the future's value, or is closed if the
     * future fails, is cancelled or completes with null (a oneshot holds no null). Cancellation
     * also goes the other way: closing the oneshot before the future completes cancels the
     * future. Each side settles exactly once; if the future completes at the very moment the
     * oneshot is closed, each keeps its own outcome (the future is not this library's to
     * intercept; {@link #toFuture()}'s future is, and never disagrees with its oneshot).
     *
     * <pre>{@code
     * Oneshot<Config> config = Oneshot.from(http.fetchAsync(url));  // now it can sit in a Select
     * config.close();                                                // gives up: cancels the fetch
     * }</pre>
     *
     * <p>The future's stages and the oneshot's waiters run in the thread that completes the
     * future (or closes the oneshot).
     */
    public static <T> Oneshot<T> from(CompletableFuture<? extends T> future) {
        Objects.requireNonNull(future, "future");
        Oneshot<T> o = new Oneshot<>();
        future.whenComplete((v, e) -> {
            if (e == null && v != null) o.trySend(v);
            else o.close();
        });
        o.flavor.future().whenComplete((v, e) -> {
            if (v == Outcome.CLOSED) future.cancel(false);    // a no-op once the future is done
        });
        return o;
    }

    /**
     * This oneshot as a future linked both ways: the future completes with the value, or
     * exceptionally with {@link ChannelClosedException} if the oneshot is closed without one;
     * and settling the future settles the oneshot: {@code cancel} (or
     * {@code completeExceptionally}, {@code orTimeout}) closes it, so the producer sees
     * {@link #isDone()} and its {@link #trySend} is refused; {@code complete(v)} sends {@code v}
     * ({@code complete(null)} throws {@link NullPointerException}: a oneshot holds no null).
     * The oneshot's own settlement is the one commit point, so the two never disagree: a
     * {@code cancel} that loses to a {@code trySend} returns false and the future gets the value.
     * (Unlike {@link #recvAsync()}, whose futures leave the oneshot alone when cancelled.)
     *
     * <pre>{@code
     * Oneshot<Report> report = new Oneshot<>();
     * worker.start(() -> { while (!report.isDone()) step(); report.trySend(result()); });
     * CompletableFuture<Report> f = report.toFuture();
     * f.cancel(false);                                  // the worker sees isDone() and stops
     * }</pre>
     *
     * <p>Which thread runs dependent stages: as for {@link #recvAsync()}; for a completion
     * through the future, the thread that completes it. {@code obtrudeValue} and
     * {@code obtrudeException} overwrite the future alone, as their contract says.
     */
    public CompletableFuture<T> toFuture() {
        Linked<T> f = new Linked<>(this);
        flavor.future().whenComplete((v, e) -> f.settled(v));
        return f;
    }

    /** The future of {@link #toFuture()}: every completion goes through the oneshot first. */
    private static final class Linked<T> extends CompletableFuture<T> {
        private final Oneshot<T> oneshot;
        /** Why this future closed the oneshot, read when the closing arrives back in settled. */
        private volatile Throwable closing;

        Linked(Oneshot<T> oneshot) {
            this.oneshot = oneshot;
        }

        @SuppressWarnings("unchecked")
        void settled(Object v) {
            if (v != Outcome.CLOSED) {
                super.complete((T) v);
                return;
            }
            Throwable c = closing;
            super.completeExceptionally(c != null ? c : new ChannelClosedException(null));
        }

        @Override
        public boolean complete(T value) {
            Objects.requireNonNull(value, "value: a oneshot holds no null");
            if (!(oneshot.trySend(value) instanceof SendResult.Sent<?>)) return false;
            super.complete(value);                          // settled may be queued behind us
            return true;
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            Objects.requireNonNull(ex, "ex");
            if (isDone()) return false;
            closing = ex;
            if (!oneshot.close()) return false;             // a value (or another close) won
            super.completeExceptionally(ex);
            return true;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            completeExceptionally(new CancellationException());
            return isCancelled();
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();               // dependents are plain futures
        }
    }

    @SuppressWarnings("unchecked")
    private RecvResult<T> result(Object m) {
        if (m == Outcome.EMPTY) return (RecvResult<T>) EMPTY;
        if (m == Outcome.TIMED_OUT) return (RecvResult<T>) TIMED_OUT;
        if (m == Outcome.CLOSED) return (RecvResult<T>) CLOSED;
        return new RecvResult.Received<>((T) m);
    }

    /** Waits registered now (for tests: an abandoned wait must leave none). */
    int registrations() {
        return flavor.registrations();
    }

    /**
     * Names this oneshot for reports: {@code toString()} and the diagnostics that print it. Returns
     * this oneshot, so a field can be named where it is created:
     * {@code private final Oneshot<Reply> reply = new Oneshot<Reply>().named("reply");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this oneshot already has another name
     */
    public Oneshot<T> named(String name) {
        return Names.name(this, name);
    }

    /** This oneshot's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    @Override
    public String toString() {
        RecvResult<T> r = tryRecv();
        return Names.label(this) + "[" + (r instanceof RecvResult.Received<T> v ? "value=" + v.value()
                : r instanceof RecvResult.Closed ? "closed" : "pending") + "]";
    }
}
