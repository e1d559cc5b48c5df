package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.ingest.camel.JmsDeadLetters;
import io.orderhub.ingest.camel.JmsIntakeAdapter;
import io.orderhub.ingest.jms.JmsIntake;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** The answer to a dead-lettered JMS message says what the sender can fix, never the failure's SQL or classes. */
class JmsDeadLetterAnswerTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode answerTo(Throwable failure) throws Exception {
        JmsIntake intake = mock(JmsIntake.class);
        when(intake.deadLettered(any())).thenCallRealMethod();
        JmsDeadLetters adapter = new JmsDeadLetters(intake, json, Clock.systemUTC(), 3, "orders.inbound");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        adapter.deadLetterAnswer(exchange);
        return json.readTree(exchange.getIn().getBody(String.class));
    }

    @Test
    void aDatabaseFailureIsNotQuoted() throws Exception {
        JsonNode answer = answerTo(new DataIntegrityViolationException("PreparedStatementCallback; SQL [insert into "
                + "receipts (receipt_id, channel) values (?, ?)]; Value too long for column \"CHANNEL CHARACTER VARYING(64)\""));
        assertThat(answer.get("status").asText()).isEqualTo("REJECTED");
        assertThat(answer.at("/errors/0/field").asText()).isEqualTo("message");
        assertThat(answer.toString()).contains("dead letter queue").doesNotContainIgnoringCase("sql")
                .doesNotContain("insert into").doesNotContain("receipts").doesNotContain("Exception");
    }

    @Test
    void anUnreadableMessageIsExplained() throws Exception {
        JsonNode answer = answerTo(new JmsIntakeAdapter.UnreadableMessageException("the message is a MapMessage and "
                + "holds no document; send the document as a TextMessage or BytesMessage"));
        assertThat(answer.at("/errors/0/message").asText()).contains("MapMessage", "TextMessage or BytesMessage");
    }
}
