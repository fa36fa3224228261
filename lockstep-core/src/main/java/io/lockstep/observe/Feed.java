package io.lockstep.observe;

import io.lockstep.internal.Completions;
import io.lockstep.internal.Deadline;
import io.lockstep.lock.RawMutex;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscriber of a {@link Topic}: its bounded buffer, its demand and its drain loop. Both
 * the {@link Subscription} an observer gets and the {@link Flow.Subscription} a Flow
 * subscriber gets.
 */
final class Feed<T> implements Subscription, Flow.Subscription {
    /*
     * Implementation notes.
     *
     * Buffer: a ring of `capacity` slots; ring, head, count and the end-of-stream fields are
     * guarded by `lock`, a RawMutex held only for a few array stores (never across user code or
     * a park). Publishers serialize on it per subscriber, not per topic, so they do not contend
     * on one lock; the drainer takes up to BATCH events per acquisition.
     *
     * Delivery (the drain loop): `wip` counts requests for a drain; whoever moves it from 0
     * runs (synchronous) or submits (executor) drain(), which loops until it brings wip back to
     * 0. So one thread at a time delivers to a subscriber (signals are serial, in buffer
     * order), a callback that publishes or requests only bumps wip (no recursion: the loop
     * picks the work up), and wip's atomic updates give the next drainer, on whatever thread,
     * everything the previous one did. Synchronous drains go through Completions.run, the
     * library's per-thread trampoline, so a callback that makes another subscriber's drain due
     * on this thread queues it behind itself instead of nesting it.
     *
     * BLOCK_PUBLISHER: a publisher that finds the buffer full sets `publishersParked` under the
     * lock and parks on this feed in the ParkingLot, validating that the flag is still set; the
     * drainer (or cancel/seal) clears the flag under the lock after making room and then calls
     * unparkAll. The flag is read by validate under the bucket lock and cleared before
     * unparkAll takes it, so either validate sees it cleared (no sleep) or the publisher is
     * queued before unparkAll looks: no lost wake-up. Platform threads spin a bounded number of
     * rounds first (SpinWait.spinNoYield); nobody spins without bound.
     *
     * A publisher about to wait on a feed that only it can drain (it is that feed's drainer:
     * publishing from the subscriber's own callback, or with a synchronous drain queued on its
     * trampoline) would wait forever; it gets an IllegalStateException instead.
     *
     * End of stream: `sealed` refuses new events; `cause` is the terminal error (null: complete).
     * The drainer takes the terminal signal once, under the lock, only when the buffer is empty,
     * so every event buffered before the seal is delivered first (failures that must skip the
     * buffer clear it when sealing). Cancel also seals and clears, and sets the volatile
     * `cancelled`, which the drainer checks before each callback.
     */
    private static final int BATCH = 64;

    private final Topic<T> topic;
    private final Flow.Subscriber<? super T> subscriber;
    private final boolean flow;                // Flow semantics: demand, cancel on a throwing callback
    private final Overflow overflow;
    private final Executor executor;           // null: synchronous
    private final RawMutex lock = new RawMutex();
    private final Object[] ring;
    private final Object[] batch;              // the drainer's only
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong demand;

    private int head, count;                   // guarded by lock
    private boolean sealed, terminalTaken;     // guarded by lock
    private Throwable cause;                   // guarded by lock
    private long dropped;                      // guarded by lock
    private volatile boolean publishersParked; // written under lock
    private volatile boolean cancelled;
    private volatile Thread drainer;
    private boolean subscribed;                // the drainer's only: onSubscribe delivered

    Feed(Topic<T> topic, Flow.Subscriber<? super T> subscriber, boolean flow, SubscriberOptions options) {
        this.topic = topic;
        this.subscriber = subscriber;
        this.flow = flow;
        this.overflow = options.overflow();
        this.executor = options.executor();
        this.ring = new Object[options.capacity()];
        this.batch = new Object[Math.min(BATCH, options.capacity())];
        this.demand = new AtomicLong(flow ? 0 : Long.MAX_VALUE);
    }

