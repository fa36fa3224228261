/**
 * How a channel operation waits and is woken (not exported: the module's {@code pub(crate)}),
 * the plumbing every algorithm in {@link io.lockstep.channel.flavors} and {@code Select} share,
 * as crossbeam-channel's {@code context.rs}, {@code select.rs} and {@code waker.rs}.
 *
 * <ul>
 *   <li>{@link io.lockstep.channel.waiting.Context}: one wait of one thread (or one async
 *       callback); a partner selects it once, with an {@link io.lockstep.channel.waiting.Operation}
 *       or a {@link io.lockstep.channel.waiting.Selected} reason, and unparks its thread.
 *   <li>{@link io.lockstep.channel.waiting.Operation}: one registration with one side of one
 *       channel; a send carries its message, a rendezvous receive gets its message in it. It
 *       extends {@code Context}, so a wait with one registration is one object.
 *   <li>{@link io.lockstep.channel.waiting.SyncWaker} (over {@code Waker}): the registrations of
 *       one side of a buffered channel, under a {@code RawMutex}; {@link
 *       io.lockstep.channel.waiting.WaitQueue}: a rendezvous side's lock-free queue of them.
 * </ul>
 *
 * <p>It knows nothing of the algorithms (no import of {@code channel.flavors} or
 * {@code channel}: LayeringTest); the two-phase interface they implement ({@code Flavor},
 * {@code Token}, {@code Outcome}) stays with them.
 */
package io.lockstep.channel.waiting;
