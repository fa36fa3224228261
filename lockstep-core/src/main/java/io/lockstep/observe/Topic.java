package io.lockstep.observe;

import io.lockstep.internal.Deadline;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;

/**
 * Publish/subscribe for events: every subscriber gets every event published while it is
 * subscribed, in order, through a bounded buffer of its own, so that a slow subscriber never
 * blocks the others. Thread-safe throughout: publish from any threads, subscribe and
 * unsubscribe at any time (also from inside a callback, also while a delivery is running).
 *
 * <pre>{@code
 * // Before: listeners in a CopyOnWriteArrayList, called in the publisher's thread; one slow
 * // listener delays every other, and one that throws breaks the loop
 * // After
 * Topic<Trade> trades = new Topic<>((subscription, error) -> log.warn("listener failed", error));
 * Subscription ui = trades.subscribe(screen::show,                         // latest trades only
 *         SubscriberOptions.defaults().capacity(64).overflow(Overflow.DROP_OLDEST));
 * Subscription audit = trades.subscribe(journal::append);                 // misses nothing: the
 *                                                                         // publisher waits for room
 * trades.publish(trade);                                                  // returns once buffered
 * ...
 * trades.close();              // each subscriber gets what was published, then onComplete
 * }</pre>
 *
 * <p><b>Per subscriber</b> ({@link SubscriberOptions}): a buffer of {@code capacity} events, an
 * {@link Overflow} policy for a full buffer ({@code DROP_OLDEST}, {@code DROP_NEWEST},
 * {@code BLOCK_PUBLISHER}, {@code FAIL_SUBSCRIBER}), and synchronous or {@link
 * java.util.concurrent.Executor} dispatch. The callbacks of one subscriber never overlap and
 * see the events of each publishing thread in publication order (two threads publishing at
 * once may be seen interleaved differently by different subscribers). Callbacks never run
 * while the topic holds a lock, and never nested inside another callback on the same thread.
 *
 * <p><b>Failures are isolated and reported, never lost:</b> an exception from a subscriber's
 * callback goes to the topic's error handler (by default the current thread's uncaught
 * exception handler) and that subscriber goes on with the next event; no other subscriber
 * notices. An error handler that throws is reported to the uncaught exception handler.
 *
 * <p><b>Flow:</b> {@link #asPublisher()} is a {@link Flow.Publisher} view that follows the
 * Reactive Streams rules (demand, cancellation, {@code request(n <= 0)} signalled as
 * {@code onError}); it passes the Reactive Streams TCK. A Flow subscriber's callback that
 * throws is reported and its subscription cancelled (rule 2.13).
 *
 * <p><b>Memory effects:</b> actions of a thread before {@link #publish} happen-before the
 * subscriber's callback for that event; actions before {@link #close()} happen-before
 * {@code onComplete}.
 *
 * @param <T> the event type; events are never null
 */
public final class Topic<T> {
    /*
     * Implementation notes.
     *
     * The subscriber set is one immutable State (the feeds array and the closed flag) replaced
     * by CAS, so publish reads it with one volatile load and never locks the topic; subscribe,
     * unsubscribe and close are copy-on-write (they are rare next to publish). A feed removed
     * while a publish iterates an older array may still be offered the event: the feed is
     * sealed first, so it refuses it.
     *
     * Publishing is two passes: every feed is offered the event without waiting, and only then
     * does the publisher wait (BLOCK_PUBLISHER) for the feeds that were full; so the subscribers
     * with room get the event before the publisher waits for a slow one. Everything about one
     * subscriber (buffer, overflow, parking, the drain loop) is in Feed; see its notes.
     *
     * Based on: SubmissionPublisher's per-subscriber buffers and drain tasks; RxJava's
     * work-in-progress drain loop. Unlike SubmissionPublisher, publishers take no topic-wide
     * lock (each feed has its own), and the overflow policy belongs to the subscriber.
     */
    private record State(Feed<?>[] feeds, boolean closed, Throwable cause) {}

    private static final Feed<?>[] NONE = new Feed<?>[0];
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Topic.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BiConsumer<? super Subscription, ? super Throwable> errorHandler;
    @SuppressWarnings("unused")                           // through STATE
    private volatile State state = new State(NONE, false, null);

    /** A topic whose subscribers' failures go to the uncaught exception handler of the thread where they happen. */
    public Topic() {
        this((s, e) -> uncaught(e));
    }

