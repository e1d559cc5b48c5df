package io.orderhub.sync.inbound.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.sync.inbound.ErpStockFeed;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * JMS adapter of the queue {@code erp.stock-updates}: reads an update (TextMessage or BytesMessage
 * with the JSON of {@link ErpStockFeed}), identified by its {@code updateId} (body or string
 * property) or else its JMS message id, so a redelivery changes nothing twice. A message the hub
 * refuses (bad JSON, a bad entry, an unknown SKU) is poison at once; any other failure is retried by
 * redelivery until the last delivery. Poison goes to the dead letter queue with the reason
 * ({@link InboundDeadLetters}).
 */
@Component("erpStockUpdates")
public class StockUpdatesAdapter {

    private static final Logger log = LoggerFactory.getLogger(StockUpdatesAdapter.class);

    public static final String UPDATE_ID = "updateId";

    private final ErpStockFeed feed;
    private final ObjectMapper json;
    private final String queue;

    public StockUpdatesAdapter(ErpStockFeed feed, ObjectMapper json, @Value("${orderhub.erp-inbound.queue}") String queue) {
        this.feed = feed;
        this.json = json;
        this.queue = queue;
    }

    public void receive(Exchange exchange) {
        Message in = exchange.getIn();
        Object body = in.getBody();
        JsonNode update = InboundDeadLetters.json(json, body);
        String id = in.getHeader(UPDATE_ID, String.class);
        if (id == null) {
            id = in.getHeader("JMSMessageID", String.class);
        }
        ErpStockFeed.Outcome outcome = feed.apply(update, "jms", id);
        if (!outcome.applied().isEmpty() || !outcome.products().isEmpty()) {
            log.info("ERP update {} from {}: {} level(s), {} product(s), backorders confirmed {}", outcome.updateId(), queue,
                    outcome.applied().size(), outcome.products().size(), outcome.confirmedBackorders());
        }
    }
}
