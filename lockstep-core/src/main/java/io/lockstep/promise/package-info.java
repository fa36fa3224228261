/**
 * Promises: {@link io.lockstep.promise.Futures} combines {@link java.util.concurrent.CompletableFuture}s
 * and cancels the ones no longer wanted ({@code firstOf}, {@code allOf}, {@code withTimeout}).
 * The other promise pieces sit with the channels they work with:
 * {@link io.lockstep.channel.Oneshot#from(java.util.concurrent.CompletableFuture)} and
 * {@link io.lockstep.channel.Oneshot#toFuture()} link a oneshot and a future both ways (either
 * side's cancellation settles the other), and
 * {@link io.lockstep.channel.Select#await(java.util.concurrent.CompletableFuture, java.util.function.Function, java.util.function.Function)}
 * waits for a future next to channel cases.
 *
 * <pre>{@code
 * CompletableFuture<String> fastest = Futures.withTimeout(
 *         Futures.firstOf(mirrorA.fetch(path), mirrorB.fetch(path)), Duration.ofSeconds(5));
 * }</pre>
 */
package io.lockstep.promise;
