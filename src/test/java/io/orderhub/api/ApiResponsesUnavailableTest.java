package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

/**
 * A request that fails because the database went away is answered 503 with Retry-After, however the failure
 * comes wrapped (found by PostgresOutageTest: the order had committed, the receipt's update failed and its
 * rollback on the closed connection threw TransactionSystemException, answered 500).
 */
class ApiResponsesUnavailableTest {

    final ObjectMapper json = new ObjectMapper();
    final ApiResponses responses = new ApiResponses(json, null);

    @Test
    void aRollbackOnAConnectionTheDatabaseClosedIs503WithRetryAfter() throws Exception {
        Exchange exchange = failed(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed")));
        responses.problem(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(exchange.getMessage().getHeader("Retry-After")).isEqualTo("5");
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo(ProblemDocument.MEDIA_TYPE);
        JsonNode body = json.readTree(exchange.getMessage().getBody(byte[].class));
        assertThat(body.get("status").asInt()).isEqualTo(503);
    }

    @Test
    void aFailureOfTheHubItselfStays500() {
        Exchange exchange = failed(new IllegalStateException("a bug"));
        responses.problem(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(exchange.getMessage().getHeader("Retry-After")).isNull();
    }

    private static Exchange failed(Exception failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
    }
}
