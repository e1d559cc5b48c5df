package io.orderhub.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Domain packages do not import Camel: routes reach them through the adapters in {@code io.orderhub.api}
 * and in {@code camel} subpackages, so the business rules are testable and reusable without a route.
 */
class PackageRulesTest {

    static final Path SOURCES = Path.of("src", "main", "java", "io", "orderhub");

    @Test
    void onlyAdapterPackagesImportCamel() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !isAdapter(SOURCES.relativize(p)))
                    .filter(PackageRulesTest::importsCamel)
                    .map(p -> SOURCES.relativize(p).toString())
                    .toList();
            assertThat(offenders).as("domain classes importing org.apache.camel").isEmpty();
        }
    }

    @Test
    void theRuleSeesTheAdapters() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("api"))) {
            assertThat(files.filter(Files::isRegularFile).anyMatch(PackageRulesTest::importsCamel)).isTrue();
        }
    }

    private static boolean isAdapter(Path relative) {
        String first = relative.getName(0).toString();
        boolean camelSubpackage = false;
        for (Path part : relative) {
            camelSubpackage |= part.toString().equals("camel");
        }
        return first.equals("api") || camelSubpackage;
    }

    private static boolean importsCamel(Path file) {
        try {
            return Files.readString(file).contains("import org.apache.camel");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
