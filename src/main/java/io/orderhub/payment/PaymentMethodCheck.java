package io.orderhub.payment;

import java.util.List;
import java.util.Locale;

import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.ingest.IntakeCheck;
import io.orderhub.order.CanonicalOrder;
import org.springframework.stereotype.Component;

/**
 * An order may only use a payment method its channel lists under {@code paymentMethods} in channels.yaml
 * (unset: card and prepaid; invoice only where the channel allows it). Anything else is refused at intake
 * (422 naming {@code /payment/method}, the receipt REJECTED), before stock is reserved or credit looked at.
 */
@Component
public class PaymentMethodCheck implements IntakeCheck {

    private final ChannelRegistry channels;

    public PaymentMethodCheck(ChannelRegistry channels) {
        this.channels = channels;
    }

    @Override
    public List<FieldError> check(CanonicalOrder order, String channel) {
        String method = order.payment() == null || order.payment().method() == null ? null
                : order.payment().method().trim().toLowerCase(Locale.ROOT);
        if (method == null || method.isEmpty()) {
            return List.of(); // the payment stage names a missing method; the schema decides whether it is required
        }
        return channels.find(channel).filter(c -> !c.allowsPaymentMethod(method))
                .map(c -> List.of(FieldError.of("/payment/method", "payment.method '" + method + "' is not allowed in channel "
                        + c.id() + "; it allows " + String.join(", ", c.paymentMethods()))))
                .orElse(List.of());
    }
}
