package io.lockstep.os;

import io.lockstep.internal.Deadline;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore shared by every process on the host that opens the same file: at most
 * {@link #permits()} permits are held at once, whichever processes and threads hold them. Permits
 * held by a process that dies (even by {@code kill -9}) are recovered: each permit records its
 * holder's pid and start time, and a waiter that finds none free checks whether the holders
 * still live.
 *
 * <pre>{@code
 * try (SharedSemaphore gpus = SharedSemaphore.open(Path.of("/tmp/myapp-gpus.sem"), 2);
 *      SharedPermit permit = gpus.acquire()) {
 *     train();                                   // at most 2 processes train at once
 * }
 * }</pre>
 *
 * <p>The file holds a versioned header and one lease per permit, updated with atomic
 * operations on the memory-mapped file ({@link VarHandle}s on a {@link MappedByteBuffer}), so an
 * uncontended acquire and release cost one CAS each and no system call. A file of another format
 * or version, or with a damaged header, is refused with {@link IOException}, never reinterpreted.
 *
 * <p>Waiting spins a few rounds, then sleeps in doubling steps (50 µs up to 5 ms): nothing wakes
 * a waiter in another process, so a release is noticed within one sleep; for the same reason it
 * is not fair (a running thread may take a permit a sleeping one waited for). Works from virtual
 * threads. One permit per acquire: acquiring several one by one could deadlock two processes
 * that each hold part of what they need.
 *
 * <p>Pid reuse: a lease names its process by pid and start time (where the OS reports it), so a
 * new process that got a dead holder's pid does not keep that holder's permit. A process that has
 * died but not yet been reaped by its parent (a zombie) still counts as alive.
 *
 * <p><b>Memory effects:</b> a release happens-before the acquire that takes the released lease,
 * in this JVM and (through the mapped file's shared memory and the CAS's fences) across
 * processes.
 */
public final class SharedSemaphore implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Layout (little-endian): MappedHeader (magic "LKSTSEMA", version, permits, state), then
     *   64 + i*64: lease i, a long owner word: 0 free, else (start stamp << 32) | pid
     * Leases are padded to a cache line each: processes claiming neighbours do not false-share.
     *
     * The leases are the only truth: there is no separate counter that a crash between two
     * writes could leave out of step. Acquiring is one CAS of a free lease from 0 to our owner
     * word; releasing is one CAS back. Recovery CASes a dead owner's word to 0, so two processes
     * recovering the same lease free it once, and a permit is never counted twice.
     *
     * Creation and the checks of a file that exists: MappedHeader.
     */
    private static final long MAGIC = 0x414D_4553_5453_4B4CL; // "LKSTSEMA" read little-endian
    private static final int VERSION = 1;
    private static final int HEADER = MappedHeader.SIZE, LEASE_STRIDE = 64;
    /** Most permits a file may hold: leases are scanned, so keep the table small. */
    public static final int MAX_PERMITS = 4096;

    private static final int SPINS = 16;
    private static final long MIN_SLEEP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long RECOVERY_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final VarHandle LONGS = MappedHeader.LONGS;

    private final Path path;
    private final MappedByteBuffer map;
    private final int permits;
    private final long self = Owners.self();
    private volatile boolean closed;

    private SharedSemaphore(Path path, MappedByteBuffer map, int permits) {
        this.path = path;
        this.map = map;
        this.permits = permits;
    }

    /**
     * Opens the semaphore in {@code path}, creating it with {@code permits} permits if the file is
     * new or empty.
     *
     * @throws IllegalArgumentException if {@code permits} is not in 1..{@link #MAX_PERMITS}, or the
     *                                  file was created with another number of permits
     * @throws IOException              if the file is not a SharedSemaphore file (bad magic, damaged
     *                                  header), was written by an incompatible version, or cannot
     *                                  be opened for reading and writing
     */
    public static SharedSemaphore open(Path path, int permits) throws IOException {
        Objects.requireNonNull(path, "path");
        if (permits < 1 || permits > MAX_PERMITS) {
            throw new IllegalArgumentException("permits must be in 1.." + MAX_PERMITS + ": " + permits);
        }
        MappedByteBuffer map = MappedHeader.open(path, "SharedSemaphore", MAGIC, VERSION, permits, MAX_PERMITS,
                n -> n + " permits", n -> HEADER + (long) n * LEASE_STRIDE);
        return new SharedSemaphore(path.toAbsolutePath(), map, permits);
    }

    /** The number of permits, as created. */
    public int permits() {
        return permits;
    }

    /** The file, made absolute. */
    public Path path() {
        return path;
    }

    /**
     * Acquires a permit, waiting as long as it takes.
     *
     * @throws InterruptedException  if interrupted while waiting; nothing is held then
     * @throws IllegalStateException if this semaphore is closed
     */
    public SharedPermit acquire() throws InterruptedException {
        return acquire(Deadline.NONE).orElseThrow();
    }

    /**
     * Acquires a permit if one is free now (or held by a dead process), without waiting.
     *
     * @throws IllegalStateException if this semaphore is closed
     */
    public Optional<SharedPermit> tryAcquire() {
        checkOpen();
        int lease = claim();
        if (lease < 0 && recoverAbandoned() > 0) lease = claim();
        return lease < 0 ? Optional.empty() : Optional.of(new SharedPermit(this, lease));
    }

    /**
     * Acquires a permit, waiting at most {@code timeout} (zero or negative: do not wait).
     *
     * @throws InterruptedException  if interrupted while waiting; nothing is held then
     * @throws IllegalStateException if this semaphore is closed
     */
    public Optional<SharedPermit> tryAcquire(Duration timeout) throws InterruptedException {
        return acquire(Deadline.after(timeout));
    }

    private Optional<SharedPermit> acquire(long deadline) throws InterruptedException {
        checkOpen();
        if (Thread.interrupted()) throw new InterruptedException();
        PollBackoff backoff = new PollBackoff(SPINS, MIN_SLEEP_NANOS, MAX_SLEEP_NANOS);
        long lastRecovery = System.nanoTime();
        for (;;) {
            int lease = claim();
            if (lease >= 0) return Optional.of(new SharedPermit(this, lease));
            long now = System.nanoTime();
            if (now - lastRecovery >= RECOVERY_INTERVAL_NANOS || Deadline.expired(deadline)) {
                lastRecovery = now;
                if (recoverAbandoned() > 0) continue;
            }
            if (Deadline.expired(deadline)) return Optional.empty();
            backoff.pause(this, deadline);
            if (Thread.interrupted()) throw new InterruptedException();
            checkOpen();
        }
    }

    /** One pass over the leases from a random start; the lease claimed, or -1 if none is free. */
    private int claim() {
        int start = ThreadLocalRandom.current().nextInt(permits);
        for (int k = 0; k < permits; k++) {
            int i = start + k < permits ? start + k : start + k - permits;
            int offset = leaseOffset(i);
            if ((long) LONGS.getVolatile(map, offset) == 0 && LONGS.compareAndSet(map, offset, 0L, self)) return i;
        }
        return -1;
    }

    /**
     * Frees the permits held by processes that no longer run. Waiters call it themselves while
     * they find no permit free; call it to see at once what a crash left behind.
     *
     * @return how many permits this call freed
     */
    public int recoverAbandoned() {
        int freed = 0;
        for (int i = 0; i < permits; i++) {
            int offset = leaseOffset(i);
            long owner = (long) LONGS.getVolatile(map, offset);
            if (owner != 0 && owner != self && !Owners.isAlive(owner) && LONGS.compareAndSet(map, offset, owner, 0L)) {
                freed++;
            }
        }
        return freed;
    }

    /** How many permits are free now (a snapshot; permits of dead holders count as held until recovered). */
    public int availablePermits() {
        int free = 0;
        for (int i = 0; i < permits; i++) {
            if ((long) LONGS.getVolatile(map, leaseOffset(i)) == 0) free++;
        }
        return free;
    }

    /** Called by a permit: gives its lease back. */
    void release(int lease) {
        if (!LONGS.compareAndSet(map, leaseOffset(lease), self, 0L)) {
            throw new IllegalStateException("lease " + lease + " of " + path + " is no longer held by this process"
                    + " (recovered by another process that found it dead?)");
        }
    }

    /**
     * Closes this handle: later acquires throw. Permits still held stay held (release them first);
     * the mapping is freed by the garbage collector. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException(this + " is closed");
    }

    private static int leaseOffset(int i) {
        return HEADER + i * LEASE_STRIDE;
    }

    @Override
    public String toString() {
        return "SharedSemaphore[" + path + ", " + permits + " permits" + (closed ? ", closed" : "") + "]";
    }
}
