/**
 * Lockstep: every concurrency and synchronization primitive in one coherent library.
 * See {@link io.lockstep.park.ParkingLot} for the substrate every blocking primitive waits on.
 */
// "module": the qualified export below names lockstep-os, which is not built yet when core is.
@SuppressWarnings("module")
module io.lockstep {
    exports io.lockstep.atomic;
    exports io.lockstep.channel;
    exports io.lockstep.deadlock;
    exports io.lockstep.local;
    exports io.lockstep.lock;
    exports io.lockstep.lockfree;
    exports io.lockstep.park;
    exports io.lockstep.priority;
    exports io.lockstep.rcu;
    exports io.lockstep.spin;
    exports io.lockstep.stm;
    exports io.lockstep.sync;
    // Deadline and Completions, for lockstep-os; not API.
    exports io.lockstep.internal to io.lockstep.os;
}
