package io.orderhub.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;

/**
 * Hot reload from ORDERHUB_MAPPINGS_DIR: a changed mapping replaces the running one only when every
 * golden case passes with it; otherwise it is refused with the reasons and the old one stays active.
 */
@SpringJUnitConfig(classes = GoldenCasesTest.Formats.class, initializers = ConfigDataApplicationContextInitializer.class)
@TestPropertySource(properties = "orderhub.mappings-dir=mappings")
class MappingReloadTest {

    static final String SHOPIFY = "shopify/order.jsonata";

    @Autowired
    GoldenCases golden;
    @Autowired
    FormatRegistry formats;

    @TempDir
    Path dir;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T10:00:00Z"));
    MappingFiles files;
    byte[] webhook;

    @BeforeEach
    void copyMappings() throws IOException {
        Path source = Path.of("mappings");
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.toList()) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        files = new MappingFiles(dir, clock);
        files.verifyChangesWith(golden);
        webhook = Files.readAllBytes(Path.of("mappings/tests/shopify/jpy-webhook-pending.json"));
    }

    @Test
    void aChangeThatBreaksGoldenCasesIsRefusedAndTheOldMappingStaysActive() throws IOException {
        String before = orderDate();
        String version = files.versions().get(SHOPIFY);

        edit(SHOPIFY, s -> s.replace("\"orderDate\": $text($o.created_at)", "\"orderDate\": \"2000-01-01T00:00:00Z\""));

        assertThat(orderDate()).isEqualTo(before).isNotEqualTo("2000-01-01T00:00:00Z");
        assertThat(files.versions().get(SHOPIFY)).isEqualTo(version);
        MappingFiles.Rejection rejection = files.rejections().get(SHOPIFY);
        assertThat(rejection).isNotNull();
        assertThat(rejection.failures()).anyMatch(f -> f.startsWith("shopify/") && f.contains("orderDate"));
    }

    @Test
    void aChangeThatKeepsGoldenCasesGreenGoesLiveWithoutRestart() throws IOException {
        edit(SHOPIFY, s -> s.replace("\"notes\":", "/* reviewed */ \"notes\":"));
        String version = files.versions().get(SHOPIFY);
        assertThat(files.rejections()).isEmpty();

        edit(SHOPIFY, s -> s + "\n/* a comment only: same behaviour */\n");

        assertThat(orderDate()).isNotBlank();
        assertThat(files.versions().get(SHOPIFY)).isNotEqualTo(version);
        assertThat(files.rejections()).isEmpty();
    }

    @Test
    void aMappingThatDoesNotCompileIsRefused() throws IOException {
        String before = orderDate();
        edit(SHOPIFY, s -> s + "\n)))\n");
        assertThat(orderDate()).isEqualTo(before);
        assertThat(files.rejections()).containsKey(SHOPIFY);
    }

    @Test
    void aBrokenChannelsFileIsRefused() throws IOException {
        files.read("channels.yaml");
        edit("channels.yaml", s -> s + "\n  - id: Bad Id\n");
        assertThat(files.rejections().get("channels.yaml").failures()).anyMatch(f -> f.contains("Bad Id"));
        assertThat(new String(files.read("channels.yaml"), StandardCharsets.UTF_8)).doesNotContain("Bad Id");
    }

    private String orderDate() {
        FormatResult result = formats.find("shopify").orElseThrow().read(webhook, new MappingContext(null, files));
        return result.orders().get(0).order().get("orderDate").asText();
    }

    /** Writes the file with a newer modification time and lets the clock pass the check interval. */
    private void edit(String name, java.util.function.UnaryOperator<String> change) throws IOException {
        touch(name);
        Path file = dir.resolve(name);
        Files.writeString(file, change.apply(Files.readString(file)));
        Files.setLastModifiedTime(file, FileTime.from(now.get().plusSeconds(5)));
        now.set(now.get().plus(Duration.ofSeconds(2)));
        touch(name);
        files.read(name);
    }

    private void touch(String name) {
        if (name.equals(SHOPIFY)) {
            orderDate();
        } else {
            files.read(name);
        }
    }
}
