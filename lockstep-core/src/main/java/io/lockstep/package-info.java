/**
 * Lockstep's map. Layers, lowest first; dependencies point only downwards:
 * <pre>
 *   internal   Deadline, WaitOutcome, BackoffPolicy, GuardedBy, LockTracking, LockHolders (not exported)
 *   atomic     Ordering, AtomicIntCell, AtomicLongCell, AtomicCell, Arc
 *   park       ParkingLot — the futex every blocking primitive waits on; SpinWait, Parker;
 *              park.gate: Gate, the gates' and change signals' one wait            (not exported)
 *   lockfree   TreiberStack, EliminationStack, MsQueue, MpmcArrayQueue
 *   local      PerThread
 *   spin       TasLock, TtasLock, TicketLock, McsLock, ClhLock, SpinRwLock
 *   lock       RawMutex, ReentrantMutex, Mutex&lt;T&gt;, RawRwLock, RwLock&lt;T&gt;, Condvar, Monitor
 *   sync       Semaphore, Barrier, Latch, WaitGroup, Once, OnceCell, Lazy, Event, AutoResetEvent, Notify
 *   channel    Channel, Select, Channels, Oneshot, Broadcast, Watch; channel.flavors (the algorithms)
 *              over channel.waiting (how an operation waits and is woken)          (not exported)
 *   rcu, stm   Rcu, QsbrRcu; Stm, TVar
 *   deadlock   beside the locks: it reaches them through internal.LockTracking/LockHolders
 *              (the priority-inversion simulator is the CLI's io.lockstep.cli.priority)
 * </pre>
 * {@code LayeringTest} checks that every package imports only the layers below it.
 * The path of a blocking call: {@code RawMutex.lock()} tries one CAS; on failure it spins a
 * bounded number of times, sets its {@code parked} flag and calls {@code ParkingLot.park(this,
 * validate, ...)}; the parking lot locks the key's bucket, re-checks the lock's state, queues the
 * thread and parks it with LockSupport. {@code unlock()} sees the flag, calls {@code unparkOne(this, ...)},
 * which dequeues the longest waiter and, under the bucket lock, lets the mutex choose between
 * freeing itself and handing itself over; then the waiter is unparked. See docs/ARCHITECTURE.md.
 */
package io.lockstep;
