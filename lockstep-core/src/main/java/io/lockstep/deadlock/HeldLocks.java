package io.lockstep.deadlock;

import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * The locks one thread holds, in acquisition order, and its cache of lock chains already
 * validated (lockdep's chain cache). Touched only by its own thread, so plain fields.
 */
final class HeldLocks {
    /*
     * Implementation notes.
     *
     * Based on: Linux lockdep's chain-key cache (lookup_chain_cache): the sequence of held locks
     * names a "chain"; if a thread has validated acquiring L on top of chain C before, it need
     * not walk the graph for any of C's locks again. Difference: lockdep's chain key is a 64-bit
     * hash and a collision could hide a violation; here a chain is an exact id instead, a trie
     * over the held sequence: chain ids are handed out by a per-thread counter, and the table
     * maps (parent chain id, lock identity, mode) to the child's id, comparing all three exactly.
     * Two different held sequences therefore never share an id, and a hit is proof that every
     * edge held[i] -> L (with these modes) is already in the graph of this epoch, so skipping
     * the graph can never hide a new order. Ids are never reused (a long does not wrap), so an
     * id kept in the held stack or in the memo stays meaningful after the table is emptied.
     *
     * Per entry, bits say how the top acquisition was validated: BLOCKING (every edge checked
     * and recorded as a blocking edge) or TRY (recorded as a try edge); BLOCKING covers a later
     * try too. A violation is never marked, so under WARN it is checked again each time (and
     * reported once, by the graph).
     *
     * Bounds: open addressing with linear probing over at most MAX_PROBES slots; the table
     * starts at 16 entries, doubles up to MAX_ENTRIES, and when a full one cannot take a new
     * entry it is emptied (lockdep stops validating when its table fills; emptying instead only
     * costs re-validation). So a thread uses at most MAX_ENTRIES entries whatever its locking
     * pattern. Locks are held through WeakReferences, so the cache keeps no lock alive; an entry
     * for a dead lock just waits to be overwritten or emptied with the table.
     *
     * A hit usually skips the hash too: hints[d] remembers the slot that the last lookup at
     * depth d found, and is checked exactly as a probe is (parent id, mode, lock), so a stale
     * hint (the table grew or was emptied) only costs the probe it would have made anyway.
     *
     * Chain ids are computed lazily: a push stores the id that the validation just looked up
     * (memo) or UNKNOWN, and an acquisition on top resolves the unknown ids from the highest known
     * one (transitions only, no validation, through the same hints). So the innermost lock of a
     * nest, and a lock taken with nothing held, cost no probe when taken (the outermost one's id
     * is resolved, usually from its hint, when something is taken on top of it). Release of the top lock pops it; release out of
     * order marks the ids above it UNKNOWN.
     */
    static final int BLOCKING = 1, TRY = 2;
    private static final long UNKNOWN = -1;
    private static final int MIN_ENTRIES = 16, MAX_ENTRIES = 1024, MAX_PROBES = 8;

    /** The owning thread's id (ids are never reused): what LockOrderValidator's slots check. */
    final long thread = Thread.currentThread().threadId();
    Object[] locks = new Object[8];
    int[] modes = new int[8];
    /** chains[i]: the id of the chain locks[0..i], UNKNOWN until needed; the empty chain is 0. */
    private long[] chains = new long[8];
    /** hints[i]: the table slot the last lookup of an acquisition at depth i found (a guess, checked like a probe). */
    private int[] hints = new int[8];
    int size;

    /* The chain table: parallel arrays, slot empty when refs[i] == null. */
    private long[] parents = new long[MIN_ENTRIES];
    @SuppressWarnings("unchecked")
    private WeakReference<Object>[] refs = new WeakReference[MIN_ENTRIES];
    private int[] modeAndBits = new int[MIN_ENTRIES];      // mode << 2 | validated bits
    private long[] children = new long[MIN_ENTRIES];
    private int used;
    private long lastId;
    /** The graph epoch the table's validated bits belong to. */
    private long epoch;
    /*
     * The transition a validation just looked up, so that the push right after it needs no
     * second probe. Strong, but cleared by that push; a lock whose acquisition was validated and
     * then abandoned (interrupted, or refused under THROW) stays here until this thread's next
     * acquisition: one lock at most.
     */
    private Object memoLock;
    private long memoParent, memoChild;
    private int memoMode;

    /** The chain below the lock being taken (the top of the stack), 0 when none is held. */
    private long top() {
        int n = size;
        if (n == 0) return 0;
        long c = chains[n - 1];
        return c != UNKNOWN ? c : resolve();
    }

    /** Computes the unknown chain ids at the top of the stack. */
    private long resolve() {
        int k = size - 1;
        while (k > 0 && chains[k - 1] == UNKNOWN) k--;
        long c = k == 0 ? 0 : chains[k - 1];
        for (; k < size; k++) chains[k] = c = children[hinted(k, c, locks[k], modes[k])];
        return c;
    }

    /** As {@link #transition}, trying (and then updating) the hint for depth {@code depth} first. */
    private int hinted(int depth, long parent, Object lock, int mode) {
        int i = hints[depth];
        return matches(i, parent, lock, mode) ? i : (hints[depth] = transition(parent, lock, mode));
    }

    /** Whether acquiring {@code lock} in {@code mode} on the current chain was validated with {@code bit}. */
    boolean validated(Object lock, int mode, int bit, long graphEpoch) {
        if (epoch != graphEpoch) return newEpoch(graphEpoch);
        long parent = top();
        int i = hints[size];
        if (!matches(i, parent, lock, mode)) {
            if ((i = find(parent, lock, mode)) < 0) return false;
            hints[size] = i;
        }
        memo(parent, lock, mode, children[i]);
        return (modeAndBits[i] & bit) != 0;
    }

    private boolean newEpoch(long graphEpoch) {
        clearTable();
        epoch = graphEpoch;
        return false;
    }

    /** Marks acquiring {@code lock} in {@code mode} on the current chain as validated with {@code bit}. */
    void markValidated(Object lock, int mode, int bit) {
        long parent = top();
        int i = hinted(size, parent, lock, mode);
        modeAndBits[i] |= bit;
        memo(parent, lock, mode, children[i]);
    }

    private void memo(long parent, Object lock, int mode, long child) {
        memoLock = lock;
        memoParent = parent;
        memoMode = mode;
        memoChild = child;
    }

    void push(Object lock, int mode) {
        if (size + 1 == locks.length) growStack();            // hints[size + 1] is read by the next acquisition
        // The chain id is needed only if something is acquired on top: computed then (resolve).
        long below = size == 0 ? 0 : chains[size - 1];
        long child = memoLock == lock && memoMode == mode && memoParent == below ? memoChild : UNKNOWN;
        memoLock = null;
        locks[size] = lock;
        modes[size] = mode;
        chains[size++] = child;
    }

    private void growStack() {
        locks = Arrays.copyOf(locks, locks.length * 2);
        modes = Arrays.copyOf(modes, modes.length * 2);
        chains = Arrays.copyOf(chains, chains.length * 2);
        hints = Arrays.copyOf(hints, hints.length * 2);
    }

    /** Removes the most recent hold of {@code lock}; ignores a lock it never saw pushed. */
    void remove(Object lock) {
        if (size > 0 && locks[size - 1] == lock) {            // the common, nested case
            locks[--size] = null;
            return;
        }
        removeBelowTop(lock);
    }

    private void removeBelowTop(Object lock) {
        for (int i = size - 2; i >= 0; i--) {
            if (locks[i] == lock) {
                System.arraycopy(locks, i + 1, locks, i, size - i - 1);
                System.arraycopy(modes, i + 1, modes, i, size - i - 1);
                locks[--size] = null;
                Arrays.fill(chains, i, size, UNKNOWN);        // the ids above depended on it
                return;
            }
        }
    }

    /** How many chain entries this thread's table holds (for tests of the bound). */
    int cachedChains() {
        return used;
    }

    /** Whether slot {@code i} (a hint: in range, as the table never shrinks, but perhaps stale) holds (parent, lock, mode). */
    private boolean matches(int i, long parent, Object lock, int mode) {
        if (parents[i] != parent || (modeAndBits[i] >>> 2) != mode) return false;
        WeakReference<Object> ref = refs[i];
        return ref != null && ref.refersTo(lock);
    }

    /** The slot of (parent, lock, mode), or -1. */
    private int find(long parent, Object lock, int mode) {
        WeakReference<Object>[] r = refs;
        int mask = r.length - 1;
        for (int n = 0, i = hash(parent, lock, mode) & mask; n < MAX_PROBES; n++, i = (i + 1) & mask) {
            WeakReference<Object> ref = r[i];
            if (ref == null) return -1;
            if (parents[i] == parent && (modeAndBits[i] >>> 2) == mode && ref.refersTo(lock)) return i;
        }
        return -1;
    }

    /** The slot of (parent, lock, mode), created (with a new child id, nothing validated) if absent. */
    private int transition(long parent, Object lock, int mode) {
        int i = find(parent, lock, mode);
        return i >= 0 ? i : insert(parent, lock, mode);
    }

    private int insert(long parent, Object lock, int mode) {
        for (;;) {
            int mask = refs.length - 1;
            for (int n = 0, j = hash(parent, lock, mode) & mask; n < MAX_PROBES; n++, j = (j + 1) & mask) {
                if (refs[j] == null) {
                    parents[j] = parent;
                    refs[j] = new WeakReference<>(lock);
                    modeAndBits[j] = mode << 2;
                    children[j] = ++lastId;
                    used++;
                    return j;
                }
            }
            if (refs.length < MAX_ENTRIES) grow();
            else clearTable();
        }
    }

    private void grow() {
        long[] oldParents = parents, oldChildren = children;
        WeakReference<Object>[] oldRefs = refs;
        int[] oldBits = modeAndBits;
        allocate(oldRefs.length * 2);
        for (int i = 0; i < oldRefs.length; i++) {
            Object lock = oldRefs[i] == null ? null : oldRefs[i].get();
            if (lock == null) continue;                        // empty, or a dead lock's entry: drop
            int mask = refs.length - 1;
            for (int n = 0, j = hash(oldParents[i], lock, oldBits[i] >>> 2) & mask; n < MAX_PROBES; n++, j = (j + 1) & mask) {
                if (refs[j] == null) {
                    parents[j] = oldParents[i];
                    refs[j] = oldRefs[i];
                    modeAndBits[j] = oldBits[i];
                    children[j] = oldChildren[i];
                    used++;
                    break;
                }
            }                                                  // no room within the probe limit: dropped
        }
    }

    private void clearTable() {
        if (used > 0) allocate(refs.length);
    }

    @SuppressWarnings("unchecked")
    private void allocate(int capacity) {
        parents = new long[capacity];
        refs = new WeakReference[capacity];
        modeAndBits = new int[capacity];
        children = new long[capacity];
        used = 0;
    }

    private static int hash(long parent, Object lock, int mode) {
        long h = (parent * 0x9E3779B97F4A7C15L) ^ System.identityHashCode(lock) ^ ((long) mode << 31);
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}
