package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * routes/database-outage.camel.yaml (waitForDatabase), on the JMS intake: a step failing because the database is
 * away is tried again in place, the steps before it are not repeated, and the message is neither rolled back nor
 * dead-lettered.
 */
class DatabaseOutageRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        JmsIntakeRouteTest.adviseJmsIntake(this);
    }

    @Test
    void theFailedStepIsTriedAgainInPlaceUntilTheDatabaseIsBack() {
        AtomicInteger attempts = new AtomicInteger();
        answer("intakeSteps.create", args -> {
            if (attempts.incrementAndGet() < 3) {
                throw new CannotGetJdbcConnectionException("database away");
            }
            return null;
        });
        answer("databaseOutage.unavailable", args -> true);
        answer("jmsDeadLetters.lastDelivery", args -> true);

        Exchange done = send("direct:receiveJmsOrder", "{}", Map.of("channel", "webshop"));

        assertThat(done.getException()).isNull();
        assertThat(Collections.frequency(calls(), "intakeSteps.create")).isEqualTo(3);
        assertThat(Collections.frequency(calls(), "jmsIntakeAdapter.storeReceipt")).as("receipt stored once").isEqualTo(1);
        assertThat(calls()).doesNotContain("jmsDeadLetters.deadLetter").endsWith("jmsIntakeAdapter.answer",
                "jmsReplies.answerWanted");
        assertThat(sentTo(JmsIntakeRouteTest.DEAD_LETTERS).getReceivedCounter()).isZero();
    }
}
