/**
 * Lockstep's internals shared by every package: {@link io.lockstep.internal.Deadline}
 * (absolute, saturating deadlines on the nanoTime clock) and
 * {@link io.lockstep.internal.GuardedBy}. Not exported from the {@code io.lockstep} module;
 * nothing here is API.
 */
package io.lockstep.internal;
