/**
 * The channel algorithms behind {@link io.lockstep.channel.Channel} (not exported: the module's
 * {@code pub(crate)}), laid out as crossbeam-channel's {@code flavors/}.
 *
 * <ul>
 *   <li>{@link io.lockstep.channel.flavors.ArrayFlavor}: bounded; Vyukov's MPMC ring with stamps.
 *   <li>{@link io.lockstep.channel.flavors.ListFlavor}: unbounded; linked blocks of 31 slots.
 *   <li>{@link io.lockstep.channel.flavors.ZeroFlavor}: rendezvous; a lock-free dual queue per side.
 *   <li>{@link io.lockstep.channel.flavors.OneshotFlavor}: a write-once cell behind
 *       {@code Oneshot}; receiving does not consume.
 *   <li>{@link io.lockstep.channel.flavors.AtFlavor}, {@link io.lockstep.channel.flavors.TickFlavor},
 *       {@link io.lockstep.channel.flavors.NeverFlavor}: receive-only, driven by time.
 * </ul>
 *
 * <p>Every flavor extends {@link io.lockstep.channel.flavors.Flavor} and works in two phases,
 * reserve into a {@link io.lockstep.channel.flavors.Token} and then commit, so a select can
 * reserve before it commits. Waiting goes through the plumbing they share,
 * {@link io.lockstep.channel.waiting}: a {@link io.lockstep.channel.waiting.Context} per wait,
 * registered with the channel's wakers; its single waiter parks through
 * {@link java.util.concurrent.locks.LockSupport}. This package depends on that one, never the
 * other way round (LayeringTest).
 *
 * <p>The path of a blocking receive on an empty bounded channel: {@code startRecv} fails (after
 * a short spin, on platform threads) → a new Context is registered with the receivers' SyncWaker → readiness is
 * re-checked (a send may have landed in between) → {@code Context.await} parks on the context →
 * a sender's {@code write} publishes the slot's stamp and calls {@code notifyOne}, which selects
 * the oldest registration under the waker's lock and unparks its context → the receiver wakes,
 * and since being selected by a buffered flavor is only a hint, tries {@code startRecv} again.
 * A rendezvous differs: its registrations sit in a lock-free WaitQueue, the selection itself
 * pairs the two operations, and the partner is woken once the message has moved.
 */
package io.lockstep.channel.flavors;
