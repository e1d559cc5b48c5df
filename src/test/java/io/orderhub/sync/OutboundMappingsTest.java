package io.orderhub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.sync.crm.CrmTarget;
import io.orderhub.sync.erp.ErpTarget;
import io.orderhub.sync.outbound.EventMapping;
import io.orderhub.sync.outbound.HttpTarget;
import io.orderhub.sync.outbound.SyncTarget;
import io.orderhub.sync.outbound.TargetRejectedException;
import io.orderhub.sync.outbound.TargetRequest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases of the outbound mappings: every {@code mappings/<erp|crm>/tests/<case>.event.json}
 * (an orders.events message) must produce exactly the calls in {@code <case>.expected.json}
 * ({@code [{method, path, idempotencyKey, body}]}), amounts as exact decimals.
 */
class OutboundMappingsTest {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(SerializationFeature.INDENT_OUTPUT).setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    static final MappingFiles MAPPINGS = new MappingFiles(Path.of("mappings").toAbsolutePath(), Clock.systemUTC());

    static ErpTarget erp(String mapping) {
        return new ErpTarget(new EventMapping("erp", mapping, MAPPINGS), http("erp"));
    }

    static CrmTarget crm(String mapping) {
        return new CrmTarget(new EventMapping("crm", mapping, MAPPINGS), http("crm"), "v60.0");
    }

    static HttpTarget http(String name) {
        return new HttpTarget(name, "http://localhost:9", null, Duration.ofSeconds(1), Duration.ofSeconds(1), JSON);
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        return Stream.concat(cases("erp", erp("erp/sales-order.jsonata")), cases("crm", crm("crm/customer.jsonata")));
    }

    @Test
    void everyMappingHasCases() throws IOException {
        assertThat(cases("erp", erp("erp/sales-order.jsonata")).count()).isGreaterThanOrEqualTo(3);
        assertThat(cases("crm", crm("crm/customer.jsonata")).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aMappingThatDoesNotCompileRejectsTheEvent() throws IOException {
        Path dir = Files.createTempDirectory("mappings");
        Files.createDirectories(dir.resolve("erp"));
        Files.writeString(dir.resolve("erp/broken.jsonata"), "{ \"method\": ");
        ErpTarget broken = new ErpTarget(new EventMapping("erp", "erp/broken.jsonata", new MappingFiles(dir, Clock.systemUTC())),
                http("erp"));
        JsonNode event = JSON.readTree(Path.of("mappings/erp/tests/created.event.json").toFile());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.requests(event))
                .isInstanceOf(TargetRejectedException.class).hasMessageContaining("erp/broken.jsonata");
    }

    private Stream<DynamicTest> cases(String system, SyncTarget target) throws IOException {
        Path dir = Path.of("mappings", system, "tests");
        List<Path> events;
        try (Stream<Path> files = Files.list(dir)) {
            events = files.filter(p -> p.getFileName().toString().endsWith(".event.json")).sorted().toList();
        }
        return events.stream().map(event -> DynamicTest.dynamicTest(system + "/" + event.getFileName(), () -> {
            ArrayNode actual = JSON.createArrayNode();
            for (TargetRequest r : target.requests(JSON.readTree(event.toFile()))) {
                ObjectNode call = actual.addObject();
                call.put("method", r.method());
                call.put("path", r.path());
                call.put("idempotencyKey", r.idempotencyKey());
                call.set("body", r.body());
            }
            Path expectedFile = event.resolveSibling(event.getFileName().toString().replace(".event.json", ".expected.json"));
            assertThat(Files.exists(expectedFile)).as(expectedFile + " is missing; the mapping produced:\n"
                    + JSON.writeValueAsString(actual)).isTrue();
            // compared as read from text, so 0 is 0 whether the mapping made an int or a long
            assertThat(JSON.readTree(JSON.writeValueAsString(actual))).as(JSON.writeValueAsString(actual))
                    .isEqualTo(JSON.readTree(expectedFile.toFile()));
        }));
    }
}
