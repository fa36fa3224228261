package io.lockstep.os;

import io.lockstep.internal.Deadline;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A count-down latch shared by every process on the host that opens the same file: any process
 * may {@link #countDown()}, and every {@link #await()}, in any process, returns once the count
 * reaches zero. One-shot, like {@link java.util.concurrent.CountDownLatch}.
 *
 * <pre>{@code
 * try (SharedLatch ready = SharedLatch.open(Path.of("/tmp/myapp-ready.latch"), 3)) {  // every process says 3
 *     loadMyPart();
 *     ready.countDown();
 *     ready.await(Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>A count-down is one CAS on the mapped file, done once it returns: a process that counts down
 * and then dies (even by {@code kill -9}) has counted exactly once, never zero times (nothing is
 * recovered from a dead process, unlike {@link SharedSemaphore}'s permits) and never twice. A
 * file of another format or version, or with a damaged header or count, is refused with
 * {@link IOException}.
 *
 * <p>Waiting spins a few rounds, then sleeps in doubling steps (50 µs up to 5 ms): nothing wakes
 * a waiter in another process, so the opening is noticed within one sleep. Works from virtual
 * threads.
 *
 * <p><b>Memory effects:</b> actions before a {@code countDown()} happen-before a successful return
 * from {@code await} that saw its effect, in this JVM and (through the CAS on shared memory)
 * across processes.
 */
public final class SharedLatch implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Layout (little-endian): MappedHeader (magic "LKSTLTCH", version, initial count, state),
     * then at 64 a long `counted`: the number of count-downs so far, 0 in a new file (so the
     * header's READY publishes a correct latch without a second write), never above the initial
     * count. The count is initial - counted. A count-down CASes counted to counted + 1 while it
     * is below the initial count; a value above it (or negative) is damage, refused at open and
     * by every operation that reads it.
     */
    private static final long MAGIC = 0x4843_544C_5453_4B4CL; // "LKSTLTCH" read little-endian
    private static final int VERSION = 1;
    private static final int OFF_COUNTED = MappedHeader.SIZE;
    private static final int SPINS = 16;
    private static final long MIN_SLEEP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final VarHandle LONGS = MappedHeader.LONGS;

    private final Path path;
    private final MappedByteBuffer map;
    private final int initial;
    private volatile boolean closed;

    private SharedLatch(Path path, MappedByteBuffer map, int initial) {
        this.path = path;
        this.map = map;
        this.initial = initial;
    }

    /**
     * Opens the latch in {@code path}, creating it with the count {@code count} if the file is new
     * or empty.
     *
     * @throws IllegalArgumentException if {@code count} is below 1, or the file holds a latch
     *                                  created with another count
     * @throws IOException              if the file is not a SharedLatch file (bad magic, damaged
     *                                  header or count), was written by an incompatible version,
     *                                  or cannot be opened for reading and writing
     */
    public static SharedLatch open(Path path, int count) throws IOException {
        Objects.requireNonNull(path, "path");
        if (count < 1) throw new IllegalArgumentException("a SharedLatch's count is at least 1, not " + count);
        MappedByteBuffer map = MappedHeader.open(path, "SharedLatch", MAGIC, VERSION, count, Integer.MAX_VALUE,
                n -> "count " + n, n -> MappedHeader.SIZE + Long.BYTES);
        SharedLatch latch = new SharedLatch(path.toAbsolutePath(), map, count);
        try {
            latch.counted();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage());
        }
        return latch;
    }

    /** The count the latch was created with. */
    public int initialCount() {
        return initial;
    }

    /** The file, made absolute. */
    public Path path() {
        return path;
    }

    /** The current count: 0 once open. */
    public long getCount() {
        return initial - counted();
    }

    /**
     * Decrements the count unless it is zero already.
     *
     * @return whether this call decremented it
     * @throws IllegalStateException if this handle is closed or the file's count is damaged
     */
    public boolean countDown() {
        checkOpen();
        for (;;) {
            long c = counted();
            if (c == initial) return false;
            if (LONGS.compareAndSet(map, OFF_COUNTED, c, c + 1)) return true;
        }
    }

    /**
     * Waits until the count is zero.
     *
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if this handle is closed (before or while waiting)
     */
    public void await() throws InterruptedException {
        await(Deadline.NONE);
    }

    /**
     * Waits at most {@code timeout} until the count is zero; answers whether it is. A zero or
     * negative timeout only reads the count.
     *
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if this handle is closed (before or while waiting)
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return await(Deadline.after(timeout));
    }

    private boolean await(long deadline) throws InterruptedException {
        checkOpen();
        if (Thread.interrupted()) throw new InterruptedException();
        PollBackoff backoff = new PollBackoff(SPINS, MIN_SLEEP_NANOS, MAX_SLEEP_NANOS);
        for (;;) {
            if (counted() == initial) return true;
            if (Deadline.expired(deadline)) return false;
            backoff.pause(this, deadline);
            if (Thread.interrupted()) throw new InterruptedException();
            checkOpen();
        }
    }

    /** The count-downs so far, checked. */
    private long counted() {
        long c = (long) LONGS.getVolatile(map, OFF_COUNTED);
        if (c < 0 || c > initial) {
            throw new IllegalStateException(path + " is damaged: " + c + " count-downs recorded, its count is " + initial);
        }
        return c;
    }

    /** Closes this handle: later calls throw, and waits on it end. The count is unchanged. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException(this + " is closed");
    }

    @Override
    public String toString() {
        return "SharedLatch[" + path + ", count " + initial + (closed ? ", closed" : "") + "]";
    }
}
