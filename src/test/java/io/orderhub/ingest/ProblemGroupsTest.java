package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.orderhub.common.FieldError;
import org.junit.jupiter.api.Test;

class ProblemGroupsTest {

    @Test
    void theSameProblemOnManyLinesIsOneErrorCountingThem() {
        List<FieldError> errors = new ArrayList<>();
        errors.add(FieldError.of("/currency", "is required"));
        for (int i = 0; i < 146; i++) {
            errors.add(FieldError.of("/lines/" + i + "/unitPrice", "is required"));
            errors.add(FieldError.of("/lines/" + i + "/lineTotal", "is required"));
        }
        errors.add(FieldError.of("/lines/3/sku", "line 4: unknown SKU 'X'; it is not in the catalogue"));

        assertThat(ProblemGroups.group(errors)).containsExactly(
                FieldError.of("/currency", "is required"),
                FieldError.of("/lines/*/unitPrice", "is required — on 146 lines: /lines/0/unitPrice, /lines/1/unitPrice,"
                        + " /lines/2/unitPrice, /lines/3/unitPrice, /lines/4/unitPrice and 141 more"),
                FieldError.of("/lines/*/lineTotal", "is required — on 146 lines: /lines/0/lineTotal, /lines/1/lineTotal,"
                        + " /lines/2/lineTotal, /lines/3/lineTotal, /lines/4/lineTotal and 141 more"),
                FieldError.of("/lines/3/sku", "line 4: unknown SKU 'X'; it is not in the catalogue"));
    }

    @Test
    void segmentPositionsGroupAndFewRepeatsStayAsTheyAre() {
        List<FieldError> segments = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            segments.add(FieldError.of("segment " + (10 + 4 * i) + " (PRI) element 1", "'x' is not a number"));
        }
        assertThat(ProblemGroups.group(segments)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("segment * (PRI) element 1");
            assertThat(e.message()).startsWith("'x' is not a number — on 6 places: segment 10 (PRI) element 1,");
        });

        List<FieldError> four = List.of(FieldError.of("/lines/0/sku", "is required"), FieldError.of("/lines/1/sku", "is required"),
                FieldError.of("/lines/2/sku", "is required"), FieldError.of("/lines/3/sku", "is required"),
                FieldError.of("/shipTo", "is required"));
        assertThat(ProblemGroups.group(four)).isEqualTo(four);
    }
}
