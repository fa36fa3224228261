/**
 * Spin locks: {@link io.lockstep.spin.TasLock}, {@link io.lockstep.spin.TtasLock},
 * {@link io.lockstep.spin.TicketLock}, {@link io.lockstep.spin.McsLock},
 * {@link io.lockstep.spin.ClhLock} and the reader-writer {@link io.lockstep.spin.SpinRwLock}.
 * Each is a plain {@link java.util.concurrent.locks.Lock} (or
 * {@link java.util.concurrent.locks.ReadWriteLock}), so it can sit under a
 * {@link io.lockstep.lock.Mutex}: {@code Mutex.of(new McsLock(), data)}.
 *
 * <h2>Honest spinning</h2>
 * A textbook spin lock busy-waits forever. That collapses as soon as there are more runnable
 * threads than cores: the holder is descheduled while its waiters burn the CPU it needs, and a
 * virtual thread that spins pins its carrier. Every lock here spins for a bounded number of
 * rounds, then yields a few times, then parks in the {@link io.lockstep.park.ParkingLot}
 * (a package-private {@code Backoff} schedule and {@code Waiters} park fallback, shared by all
 * six). A release pays for the parking lot only when some thread of that lock is asleep. So
 * 1,000 virtual threads, or 8 platform threads on 2 cores, all get through.
 *
 * <h2>Spin lock or {@link io.lockstep.lock.RawMutex}?</h2>
 * Pick {@code RawMutex} by default: it spins briefly too, then parks, and it barges for
 * throughput while handing the lock to a waiter that has waited 0.5 ms. Pick a spin lock when
 * <ul>
 *   <li>critical sections are a few dozen nanoseconds and threads ≤ cores, and a benchmark
 *       shows a gain ({@link io.lockstep.spin.TtasLock} is the fastest simple lock);</li>
 *   <li>you want arrival order among running waiters ({@link io.lockstep.spin.TicketLock} for a
 *       few cores, {@link io.lockstep.spin.McsLock} or {@link io.lockstep.spin.ClhLock} for many:
 *       each waiter spins on its own cache line). Their order is FIFO while the head of the line
 *       runs, not strict: see below;</li>
 *   <li>you are teaching or measuring the classic algorithms (SpinBench runs them side by side).</li>
 * </ul>
 * Do not pick a spin lock for long critical sections, for sections that block (I/O, another
 * lock), or when you need conditions ({@code newCondition()} throws): use RawMutex and
 * {@link io.lockstep.lock.Condvar}.
 *
 * <h2>Queue locks: a line in front of a lock word</h2>
 * {@code TicketLock}, {@code McsLock} and {@code ClhLock} keep their classic waiting discipline
 * (tickets, or local spinning on an MCS/CLH node) for the threads in line, but the line sits in
 * front of a plain lock word (a package-private {@code LineLock} shared by the three): only the
 * head of the line competes for the word, and it passes the headship on as soon as it holds the
 * lock. A running thread may take the word past the line when the line is empty, or when its head
 * is not running (parked, or made head but not yet scheduled); strict order returns as soon as the
 * head runs. A textbook queue lock hands the lock itself to the next thread even while that thread
 * is descheduled, so with more threads than cores every hand-off waits for the scheduler (a FIFO
 * convoy, about 0.001x the throughput of {@code ReentrantLock} at 8 threads on 2 cores). The price
 * is fairness: a head that is not running can be overtaken, until it runs again. If you
 * need strict FIFO whatever the scheduler does, use a fair {@code ReentrantLock}.
 *
 * <h2>Common rules</h2>
 * None is reentrant: {@code lock()} by the holder throws {@link java.lang.IllegalStateException}
 * and leaves the lock held. {@code unlock()} by a thread that does not hold the lock throws
 * {@link java.lang.IllegalMonitorStateException} and changes nothing. {@code tryLock()} never
 * waits; on a queue lock it succeeds only when the line is empty or its head is not running. The timed and interruptible forms poll with the same
 * spin-yield-park schedule instead of joining a FIFO queue.
 *
 * <p><b>Memory effects</b> (all of them): an unlock happens-before every later acquisition of
 * the same lock, as for any {@link java.util.concurrent.locks.Lock}.
 */
package io.lockstep.spin;
