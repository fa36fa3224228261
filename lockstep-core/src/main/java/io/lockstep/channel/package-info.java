/**
 * Channels: closeable MPMC message passing with select, in the manner of Go's channels and
 * crossbeam-channel.
 *
 * <ul>
 *   <li>{@link io.lockstep.channel.Channel} ({@code bounded}, {@code unbounded},
 *       {@code rendezvous}) with its {@link io.lockstep.channel.Sender} and
 *       {@link io.lockstep.channel.Receiver} views and a
 *       {@link java.util.concurrent.BlockingQueue} view;
 *   <li>{@link io.lockstep.channel.Select} over any channels, with timeout or default;
 *   <li>{@link io.lockstep.channel.Channels}: {@code after}, {@code tick}, {@code never};
 *   <li>results that hand values back: {@link io.lockstep.channel.SendResult},
 *       {@link io.lockstep.channel.RecvResult}, {@link io.lockstep.channel.ChannelClosedException}.
 * </ul>
 *
 * <p>Conventions: messages are never null; try forms never wait; timed forms take a
 * {@link java.time.Duration} (zero or negative: do not wait); blocking forms throw
 * {@link java.lang.InterruptedException} and then have done nothing; {@code *Async} forms return
 * a {@link java.util.concurrent.CompletableFuture} whose {@code cancel} withdraws the operation
 * without losing or duplicating a message. The algorithms live in the unexported
 * {@code io.lockstep.channel.flavors} package, whose package documentation traces a blocking
 * call through the {@link io.lockstep.park.ParkingLot}.
 */
package io.lockstep.channel;
