package io.lockstep.channel.flavors;

import java.util.concurrent.locks.LockSupport;

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
     * State: ready false -> true once (volatile). waiter: the thread that may be parked here
     *   (set before it re-checks ready; the readier reads it after setting ready: the same
     *   Dekker pairing as Context, I2). It is the thread that calls waitReady, not the
     *   context's: a callback context (an async operation) has no thread, and its step runs on
     *   whatever virtual thread resumed it.
     * Wake-up: the partner that selects the packet's context does not wake the waiter at once;
     *   setReady does, once the message has moved (ZeroFlavor's notes say why). So setReady
     *   wakes the waiter wherever it sleeps: here, or still on its context.
     * Memory ordering: message is written before the volatile write of ready and read after the
     *   volatile read that saw it true.
     * Progress: a waiter only gets here after its context was selected, and the selector readies
     *   the packet a few instructions after leaving the channel lock, so waitReady spins
     *   briefly (SPINS rounds of CPU hints only: a yield would cost a virtual thread a trip
     *   through the scheduler), then parks until setReady unparks it (never spins unboundedly).
     */
    private static final int SPINS = 64;

    final boolean preloaded;          // a sender's packet: message present from the start
    Object message;                   // written by the sender before ready, read after
    private final Context context;    // the waiter's; immutable
    private volatile boolean ready;
    private volatile Thread waiter;   // may be parked in waitReady

    Packet(Object message, Context context) {
        this.preloaded = message != null;
        this.message = message;
        this.context = context;
    }

    void setReady() {
        ready = true;
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
        else context.unpark();
    }

    void waitReady() {
        for (int i = 0; i < SPINS; i++) {
            if (ready) return;
            Thread.onSpinWait();
        }
        waiter = Thread.currentThread();                    // before the re-check (Dekker)
        boolean interrupted = false;
        while (!ready) {
            LockSupport.park(this);
            if (Thread.interrupted()) interrupted = true;   // not interruptible: restore below
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
