package io.orderhub.payment;

/**
 * A payment gateway spoken to over its own wire protocol. Every call carries an idempotency key;
 * calling again with the same key must not take money twice. Implementations throw
 * {@link GatewayUnavailableException} for timeouts, 5xx and 429 (worth retrying with the same key)
 * and {@link GatewayRejectedException} for other refusals (not retried).
 */
public interface PaymentGateway {

    /** The gateway's name as channels.yaml refers to it. */
    String name();

    /** Charges a card token at once (authorize and capture). A decline is an answer, not an exception. */
    ChargeResult charge(ChargeRequest request);

    /** Refunds a successful charge in full. */
    RefundResult refund(RefundRequest request);

    /**
     * A charge; {@code offSession}: the buyer is not present (the difference of a replacement after payment, charged to
     * the payment method of the first charge), sent to gateways that distinguish it (Stripe {@code off_session}).
     */
    record ChargeRequest(String orderId, long amountMinor, String currency, String token, String idempotencyKey,
                         String description, boolean offSession) {

        public ChargeRequest(String orderId, long amountMinor, String currency, String token, String idempotencyKey,
                             String description) {
            this(orderId, amountMinor, currency, token, idempotencyKey, description, false);
        }
    }

    record ChargeResult(boolean succeeded, String intentId, String status, String declineCode, String message) {
    }

    /** A refund; {@code currency} (ISO 4217) is the charge's, named by gateways whose refunds need it (Adyen). */
    record RefundRequest(String orderId, String intentId, long amountMinor, String idempotencyKey, String currency) {

        public RefundRequest(String orderId, String intentId, long amountMinor, String idempotencyKey) {
            this(orderId, intentId, amountMinor, idempotencyKey, null);
        }
    }

    record RefundResult(String refundId, String status) {
    }
}
