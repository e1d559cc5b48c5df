package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown: SIGTERM while four clients send orders. The hub stops taking requests, finishes
 * the ones in flight and exits within its shutdown timeout; after a restart every order answered 201
 * is there exactly once, and no request got a 5xx.
 */
@Tag("reliability")
class SigtermDuringIngestTest {

    static final int TERM_AFTER = Integer.getInteger("orderhub.reliability.term-after", 100);

    @TempDir
    Path dir;

    @Test
    void sigtermFinishesInFlightWorkAndLosesNothing() throws Exception {
        Path log = Path.of("target", "reliability", "sigterm-during-ingest-hub.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        try (HubProcess hub = new HubProcess(dir.resolve("data"), log)) {
            hub.start();
            IngestLoad load = new IngestLoad(hub.port(), 4, TERM_AFTER);
            assertThat(load.awaitAcknowledged(180)).isTrue();
            long started = System.nanoTime();
            int exit = hub.terminate(60);
            double seconds = (System.nanoTime() - started) / 1e9;
            load.close();

            hub.start();
            int[] counts = load.lostAndDuplicated(hub.port());
            IngestLoad.report("sigterm-during-ingest", "| SIGTERM of the hub under load (embedded default) | SIGTERM after "
                    + TERM_AFTER + " acknowledged orders, restart | REST, 4 clients | accepted " + load.acknowledged().size()
                    + ", refused with a status " + load.refused() + ", unanswered " + load.unanswered() + ", lost "
                    + counts[0] + ", duplicated " + counts[1] + ", exit code " + exit + " after "
                    + String.format("%.1f", seconds) + " s | " + (counts[0] == 0 && counts[1] == 0 ? "pass" : "FAIL") + " |");
            assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(counts[0]).as("acknowledged orders lost").isZero();
            assertThat(counts[1]).as("acknowledged orders duplicated").isZero();
            assertThat(load.refused()).as("requests answered with an error status during shutdown").isZero();
        }
    }
}
