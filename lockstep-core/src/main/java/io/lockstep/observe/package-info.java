/**
 * Observers: {@link io.lockstep.observe.Topic}, thread-safe publish/subscribe with a bounded
 * buffer and an {@link io.lockstep.observe.Overflow} policy per subscriber, synchronous or
 * executor dispatch, isolated and reported failures, and a {@link java.util.concurrent.Flow}
 * view that passes the Reactive Streams TCK.
 *
 * <pre>{@code
 * Topic<String> topic = new Topic<>();
 * try (Subscription s = topic.subscribe(System.out::println)) {
 *     topic.publish("hello");
 * }
 * }</pre>
 *
 * <p>Where it sits among its neighbours: a {@link io.lockstep.channel.Channel} hands each
 * message to one receiver; a {@link io.lockstep.channel.Broadcast} keeps one ring that every
 * subscriber reads at its own position, pulled by the subscriber, and lets laggards fall
 * behind; a {@code Topic} pushes each event to every subscriber through that subscriber's own
 * buffer, with the overflow policy that subscriber chose.
 */
package io.lockstep.observe;
