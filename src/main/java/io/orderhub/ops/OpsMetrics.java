package io.orderhub.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges that need a query, refreshed on a schedule ({@code orderhub.ops.metrics.refresh}) rather
 * than on every scrape, so a scraper never loads the database or the broker:
 * {@code orderhub_orders_current{status,channel}} (orders in each lifecycle state, per channel),
 * {@code orderhub_dead_letters{target,status}} (ERP/CRM dead letters; OPEN is the depth to watch) and
 * {@code orderhub_queue_depth{queue}} (stage, inbound and dead letter queues). Every instance reports
 * the same database figures; aggregate them with max, not sum.
 */
@Component
class OpsMetrics {

    private static final Logger log = LoggerFactory.getLogger(OpsMetrics.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final QueueDepths queues;
    private final MultiGauge orders;
    private final MultiGauge deadLetters;
    private final MultiGauge queueDepths;

    public OpsMetrics(NamedParameterJdbcTemplate jdbc, QueueDepths queues, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.queues = queues;
        this.orders = MultiGauge.builder("orderhub.orders.current")
                .description("orders in each lifecycle state, per channel (refreshed on a schedule)").register(meters);
        this.deadLetters = MultiGauge.builder("orderhub.dead.letters")
                .description("ERP/CRM dead letters per target and status; OPEN ones wait for an operator").register(meters);
        this.queueDepths = MultiGauge.builder("orderhub.queue.depth")
                .description("messages waiting on the hub's queues (stages, inbound, dead letter queues)").register(meters);
    }

    @Scheduled(fixedDelayString = "${orderhub.ops.metrics.refresh}", initialDelay = 1000)
    public void refresh() {
        try {
            List<MultiGauge.Row<?>> orderRows = new ArrayList<>();
            jdbc.query("select status, channel, count(*) n from orders group by status, channel", new MapSqlParameterSource(),
                    rs -> {
                        orderRows.add(MultiGauge.Row.of(Tags.of("status", rs.getString("status"), "channel",
                                rs.getString("channel")), rs.getLong("n")));
                    });
            orders.register(orderRows, true);
            List<MultiGauge.Row<?>> letterRows = new ArrayList<>();
            jdbc.query("select target, status, count(*) n from sync_dead_letters group by target, status",
                    new MapSqlParameterSource(), rs -> {
                        letterRows.add(MultiGauge.Row.of(Tags.of("target", rs.getString("target"), "status",
                                rs.getString("status")), rs.getLong("n")));
                    });
            deadLetters.register(letterRows, true);
        } catch (RuntimeException e) {
            log.warn("order and dead-letter gauges not refreshed: {}", e.toString());
        }
        try {
            List<MultiGauge.Row<?>> queueRows = new ArrayList<>();
            for (Map.Entry<String, Long> e : queues.depths().entrySet()) {
                queueRows.add(MultiGauge.Row.of(Tags.of("queue", e.getKey()), e.getValue()));
            }
            queueDepths.register(queueRows, true);
        } catch (RuntimeException e) {
            log.warn("queue depth gauges not refreshed: {}", e.toString());
        }
    }
}
