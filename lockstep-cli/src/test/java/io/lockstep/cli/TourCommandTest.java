package io.lockstep.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.cli.tour.Check;
import io.lockstep.cli.tour.Scenario;
import io.lockstep.cli.tour.ScenarioGroup;
import io.lockstep.cli.tour.Tour;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code lockstep} command line, run in-process on tours made of fake scenarios. */
@Timeout(20)
class TourCommandTest {

    /** Names of the fake scenarios that ran, in order: proves which ones ran and which did not. */
    private final List<String> ran = new CopyOnWriteArrayList<>();

    private Scenario passing(String name) {
        return Scenario.of(
                name,
                "always passes",
                () -> {
                    ran.add(name);
                    return "showed that " + name + " passes";
                });
    }

    private Scenario failingCheck(String name) {
        return Scenario.of(
                name,
                "a counter that comes out wrong",
                () -> {
                    ran.add(name);
                    Check.equal(2, 1, "the counter after two increments");
                    return "unreachable";
                });
    }

    private Scenario throwing(String name) {
        return Scenario.of(
                name,
                "throws something other than a failed check",
                () -> {
                    ran.add(name);
                    throw new IllegalStateException("boom");
                });
    }

    private static Tour tour(Scenario... scenarios) {
        ScenarioGroup group = () -> List.of(scenarios);
        return Tour.of(group);
    }

    record Result(int exitCode, String out, String err, byte[] outBytes) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private static Result execute(Tour tour, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = LockstepCommand.commandLine(tour, out, err).execute(args);
        return new Result(exitCode, out.toString(UTF_8), err.toString(UTF_8), out.toByteArray());
    }

    @Test
    void passingScenarioPrintsOneCheckedLineThenTheSummary() {
        Result result = execute(tour(passing("fake-pass")), "tour");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).hasSize(2);
        assertThat(result.outLines().get(0))
                .isEqualTo("✔ fake-pass — showed that fake-pass passes");
        assertThat(result.outLines().get(1)).startsWith("The scenario passed in ");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void outputIsUtf8WhateverTheLocale() {
        Result result = execute(tour(passing("fake-pass"), failingCheck("fake-fail")), "tour");

        byte[] check = {(byte) 0xE2, (byte) 0x9C, (byte) 0x94}; // ✔ U+2714 in UTF-8
        byte[] cross = {(byte) 0xE2, (byte) 0x9C, (byte) 0x98}; // ✘ U+2718
        assertThat(new String(result.outBytes(), UTF_8)).contains("✔", "✘");
        assertThat(indexOf(result.outBytes(), check)).isNotNegative();
        assertThat(indexOf(result.outBytes(), cross)).isNotNegative();
    }

    @Test
    void failedCheckIsReportedWithItsReasonAndTheOthersStillRun() {
        Tour tour = tour(failingCheck("fake-fail"), passing("fake-pass"), throwing("fake-throw"));

        Result result = execute(tour, "tour");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(ran).containsExactly("fake-fail", "fake-pass", "fake-throw");
        assertThat(result.outLines())
                .first()
                .isEqualTo("✘ fake-fail — the counter after two increments: expected 2 but was 1");
        assertThat(result.outLines().get(1)).startsWith("✔ fake-pass — ");
        assertThat(result.outLines())
                .last()
                .isEqualTo("2 of 3 scenarios failed: fake-fail, fake-throw.");
    }

