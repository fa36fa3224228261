package io.lockstep.zookeeper;

import java.util.concurrent.ThreadFactory;

/**
 * Where user-visible callbacks run: future completions and lost-ownership callbacks.
 *
 * <p>Implementation notes. Never on ZooKeeper's event thread nor Curator's connection-state
 * thread, where this library's own callbacks run: a user callback that blocked there (say, a
 * synchronous {@code lock()} in a {@code thenAccept}) would stop every watch and reply of the
 * session, including the one it waits for. Each callback gets a fresh virtual thread, so none
 * waits behind another and none adds stack depth to the code that triggered it.
 */
final class Callbacks {
    // A factory, not the builder: builders are not thread-safe, factories are.
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("lockstep-zk-callback-", 0).factory();

    private Callbacks() {}

    static void run(Runnable callback) {
        THREADS.newThread(callback).start();
    }
}
