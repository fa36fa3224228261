package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/** Every scenario of {@link SyncScenarios} runs to completion and says what it showed. */
@Timeout(60)
class SyncScenariosTest {

    @Test
    void listsTheScenariosTheIssueNames() {
        assertThat(new SyncScenarios().scenarios())
                .extracting(Scenario::name)
                .containsExactly(
                        "cpp-counting-semaphore",
                        "binary-semaphore-signal",
                        "download-limiter",
                        "async-semaphore",
                        "condvar-semaphore",
                        "rwlock",
                        "barrier",
                        "once-lock",
                        "event");
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() {
        List<Scenario> scenarios = new SyncScenarios().scenarios();
        return scenarios.stream()
                .map(
                        s ->
                                DynamicTest.dynamicTest(
                                        s.name(),
                                        () -> {
                                            assertThat(s.description()).isNotBlank();
                                            assertThat(s.run()).isNotBlank();
                                        }));
    }
}
