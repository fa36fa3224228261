package io.lockstep.cli.tour;

import java.util.List;

/** The scenarios of one area of the library (mutexes, channels, ...), listed by the tour. */
public interface ScenarioGroup {
    /** The scenarios, in the order the tour runs them. */
    List<Scenario> scenarios();
}
