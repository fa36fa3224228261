package io.lockstep.bench.os;

import io.lockstep.os.IpcChannel;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IpcChannel against Agrona's {@code ManyToOneRingBuffer}, each over a memory-mapped file of the
 * same ring size: a fixed number of 64-byte messages from P producer threads (a stand-in for
 * producer processes: the ring protocol is the same, only the JVM is shared) to one consumer,
 * score in ns per message. Both sides copy each message out of the ring into a new byte array
 * (IpcChannel's receive does; Agrona's handler is made to), and both producers retry a full
 * ring with {@code Thread.onSpinWait}.
 *
 * <pre>
 * java -jar lockstep-bench/target/benchmarks.jar IpcChannelBench -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 * Target (issue 18): lockstep >= 1.0x agrona at 1 and 2 producers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Agrona 2 reads jdk.internal.misc.Unsafe.
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class IpcChannelBench {
    static final int MESSAGES = 20_000, LENGTH = 64, RING = 1 << 16;

    @Param({"lockstep", "agrona"})
    public String impl;

    @Param({"1", "2"})
    public int producers;

    private Path dir;
    private IpcChannel lockstep;
    private ManyToOneRingBuffer agrona;
    private final byte[] message = new byte[LENGTH];

    @Setup
    public void setup() throws IOException {
        dir = Files.createTempDirectory("ipc-bench");
        if (impl.equals("lockstep")) {
            lockstep = IpcChannel.open(dir.resolve("lockstep.ipc"), RING);
        } else {
            try (FileChannel f = FileChannel.open(dir.resolve("agrona.ring"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer map = f.map(FileChannel.MapMode.READ_WRITE, 0, RING + RingBufferDescriptor.TRAILER_LENGTH);
                agrona = new ManyToOneRingBuffer(new UnsafeBuffer(map));
            }
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        if (lockstep != null) lockstep.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long transfer() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        int each = MESSAGES / producers;
        for (int p = 0; p < producers; p++) {
            threads.add(Thread.ofPlatform().start(impl.equals("lockstep") ? () -> sendLockstep(each) : () -> sendAgrona(each)));
        }
        long sum = impl.equals("lockstep") ? receiveLockstep(each * producers) : receiveAgrona(each * producers);
        for (Thread t : threads) t.join();
        return sum;
    }

    private void sendLockstep(int n) {
        for (int i = 0; i < n; i++) {
            while (!lockstep.trySend(message)) Thread.onSpinWait();
        }
    }

    private long receiveLockstep(int n) {
        long sum = 0;
        for (int got = 0; got < n; ) {
            byte[] m = lockstep.tryRecv();
            if (m == null) {
                Thread.onSpinWait();
                continue;
            }
            sum += m.length;
            got++;
        }
        return sum;
    }

    private void sendAgrona(int n) {
        UnsafeBuffer src = new UnsafeBuffer(message);
        for (int i = 0; i < n; i++) {
            while (!agrona.write(1, src, 0, LENGTH)) Thread.onSpinWait();
        }
    }

    private long receiveAgrona(int n) {
        long[] sum = {0};
        int[] got = {0};
        while (got[0] < n) {
            int read = agrona.read((type, buffer, index, length) -> {
                byte[] copy = new byte[length];
                buffer.getBytes(index, copy);
                sum[0] += copy.length;
                got[0]++;
            });
            if (read == 0) Thread.onSpinWait();
        }
        return sum[0];
    }
}