    // ---------------------------------------------------------------- publishing side

    /** Offers without waiting. */
    static final int ENQUEUED = 0, REFUSED = 1, FULL = 2;

    /**
     * Buffers {@code event} unless the buffer is full and the policy is BLOCK_PUBLISHER, in which
     * case it returns FULL and buffers nothing.
     */
    int tryOffer(T event) {
        boolean failed = false;
        lock.lock();
        try {
            if (sealed) return REFUSED;
            if (count == ring.length) {
                switch (overflow) {
                    case BLOCK_PUBLISHER -> {
                        return FULL;
                    }
                    case DROP_NEWEST -> {
                        dropped++;
                        return REFUSED;
                    }
                    case DROP_OLDEST -> {
                        ring[head] = null;
                        head = next(head);
                        count--;
                        dropped++;
                    }
                    case FAIL_SUBSCRIBER -> {
                        sealed = true;
                        cause = new OverflowException(ring.length);
                        dropped++;
                        failed = true;
                    }
                }
            }
            if (!failed) {
                int tail = head + count;
                ring[tail >= ring.length ? tail - ring.length : tail] = event;
                count++;
            }
        } finally {
            lock.unlock();
        }
        if (failed) topic.remove(this);           // no publisher parks on a FAIL_SUBSCRIBER feed
        signal();
        return failed ? REFUSED : ENQUEUED;
    }

    /**
     * Buffers {@code event}, waiting for room until {@code deadline}; false if the deadline
     * passed or the subscriber ended first (a timeout counts as a drop).
     */
    boolean offer(T event, long deadline) {
        SpinWait spin = Thread.currentThread().isVirtual() ? null : new SpinWait();
        for (;;) {
            int r = tryOffer(event);
            if (r != FULL) return r == ENQUEUED;
            if (spin != null && spin.spinNoYield()) continue;
            boolean wait;
            lock.lock();
            try {
                wait = !sealed && count == ring.length;
                if (wait) {
                    if (drainer == Thread.currentThread()) {
                        throw new IllegalStateException("publishing to a full BLOCK_PUBLISHER subscriber from "
                                + "the thread that must drain it (its own callback) would wait forever");
                    }
                    if (Deadline.expired(deadline)) {
                        dropped++;
                        return false;
                    }
                    publishersParked = true;
                }
            } finally {
                lock.unlock();
            }
            if (wait) ParkingLot.park(this, () -> publishersParked, null, null,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadline, false);
        }
    }

    private int next(int i) {
        return i + 1 == ring.length ? 0 : i + 1;
    }

    private void wakePublishers() {
        ParkingLot.unparkAll(this);
    }

    /**
     * Ends the stream: buffered events are delivered, then {@code cause} (null: complete).
     * With {@code skipBuffered}, the buffer is discarded and the end comes next.
     */
    void seal(Throwable cause, boolean skipBuffered) {
        boolean wake;
        lock.lock();
        try {
            if (terminalTaken || cancelled) return;
            if (sealed && !skipBuffered) return;
            sealed = true;
            this.cause = cause;
            if (skipBuffered) clear();
            wake = publishersParked;
            publishersParked = false;
        } finally {
            lock.unlock();
        }
        if (wake) wakePublishers();
        signal();
    }

    /** Empties the ring; under the lock. */
    private void clear() {
        java.util.Arrays.fill(ring, null);
        head = 0;
        count = 0;
    }

    // ---------------------------------------------------------------- Subscription

