/**
 * Waits built on the parking lot that several layers share (not exported): {@link
 * io.lockstep.park.gate.Gate}, the wait of every gate-like primitive in {@code io.lockstep.sync}
 * and of the channels' change signals in {@code io.lockstep.channel}. It sits in the park layer,
 * below both, and depends only on {@code io.lockstep.park} and {@code io.lockstep.internal}.
 */
package io.lockstep.park.gate;
