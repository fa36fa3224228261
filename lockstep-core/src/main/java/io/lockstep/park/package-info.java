/**
 * The parking substrate: {@link io.lockstep.park.ParkingLot}, the library's futex, on which every
 * blocking primitive waits; {@link io.lockstep.park.SpinWait} for the bounded spin before a park.
 *
 * <p>Conventions: keys are compared by identity; deadlines are absolute
 * {@link System#nanoTime()} values with {@link io.lockstep.park.ParkingLot#NO_DEADLINE};
 * callbacks that run under a bucket lock say so. Results are types
 * ({@link io.lockstep.park.ParkResult}, {@link io.lockstep.park.UnparkResult}), not booleans.
 */
package io.lockstep.park;
