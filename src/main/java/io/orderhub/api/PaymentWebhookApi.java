package io.orderhub.api;

import io.orderhub.payment.PaymentWebhooks;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Reads {@code POST /api/webhooks/payments/{gateway}} into {@link PaymentWebhooks} (routes/payment-webhooks.camel.yaml). */
@Component("paymentWebhookApi")
public class PaymentWebhookApi {

    private final PaymentWebhooks webhooks;

    public PaymentWebhookApi(PaymentWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    public void receive(Exchange exchange) {
        String gateway = ApiExchange.header(exchange, "gateway");
        String signature = ApiExchange.header(exchange, "Stripe-Signature");
        String payload = exchange.getMessage().getBody(String.class);
        exchange.getMessage().setBody(webhooks.receive(gateway, signature, payload));
    }
}
