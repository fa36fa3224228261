package io.lockstep.channel;

import io.lockstep.channel.flavors.AtFlavor;
import io.lockstep.channel.flavors.NeverFlavor;
import io.lockstep.channel.flavors.TickFlavor;
import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.time.Instant;

/**
 * Receive-only channels made by time, for {@link Select} cases and loops (crossbeam's
 * {@code after}, {@code tick}, {@code never}). Their messages are the {@link Instant} of
 * delivery. They have no senders: {@code send} on them throws
 * {@link UnsupportedOperationException}, and {@code close} does nothing.
 *
 * <pre>{@code
 * Receiver<Instant> deadline = Channels.after(Duration.ofSeconds(1));
 * Receiver<Instant> heartbeat = Channels.tick(Duration.ofMillis(100));
 * for (boolean done = false; !done; ) {
 *     done = new Select<Boolean>()
 *             .recv(results, r -> { handle(r); return false; })
 *             .recv(heartbeat, t -> { ping(); return false; })
 *             .recv(deadline, t -> true)
 *             .select();
 * }
 * }</pre>
 *
 * <p><b>Memory effects:</b> none beyond the clock.
 */
public final class Channels {
    private Channels() {}

    /**
     * Delivers one message after {@code delay}, then is closed. A zero or negative delay delivers
     * at once; one too long to represent never delivers.
     */
    public static Receiver<Instant> after(Duration delay) {
        return new Channel<>(new AtFlavor(Deadline.after(delay)));
    }

    /**
     * Delivers a message every {@code period}, the first one a period from now; never closes. A
     * period too long to represent never ticks.
     *
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    public static Receiver<Instant> tick(Duration period) {
        long nanos = Deadline.toNanos(period);
        if (nanos <= 0) throw new IllegalArgumentException("period must be positive: " + period);
        return new Channel<>(new TickFlavor(nanos));
    }

    /** Never delivers and never closes: a select case that never fires. */
    public static Receiver<Instant> never() {
        return new Channel<>(new NeverFlavor());
    }
}
