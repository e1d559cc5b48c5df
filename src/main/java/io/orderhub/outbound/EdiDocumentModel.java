package io.orderhub.outbound;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds the model an outbound EDI mapping sees from an order event: order, dates, accepted lines, parcels. */
final class EdiDocumentModel {

    /** The reservation stage's shortage detail: "line 2 (SKU-1): 5 wanted, 2 available". */
    private static final Pattern SHORT_LINE = Pattern.compile("line (\\d+) \\(.*?\\): ([0-9.]+) wanted, ([0-9.]+) available");

    private final DocumentLedger ledger;

    EdiDocumentModel(DocumentLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * What a mapping sees: {@code order} (the canonical order, values escaped for the standard), the event
     * ({@code eventId}, {@code eventType}, {@code orderId}, {@code fromStatus}), dates ({@code date},
     * {@code time} of the document, {@code orderDate}, all CCYYMMDD / HHMM), and per type: for the order
     * response {@code lines} with {@code status} ACCEPTED or BACKORDERED, {@code allAccepted} and
     * {@code replaces} (a backordered order now confirmed: the earlier response is replaced).
     */
    Map<String, Object> model(JsonNode event, String type, String standard, Instant now) {
        JsonNode order = event.path("data").path("order");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("order", EdiText.model(order, standard));
        m.put("orderId", EdiText.escape(standard, event.path("orderId").asText()));
        m.put("eventId", event.path("eventId").asText());
        m.put("eventType", event.path("type").asText());
        String fromStatus = event.path("data").path("fromStatus").asText("");
        m.put("fromStatus", fromStatus);
        ZonedDateTime at = EdiDocuments.utc(now);
        m.put("date", at.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8));
        m.put("time", at.format(DateTimeFormatter.ofPattern("HHmm")));
        m.put("orderDate", date8(order.path("orderDate").asText("")));
        if (OutboundDocument.ORDER_RESPONSE.equals(type)) {
            Map<Integer, String> shortLines = new LinkedHashMap<>();
            if ("order.backordered".equals(event.path("type").asText())) {
                Matcher matcher = SHORT_LINE.matcher(event.path("data").path("detail").asText(""));
                while (matcher.find()) {
                    shortLines.put(Integer.parseInt(matcher.group(1)), matcher.group(3));
                }
            }
            List<Map<String, Object>> lines = new ArrayList<>();
            for (JsonNode line : order.path("lines")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> l = (Map<String, Object>) EdiText.model(line, standard);
                int lineNo = line.path("lineNo").asInt();
                boolean backordered = shortLines.containsKey(lineNo);
                l.put("status", backordered ? "BACKORDERED" : "ACCEPTED");
                l.putIfAbsent("uom", "EA");
                if (backordered) {
                    l.put("available", shortLines.get(lineNo));
                }
                lines.add(l);
            }
            m.put("lines", lines);
            m.put("allAccepted", shortLines.isEmpty());
            m.put("replaces", "BACKORDERED".equals(fromStatus));
            m.put("lineCount", lines.size());
            m.put("quantityTotal", EdiText.number(sum(order.path("lines"))));
        }
        if (OutboundDocument.SHIP_NOTICE.equals(type)) {
            shipNotice(m, event, order, standard);
        }
        if (OutboundDocument.INVOICE.equals(type)) {
            invoice(m, event, order, standard);
        }
        if (OutboundDocument.CREDIT_NOTE.equals(type)) {
            creditNote(m, event, order, standard);
        }
        return m;
    }

    /** "NET30", "net 45", "Net-60 days": the net days; else null. */
    private static final Pattern NET_DAYS = Pattern.compile("(?i)\\bnet[ -]?(\\d{1,3})\\b");

    /**
     * The invoice's model: {@code invoiceNumber} (the order id: the hub invoices an order once, whole),
     * {@code lines} (every order line, invoiced with its ordered quantity: an order ships whole before it is
     * SHIPPED), {@code lineCount}, {@code quantityTotal}, {@code totals} ({@code subtotal}, {@code discount},
     * {@code shipping}, {@code tax}, {@code grandTotal} as plain decimals), {@code cents} (the same in minor
     * units, for X12's implied-decimal N2 amounts), {@code netDays} (from payment terms such as NET30, when
     * the order is paid by invoice) and {@code shipped} (true on order.shipped: the date of the document is
     * the shipping date).
     */
    private void invoice(Map<String, Object> m, JsonNode event, JsonNode order, String standard) {
        m.put("invoiceNumber", EdiText.escape(standard, event.path("orderId").asText()));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (JsonNode line : order.path("lines")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> l = (Map<String, Object>) EdiText.model(line, standard);
            l.putIfAbsent("uom", "EA");
            lines.add(l);
        }
        m.put("lines", lines);
        m.put("lineCount", lines.size());
        m.put("quantityTotal", EdiText.number(sum(order.path("lines"))));
        Map<String, Object> totals = new LinkedHashMap<>();
        Map<String, Object> cents = new LinkedHashMap<>();
        JsonNode t = order.path("totals");
        for (String key : List.of("subtotal", "discount", "shipping", "tax", "grandTotal")) {
            java.math.BigDecimal v = t.path(key).isNumber() ? t.path(key).decimalValue() : java.math.BigDecimal.ZERO;
            totals.put(key, EdiText.number(v));
            cents.put(key, v.movePointRight(2).setScale(0, java.math.RoundingMode.HALF_UP).toPlainString());
        }
        m.put("totals", totals);
        m.put("cents", cents);
        Matcher net = NET_DAYS.matcher(order.path("payment").path("terms").asText(""));
        if ("invoice".equals(order.path("payment").path("method").asText()) && net.find()) {
            m.put("netDays", Integer.toString(Integer.parseInt(net.group(1))));
        }
        m.put("shipped", "order.shipped".equals(event.path("type").asText()));
    }

