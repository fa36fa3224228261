package io.lockstep.sync;

/**
 * Thrown by an acquire on a {@link Semaphore} that was {@linkplain Semaphore#close() closed},
 * before or while it waited (an async acquire's future fails with it). Nothing was taken.
 */
public final class SemaphoreClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SemaphoreClosedException() {
        super("semaphore closed");
    }
}
