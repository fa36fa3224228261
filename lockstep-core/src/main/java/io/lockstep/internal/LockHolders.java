package io.lockstep.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Who holds a lock, for {@code io.lockstep.deadlock.DeadlockDetector}: each kind of Lockstep lock
 * registers, from its static initializer, how to list the threads holding one of its instances.
 * A lock kind that is never initialized has no instance a thread could be parked on, so
 * registering lazily loses nothing.
 *
 * <pre>{@code
 * static {
 *     LockHolders.register(MyLock.class, (l, action) -> { Thread o = ((MyLock) l).owner; if (o != null) action.accept(o); });
 * }
 * }</pre>
 * A read-write lock lists its writer, or every reader it knows of.
 */
public final class LockHolders {
    /** Lists the holders of {@code lock} (an instance of the registered type); racy snapshots are fine. */
    @FunctionalInterface
    public interface Lookup {
        void forEachHolder(Object lock, Consumer<? super Thread> action);
    }

    private record Entry(Class<?> type, Lookup lookup) {}

    private static final List<Entry> KINDS = new CopyOnWriteArrayList<>();

    private LockHolders() {}

    /** Registers how to find the holders of instances of {@code type}. */
    public static void register(Class<?> type, Lookup lookup) {
        KINDS.add(new Entry(type, lookup));
    }

    /** Whether {@code key} is a lock whose holders are known. */
    public static boolean isLock(Object key) {
        for (Entry e : KINDS) if (e.type.isInstance(key)) return true;
        return false;
    }

    /** Calls {@code action} with each thread holding {@code lock}; nothing if it is not a known lock. */
    public static void forEachHolder(Object lock, Consumer<? super Thread> action) {
        for (Entry e : KINDS) {
            if (e.type.isInstance(lock)) {
                e.lookup.forEachHolder(lock, action);
                return;
            }
        }
    }
}
