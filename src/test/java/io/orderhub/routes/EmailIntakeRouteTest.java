package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/email-intake.camel.yaml: an order mail is taken in, answered by SMTP only when it has an answer (a mail
 * read before has none), and marked answered after the answer went; a failure frees the mail's claim and leaves
 * the mail unread (not handled).
 */
class EmailIntakeRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("receiveOrderMail", r -> {
            r.replaceFromWith("direct:receiveOrderMail");
            mockStep(r, "sendMailAnswer");
        });
    }

    @Test
    void aNewMailIsAnsweredThenMarkedAnswered() throws Exception {
        answer("mailIntakeAdapter.hasAnswer", args -> true);
        answer("mailIntakeAdapter.receive", args -> {
            ((Exchange) args[0]).getIn().setBody("the answer");
            return null;
        });
        step("sendMailAnswer").expectedBodiesReceived("the answer");

        Exchange done = send("direct:receiveOrderMail", "an order mail", Map.of());

        assertThat(done.getException()).isNull();
        step("sendMailAnswer").assertIsSatisfied();
        assertThat(calls()).containsExactly("mailIntakeAdapter.receive", "mailIntakeAdapter.hasAnswer",
                "mailIntakeAdapter.answered");
    }

    @Test
    void aMailReadBeforeIsNotAnsweredAgain() {
        Exchange done = send("direct:receiveOrderMail", "an order mail", Map.of());

        assertThat(done.getException()).isNull();
        assertThat(step("sendMailAnswer").getReceivedCounter()).isZero();
        assertThat(calls()).containsExactly("mailIntakeAdapter.receive", "mailIntakeAdapter.hasAnswer");
    }

    @Test
    void aFailedAnswerReleasesTheMailForTheNextPoll() {
        answer("mailIntakeAdapter.hasAnswer", args -> true);
        step("sendMailAnswer").whenAnyExchangeReceived(e -> {
            throw new jakarta.mail.MessagingException("SMTP away");
        });

        Exchange done = send("direct:receiveOrderMail", "an order mail", Map.of());

        assertThat(done.getException()).as("not handled: the mail stays unread").isNotNull();
        assertThat(calls()).containsExactly("mailIntakeAdapter.receive", "mailIntakeAdapter.hasAnswer",
                "mailIntakeAdapter.failed");
    }
}
