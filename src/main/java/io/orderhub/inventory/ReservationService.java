package io.orderhub.inventory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.inventory.StageResult.Outcome;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.order.RevisionRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reservation stage: CREATED → CONFIRMED (every line reserved), BACKORDERED (short, channel
 * allows backorders) or CANCELLED (short otherwise, or a line that cannot be reserved), and
 * BACKORDERED → CONFIRMED when stock arrives, first come first served.
 *
 * <p>One database transaction holds the event's dedupe mark, the order row lock, the stock rows
 * (locked in SKU, warehouse order so transactions never deadlock), the reservations, the ledger and
 * the state change with its outbox event. The reservation attempt runs under a savepoint: when one
 * line is short, everything reserved for the earlier lines is rolled back (all-or-nothing).
 */
@Service
public class ReservationService {

    public static final String CONSUMER = "inventory.reserve";

    private static final Logger log = LoggerFactory.getLogger(ReservationService.class);

    private final StockRepository stock;
    private final Holdings holdings;
    private final CatalogueRepository catalogue;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final ChannelRegistry channels;
    private final InventoryProperties settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final TransactionTemplate savepoint;

    public ReservationService(StockRepository stock, Holdings holdings, CatalogueRepository catalogue,
                              OrderRepository orderRows, OrderService orders, ChannelRegistry channels,
                              InventoryProperties settings, Clock clock, PlatformTransactionManager transactions) {
        this.stock = stock;
        this.holdings = holdings;
        this.catalogue = catalogue;
        this.orderRows = orderRows;
        this.orders = orders;
        this.channels = channels;
        this.settings = settings;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** Handles one order.created event (at most once per eventId). */
    public StageResult onOrderCreated(String eventId, String orderId) {
        return tx.execute(status -> {
            if (!holdings.firstTime(CONSUMER, eventId, clock.instant())) {
                return new StageResult(orderId, Outcome.DUPLICATE, "event " + eventId + " was handled before");
            }
            Optional<OrderStatus> current = orderRows.lockStatus(orderId);
            if (current.isEmpty() || current.get() != OrderStatus.CREATED) {
                return new StageResult(orderId, Outcome.SKIPPED, "order is " + current.map(Enum::name).orElse("unknown"));
            }
            return reserve(orderRows.find(orderId).orElseThrow(), OrderStatus.CREATED);
        });
    }

    /**
     * Tries to confirm the BACKORDERED orders holding this SKU, oldest first; stops at the first one
     * that is still short, so a later order never overtakes an earlier one. Returns the confirmed ids.
     */
    public List<String> confirmBackorders(String sku) {
        List<String> confirmed = new ArrayList<>();
        for (String orderId : holdings.backorderedFor(sku)) {
            StageResult r = tx.execute(status -> {
                Optional<OrderStatus> current = orderRows.lockStatus(orderId);
                if (current.isEmpty() || current.get() != OrderStatus.BACKORDERED) {
                    return new StageResult(orderId, Outcome.SKIPPED, "no longer backordered");
                }
                return reserve(orderRows.find(orderId).orElseThrow(), OrderStatus.BACKORDERED);
            });
            if (r.outcome() == Outcome.CONFIRMED) {
                confirmed.add(orderId);
            } else if (r.outcome() != Outcome.SKIPPED) {
                break;
            }
        }
        return confirmed;
    }

    /** Reserves the whole order or nothing and moves it on; the caller's transaction holds the order lock. */
    private StageResult reserve(CanonicalOrder order, OrderStatus from) {
        String orderId = order.orderId();
        Demand.Result demand = Demand.of(order);
        List<FieldError> problems = new ArrayList<>(demand.problems());
        Set<String> skus = demand.demands().stream().map(Demand::sku).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> known = catalogue.products(skus).keySet();
        List<String> unknown = new ArrayList<>();
        for (Demand d : demand.demands()) {
            if (!known.contains(d.sku())) {
                unknown.add("line " + d.lineNo() + ": unknown SKU '" + d.sku() + "'");
            }
        }
        if (!unknown.isEmpty() && settings.unknownSku() == InventoryProperties.UnknownSku.HOLD && problems.isEmpty()) {
            log.info("order {} left {}: {}", orderId, from, unknown);
            return new StageResult(orderId, Outcome.HELD, String.join("; ", unknown));
        }
        if (!problems.isEmpty() || !unknown.isEmpty()) {
            List<String> reasons = new ArrayList<>(unknown);
            problems.forEach(p -> reasons.add(p.message()));
            String why = "cannot be reserved: " + String.join("; ", reasons);
            orders.transition(orderId, OrderStatus.CANCELLED, "order.cancelled", why);
            return new StageResult(orderId, Outcome.CANCELLED, why);
        }
        try {
            // first optimistically (plan from a plain read, stock rows touched last, so a hot SKU's row is
            // locked only from its UPDATE to the commit); when that finds too little, decide on locked rows
            String reserved;
            try {
                reserved = savepoint.execute(s -> reserveAll(orderId, demand.demands(), false, true));
            } catch (Shortage optimistic) {
                reserved = savepoint.execute(s -> reserveAll(orderId, demand.demands(), true, true));
            }
            return new StageResult(orderId, Outcome.CONFIRMED, reserved);
        } catch (Shortage e) {
            if (from == OrderStatus.BACKORDERED) {
                return new StageResult(orderId, Outcome.SHORT, e.getMessage());
            }
            boolean backorders = channels.find(order.channel()).map(c -> c.backorders()).orElse(false);
            if (backorders) {
                orders.transition(orderId, OrderStatus.BACKORDERED, "order.backordered", "stock short: " + e.getMessage());
                return new StageResult(orderId, Outcome.BACKORDERED, e.getMessage());
            }
            String why = "out of stock: " + e.getMessage();
            orders.transition(orderId, OrderStatus.CANCELLED, "order.cancelled", why);
            return new StageResult(orderId, Outcome.CANCELLED, why);
        }
    }

    /**
     * Plans every line from the stock rows (read plainly, or locked in (sku, warehouse) order), records
     * the reservations and the CONFIRMED change, and finally reserves with conditional updates in
     * (sku, warehouse) order. Throws Shortage when the plan or an update finds too little; the caller's
     * savepoint then undoes everything this attempt wrote.
     */
    private String reserveAll(String orderId, List<Demand> demands, boolean lock, boolean confirm) {
        Set<String> skus = demands.stream().map(Demand::sku).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, Integer> priority = new HashMap<>();
        catalogue.warehouses().forEach(w -> priority.put(w.id(), w.priority()));
        Map<String, List<StockRow>> rows = new HashMap<>();
        Map<String, Integer> free = new HashMap<>();
        for (StockRow row : lock ? stock.lockAll(skus) : stock.read(skus)) {
            rows.computeIfAbsent(row.sku(), k -> new ArrayList<>()).add(row);
            free.put(row.sku() + "@" + row.warehouse(), row.available());
        }
        List<String> short_ = new ArrayList<>();
        List<Holdings.Held> plan = new ArrayList<>();
        for (Demand d : demands) {
            List<StockRow> candidates = new ArrayList<>(rows.getOrDefault(d.sku(), List.of()));
            candidates.sort(Comparator.comparing((StockRow r) -> priority.getOrDefault(r.warehouse(), Integer.MAX_VALUE))
                    .thenComparing(StockRow::warehouse));
            int total = candidates.stream().mapToInt(r -> free.get(key(r))).sum();
            if (total < d.quantity()) {
                short_.add("line " + d.lineNo() + " (" + d.sku() + "): " + d.quantity() + " wanted, " + total + " available");
                continue;
            }
            // one warehouse for the whole line if one has it, else take it in priority order
            Optional<StockRow> whole = candidates.stream().filter(r -> free.get(key(r)) >= d.quantity()).findFirst();
            int remaining = d.quantity();
            for (StockRow r : whole.map(List::of).orElse(candidates)) {
                int take = Math.min(remaining, free.get(key(r)));
                if (take > 0) {
                    plan.add(new Holdings.Held(orderId, d.lineNo(), d.sku(), r.warehouse(), take));
                    free.merge(key(r), -take, Integer::sum);
                    remaining -= take;
                }
            }
        }
        if (!short_.isEmpty()) {
            throw new Shortage(String.join("; ", short_));
        }
        var now = clock.instant();
        plan.forEach(h -> holdings.addReservation(h, now));
        String reserved = plan.stream().map(h -> "line " + h.lineNo() + " " + h.quantity() + " x " + h.sku() + " in "
                + h.warehouse()).collect(Collectors.joining(", "));
        if (confirm) {
            orders.transition(orderId, OrderStatus.CONFIRMED, "order.confirmed", "stock reserved: " + reserved);
        }
        Map<String, Integer> perRow = new TreeMap<>();
        for (Holdings.Held h : plan) {
            perRow.merge(h.sku() + "\u0000" + h.warehouse(), h.quantity(), Integer::sum);
        }
        for (Map.Entry<String, Integer> e : perRow.entrySet()) {
            String[] k = e.getKey().split("\u0000");
            if (!stock.reserve(k[0], k[1], e.getValue(), orderId)) {
                throw new Shortage(k[0] + " in " + k[1] + ": " + e.getValue() + " no longer available");
            }
        }
        return reserved;
    }

    /**
     * For a document replacing a CONFIRMED order's lines: gives back what the order has reserved and reserves
     * the replacement's lines instead, all or nothing, in the caller's transaction (which holds the order's row
     * lock and rolls everything back when this refuses). The order stays CONFIRMED. Refuses, naming the lines,
     * when a line is not a whole quantity, names an unknown SKU or is short of stock.
     */
    public String reserveReplacement(CanonicalOrder replacement) {
        String orderId = replacement.orderId();
        Demand.Result demand = reservableReplacement(replacement);
        String why = "order " + orderId + " replaced by a document: reservation given back for the new lines";
        for (Holdings.Held h : holdings.reservations(orderId).stream()
                .sorted(Comparator.comparing(Holdings.Held::sku).thenComparing(Holdings.Held::warehouse)).toList()) {
            if (!stock.release(h.sku(), h.warehouse(), h.quantity(), orderId, why)) {
                throw new IllegalStateException("reservation of " + orderId + " for " + h.sku() + " in " + h.warehouse()
                        + " is not on the stock row");
            }
        }
        holdings.deleteReservations(orderId);
        try {
            return savepoint.execute(s -> reserveAll(orderId, demand.demands(), true, false));
        } catch (Shortage e) {
            throw new RevisionRefused("the replacement's lines cannot be reserved, stock is short: " + e.getMessage()
                    + "; the order stays as it was");
        }
    }

    /**
     * Whether {@link #reserveReplacement} would refuse this replacement now, changing nothing: the same checks
     * (whole quantities, known SKUs) and, per SKU, the stock free in every warehouse plus what the order holds
     * today against what its new lines want. Throws {@link RevisionRefused} with the reason it would give.
     */
    public void foreseeReplacement(CanonicalOrder replacement) {
        Demand.Result demand = reservableReplacement(replacement);
        Set<String> skus = demand.demands().stream().map(Demand::sku).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, Integer> free = new HashMap<>();
        for (StockRow row : stock.read(skus)) {
            free.merge(row.sku(), row.available(), Integer::sum);
        }
        for (Holdings.Held h : holdings.reservations(replacement.orderId())) {
            free.merge(h.sku(), h.quantity(), Integer::sum);
        }
        List<String> short_ = new ArrayList<>();
        for (Demand d : demand.demands()) {
            int total = free.getOrDefault(d.sku(), 0);
            if (total < d.quantity()) {
                short_.add("line " + d.lineNo() + " (" + d.sku() + "): " + d.quantity() + " wanted, " + total + " available");
                continue;
            }
            free.merge(d.sku(), -d.quantity(), Integer::sum);
        }
        if (!short_.isEmpty()) {
            throw new RevisionRefused("the replacement's lines cannot be reserved, stock is short: "
                    + String.join("; ", short_) + "; the order stays as it was");
        }
    }

    /** The replacement's demands, or the refusal naming the lines that cannot be reserved at all. */
    private Demand.Result reservableReplacement(CanonicalOrder replacement) {
        Demand.Result demand = Demand.of(replacement);
        List<String> reasons = new ArrayList<>();
        demand.problems().forEach(p -> reasons.add(p.message()));
        Set<String> skus = demand.demands().stream().map(Demand::sku).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> known = catalogue.products(skus).keySet();
        for (Demand d : demand.demands()) {
            if (!known.contains(d.sku())) {
                reasons.add("line " + d.lineNo() + ": unknown SKU '" + d.sku() + "'");
            }
        }
        if (!reasons.isEmpty()) {
            throw new RevisionRefused("the replacement's lines cannot be reserved: " + String.join("; ", reasons));
        }
        return demand;
    }

    private static String key(StockRow r) {
        return r.sku() + "@" + r.warehouse();
    }

    /** A line cannot be reserved; rolls the attempt back to its savepoint. */
    static final class Shortage extends RuntimeException {
        Shortage(String message) {
            super(message, null, false, false);
        }
    }
}
