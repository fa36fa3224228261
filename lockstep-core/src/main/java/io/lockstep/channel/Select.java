package io.lockstep.channel;

import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.flavors.Flavor;
import io.lockstep.channel.waiting.Operation;
import io.lockstep.channel.flavors.Outcome;
import io.lockstep.channel.waiting.Selected;
import io.lockstep.channel.flavors.Token;
import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.internal.WaitOutcome;
import io.lockstep.internal.jfr.ChannelWaitEvent;
import io.lockstep.internal.jfr.Jfr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Waits for the first of several channel operations to become possible and performs exactly
 * that one, as Go's {@code select} and crossbeam's {@code select!}.
 *
 * <pre>{@code
 * String what = new Select<String>()
 *         .recv(orders, order -> "order " + order)
 *         .recv(cancels, id -> "cancel " + id, () -> "cancels closed")
 *         .send(audit, event, () -> "audited")
 *         .select(Duration.ofMillis(100), () -> "idle");
 * }</pre>
 *
 * <p>Cases: {@link #recv recv} and {@link #send send} over any channels or their
 * {@link Channel#split() handles} (a closed handle is refused with {@link IllegalStateException}
 * when the case is added), including the same channel more than once, receive cases on {@link Oneshot}s, and cases that wait for a
 * {@link CompletableFuture} ({@link #await await}); a timeout
 * ({@link #select(Duration, Supplier)}) or a default
 * ({@link #trySelect}); timer channels from {@link Channels} work as receive cases. When several
 * cases are ready, one is chosen uniformly at random (fair), or the first in order after
 * {@link #biased()}. A ready case always wins over the default and the timeout. A closed channel
 * makes its case ready: a receive case then runs its {@code onClosed} handler (or throws
 * {@link ChannelClosedException}), a send case hands its message back the same way. A send and
 * a receive on the same rendezvous channel in one select never pair with each other. However
 * the select ends (by a case, timeout, default or interrupt) it leaves no registration behind.
 *
 * <p>A {@code Select} is a reusable description: each {@code select} call runs it afresh. It is
 * not thread-safe to add cases while another thread selects.
 *
 * <p><b>Memory effects:</b> those of the operation that was performed.
 *
 * @param <R> the result type of the handlers
 */
public final class Select<R> {
    /*
     * Implementation notes.
     *
     * Based on: crossbeam-channel's select.rs (run_select). Each round:
     *   1. Try every case in order (a fresh random permutation when fair): the first flavor
     *      whose trySend/tryRecv succeeds wins. Uniform permutation => uniform choice among
     *      the ready cases.
     *   2. Default, or a deadline already past: return without waiting.
     *   3. Register one Context with every case (the Operation per case identifies it); if a
     *      case is found ready after registering, abort at once. Park until a partner selects
     *      one of our operations, a channel closes, or the deadline (or a timer case) is due.
     *   4. Unregister every case (always, so nothing is left behind), then, if selected by an
     *      operation, accept it (a rendezvous partner has committed; a buffered flavor just
     *      tries again) and, failing that, start over.
     * The handler runs after the operation completed, outside any lock.
     * Allocation: a select that finds a case ready allocates nothing but what its handler does:
     *   the order of up to 16 cases is packed in a long (4 bits a case), the try uses the
     *   flavors' allocation-free trySend/tryRecv, and the Operations, Context and Token exist
     *   only once it has to wait.
     * Tried and rejected: Go's lock-all-channels select. It needs a lock per channel and a
     * global lock order; the context selection gives the same exactly-once outcome lock-free.
     */
    private record Case(Flavor<Object> flavor, boolean send, Object message,
                        Function<Object, Object> onValue, Supplier<Object> onSent,
                        Function<Object, Object> onClosed) {}

    /** What attempt/complete return for a case that cannot proceed; never a handler's result. */
    private static final Object NOT_DONE = new Object();

    private final List<Case> cases = new ArrayList<>();
    private boolean biased;

    /** An empty select; add cases with {@link #recv} and {@link #send}. */
    public Select() {}

    /** A receive case; if the channel is closed and drained, the select throws {@link ChannelClosedException}. */
    public <T> Select<R> recv(Receiver<T> from, Function<? super T, ? extends R> onValue) {
        return recv(from, onValue, () -> {
            throw new ChannelClosedException(null);
        });
    }

    /** A receive case with a handler for a closed, drained channel. */
    @SuppressWarnings("unchecked")
    public <T> Select<R> recv(Receiver<T> from, Function<? super T, ? extends R> onValue,
                              Supplier<? extends R> onClosed) {
        Objects.requireNonNull(onValue, "onValue");
        Objects.requireNonNull(onClosed, "onClosed");
        cases.add(new Case(flavor(from), false, null, (Function<Object, Object>) onValue,
                null, m -> onClosed.get()));
        return this;
    }

    /**
     * A case that waits for {@code from}'s value; if it is closed without one, the select throws
     * {@link ChannelClosedException}. A oneshot that holds its value stays ready: the value is
     * not consumed.
     */
    public <T> Select<R> recv(Oneshot<T> from, Function<? super T, ? extends R> onValue) {
        return recv(from, onValue, () -> {
            throw new ChannelClosedException(null);
        });
    }

    /** A case that waits for {@code from}'s value, with a handler for a oneshot closed without one. */
    @SuppressWarnings("unchecked")
    public <T> Select<R> recv(Oneshot<T> from, Function<? super T, ? extends R> onValue,
                              Supplier<? extends R> onClosed) {
        Objects.requireNonNull(from, "oneshot");
        Objects.requireNonNull(onValue, "onValue");
        Objects.requireNonNull(onClosed, "onClosed");
        cases.add(new Case((Flavor<Object>) (Flavor<?>) from.flavor, false, null,
                (Function<Object, Object>) onValue, null, m -> onClosed.get()));
        return this;
    }

    /**
     * A case that waits for {@code future} to complete: {@code onValue} gets its value; if it
     * fails or is cancelled, the select throws {@link CompletionException} with the cause.
     */
    public <T> Select<R> await(CompletableFuture<? extends T> future, Function<? super T, ? extends R> onValue) {
        return await(future, onValue, e -> {
            throw e instanceof CancellationException c ? c : new CompletionException(e);
        });
    }

    /**
     * A case that waits for {@code future} to complete, next to channel cases (no peer has
     * this): {@code onValue} gets its value (possibly null), {@code onFailure} its exception
     * (unwrapped from {@link CompletionException}; a {@link CancellationException} if it was
     * cancelled). Like a {@link Oneshot} case, a completed future stays ready: its value is not
     * consumed.
     *
     * <pre>{@code
     * CompletableFuture<Quote> quote = pricing.quoteAsync(order);
     * String what = new Select<String>()
     *         .recv(cancels, id -> { quote.cancel(false); return "cancelled " + id; })   // the loser is cancelled
     *         .await(quote, q -> "quoted " + q, e -> "no quote: " + e)
     *         .select(Duration.ofSeconds(1), () -> "too slow");
     * }</pre>
     *
     * <p>Cancel-safe: however the select ends (another case, timeout, interrupt), the future is
     * left as it was and nothing stays registered with it beyond one completion callback per
     * case, added when the case is added (a reused select adds no more). Cancelling the future
     * is the caller's choice, as above.
     */
    public <T> Select<R> await(CompletableFuture<? extends T> future, Function<? super T, ? extends R> onValue,
                               Function<? super Throwable, ? extends R> onFailure) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(onValue, "onValue");
        Objects.requireNonNull(onFailure, "onFailure");
        // A oneshot carries the outcome, so the case reuses the oneshot case's registration
        // (removed on every exit) and the future sees no more than this one callback.
        Oneshot<Settled<T>> settled = new Oneshot<>();
        future.whenComplete((v, e) -> settled.trySend(new Settled<>(v, e)));
        return recv(settled, s -> s.failure == null ? onValue.apply(s.value) : onFailure.apply(unwrap(s.failure)));
    }

    /** How a future completed: its value or its failure. */
    private record Settled<T>(T value, Throwable failure) {}

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** A send case; if the channel is closed, the select throws {@link ChannelClosedException} holding {@code message}. */
    public <T> Select<R> send(Sender<T> to, T message, Supplier<? extends R> onSent) {
        return send(to, message, onSent, m -> {
            throw new ChannelClosedException(m);
        });
    }

    /** A send case with a handler that gets the message back if the channel is closed. */
    @SuppressWarnings("unchecked")
    public <T> Select<R> send(Sender<T> to, T message, Supplier<? extends R> onSent,
                              Function<? super T, ? extends R> onClosed) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(onSent, "onSent");
        Objects.requireNonNull(onClosed, "onClosed");
        cases.add(new Case(flavor(to), true, message, null, (Supplier<Object>) onSent,
                (Function<Object, Object>) onClosed));
        return this;
    }

    /** Prefers cases in the order they were added instead of choosing at random. */
    public Select<R> biased() {
        biased = true;
        return this;
    }

    /**
     * Waits until a case can proceed, performs it and returns its handler's result.
     *
     * @throws IllegalStateException if there are no cases (it would wait forever)
     * @throws InterruptedException  if interrupted while waiting; no case was performed
     */
    public R select() throws InterruptedException {
        if (cases.isEmpty()) throw new IllegalStateException("a select with no cases would wait forever");
        return run(Deadline.NONE, null);
    }

    /**
     * As {@link #select()}, but after {@code timeout} (zero or negative: no wait) returns
     * {@code onTimeout}'s result instead.
     */
    public R select(Duration timeout, Supplier<? extends R> onTimeout) throws InterruptedException {
        Objects.requireNonNull(onTimeout, "onTimeout");
        return run(Deadline.after(timeout), onTimeout);
    }

    /** Performs a case that can proceed now, or returns {@code orElse}'s result (Go's {@code default}). */
    public R trySelect(Supplier<? extends R> orElse) {
        Objects.requireNonNull(orElse, "orElse");
        int n = cases.size();
        long packed = n <= PACKED_MAX ? packedOrder(n) : 0;
        int[] order = n <= PACKED_MAX ? null : order(n);
        for (int k = 0; k < n; k++) {
            Object r = attempt(cases.get(at(packed, order, k)));
            if (r != NOT_DONE) return result(r);
        }
        return orElse.get();
    }

    /** The flavor under a channel or a handle (checked open: a closed handle cannot be a case). */
    @SuppressWarnings("unchecked")
    private static Flavor<Object> flavor(Object channel) {
        Objects.requireNonNull(channel, "channel");
        Channel<?> c = channel instanceof Channel<?> plain ? plain
                : channel instanceof SenderHandle<?> tx ? tx.channel() : ((ReceiverHandle<?>) channel).channel();
        return (Flavor<Object>) c.flavor;
    }

    private R run(long deadline, Supplier<? extends R> onTimeout) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        int n = cases.size();
        Operation[] ops = null;                                            // the first wait makes them
        for (;;) {
            long packed = n <= PACKED_MAX ? packedOrder(n) : 0;
            int[] order = n <= PACKED_MAX ? null : order(n);
            for (int k = 0; k < n; k++) {                                  // 1. try
                Object r = attempt(cases.get(at(packed, order, k)));
                if (r != NOT_DONE) return result(r);
            }
            if (Deadline.expired(deadline)) return onTimeout.get();       // 2. timeout
            if (ops == null) ops = new Operation[n];
            Context cx = null;                                             // 3. register
            long wake = deadline;
            int registered = 0;
            for (int k = 0; k < n; k++) {
                int i = at(packed, order, k);
                Case c = cases.get(i);
                if (cx == null) cx = ops[i] = Operation.waiting(c.message);   // the first case is the wait
                else ops[i] = new Operation(c.message);
                registered++;
                if (c.flavor.registerReady(c.send, ops[i], cx)) {
                    cx.trySelect(Selected.ABORTED);
                    break;
                }
                if (!c.send) wake = Math.min(wake, c.flavor.readyAt());
            }
            if (cx == null) cx = new Context();                            // no cases: a timed sleep
            ChannelWaitEvent e = Jfr.channelWait();                 // null unless JFR records it
            Object sel = cx.await(this, wake, true, false);   // no virtual-thread spin: Context's notes
            if (e != null) {
                e.end(this, "select", sel == Selected.INTERRUPTED ? WaitOutcome.INTERRUPTED
                        : sel == Selected.TIMED_OUT ? WaitOutcome.TIMED_OUT : WaitOutcome.DONE);
            }
            Case selected = null;
            for (int k = 0; k < registered; k++) {                         // 4. unregister all
                int i = at(packed, order, k);
                if (ops[i] == sel) selected = cases.get(i);
                else cases.get(i).flavor.unregister(cases.get(i).send, ops[i]);
            }
            if (sel == Selected.INTERRUPTED) throw new InterruptedException();
            Token token;
            if (selected != null && selected.flavor.accept(selected.send, token = new Token(), (Operation) sel)) {
                Object r = complete(selected, token);
                if (r != NOT_DONE) return result(r);
            }
        }
    }

    /** Selects with up to this many cases keep their order in one long (4 bits a case). */
    private static final int PACKED_MAX = 16;
    private static final long IDENTITY = 0xFEDCBA9876543210L;

    /** The case at position {@code k} of a round's order: {@code packed}, or {@code order} if not null. */
    private static int at(long packed, int[] order, int k) {
        return order != null ? order[k] : (int) (packed >>> (k << 2)) & 0xF;
    }

    /** A round's order of {@code n <= 16} cases, packed: a uniform random permutation unless biased. */
    private long packedOrder(int n) {
        long order = IDENTITY;
        if (biased) return order;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = n - 1; i > 0; i--) {                                  // Fisher-Yates
            int j = random.nextInt(i + 1), si = i << 2, sj = j << 2;
            long a = (order >>> si) & 0xF, b = (order >>> sj) & 0xF;
            order = order & ~(0xFL << si) & ~(0xFL << sj) | b << si | a << sj;
        }
        return order;
    }

    /** A round's order of any number of cases, as an array (more than 16 cases). */
    private int[] order(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (!biased) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = n - 1; i > 0; i--) {                              // Fisher-Yates
                int j = random.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /**
     * Performs {@code c} if it can proceed now: the handler's result, or NOT_DONE. The flavors'
     * one-step trySend/tryRecv (reserve and complete) allocate no Token.
     */
    private static Object attempt(Case c) {
        if (c.send) {
            Outcome o = c.flavor.trySend(c.message);
            if (o == Outcome.FULL) return NOT_DONE;
            return o == Outcome.SENT ? c.onSent.get() : c.onClosed.apply(c.message);
        }
        Object m = c.flavor.tryRecv();
        if (m == Outcome.EMPTY) return NOT_DONE;
        return m == Outcome.CLOSED ? c.onClosed.apply(null) : c.onValue.apply(m);
    }

    /**
     * Completes a reserved case: the handler's result, or NOT_DONE if the reserved message was
     * removed through the queue view and nothing else was buffered.
     */
    private static Object complete(Case c, Token token) {
        if (c.send) return c.flavor.write(token, c.message) ? c.onSent.get() : c.onClosed.apply(c.message);
        Object m = c.flavor.read(token);
        if (m == Outcome.EMPTY) return NOT_DONE;
        return m == Outcome.CLOSED ? c.onClosed.apply(null) : c.onValue.apply(m);
    }

    @SuppressWarnings("unchecked")
    private R result(Object r) {
        return (R) r;
    }

    /** The cases, as {@code Select[recv Channel "jobs", send Channel "results"]}: a waiting thread's park blocker. */
    /**
     * Names this select for reports: {@code toString()} and the diagnostics that print it. Returns
     * this select, so a field can be named where it is created:
     * {@code Select<String> select = new Select<String>().named("dispatch");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this select already has another name
     */
    public Select<R> named(String name) {
        return Names.name(this, name);
    }

    /** This select's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Names.label(this)).append('[');
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            sb.append(i == 0 ? "" : ", ").append(c.send ? "send " : "recv ").append(Names.describe(c.flavor.owner()));
        }
        return sb.append(']').toString();
    }
}
