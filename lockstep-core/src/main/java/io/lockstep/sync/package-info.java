/**
 * Coordination primitives: small state machines over one atomic word that wait in the
 * {@link io.lockstep.park.ParkingLot}.
 *
 * <ul>
 *   <li>{@link io.lockstep.sync.Semaphore} and {@link io.lockstep.sync.Permit} — counting,
 *       barging with eventual fairness by default or strictly FIFO on request, with batch
 *       requests (tokio's), an optional maximum (C++20's), {@code close()}, and
 *       {@code acquireAsync} whose cancellation gives back what it had absorbed.</li>
 *   <li>{@link io.lockstep.sync.Barrier} (cyclic, with a leader per generation),
 *       {@link io.lockstep.sync.Latch} (CountDownLatch), {@link io.lockstep.sync.WaitGroup} (Go's).</li>
 *   <li>{@link io.lockstep.sync.Once}, {@link io.lockstep.sync.OnceCell},
 *       {@link io.lockstep.sync.Lazy} — one-time initialization (Rust's {@code Once},
 *       {@code OnceLock}, {@code LazyLock}).</li>
 *   <li>{@link io.lockstep.sync.Event} (Python's manual-reset event),
 *       {@link io.lockstep.sync.AutoResetEvent}, {@link io.lockstep.sync.Notify} (tokio's).</li>
 * </ul>
 *
 * <p>Not here: locks and reader-writer locks ({@code io.lockstep.lock}), channels. Conventions:
 * every blocking method has a timed form taking a {@link java.time.Duration} (zero or negative:
 * do not wait) and an interruptible one; bad input (negative counts, releasing past a maximum, a
 * negative wait-group counter) throws and changes nothing. Nothing blocks inside
 * {@code synchronized}; virtual threads unmount while they wait.
 */
package io.lockstep.sync;
