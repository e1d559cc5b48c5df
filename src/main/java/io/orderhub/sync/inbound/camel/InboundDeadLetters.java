package io.orderhub.sync.inbound.camel;

import io.orderhub.common.DatabaseFailures;
import io.orderhub.common.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The poison-message rule of the inbound ERP and CRM queues: a message the hub refuses (bad JSON, a
 * field it names) is poison on its first delivery, since redelivering cannot fix it; any other failure
 * (database down, ...) is rolled back and redelivered until {@code orderhub.erp-inbound.max-deliveries}.
 * A poison message goes to its queue's dead letter queue, body unchanged, with the reason in string
 * properties ({@link #FAILURE_REASON}: {@code field: message; ...}, {@link #FAILURE_FIELDS}).
 */
@Component("inboundDeadLetters")
public class InboundDeadLetters {

    private static final Logger log = LoggerFactory.getLogger(InboundDeadLetters.class);

    public static final String FAILURE_REASON = DeadLetterHeaders.FAILURE_REASON;
    public static final String FAILURE_FIELDS = DeadLetterHeaders.FAILURE_FIELDS;
    public static final String FAILURE_EXCEPTION = DeadLetterHeaders.FAILURE_EXCEPTION;
    public static final String FAILED_AT = DeadLetterHeaders.FAILED_AT;
    public static final String ORIGINAL_QUEUE = DeadLetterHeaders.ORIGINAL_QUEUE;
    private static final String JMS_DELIVERY_COUNT = DeadLetterHeaders.JMS_DELIVERY_COUNT;

    private final Clock clock;
    private final int maxDeliveries;

    public InboundDeadLetters(Clock clock, @Value("${orderhub.erp-inbound.max-deliveries}") int maxDeliveries) {
        this.clock = clock;
        this.maxDeliveries = maxDeliveries;
    }

    /** The JSON of a TextMessage or BytesMessage; anything else, or no JSON, is refused naming the body. */
    static JsonNode json(ObjectMapper json, Object body) {
        try {
            if (body instanceof String text) {
                return json.readTree(text);
            }
            if (body instanceof byte[] bytes) {
                return json.readTree(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is not valid JSON: " + e.getOriginalMessage());
        }
        throw OrderHubException.field(Problem.MALFORMED, "body", "the message holds no JSON text; send a TextMessage or BytesMessage");
    }

    /**
     * A refused message is poison on its first delivery; other failures once the deliveries are used up; a
     * failure because the database is away never (it is waited out: waitForDatabase).
     */
    public boolean poison(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (DatabaseFailures.unavailable(cause != null ? cause : exchange.getException())) {
            return false;
        }
        if (cause instanceof OrderHubException e && e.problem() != Problem.UNAVAILABLE) {
            return true;
        }
        Integer count = exchange.getIn().getHeader(JMS_DELIVERY_COUNT, Integer.class);
        return count != null && count >= maxDeliveries;
    }

    /** Puts the reason on the message bound for the dead letter queue. */
    public void deadLetter(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message in = exchange.getIn();
        String reason = cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        if (cause instanceof OrderHubException e && !e.errors().isEmpty()) {
            reason = e.errors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
            in.setHeader(FAILURE_FIELDS, e.errors().stream().map(f -> f.field()).collect(Collectors.joining(",")));
        }
        String queue = queue(exchange.getFromEndpoint());
        in.setHeader(FAILURE_REASON, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        in.setHeader(FAILURE_EXCEPTION, cause == null ? null : cause.getClass().getName());
        in.setHeader(FAILED_AT, clock.instant().toString());
        in.setHeader(ORIGINAL_QUEUE, queue);
        io.orderhub.security.camel.DeadLetterRedaction.redact(in);
        log.warn("message dead-lettered from {}: {}", queue, in.getHeader(FAILURE_REASON));
    }

    private static String queue(Endpoint from) {
        return from instanceof JmsEndpoint jms ? jms.getDestinationName() : from == null ? null : from.getEndpointUri();
    }
}
