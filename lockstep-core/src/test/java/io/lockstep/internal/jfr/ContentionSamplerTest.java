package io.lockstep.internal.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lock.RawMutex;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The sampler's table stays bounded however many primitives wait (issue 16). */
@Isolated("the table is process-wide")
class ContentionSamplerTest {
    @AfterEach
    void clear() {
        ContentionSampler.reset();
    }

    @Test
    void pastTheBoundNewPrimitivesAreCountedTogether() {
        for (int i = 0; i < ContentionSampler.MAX_PRIMITIVES + 10; i++) {
            ContentionSampler.record(new RawMutex(), 1_000);
        }
        List<ContentionSampler.Row> rows = ContentionSampler.rows();
        assertThat(rows).hasSizeLessThanOrEqualTo(ContentionSampler.MAX_PRIMITIVES + 1);
        ContentionSampler.Row others = rows.stream().filter(r -> r.primitive().equals(ContentionSampler.OTHERS))
            .findFirst().orElseThrow();
        assertThat(others.waits()).isGreaterThanOrEqualTo(10);
        assertThat(rows.stream().mapToLong(ContentionSampler.Row::waits).sum())
            .isEqualTo(ContentionSampler.MAX_PRIMITIVES + 10);
    }
}
