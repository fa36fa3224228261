/**
 * Lockstep's internals shared by every package: {@link io.lockstep.internal.Deadline}
 * (absolute, saturating deadlines on the nanoTime clock),
 * {@link io.lockstep.internal.GuardedBy}, {@link io.lockstep.internal.Completions} (completes
 * futures iteratively, so callbacks never recurse), and the diagnostic hooks the locks call:
 * {@link io.lockstep.internal.LockTracking} (lock-order validation, free when off) and
 * {@link io.lockstep.internal.LockHolders} (who holds a lock, for deadlock detection). Not exported from the {@code io.lockstep} module
 * (only to {@code io.lockstep.os}, which uses Deadline and Completions);
 * nothing here is API.
 */
package io.lockstep.internal;
