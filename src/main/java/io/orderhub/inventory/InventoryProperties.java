package io.orderhub.inventory;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Inventory settings ({@code orderhub.inventory.*}).
 *
 * @param unknownSku      {@code reject}: an order line with a SKU not in the catalogue is refused at
 *                        intake (422 naming the line); {@code hold}: such orders are accepted and the
 *                        reservation stage leaves them CREATED for someone to deal with
 * @param reservationTtl  how long a confirmed order may stay unpaid before it is cancelled and its stock released
 * @param defaultStrategy allocation strategy for channels not listed in {@code strategies}
 * @param strategies      allocation strategy per channel id
 */
@ConfigurationProperties("orderhub.inventory")
public record InventoryProperties(UnknownSku unknownSku, Duration reservationTtl, AllocationStrategy defaultStrategy,
                                  Map<String, AllocationStrategy> strategies) {

    public enum UnknownSku { REJECT, HOLD }

    public InventoryProperties {
        unknownSku = unknownSku == null ? UnknownSku.REJECT : unknownSku;
        reservationTtl = reservationTtl == null ? Duration.ofHours(48) : reservationTtl;
        defaultStrategy = defaultStrategy == null ? AllocationStrategy.FEWEST_SHIPMENTS : defaultStrategy;
        strategies = strategies == null ? Map.of() : Map.copyOf(strategies);
    }

    public AllocationStrategy strategyFor(String channel) {
        return strategies.getOrDefault(channel, defaultStrategy);
    }
}
