package io.orderhub.returns;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of returns ({@code orderhub.returns.*}).
 *
 * @param channels      per channel (key {@code default} for the rest): the money rules of a return
 * @param carrierAccount the carrier account return labels are bought from (blank: the shipping default account)
 * @param closeAfter    REFUNDED / EXCHANGED / CREDITED → CLOSED after this long (PT0S: on the next job run)
 */
@ConfigurationProperties("orderhub.returns")
public record ReturnProperties(Map<String, Rules> channels, String carrierAccount, Duration closeAfter) {

    public ReturnProperties {
        channels = channels == null ? Map.of() : Map.copyOf(channels);
        closeAfter = closeAfter == null ? Duration.ZERO : closeAfter;
    }

    /**
     * @param shippingRefund      {@code never}, {@code full-return} (the order's shipping charge is refunded when
     *                            the return brings the last shipped unit back) or {@code always} (with the first
     *                            return that is refunded)
     * @param restockingFeePercent percent of the returned goods' value kept back from the refund (0-100)
     */
    public record Rules(String shippingRefund, BigDecimal restockingFeePercent) {

        public Rules {
            shippingRefund = shippingRefund == null || shippingRefund.isBlank() ? "full-return" : shippingRefund;
            restockingFeePercent = restockingFeePercent == null ? BigDecimal.ZERO : restockingFeePercent;
            if (!java.util.List.of("never", "full-return", "always").contains(shippingRefund)) {
                throw new IllegalArgumentException("orderhub.returns.channels.*.shipping-refund must be never, full-return"
                        + " or always, not '" + shippingRefund + "'");
            }
            if (restockingFeePercent.signum() < 0 || restockingFeePercent.compareTo(new BigDecimal(100)) > 0) {
                throw new IllegalArgumentException("orderhub.returns.channels.*.restocking-fee-percent must be 0-100");
            }
        }
    }

    public Rules rules(String channel) {
        Rules own = channels.get(channel);
        if (own != null) {
            return own;
        }
        Rules fallback = channels.get("default");
        return fallback != null ? fallback : new Rules(null, null);
    }
}
