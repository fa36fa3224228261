/**
 * Lock-free data structures: {@link io.lockstep.lockfree.TreiberStack},
 * {@link io.lockstep.lockfree.EliminationStack}, {@link io.lockstep.lockfree.MsQueue} and
 * {@link io.lockstep.lockfree.MpmcArrayQueue}.
 *
 * <p>None of them blocks: operations return null/false instead of waiting (for waiting, use
 * {@link io.lockstep.channel.Channel}). Each class documents its progress guarantee. Elements
 * are never null. Memory is reclaimed by the garbage collector, which rules out ABA.
 */
package io.lockstep.lockfree;
