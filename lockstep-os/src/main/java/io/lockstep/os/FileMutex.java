package io.lockstep.os;

import io.lockstep.internal.Deadline;
import io.lockstep.lock.RawMutex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mutex named by a file, shared by every process on the host that opens the same file and by
 * every thread of this JVM: at most one thread of one process holds it. The OS drops a dead
 * process's lock, so a holder that crashes (or is killed with {@code kill -9}) releases it.
 *
 * <pre>{@code
 * try (FileMutex mutex = FileMutex.open(Path.of("/var/run/myapp/db.lock"))) {
 *     try (FileMutexGuard g = mutex.lock()) {
 *         migrateDatabase();                      // no other process or thread is in here
 *     }
 * }
 * }</pre>
 *
 * <p>{@link java.nio.channels.FileChannel#lock} alone excludes other processes but not the
 * threads of this JVM (it throws {@link OverlappingFileLockException} at them), blocks the carrier
 * of a virtual thread, and its lock is silently dropped when <em>any</em> channel of this process
 * on the same file is closed (POSIX record locks belong to the process). FileMutex takes a
 * Lockstep {@link RawMutex} first, then polls the file lock without blocking, and shares one
 * channel per file among every FileMutex of this JVM opened on it (by real path), so none of
 * that happens.
 *
 * <p>Works from virtual threads: waiting parks (the in-process mutex) or sleeps in bounded
 * back-off (the file lock, polled every 0.1 ms at first, then at most every 10 ms), never inside
 * {@code synchronized} and never in a blocking system call.
 *
 * <p>Not fair between processes: nothing wakes a process that polls, so a process whose threads
 * take the mutex back to back can keep it while another sleeps between polls. Meant for coarse
 * locking (a migration, a shared cache file), not for a hot path shared by processes.
 *
 * <p>The lock file is created if absent and never deleted (deleting a lock file races with a
 * process that has just opened it). Other programs exclude with it if they take POSIX record
 * locks ({@code fcntl}/{@code lockf}, which Java's {@code FileChannel.lock} uses on Linux and
 * macOS), not BSD {@code flock}. Hard links to one file under two names are two mutexes in this
 * JVM.
 *
 * <p><b>Ownership:</b> the guard belongs to the thread that locked; closing it from another
 * thread throws {@link IllegalMonitorStateException} and changes nothing. Not reentrant: a
 * holder that locks again waits for itself, as {@link RawMutex} does.
 * <p><b>Memory effects:</b> in this JVM, as a {@code Lock}: an unlock happens-before every later
 * lock. Across processes, what one holder wrote to files before unlocking is visible to the next
 * holder's reads (the OS orders file I/O under record locks).
 */
public final class FileMutex implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Sharing: OPEN maps a real path to its Shared (one channel, one RawMutex, a count of open
     * FileMutexes), under REGISTRY. A second channel on a file this process has locked must not
     * even be opened and closed (the close would drop the lock), so the file is created with
     * CREATE_NEW (which opens nothing when it exists) and its real path is looked up before any
     * channel is opened.
     *
     * Order: in-process RawMutex first, then the file lock; release in reverse. Only the one
     * thread holding the RawMutex polls the file, the others park on the RawMutex.
     *
     * Why AsynchronousFileChannel: a FileChannel is an InterruptibleChannel, so interrupting a
     * thread inside tryLock() closes the shared channel and with it every lock of this process
     * on the file. The asynchronous channel's synchronous tryLock() is not interruptible; on
     * Linux and macOS both take the same fcntl(F_SETLK) lock.
     *
     * Lifecycle: `state` counts the threads using this FileMutex (waiting or holding) and has
     * CLOSED; close() succeeds only at zero users, so no thread ever polls a closed channel and
     * close() never has to wait.
     */
    private static final RawMutex REGISTRY = new RawMutex();
    private static final Map<Path, Shared> OPEN = new HashMap<>(); // guarded by REGISTRY

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int CLOSED = 1 << 30;

    /** One lock file of this JVM: its channel and in-process mutex, shared by every FileMutex on it. */
    static final class Shared {
        final Path realPath;
        final AsynchronousFileChannel channel;
        final RawMutex threads = new RawMutex();
        int opened; // guarded by REGISTRY

        Shared(Path realPath, AsynchronousFileChannel channel) {
            this.realPath = realPath;
            this.channel = channel;
        }
    }

    private final Path path;
    private final Shared shared;
    private final AtomicInteger state = new AtomicInteger(); // users | CLOSED

    private FileMutex(Path path, Shared shared) {
        this.path = path;
        this.shared = shared;
    }

    /**
     * Opens the mutex named by {@code path}, creating the file if it does not exist (its
     * directory must). Cheap to call again for the same file: the channel is shared.
     *
     * @throws AccessDeniedException  if the file cannot be created or opened for writing
     * @throws NoSuchFileException    if its directory does not exist
     * @throws NotDirectoryException  if a parent of the path is not a directory
     * @throws FileSystemException    for any other reason the path cannot be a lock file (it is a
     *                                directory, ...); the message names the path and the reason
     * @throws IOException            if an I/O error occurs
     */
    public static FileMutex open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Path absolute = path.toAbsolutePath().normalize();
        REGISTRY.lock();
        try {
            try {
                Files.createFile(absolute);
            } catch (FileAlreadyExistsException exists) {
                // Fine: it is opened below.
            }
            Path real = absolute.toRealPath();
            Shared shared = OPEN.get(real);
            if (shared == null) {
                shared = new Shared(real, AsynchronousFileChannel.open(real, StandardOpenOption.READ, StandardOpenOption.WRITE));
                OPEN.put(real, shared);
            }
            shared.opened++;
            return new FileMutex(absolute, shared);
        } catch (FileSystemException e) {
            throw unusable(absolute, e);
        } finally {
            REGISTRY.unlock();
        }
    }

    /** The JDK's exception of the same kind, saying that the path cannot be a lock file, and why. */
    private static FileSystemException unusable(Path path, FileSystemException e) {
        String reason = "cannot be used as a FileMutex lock file ("
                + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + ")";
        String file = path.toString();
        FileSystemException clear;
        if (e instanceof AccessDeniedException) {
            clear = new AccessDeniedException(file, null, reason + "; it must be writable by this process");
        } else if (e instanceof NoSuchFileException) {
            clear = new NoSuchFileException(file, null, reason + "; its directory must exist");
        } else if (e instanceof NotDirectoryException) {
            clear = new FileSystemException(file, null, reason + "; a parent is not a directory");
        } else {
            clear = new FileSystemException(file, e.getOtherFile(), reason);
        }
        clear.initCause(e);
        return clear;
    }

    /** The path it was opened with, made absolute. */
    public Path path() {
        return path;
    }

    /**
     * Locks, waiting as long as it takes; an interrupt does not stop the wait (it is kept set for
     * the caller), as {@link RawMutex#lock()}.
     *
     * @throws IllegalStateException if this FileMutex is closed
     * @throws UncheckedIOException  if the file system refuses to lock the file
     */
    public FileMutexGuard lock() {
        enter();
        shared.threads.lock();
        return lockFileUninterruptibly(Deadline.NONE);
    }

    /**
     * Locks, waiting until it is free or the thread is interrupted.
     *
     * @throws InterruptedException  if interrupted while waiting; nothing is held then
     * @throws IllegalStateException if this FileMutex is closed
     * @throws UncheckedIOException  if the file system refuses to lock the file
     */
    public FileMutexGuard lockInterruptibly() throws InterruptedException {
        enter();
        try {
            shared.threads.lockInterruptibly();
        } catch (InterruptedException e) {
            leave();
            throw e;
        }
        return lockFile(Deadline.NONE, true);
    }

    /**
     * Locks if no thread of any process holds it now, without waiting.
     *
     * @throws IllegalStateException if this FileMutex is closed
     * @throws UncheckedIOException  if the file system refuses to lock the file
     */
    public Optional<FileMutexGuard> tryLock() {
        enter();
        if (!shared.threads.tryLock()) {
            leave();
            return Optional.empty();
        }
        return Optional.ofNullable(lockFileUninterruptibly(Deadline.afterNanos(0)));
    }

    /**
     * Locks, waiting at most {@code timeout} (zero or negative: try once).
     *
     * @throws InterruptedException  if interrupted while waiting; nothing is held then
     * @throws IllegalStateException if this FileMutex is closed
     * @throws UncheckedIOException  if the file system refuses to lock the file
     */
    public Optional<FileMutexGuard> tryLock(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        enter();
        boolean entered;
        try {
            entered = shared.threads.tryLock(Deadline.remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            leave();
            throw e;
        }
        if (!entered) {
            leave();
            return Optional.empty();
        }
        return Optional.ofNullable(lockFile(deadline, true));
    }

    /** Whether the current thread holds this mutex (through this or another FileMutex on the file). */
    public boolean isHeldByCurrentThread() {
        return shared.threads.isHeldByCurrentThread();
    }

    /**
     * Closes this FileMutex; the shared channel closes with the last FileMutex of this JVM on
     * the file. Idempotent.
     *
     * @throws IllegalStateException if a thread holds it or waits for it through this FileMutex
     *                               (unlock, or interrupt the waiters, first); it stays open then
     */
    @Override
    public void close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) return;
            if (s != 0) {
                throw new IllegalStateException(this + " is in use by " + s + " thread(s), holding or waiting; unlock first");
            }
            if (state.compareAndSet(0, CLOSED)) break;
        }
        REGISTRY.lock();
        try {
            if (--shared.opened == 0) {
                OPEN.remove(shared.realPath);
                try {
                    shared.channel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("closing the lock file " + path, e);
                }
            }
        } finally {
            REGISTRY.unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    @Override
    public String toString() {
        return "FileMutex[" + path + (isClosed() ? ", closed" : "") + "]";
    }

    // --- internals ---

    private void enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) throw new IllegalStateException(this + " is closed");
            if (state.compareAndSet(s, s + 1)) return;
        }
    }

    private void leave() {
        state.decrementAndGet();
    }

    /**
     * With the in-process mutex held: polls the file lock until {@code deadline}, sleeping in
     * doubling steps. Returns the guard, or null on timeout; on timeout, interrupt or failure,
     * releases the in-process mutex and leaves.
     */
    private FileMutexGuard lockFile(long deadline, boolean interruptible) throws InterruptedException {
        boolean interrupted = false;
        FileLock lock = null;
        try {
            PollBackoff backoff = new PollBackoff(0, MIN_BACKOFF_NANOS, MAX_BACKOFF_NANOS);
            while ((lock = pollOnce()) == null) {
                if (Deadline.expired(deadline)) return null;
                backoff.pause(this, deadline);
                // Cleared either way: a set flag would make every later parkNanos return at once.
                if (Thread.interrupted()) {
                    if (interruptible) throw new InterruptedException();
                    interrupted = true;
                }
            }
            return new FileMutexGuard(this, lock);
        } finally {
            if (lock == null) {
                shared.threads.unlock();
                leave();
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private FileMutexGuard lockFileUninterruptibly(long deadline) {
        try {
            return lockFile(deadline, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** One non-blocking attempt at the file lock: the lock, or null if another process holds it. */
    private FileLock pollOnce() {
        try {
            return shared.channel.tryLock();
        } catch (OverlappingFileLockException lockedElsewhereInThisJvm) {
            // Code outside FileMutex holds a FileChannel lock on this file in this JVM: busy.
            return null;
        } catch (ClosedChannelException e) {
            throw new IllegalStateException(this + " is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException("locking " + path, e);
        }
    }

    /** Called by the guard, on the holder's thread. */
    void unlock(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("unlocking " + path, e);
        } finally {
            shared.threads.unlock();
            leave();
        }
    }
}
