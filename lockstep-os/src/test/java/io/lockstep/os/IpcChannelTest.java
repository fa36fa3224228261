package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IpcChannel within one JVM: order, wrap-around, full, close, and refused files. */
class IpcChannelTest {
    @TempDir
    Path dir;

    @Test
    void messagesArriveWholeAndInOrderAcrossManyWrapArounds() throws Exception {
        try (IpcChannel ch = IpcChannel.open(dir.resolve("wrap.ipc"), IpcChannel.MIN_CAPACITY)) {
            ArrayDeque<Integer> pending = new ArrayDeque<>();
            for (int seq = 0; seq < 3000; seq++) {
                byte[] m = IpcMessages.make(1, seq);
                if (m.length > ch.maxMessageLength()) continue;
                while (!ch.trySend(m)) {
                    assertThat(IpcMessages.check(ch.tryRecv())).containsExactly(1, pending.poll());
                }
                pending.add(seq);
            }
            for (byte[] m; (m = ch.tryRecv()) != null; ) {
                assertThat(IpcMessages.check(m)).containsExactly(1, pending.poll());
            }
            assertThat(pending).isEmpty();
            assertThat(ch.usedBytes()).isZero();
        }
    }

    @Test
    void severalSenderThreadsKeepTheirOwnOrder() throws Exception {
        try (IpcChannel ch = IpcChannel.open(dir.resolve("mt.ipc"), 1 << 14)) {
            int senders = 4, n = 2000;
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int id = s;
                threads.add((s % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
                    try {
                        for (int seq = 0; seq < n; seq++) ch.send(IpcMessages.make(id, seq));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            Map<Integer, Integer> next = new HashMap<>();
            for (int i = 0; i < senders * n; i++) {
                byte[] m = ch.recv(ChildJvm.PATIENCE).orElseThrow(() -> new AssertionError("no message within " + ChildJvm.PATIENCE));
                int[] who = IpcMessages.check(m);
                assertThat(who[1]).as("sender %d's next", who[0]).isEqualTo(next.getOrDefault(who[0], 0));
                next.put(who[0], who[1] + 1);
            }
            for (Thread t : threads) assertThat(t.join(ChildJvm.PATIENCE)).isTrue();
            assertThat(ch.tryRecv()).isNull();
        }
    }

    @Test
    void aFullRingRefusesUntilTheReceiverTakes() throws Exception {
        try (IpcChannel ch = IpcChannel.open(dir.resolve("full.ipc"), IpcChannel.MIN_CAPACITY)) {
            byte[] m = new byte[ch.maxMessageLength()];
            int sent = 0;
            while (ch.trySend(m)) sent++;
            assertThat(sent).isEqualTo(8);
            assertThat(ch.send(m, Duration.ofMillis(20))).isFalse();
            assertThat(ch.tryRecv()).hasSize(m.length);
            assertThat(ch.trySend(m)).isTrue();
            assertThatThrownBy(() -> ch.trySend(new byte[ch.maxMessageLength() + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        }
    }

    @Test
    void closingTheChannelDrainsThenEnds() throws Exception {
        try (IpcChannel ch = IpcChannel.open(dir.resolve("close.ipc"), IpcChannel.MIN_CAPACITY)) {
            ch.send(new byte[] {1});
            ch.send(new byte[] {2});
            assertThat(ch.closeChannel()).isTrue();
            assertThat(ch.closeChannel()).isFalse();
            assertThatThrownBy(() -> ch.send(new byte[] {3})).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(ch.recv()).containsExactly(1);
            assertThat(ch.recv()).containsExactly(2);
            assertThat(ch.recv()).isNull();
            assertThat(ch.recv(Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    void filesOfAnotherKindOrCapacityAreRefused() throws Exception {
        Path sem = dir.resolve("a.sem");
        SharedSemaphore.open(sem, 2).close();
        assertThatThrownBy(() -> IpcChannel.open(sem, IpcChannel.MIN_CAPACITY)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an IpcChannel file");
        Path ipc = dir.resolve("b.ipc");
        IpcChannel.open(ipc, 2048).close();
        assertThatThrownBy(() -> IpcChannel.open(ipc, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2048");
        assertThatThrownBy(() -> IpcChannel.open(dir.resolve("c.ipc"), 3000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }

    /**
     * Room claimed by a sender that then died: as {@code claim} leaves it, with the tail moved by
     * 16 bytes and the record at the ring's start holding {@code length} and {@code meta}.
     */
    private static void simulateDeadClaim(Path file, int length, int meta) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = f.map(FileChannel.MapMode.READ_WRITE, 0, 512);
            m.order(ByteOrder.LITTLE_ENDIAN);
            m.putLong(64, 16); // the tail (offset 64), past the dead claim
            m.putInt(256, length).putInt(256 + 4, meta); // the record at the ring's start (offset 256)
            m.force();
        }
    }

    private static int deadPid() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.javaCommand(), "-version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        return (int) p.pid();
    }

    @Test
    void aRecordWhoseWriterDiedMidMessageIsSkipped() throws Exception {
        Path file = dir.resolve("dead-writer.ipc");
        try (IpcChannel ch = IpcChannel.open(file, IpcChannel.MIN_CAPACITY)) {
            simulateDeadClaim(file, -16, deadPid());
            ch.send(new byte[] {42});
            assertThat(ch.recv(ChildJvm.PATIENCE)).as("the message after the dead one").hasValueSatisfying(m -> assertThat(m).containsExactly(42));
        }
    }

    @Test
    void roomClaimedButNeverWrittenIsSkippedAfterTheStuckTimeout() throws Exception {
        Path file = dir.resolve("dead-claim.ipc");
        try (IpcChannel ch = IpcChannel.open(file, IpcChannel.MIN_CAPACITY)) {
            simulateDeadClaim(file, 0, 0);
            ch.send(new byte[] {7});
            assertThat(ch.tryRecv()).as("blocked while the claim may still be written").isNull();
            assertThat(ch.recv(ChildJvm.PATIENCE)).as("the message after the dead claim").hasValueSatisfying(m -> assertThat(m).containsExactly(7));
        }
    }

    @Test
    void useOfAClosedHandleIsRefused() throws Exception {
        IpcChannel ch = IpcChannel.open(dir.resolve("h.ipc"), IpcChannel.MIN_CAPACITY);
        ch.close();
        ch.close();
        assertThatThrownBy(() -> ch.trySend(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ch::tryRecv).isInstanceOf(IllegalStateException.class);
    }
}
