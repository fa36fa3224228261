package io.lockstep.os;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscriber of an OS signal, made by {@link OsSignals}'s {@code subscribe} methods. Close
 * it to stop the deliveries; when the last subscriber of a signal closes, the handler that was
 * there before is restored. Closing twice does nothing.
 *
 * <pre>{@code
 * Event reload = new Event();
 * try (SignalSubscription hup = OsSignals.subscribe(Signal.HUP, reload)) {
 *     ...
 * }
 * }</pre>
 *
 * <p>A delivery already under way when {@code close()} is called may still reach its target
 * (a callback that has not started yet does not run).
 */
public final class SignalSubscription implements AutoCloseable {
    /*
     * Implementation notes.
     * offer() runs on the JDK's signal thread with no lock held; it must not throw and must not
     * block, so each Delivery is a non-blocking hand-off and a failure counts as dropped.
     */

    /** How a signal reaches its target: true if it was handed over, false if dropped. */
    @FunctionalInterface
    interface Delivery {
        boolean offer(SignalSubscription sub);
    }

    private final Signal signal;
    private final String mode;
    private final Delivery delivery;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    SignalSubscription(Signal signal, String mode, Delivery delivery) {
        this.signal = signal;
        this.mode = mode;
        this.delivery = delivery;
    }

    /** The signal subscribed to. */
    public Signal signal() {
        return signal;
    }

    /**
     * How many arrivals of the signal were handed to the target (a snapshot: an arrival is counted
     * before its hand-off, so a target that has received it always sees it counted; one whose
     * hand-off is then refused moves to {@link #dropped()}).
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * How many arrivals could not be handed over: the channel was full or closed, or the executor
     * rejected the callback.
     */
    public long dropped() {
        return dropped.get();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Stops the deliveries; restores the previous handler if this was the signal's last subscriber. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        OsSignals.unsubscribe(this);
    }

    void offer() {
        if (closed) return;
        // Counted before the hand-off: the target may run at once, and whoever sees a delivery
        // must see it counted. A refused hand-off moves its count to dropped.
        delivered.incrementAndGet();
        boolean handed;
        try {
            handed = delivery.offer(this);
        } catch (RejectedExecutionException rejected) {
            handed = false;
        }
        if (!handed) {
            dropped.incrementAndGet();
            delivered.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "SignalSubscription[" + signal.osName() + " -> " + mode + (closed ? ", closed" : "")
                + ", delivered " + delivered() + ", dropped " + dropped() + "]";
    }
}
