package io.orderhub.planning;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.messaging.BrokerSends;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.TextMessage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends a reorder suggestion to the ERP queue ({@code orderhub.planning.reorder-queue}): the JSON body and the string
 * properties {@code sku}, {@code warehouse}, {@code suggestionId} and {@code eventType}. The reorder check sends inside
 * its database transaction, which holds the {@code reorder-check} lock row and the crossings it marked; a broker that
 * blocks producers (disk or address full) would hold them as long as it blocks, so the send goes through a
 * {@link BrokerSends.Sender} and one the broker has not taken within {@code orderhub.planning.reorder-send-timeout}
 * fails the check, which rolls back and runs again at its next interval. {@code _AMQ_DUPL_ID} = the suggestion id, so
 * a suggestion sent before such a rollback is not sent twice.
 */
@Component("reorderSender")
public class ReorderSender {

    static final String EVENT_TYPE = "inventory.reorder-suggested";

    private final JmsTemplate jms;
    private final ObjectMapper json;
    private final String queue;
    private final BrokerSends.Sender sender;

    @Autowired
    public ReorderSender(ConnectionFactory connectionFactory, ObjectMapper json, BrokerSends sends,
                         PlanningProperties settings) {
        this(connectionFactory, json, sends, settings.reorderQueue(), settings.reorderSendTimeout().toMillis());
    }

    public ReorderSender(ConnectionFactory connectionFactory, ObjectMapper json, BrokerSends sends, String queue,
                         long timeoutMs) {
        this.jms = new JmsTemplate(connectionFactory);
        this.json = json;
        this.queue = queue;
        this.sender = sends.sender("reorder suggestions", Duration.ofMillis(timeoutMs));
    }

    /** Sends one suggestion; throws {@link BrokerSends.BrokerBlockedException} when the broker does not take it in time. */
    public void send(ReorderSuggestion suggestion) {
        String body = message(suggestion);
        sender.call(() -> {
            jms.send(queue, session -> {
                TextMessage m = session.createTextMessage(body);
                m.setStringProperty("sku", suggestion.sku());
                m.setStringProperty("warehouse", suggestion.warehouse());
                m.setStringProperty("suggestionId", suggestion.suggestionId());
                m.setStringProperty("eventType", EVENT_TYPE);
                m.setStringProperty("_AMQ_DUPL_ID", "reorder-" + suggestion.suggestionId());
                return m;
            });
            return null;
        });
    }

    /** The message a suggestion is sent to the ERP as. */
    String message(ReorderSuggestion suggestion) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", EVENT_TYPE);
        m.put("suggestionId", suggestion.suggestionId());
        m.put("sku", suggestion.sku());
        m.put("warehouse", suggestion.warehouse());
        m.put("available", suggestion.available());
        m.put("reorderPoint", suggestion.reorderPoint());
        m.put("quantity", suggestion.suggestedQuantity());
        m.put("crossedAt", suggestion.crossedAt());
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
