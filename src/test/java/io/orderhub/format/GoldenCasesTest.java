package io.orderhub.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrderValidator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import io.orderhub.common.ApiProperties;

/**
 * Every golden case of {@code mappings/tests/} (see {@link GoldenCases}) as a test of its own. Cases
 * whose input is a GPL corpus file run where {@code ../shared/corpus} is present (CI has it) and are
 * skipped elsewhere. The slim context reads application.yaml (the settings' defaults live only there).
 */
@SpringJUnitConfig(classes = GoldenCasesTest.Formats.class, initializers = ConfigDataApplicationContextInitializer.class)
@TestPropertySource(properties = "orderhub.mappings-dir=mappings")
class GoldenCasesTest {

    /** The formats and what they need, without the rest of the hub. */
    @Configuration
    @ComponentScan(basePackageClasses = DocumentFormat.class)
    @EnableConfigurationProperties({ApiProperties.class, io.orderhub.order.ValidationProperties.class,
            io.orderhub.mapping.MappingFilesProperties.class, GoldenCaseProperties.class})
    @Import({MappingFiles.class, CanonicalOrderValidator.class, JacksonAutoConfiguration.class,
            io.orderhub.config.CoreConfig.class})
    static class Formats {
    }

    @Autowired
    GoldenCases golden;
    @Autowired
    MappingFiles mappings;

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        List<GoldenCases.Case> cases = golden.cases(mappings);
        assertThat(cases).as("golden cases under mappings/tests").hasSizeGreaterThan(50);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Assumptions.assumeTrue(golden.runnable(c), "corpus input of " + c + " is not present");
            Optional<String> problem = golden.check(c, mappings);
            assertThat(problem).as(c + " " + problem.orElse("")).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyFormatHasGoldenCases() {
        List<GoldenCases.Case> cases = golden.cases(mappings);
        return Stream.of("canonical", "shopify", "woocommerce", "csv", "ubl", "cxml", "x12-850", "edifact-orders")
                .map(format -> DynamicTest.dynamicTest(format, () ->
                        assertThat(cases).anyMatch(c -> c.format().equals(format))));
    }
}
