package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The README tour's {@code examples/orders.csv} (issue 20, section 5): its prepaid order PO-7002 carries its payment
 * reference, so the payment stage takes it as paid instead of cancelling it as "prepaid order without a payment
 * reference" (the suite's b2b orders are paid by hand, so the mapping preview shows what the stage gets).
 */
class ExampleCsvOrdersTest extends InventoryTestSupport {

    @Test
    void thePrepaidOrderOfTheCsvExampleCarriesItsPaymentReference() throws Exception {
        byte[] csv = Files.readAllBytes(Path.of("examples", "orders.csv"));
        Response r = post("/api/mappings/preview?channel=b2b", OPS_KEY, "text/csv", csv);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode prepaid = null;
        for (JsonNode o : r.body().path("orders")) {
            if ("PO-7002".equals(o.at("/order/externalId").asText())) {
                prepaid = o;
            }
        }
        assertThat(prepaid).as(r.body().toString()).isNotNull();
        assertThat(prepaid.path("valid").asBoolean()).as(prepaid.toString()).isTrue();
        // the payment stage takes a prepaid order as PAID only with its reference (PaymentService.recordPrepaid):
        // without one it cancelled the tour's order as "prepaid order without a payment reference"
        assertThat(prepaid.at("/order/payment/method").asText()).isEqualTo("prepaid");
        assertThat(prepaid.at("/order/payment/reference").asText()).isEqualTo("PAYPAL-7002-88417");
    }
}
