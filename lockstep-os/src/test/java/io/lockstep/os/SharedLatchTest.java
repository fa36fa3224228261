package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SharedLatch within one process (two handles on one file stand for two processes), and bad files. */
class SharedLatchTest {
    @TempDir
    Path dir;

    @Test
    void awaitReturnsWhenCountDownsThroughAnotherHandleReachZero() throws Exception {
        Path file = dir.resolve("l.latch");
        try (SharedLatch a = SharedLatch.open(file, 2); SharedLatch b = SharedLatch.open(file, 2)) {
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                try {
                    a.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            assertThat(b.countDown()).isTrue();
            assertThatThrownBy(() -> waiter.get(100, TimeUnit.MILLISECONDS)).as("one count-down still missing")
                    .isInstanceOf(TimeoutException.class);
            assertThat(a.countDown()).isTrue();
            waiter.get(ChildJvm.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(b.getCount()).isZero();
            assertThat(b.await(Duration.ZERO)).isTrue();
        }
    }

    @Test
    void timedAwaitAnswersFalseAndCloseEndsAWait() throws Exception {
        try (SharedLatch l = SharedLatch.open(dir.resolve("t.latch"), 1)) {
            assertThat(l.await(Duration.ofMillis(20))).isFalse();
            assertThat(l.await(Duration.ZERO)).isFalse();
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                try {
                    l.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, r -> Thread.ofPlatform().start(r));
            assertThatThrownBy(() -> waiter.get(50, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            l.close();
            assertThatThrownBy(() -> waiter.get(ChildJvm.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(l::countDown).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void filesOfAnotherKindVersionCountOrWithADamagedCountAreRefused() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.latch"), "this is not a latch, just some text here. ".repeat(4).getBytes());
        assertThatThrownBy(() -> SharedLatch.open(garbage, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a SharedLatch file");

        Path sem = dir.resolve("a.sem");
        SharedSemaphore.open(sem, 2).close();
        assertThatThrownBy(() -> SharedLatch.open(sem, 2)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a SharedLatch file");

        Path future = dir.resolve("future.latch");
        SharedLatch.open(future, 3).close();
        byte[] bytes = Files.readAllBytes(future);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);      // the format version
        Files.write(future, bytes);
        assertThatThrownBy(() -> SharedLatch.open(future, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining("incompatible").hasMessageContaining("99");

        Path damaged = dir.resolve("damaged.latch");
        SharedLatch.open(damaged, 3).close();
        bytes = Files.readAllBytes(damaged);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(64, 7);      // 7 count-downs of 3
        Files.write(damaged, bytes);
        assertThatThrownBy(() -> SharedLatch.open(damaged, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged");

        Path three = dir.resolve("three.latch");
        SharedLatch.open(three, 3).close();
        assertThatThrownBy(() -> SharedLatch.open(three, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count 3");
        assertThatThrownBy(() -> SharedLatch.open(dir.resolve("zero.latch"), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
