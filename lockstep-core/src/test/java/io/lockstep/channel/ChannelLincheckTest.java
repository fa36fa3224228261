package io.lockstep.channel;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of the bounded channel's non-blocking operations and close (model checking
 * and stress), against the channel itself run sequentially. Small capacity so full, empty and
 * wrap-around all occur; no obstruction-freedom check: a receiver waits out a sender between its
 * reservation and its publication (crossbeam's design; see ArrayFlavor's notes).
 */
@Param(name = "value", gen = IntGen.class, conf = "1:5")
@Timeout(60)
public class ChannelLincheckTest {
    private final Channel<Integer> channel = Channel.bounded(2);

    @Operation
    public String trySend(@Param(name = "value") int value) {
        return channel.trySend(value).getClass().getSimpleName();
    }

    @Operation
    public String tryRecv() {
        return channel.tryRecv().toString();
    }

    @Operation
    public boolean close() {
        return channel.close();
    }

    @Operation
    public int size() {
        return channel.size();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(15).invocationsPerIteration(300)
                .threads(3).actorsPerThread(3).check(getClass());
    }

    @Test
    void stress() {
        new StressOptions().iterations(15).invocationsPerIteration(500)
                .threads(3).actorsPerThread(3).check(getClass());
    }
}
