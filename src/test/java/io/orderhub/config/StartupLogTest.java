package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The hub's start-up log says what an operator needs and not more (issue 20, section 5): one summary line for the
 * routes instead of one per route, no commons-logging warning, no Bean Validation INFO line. Read from the suite's
 * log file (application-test.yaml), which holds this JVM's start of the shared hub.
 */
class StartupLogTest extends HubTestSupport {

    @Test
    void theStartIsLoggedInASummaryWithoutNoise() throws Exception {
        List<String> all = Files.readAllLines(Path.of("target", "test-logs", "orderhub.log"), StandardCharsets.UTF_8);
        // the file may hold earlier runs: from this JVM's (the last) start of the hub on
        int start = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).contains("Starting OrderHubApplication") || all.get(i).contains("Starting ") && all.get(i).contains("Test using Java")) {
                start = i;
            }
        }
        List<String> log = all.subList(start, all.size());
        assertThat(log).anyMatch(l -> l.contains("Routes startup (total:"));
        assertThat(log).noneMatch(l -> l.contains("Started route"));
        assertThat(log).noneMatch(l -> l.contains("Standard Commons Logging discovery"));
        assertThat(log).noneMatch(l -> l.contains("Failed to set up a Bean Validation provider"));
        assertThat(log).noneMatch(l -> l.contains("HealthIndicator") && l.contains(" WARN ") && l.contains("is starting"));
    }
}
