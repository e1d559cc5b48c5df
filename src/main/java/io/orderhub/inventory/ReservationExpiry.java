package io.orderhub.inventory;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cancels confirmed orders that stay unpaid longer than {@code orderhub.inventory.reservation-ttl}
 * and releases their stock (through the cancellation's compensation). Runs on a timer in every
 * instance; the job's lock row lets one instance at a time do the work.
 */
@Service
public class ReservationExpiry {

    static final Caller SYSTEM = new Caller("inventory-expiry", Role.OPS, null);

    private final Holdings holdings;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final InventoryProperties settings;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final String instanceId;

    public ReservationExpiry(Holdings holdings, OrderRepository orderRows, OrderService orders,
                             InventoryProperties settings, NamedParameterJdbcTemplate jdbc, Clock clock,
                             PlatformTransactionManager transactions, @Value("${orderhub.instance-id}") String instanceId) {
        this.holdings = holdings;
        this.orderRows = orderRows;
        this.orders = orders;
        this.settings = settings;
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.instanceId = instanceId;
    }

    /** Cancels up to 100 expired orders; returns their ids (empty when another instance holds the job). */
    public List<String> expire() {
        return tx.execute(status -> {
            List<String> lock = jdbc.query("""
                    select name from inventory_job_lock where name = 'reservation-expiry' for update skip locked
                    """, new MapSqlParameterSource(), (rs, n) -> rs.getString(1));
            if (lock.isEmpty()) {
                return List.<String>of();
            }
            jdbc.update("update inventory_job_lock set holder = :holder, last_run = :now where name = 'reservation-expiry'",
                    new MapSqlParameterSource("holder", instanceId).addValue("now", Timestamp.from(clock.instant())));
            List<String> expired = new ArrayList<>();
            for (String orderId : holdings.confirmedBefore(clock.instant().minus(settings.reservationTtl()), 100)) {
                Optional<OrderStatus> current = orderRows.lockStatus(orderId);
                if (current.isPresent() && current.get() == OrderStatus.CONFIRMED) {
                    orders.cancel(orderId, "reservation expired: unpaid for more than " + settings.reservationTtl(), SYSTEM);
                    expired.add(orderId);
                }
            }
            return expired;
        });
    }
}
