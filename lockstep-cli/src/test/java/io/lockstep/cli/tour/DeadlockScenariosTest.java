package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(120)
class DeadlockScenariosTest {
    static Stream<Scenario> scenarios() {
        return new DeadlockScenarios().scenarios().stream();
    }

    static Stream<Arguments> named() {
        return scenarios().map(s -> Arguments.of(Named.of(s.name(), s)));
    }

    @Test
    void theGroupHasTheThreeScenariosOfIssue7() {
        List<String> names = scenarios().map(Scenario::name).toList();
        assertThat(names).containsExactly("deadlock-detect", "lock-ordering", "priority-inversion");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("named")
    void runsAndReports(Scenario scenario) throws Exception {
        assertThat(scenario.run()).isNotBlank();
    }
}
