/**
 * Lockstep's map. Layers, lowest first; dependencies point only downwards:
 * <pre>
 *   internal   Deadline, GuardedBy                                   (not exported)
 *   park       ParkingLot — the futex every blocking primitive waits on; SpinWait
 *   lock       RawMutex, ReentrantMutex, Mutex&lt;T&gt;, RawRwLock, RwLock&lt;T&gt;, Condvar, Monitor
 *   sync       Semaphore, Barrier, Latch, WaitGroup, Once, OnceCell, Lazy, Event, AutoResetEvent, Notify
 * </pre>
 * The path of a blocking call: {@code RawMutex.lock()} tries one CAS; on failure it spins a
 * bounded number of times, sets its PARKED bit and calls {@code ParkingLot.park(this, validate,
 * ...)}; the parking lot locks the key's bucket, re-checks the lock's state, queues the thread
 * and parks it with LockSupport. {@code unlock()} sees PARKED, calls {@code unparkOne(this, ...)},
 * which dequeues the longest waiter and, under the bucket lock, lets the mutex choose between
 * freeing itself and handing itself over; then the waiter is unparked. See docs/ARCHITECTURE.md.
 */
package io.lockstep;
