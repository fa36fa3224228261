package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileMutex within one JVM: threads (platform and virtual) exclude each other, and misuse is reported. */
class FileMutexTest {
    @TempDir
    Path dir;

    @Test
    void threadsOfThisJvmExcludeEachOtherThroughOneOrSeveralFileMutexes() throws Exception {
        Path file = dir.resolve("threads.lock");
        int rounds = 300;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        // Two FileMutexes on one file: FileChannel.lock would throw OverlappingFileLockException here.
        try (FileMutex first = FileMutex.open(file); FileMutex second = FileMutex.open(dir.resolve("./threads.lock"))) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                FileMutex mutex = t % 2 == 0 ? first : second;
                Thread.Builder builder = t < 4 ? Thread.ofPlatform() : Thread.ofVirtual();
                threads.add(builder.start(() -> {
                    for (int i = 0; i < rounds; i++) {
                        try (FileMutexGuard g = mutex.lock()) {
                            if (inside.incrementAndGet() != 1) overlaps.incrementAndGet();
                            entries.incrementAndGet();
                            Thread.yield();
                            inside.decrementAndGet();
                        }
                    }
                }));
            }
            for (Thread t : threads) assertThat(t.join(ChildJvm.PATIENCE)).as(t + " finished").isTrue();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(entries).hasValue(8 * rounds);
    }

    @Test
    void manyVirtualThreadsGetThroughWithoutPinningTheirCarriers() throws Exception {
        try (FileMutex mutex = FileMutex.open(dir.resolve("virtual.lock"))) {
            AtomicInteger done = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try (FileMutexGuard g = mutex.lock()) {
                        LockSupport.parkNanos(50_000);
                        done.incrementAndGet();
                    }
                }));
            }
            for (Thread t : threads) assertThat(t.join(ChildJvm.PATIENCE)).isTrue();
            assertThat(done).hasValue(200);
        }
    }

    @Test
    void tryLockFailsWhileAnotherThreadHoldsAndSucceedsAfter() throws Exception {
        try (FileMutex mutex = FileMutex.open(dir.resolve("try.lock"))) {
            FileMutexGuard held = mutex.lock();
            assertThat(mutex.isHeldByCurrentThread()).isTrue();
            assertThat(tryLockElsewhere(mutex)).isEmpty();
            assertThat(onOtherThread(() -> mutex.tryLock(Duration.ofMillis(20)))).isEmpty();
            assertThat(onOtherThread(() -> mutex.tryLock(Duration.ofNanos(-1)))).isEmpty();

            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    Optional<FileMutexGuard> g = mutex.tryLock(ChildJvm.PATIENCE);
                    g.ifPresent(FileMutexGuard::close);
                    return g.isPresent();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, Thread::startVirtualThread);
            held.close();
            assertThat(waiter.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(mutex.isHeldByCurrentThread()).isFalse();
        }
    }

    @Test
    void aGuardClosedByAnotherThreadIsRefusedAndStaysLocked() throws Exception {
        try (FileMutex mutex = FileMutex.open(dir.resolve("owner.lock"))) {
            FileMutexGuard guard = mutex.lock();
            CompletableFuture<Void> intruder = CompletableFuture.runAsync(guard::close, Thread::startVirtualThread);
            assertThatThrownBy(() -> intruder.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalMonitorStateException.class);
            assertThat(guard.isClosed()).isFalse();
            assertThat(tryLockElsewhere(mutex)).as("still locked").isEmpty();
            guard.close();
            guard.close(); // a second close does nothing
            assertThat(onOtherThread(() -> mutex.tryLock().map(g -> {
                g.close();
                return g;
            }))).isPresent();
        }
    }

    @Test
    void waitingIsInterruptibleAndLockKeepsTheInterrupt() throws Exception {
        Path file = dir.resolve("interrupt.lock");
        try (FileMutex mutex = FileMutex.open(file);
             FileChannel outside = FileChannel.open(file, StandardOpenOption.WRITE);
             FileLock foreign = outside.lock()) {
            // A FileChannel lock of other code in this JVM: FileMutex sees the file busy and polls.
            CompletableFuture<Thread> started = new CompletableFuture<>();
            CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() -> {
                started.complete(Thread.currentThread());
                try {
                    return mutex.lockInterruptibly();
                } catch (InterruptedException e) {
                    return e;
                }
            }, Thread::startVirtualThread);
            Thread t = started.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            t.interrupt();
            assertThat(waiter.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);

            // The uninterruptible lock() keeps waiting through an interrupt and keeps the flag set.
            CompletableFuture<Thread> started2 = new CompletableFuture<>();
            CompletableFuture<Boolean> locker = CompletableFuture.supplyAsync(() -> {
                started2.complete(Thread.currentThread());
                try (FileMutexGuard g = mutex.lock()) {
                    return Thread.currentThread().isInterrupted();
                }
            }, Thread::startVirtualThread);
            started2.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS).interrupt();
            foreign.release();
            assertThat(locker.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("interrupt kept").isTrue();
            // Nothing was left held by the interrupted waiters.
            try (FileMutexGuard g = mutex.tryLock(ChildJvm.PATIENCE).orElseThrow()) {
                assertThat(g.isClosed()).isFalse();
            }
        }
    }

    @Test
    void useAfterCloseAndCloseWhileHeldAreRefused() throws Exception {
        FileMutex mutex = FileMutex.open(dir.resolve("closed.lock"));
        FileMutexGuard guard = mutex.lock();
        assertThatThrownBy(mutex::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        assertThat(mutex.isClosed()).isFalse();
        guard.close();
        mutex.close();
        mutex.close(); // idempotent
        assertThat(mutex.isClosed()).isTrue();
        assertThatThrownBy(mutex::lock).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(mutex::tryLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> mutex.tryLock(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        // A new FileMutex on the same file works: the shared channel was closed and reopens.
        try (FileMutex again = FileMutex.open(dir.resolve("closed.lock")); FileMutexGuard g = again.lock()) {
            assertThat(again.isHeldByCurrentThread()).isTrue();
        }
    }

    @Test
    void pathsThatCannotBeLockFilesAreRefusedClearly() throws Exception {
        Path regular = Files.writeString(dir.resolve("plain.txt"), "x");
        assertThatThrownBy(() -> FileMutex.open(regular.resolve("under-a-file.lock")))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("under-a-file.lock")
                .hasMessageContaining("cannot be used as a FileMutex lock file");
        assertThatThrownBy(() -> FileMutex.open(dir.resolve("no-such-dir").resolve("x.lock")))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("its directory must exist");
        assertThatThrownBy(() -> FileMutex.open(dir))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining(dir.toString());
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        if (readOnly.toFile().setWritable(false, false) && !Files.isWritable(readOnly)) { // root writes anyway
            assertThatThrownBy(() -> FileMutex.open(readOnly.resolve("x.lock")))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("must be writable");
        }
    }

    private static Optional<FileMutexGuard> tryLockElsewhere(FileMutex mutex) throws Exception {
        return onOtherThread(mutex::tryLock);
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    private static <T> T onOtherThread(Action<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(action.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
}
