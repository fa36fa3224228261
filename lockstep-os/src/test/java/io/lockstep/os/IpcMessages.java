package io.lockstep.os;

import java.nio.ByteBuffer;

/**
 * The test messages of the IpcChannel tests: sender id, sequence number, and a payload of 0 to 199
 * bytes that both derive, so a torn or misplaced message shows.
 */
final class IpcMessages {
    private IpcMessages() {}

    static byte[] make(int sender, int seq) {
        int length = Math.floorMod(seq * 37 + sender * 11, 200);
        ByteBuffer b = ByteBuffer.allocate(12 + length);
        b.putInt(sender).putInt(seq).putInt(length);
        for (int k = 0; k < length; k++) b.put(fill(sender, seq, k));
        return b.array();
    }

    /** The sender and sequence number of {@code message}, checking that it is whole. */
    static int[] check(byte[] message) {
        ByteBuffer b = ByteBuffer.wrap(message);
        int sender = b.getInt(), seq = b.getInt(), length = b.getInt();
        if (message.length != 12 + length) throw new AssertionError("message of sender " + sender + " #" + seq + " has " + message.length + " bytes, expected " + (12 + length));
        for (int k = 0; k < length; k++) {
            if (b.get() != fill(sender, seq, k)) throw new AssertionError("message of sender " + sender + " #" + seq + " is torn at byte " + k);
        }
        return new int[] {sender, seq};
    }

    private static byte fill(int sender, int seq, int k) {
        return (byte) (sender * 31 + seq * 7 + k);
    }
}
