package io.orderhub.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.orderhub.bench.OrderDocuments;

/**
 * Orders of 3 lines for the load runs, one template per format (the JMH documents of
 * {@link OrderDocuments}, whose canonical template is examples/order-canonical.json with consistent
 * totals), each copy with a fresh order number so every request makes a new order.
 *
 * <p>SKUs: {@link #HELD} ones are not in the catalogue (the benchmark's hub holds such orders in
 * CREATED: ingest is measured to CREATED); {@link #STOCKED} ones are put in the catalogue with stock
 * by the benchmark, so those orders run through the whole lifecycle.
 */
final class LoadDocuments {

    static final String STOCKED = "SKU-";
    static final String HELD = "BENCHHOLD-";
    static final int LINES = 3;

    private static final Map<String, String> ID_IN_TEMPLATE = Map.of(
            "canonical", "WEB-10001",
            "shopify", "#DE-1042",
            "ubl", "UBL-77801",
            "x12-850", "PO-4010-1");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "canonical", "application/json",
            "shopify", "application/json",
            "ubl", "application/xml",
            "x12-850", "application/edi-x12");

    private final String format;
    private final String[] parts;
    private final String prefix;
    private final AtomicLong next = new AtomicLong();
    private final int skuGroups;

    /** Documents of {@code format}; their order numbers start with {@code prefix} (letters only). */
    LoadDocuments(String format, String prefix, boolean stocked) {
        this(format, prefix, stocked, 1);
    }

    /**
     * As above; stocked orders spread over {@code skuGroups} groups of 3 catalogue SKUs ({@link #sku}), so
     * that reservations do not all queue for the same 3 stock rows (unless that is what is wanted: 1).
     */
    LoadDocuments(String format, String prefix, boolean stocked, int skuGroups) {
        this.skuGroups = stocked ? Math.max(1, skuGroups) : 1;
        String id = ID_IN_TEMPLATE.get(format);
        if (id == null) {
            throw new IllegalArgumentException("no load template for format " + format + "; known: " + ID_IN_TEMPLATE.keySet());
        }
        String text = new String(OrderDocuments.document(format, LINES), StandardCharsets.UTF_8);
        if (!stocked) {
            text = text.replace("SKU-10", HELD + "10");
        }
        if (format.equals("shopify")) {
            id = id.substring(1);
        }
        this.parts = text.split(Pattern.quote(id), -1);
        if (parts.length < 2) {
            throw new IllegalStateException("order number " + id + " not found in the " + format + " template");
        }
        this.format = format;
        this.prefix = prefix;
    }

    String format() {
        return format;
    }

    String contentType() {
        return CONTENT_TYPES.get(format);
    }

    /** The next order number: the prefix, then a counter (no dash-joined digit runs). */
    String nextId() {
        return prefix + "x" + next.incrementAndGet();
    }

    byte[] document(String orderNumber) {
        String text = String.join(orderNumber, parts);
        if (skuGroups > 1) {
            int group = (int) Math.floorMod(orderNumber.hashCode(), skuGroups);
            for (int line = 1; line <= LINES; line++) {
                text = text.replace(STOCKED + (1000 + line), sku(group, line));
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The catalogue SKU of line {@code line} (1..3) in SKU group {@code group}; group 0 is SKU-1001..1003. */
    static String sku(int group, int line) {
        return group == 0 ? STOCKED + (1000 + line) : "SKUG" + group + "L" + line;
    }

    /** The externalId the hub gives an order made from {@code document(orderNumber)}. */
    String externalId(String orderNumber) {
        return format.equals("shopify") ? "#" + orderNumber : orderNumber;
    }

    int size() {
        return document(prefix + "x1").length;
    }
}
