package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.ingest.camel.IntakeSteps;
import io.orderhub.ingest.camel.JmsIntakeAdapter;
import io.orderhub.security.BrokerUsers;
import io.orderhub.support.HubTestSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A JMS intake step tried again in place (waitForDatabase: the database went away after the attempt stored its
 * work) goes on with the receipt the first attempt stored: one receipt per message, and the outcome it
 * recorded stands (ACCEPTED with its order), instead of a second receipt or an answer DUPLICATE.
 */
class JmsIntakeRetryTest extends HubTestSupport {

    @Autowired
    JmsIntakeAdapter adapter;
    @Autowired
    IntakeSteps steps;
    @Autowired
    CamelContext camel;

    @Test
    void stepsTriedAgainInPlaceKeepTheFirstReceiptAndItsOutcome() throws Exception {
        String document = order().toString();
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setHeader(JmsIntakeAdapter.CHANNEL, "webshop");
        exchange.getIn().setHeader(BrokerUsers.VALIDATED_USER, "test-webshop");
        exchange.getIn().setBody(document);
        adapter.storeReceipt(exchange);
        adapter.checkSender(exchange);
        steps.recognise(exchange);
        steps.map(exchange, exchange.getProperty(IntakeSteps.MAPPING, String.class));
        steps.validate(exchange);
        steps.create(exchange);
        adapter.answer(exchange);
        JsonNode first = json.readTree(exchange.getIn().getBody(String.class));

        // the redelivery in place of the store step and of the create step, after each committed
        adapter.storeReceipt(exchange);
        steps.create(exchange);
        adapter.answer(exchange);
        JsonNode again = json.readTree(exchange.getIn().getBody(String.class));

        assertThat(first.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(again.get("receiptId").asText()).isEqualTo(first.get("receiptId").asText());
        assertThat(again.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(again.get("orderIds")).isEqualTo(first.get("orderIds"));
        String checksum = jdbc.queryForObject("select checksum from receipts where receipt_id = ?", String.class,
                first.get("receiptId").asText());
        assertThat(jdbc.queryForObject("select count(*) from receipts where checksum = ?", Long.class, checksum))
                .as("receipts of the one message").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Long.class,
                json.readTree(document).get("externalId").asText())).as("orders of the one message").isEqualTo(1);
    }
}
