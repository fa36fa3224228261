package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The catalog's checks, the name suggestions and the runner, without the command line. */
@Timeout(20)
class TourTest {

    static final class MutexScenarios implements ScenarioGroup {
        @Override
        public List<Scenario> scenarios() {
            return List.of(
                    Scenario.of("mutex-excludes", "one holder at a time", () -> "ok"),
                    Scenario.of("mutex-fair", "first come first served", () -> "ok"));
        }
    }

    static final class CopyOfMutexScenarios implements ScenarioGroup {
        @Override
        public List<Scenario> scenarios() {
            return List.of(Scenario.of("mutex-fair", "again", () -> "ok"));
        }
    }

    private static ScenarioGroup one(String name, String description) {
        return () -> List.of(Scenario.of(name, description, () -> "ok"));
    }

    @Test
    void keepsGroupOrderThenScenarioOrder() {
        Tour tour = Tour.of(one("b-first", "x"), new MutexScenarios());

        assertThat(tour.scenarios())
                .extracting(Scenario::name)
                .containsExactly("b-first", "mutex-excludes", "mutex-fair");
    }

    @Test
    void rejectsADuplicateNameNamingBothGroups() {
        assertThatThrownBy(() -> Tour.of(new MutexScenarios(), new CopyOfMutexScenarios()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "scenario name 'mutex-fair' is used twice: by MutexScenarios and by"
                                + " CopyOfMutexScenarios");
    }

    @Test
    void rejectsNamesThatCannotBeTypedAsOneArgument() {
        assertThatThrownBy(() -> Tour.of(one("mutex excludes", "x")))
                .hasMessageContaining("'mutex excludes'")
                .hasMessageContaining("one word");
        assertThatThrownBy(() -> Tour.of(one(" ", "x"))).hasMessageContaining("one word");
    }

    @Test
    void rejectsBlankOrMultiLineDescriptions() {
        assertThatThrownBy(() -> Tour.of(one("a", "")))
                .hasMessage(
                        "scenario 'a' of "
                                + one("a", "").getClass().getSimpleName()
                                + " needs a one-line description");
        assertThatThrownBy(() -> Tour.of(one("a", "two\nlines")))
                .hasMessageContaining("needs a one-line description");
    }

    @Test
    void findsByExactNameOnly() {
        Tour tour = Tour.of(new MutexScenarios());

        assertThat(tour.find("mutex-fair")).map(Scenario::name).contains("mutex-fair");
        assertThat(tour.find("mutex")).isEmpty();
    }

    @Test
    void suggestsNamesATypoAwayClosestFirst() {
        Tour tour = Tour.of(new MutexScenarios(), one("latch-opens", "x"));

        assertThat(tour.closeNames("mutex-fiar")).containsExactly("mutex-fair");
        assertThat(tour.closeNames("Mutex-Excludes")).containsExactly("mutex-excludes");
        assertThat(tour.closeNames("latch-open")).containsExactly("latch-opens");
    }

    @Test
    void suggestsEveryNameThatContainsWhatWasTyped() {
        Tour tour = Tour.of(new MutexScenarios(), one("latch-opens", "x"));

        assertThat(tour.closeNames("mutex")).containsExactly("mutex-fair", "mutex-excludes");
        assertThat(tour.closeNames("semaphore")).isEmpty();
    }

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertThat(Tour.editDistance("", "abc")).isEqualTo(3);
        assertThat(Tour.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(Tour.editDistance("fair", "fiar")).isEqualTo(2);
        assertThat(Tour.editDistance("same", "same")).isZero();
    }

    @Test
    void runsEachScenarioOnItsOwnPlatformThread() {
        AtomicReference<Thread> where = new AtomicReference<>();
        Scenario scenario =
                Scenario.of(
                        "where",
                        "records its thread",
                        () -> {
                            where.set(Thread.currentThread());
                            return "ran";
                        });

        Outcome outcome = Tour.run(scenario, Duration.ofSeconds(5));

        assertThat(outcome.passed()).isTrue();
        assertThat(where.get()).isNotSameAs(Thread.currentThread());
        assertThat(where.get().isVirtual()).isFalse();
        assertThat(where.get().getName()).isEqualTo("tour-where");
        assertThat(outcome.line()).isEqualTo("✔ where — ran");
    }

    @Test
    void timeoutKeepsItsDurationAndFailureIsNotPassed() {
        Scenario stuck =
                Scenario.of(
                        "stuck",
                        "sleeps",
                        () -> {
                            Thread.sleep(60_000);
                            return "unreachable";
                        });

        Outcome outcome = Tour.run(stuck, Duration.ofMillis(100));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.elapsed()).isEqualTo(Duration.ofMillis(100));
        assertThat(outcome.line())
                .startsWith("✘ stuck — timed out after 100 ms, stuck in TourTest.");
        assertThat(outcome.details()).contains("java.lang.Thread.sleep");
    }

    @Test
    void formatsDurationsTheWayPeopleWriteThem() {
        assertThat(Tour.format(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Tour.format(Duration.ofMillis(250))).isEqualTo("250 ms");
        assertThat(Tour.format(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Tour.format(Duration.ofMinutes(2))).isEqualTo("2 min");
    }
}
