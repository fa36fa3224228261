package io.lockstep.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IpcChannel between real processes: two senders, and a sender killed with SIGKILL mid-stream. */
class IpcChannelChildTest {
    private static final int CAPACITY = 1 << 16;

    @TempDir
    Path dir;

    @Test
    void messagesFromTwoProcessesArriveWholeAndInPerSenderOrder() throws Exception {
        Path file = dir.resolve("two.ipc");
        int n = 3000;
        try (IpcChannel ch = IpcChannel.open(file, CAPACITY);
             ChildJvm a = ChildJvm.start(IpcChild.class, "ipc-send", file.toString(), "" + CAPACITY, "1", "" + n);
             ChildJvm b = ChildJvm.start(IpcChild.class, "ipc-send", file.toString(), "" + CAPACITY, "2", "" + n)) {
            Map<Integer, Integer> next = new HashMap<>();
            for (int i = 0; i < 2 * n; i++) {
                int[] who = IpcMessages.check(ch.recv(ChildJvm.PATIENCE)
                        .orElseThrow(() -> new AssertionError("no message within " + ChildJvm.PATIENCE + "; got " + next)));
                assertThat(who[1]).as("sender %d's next", who[0]).isEqualTo(next.getOrDefault(who[0], 0));
                next.put(who[0], who[1] + 1);
            }
            a.awaitLine("sent"::equals, "sent");
            b.awaitLine("sent"::equals, "sent");
            assertThat(next).containsEntry(1, n).containsEntry(2, n);
            assertThat(ch.tryRecv()).isNull();
        }
    }

    @Test
    void aSenderKilledMidStreamBlocksNobody() throws Exception {
        Path file = dir.resolve("kill.ipc");
        int n = 500;
        try (IpcChannel ch = IpcChannel.open(file, CAPACITY);
             ChildJvm doomed = ChildJvm.start(IpcChild.class, "ipc-send-forever", file.toString(), "" + CAPACITY, "1")) {
            List<int[]> got = new ArrayList<>(); // the receiver's; read after it ends
            CompletableFuture<Void> enough = new CompletableFuture<>();
            CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> {
                try {
                    for (;;) {
                        int[] who = IpcMessages.check(ch.recv(ChildJvm.PATIENCE)
                                .orElseThrow(() -> new AssertionError("no message within " + ChildJvm.PATIENCE)));
                        got.add(who);
                        if (got.size() == 2000) enough.complete(null);
                        if (who[0] == 2 && who[1] == n - 1) return;
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, Thread::startVirtualThread);
            doomed.awaitLine("sending"::equals, "sending");
            CompletableFuture.anyOf(enough, receiver).get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            doomed.process().destroyForcibly(); // most likely in the middle of a send
            doomed.awaitExit();
            try (ChildJvm survivor = ChildJvm.start(IpcChild.class, "ipc-send", file.toString(), "" + CAPACITY, "2", "" + n)) {
                receiver.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                survivor.awaitLine("sent"::equals, "sent");
            }
            Map<Integer, Integer> next = new HashMap<>();
            for (int[] who : got) {
                assertThat(who[1]).as("sender %d's next", who[0]).isEqualTo(next.getOrDefault(who[0], 0));
                next.put(who[0], who[1] + 1);
            }
            assertThat(next.get(1)).as("messages of the killed sender, a whole prefix").isGreaterThanOrEqualTo(2000);
            assertThat(next).containsEntry(2, n);
        }
    }
}
