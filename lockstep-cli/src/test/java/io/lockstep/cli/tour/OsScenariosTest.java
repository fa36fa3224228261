package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The OS scenarios are in the catalog under the issue's names. They start child JVMs, so they run
 * once, in {@link CatalogTest}, not again here.
 */
class OsScenariosTest {

    @Test
    void listsTheScenariosTheIssueNames() {
        assertThat(new OsScenarios().scenarios())
                .extracting(Scenario::name)
                .containsExactly("os-signal", "ipc-mutex", "ipc-channel");
        assertThat(Tour.catalog().find("os-signal")).isPresent();
    }
}