    /**
     * A topic whose subscribers' failures go to {@code errorHandler}, with the subscription
     * whose callback threw. It runs on the thread of the failed callback.
     */
    public Topic(BiConsumer<? super Subscription, ? super Throwable> errorHandler) {
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    // ---------------------------------------------------------------- subscribe

    /** Subscribes {@code observer} with {@link SubscriberOptions#defaults()}. */
    public Subscription subscribe(Observer<? super T> observer) {
        return subscribe(observer, SubscriberOptions.defaults());
    }

    /**
     * Subscribes {@code observer}: it gets every event published from now on (until it is
     * cancelled), then {@code onComplete} or {@code onError} when the topic is closed. On a
     * closed topic it gets the end at once. The same observer may be subscribed more than once.
     */
    public Subscription subscribe(Observer<? super T> observer, SubscriberOptions options) {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(options, "options");
        return add(new Feed<T>(this, new ObserverAdapter<>(observer), false, options));
    }

    /** A {@link Flow.Publisher} view with {@link SubscriberOptions#defaults()} for each subscriber. */
    public Flow.Publisher<T> asPublisher() {
        return asPublisher(SubscriberOptions.defaults());
    }

    /**
     * A {@link Flow.Publisher} view: each {@code subscribe} adds a subscriber with
     * {@code options}, which receives events only as it requests them; until then they wait in
     * its buffer, and a full buffer applies {@code options.overflow()} ({@code BLOCK_PUBLISHER}
     * is the back-pressure Flow users expect).
     */
    public Flow.Publisher<T> asPublisher(SubscriberOptions options) {
        Objects.requireNonNull(options, "options");
        return subscriber -> add(new Feed<T>(this, Objects.requireNonNull(subscriber, "subscriber"), true, options));
    }

    private Feed<T> add(Feed<T> feed) {
        for (;;) {
            State s = state;
            if (s.closed) {
                feed.seal(s.cause, false);     // onSubscribe (Flow), then the end
                return feed;
            }
            Feed<?>[] next = Arrays.copyOf(s.feeds, s.feeds.length + 1);
            next[s.feeds.length] = feed;
            if (STATE.compareAndSet(this, s, new State(next, false, null))) {
                if (feed.isFlow()) feed.signal();   // delivers onSubscribe
                return feed;
            }
        }
    }

    /** Takes {@code feed} out of the subscriber set, if it is there. */
    void remove(Feed<?> feed) {
        for (;;) {
            State s = state;
            Feed<?>[] feeds = s.feeds;
            int i = 0;
            while (i < feeds.length && feeds[i] != feed) i++;
            if (i == feeds.length) return;
            Feed<?>[] next = new Feed<?>[feeds.length - 1];
            System.arraycopy(feeds, 0, next, 0, i);
            System.arraycopy(feeds, i + 1, next, i, feeds.length - i - 1);
            if (STATE.compareAndSet(this, s, new State(next, s.closed, s.cause))) return;
        }
    }

    // ---------------------------------------------------------------- publish

    /**
     * Publishes {@code event} to every current subscriber, waiting as long as a
     * {@link Overflow#BLOCK_PUBLISHER} subscriber's buffer stays full (uninterruptibly, as
     * {@code SubmissionPublisher.submit}; an interrupt is kept for the caller). The other
     * subscribers get the event before this waits.
     *
     * @return how many subscribers buffered the event (dropped ones are not counted)
     * @throws IllegalStateException if the topic is closed, or if this thread would wait for a
     *                               buffer only it can drain (a subscriber publishing into its
     *                               own full buffer from its callback)
     */
    public int publish(T event) {
        return publish(event, Deadline.NONE);
    }

    /**
     * As {@link #publish(Object)}, but a {@code BLOCK_PUBLISHER} subscriber whose buffer is still
     * full {@code timeout} after the call began (zero or negative: at once) misses the event,
     * which counts in its {@link Subscription#dropped()}. One deadline covers all subscribers.
     */
    public int publish(T event, Duration timeout) {
        return publish(event, Deadline.after(timeout));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private int publish(T event, long deadline) {
        Objects.requireNonNull(event, "event");
        State s = state;
        if (s.closed) throw new IllegalStateException("topic closed");
        Feed<?>[] feeds = s.feeds;
        int delivered = 0, full = 0;
        Feed<T>[] waitFor = null;
        for (Feed<?> f : feeds) {
            switch (((Feed<T>) f).tryOffer(event)) {
                case Feed.ENQUEUED -> delivered++;
                case Feed.FULL -> {
                    if (waitFor == null) waitFor = new Feed[feeds.length];
                    waitFor[full++] = (Feed<T>) f;
                }
                default -> { }
            }
        }
        for (int i = 0; i < full; i++) {
            if (waitFor[i].offer(event, deadline)) delivered++;
        }
        return delivered;
    }

    // ---------------------------------------------------------------- close

    /**
     * Closes the topic: publishing fails from now on, and each subscriber gets the events
     * already buffered for it, then {@code onComplete}. Publishers waiting for room give up.
     * Does not wait for the deliveries.
     *
     * @return true if this call closed the topic
     */
    public boolean close() {
        return terminate(null);
    }

    /** As {@link #close()}, but each subscriber ends with {@code onError(cause)}. */
    public boolean closeExceptionally(Throwable cause) {
        return terminate(Objects.requireNonNull(cause, "cause"));
    }

    private boolean terminate(Throwable cause) {
        State s;
        do {
            s = state;
            if (s.closed) return false;
        } while (!STATE.compareAndSet(this, s, new State(NONE, true, cause)));
        for (Feed<?> f : s.feeds) f.seal(cause, false);
        return true;
    }

    /** Whether {@link #close()} or {@link #closeExceptionally} was called. */
    public boolean isClosed() {
        return state.closed;
    }

    /** Subscribers now subscribed (those cancelled, failed or ended are gone). */
    public int subscriberCount() {
        return state.feeds.length;
    }

    // ---------------------------------------------------------------- errors

    /** Hands a subscriber's failure to the error handler; never throws. */
    void report(Subscription subscription, Throwable error) {
        try {
            errorHandler.accept(subscription, error);
        } catch (Throwable handlerFailed) {
            if (handlerFailed != error) handlerFailed.addSuppressed(error);
            uncaught(handlerFailed);
        }
    }

    private static void uncaught(Throwable e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }

    @Override
    public String toString() {
        State s = state;
        return "Topic[" + (s.closed ? "closed" : "open") + ", subscribers=" + s.feeds.length + "]";
    }

    /** An {@link Observer} seen as a Flow subscriber with unbounded demand. */
    private record ObserverAdapter<T>(Observer<? super T> observer) implements Flow.Subscriber<T> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {}

        @Override
        public void onNext(T item) {
            observer.onEvent(item);
        }

        @Override
        public void onError(Throwable throwable) {
            observer.onError(throwable);
        }

        @Override
        public void onComplete() {
            observer.onComplete();
        }
    }
}
