/**
 * Channels: closeable MPMC message passing with select, in the manner of Go's channels and
 * crossbeam-channel.
 *
 * <ul>
 *   <li>{@link io.lockstep.channel.Channel} ({@code bounded}, {@code unbounded},
 *       {@code rendezvous}) with its {@link io.lockstep.channel.Sender} and
 *       {@link io.lockstep.channel.Receiver} views, a
 *       {@link java.util.concurrent.BlockingQueue} view, and counted
 *       {@link io.lockstep.channel.SenderHandle}/{@link io.lockstep.channel.ReceiverHandle} pairs
 *       ({@link io.lockstep.channel.ChannelPair}) that close the channel when the last sender or
 *       receiver lets go, as crossbeam's disconnection;
 *   <li>{@link io.lockstep.channel.Select} over any channels (and {@link io.lockstep.channel.Oneshot}s),
 *       with timeout or default;
 *   <li>{@link io.lockstep.channel.Oneshot}: one value, sent once and seen by every waiter (a
 *       promise to block on, poll, turn into a future, or select on);
 *   <li>{@link io.lockstep.channel.Broadcast}: every subscriber sees every message, through a
 *       bounded ring; a subscriber that falls behind learns how many it missed
 *       ({@link io.lockstep.channel.BroadcastResult.Lagged});
 *   <li>{@link io.lockstep.channel.Watch}: the latest value with versioned change notification;
 *   <li>{@link io.lockstep.channel.Channels}: {@code after}, {@code tick}, {@code never};
 *   <li>results that hand values back: {@link io.lockstep.channel.SendResult},
 *       {@link io.lockstep.channel.RecvResult}, {@link io.lockstep.channel.BroadcastResult},
 *       {@link io.lockstep.channel.ChannelClosedException}.
 * </ul>
 *
 * <p>Conventions: messages are never null; try forms never wait; timed forms take a
 * {@link java.time.Duration} (zero or negative: do not wait); blocking forms throw
 * {@link java.lang.InterruptedException} and then have done nothing; {@code *Async} forms return
 * a {@link java.util.concurrent.CompletableFuture} whose {@code cancel} withdraws the operation
 * without losing or duplicating a message. The algorithms live in the unexported
 * {@code io.lockstep.channel.flavors} package, whose package documentation traces a blocking
 * call; how an operation waits and is woken lives in {@code io.lockstep.channel.waiting}: a
 * channel wait parks its thread with {@link java.util.concurrent.locks.LockSupport} on a
 * per-wait context, not in the {@link io.lockstep.park.ParkingLot}.
 *
 * <p>What it does not offer: a {@code Broadcast} send never waits for slow subscribers (it
 * overwrites; they see {@code Lagged}), and a {@code Watch} carries state, not events
 * (intermediate values may be skipped). {@code Oneshot} waits use the channel machinery (a
 * {@code OneshotFlavor}); {@code Broadcast} and {@code Watch} waiters park in the ParkingLot on
 * one key each (a gate with a parked bit), and every change wakes all of them. Subscribers of both belong to one thread at a
 * time; the types themselves are fully thread-safe.
 */
package io.lockstep.channel;
