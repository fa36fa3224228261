package io.lockstep.channel.flavors;

/**
 * A reservation made by the first phase of an operation ({@code startSend}/{@code startRecv})
 * and consumed by the second ({@code write}/{@code read}), as crossbeam's {@code Token}: between
 * the two, the slot belongs to the holder and nobody else can take it. One token serves one
 * operation at a time; each flavor uses the fields it needs.
 */
public final class Token {
    /** The reservation found the channel closed: write refuses, read reports CLOSED. */
    boolean closed;
    /** Array: the slot index; list: the offset in {@link #ref}'s block; rendezvous: OWN or not. */
    int index;
    /** Array: the reserved ring position. */
    long position;
    /** List: the block; rendezvous: the claimed partner's, or our own selected, {@link Operation}. */
    Object ref;

    /** A fresh, empty token. */
    public Token() {}

    void reserve(int index, long position, Object ref) {
        this.closed = false;
        this.index = index;
        this.position = position;
        this.ref = ref;
    }

    void reserveClosed() {
        this.closed = true;
        this.ref = null;
    }
}
