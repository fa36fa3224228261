package io.lockstep.os;

import io.lockstep.channel.Sender;
import io.lockstep.lock.RawMutex;
import io.lockstep.sync.Event;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import sun.misc.SignalHandler;

/**
 * OS signals delivered to Lockstep primitives: a callback on an executor, an {@link Event} that
 * is set, or a channel that receives the {@link Signal}. Any number of subscribers per signal;
 * when the last one {@linkplain SignalSubscription#close() closes}, the handler that was there
 * before the first (for INT, TERM and HUP the JVM's own, which exits) is put back.
 *
 * <pre>{@code
 * Channel<Signal> signals = Channel.bounded(16);
 * try (SignalSubscription hup = OsSignals.subscribe(Signal.HUP, signals);
 *      SignalSubscription usr1 = OsSignals.subscribe(Signal.USR1, signals)) {
 *     for (;;) {
 *         switch (signals.recv()) {
 *             case HUP -> reloadConfig();
 *             case USR1 -> dumpStats();
 *             default -> { }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Subscribing to TERM or INT replaces the JVM's handler, so the JVM no longer exits on that
 * signal: the subscriber is expected to shut down (see {@link ShutdownSignal}).
 *
 * <p><b>Which signals.</b> INT, TERM, HUP, USR1, USR2, ALRM, TSTP, WINCH and CONT where the OS has
 * them (Windows: INT and TERM). QUIT, KILL, STOP, SEGV and PIPE are refused with
 * {@link IllegalArgumentException} (the JVM keeps them, or no process can catch them); a signal
 * this OS lacks, one the JVM uses here (all of INT, TERM and HUP under {@code -Xrs}, or one it
 * uses internally such as USR2 on some JVMs) or one of INT, TERM and HUP that this process
 * inherited as ignored (HUP under {@code nohup}, INT in a background job of a script) with
 * {@link UnsupportedOperationException}: such a signal would never be delivered.
 *
 * <p><b>Memory effects:</b> none are promised between the sender of a signal and the handler; a
 * delivery through an {@code Event} or a channel has that primitive's own.
 */
public final class OsSignals {
    /*
     * Implementation notes.
     *
     * One Slot per subscribed signal, kept in SLOTS under REGISTRY (a Lockstep RawMutex, never
     * `synchronized`, so a virtual thread that subscribes does not pin its carrier). The first
     * subscriber installs the Slot's own sun.misc handler and keeps the previous one; the last
     * to leave puts the previous one back. Installing and restoring happen under REGISTRY so that
     * a subscribe racing the last close cannot restore over a fresh install.
     *
     * Delivery: the JDK's "Signal Dispatcher" thread starts a new thread per signal that calls
     * Slot.handle, which reads the subscriber array (a volatile copy-on-write snapshot) without
     * any lock and offers the signal to each subscriber. Every offer is non-blocking: an
     * executor hand-off, Event.set, or Sender.trySend. So no user code runs under REGISTRY,
     * and a slow subscriber delays nobody.
     *
     * sun.misc.Signal.handle returns our own handler object when it was ours (it unwraps its
     * wrappers), so identity tells whether other code replaced the handler meanwhile; then
     * closing leaves that code's handler in place.
     */
    private static final RawMutex REGISTRY = new RawMutex();
    private static final Map<Signal, Slot> SLOTS = new EnumMap<>(Signal.class); // guarded by REGISTRY
    private static final SignalSubscription[] NONE = new SignalSubscription[0];

    private OsSignals() {}

