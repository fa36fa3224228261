package io.lockstep.channel.flavors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The buffered flavors' snapshots (the queue view's contains, iterators, toArray) with a send
 * reserved and not yet written, the schedule of a producer paused between its two phases (issue
 * 12, item 7): the snapshot skips that slot and still returns what was sent after it, where it
 * used to stop.
 */
class FlavorSnapshotTest {

    static Stream<Supplier<Flavor<Object>>> flavors() {
        return Stream.of(() -> new ArrayFlavor<>(4), ListFlavor::new);
    }

    @ParameterizedTest
    @MethodSource("flavors")
    void snapshotSkipsASendReservedButNotYetWritten(Supplier<Flavor<Object>> make) {
        Flavor<Object> flavor = make.get();
        flavor.trySend("a");
        Token paused = new Token();
        assertThat(flavor.startSend(paused)).isTrue();
        flavor.trySend("x");
        assertThat(flavor.snapshot()).containsExactly("a", "x");
        assertThat(flavor.tryRecv()).isEqualTo("a");
        assertThat(flavor.snapshot()).containsExactly("x");
        flavor.write(paused, "b");
        assertThat(flavor.snapshot()).containsExactly("b", "x");
    }
}
