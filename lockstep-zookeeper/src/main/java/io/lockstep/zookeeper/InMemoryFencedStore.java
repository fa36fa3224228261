package io.lockstep.zookeeper;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link FencedStore} in this JVM's memory: for tests, demos, and as the model of what a real
 * store must do. Thread-safe; each request is one compare-and-set.
 *
 * @param <V> the values; null is not a value
 */
public final class InMemoryFencedStore<V> implements FencedStore<V> {
    /*
     * Implementation notes. Each key holds an immutable (fence, value) cell in an
     * AtomicReference; a request reads the cell, checks the token, and CASes the successor in,
     * retrying only if another request got there first. So the check and the change are one
     * atomic step and no request waits for another (lock-free).
     */
    private record Cell<V>(long fence, V value) {}

    private final ConcurrentHashMap<String, AtomicReference<Cell<V>>> cells = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemoryFencedStore() {}

    @Override
    public Optional<V> read(String key, long token) {
        AtomicReference<Cell<V>> ref = cell(key);
        for (;;) {
            Cell<V> c = ref.get();
            if (c != null && token < c.fence) throw new StaleTokenException(key, token, c.fence);
            if (c != null && token == c.fence) return Optional.ofNullable(c.value);
            if (ref.compareAndSet(c, new Cell<>(token, c == null ? null : c.value))) {
                return Optional.ofNullable(c == null ? null : c.value);
            }
        }
    }

    @Override
    public void write(String key, long token, V value) {
        Objects.requireNonNull(value, "value");
        AtomicReference<Cell<V>> ref = cell(key);
        Cell<V> next = new Cell<>(token, value);
        for (;;) {
            Cell<V> c = ref.get();
            if (c != null && token < c.fence) throw new StaleTokenException(key, token, c.fence);
            if (ref.compareAndSet(c, next)) return;
        }
    }

    @Override
    public OptionalLong fence(String key) {
        AtomicReference<Cell<V>> ref = cells.get(Objects.requireNonNull(key, "key"));
        Cell<V> c = ref == null ? null : ref.get();
        return c == null ? OptionalLong.empty() : OptionalLong.of(c.fence);
    }

    private AtomicReference<Cell<V>> cell(String key) {
        return cells.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new AtomicReference<>());
    }

    @Override
    public String toString() {
        return "InMemoryFencedStore[" + cells.size() + " keys]";
    }
}
