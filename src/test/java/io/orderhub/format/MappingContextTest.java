package io.orderhub.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The mapping a route names (the JMS intake's map step) wins over the format's default; none named: the default. */
class MappingContextTest {

    @Test
    void aMappingNamedByTheRouteIsTheOneUsed() {
        assertThat(new MappingContext(null, null, "shopify/order-v2.jsonata").mappingFile("shopify", "shopify/order.jsonata"))
                .isEqualTo("shopify/order-v2.jsonata");
    }

    @Test
    void withoutOneTheFormatsDefaultIsUsed() {
        assertThat(new MappingContext(null, null).mappingFile("shopify", "shopify/order.jsonata"))
                .isEqualTo("shopify/order.jsonata");
        assertThat(new MappingContext(null, null, " ").mappingFile("shopify", "shopify/order.jsonata"))
                .isEqualTo("shopify/order.jsonata");
    }
}
