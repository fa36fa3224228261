package io.lockstep.cli.tour;

import java.util.List;

/**
 * The scenarios of one primitive (or one family of them). Each group is listed once in {@link
 * Tour}; the tour shows the groups in that order and each group's scenarios in the order returned
 * here.
 *
 * <pre>{@code
 * public final class MutexScenarios implements ScenarioGroup {
 *   @Override
 *   public List<Scenario> scenarios() {
 *     return List.of(
 *         Scenario.of("mutex-excludes", "two threads never hold a Mutex at once", () -> { ... }),
 *         Scenario.of("mutex-reentrant", "the owner may lock again", () -> { ... }));
 *   }
 * }
 * }</pre>
 */
public interface ScenarioGroup {

    /**
     * The group's scenarios. Called once, when the tour is assembled.
     *
     * @return the scenarios, in the order the tour shows them
     */
    List<Scenario> scenarios();
}
