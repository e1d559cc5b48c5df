package io.orderhub.returns;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.order.CanonicalOrder;
import org.springframework.stereotype.Component;

/**
 * The order line a Shopify line item id names: Shopify's returns/* webhooks name a returned line by its line item id
 * only, which the canonical order does not keep. The order's Shopify document, as received (its receipt), gives the
 * line item's position; the order mapping numbers lines by position ({@code mappings/shopify/order.jsonata}:
 * lineNo = index + 1), so that is the order's line. Empty when the order did not come as a Shopify document,
 * retention blanked its bytes, or the document has no such line item.
 */
@Component
class ShopifyLineItems {

    private final ReceiptStore receipts;
    private final ObjectMapper json;

    ShopifyLineItems(ReceiptStore receipts, ObjectMapper json) {
        this.receipts = receipts;
        this.json = json;
    }

    /** The SKU of the order's line that Shopify line item {@code lineItemId} became. */
    Optional<String> sku(CanonicalOrder order, String lineItemId) {
        CanonicalOrder.Source source = order.source();
        if (source == null || source.receiptId() == null || lineItemId == null
                || !"shopify".equalsIgnoreCase(String.valueOf(source.format()))) {
            return Optional.empty();
        }
        return receipts.content(source.receiptId()).flatMap(bytes -> lineNo(bytes, order.externalId(), lineItemId))
                .flatMap(n -> order.lines().stream().filter(l -> l.lineNo() != null && l.lineNo() == n).findFirst())
                .map(CanonicalOrder.Line::sku);
    }

    /** The line number (position + 1) of the line item in the document's order whose name, number or id is the external id. */
    Optional<Integer> lineNo(byte[] document, String externalId, String lineItemId) {
        JsonNode root;
        try {
            root = json.readTree(document);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (root == null) {
            return Optional.empty();
        }
        JsonNode o = root.has("order") ? root.get("order") : root;
        if (root.path("orders").isArray()) {
            o = null;
            for (JsonNode candidate : root.get("orders")) {
                if (List.of(candidate.path("name").asText(""), candidate.path("order_number").asText(""),
                        candidate.path("id").asText("")).contains(externalId)) {
                    o = candidate;
                }
            }
            if (o == null) {
                return Optional.empty();
            }
        }
        JsonNode items = o.path("line_items");
        for (int i = 0; i < items.size(); i++) {
            if (lineItemId.equals(items.get(i).path("id").asText(null))) {
                return Optional.of(i + 1);
            }
        }
        return Optional.empty();
    }
}
