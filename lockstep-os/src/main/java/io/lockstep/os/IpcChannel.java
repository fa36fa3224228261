package io.lockstep.os;

import io.lockstep.internal.Deadline;
import io.lockstep.lock.RawMutex;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A bounded many-to-one channel of byte messages between processes on one host, over a
 * memory-mapped file: any number of processes (and threads) send, one process receives. The
 * shape of Agrona's {@code ManyToOneRingBuffer}: length-prefixed records in a ring, a sender
 * claims room with one CAS on the tail and publishes by writing the record's length last.
 *
 * <pre>{@code
 * // receiver process
 * try (IpcChannel ch = IpcChannel.open(Path.of("/tmp/jobs.ipc"), 1 << 20)) {
 *     for (byte[] m; (m = ch.recv()) != null; ) handle(m);     // null: closed and drained
 * }
 * // any sender process
 * try (IpcChannel ch = IpcChannel.open(Path.of("/tmp/jobs.ipc"), 1 << 20)) {
 *     ch.send("hello".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <p>Messages from one sender thread arrive in the order it sent them, each whole. A sender that
 * dies mid-message does not block the receiver: a record whose writer is no longer alive is
 * skipped within milliseconds, and room claimed by a process that died before writing anything is skipped
 * after {@link #STUCK_TIMEOUT} (as Agrona's {@code unblock()}: a live sender stalled that long
 * between its claim and its first write would lose its message to this). A receiver that dies may
 * lose the message it was taking; another process may then become the receiver. A send that
 * races {@link #closeChannel()} may be lost.
 *
 * <p>Waiting (a receiver on an empty channel, a sender on a full one) spins a few rounds, then
 * sleeps in doubling steps from 50 µs to 2 ms: nothing wakes a process in another. Works from
 * virtual threads. A file of another kind or version, or with a damaged header, is refused.
 */
public final class IpcChannel implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Layout: MappedHeader (magic "LKSTIPCC", version, capacity, state); 64: tail (long, senders
     * CAS it); 128: head (long, the receiver's); 192: receiver (owner word, see Owners);
     * 200: closed (int); 256: the ring, `capacity` bytes, a power of two.
     * Record: int length (header included; 0: nothing yet; negative: being written), int meta
     * (the writer's pid, or PADDING), then the message, the whole aligned to 8.
     *
     * Send: CAS tail by the aligned length (plus a PADDING record to the end of the ring when the
     * record would not fit before it); write meta, then -length (release), then the message,
     * then +length (release). Receive: read length (acquire) at head; positive: copy the message,
     * then zero the record, meta first turned into PADDING and the length zeroed last, then
     * advance head (release). Senders rely on the zeroed ring: a length word they have not
     * written reads 0. A receiver that dies mid-zeroing leaves a PADDING record (skipped) or a
     * zero length (the stuck path).
     *
     * Stuck: a negative length whose writer's pid is dead (checked once it has been negative for
     * 1 ms: a liveness check reads /proc) becomes PADDING. A zero length
     * with tail past head for STUCK_TIMEOUT: scan forward to the next non-zero length word (in the
     * claimed region, or to the end of the ring) and pad up to it, checking the words between are
     * still zero; the same as Agrona's unblock.
     */
    /** How long room claimed but never written blocks the receiver before it is skipped. */
    public static final Duration STUCK_TIMEOUT = Duration.ofSeconds(1);

    private static final long MAGIC = 0x4343_5049_5453_4B4CL; // "LKSTIPCC" read little-endian
    private static final int VERSION = 1;
    private static final int OFF_TAIL = 64, OFF_HEAD = 128, OFF_RECEIVER = 192, OFF_CLOSED = 200, RING = 256;
    private static final int ALIGNMENT = 8, RECORD_HEADER = 8, PADDING = -1;
    /** Smallest and largest ring. */
    public static final int MIN_CAPACITY = 1024, MAX_CAPACITY = 1 << 30;

    private static final int SPINS = 16;
    private static final long MIN_SLEEP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long STUCK_NANOS = STUCK_TIMEOUT.toNanos();
    private static final long DEAD_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final VarHandle LONGS = MappedHeader.LONGS;
    private static final VarHandle INTS = MappedHeader.INTS;

    private final Path path;
    private final MappedByteBuffer map;
    private final int capacity, mask;
    private final int pid = (int) ProcessHandle.current().pid();
    private final long self = Owners.self();
    private final RawMutex receiving = new RawMutex(); // one receiving thread at a time in this handle
    private long stuckHead = -1, stuckSince; // guarded by receiving
    private volatile boolean closedHandle;

    private IpcChannel(Path path, MappedByteBuffer map, int capacity) {
        this.path = path;
        this.map = map;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /**
     * Opens the channel in {@code path}, creating it with a ring of {@code capacity} bytes (a
     * power of two) if the file is new or empty.
     *
     * @throws IllegalArgumentException if {@code capacity} is not a power of two in
     *                                  {@link #MIN_CAPACITY}..{@link #MAX_CAPACITY}, or the file
     *                                  was created with another capacity
     * @throws IOException              if the file is not an IpcChannel file, was written by an
     *                                  incompatible version, or cannot be opened
     */
    public static IpcChannel open(Path path, int capacity) throws IOException {
        Objects.requireNonNull(path, "path");
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two in " + MIN_CAPACITY + ".." + MAX_CAPACITY + ": " + capacity);
        }
        long size = (long) RING + capacity;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            int found = MappedHeader.initializeOrCheck(path, channel, "IpcChannel", MAGIC, VERSION, capacity, size);
            if (found != capacity) {
                throw new IllegalArgumentException(path + " holds an IpcChannel of " + found + " bytes, not " + capacity);
            }
            if (channel.size() < size) {
                throw new IOException(path + " is damaged: " + channel.size() + " bytes, its ring needs " + size);
            }
            return new IpcChannel(path.toAbsolutePath(), channel.map(FileChannel.MapMode.READ_WRITE, 0, size), capacity);
        }
    }

    /** The ring's size in bytes. */
    public int capacity() {
        return capacity;
    }

    /** The longest message: an eighth of the ring, less the record header. */
    public int maxMessageLength() {
        return capacity / 8 - RECORD_HEADER;
    }

    // --- sending ---

    /**
     * Sends if there is room now.
     *
     * @return whether it was sent (false: the ring is full)
     * @throws IllegalArgumentException if the message is longer than {@link #maxMessageLength()}
     * @throws IllegalStateException    if the channel or this handle is closed
     */
    public boolean trySend(byte[] message) {
        Objects.requireNonNull(message, "message");
        if (message.length > maxMessageLength()) {
            throw new IllegalArgumentException("a message of " + message.length + " bytes; at most " + maxMessageLength());
        }
        checkSendable();
        int recordLength = message.length + RECORD_HEADER;
        int at = claim(align(recordLength));
        if (at < 0) return false;
        int record = RING + at;
        INTS.set(map, record + 4, pid);
        INTS.setRelease(map, record, -recordLength);
        map.put(record + RECORD_HEADER, message);
        INTS.setRelease(map, record, recordLength);
        return true;
    }

    /**
     * Sends, waiting for room.
     *
     * @throws InterruptedException  if interrupted while waiting; the message was not sent
     * @throws IllegalStateException if the channel or this handle is (or becomes) closed
     */
    public void send(byte[] message) throws InterruptedException {
        send(message, Deadline.NONE);
    }

    /**
     * Sends, waiting at most {@code timeout} for room.
     *
     * @return whether it was sent
     * @throws InterruptedException  if interrupted while waiting; the message was not sent
     * @throws IllegalStateException if the channel or this handle is (or becomes) closed
     */
    public boolean send(byte[] message, Duration timeout) throws InterruptedException {
        return send(message, Deadline.after(timeout));
    }

    private boolean send(byte[] message, long deadline) throws InterruptedException {
        PollBackoff backoff = newBackoff();
        for (;;) {
            if (trySend(message)) return true;
            if (Deadline.expired(deadline)) return false;
            pause(backoff, deadline);
        }
    }

    /** Claims {@code aligned} bytes of the ring; their offset in the ring, or -1 if full. */
    private int claim(int aligned) {
        for (;;) {
            long head = (long) LONGS.getVolatile(map, OFF_HEAD);
            long tail = (long) LONGS.getVolatile(map, OFF_TAIL);
            long free = capacity - (tail - head);
            if (aligned > free) return -1;
            int tailIndex = (int) tail & mask;
            int toEnd = capacity - tailIndex;
            int padding = aligned > toEnd ? toEnd : 0;
            if (aligned + padding > free) return -1;
            if (LONGS.compareAndSet(map, OFF_TAIL, tail, tail + aligned + padding)) {
                if (padding == 0) return tailIndex;
                INTS.set(map, RING + tailIndex + 4, PADDING);
                INTS.setRelease(map, RING + tailIndex, padding);
                return 0;
            }
        }
    }

    // --- receiving ---

    /**
     * Takes the next message if there is one now.
     *
     * @return the message, or null if none is ready
     * @throws IllegalStateException if another live process is the receiver, or this handle is closed
     */
    public byte[] tryRecv() {
        checkOpen();
        receiving.lock();
        try {
            becomeReceiver();
            return poll();
        } finally {
            receiving.unlock();
        }
    }

    /**
     * Takes the next message, waiting for one.
     *
     * @return the message, or null once the channel is {@linkplain #closeChannel() closed} and drained
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if another live process is the receiver, or this handle is closed
     */
    public byte[] recv() throws InterruptedException {
        return recv(Deadline.NONE);
    }

    /**
     * Takes the next message, waiting at most {@code timeout}.
     *
     * @return the message; empty if none came in time, or the channel is closed and drained
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if another live process is the receiver, or this handle is closed
     */
    public Optional<byte[]> recv(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(recv(Deadline.after(timeout)));
    }

    private byte[] recv(long deadline) throws InterruptedException {
        PollBackoff backoff = newBackoff();
        for (;;) {
            // Closed is read before polling: a message sent before the close is then seen.
            boolean closed = isChannelClosed();
            byte[] m = tryRecv();
            if (m != null || closed || Deadline.expired(deadline)) return m;
            pause(backoff, deadline);
        }
    }

    private void becomeReceiver() {
        for (;;) {
            long owner = (long) LONGS.getVolatile(map, OFF_RECEIVER);
            if (owner == self) return;
            if (owner != 0 && Owners.isAlive(owner)) {
                throw new IllegalStateException(path + " already has a receiver, process " + (owner & 0xFFFF_FFFFL)
                        + "; an IpcChannel has one");
            }
            if (LONGS.compareAndSet(map, OFF_RECEIVER, owner, self)) return;
        }
    }

    /** One message from head, skipping padding and dead writers' records; null if none is ready. */
    private byte[] poll() {
        for (;;) {
            long head = (long) LONGS.getVolatile(map, OFF_HEAD);
            int at = (int) head & mask;
            int record = RING + at;
            int length = (int) INTS.getAcquire(map, record);
            if (length > 0) {
                int meta = (int) INTS.get(map, record + 4);
                byte[] message = null;
                if (meta != PADDING) {
                    message = new byte[length - RECORD_HEADER];
                    map.get(record + RECORD_HEADER, message);
                }
                consume(head, record, align(length));
                if (message != null) return message;
                continue;
            }
            long tail = (long) LONGS.getVolatile(map, OFF_TAIL);
            if (length == 0 && tail == head) return null; // empty
            // Claimed but not (fully) written yet: usually a writer at work; skip it if its writer
            // is dead, or if nothing was written there for STUCK_TIMEOUT.
            long now = System.nanoTime();
            if (head != stuckHead) {
                stuckHead = head;
                stuckSince = now;
                return null;
            }
            long waited = now - stuckSince;
            if (length < 0) {
                int writer = (int) INTS.get(map, record + 4);
                // ProcessHandle.of costs a /proc read: ask only once a writer seems slow.
                if (waited < DEAD_CHECK_NANOS || Owners.isAlive(writer & 0xFFFF_FFFFL)) return null;
                turnIntoPadding(record, align(-length));
                continue;
            }
            if (waited < STUCK_NANOS || !unblock(at, (int) tail & mask)) return null;
        }
    }

    private void consume(long head, int record, int aligned) {
        // Payload first, the header word (length and meta together) last: a receiver that dies
        // in between leaves a PADDING record, which the next one skips.
        INTS.set(map, record + 4, PADDING);
        for (int i = RECORD_HEADER; i < aligned; i += ALIGNMENT) LONGS.set(map, record + i, 0L);
        LONGS.setRelease(map, record, 0L);
        LONGS.setRelease(map, OFF_HEAD, head + aligned);
    }

    private void turnIntoPadding(int record, int length) {
        INTS.set(map, record + 4, PADDING);
        INTS.setRelease(map, record, length);
    }

    /**
     * Pads over claimed-but-never-written room at {@code at}, up to the next record written after
     * it (or the end of the ring when the claims wrapped). Returns whether it padded.
     */
    private boolean unblock(int at, int tailIndex) {
        int limit = tailIndex > at ? tailIndex : capacity;
        int next = at + ALIGNMENT;
        while (next < limit && (int) INTS.getAcquire(map, RING + next) == 0) next += ALIGNMENT;
        if (next == limit && limit == tailIndex) return false; // nothing written after it yet
        for (int i = at; i < next; i += ALIGNMENT) {
            if ((int) INTS.getAcquire(map, RING + i) != 0) return false; // a writer woke up: retry later
        }
        turnIntoPadding(RING + at, next - at);
        return true;
    }

    // --- closing ---

    /**
     * Closes the channel for every process: later sends throw, and the receiver, once it has
     * taken every message sent before, sees the end ({@link #recv()} returns null). Returns
     * whether this call closed it.
     */
    public boolean closeChannel() {
        checkOpen();
        return INTS.compareAndSet(map, OFF_CLOSED, 0, 1);
    }

    /** Whether the channel was closed, by any process. */
    public boolean isChannelClosed() {
        return (int) INTS.getVolatile(map, OFF_CLOSED) != 0;
    }

    /**
     * Closes this handle (the channel stays open for the others; see {@link #closeChannel()}); a
     * receiver gives up its role, so another process may receive. Idempotent.
     */
    @Override
    public void close() {
        if (closedHandle) return;
        closedHandle = true;
        LONGS.compareAndSet(map, OFF_RECEIVER, self, 0L);
    }

    /** How many bytes of the ring are in use now (a snapshot). */
    public int usedBytes() {
        long head = (long) LONGS.getVolatile(map, OFF_HEAD);
        return (int) ((long) LONGS.getVolatile(map, OFF_TAIL) - head);
    }

    private void checkOpen() {
        if (closedHandle) throw new IllegalStateException(this + " is closed");
    }

    private void checkSendable() {
        checkOpen();
        if (isChannelClosed()) throw new IllegalStateException(path + ": the channel is closed");
    }

    private static PollBackoff newBackoff() {
        return new PollBackoff(SPINS, MIN_SLEEP_NANOS, MAX_SLEEP_NANOS);
    }

    /** One back-off step of a send or receive; an interrupt ends the wait. */
    private void pause(PollBackoff backoff, long deadline) throws InterruptedException {
        backoff.pause(this, deadline);
        if (Thread.interrupted()) throw new InterruptedException();
    }

    private static int align(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    @Override
    public String toString() {
        return "IpcChannel[" + path + ", " + capacity + " bytes" + (isChannelClosed() ? ", closed" : "")
                + (closedHandle ? ", handle closed" : "") + "]";
    }
}