    @Override
    public void cancel() {
        boolean wake;
        lock.lock();
        try {
            if (cancelled) return;
            cancelled = true;
            sealed = true;
            clear();
            wake = publishersParked;
            publishersParked = false;
        } finally {
            lock.unlock();
        }
        topic.remove(this);
        if (wake) wakePublishers();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {                                   // Reactive Streams rule 3.9
            seal(new IllegalArgumentException("request(" + n + "): Reactive Streams rule 3.9 requires n > 0"), true);
            topic.remove(this);
            return;
        }
        if (!flow) return;                              // an observer's demand is unbounded
        long d, nd;
        do {
            d = demand.get();
            if (d == Long.MAX_VALUE) return;
            nd = d + n < 0 ? Long.MAX_VALUE : d + n;    // rule 3.17: saturate
        } while (!demand.compareAndSet(d, nd));
        signal();
    }

    @Override
    public boolean isActive() {
        lock.lock();
        try {
            return !cancelled && !terminalTaken;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int pending() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Whether this is a Flow subscriber (demand, onSubscribe) rather than an Observer. */
    boolean isFlow() {
        return flow;
    }

    /** Publishers parked on this feed (for tests). */
    int parkedPublishers() {
        return ParkingLot.queueLength(this);
    }

    // ---------------------------------------------------------------- delivery

    /** Makes a drain due; runs or submits it if none is running. */
    void signal() {
        if (wip.getAndIncrement() != 0) return;
        if (executor == null) {
            drainer = Thread.currentThread();           // its trampoline will run it
            Completions.run(this::drain);
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RuntimeException | Error refused) {   // RejectedExecutionException, mostly
            topic.report(this, refused);
            seal(refused, true);                         // wip is ours: nobody else drains
            topic.remove(this);
            Completions.run(this::drain);                // delivers the error here, once
        }
    }

    private void drain() {
        Thread me = Thread.currentThread();
        int missed = 1;
        for (;;) {
            drainer = me;
            if (!subscribed) {
                subscribed = true;
                if (flow) {
                    try {
                        subscriber.onSubscribe(this);
                    } catch (Throwable t) {
                        failed(t);
                    }
                }
            }
            deliverAvailable();
            drainer = null;
            missed = wip.addAndGet(-missed);
            if (missed == 0) return;
        }
    }

    /** Delivers what demand allows, then the end if it is due. */
    @SuppressWarnings("unchecked")
    private void deliverAvailable() {
        for (;;) {
            long d = demand.get();
            int n = 0;
            boolean end = false, wake = false;
            Throwable endCause = null;
            lock.lock();
            try {
                if (cancelled) return;
                n = (int) Math.min(count, Math.min(d, batch.length));
                for (int i = 0; i < n; i++) {
                    batch[i] = ring[head];
                    ring[head] = null;
                    head = next(head);
                }
                count -= n;
                if (n > 0 && publishersParked) {
                    publishersParked = false;
                    wake = true;
                }
                if (count == 0 && sealed && !terminalTaken) {
                    terminalTaken = end = true;
                    endCause = cause;
                }
            } finally {
                lock.unlock();
            }
            if (wake) wakePublishers();
            for (int i = 0; i < n; i++) {
                T event = (T) batch[i];
                batch[i] = null;
                if (cancelled) continue;
                try {
                    subscriber.onNext(event);
                } catch (Throwable t) {
                    failed(t);
                }
            }
            if (n > 0 && d != Long.MAX_VALUE) demand.addAndGet(-n);
            if (end) {
                topic.remove(this);
                if (!cancelled) {
                    try {
                        if (endCause == null) subscriber.onComplete();
                        else subscriber.onError(endCause);
                    } catch (Throwable t) {
                        topic.report(this, t);
                    }
                }
                return;
            }
            if (n == 0) return;
        }
    }

    /** A callback threw: reported; a Flow subscriber is then cancelled (rule 2.13). */
    private void failed(Throwable t) {
        topic.report(this, t);
        if (flow) cancel();
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Subscription[" + (cancelled ? "cancelled" : terminalTaken ? "ended" : sealed ? "ending" : "active")
                    + ", pending=" + count + "/" + ring.length + ", dropped=" + dropped + ", " + overflow + "]";
        } finally {
            lock.unlock();
        }
    }
}
