package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/email-intake.camel.yaml: an order mail is claimed, its sender checked and its documents read; each document
 * goes through the intake's steps in the loop (receipt first, the mapping the recognise step names reaching the map
 * step); the mail is answered by SMTP only when it has an answer (a mail read before has none), and marked answered
 * after the answer went; a failure frees the mail's claim and leaves the mail unread (not handled).
 */
class EmailIntakeRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("receiveOrderMail", r -> {
            r.replaceFromWith("direct:receiveOrderMail");
            mockStep(r, "sendMailAnswer");
            // the map step as a mock endpoint: what it is handed, document by document
            mockStep(r, "mapMailDocument");
        });
    }

    /** A new mail (claimed) holding {@code documents} documents, answered. */
    private static List<Object> newMail(int documents) {
        List<Object> loopIndexes = new ArrayList<>();
        answer("mailIntakeAdapter.claimed", args -> true);
        answer("mailIntakeAdapter.documentCount", args -> documents);
        answer("mailIntakeAdapter.storeReceipt", args -> {
            loopIndexes.add(((Exchange) args[0]).getProperty(Exchange.LOOP_INDEX));
            return null;
        });
        answer("intakeSteps.recognise", args -> {
            Exchange exchange = (Exchange) args[0];
            exchange.setProperty("orderhubMapping", "mail/document-" + exchange.getProperty(Exchange.LOOP_INDEX) + ".jsonata");
            return null;
        });
        answer("mailIntakeAdapter.composeAnswer", args -> {
            ((Exchange) args[0]).getIn().setBody("the answer");
            return null;
        });
        answer("mailIntakeAdapter.hasAnswer", args -> true);
        return loopIndexes;
    }

    @Test
    void eachDocumentOfANewMailGoesThroughTheStepsThenTheMailIsAnsweredAndMarkedAnswered() throws Exception {
        List<Object> loopIndexes = newMail(2);
        step("mapMailDocument").expectedMessageCount(2);
        step("mapMailDocument").message(0).exchangeProperty("orderhubMapping").isEqualTo("mail/document-0.jsonata");
        step("mapMailDocument").message(1).exchangeProperty("orderhubMapping").isEqualTo("mail/document-1.jsonata");
        step("sendMailAnswer").expectedBodiesReceived("the answer");

        Exchange done = send("direct:receiveOrderMail", "an order mail", Map.of());

        assertThat(done.getException()).isNull();
        step("mapMailDocument").assertIsSatisfied();
        step("sendMailAnswer").assertIsSatisfied();
        assertThat(loopIndexes).containsExactly(0, 1);
        List<String> eachDocument = List.of("mailIntakeAdapter.storeReceipt", "mailIntakeAdapter.checkDocument",
                "acknowledgementIntake.take",
                "intakeSteps.recognise", "intakeSteps.validate", "intakeSteps.create", "mailIntakeAdapter.recordOutcome");
        List<String> expected = new ArrayList<>(List.of("mailIntakeAdapter.claim", "mailIntakeAdapter.claimed",
                "mailIntakeAdapter.checkSender", "mailIntakeAdapter.readDocuments", "mailIntakeAdapter.documentCount"));
        expected.addAll(eachDocument);
        expected.addAll(eachDocument);
        expected.addAll(List.of("mailIntakeAdapter.composeAnswer", "mailIntakeAdapter.hasAnswer",
                "mailIntakeAdapter.answered"));
        assertThat(calls()).containsExactlyElementsOf(expected);
    }

    @Test
    void aMailWithoutDocumentsToTakeInIsStillAnswered() throws Exception {
        // a mail refused as a whole (no readable document): its receipt is stored by readDocuments, the answer says why
        newMail(0);
        step("sendMailAnswer").expectedMessageCount(1);

        send("direct:receiveOrderMail", "an order mail", Map.of());

        step("sendMailAnswer").assertIsSatisfied();
        assertThat(calls()).doesNotContain("mailIntakeAdapter.storeReceipt", "intakeSteps.recognise")
                .containsSubsequence("mailIntakeAdapter.readDocuments", "mailIntakeAdapter.composeAnswer",
                        "mailIntakeAdapter.answered");
    }

    @Test
    void aMailReadBeforeIsNotIngestedOrAnsweredAgain() {
        Exchange done = send("direct:receiveOrderMail", "an order mail", Map.of());

        assertThat(done.getException()).isNull();
        assertThat(step("sendMailAnswer").getReceivedCounter()).isZero();
        assertThat(calls()).containsExactly("mailIntakeAdapter.claim", "mailIntakeAdapter.claimed",
                "mailIntakeAdapter.hasAnswer");
    }

    @Test
    void aFailingStepReleasesTheMailForTheNextPollWithoutAnAnswer() {
        newMail(2);
        answer("intakeSteps.create", args -> {
            throw new IllegalStateException("database away");
        });

        Exchange done = send("direct:receiveOrderMail", "an order mail", Map.of());

        assertThat(done.getException()).as("not handled: the mail stays unread").hasMessage("database away");
        assertThat(step("sendMailAnswer").getReceivedCounter()).isZero();
        assertThat(calls()).endsWith("intakeSteps.create", "mailIntakeAdapter.failed")
                .doesNotContain("mailIntakeAdapter.recordOutcome", "mailIntakeAdapter.composeAnswer");
    }

    @Test
    void aFailedAnswerReleasesTheMailForTheNextPoll() {
        newMail(1);
        step("sendMailAnswer").whenAnyExchangeReceived(e -> {
            throw new jakarta.mail.MessagingException("SMTP away");
        });

        Exchange done = send("direct:receiveOrderMail", "an order mail", Map.of());

        assertThat(done.getException()).as("not handled: the mail stays unread").isNotNull();
        assertThat(calls()).endsWith("mailIntakeAdapter.composeAnswer", "mailIntakeAdapter.hasAnswer",
                "mailIntakeAdapter.failed");
    }
}
