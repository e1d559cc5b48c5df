package io.orderhub.payment;

import java.math.BigDecimal;
import java.time.Instant;

/** One row of {@code payments}: a charge, refund, prepaid reference or invoice approval of an order. */
public record Payment(long paymentId, String orderId, String kind, String gateway, String method, int attempt,
                      String idempotencyKey, String intentId, String refundId, String reference, BigDecimal amount,
                      long amountMinor, String currency, String status, String declineCode, String message,
                      Instant createdAt, Instant updatedAt) {

    public static final String CHARGE = "CHARGE";
    public static final String REFUND = "REFUND";
    public static final String PREPAID = "PREPAID";
    public static final String INVOICE = "INVOICE";

    public static final String PENDING = "PENDING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String DECLINED = "DECLINED";
    public static final String FAILED = "FAILED";
}
