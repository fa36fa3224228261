/**
 * Locks: raw state machines that implement {@link java.util.concurrent.locks.Lock}, and safe
 * wrappers that own the data they protect, in the manner of Rust's {@code lock_api}.
 *
 * <ul>
 *   <li>{@link io.lockstep.lock.RawMutex} — the default lock: 24 bytes, one CAS each way,
 *       adaptive spinning, eventual fairness. {@link io.lockstep.lock.ReentrantMutex} adds a
 *       hold count.</li>
 *   <li>{@link io.lockstep.lock.Mutex} and {@link io.lockstep.lock.MutexGuard} — data behind a
 *       lock, reachable only through an AutoCloseable guard; poisoning as in Rust.</li>
 *   <li>{@link io.lockstep.lock.RawRwLock} — a fair, write-preferring reader-writer lock with
 *       upgradable reads; {@link io.lockstep.lock.RwLock} owns its data and hands out read, write
 *       and upgradable guards, poisoning as Mutex does.</li>
 *   <li>{@link io.lockstep.lock.Condvar} — condition variables that requeue waiters onto the
 *       mutex; {@link io.lockstep.lock.Monitor} — Guava-style implicit signalling.</li>
 *   <li>{@link io.lockstep.lock.FairUnlock} — the optional ability to hand a lock over directly.</li>
 * </ul>
 *
 * <p>Conventions: every blocking method has try, timed ({@link java.time.Duration}, or JUC's
 * {@code (long, TimeUnit)} on {@code Lock}) and interruptible forms; a zero or negative timeout
 * means "do not wait"; unlocking a lock one does not hold throws
 * {@link java.lang.IllegalMonitorStateException}. Nothing here blocks inside
 * {@code synchronized}: all waiting goes through {@link io.lockstep.park.ParkingLot}, so virtual
 * threads unmount while they wait.
 */
package io.lockstep.lock;
