package io.orderhub.sync;

import io.orderhub.messaging.DeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.support.HubTestSupport;
import io.orderhub.sync.crm.CrmTarget;
import io.orderhub.sync.outbound.EventMapping;
import io.orderhub.sync.outbound.HttpTarget;
import io.orderhub.sync.outbound.TargetRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A CRM mapping that leaves out a required field: the sandbox CRM answers 400 (Salesforce's
 * REQUIRED_FIELD_MISSING), the event becomes a dead letter; after the mapping file is fixed (in a
 * mappings directory, as with ORDERHUB_MAPPINGS_DIR) the replay goes through today's mapping and the
 * CRM stores the customer. Uses its own CRM target instance over the hub's ledger and sandbox.
 */
class MappingFixReplayTest extends HubTestSupport {

    @Autowired
    SyncLedger ledger;

    @TempDir
    Path mappingsDir;

    @Test
    void aDeadLetterReplaysThroughTheFixedMapping() throws Exception {
        String good = Files.readString(Path.of("mappings/crm/customer.jsonata"));
        Path file = mappingsDir.resolve("crm/customer.jsonata");
        Files.createDirectories(file.getParent());
        Files.writeString(file, good.replace("\"Name\":", "\"AccountName\":"));
        String targetName = "crm-fix-" + UUID.randomUUID().toString().substring(0, 8);
        CrmTarget crm = new CrmTarget(new EventMapping(targetName, "crm/customer.jsonata",
                new MappingFiles(mappingsDir, Clock.systemUTC())),
                new HttpTarget(targetName, "http://localhost:" + port + "/sandbox/crm", "Bearer sandbox",
                        Duration.ofSeconds(2), Duration.ofSeconds(5), json), "v60.0");
        SyncService sync = new SyncService(List.of(crm), ledger, json);

        String customer = "FIX-" + UUID.randomUUID();
        ObjectNode order = order();
        ((ObjectNode) order.get("customer")).put("externalId", customer);
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order).body().get("orderId").asText();
        String event = outboxPayload(orderId, "order.created");

        TargetRejectedException refused = org.junit.jupiter.api.Assertions.assertThrows(TargetRejectedException.class,
                () -> crm.requests(json.readTree(event)).forEach(crm::send));
        assertThat(refused.httpStatus()).isEqualTo(400);
        assertThat(refused.getMessage()).contains("REQUIRED_FIELD_MISSING").contains("Name");
        sync.deadLetter(targetName, event, refused, null);
        sync.deadLetter(targetName, event, refused, null); // the same failure seen again records nothing more
        List<DeadLetter> letters = sync.deadLetters(DeadLetter.OPEN, 1000).stream()
                .filter(l -> l.target().equals(targetName)).toList();
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0);
        assertThat(letter.orderId()).isEqualTo(orderId);
        assertThatThrownBy(() -> sync.replay(letter.id())).isInstanceOfSatisfying(OrderHubException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.INVALID));

        Files.writeString(file, good);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        // the mappings directory is checked for changes at most once a second
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).ignoreException(OrderHubException.class).untilAsserted(() ->
                assertThat(sync.replay(letter.id()).status()).isEqualTo(DeadLetter.REPLAYED));

        JsonNode received = get("/sandbox/crm/received?contains=" + customer, OPS_KEY).body();
        assertThat(received).hasSize(2);
        assertThat(received.get(0).at("/body/Name").asText()).isEqualTo("Erika Mustermann");
        assertThat(jdbc.queryForObject("select outcome from sync_processed_events where target = ? and event_id = ?",
                String.class, targetName, letter.eventId())).isEqualTo(SyncLedger.DELIVERED);
    }
}
