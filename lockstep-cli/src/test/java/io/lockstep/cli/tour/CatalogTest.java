package io.lockstep.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real tour: every scenario in {@link Tour#catalog()} must pass, so the build checks each
 * scenario as soon as its group is listed in the catalog.
 */
class CatalogTest {

    static Stream<Named<Scenario>> catalog() {
        return Tour.catalog().scenarios().stream().map(s -> Named.of(s.name(), s));
    }

    // Zero invocations are allowed while the catalog is still empty.
    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("catalog")
    @Timeout(60) // above Tour.DEFAULT_TIMEOUT, so a stuck scenario reports its own stack first
    void scenarioPasses(Scenario scenario) {
        Outcome outcome = Tour.run(scenario, Tour.DEFAULT_TIMEOUT);

        assertThat(outcome.passed()).as("%s%n%s", outcome.line(), outcome.details()).isTrue();
    }

    @Test
    @Timeout(10)
    void catalogHasUniqueWellFormedNames() {
        // Tour.of checks names and descriptions; this makes a broken catalog fail here, by name,
        // rather than as a missing parameterized test.
        assertThatCode(Tour::catalog).doesNotThrowAnyException();
    }
}
