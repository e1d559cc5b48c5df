package io.orderhub.shipping;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.orderhub.shipping.CarrierGateway.Rate;
import io.orderhub.shipping.ShippingProperties.Policy;

/** Chooses one of a carrier's rates by a policy: cheapest, fastest, cheapest within N days, preferred carriers. */
public final class RateShopping {

    private static final Comparator<Rate> BY_PRICE = Comparator.comparing(Rate::amount)
            .thenComparing(r -> r.deliveryDays() == null ? Integer.MAX_VALUE : r.deliveryDays());
    private static final Comparator<Rate> BY_DAYS = Comparator.<Rate>comparingInt(
            r -> r.deliveryDays() == null ? Integer.MAX_VALUE : r.deliveryDays()).thenComparing(Rate::amount);

    private RateShopping() {
    }

    /** The chosen rate, or empty with no rates at all. */
    public static Optional<Rate> choose(List<Rate> rates, Policy policy) {
        List<Rate> candidates = rates;
        if (!policy.preferredCarriers().isEmpty()) {
            List<String> preferred = policy.preferredCarriers().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
            List<Rate> narrowed = rates.stream().filter(r -> preferred.contains(r.carrier().toLowerCase(Locale.ROOT))).toList();
            if (!narrowed.isEmpty()) {
                candidates = narrowed;
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return switch (policy.strategy().toLowerCase(Locale.ROOT)) {
            case "fastest" -> candidates.stream().min(BY_DAYS);
            case "cheapest-within" -> {
                int max = policy.maxDays() == null ? Integer.MAX_VALUE : policy.maxDays();
                Optional<Rate> within = candidates.stream()
                        .filter(r -> r.deliveryDays() != null && r.deliveryDays() <= max).min(BY_PRICE);
                // nothing that fast: the fastest there is, rather than no parcel at all
                yield within.isPresent() ? within : candidates.stream().min(BY_DAYS);
            }
            case "cheapest" -> candidates.stream().min(BY_PRICE);
            default -> throw new IllegalArgumentException("unknown rate-shopping strategy '" + policy.strategy()
                    + "'; use cheapest, fastest or cheapest-within");
        };
    }
}
