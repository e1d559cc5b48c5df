package io.orderhub.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.orderhub.shipping.CarrierGateway.Rate;
import io.orderhub.shipping.ShippingProperties.Policy;
import org.junit.jupiter.api.Test;

/** Rate shopping policies and their lookup per channel and shippingMethod. */
class RateShoppingTest {

    static final Rate GROUND = new Rate("r1", "SandboxPost", "Ground", new BigDecimal("5.90"), "USD", 5);
    static final Rate TWO_DAY = new Rate("r2", "UPS", "2ndDayAir", new BigDecimal("11.00"), "USD", 2);
    static final Rate OVERNIGHT = new Rate("r3", "FedEx", "Overnight", new BigDecimal("24.50"), "USD", 1);
    static final Rate CHEAP_UPS = new Rate("r4", "UPS", "Ground", new BigDecimal("7.20"), "USD", 4);
    static final List<Rate> RATES = List.of(TWO_DAY, GROUND, OVERNIGHT, CHEAP_UPS);

    static Policy policy(String strategy, Integer maxDays, List<String> preferred) {
        return new Policy(null, strategy, maxDays, preferred);
    }

    @Test
    void cheapestFastestAndCheapestWithinDays() {
        assertThat(RateShopping.choose(RATES, policy("cheapest", null, null))).contains(GROUND);
        assertThat(RateShopping.choose(RATES, policy("fastest", null, null))).contains(OVERNIGHT);
        assertThat(RateShopping.choose(RATES, policy("cheapest-within", 2, null))).contains(TWO_DAY);
        assertThat(RateShopping.choose(RATES, policy("cheapest-within", 4, null))).contains(CHEAP_UPS);
        // nothing that fast: the fastest there is
        assertThat(RateShopping.choose(List.of(GROUND, CHEAP_UPS), policy("cheapest-within", 1, null))).contains(CHEAP_UPS);
    }

    @Test
    void preferredCarriersNarrowTheChoiceWhenTheyOfferARate() {
        assertThat(RateShopping.choose(RATES, policy("cheapest", null, List.of("ups")))).contains(CHEAP_UPS);
        assertThat(RateShopping.choose(RATES, policy("fastest", null, List.of("UPS", "SandboxPost")))).contains(TWO_DAY);
        assertThat(RateShopping.choose(RATES, policy("cheapest", null, List.of("DHL")))).contains(GROUND);
    }

    @Test
    void noRatesNoChoiceAndUnknownStrategiesAreNamed() {
        assertThat(RateShopping.choose(List.of(), policy("cheapest", null, null))).isEmpty();
        assertThatThrownBy(() -> RateShopping.choose(RATES, policy("random", null, null)))
                .hasMessageContaining("unknown rate-shopping strategy 'random'");
    }

    @Test
    void policiesPerChannelOverrideThosePerShippingMethod() {
        Policy fast = policy("fastest", null, null);
        Policy cheap = policy("cheapest", null, null);
        Policy b2bStandard = new Policy("other", "cheapest-within", 3, List.of("UPS"));
        ShippingProperties settings = new ShippingProperties(Map.of(), null, Map.of("express", fast, "default", cheap),
                Map.of("b2b", Map.of("standard", b2bStandard)), null, null, null, null);
        assertThat(settings.policy("b2b", "standard")).isEqualTo(b2bStandard);
        assertThat(settings.policy("b2b", "express")).isEqualTo(fast);
        assertThat(settings.policy("webshop", "standard")).isEqualTo(cheap);
        assertThat(settings.policy("webshop", null)).isEqualTo(cheap);
        assertThat(settings.defaultAccount()).isEqualTo("easypost");
    }
}
