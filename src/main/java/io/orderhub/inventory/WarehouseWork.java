package io.orderhub.inventory;

import io.orderhub.common.JdbcValues;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderStatus;
import io.orderhub.messaging.Outbox;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Pick lists per warehouse, shipment notes, and packing confirmations. */
@Service
public class WarehouseWork {

    public record NoteLine(int lineNo, String sku, String description, int quantity, BigDecimal weightKg) {
    }

    /** A shipment with its note: where from, where to, what, how heavy. */
    public record Shipment(String shipmentId, String orderId, String warehouse, String status, Warehouse shipFrom,
                           JsonNode shipTo, List<NoteLine> lines, BigDecimal weightKg, Instant createdAt,
                           Instant packedAt, String carrier, String service, String trackingNumber) {
    }

    public record Pick(String sku, String description, int quantity, List<String> shipments) {
    }

    /** Open work of one warehouse: the shipments to pick, and the same units grouped by SKU for the picker. */
    public record PickList(String warehouse, Instant at, List<Pick> picks, List<Shipment> shipments) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final CatalogueRepository catalogue;
    private final StockRepository stock;
    private final Holdings holdings;
    private final OrderRepository orderRows;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final List<Runnable> packedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public WarehouseWork(NamedParameterJdbcTemplate jdbc, CatalogueRepository catalogue, StockRepository stock,
                         Holdings holdings, OrderRepository orderRows, ObjectMapper json, Clock clock,
                         PlatformTransactionManager transactions, Outbox outbox) {
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.catalogue = catalogue;
        this.stock = stock;
        this.holdings = holdings;
        this.orderRows = orderRows;
        this.json = json;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    public PickList pickLists(String warehouseId) {
        Warehouse w = catalogue.warehouse(warehouseId).orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, "id",
                "no warehouse '" + warehouseId + "'"));
        List<Shipment> open = shipments("warehouse_id = :key and status = 'PICKING'", w.id());
        Map<String, int[]> units = new TreeMap<>();
        Map<String, Set<String>> where = new TreeMap<>();
        Map<String, String> descriptions = new TreeMap<>();
        for (Shipment s : open) {
            for (NoteLine l : s.lines()) {
                units.computeIfAbsent(l.sku(), k -> new int[1])[0] += l.quantity();
                where.computeIfAbsent(l.sku(), k -> new LinkedHashSet<>()).add(s.shipmentId());
                descriptions.putIfAbsent(l.sku(), l.description());
            }
        }
        List<Pick> picks = units.entrySet().stream().map(e -> new Pick(e.getKey(), descriptions.get(e.getKey()),
                e.getValue()[0], List.copyOf(where.get(e.getKey())))).toList();
        return new PickList(w.id(), clock.instant(), picks, open);
    }

    public List<Shipment> ofOrder(String orderId) {
        return shipments("order_id = :key", orderId);
    }

    /**
     * Runs {@code listener} after each commit that packed a shipment on this instance (the label dispatcher's
     * wake-up). The listener must return at once.
     */
    public void onPacked(Runnable listener) {
        packedListeners.add(listener);
    }

    /** Confirms packing: the units leave the shelf (on hand and allocated go down); repeating it changes nothing. */
    public Shipment packed(String shipmentId) {
        return tx.execute(status -> {
            List<Map<String, Object>> row = jdbc.queryForList(
                    "select order_id, status from shipments where shipment_id = :id",
                    new MapSqlParameterSource("id", shipmentId));
            if (row.isEmpty()) {
                throw OrderHubException.field(Problem.NOT_FOUND, "id", "no shipment '" + shipmentId + "'");
            }
            String orderId = (String) row.get(0).get("order_id");
            OrderStatus orderStatus = orderRows.lockStatus(orderId).orElseThrow();
            String current = jdbc.queryForObject("select status from shipments where shipment_id = :id for update",
                    new MapSqlParameterSource("id", shipmentId), String.class);
            if ("PACKED".equals(current)) {
                return ofShipment(shipmentId);
            }
            if (!"PICKING".equals(current) || orderStatus != OrderStatus.ALLOCATED) {
                throw OrderHubException.field(Problem.CONFLICT, "id", "shipment " + shipmentId + " is " + current
                        + " and its order " + orderId + " is " + orderStatus + "; only a PICKING shipment of an ALLOCATED order can be packed");
            }
            List<Holdings.Held> lines = new ArrayList<>(holdings.allocationsOf(shipmentId));
            lines.sort(java.util.Comparator.comparing(Holdings.Held::sku));
            for (Holdings.Held h : lines) {
                if (!stock.pick(h.sku(), h.warehouse(), h.quantity(), orderId, shipmentId)) {
                    throw new IllegalStateException("allocation of " + shipmentId + " for " + h.sku() + " is not on the stock row");
                }
            }
            jdbc.update("update shipments set status = 'PACKED', packed_at = :now where shipment_id = :id",
                    new MapSqlParameterSource("id", shipmentId).addValue("now", Timestamp.from(clock.instant())));
            Shipment shipment = ofShipment(shipmentId);
            // the hand-over to shipping: an event on orders.events, committed with the packing
            outbox.append(orderId, "shipment.packed", orderStatus.name(), java.util.Map.of("shipment", shipment));
            if (!packedListeners.isEmpty()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        packedListeners.forEach(Runnable::run);
                    }
                });
            }
            return shipment;
        });
    }

    private Shipment ofShipment(String shipmentId) {
        return shipments("shipment_id = :key", shipmentId).get(0);
    }

    private List<Shipment> shipments(String where, String key) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select shipment_id, order_id, warehouse_id, status, weight_kg, ship_to, created_at, packed_at,
                       carrier, service, tracking_number
                from shipments where %s order by created_at, shipment_id
                """.formatted(where), new MapSqlParameterSource("key", key));
        Map<String, Warehouse> warehouses = catalogue.warehouses().stream()
                .collect(Collectors.toMap(Warehouse::id, w -> w));
        List<Shipment> result = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            String id = (String) r.get("shipment_id");
            List<Holdings.Held> held = holdings.allocationsOf(id);
            Map<String, Product> products = catalogue.products(held.stream().map(Holdings.Held::sku).collect(Collectors.toSet()));
            List<NoteLine> lines = held.stream().map(h -> {
                Product p = products.get(h.sku());
                BigDecimal unit = p == null ? null : p.weightKg();
                return new NoteLine(h.lineNo(), h.sku(), p == null ? null : p.description(), h.quantity(),
                        unit == null ? null : unit.multiply(BigDecimal.valueOf(h.quantity())));
            }).toList();
            result.add(new Shipment(id, (String) r.get("order_id"), (String) r.get("warehouse_id"), (String) r.get("status"),
                    warehouses.get((String) r.get("warehouse_id")), readJson((String) r.get("ship_to")), lines,
                    (BigDecimal) r.get("weight_kg"), instant(r.get("created_at")), instant(r.get("packed_at")), (String) r.get("carrier"),
                    (String) r.get("service"), (String) r.get("tracking_number")));
        }
        return result;
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Object value) {
        return JdbcValues.instant(value);
    }

}
