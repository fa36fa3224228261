/**
 * Lockstep: every concurrency and synchronization primitive in one coherent library.
 * See {@link io.lockstep.park.ParkingLot} for the substrate every blocking primitive waits on.
 */
// "module": the qualified export below names lockstep-zookeeper and lockstep-os, not built yet when core is.
@SuppressWarnings("module")
module io.lockstep {
    // JFR events (io.lockstep.internal.jfr): a JDK module in every JDK build, not a third-party
    // dependency. Required, not `requires static`: an optional module is not resolved on the
    // module path unless the application adds it, and its events would silently vanish.
    requires jdk.jfr;

    exports io.lockstep.atomic;
    exports io.lockstep.channel;
    exports io.lockstep.contention;
    exports io.lockstep.deadlock;
    exports io.lockstep.local;
    exports io.lockstep.lock;
    exports io.lockstep.lockfree;
    exports io.lockstep.observe;
    exports io.lockstep.park;
    exports io.lockstep.promise;
    exports io.lockstep.rcu;
    exports io.lockstep.spin;
    exports io.lockstep.stm;
    exports io.lockstep.sync;
    // Deadline and Completions, for lockstep-zookeeper and lockstep-os: one conversion of timeouts
    // and one trampoline for the whole library; not API.
    exports io.lockstep.internal to io.lockstep.zookeeper, io.lockstep.os;
}
