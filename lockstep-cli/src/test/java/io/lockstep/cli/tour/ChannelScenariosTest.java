package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/** Every channel scenario of the tour runs to completion and reports what it showed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelScenariosTest {

    @TestFactory
    Stream<DynamicTest> everyScenarioReturnsNormally() {
        return new ChannelScenarios()
                .scenarios().stream()
                        .map(
                                s ->
                                        DynamicTest.dynamicTest(
                                                s.name(), () -> assertThat(s.run()).isNotBlank()));
    }

    @Test
    void theScenariosTheIssueNames() {
        List<String> names =
                new ChannelScenarios().scenarios().stream().map(Scenario::name).toList();
        assertThat(names)
                .containsExactly(
                        "mpsc-channel",
                        "producer-consumer",
                        "select",
                        "worker-pool",
                        "lock-free-queue");
    }
}