    @Test
    void unexpectedExceptionFailsWithItsTypeMessageAndWhereItWasThrown() {
        Result result = execute(tour(throwing("fake-throw")), "tour");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.outLines().get(0))
                .startsWith("✘ fake-throw — threw IllegalStateException: boom at TourCommandTest.")
                .contains("(TourCommandTest.java:");
        // The whole stack goes to stderr, so that stdout keeps one line per scenario.
        assertThat(result.err())
                .contains("java.lang.IllegalStateException: boom")
                .contains("at io.lockstep.cli.TourCommandTest");
    }

    @Test
    void stuckScenarioTimesOutNamingWhereItsThreadIsStuckAndIsInterrupted() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Scenario stuck =
                Scenario.of(
                        "fake-stuck",
                        "waits for a signal that never comes",
                        () -> {
                            waitForever(never, interrupted);
                            return "unreachable";
                        });

        Result result = execute(tour(stuck, passing("fake-pass")), "tour", "--timeout=200ms");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.outLines().get(0))
                .startsWith(
                        "✘ fake-stuck — timed out after 200 ms, stuck in TourCommandTest.waitForever");
        assertThat(result.err())
                .contains("thread \"tour-fake-stuck\" (WAITING) was stuck at:")
                .contains("at io.lockstep.cli.TourCommandTest.waitForever");
        assertThat(result.outLines().get(1)).startsWith("✔ fake-pass — ");
        assertThat(interrupted.await(5, TimeUnit.SECONDS))
                .as("the timed-out scenario's thread was interrupted")
                .isTrue();
    }

    private static void waitForever(CountDownLatch never, CountDownLatch interrupted) {
        try {
            never.await();
        } catch (InterruptedException e) {
            interrupted.countDown();
        }
    }

    @Test
    void listShowsNamesAndDescriptionsWithoutRunningAnything() {
        Tour tour = tour(passing("fake-pass"), failingCheck("fake-fail"));

        Result result = execute(tour, "tour", "--list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        "fake-pass — always passes", "fake-fail — a counter that comes out wrong");
        assertThat(ran).isEmpty();
    }

    @Test
    void namedScenariosRunAloneInTheOrderGiven() {
        Tour tour = tour(passing("fake-a"), passing("fake-b"), passing("fake-c"));

        Result result = execute(tour, "tour", "fake-c", "fake-a", "fake-c");

        assertThat(result.exitCode()).isZero();
        assertThat(ran).containsExactly("fake-c", "fake-a");
        assertThat(result.outLines()).last().asString().startsWith("All 2 scenarios passed in ");
    }

    @Test
    void unknownNameExitsWithUsageCodeAndSuggestsCloseNames() {
        Tour tour = tour(passing("mutex-excludes"), passing("mutex-fair"), passing("latch-opens"));

        Result result = execute(tour, "tour", "mutex-exclude", "latch-opens");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("Unknown scenario 'mutex-exclude'. Did you mean: mutex-excludes?");
        assertThat(result.out()).isEmpty();
        assertThat(ran).as("nothing runs when a name is wrong").isEmpty();
    }

    @Test
    void unknownNameWithNothingCloseSaysHowToListThem() {
        Result result = execute(tour(passing("mutex-excludes")), "tour", "zzz");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("Unknown scenario 'zzz'. 'lockstep tour --list' shows all 1 scenario.");
    }

    @Test
    void unknownNameInAnEmptyTourSaysTheTourIsEmpty() {
        Result result = execute(Tour.of(), "tour", "mutex-excludes");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("Unknown scenario 'mutex-excludes'. The tour has no scenarios yet.");
    }

    @Test
    void emptyTourSaysSoAndSucceeds() {
        for (String[] args : new String[][] {{"tour"}, {"tour", "--list"}}) {
            Result result = execute(Tour.of(), args);

            assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(result.outLines())
                    .containsExactly(
                            "The tour has no scenarios yet: no scenario group is listed in "
                                    + "io.lockstep.cli.tour.Tour.");
        }
    }

    @Test
    void scenarioThatReturnsNoDescriptionFails() {
        Result result = execute(tour(Scenario.of("fake-null", "returns null", () -> null)), "tour");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.outLines().get(0))
                .isEqualTo("✘ fake-null — run() returned null instead of what it showed");
    }

    @Test
    void multiLineResultIsPrintedOnOneLine() {
        Result result =
                execute(
                        tour(Scenario.of("fake-lines", "two lines", () -> "first\n  second\n")),
                        "tour");

        assertThat(result.outLines().get(0)).isEqualTo("✔ fake-lines — first second");
    }

    @Test
    void badTimeoutIsAUsageError() {
        Result result = execute(tour(passing("fake-pass")), "tour", "--timeout=soon");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'soon' is not a duration");
        assertThat(ran).isEmpty();
    }

    @Test
    void versionNamesTheBuiltVersion() {
        Result result = execute(Tour.of(), "--version");

        assertThat(result.exitCode()).isZero();
        // A digit proves the build filtered version.properties; unfiltered it says
        // ${project.version}.
        assertThat(result.out().strip()).matches("lockstep \\d+\\.\\d+\\S*");
    }

    @Test
    void helpListsTheTourCommand() {
        Result result = execute(Tour.of(), "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: lockstep").contains("tour");
    }

    @Test
    void noCommandIsAUsageError() {
        Result result = execute(Tour.of());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing a command, such as 'tour'.");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
