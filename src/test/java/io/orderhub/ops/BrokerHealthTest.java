package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The {@code broker} health component and the broker gauges on a broker with room: UP, the disk limit in force,
 * nothing blocked. (Blocked and full: EventPublisherBlockedTest, BrokerDiskFullTest.)
 */
class BrokerHealthTest extends HubTestSupport {

    @Test
    void healthAndMetricsShowTheBrokersStorage() {
        JsonNode broker = get("/actuator/health", OPS_KEY).body().at("/components/broker");
        assertThat(broker.get("status").asText()).isEqualTo("UP");
        assertThat(broker.at("/details/diskFull").asBoolean()).isFalse();
        assertThat(broker.at("/details/disk").asText()).startsWith("ok: ").contains("max-disk-usage 90 %");
        assertThat(broker.at("/details/paging").isObject()).isTrue();
        assertThat(get("/actuator/health/broker", OPS_KEY).status()).isEqualTo(200);

        String metrics = get("/actuator/prometheus", OPS_KEY).text();
        assertThat(metrics).contains("orderhub_broker_blocked{application=\"orderhub\"} 0.0")
                .contains("orderhub_broker_disk_full{application=\"orderhub\"} 0.0")
                .contains("orderhub_broker_disk_free_bytes")
                .contains("orderhub_broker_paging_addresses")
                .contains("orderhub_broker_pages")
                .contains("orderhub_broker_sends_blocked{application=\"orderhub\"} 0.0");
    }
}
