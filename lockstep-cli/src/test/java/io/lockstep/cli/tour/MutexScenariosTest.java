package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class MutexScenariosTest {
    private final List<Scenario> scenarios = new MutexScenarios().scenarios();

    @Test
    void theIssuesScenariosAreAllThere() {
        assertThat(scenarios)
                .extracting(Scenario::name)
                .containsExactly(
                        "cpp-mutex-counter",
                        "cpp-lock-guard",
                        "recursive-mutex",
                        "rust-arc-mutex-counter",
                        "mutex-poisoning",
                        "monitor-condvar");
        assertThat(scenarios).allSatisfy(s -> assertThat(s.description()).isNotBlank());
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPassesItsChecks() {
        return scenarios.stream()
                .map(
                        s ->
                                DynamicTest.dynamicTest(
                                        s.name(),
                                        () -> {
                                            for (int i = 0;
                                                    i < 20;
                                                    i++) { // a few times: they are concurrent
                                                String shown = s.run();
                                                assertThat(shown).as(s.name()).isNotBlank();
                                            }
                                        }));
    }

    @Test
    void whatTheyShow() throws Exception {
        assertThat(MutexScenarios.cppMutexCounter()).contains("2000");
        assertThat(MutexScenarios.rustArcMutexCounter()).contains("= 10");
        assertThat(MutexScenarios.mutexPoisoning()).contains("PoisonedException");
    }
}
