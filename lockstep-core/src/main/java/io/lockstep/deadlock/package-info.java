/**
 * Deadlocks: find them before they happen, find them when they happen, and avoid them.
 * <ul>
 *   <li>{@link io.lockstep.deadlock.LockOrder} — lock-order validation (as Linux's lockdep): every
 *       Lockstep lock reports its acquisitions to a global acquired-before graph, and the first
 *       acquisition that would close a cycle throws or logs a
 *       {@link io.lockstep.deadlock.PotentialDeadlockException} with both stacks. Opt-in with
 *       {@code -Dlockstep.lockorder=throw|warn|off} or {@code LockOrder.setPolicy}; free when off.</li>
 *   <li>{@link io.lockstep.deadlock.DeadlockDetector} — the wait-for graph of threads parked on
 *       Lockstep locks, platform and virtual, as {@link io.lockstep.deadlock.Deadlock} cycles; and
 *       a {@link io.lockstep.deadlock.DeadlockWatchdog} that reports each once.</li>
 *   <li>{@link io.lockstep.deadlock.Locks} — {@code lockAll} in one global order,
 *       {@code tryLockAll} all-or-nothing; {@link io.lockstep.deadlock.LockLevel} and
 *       {@link io.lockstep.deadlock.LeveledLock} — lock hierarchies.</li>
 * </ul>
 * Also seen, while tracking is compiled in: a JUC lock under a {@link io.lockstep.lock.Mutex}
 * (the mutex reports for it) and a semaphore made by {@link io.lockstep.sync.Semaphore#tracked}.
 * Not here: bare JUC locks and {@code synchronized} are invisible to the validator and the
 * detector (use {@code java.lang.management.ThreadMXBean} for those); {@code Locks} and
 * {@code LeveledLock} work over any {@link java.util.concurrent.locks.Lock}. This package reaches
 * the locks only through {@code io.lockstep.internal.LockTracking}, {@code LockHolders} and
 * {@code TrackedHolds}.
 */
package io.lockstep.deadlock;
