package io.lockstep.deadlock;

import java.util.Arrays;

/**
 * The locks one thread holds, in acquisition order, and a small cache of the lock-order edges this
 * thread has already validated. Touched only by its own thread, so plain fields.
 */
final class HeldLocks {
    private static final int CACHE_SIZE = 256;                 // power of two

    Object[] locks = new Object[8];
    int[] modes = new int[8];
    int size;

    /* Direct-mapped cache of validated edges (from, to, bit); valid only for `epoch`. */
    private final Object[] cacheFrom = new Object[CACHE_SIZE];
    private final Object[] cacheTo = new Object[CACHE_SIZE];
    private final int[] cacheBits = new int[CACHE_SIZE];
    private long epoch;

    void push(Object lock, int mode) {
        if (size == locks.length) {
            locks = Arrays.copyOf(locks, size * 2);
            modes = Arrays.copyOf(modes, size * 2);
        }
        locks[size] = lock;
        modes[size++] = mode;
    }

    /** Removes the most recent hold of {@code lock}; ignores a lock it never saw pushed. */
    void remove(Object lock) {
        for (int i = size - 1; i >= 0; i--) {
            if (locks[i] == lock) {
                System.arraycopy(locks, i + 1, locks, i, size - i - 1);
                System.arraycopy(modes, i + 1, modes, i, size - i - 1);
                locks[--size] = null;
                return;
            }
        }
    }

    boolean cached(Object from, Object to, int bit, long graphEpoch) {
        if (epoch != graphEpoch) return false;
        int i = slot(from, to);
        return cacheFrom[i] == from && cacheTo[i] == to && (cacheBits[i] & bit) != 0;
    }

    void cache(Object from, Object to, int bit, long graphEpoch) {
        if (epoch != graphEpoch) {
            Arrays.fill(cacheFrom, null);
            Arrays.fill(cacheTo, null);
            epoch = graphEpoch;
        }
        int i = slot(from, to);
        if (cacheFrom[i] == from && cacheTo[i] == to) {
            cacheBits[i] |= bit;
        } else {
            cacheFrom[i] = from;
            cacheTo[i] = to;
            cacheBits[i] = bit;
        }
    }

    private static int slot(Object from, Object to) {
        int h = System.identityHashCode(from) * 31 + System.identityHashCode(to);
        return (h ^ (h >>> 16)) & (CACHE_SIZE - 1);
    }
}
