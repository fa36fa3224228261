/**
 * Atomics with explicit memory orderings, and {@link io.lockstep.atomic.Arc}.
 *
 * <p>{@link io.lockstep.atomic.AtomicIntCell}, {@link io.lockstep.atomic.AtomicLongCell} and
 * {@link io.lockstep.atomic.AtomicCell} use Rust's vocabulary: {@code load}, {@code store},
 * {@code swap}, {@code compareExchange} (returning the witness), {@code compareExchangeWeak},
 * {@code fetchAdd}, {@code fetchUpdate}, each with an {@link io.lockstep.atomic.Ordering}. An
 * ordering that makes no sense for an operation throws {@link IllegalArgumentException}, where
 * Rust panics: a {@code RELEASE} or {@code ACQ_REL} load, an {@code ACQUIRE} or {@code ACQ_REL}
 * store, a compare-exchange whose failure ordering is {@code RELEASE} or {@code ACQ_REL}.
 *
 * <h2>Happens-before, ordering by ordering</h2>
 * <em>Happens-before</em> is the guarantee that one thread's writes are visible to another: if
 * write W happens-before read R, R sees W (or something later). Within one thread, program order
 * is happens-before. Between threads, an edge exists only through synchronization:
 * <ul>
 *   <li><b>{@code RELEASE} store → {@code ACQUIRE} load that reads it</b> (the
 *       <em>synchronizes-with</em> edge): everything the storing thread did before the store
 *       happens-before everything the loading thread does after the load. A read-modify-write
 *       with {@code RELEASE}/{@code ACQ_REL}/{@code SEQ_CST} counts as such a store, one with
 *       {@code ACQUIRE}/{@code ACQ_REL}/{@code SEQ_CST} as such a load; later read-modify-writes
 *       of the same variable extend the chain (the release sequence).</li>
 *   <li><b>{@code RELAXED}</b> gives atomicity (no torn or lost updates: five threads doing
 *       {@code fetchAdd(1, RELAXED)} always leave 5) and coherence (one order per variable that
 *       all threads see), but no edge: it publishes nothing else.</li>
 *   <li><b>{@code SEQ_CST}</b> is acquire/release plus one global order of all {@code SEQ_CST}
 *       operations. Only it forbids the store-buffering outcome below. It is what Java
 *       {@code volatile} and {@code java.util.concurrent.atomic} give by default.</li>
 *   <li>Happens-before is transitive; locks ({@code unlock} → later {@code lock}), thread start
 *       and join, and Lockstep's primitives (each type's "Memory effects") add edges too.</li>
 * </ul>
 *
 * <h3>Message passing (release/acquire)</h3>
 * <pre>{@code
 * int data;                                     // plain field
 * AtomicIntCell ready = new AtomicIntCell(0);
 *
 * // producer                                  // consumer
 * data = 42;                                    while (ready.load(Ordering.ACQUIRE) == 0) Thread.onSpinWait();
 * ready.store(1, Ordering.RELEASE);             assert data == 42;   // guaranteed
 * }</pre>
 * With {@code RELAXED} on either side the assertion may fail: nothing orders {@code data}.
 *
 * <h3>A counter (the seed's {@code fetch_add}: five threads, result 5)</h3>
 * <pre>{@code
 * AtomicLongCell counter = new AtomicLongCell(0);
 * // in each of 5 threads:
 * counter.fetchAdd(1, Ordering.SEQ_CST);        // RELAXED would do: only atomicity is needed
 * // after joining them all (join is a happens-before edge):
 * counter.load(Ordering.SEQ_CST);               // 5
 * }</pre>
 *
 * <h3>Compare-and-swap (the seed's {@code compare_exchange(0, 1, SeqCst, SeqCst)})</h3>
 * <pre>{@code
 * AtomicIntCell value = new AtomicIntCell(0);
 * int witness = value.compareExchange(0, 1, Ordering.SEQ_CST, Ordering.SEQ_CST);
 * // witness == 0: the swap happened; value.load(SEQ_CST) == 1
 * }</pre>
 *
 * <h3>Store buffering (why SEQ_CST exists)</h3>
 * <pre>{@code
 * // x, y start at 0        thread 1                          thread 2
 *                           x.store(1, SEQ_CST);              y.store(1, SEQ_CST);
 *                           r1 = y.load(SEQ_CST);             r2 = x.load(SEQ_CST);
 * }</pre>
 * With {@code SEQ_CST}, {@code r1 == 0 && r2 == 0} is impossible. With {@code RELEASE} stores
 * and {@code ACQUIRE} loads it is allowed (and happens on x86: stores wait in a store buffer).
 * Lockstep's park protocols rely on exactly this: a waiter announces itself and re-checks the
 * state, a waker changes the state and checks for waiters, all {@code SEQ_CST}.
 *
 * <h2>Arc</h2>
 * {@link io.lockstep.atomic.Arc} is Rust's {@code Arc} for resources that need closing: a
 * reference count shared by handles, the resource closed exactly once when the last handle is.
 */
package io.lockstep.atomic;
