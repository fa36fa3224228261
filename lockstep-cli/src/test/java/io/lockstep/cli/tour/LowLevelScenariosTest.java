package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LowLevelScenariosTest {

    static Stream<Scenario> scenarios() {
        return new LowLevelScenarios().scenarios().stream();
    }

    @Test
    void listsTheIssuesScenarios() {
        assertThat(scenarios().map(Scenario::name))
                .containsExactly(
                        "spin-mutex",
                        "rw-spinlock",
                        "atomic-counter",
                        "compare-exchange",
                        "thread-local",
                        "park-unpark",
                        "arc");
        assertThat(scenarios().map(Scenario::description))
                .allSatisfy(d -> assertThat(d).isNotBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    @Timeout(30)
    void runsAndReportsWhatItShowed(Scenario scenario) throws Exception {
        String shown = scenario.run();
        assertThat(shown).isNotBlank();
    }

    @Test
    void namesAreUniqueKebabCase() {
        List<String> names = scenarios().map(Scenario::name).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z]+(-[a-z]+)*"));
    }
}
