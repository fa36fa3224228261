package io.lockstep.channel.flavors;

import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;

/**
 * The meeting point of a rendezvous (crossbeam's zero-flavor {@code Packet}). A waiting sender
 * registers a packet that already holds its message ("on stack" in crossbeam's terms): the
 * receiver that selects it takes the message and marks it ready, releasing the sender. A waiting
 * receiver registers an empty packet: the sender that selects it writes the message and marks it
 * ready, releasing the receiver.
 */
final class Packet {
    /*
     * Implementation notes.
     * State: ready false -> true once (volatile). parked: the waiter may be in the ParkingLot
     *   (set before it validates !ready under the bucket lock; the readier reads it after setting
     *   ready: the same Dekker pairing as Context, I2).
     * Memory ordering: message is written before the volatile write of ready and read after the
     *   volatile read that saw it true.
     * Progress: a packet is readied by the partner right after it leaves the channel lock, so
     *   waitReady spins briefly, then parks (never spins unboundedly).
     */
    final boolean preloaded;          // a sender's packet: message present from the start
    Object message;                   // written by the sender before ready, read after
    private volatile boolean ready;
    private volatile boolean parked;

    Packet(Object message) {
        this.preloaded = message != null;
        this.message = message;
    }

    void setReady() {
        ready = true;
        if (parked) ParkingLot.unparkAll(this);
    }

    void waitReady() {
        SpinWait spin = new SpinWait();
        while (!ready) {
            if (spin.spin()) continue;
            parked = true;
            ParkingLot.park(this, () -> !ready, null, null, ParkingLot.DEFAULT_PARK_TOKEN,
                    ParkingLot.NO_DEADLINE, false);
        }
    }
}
