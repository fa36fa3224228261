package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RcuStmScenariosTest {

    @Test
    @Timeout(60)
    void everyScenarioRunsAndReports() throws Exception {
        var scenarios = new RcuStmScenarios().scenarios();
        assertThat(scenarios).extracting(Scenario::name).containsExactly("rcu", "stm-bank");
        for (Scenario s : scenarios) assertThat(s.run()).isNotBlank();
    }
}