    /**
     * The credit note's model, from a {@code return.refunded} event's {@code data.return}: {@code creditNoteNumber}
     * (the return id), {@code invoiceNumber} (the order id: the invoice it credits), {@code returnId}, {@code lines}
     * (each returned line with the order line's description and item numbers; {@code quantity} the units credited:
     * those received back when the warehouse counted any, else the units the return names, as for a channel's
     * money-only refund; {@code unitPrice} the price per unit paid, {@code lineTotal} quantity × price),
     * {@code lineCount}, {@code quantityTotal}, {@code totals} ({@code goods}: the lines' sum; {@code credited}: the
     * amount paid back, the return's refund) and {@code cents} of both.
     */
    private void creditNote(Map<String, Object> m, JsonNode event, JsonNode order, String standard) {
        JsonNode ret = event.path("data").path("return");
        String returnId = ret.path("returnId").asText(event.path("data").path("returnId").asText(""));
        m.put("creditNoteNumber", EdiText.escape(standard, returnId));
        m.put("returnId", EdiText.escape(standard, returnId));
        m.put("invoiceNumber", EdiText.escape(standard, event.path("orderId").asText()));
        Map<Integer, JsonNode> orderLines = new LinkedHashMap<>();
        order.path("lines").forEach(l -> orderLines.put(l.path("lineNo").asInt(), l));
        boolean counted = false;
        for (JsonNode l : ret.path("lines")) {
            JsonNode r = l.path("received");
            counted |= r.path("restock").asInt() + r.path("damaged").asInt() + r.path("scrap").asInt() > 0;
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        java.math.BigDecimal goods = java.math.BigDecimal.ZERO;
        java.math.BigDecimal units = java.math.BigDecimal.ZERO;
        for (JsonNode l : ret.path("lines")) {
            JsonNode r = l.path("received");
            int quantity = counted ? r.path("restock").asInt() + r.path("damaged").asInt() + r.path("scrap").asInt()
                    : l.path("quantity").asInt();
            if (quantity <= 0) {
                continue;
            }
            JsonNode orderLine = orderLines.get(l.path("lineNo").asInt());
            @SuppressWarnings("unchecked")
            Map<String, Object> line = orderLine == null ? new LinkedHashMap<>()
                    : (Map<String, Object>) EdiText.model(orderLine, standard);
            java.math.BigDecimal price = l.path("unitPrice").isNumber() ? l.path("unitPrice").decimalValue()
                    : java.math.BigDecimal.ZERO;
            java.math.BigDecimal amount = price.multiply(java.math.BigDecimal.valueOf(quantity))
                    .setScale(2, java.math.RoundingMode.HALF_UP);
            line.put("lineNo", Integer.toString(l.path("lineNo").asInt()));
            line.put("sku", EdiText.escape(standard, l.path("sku").asText("")));
            line.put("quantity", Integer.toString(quantity));
            line.put("unitPrice", EdiText.number(price));
            line.put("lineTotal", EdiText.number(amount));
            line.putIfAbsent("uom", "EA");
            if (l.hasNonNull("reason")) {
                line.put("reason", EdiText.escape(standard, l.path("reason").asText()));
            }
            lines.add(line);
            goods = goods.add(amount);
            units = units.add(java.math.BigDecimal.valueOf(quantity));
        }
        JsonNode refund = ret.path("refund").isObject() ? ret.path("refund") : event.path("data").path("refund");
        java.math.BigDecimal credited = refund.path("amount").isNumber() ? refund.path("amount").decimalValue() : goods;
        m.put("lines", lines);
        m.put("lineCount", lines.size());
        m.put("quantityTotal", EdiText.number(units));
        m.put("totals", Map.of("goods", EdiText.number(goods), "credited", EdiText.number(credited)));
        m.put("cents", Map.of("goods", goods.movePointRight(2).setScale(0, java.math.RoundingMode.HALF_UP).toPlainString(),
                "credited", credited.movePointRight(2).setScale(0, java.math.RoundingMode.HALF_UP).toPlainString()));
        creditNoteParts(m, event, returnId);
    }

    /** Reads the outbox payloads of earlier events (the refund's parts). */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * What the UBL credit note states besides (issue 22): {@code refundParts}, the refund itemised as the return's
     * {@code return.received} event gives it ({@code goods}, {@code orderDiscount}, {@code tax}, {@code shipping},
     * {@code restockingFee}, {@code amount}, {@code cappedFrom} when capped; plain decimals) while that event is in the
     * outbox, and {@code invoiceIssueDate} (ISO date) when the order's invoice document was sent.
     */
    private void creditNoteParts(Map<String, Object> m, JsonNode event, String returnId) {
        String orderId = event.path("orderId").asText();
        for (String payload : ledger.eventPayloads(orderId, "return.received")) {
            JsonNode received;
            try {
                received = JSON.readTree(payload);
            } catch (java.io.IOException | RuntimeException e) {
                continue; // a payload blanked by retention
            }
            JsonNode refund = received.path("data").path("refund");
            if (!returnId.equals(received.path("data").path("returnId").asText()) || !refund.isObject()) {
                continue;
            }
            Map<String, Object> parts = new LinkedHashMap<>();
            for (String key : List.of("goods", "orderDiscount", "tax", "shipping", "restockingFee", "amount", "cappedFrom")) {
                JsonNode v = refund.path(key);
                if (v.isNumber() || v.isTextual() && v.asText().matches("-?\\d+(\\.\\d+)?")) {
                    parts.put(key, EdiText.number(v.isNumber() ? v.decimalValue() : new java.math.BigDecimal(v.asText())));
                }
            }
            m.put("refundParts", parts);
            break;
        }
        ledger.invoiceSentMade(orderId).ifPresent(at -> m.put("invoiceIssueDate",
                at.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString()));
    }

    /**
     * The ship notice's {@code shipments}: per parcel (the event's shipments) its carrier, service, tracking
     * number, warehouse, weight and {@code lines} (the order lines in it with the shipped quantity), plus
     * {@code parcelCount}, {@code totalWeight} and {@code shippedQuantityTotal}.
     */
    private void shipNotice(Map<String, Object> m, JsonNode event, JsonNode order, String standard) {
        Map<String, DocumentLedger.ShipmentContent> contents = ledger.shipmentContents(event.path("orderId").asText());
        Map<Integer, JsonNode> orderLines = new LinkedHashMap<>();
        order.path("lines").forEach(l -> orderLines.put(l.path("lineNo").asInt(), l));
        List<Map<String, Object>> shipments = new ArrayList<>();
        java.math.BigDecimal weight = java.math.BigDecimal.ZERO;
        java.math.BigDecimal shipped = java.math.BigDecimal.ZERO;
        int lineCount = 0;
        for (JsonNode s : event.path("data").path("shipments")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> parcel = (Map<String, Object>) EdiText.model(s, standard);
            DocumentLedger.ShipmentContent content = contents.get(s.path("shipmentId").asText());
            List<Map<String, Object>> lines = new ArrayList<>();
            if (content != null) {
                if (content.weightKg() != null) {
                    parcel.put("weightKg", EdiText.number(content.weightKg()));
                    weight = weight.add(content.weightKg());
                }
                for (Map.Entry<Integer, Integer> e : content.quantityByLine().entrySet()) {
                    JsonNode line = orderLines.get(e.getKey());
                    @SuppressWarnings("unchecked")
                    Map<String, Object> l = line == null ? new LinkedHashMap<>()
                            : (Map<String, Object>) EdiText.model(line, standard);
                    l.put("lineNo", e.getKey().toString());
                    l.put("shippedQuantity", e.getValue().toString());
                    l.putIfAbsent("uom", "EA");
                    lines.add(l);
                    shipped = shipped.add(java.math.BigDecimal.valueOf(e.getValue()));
                    lineCount++;
                }
            }
            parcel.put("lines", lines);
            shipments.add(parcel);
        }
        m.put("shipments", shipments);
        m.put("parcelCount", shipments.size());
        m.put("shippedLineCount", lineCount);
        m.put("totalWeight", EdiText.number(weight));
        m.put("shippedQuantityTotal", EdiText.number(shipped));
    }

    private static java.math.BigDecimal sum(JsonNode lines) {
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        for (JsonNode l : lines) {
            total = total.add(l.path("quantity").decimalValue());
        }
        return total;
    }

    /** CCYYMMDD of an ISO date or date-time ({@code 2024-01-15}, {@code 2024-01-15T09:30:00Z}); empty if none. */
    static String date8(String iso) {
        if (iso == null || iso.length() < 10 || iso.charAt(4) != '-' || iso.charAt(7) != '-') {
            return "";
        }
        return iso.substring(0, 4) + iso.substring(5, 7) + iso.substring(8, 10);
    }

}
