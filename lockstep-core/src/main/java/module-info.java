/**
 * Lockstep: every concurrency and synchronization primitive in one coherent library.
 * See {@link io.lockstep.park.ParkingLot} for the substrate every blocking primitive waits on.
 */
module io.lockstep {
    exports io.lockstep.park;
    exports io.lockstep.lock;
    exports io.lockstep.channel;
    exports io.lockstep.lockfree;
}
