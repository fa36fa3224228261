package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SharedSemaphore within one JVM, and its refusal of files it did not write. */
class SharedSemaphoreTest {
    @TempDir
    Path dir;

    @Test
    void atMostPermitsHoldersAmongPlatformAndVirtualThreads() throws Exception {
        try (SharedSemaphore a = SharedSemaphore.open(dir.resolve("s.sem"), 2);
             SharedSemaphore b = SharedSemaphore.open(dir.resolve("s.sem"), 2)) {
            AtomicInteger inside = new AtomicInteger(), max = new AtomicInteger(), done = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                SharedSemaphore s = t % 2 == 0 ? a : b; // two mappings of one file
                threads.add((t < 3 ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
                    for (int i = 0; i < 200; i++) {
                        try (SharedPermit p = s.acquire()) {
                            max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.yield();
                            inside.decrementAndGet();
                            done.incrementAndGet();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) assertThat(t.join(ChildJvm.PATIENCE)).isTrue();
            assertThat(max.get()).isBetween(1, 2);
            assertThat(done).hasValue(6 * 200);
            assertThat(a.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void tryAcquireTimedAcquireAndRelease() throws Exception {
        try (SharedSemaphore s = SharedSemaphore.open(dir.resolve("t.sem"), 1)) {
            SharedPermit p = s.tryAcquire().orElseThrow();
            assertThat(s.availablePermits()).isZero();
            assertThat(s.tryAcquire()).isEmpty();
            assertThat(s.tryAcquire(Duration.ofMillis(20))).isEmpty();
            CompletableFuture<Optional<SharedPermit>> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.tryAcquire(ChildJvm.PATIENCE);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, Thread::startVirtualThread);
            p.close(); // from any thread of the process
            p.close(); // once
            SharedPermit q = waiter.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS).orElseThrow();
            assertThat(s.availablePermits()).isZero();
            q.close();
            assertThat(s.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void anInterruptedWaiterHoldsNothing() throws Exception {
        try (SharedSemaphore s = SharedSemaphore.open(dir.resolve("i.sem"), 1); SharedPermit held = s.acquire()) {
            CompletableFuture<Thread> started = new CompletableFuture<>();
            CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() -> {
                started.complete(Thread.currentThread());
                try {
                    return s.acquire();
                } catch (InterruptedException e) {
                    return e;
                }
            }, Thread::startVirtualThread);
            started.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS).interrupt();
            assertThat(waiter.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            held.close();
            assertThat(s.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void filesOfAnotherKindVersionOrSizeAreRefused() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.sem"), "this is not a semaphore, just some text. ".repeat(4).getBytes());
        assertThatThrownBy(() -> SharedSemaphore.open(garbage, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a SharedSemaphore file");

        Path tiny = Files.write(dir.resolve("tiny.sem"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SharedSemaphore.open(tiny, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("shorter than its header");

        Path future = dir.resolve("future.sem");
        SharedSemaphore.open(future, 3).close();
        byte[] bytes = Files.readAllBytes(future);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99); // the format version
        Files.write(future, bytes);
        assertThatThrownBy(() -> SharedSemaphore.open(future, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining("incompatible").hasMessageContaining("99");

        Path three = dir.resolve("three.sem");
        SharedSemaphore.open(three, 3).close();
        assertThatThrownBy(() -> SharedSemaphore.open(three, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 permits");
        assertThatThrownBy(() -> SharedSemaphore.open(dir.resolve("zero.sem"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void useAfterCloseIsRefused() throws Exception {
        SharedSemaphore s = SharedSemaphore.open(dir.resolve("c.sem"), 1);
        s.close();
        assertThatThrownBy(s::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(s::tryAcquire).isInstanceOf(IllegalStateException.class);
    }
}
