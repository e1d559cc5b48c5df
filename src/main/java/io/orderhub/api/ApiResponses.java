package io.orderhub.api;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.DatabaseFailures;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.ingest.OrderResult;
import io.orderhub.ingest.Submission;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jms.JmsException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The answer of every REST route ({@link #answer}, its last step): the body as JSON, the status code, and only the
 * response headers the API defines (request headers, query parameters and internal headers never echo back).
 * Failures become RFC 9457 problem documents ({@link #problem}, in the {@code apiErrors} route configuration).
 */
@Component("apiResponses")
public class ApiResponses {

    private static final Logger log = LoggerFactory.getLogger(ApiResponses.class);

    private static final Set<String> RESPONSE_HEADERS = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        RESPONSE_HEADERS.addAll(List.of(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE, "Location",
                ApiExchange.RECEIPT_HEADER, "Retry-After"));
    }

    private final ObjectMapper json;
    private final ReceiptStore receipts;

    public ApiResponses(ObjectMapper json, ReceiptStore receipts) {
        this.json = json;
        this.receipts = receipts;
    }

    /**
     * The one answer of every REST route, chosen by what its action left: a {@link Submission} (the order
     * intake) is {@link #submitted}; a body the action marked {@link ApiExchange#answerAsIs as is} is sent as
     * those bytes with the action's content type; anything else is JSON, 201 when the action created the
     * resource (exchange property {@link InventoryApi#CREATED}), else 200.
     */
    public void answer(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Submission) {
            submitted(exchange);
        } else if (exchange.getProperty(ApiExchange.AS_IS) != null) {
            raw(exchange);
        } else {
            respond(exchange, Boolean.TRUE.equals(exchange.getProperty(InventoryApi.CREATED, Boolean.class)) ? 201 : 200,
                    body);
        }
    }

    /** 200 with the body as it is (bytes) and the content type already set. */
    void raw(Exchange exchange) {
        Object contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE);
        keepResponseHeaders(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
    }

    /**
     * One order: 201 with Location for a new order, 200 with the stored order for a resend. Several
     * orders in one document: 207 with one result per order.
     */
    void submitted(Exchange exchange) {
        Submission s = exchange.getMessage().getBody(Submission.class);
        exchange.getMessage().setHeader(ApiExchange.RECEIPT_HEADER, s.receiptId());
        if (!s.single()) {
            respond(exchange, 207, s);
            return;
        }
        OrderResult result = s.results().get(0);
        boolean created = result.status() == OrderResult.Outcome.CREATED;
        if (created) {
            exchange.getMessage().setHeader("Location", "/api/orders/" + result.orderId());
        }
        respond(exchange, created ? 201 : 200, result.order());
    }

    /** Turns the caught exception into a problem document, and marks the request's receipt REJECTED. */
    public void problem(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemDocument doc = describe(failure, exchange);
        String receiptId = ApiExchange.receiptId(exchange);
        if (receiptId != null && doc.status() < 500) {
            receipts.rejectIfOpen(receiptId, doc.errors() == null ? List.of(FieldError.of("", doc.detail())) : doc.errors());
        }
        if (receiptId != null) {
            exchange.getMessage().setHeader(ApiExchange.RECEIPT_HEADER, receiptId);
        }
        respond(exchange, doc.status(), doc);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, ProblemDocument.MEDIA_TYPE);
    }

    private ProblemDocument describe(Throwable failure, Exchange exchange) {
        String instance = ApiExchange.header(exchange, Exchange.HTTP_URI);
        String receiptId = ApiExchange.receiptId(exchange);
        if (failure instanceof OrderHubException e) {
            if (e.retryAfterSeconds() > 0) {
                exchange.getMessage().setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            return ProblemDocument.of(e.problem(), e.getMessage(), e.errors().isEmpty() ? null : e.errors(), instance,
                    receiptId);
        }
        // the database away also comes wrapped: a commit or rollback on a connection the server closed
        // (TransactionSystemException), a pool timeout; whether the commit happened or not, a resend with the
        // same externalId gets the stored order (200) or makes it (201)
        if (failure instanceof TransientDataAccessException || failure instanceof DataAccessResourceFailureException
                || failure instanceof CannotCreateTransactionException || failure instanceof JmsException
                || DatabaseFailures.unavailable(failure)) {
            log.warn("request to {} failed on a dependency: {}", instance, DatabaseFailures.unavailable(failure)
                    ? DatabaseFailures.describe(failure) : failure.toString());
            exchange.getMessage().setHeader("Retry-After", "5");
            return ProblemDocument.of(Problem.UNAVAILABLE, "a backing service is unavailable; retry later"
                    + (receiptId == null ? "" : " (the document is stored as receipt " + receiptId + ")"), null, instance,
                    receiptId);
        }
        log.error("request to {} failed", instance, failure);
        return new ProblemDocument("urn:orderhub:problem:internal", "Internal error", 500,
                "the hub failed to process the request" + (receiptId == null ? "" : "; the document is stored as receipt "
                + receiptId), instance, receiptId, null);
    }

    /**
     * Drops every header but the answer's own, so no request or route header becomes a response header. A set look-up
     * per header: {@code removeHeaders("*", names...)} matched each header against each name as a pattern (wildcard,
     * then regular expression), 0.7 % of the hub's CPU in the lifecycle benchmark (issue 17).
     */
    private static void keepResponseHeaders(Exchange exchange) {
        exchange.getMessage().getHeaders().keySet().removeIf(name -> !RESPONSE_HEADERS.contains(name));
    }

    private void respond(Exchange exchange, int status, Object body) {
        keepResponseHeaders(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            exchange.getMessage().setBody(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response cannot be written as JSON", e);
        }
    }
}
