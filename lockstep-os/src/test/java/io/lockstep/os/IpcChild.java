package io.lockstep.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of the FileMutex and SharedSemaphore tests.
 * <pre>
 * IpcChild rounds LOCK LOG N   a platform and a virtual thread each lock N times, appending
 *                                    "enter PID-THREAD" and "exit PID-THREAD" to LOG inside; prints "done"
 * IpcChild hold LOCK           locks, prints "locked", and holds until killed
 * IpcChild probe LOCK          tries once; prints "acquired" (and unlocks) or "busy"
 * IpcChild sem-rounds SEM P LOG N   as rounds, holding a permit of SEM (P permits) instead
 * IpcChild sem-hold SEM P           acquires a permit, prints "acquired", and holds until killed
 * IpcChild latch-count LATCH N      counts LATCH (count N) down, prints "counted", and waits until killed
 * IpcChild latch-await LATCH N      awaits LATCH (count N), prints "opened"
 * IpcChild ipc-send FILE CAP ID N    sends IpcMessages 0..N-1 of sender ID, prints "sent"
 * IpcChild ipc-send-forever FILE CAP ID   sends IpcMessages of sender ID until killed; prints "sending"
 * </pre>
 */
public final class IpcChild {
    public static void main(String[] args) throws Exception {
        Path lock = Path.of(args[1]);
        switch (args[0]) {
            case "rounds" -> rounds(lock, Path.of(args[2]), Integer.parseInt(args[3]));
            case "hold" -> hold(lock);
            case "sem-rounds" -> semRounds(lock, Integer.parseInt(args[2]), Path.of(args[3]), Integer.parseInt(args[4]));
            case "sem-hold" -> {
                SharedSemaphore semaphore = SharedSemaphore.open(lock, Integer.parseInt(args[2]));
                SharedPermit permit = semaphore.acquire();
                System.out.println("acquired " + permit);
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            case "latch-count" -> {
                SharedLatch latch = SharedLatch.open(lock, Integer.parseInt(args[2]));
                System.out.println(latch.countDown() ? "counted" : "already open");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            case "latch-await" -> {
                try (SharedLatch latch = SharedLatch.open(lock, Integer.parseInt(args[2]))) {
                    latch.await();
                    System.out.println("opened");
                }
            }
            case "ipc-send", "ipc-send-forever" -> {
                try (IpcChannel channel = IpcChannel.open(lock, Integer.parseInt(args[2]))) {
                    int id = Integer.parseInt(args[3]);
                    int n = args[0].equals("ipc-send") ? Integer.parseInt(args[4]) : Integer.MAX_VALUE;
                    for (int seq = 0; seq < n; seq++) {
                        channel.send(IpcMessages.make(id, seq));
                        if (seq == 0 && n == Integer.MAX_VALUE) {
                            System.out.println("sending");
                            System.out.flush();
                        }
                    }
                }
                System.out.println("sent");
            }
            case "probe" -> {
                try (FileMutex mutex = FileMutex.open(lock)) {
                    System.out.println(mutex.tryLock().map(g -> {
                        g.close();
                        return "acquired";
                    }).orElse("busy"));
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void rounds(Path lock, Path log, int n) throws Exception {
        long pid = ProcessHandle.current().pid();
        List<Thread> threads = new ArrayList<>();
        try (FileMutex mutex = FileMutex.open(lock)) {
            for (Thread.Builder builder : List.of(Thread.ofPlatform(), Thread.ofVirtual())) {
                String who = pid + "-" + (builder instanceof Thread.Builder.OfVirtual ? "virtual" : "platform");
                threads.add(builder.start(() -> {
                    for (int i = 0; i < n; i++) {
                        try (FileMutexGuard g = mutex.lock()) {
                            append(log, "enter " + who);
                            LockSupport.parkNanos(100_000); // room for an intruder, if the mutex let one in
                            append(log, "exit " + who);
                        }
                    }
                }));
            }
            for (Thread t : threads) t.join();
        }
        System.out.println("done");
    }

    private static void semRounds(Path file, int permits, Path log, int n) throws Exception {
        long pid = ProcessHandle.current().pid();
        List<Thread> threads = new ArrayList<>();
        try (SharedSemaphore semaphore = SharedSemaphore.open(file, permits)) {
            for (Thread.Builder builder : List.of(Thread.ofPlatform(), Thread.ofVirtual())) {
                String who = pid + "-" + (builder instanceof Thread.Builder.OfVirtual ? "virtual" : "platform");
                threads.add(builder.start(() -> {
                    for (int i = 0; i < n; i++) {
                        try (SharedPermit p = semaphore.acquire()) {
                            append(log, "enter " + who);
                            LockSupport.parkNanos(100_000);
                            append(log, "exit " + who);
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) t.join();
        }
        System.out.println("done");
    }

    private static void append(Path log, String line) {
        try {
            // O_APPEND: each line lands whole at the end, whichever process writes it.
            Files.write(log, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void hold(Path lock) throws Exception {
        FileMutex mutex = FileMutex.open(lock);
        FileMutexGuard guard = mutex.lock();
        System.out.println("locked " + guard);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
