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
 *   <li>{@link io.lockstep.lock.Condvar} — condition variables whose notifyAll wakes a few
 *       waiters and requeues the rest onto the mutex; {@link io.lockstep.lock.Monitor} — Guava-style implicit signalling.</li>
 *   <li>{@link io.lockstep.lock.FairUnlock} — the optional ability to hand a lock over directly.</li>
 *   <li>{@link io.lockstep.lock.RawMutexGuard} — a lock held by a guard, not a thread
 *       ({@code lockAsync}; see "Ownership" below).</li>
 * </ul>
 *
 * <p>Conventions: every blocking method has try, timed ({@link java.time.Duration}, or JUC's
 * {@code (long, TimeUnit)} on {@code Lock}) and interruptible forms; a zero or negative timeout
 * means "do not wait"; unlocking a lock one does not hold throws
 * {@link java.lang.IllegalMonitorStateException}. Nothing here blocks inside
 * {@code synchronized}: all waiting goes through {@link io.lockstep.park.ParkingLot}, so virtual
 * threads unmount while they wait.
 *
 * <h2>Ownership: thread-owned and guard-owned holds</h2>
 * A lock taken by {@code lock()}, {@code tryLock()} and the other blocking forms is
 * <b>thread-owned</b>: only the thread that took it may release it ({@code unlock()} by another
 * thread throws {@link java.lang.IllegalMonitorStateException}), {@code isHeldByCurrentThread()}
 * is true on that thread, lock-order checking ({@code -Dlockstep.lockorder}) tracks it, and a
 * {@link io.lockstep.lock.Condvar} can wait with it.
 *
 * <p>A lock taken by an async form ({@link io.lockstep.lock.RawMutex#lockAsync()},
 * {@link io.lockstep.lock.Mutex#lockAsync()}, {@link io.lockstep.lock.RawRwLock#lockReadAsync()}
 * and its write and upgradable peers, {@link io.lockstep.lock.RwLock#readAsync()} and its peers)
 * is <b>guard-owned</b>: it belongs to the guard the future completes with
 * ({@link io.lockstep.lock.RawMutexGuard}, {@link io.lockstep.lock.RawRwLockGuard}, or a
 * {@link io.lockstep.lock.MutexGuard} or {@code RwLock*Guard}), not to a thread, because the task
 * that holds it may hop between threads. Any thread may use and close the guard; closing it a
 * second time releases nothing (it does nothing, except for a {@code RawMutexGuard}, whose second
 * close throws {@link java.lang.IllegalStateException}); {@code unlock()} by any thread while a
 * guard holds a mutex throws {@link java.lang.IllegalMonitorStateException} naming the guard; and
 * no thread is {@code isHeldByCurrentThread()}. A guard-owned mutex hold waits on a
 * {@code Condvar} with {@link io.lockstep.lock.Condvar#awaitAsync} (not {@code await}, which
 * re-locks as a thread) and cannot run {@link io.lockstep.lock.MutexGuard#unlocked}.
 * Lock-order checking counts a guard-owned mutex hold as held by the task's thread (the one that
 * asked for the lock, or last used its guard): a lock that thread takes while the guard is open
 * is ordered after it; guard-owned {@code RawRwLock} holds are not tracked yet. The
 * {@link io.lockstep.deadlock.DeadlockDetector} sees guard-owned mutex holds: a thread blocked on
 * one waits for the task's thread.
 *
 * <h2>Async acquisition: one contract</h2>
 * <ul>
 *   <li><b>One line:</b> async requests wait in the same parking-lot line as blocked threads
 *       ({@link io.lockstep.park.ParkingLot#parkAsync}), and a request that is first in line when
 *       the lock is released is handed the lock directly (it cannot spin or barge back in), so
 *       neither kind starves the other.</li>
 *   <li><b>Cancel-safe:</b> cancelling the future, {@code orTimeout}, or completing it yourself
 *       loses no lock: a request still in line leaves it; one that won the race is released, or
 *       handed to the next waiter, exactly once.</li>
 *   <li><b>Callbacks:</b> the future is completed outside every internal lock, on the caller if
 *       the lock was free, else on the thread whose release handed it over, after that release
 *       is done; a stage that closes its guard does not recurse into the next request's stages
 *       (they run one after another, see {@code io.lockstep.internal.Completions}). Run your
 *       stages elsewhere with the {@code ...Async(..., executor)} stage methods.</li>
 * </ul>
 */
package io.lockstep.lock;
