package io.lockstep.zookeeper;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The storage-side half of a distributed lock: a key-value store that refuses requests carrying a
 * stale fencing token. Each key has a <em>fence</em>, the highest token seen for it; a read or a
 * write with a lower token fails with {@link StaleTokenException} and changes nothing, one with an
 * equal or higher token is done and raises the fence to it.
 *
 * <pre>{@code
 * try (DistributedMutexGuard g = mutex.lock()) {
 *     long n = store.read("counter", g).orElse(0L);   // raises the fence: a lost holder's late
 *     store.write("counter", g, n + 1);              // write can no longer land after this read
 * }
 * }</pre>
 *
 * <p>Why reads take a token too: a holder that lost its lock after reading, and writes late,
 * would otherwise be accepted if the next holder has read but not yet written, and its write
 * would then overwrite the value the next holder's update is based on (a lost update). A fenced
 * read closes that window. Tokens compare across all locks of an ensemble (they are ZooKeeper
 * transaction ids), so every writer of a key must hold the same mutex.
 *
 * <p>Implementations: {@link InMemoryFencedStore} and {@link JdbcFencedStore}. Each request is
 * atomic with its fence check; that is the whole contract, and what makes the lock safe.
 *
 * @param <V> the values
 */
public interface FencedStore<V> {

    /**
     * The value of {@code key} (empty if it has none), after raising the key's fence to {@code token}.
     *
     * @throws StaleTokenException if the key's fence is above {@code token}
     * @throws FencedStoreException if the storage fails
     */
    Optional<V> read(String key, long token);

    /**
     * Sets {@code key} to {@code value} and raises the key's fence to {@code token}.
     *
     * @throws StaleTokenException if the key's fence is above {@code token}; nothing was written
     * @throws FencedStoreException if the storage fails
     */
    void write(String key, long token, V value);

    /** The key's fence: the highest token seen for it, or empty if none. */
    OptionalLong fence(String key);

    /** {@link #read(String, long)} with the guard's token. */
    default Optional<V> read(String key, FencedGuard guard) {
        return read(key, guard.token());
    }

    /** {@link #write(String, long, Object)} with the guard's token. */
    default void write(String key, FencedGuard guard, V value) {
        write(key, guard.token(), value);
    }

    /** {@link #write(String, long, Object)}, answering false instead of throwing for a stale token. */
    default boolean tryWrite(String key, long token, V value) {
        try {
            write(key, token, value);
            return true;
        } catch (StaleTokenException e) {
            return false;
        }
    }
}
