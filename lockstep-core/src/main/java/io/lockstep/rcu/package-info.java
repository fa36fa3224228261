/**
 * Read-copy-update: wait-free readers, writers that publish new versions and reclaim old ones
 * after a grace period.
 *
 * <ul>
 *   <li>{@link io.lockstep.rcu.Rcu} and {@link io.lockstep.rcu.RcuReadGuard} — the general
 *       flavor (liburcu's memb, HotSpot's GlobalCounter): any thread, virtual ones included, reads
 *       in a section that costs two fenced stores to its own padded slot.</li>
 *   <li>{@link io.lockstep.rcu.QsbrRcu} and {@link io.lockstep.rcu.QsbrReader} — the
 *       quiescent-state flavor: free reads for registered threads that report quiescent
 *       states.</li>
 * </ul>
 * Both offer {@code update} (copy, modify, publish), {@code synchronize} (one grace period),
 * {@code callAfterGracePeriod} (deferred reclamation on a reclaimer thread) and {@code barrier}.
 *
 * <p>Not offered: RCU-protected linked structures with per-node publication (lists, hash
 * tables); build them from an {@code Rcu} of an immutable structure, or from {@code callAfterGracePeriod}.
 *
 * <p>The path of a blocking call: {@code synchronize()} takes the domain's grace-period lock (a
 * {@code RawMutex}), bumps the epoch, and for each reader slot announcing an older epoch spins a
 * bounded number of times, then sets the slot's PARKED bit and parks in the
 * {@link io.lockstep.park.ParkingLot} keyed by the slot; the reader's exit from its section
 * swaps its slot to 0, sees PARKED and unparks the slot's key.
 */
package io.lockstep.rcu;