    /**
     * Whether {@code signal} can be subscribed to on this OS: it is {@linkplain
     * Signal#isHandleable() handleable} and the OS has it. (A subscription can still be refused
     * when the JVM uses the signal here, or the process inherited it as ignored.)
     */
    public static boolean isSupported(Signal signal) {
        Objects.requireNonNull(signal, "signal");
        if (!signal.isHandleable()) return false;
        try {
            new sun.misc.Signal(signal.name());
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /**
     * Runs {@code handler} on {@code executor} each time {@code signal} arrives. A delivery the
     * executor rejects is counted as {@linkplain SignalSubscription#dropped() dropped}.
     *
     * @throws IllegalArgumentException      if the signal is reserved (see the class comment)
     * @throws UnsupportedOperationException if this OS or JVM cannot deliver it
     */
    public static SignalSubscription subscribe(Signal signal, Executor executor, Consumer<? super Signal> handler) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(handler, "handler");
        return install(signal, "callback", sub -> {
            executor.execute(() -> {
                if (!sub.isClosed()) handler.accept(signal);
            });
            return true;
        });
    }

    /**
     * Runs {@code handler} on a new virtual thread each time {@code signal} arrives.
     *
     * @throws IllegalArgumentException      if the signal is reserved (see the class comment)
     * @throws UnsupportedOperationException if this OS or JVM cannot deliver it
     */
    public static SignalSubscription subscribe(Signal signal, Consumer<? super Signal> handler) {
        return subscribe(signal, Thread::startVirtualThread, handler);
    }

    /**
     * Sets {@code event} each time {@code signal} arrives.
     *
     * @throws IllegalArgumentException      if the signal is reserved (see the class comment)
     * @throws UnsupportedOperationException if this OS or JVM cannot deliver it
     */
    public static SignalSubscription subscribe(Signal signal, Event event) {
        Objects.requireNonNull(event, "event");
        return install(signal, "event", sub -> {
            event.set();
            return true;
        });
    }

    /**
     * Sends {@code signal} into {@code channel} each time it arrives, without waiting: a delivery
     * that finds the channel full or closed is counted as {@linkplain SignalSubscription#dropped()
     * dropped} (the OS coalesces pending signals anyway; size the channel for the bursts you care
     * about).
     *
     * @throws IllegalArgumentException      if the signal is reserved (see the class comment)
     * @throws UnsupportedOperationException if this OS or JVM cannot deliver it
     */
    public static SignalSubscription subscribe(Signal signal, Sender<Signal> channel) {
        Objects.requireNonNull(channel, "channel");
        return install(signal, "channel", sub -> channel.trySend(signal).isSent());
    }

    /**
     * Raises {@code signal} in this process, as {@code kill -s <signal> <this pid>} would.
     * Without a subscriber, the OS's or JVM's default action follows: for TERM, INT and HUP the
     * JVM exits.
     *
     * @throws IllegalArgumentException      if the signal is reserved
     * @throws UnsupportedOperationException if this OS lacks it
     */
    public static void raise(Signal signal) {
        sun.misc.Signal.raise(osSignal(signal));
    }

    /** The subscribers of {@code signal} now (for diagnostics and tests). */
    static int subscriberCount(Signal signal) {
        REGISTRY.lock();
        try {
            Slot slot = SLOTS.get(signal);
            return slot == null ? 0 : slot.subscribers.length;
        } finally {
            REGISTRY.unlock();
        }
    }

    private static sun.misc.Signal osSignal(Signal signal) {
        Objects.requireNonNull(signal, "signal");
        if (!signal.isHandleable()) {
            throw new IllegalArgumentException(signal.osName() + " cannot be handled by Java code: " + signal.reservedBecause());
        }
        try {
            return new sun.misc.Signal(signal.name());
        } catch (IllegalArgumentException unknown) {
            throw new UnsupportedOperationException(signal.osName() + " does not exist on " + System.getProperty("os.name"), unknown);
        }
    }

    private static SignalSubscription install(Signal signal, String mode, SignalSubscription.Delivery delivery) {
        sun.misc.Signal os = osSignal(signal);
        SignalSubscription sub = new SignalSubscription(signal, mode, delivery);
        REGISTRY.lock();
        try {
            Slot slot = SLOTS.get(signal);
            if (slot == null) {
                slot = new Slot(signal, os);
                slot.installHandler();
                SLOTS.put(signal, slot);
            }
            SignalSubscription[] old = slot.subscribers;
            SignalSubscription[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = sub;
            slot.subscribers = next;
        } finally {
            REGISTRY.unlock();
        }
        return sub;
    }

    /** Removes {@code sub}; restores the previous handler when it was the last. */
    static void unsubscribe(SignalSubscription sub) {
        REGISTRY.lock();
        try {
            Slot slot = SLOTS.get(sub.signal());
            if (slot == null) return;
            SignalSubscription[] old = slot.subscribers;
            int i = Arrays.asList(old).indexOf(sub);
            if (i < 0) return;
            if (old.length == 1) {
                slot.subscribers = NONE;
                slot.restoreHandler();
                SLOTS.remove(sub.signal());
                return;
            }
            SignalSubscription[] next = new SignalSubscription[old.length - 1];
            System.arraycopy(old, 0, next, 0, i);
            System.arraycopy(old, i + 1, next, i, old.length - i - 1);
            slot.subscribers = next;
        } finally {
            REGISTRY.unlock();
        }
    }

    /** One subscribed signal: our handler, the handler it replaced, and the subscribers. */
    private static final class Slot implements SignalHandler {
        private final Signal signal;
        private final sun.misc.Signal os;
        private SignalHandler previous; // guarded by REGISTRY
        volatile SignalSubscription[] subscribers = NONE;

        Slot(Signal signal, sun.misc.Signal os) {
            this.signal = signal;
            this.os = os;
        }

        void installHandler() {
            SignalHandler before;
            try {
                before = sun.misc.Signal.handle(os, this);
            } catch (IllegalArgumentException usedByJvm) {
                throw new UnsupportedOperationException(signal.osName() + " is used by this JVM or OS"
                        + " (INT, TERM and HUP are, under -Xrs), so it cannot be subscribed to", usedByJvm);
            }
            // For the JVM's shutdown signals, an inherited "ignore" wins: the JVM records our
            // handler but does not install it, so it would never run.
            if (before == SignalHandler.SIG_IGN && isShutdownSignal(signal)) {
                sun.misc.Signal.handle(os, before);
                throw new UnsupportedOperationException(signal.osName() + " is ignored by this process (inherited from"
                        + " its parent: nohup, or a background job of a script), so it would never be delivered");
            }
            previous = before;
        }

        void restoreHandler() {
            SignalHandler replaced = sun.misc.Signal.handle(os, previous);
            if (replaced != this) {
                // Other code installed its own handler after ours: leave that one in place.
                sun.misc.Signal.handle(os, replaced);
            }
        }

        /** Runs on the JDK's per-signal thread; holds no lock and runs no user code. */
        @Override
        public void handle(sun.misc.Signal ignored) {
            for (SignalSubscription sub : subscribers) {
                sub.offer();
            }
        }
    }

    private static boolean isShutdownSignal(Signal signal) {
        return signal == Signal.INT || signal == Signal.TERM || signal == Signal.HUP;
    }
}
