package io.orderhub.inventory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.common.ItemNumbers;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Catalogue and stock levels for people and systems: products, the inventory view of a SKU, setting
 * a warehouse's on-hand count (a stock take or an ERP feed) and adjustments with a reason. Arriving
 * stock confirms backordered orders first-in-first-out.
 */
@Service
public class CatalogueService {

    public record WarehouseStock(String warehouse, int onHand, int reserved, int allocated, int safetyStock, int available) {
    }

    public record InventoryView(String sku, int available, List<WarehouseStock> warehouses, List<String> confirmedBackorders) {
    }

    public record Stored(Product product, boolean created) {
    }

    private final CatalogueRepository catalogue;
    private final StockRepository stock;
    private final ReservationService reservations;
    private final TransactionTemplate tx;

    public CatalogueService(CatalogueRepository catalogue, StockRepository stock, ReservationService reservations,
                            PlatformTransactionManager transactions) {
        this.catalogue = catalogue;
        this.stock = stock;
        this.reservations = reservations;
        this.tx = new TransactionTemplate(transactions);
    }

    /** {@code PUT /api/products/{sku}}: {description, unitPrice, currency, weightKg}. */
    public Stored putProduct(String sku, JsonNode body) {
        Product product = product(sku, body);
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(s -> {
                    boolean created = catalogue.upsert(product);
                    catalogue.warehouses().forEach(w -> stock.ensureRow(sku, w.id()));
                    return new Stored(product, created);
                });
            } catch (DuplicateKeyException e) {
                // another writer (another instance seeding the same catalogue, a concurrent PUT) created the product
                // or its stock rows between our look and our insert: again, now as an update
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /** The product a {@code PUT /api/products/{sku}} body describes, checked: 422 naming each bad field; nothing stored. */
    public Product product(String sku, JsonNode body) {
        requireSku(sku);
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object");
        }
        String description = text(body, "description", 500, errors);
        BigDecimal unitPrice = decimal(body, "unitPrice", errors);
        BigDecimal weightKg = decimal(body, "weightKg", errors);
        String currency = text(body, "currency", 3, errors);
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            errors.add(FieldError.of("/currency", "must be an ISO 4217 code such as EUR"));
        }
        if (unitPrice != null && currency == null) {
            errors.add(FieldError.of("/currency", "is required with unitPrice"));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the product has " + errors.size() + " problem(s)", errors);
        }
        return new Product(sku, description, unitPrice, currency, weightKg);
    }

    public InventoryView inventory(String sku) {
        return view(sku, List.of());
    }

    /** Checks a {@link #setOnHand} body without changing anything: 422 naming each bad field. */
    public void checkOnHand(String sku, JsonNode body) {
        input(sku, body, "onHand");
    }

    /** {@code PUT /api/inventory/{sku}}: {warehouse, onHand, safetyStock?, reason?}. */
    public InventoryView setOnHand(String sku, JsonNode body) {
        Input in = input(sku, body, "onHand");
        tx.executeWithoutResult(s -> {
            stock.ensureRow(sku, in.warehouse());
            StockRow row = stock.lock(sku, in.warehouse()).orElseThrow();
            requireCovers(sku, in.warehouse(), row, in.quantity(), "onHand");
            stock.setOnHand(sku, in.warehouse(), in.quantity(), in.reason() == null ? "set on hand" : in.reason());
            if (in.safetyStock() != null) {
                stock.setSafetyStock(sku, in.warehouse(), in.safetyStock());
            }
        });
        return view(sku, reservations.confirmBackorders(sku));
    }

    /** {@code POST /api/inventory/{sku}/adjustments}: {warehouse, delta, reason} (a count correction, damage, return). */
    public InventoryView adjust(String sku, JsonNode body) {
        Input in = input(sku, body, "delta");
        if (in.reason() == null) {
            throw OrderHubException.field(Problem.INVALID, "/reason", "is required for an adjustment");
        }
        tx.executeWithoutResult(s -> {
            stock.ensureRow(sku, in.warehouse());
            StockRow row = stock.lock(sku, in.warehouse()).orElseThrow();
            long target = (long) row.onHand() + in.quantity();
            if (target < 0 || target > Integer.MAX_VALUE) {
                throw OrderHubException.field(Problem.CONFLICT, "/delta", "would take on hand of " + sku + " in "
                        + in.warehouse() + " from " + row.onHand() + " to " + target);
            }
            requireCovers(sku, in.warehouse(), row, (int) target, "delta");
            stock.setOnHand(sku, in.warehouse(), (int) target, in.reason());
        });
        return view(sku, in.quantity() > 0 ? reservations.confirmBackorders(sku) : List.of());
    }

    private record Input(String warehouse, int quantity, Integer safetyStock, String reason) {
    }

    private Input input(String sku, JsonNode body, String quantityField) {
        requireSku(sku);
        if (catalogue.product(sku).isEmpty()) {
            throw OrderHubException.field(Problem.NOT_FOUND, "sku", "no product '" + sku + "'; create it with PUT /api/products/" + sku);
        }
        if (body == null || !body.isObject()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String warehouse = text(body, "warehouse", 64, errors);
        if (warehouse == null && errors.isEmpty()) {
            errors.add(FieldError.of("/warehouse", "is required"));
        } else if (warehouse != null && catalogue.warehouse(warehouse).isEmpty()) {
            errors.add(FieldError.of("/warehouse", "unknown warehouse '" + warehouse + "'; known: "
                    + catalogue.warehouses().stream().map(Warehouse::id).toList()));
        }
        Integer quantity = integer(body, quantityField, !quantityField.equals("delta"), errors);
        if (quantity == null && errors.stream().noneMatch(e -> e.field().equals("/" + quantityField))) {
            errors.add(FieldError.of("/" + quantityField, "is required"));
        }
        Integer safety = integer(body, "safetyStock", true, errors);
        String reason = text(body, "reason", 500, errors);
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the stock update has " + errors.size() + " problem(s)", errors);
        }
        return new Input(warehouse, quantity, safety, reason);
    }

    private static void requireCovers(String sku, String warehouse, StockRow row, int onHand, String field) {
        int committed = row.reserved() + row.allocated();
        if (committed > onHand) {
            throw OrderHubException.field(Problem.CONFLICT, "/" + field, "on hand of " + sku + " in " + warehouse
                    + " cannot become " + onHand + ": " + row.reserved() + " reserved + " + row.allocated()
                    + " allocated = " + committed + " units are promised to orders");
        }
    }

    private InventoryView view(String sku, List<String> confirmed) {
        requireSku(sku);
        if (catalogue.product(sku).isEmpty()) {
            throw OrderHubException.field(Problem.NOT_FOUND, "sku", "no product '" + sku + "'");
        }
        List<WarehouseStock> rows = stock.rows(sku).stream().map(r -> new WarehouseStock(r.warehouse(), r.onHand(),
                r.reserved(), r.allocated(), r.safetyStock(), r.available())).toList();
        return new InventoryView(sku, rows.stream().mapToInt(WarehouseStock::available).sum(), rows,
                confirmed.isEmpty() ? null : confirmed);
    }

    private static void requireSku(String sku) {
        if (!ItemNumbers.valid(sku)) {
            throw OrderHubException.field(Problem.INVALID, "sku", ItemNumbers.RULE);
        }
    }

    private static String text(JsonNode body, String field, int max, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > max) {
            errors.add(FieldError.of("/" + field, "must be a non-empty string of at most " + max + " characters"));
            return null;
        }
        // PostgreSQL refuses NUL in text; no other control character belongs in a catalogue entry either
        if (n.asText().chars().anyMatch(c -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)) {
            errors.add(FieldError.of("/" + field, "must not contain control characters"));
            return null;
        }
        return n.asText();
    }

    private static final BigDecimal MAX_DECIMAL = new BigDecimal("1E15");

    private static BigDecimal decimal(JsonNode body, String field, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || n.decimalValue().signum() < 0) {
            errors.add(FieldError.of("/" + field, "must be a number of at least 0"));
            return null;
        }
        // the catalogue keeps numeric(19,4): 15 digits before the point
        if (n.decimalValue().compareTo(MAX_DECIMAL) >= 0) {
            errors.add(FieldError.of("/" + field, "must be less than 1000000000000000"));
            return null;
        }
        return n.decimalValue();
    }

    private static Integer integer(JsonNode body, String field, boolean nonNegative, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || n.decimalValue().stripTrailingZeros().scale() > 0) {
            errors.add(FieldError.of("/" + field, "must be a whole number of units, got " + n));
            return null;
        }
        BigDecimal v = n.decimalValue();
        if (v.compareTo(BigDecimal.valueOf(100_000_000)) > 0 || v.compareTo(BigDecimal.valueOf(-100_000_000)) < 0) {
            errors.add(FieldError.of("/" + field, "is out of range"));
            return null;
        }
        if (nonNegative && v.signum() < 0) {
            errors.add(FieldError.of("/" + field, "must not be negative, got " + v.toPlainString()));
            return null;
        }
        if (!nonNegative && v.signum() == 0) {
            errors.add(FieldError.of("/" + field, "must not be 0"));
            return null;
        }
        return v.intValueExact();
    }

}
