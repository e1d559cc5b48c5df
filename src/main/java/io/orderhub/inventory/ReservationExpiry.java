package io.orderhub.inventory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.orderhub.common.JobLeases;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cancels confirmed orders that stay unpaid longer than {@code orderhub.inventory.reservation-ttl}
 * and releases their stock (through the cancellation's compensation). Runs on a timer in every
 * instance; the job's lease ({@link JobLeases}) lets one instance do the work, once per interval.
 */
@Service
public class ReservationExpiry {

    static final Caller SYSTEM = new Caller("inventory-expiry", Role.OPS, null);

    private final Holdings holdings;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final InventoryProperties settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final JobLeases leases;
    private final Duration interval;

    public ReservationExpiry(Holdings holdings, OrderRepository orderRows, OrderService orders,
                             InventoryProperties settings, Clock clock, PlatformTransactionManager transactions,
                             JobLeases leases, @Value("${orderhub.inventory.expiry-interval-ms}") long intervalMs) {
        this.holdings = holdings;
        this.orderRows = orderRows;
        this.orders = orders;
        this.settings = settings;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.leases = leases;
        this.interval = Duration.ofMillis(intervalMs);
    }

    /**
     * Cancels up to 100 expired orders; returns their ids (empty when another instance holds the job: it runs
     * once per interval across instances, {@link JobLeases}).
     */
    public List<String> expire() {
        return tx.execute(status -> {
            if (!leases.acquire(JobLeases.Job.RESERVATION_EXPIRY, interval, Duration.ZERO)) {
                return List.<String>of();
            }
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
