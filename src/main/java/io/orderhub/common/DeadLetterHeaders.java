package io.orderhub.common;

/**
 * Properties the hub sets on a message it moves to a dead letter queue ({@code orders.inbound.DLQ},
 * {@code erp.stock-updates.DLQ}, {@code crm.customer-updates.DLQ}), in one place so every queue's dead
 * letters read alike.
 */
public final class DeadLetterHeaders {

    public static final String FAILURE_REASON = "OrderHubFailureReason";
    public static final String FAILURE_FIELDS = "OrderHubFailureFields";
    public static final String FAILURE_EXCEPTION = "OrderHubFailureException";
    public static final String FAILED_AT = "OrderHubFailedAt";
    public static final String DELIVERY_COUNT = "OrderHubDeliveryCount";
    public static final String ORIGINAL_QUEUE = "OrderHubOriginalQueue";
    /** The broker's delivery counter (JMS 2.0). */
    public static final String JMS_DELIVERY_COUNT = "JMSXDeliveryCount";

    private DeadLetterHeaders() {
    }
}
