package io.orderhub.shipping;

import java.time.Clock;
import java.time.Duration;

import io.orderhub.common.HubProperties;
import io.orderhub.common.WakeableSchedule;
import io.orderhub.inventory.WarehouseWork;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ShippingProperties.class)
class ShippingConfig {

    /**
     * When the label dispatcher runs (routes/shipping.camel.yaml, its {@code dispatchTrigger}): right after a packing
     * committed on this instance, and otherwise every dispatch interval (packings on other instances, a crashed run's),
     * only every (multiplier + 1)th one while idle.
     */
    @Bean
    WakeableSchedule dispatchSchedule(ShippingJobProperties jobs, HubProperties hub, Clock clock, WarehouseWork warehouses) {
        WakeableSchedule schedule = new WakeableSchedule(clock, Duration.ofMillis(jobs.dispatchIntervalMs()),
                hub.jobs().idleBackoffThreshold(), hub.jobs().idleBackoffMultiplier());
        warehouses.onPacked(schedule::wake);
        return schedule;
    }

    /** When the completion of delivered orders runs: every completion interval, only every (multiplier + 1)th while idle. */
    @Bean
    WakeableSchedule completionSchedule(ShippingJobProperties jobs, HubProperties hub, Clock clock) {
        return new WakeableSchedule(clock, Duration.ofMillis(jobs.completionIntervalMs()), hub.jobs().idleBackoffThreshold(),
                hub.jobs().idleBackoffMultiplier());
    }
}
