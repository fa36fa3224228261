package io.lockstep.testing;

/**
 * Starting the platform threads of a Fray test: Fray schedules plain {@link Thread}s (not virtual
 * ones, not executors), and a checked exception in a body is a test failure.
 *
 * <pre>{@code
 * Thread t = FrayThreads.start(() -> channel.send(1));
 * ...
 * t.join();
 * }</pre>
 */
public final class FrayThreads {
    private FrayThreads() {}

    /** Starts a platform thread running {@code body}; anything it throws fails the test. */
    public static Thread start(TestThread.Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        return t;
    }
}
