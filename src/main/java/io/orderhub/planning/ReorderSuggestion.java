package io.orderhub.planning;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A warehouse at or below its reorder point: the quantity to order (EOQ rounded up to whole packs),
 * or none with the reason. {@code suggestionId} identifies the crossing (the ERP dedupes by it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReorderSuggestion(String suggestionId, String sku, String warehouse, int available, BigDecimal reorderPoint,
                                Long suggestedQuantity, String reason, Instant crossedAt, Instant figuresComputedAt) {
}
