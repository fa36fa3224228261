package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link ZooKeeperScenarios} lists the scenario the issue names. It is run by {@link CatalogTest}
 * (once: it starts a three-server ensemble, which takes a few seconds).
 */
class ZooKeeperScenariosTest {

    @Test
    void listsTheScenariosTheIssueNames() {
        assertThat(new ZooKeeperScenarios().scenarios())
                .extracting(Scenario::name)
                .containsExactly("distributed-mutex");
    }
}
