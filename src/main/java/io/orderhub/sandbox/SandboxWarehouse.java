package io.orderhub.sandbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.orderhub.inventory.WarehouseWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The sandbox warehouse (embedded default): confirms packing of allocated shipments by itself, a
 * configurable delay after allocation, through the same {@link WarehouseWork#packed} an operator's
 * {@code POST /api/shipments/{id}/packed} uses, so orders flow on without a person.
 */
@Component
@ConditionalOnProperty(name = "orderhub.sandbox.warehouse.auto-pack", havingValue = "true")
public class SandboxWarehouse {

    private static final Logger log = LoggerFactory.getLogger(SandboxWarehouse.class);

    private final WarehouseWork warehouses;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final Duration delay;

    @Autowired
    public SandboxWarehouse(WarehouseWork warehouses, NamedParameterJdbcTemplate jdbc, Clock clock,
                            SandboxProperties sandbox) {
        this(warehouses, jdbc, clock, sandbox.warehouse().packDelay());
    }

    public SandboxWarehouse(WarehouseWork warehouses, NamedParameterJdbcTemplate jdbc, Clock clock, long delaySeconds) {
        this(warehouses, jdbc, clock, Duration.ofSeconds(delaySeconds));
    }

    private SandboxWarehouse(WarehouseWork warehouses, NamedParameterJdbcTemplate jdbc, Clock clock, Duration delay) {
        this.warehouses = warehouses;
        this.jdbc = jdbc;
        this.clock = clock;
        this.delay = delay;
    }

    @Scheduled(fixedDelayString = "${orderhub.sandbox.warehouse.tick}", initialDelayString = "${orderhub.sandbox.warehouse.tick}")
    public void packDue() {
        List<String> due = jdbc.queryForList("""
                select s.shipment_id from shipments s join orders o on o.order_id = s.order_id
                where s.status = 'PICKING' and o.status = 'ALLOCATED' and s.created_at <= :before
                order by s.created_at limit 50
                """, new MapSqlParameterSource("before", Timestamp.from(clock.instant().minus(delay))), String.class);
        for (String id : due) {
            try {
                warehouses.packed(id);
                log.info("sandbox warehouse packed {}", id);
            } catch (RuntimeException e) {
                log.info("sandbox warehouse could not pack {}: {}", id, e.getMessage());
            }
        }
    }
}
