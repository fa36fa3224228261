/**
 * Per-thread storage: {@link io.lockstep.local.PerThread}, a thread-local value whose live
 * threads' values can be visited ({@code forEach}, {@code reduce}), for per-thread counters and
 * statistics; dead threads' values are dropped. Works with virtual threads.
 */
package io.lockstep.local;
