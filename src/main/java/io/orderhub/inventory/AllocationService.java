package io.orderhub.inventory;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.inventory.StageResult.Outcome;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The allocation stage: PAID → ALLOCATED. In one transaction it plans the order's warehouses with
 * the channel's strategy ({@link AllocationPlanner}), turns the reservations into allocations
 * (moving units between warehouses where the plan says so), creates one shipment per warehouse
 * (its pick list and shipment note) and moves the order on. An order a {@link io.orderhub.order.FulfilmentHold}
 * holds (the difference of a replacement after payment still being charged) stays PAID.
 */
@Service
public class AllocationService {

    public static final String CONSUMER = "inventory.allocate";

    private static final Logger log = LoggerFactory.getLogger(AllocationService.class);

    private final StockRepository stock;
    private final Holdings holdings;
    private final CatalogueRepository catalogue;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final InventoryProperties settings;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final org.springframework.beans.factory.ObjectProvider<io.orderhub.order.FulfilmentHold> holds;

    public AllocationService(StockRepository stock, Holdings holdings, CatalogueRepository catalogue,
                             OrderRepository orderRows, OrderService orders, InventoryProperties settings,
                             NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock,
                             PlatformTransactionManager transactions,
                             org.springframework.beans.factory.ObjectProvider<io.orderhub.order.FulfilmentHold> holds) {
        this.holds = holds;
        this.stock = stock;
        this.holdings = holdings;
        this.catalogue = catalogue;
        this.orderRows = orderRows;
        this.orders = orders;
        this.settings = settings;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Handles one order.paid event (at most once per eventId). */
    public StageResult onOrderPaid(String eventId, String orderId) {
        return tx.execute(status -> {
            if (!holdings.firstTime(CONSUMER, eventId, clock.instant())) {
                return new StageResult(orderId, Outcome.DUPLICATE, "event " + eventId + " was handled before");
            }
            Optional<OrderStatus> current = orderRows.lockStatus(orderId);
            if (current.isEmpty() || current.get() != OrderStatus.PAID) {
                return new StageResult(orderId, Outcome.SKIPPED, "order is " + current.map(Enum::name).orElse("unknown"));
            }
            CanonicalOrder order = orderRows.find(orderId).orElseThrow();
            for (io.orderhub.order.FulfilmentHold hold : holds.orderedStream().toList()) {
                Optional<String> reason = hold.holdReason(order);
                if (reason.isPresent()) {
                    // the one who lifts the hold publishes order.paid again, and this stage looks again then
                    log.info("order {} stays PAID: {}", orderId, reason.get());
                    return new StageResult(orderId, Outcome.HELD, reason.get());
                }
            }
            return allocate(order);
        });
    }

    private StageResult allocate(CanonicalOrder order) {
        String orderId = order.orderId();
        Demand.Result demand = Demand.of(order);
        List<Demand> lines = demand.demands();
        Set<String> skus = lines.stream().map(Demand::sku).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, Product> products = catalogue.products(skus);
        if (!demand.problems().isEmpty() || products.size() < skus.size()) {
            log.info("order {} stays PAID: its lines cannot be allocated ({} unknown SKUs, {})", orderId,
                    skus.size() - products.size(), demand.problems());
            return new StageResult(orderId, Outcome.HELD, "lines cannot be allocated");
        }
        List<Holdings.Held> reserved = holdings.reservations(orderId);
        Map<String, Integer> ownReserved = new HashMap<>();
        reserved.forEach(h -> ownReserved.merge(h.sku() + "\u0000" + h.warehouse(), h.quantity(), Integer::sum));
        Map<String, Map<String, Integer>> capacity = new HashMap<>();
        for (StockRow row : stock.lockAll(skus)) {
            int own = ownReserved.getOrDefault(row.sku() + "\u0000" + row.warehouse(), 0);
            capacity.computeIfAbsent(row.warehouse(), k -> new HashMap<>()).put(row.sku(), row.available() + own);
        }
        List<Warehouse> warehouses = catalogue.warehouses();
        AllocationStrategy strategy = settings.strategyFor(order.channel());
        String country = order.shipTo() == null ? null : order.shipTo().country();
        Optional<List<AllocationPlanner.Pick>> plan = AllocationPlanner.plan(lines, warehouses, capacity, strategy, country);
        if (plan.isEmpty()) {
            log.warn("order {} stays PAID: the warehouses together cannot cover it", orderId);
            return new StageResult(orderId, Outcome.SHORT, "the warehouses together cannot cover the order");
        }
        // stock rows in (sku, warehouse) order: allocate what the plan puts there, release the rest of the reservation
        Map<String, Integer> planned = new TreeMap<>();
        plan.get().forEach(p -> planned.merge(p.sku() + "\u0000" + p.warehouse(), p.quantity(), Integer::sum));
        Set<String> rows = new java.util.TreeSet<>(planned.keySet());
        rows.addAll(ownReserved.keySet());
        for (String key : rows) {
            String[] k = key.split("\u0000");
            int q = planned.getOrDefault(key, 0);
            int r = ownReserved.getOrDefault(key, 0);
            if (q > 0 && !stock.allocate(k[0], k[1], q, Math.min(q, r), orderId)) {
                throw new IllegalStateException("allocation of " + q + " x " + k[0] + " in " + k[1] + " for " + orderId
                        + " was refused by the stock row");
            }
            if (r > q && !stock.release(k[0], k[1], r - q, orderId, "allocated elsewhere")) {
                throw new IllegalStateException("reservation of " + orderId + " for " + k[0] + " in " + k[1] + " is not on the stock row");
            }
        }
        holdings.deleteReservations(orderId);
        Map<String, List<AllocationPlanner.Pick>> byWarehouse = new LinkedHashMap<>();
        plan.get().forEach(p -> byWarehouse.computeIfAbsent(p.warehouse(), k -> new java.util.ArrayList<>()).add(p));
        String shipTo = toJson(order.shipTo());
        StringBuilder detail = new StringBuilder(byWarehouse.size() + (byWarehouse.size() == 1 ? " shipment" : " shipments")
                + " (" + strategy.name().toLowerCase().replace('_', '-') + "):");
        for (Map.Entry<String, List<AllocationPlanner.Pick>> e : byWarehouse.entrySet()) {
            Long n = jdbc.queryForObject("select nextval('shipment_seq')", new MapSqlParameterSource(), Long.class);
            String shipmentId = String.format("SHP-%09d", n);
            BigDecimal weight = BigDecimal.ZERO;
            for (AllocationPlanner.Pick p : e.getValue()) {
                BigDecimal unit = products.get(p.sku()).weightKg();
                weight = unit == null ? weight : weight.add(unit.multiply(BigDecimal.valueOf(p.quantity())));
            }
            jdbc.update("""
                    insert into shipments (shipment_id, order_id, warehouse_id, status, weight_kg, ship_to, created_at)
                    values (:id, :orderId, :warehouse, 'PICKING', :weight, :shipTo, :now)
                    """, new MapSqlParameterSource("id", shipmentId).addValue("orderId", orderId)
                    .addValue("warehouse", e.getKey()).addValue("weight", weight).addValue("shipTo", shipTo)
                    .addValue("now", Timestamp.from(clock.instant())));
            for (AllocationPlanner.Pick p : e.getValue()) {
                holdings.addAllocation(shipmentId, new Holdings.Held(orderId, p.lineNo(), p.sku(), p.warehouse(), p.quantity()));
            }
            detail.append(' ').append(shipmentId).append(" from ").append(e.getKey()).append(" (")
                    .append(e.getValue().stream().map(p -> p.quantity() + " x " + p.sku()).collect(Collectors.joining(", ")))
                    .append(')');
        }
        orders.transition(orderId, OrderStatus.ALLOCATED, "order.allocated", detail.toString());
        return new StageResult(orderId, Outcome.ALLOCATED, detail.toString());
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
