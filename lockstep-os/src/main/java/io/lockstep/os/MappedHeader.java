package io.lockstep.os;

import io.lockstep.internal.Deadline;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/**
 * The versioned header of the memory-mapped primitives ({@link SharedSemaphore},
 * {@link SharedLatch}, {@link IpcChannel}), and the protocol by which the first of several racing processes writes it.
 *
 * <pre>
 *   0 long magic (8 ASCII bytes naming the kind)   8 int version   12 int parameter (permits, count, capacity)
 *  16 long state: 0 new | INITIALIZING|pid | READY  24..63 reserved (zero)
 * </pre>
 * Little-endian throughout. The first opener CASes the state from 0 to INITIALIZING|pid, writes
 * the header and sizes the file, then publishes READY; the others wait for READY (taking over if
 * the initializer died) and then check the magic, the version and the parameter. A file of
 * another kind or version, or with a damaged header, is refused with an IOException that says so.
 */
final class MappedHeader {
    static final int SIZE = 64;
    static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int OFF_MAGIC = 0, OFF_VERSION = 8, OFF_PARAMETER = 12, OFF_STATE = 16;
    private static final long READY = 0x5245_4144_5900_0000L;
    private static final long INITIALIZING = 0x494E_4954_0000_0000L; // | pid
    private static final long HIGH = 0xFFFF_FFFF_0000_0000L;
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private MappedHeader() {}

    /**
     * Makes sure {@code channel}'s file holds a READY header of this kind, writing it (with
     * {@code parameter}, and growing the file to {@code fileSize}) if the file is new, and returns
     * the parameter the file holds.
     *
     * @throws IOException if the file is of another kind or version, damaged, or unreadable
     */
    static int initializeOrCheck(Path path, FileChannel channel, String kind, long magic, int version, int parameter,
            long fileSize) throws IOException {
        long existing = channel.size();
        if (existing > 0 && existing < SIZE) {
            throw new IOException(path + " is not " + withArticle(kind) + " file: " + existing + " bytes, shorter than its header");
        }
        MappedByteBuffer h = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE); // grows a new file to SIZE
        long self = ProcessHandle.current().pid() & 0xFFFF_FFFFL;
        PollBackoff backoff = new PollBackoff(0, TimeUnit.MICROSECONDS.toNanos(50), MAX_SLEEP_NANOS);
        for (;;) {
            long state = (long) LONGS.getVolatile(h, OFF_STATE);
            if (state == READY) return check(path, h, kind, magic, version);
            boolean initializing = (state & HIGH) == INITIALIZING;
            if (state == 0 && (long) LONGS.getVolatile(h, OFF_MAGIC) != 0) {
                // The initializer CASes the state before it writes the magic: a magic with a state
                // still 0 after it was not written by one.
                if ((long) LONGS.getVolatile(h, OFF_STATE) == 0) throw notOurs(path, h, kind);
                continue;
            }
            if (state != 0 && !initializing) throw notOurs(path, h, kind);
            boolean abandoned = initializing && !Owners.isAlive(state & ~HIGH);
            if ((state == 0 || abandoned) && LONGS.compareAndSet(h, OFF_STATE, state, INITIALIZING | self)) {
                LONGS.setVolatile(h, OFF_MAGIC, magic);
                INTS.setVolatile(h, OFF_VERSION, version);
                INTS.setVolatile(h, OFF_PARAMETER, parameter);
                if (channel.size() < fileSize) channel.write(ByteBuffer.allocate(1), fileSize - 1);
                LONGS.setVolatile(h, OFF_STATE, READY);
                return parameter;
            }
            if (initializing && !abandoned) {
                // Another process is writing the header: microseconds.
                backoff.pause(null, Deadline.NONE);
            }
        }
    }

    /**
     * Opens (creating if new or empty) and maps the whole file of a primitive whose header holds
     * {@code parameter}, of {@code size.applyAsLong(parameter)} bytes: the open of
     * {@link SharedSemaphore} and {@link SharedLatch}.
     *
     * @param describe what a parameter means, for messages: {@code n -> n + " permits"}
     * @throws IllegalArgumentException if the file holds another parameter
     * @throws IOException              if the file is of another kind or version, damaged (a
     *                                  parameter out of {@code 1..max}, too short), or unreadable
     */
    static MappedByteBuffer open(Path path, String kind, long magic, int version, int parameter, int max,
            IntFunction<String> describe, IntToLongFunction size) throws IOException {
        long bytes = size.applyAsLong(parameter);
        // The channel may close once mapped: the mapping stays valid. No record locks are taken
        // on these files, so closing it drops nothing.
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            int found = initializeOrCheck(path, channel, kind, magic, version, parameter, bytes);
            if (found < 1 || found > max) throw new IOException(path + " has a damaged header: " + describe.apply(found));
            if (found != parameter) {
                throw new IllegalArgumentException(path + " holds " + withArticle(kind) + " of " + describe.apply(found)
                        + ", not " + parameter);
            }
            if (channel.size() < bytes) {
                throw new IOException(path + " is damaged: " + channel.size() + " bytes, its " + describe.apply(found)
                        + " need " + bytes);
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        }
    }

    private static int check(Path path, MappedByteBuffer h, String kind, long magic, int version) throws IOException {
        if ((long) LONGS.getVolatile(h, OFF_MAGIC) != magic) throw notOurs(path, h, kind);
        int found = (int) INTS.getVolatile(h, OFF_VERSION);
        if (found != version) {
            throw new IOException(path + " was written by an incompatible " + kind + " (format version " + found
                    + "; this one reads version " + version + ")");
        }
        return (int) INTS.getVolatile(h, OFF_PARAMETER);
    }

    private static String withArticle(String kind) {
        return ("AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    private static IOException notOurs(Path path, MappedByteBuffer h, String kind) {
        return new IOException(path + " is not " + withArticle(kind) + " file, or its header is damaged (magic "
                + Long.toHexString((long) LONGS.getVolatile(h, OFF_MAGIC)) + ", state "
                + Long.toHexString((long) LONGS.getVolatile(h, OFF_STATE)) + ")");
    }
}
