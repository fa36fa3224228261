package io.lockstep.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of primitives, for every report that shows one: {@code toString()}, lock-order
 * violations, deadlock reports, thread dumps' park blockers and JFR events. Every public
 * primitive's {@code named(String)} stores its name here and returns the primitive;
 * {@link #describe} is the one way a primitive is shown: {@code RawMutex "orders"} when named,
 * {@code RawMutex@1b6d3586} (simple class name and identity hash) when not.
 *
 * <pre>{@code
 * public RawMutex named(String name) { return Names.name(this, name); }
 * public String name()               { return Names.of(this); }
 * public String toString()           { return Names.describe(this) + "[unlocked]"; }
 * }</pre>
 */
public final class Names {
    /*
     * Implementation notes.
     *
     * A side table, not a field: a name is set once and read only by reports, so it need not sit
     * in the object. A field would cost every instance, named or not: RawMutex has exactly 4
     * bytes of alignment padding today (24 bytes with compressed oops), which a field would
     * fill, but ReentrantMutex would grow from 24 to 32 bytes, and with compact object headers
     * RawMutex from 16 to 24. The table costs nothing for an unnamed primitive and about 100
     * bytes (a weak key and a map node) for a named one, which is typically long-lived.
     *
     * Keys are weak and compared by identity (no primitive overrides equals, but a user's Lock
     * under a Mutex might); a key whose primitive died is removed the next time a name is set,
     * so the table holds at most the live named primitives plus the dead ones since the last
     * naming. Lookups allocate one key; they happen only when something is being reported.
     *
     * Set once: naming a primitive twice with different names throws, because reports that
     * already used the first name (a recorded lock-order edge, a JFR recording) would disagree
     * with the new one.
     */
    private static final ConcurrentHashMap<Key, String> NAMES = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> DEAD = new ReferenceQueue<>();

    private Names() {}

    /**
     * Names {@code primitive}; returns it, for {@code new RawMutex().named("orders")}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if {@code primitive} already has a different name
     */
    public static <T> T name(T primitive, String name) {
        check(name);
        expunge();
        String before = NAMES.putIfAbsent(new Key(primitive, DEAD), name);
        if (before != null && !before.equals(name)) {
            throw new IllegalStateException(describe(primitive) + " is already named \"" + before
                    + "\"; a primitive is named once (reports that used the first name would disagree)");
        }
        return primitive;
    }

    /** Names {@code primitive} unless it already has a name (a Mutex passing its name to its lock). */
    public static void nameIfUnnamed(Object primitive, String name) {
        check(name);
        expunge();
        NAMES.putIfAbsent(new Key(primitive, DEAD), name);
    }

    /** The name of {@code primitive}, or null if it has none. */
    public static String of(Object primitive) {
        return primitive == null || NAMES.isEmpty() ? null : NAMES.get(new Key(primitive, null));
    }

    /** {@code Type "name"} for a named primitive, {@code Type@identityhex} otherwise. */
    public static String describe(Object primitive) {
        String type = primitive.getClass().getSimpleName();
        String name = of(primitive);
        return name != null ? type + " \"" + name + "\""
                : type + "@" + Integer.toHexString(System.identityHashCode(primitive));
    }

    /**
     * {@code Type "name"} for a named primitive, {@code Type} otherwise: for wrappers whose
     * {@code toString} shows the lock inside (with its identity), and for channels.
     */
    public static String label(Object primitive) {
        String type = primitive.getClass().getSimpleName();
        String name = of(primitive);
        return name != null ? type + " \"" + name + "\"" : type;
    }

    private static void check(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("a name must not be blank: \"" + name + "\"");
    }

    private static void expunge() {
        for (Object k; (k = DEAD.poll()) != null; ) NAMES.remove(k);
    }

    /** A weak key compared by the identity of its referent (a dead key equals only itself). */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object primitive, ReferenceQueue<Object> queue) {
            super(Objects.requireNonNull(primitive, "primitive"), queue);
            hash = System.identityHashCode(primitive);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other == this) return true;
            Object referent = get();
            return referent != null && other instanceof Key k && k.get() == referent;
        }
    }
}
