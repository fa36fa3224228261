package io.lockstep.cli.tour;

import io.lockstep.os.FileMutex;
import io.lockstep.os.FileMutexGuard;
import io.lockstep.os.IpcChannel;
import io.lockstep.os.ShutdownSignal;
import io.lockstep.os.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link OsScenarios}, started from the same jar or class path:
 *
 * <pre>
 * OsChild shutdown               works in jobs until SIGINT/SIGTERM, then finishes the job in hand,
 *                                prints "stopped on SIG: N jobs started, M finished", exits 0
 * OsChild mutex-hold LOCK        locks the FileMutex, prints "locked", holds until killed
 * OsChild ipc-send FILE CAP ID N  sends N messages ("ID SEQ " and SEQ % 50 dots) into the IpcChannel,
 *                                prints "sent"
 * OsChild mutex-rounds LOCK LOG N  prints "starting", locks N times, appending "enter PID" / "exit PID"
 *                                to LOG inside, prints "done"
 * </pre>
 */
public final class OsChild {
    private OsChild() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "shutdown" -> shutdown();
            case "mutex-hold" -> {
                FileMutex mutex = FileMutex.open(Path.of(args[1]));
                FileMutexGuard held = mutex.lock();
                say("locked " + held);
                Thread.sleep(Long.MAX_VALUE);
            }
            case "mutex-rounds" -> {
                say("starting");
                mutexRounds(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
                say("done");
            }
            case "ipc-send" -> {
                try (IpcChannel channel =
                        IpcChannel.open(Path.of(args[1]), Integer.parseInt(args[2]))) {
                    for (int seq = 0, n = Integer.parseInt(args[4]); seq < n; seq++) {
                        channel.send(message(args[3], seq).getBytes(StandardCharsets.UTF_8));
                    }
                }
                say("sent");
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void shutdown() throws InterruptedException {
        try (ShutdownSignal shutdown = new ShutdownSignal()) {
            AtomicInteger started = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            Thread worker =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        while (shutdown.received().isEmpty()) {
                                            started.incrementAndGet();
                                            // One job: 20 steps of 0.1 ms. A job once started is
                                            // finished, whatever comes.
                                            for (int step = 0; step < 20; step++)
                                                LockSupport.parkNanos(100_000);
                                            if (finished.incrementAndGet() == 1) say("working");
                                        }
                                    });
            Signal why = shutdown.await();
            worker.join();
            say(
                    "stopped on "
                            + why.osName()
                            + ": "
                            + started.get()
                            + " jobs started, "
                            + finished.get()
                            + " finished");
        }
    }

    /**
     * The seq-th message of sender id: its length varies, so records of many sizes wrap the ring.
     */
    static String message(String id, int seq) {
        return id + " " + seq + " " + ".".repeat(seq % 50);
    }

    /** Locks N times, logging enter and exit; shared by this child and the tour's own process. */
    static void mutexRounds(Path lock, Path log, int n) throws IOException {
        String who = String.valueOf(ProcessHandle.current().pid());
        try (FileMutex mutex = FileMutex.open(lock)) {
            for (int i = 0; i < n; i++) {
                try (FileMutexGuard g = mutex.lock()) {
                    append(log, "enter " + who);
                    LockSupport.parkNanos(200_000);
                    append(log, "exit " + who);
                }
            }
        }
    }

    private static void append(Path log, String line) {
        try {
            Files.write(
                    log,
                    (line + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
