package io.orderhub.inventory;

import java.math.BigDecimal;

/** A catalogue entry ({@code PUT /api/products/{sku}}). */
public record Product(String sku, String description, BigDecimal unitPrice, String currency, BigDecimal weightKg) {
}
