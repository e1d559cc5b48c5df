package io.orderhub.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.messaging.BrokerSends;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code broker} in {@code /actuator/health} (and {@code /actuator/health/broker}, 503 while it is not UP): the
 * broker's storage ({@link BrokerStorage}). OUT_OF_SERVICE while the broker blocks or refuses producers — its
 * journal's disk beyond the limit, an address full under BLOCK or FAIL, or sends of the hub it has not taken in
 * time — with the reason; UP otherwise, listing the addresses that page. Not DOWN: the hub keeps taking REST
 * orders (receipt, order and outbox event are in the database) and publishes them once the broker takes
 * messages again, so readiness stays as it is ({@code jms} there says whether the broker answers at all).
 */
@Component("brokerHealthIndicator")
class BrokerHealth implements HealthIndicator {

    private final BrokerStorage storage;

    public BrokerHealth(BrokerStorage storage) {
        this.storage = storage;
    }

    @Override
    public Health health() {
        BrokerStorage.Snapshot s = storage.snapshot();
        Health.Builder h = s.blocked() ? Health.outOfService() : Health.up();
        if (s.embedded()) {
            h.withDetail("disk", s.diskFull()
                    ? "full: " + s.diskFree() + " bytes free of " + s.diskTotal() + ", beyond " + s.diskLimit()
                    + "; the broker blocks every producer (JMS channels wait, events wait in the outbox) until there is room"
                    : "ok: " + s.diskFree() + " bytes free of " + s.diskTotal() + " (limit " + s.diskLimit() + ")");
            h.withDetail("diskFull", s.diskFull());
            h.withDetail("diskFreeBytes", s.diskFree());
            h.withDetail("memory", s.globalSize() + " of " + s.globalMaxSize() + " bytes");
            Map<String, Object> paging = new LinkedHashMap<>();
            Map<String, Object> full = new LinkedHashMap<>();
            for (BrokerStorage.AddressState a : s.addresses()) {
                if (a.paging()) {
                    paging.put(a.address(), Map.of("pages", a.pages(), "memoryBytes", a.memoryBytes(),
                            "maxSizeBytes", a.maxSizeBytes()));
                }
                if (a.blocking()) {
                    full.put(a.address(), a.policy() + ": " + (a.policy().name().equals("FAIL") ? "sends refused"
                            : "producers wait") + " (" + a.memoryBytes() + " of " + a.maxSizeBytes() + " bytes)");
                }
            }
            h.withDetail("paging", paging);
            if (!full.isEmpty()) {
                h.withDetail("full", full);
            }
        } else {
            h.withDetail("disk", "external broker: disk, memory and paging are in its own console and metrics");
        }
        List<BrokerSends.Blockage> blocked = s.blockedSends();
        if (!blocked.isEmpty()) {
            Map<String, Object> senders = new LinkedHashMap<>();
            for (BrokerSends.Blockage b : blocked) {
                senders.put(b.sender(), "blocked since " + b.since() + ": " + b.detail() + " (" + b.attempts() + ")");
            }
            h.withDetail("blockedSends", senders);
        }
        return h.build();
    }
}
