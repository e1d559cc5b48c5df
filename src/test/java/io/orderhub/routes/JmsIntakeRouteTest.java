package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/jms-intake.camel.yaml: the intake's steps in order (receipt first), the mapping the recognise step names
 * reaching the map step, the answer only where the sender asked for one, an answer that cannot be sent recorded
 * and not failing the message, and a message failing on its last delivery dead-lettered with an answer.
 */
class JmsIntakeRouteTest extends RouteTestSupport {

    static final String DEAD_LETTERS = "jms:queue:{{orderhub.jms.inbound-dead-letter-queue}}";

    /** The JMS intake's routes as every test of them advises them (the context and its advice are shared). */
    static void adviseJmsIntake(RouteTestSupport test) throws Exception {
        test.advise("receiveJmsOrder", r -> r.replaceFromWith("direct:receiveJmsOrder"));
        test.advise("answerJmsSender", r -> mockStep(r, "sendAnswerToReplyTo"));
    }

    @BeforeEach
    void adviseRoutes() throws Exception {
        adviseJmsIntake(this);
    }

    @Test
    void eachStepRunsInOrderAndTheMapStepUsesTheMappingTheRecogniseStepNamed() {
        AtomicReference<Object> mappedWith = new AtomicReference<>();
        answer("intakeSteps.recognise", args -> {
            ((Exchange) args[0]).setProperty("orderhubMapping", "shopify/order.jsonata");
            return null;
        });
        answer("intakeSteps.map", args -> {
            mappedWith.set(args[1]);
            return null;
        });

        Exchange done = send("direct:receiveJmsOrder", "{}", Map.of("channel", "webshop"));

        assertThat(done.getException()).isNull();
        assertThat(calls()).containsExactly("jmsReplies.addressAnswer", "jmsIntakeAdapter.storeReceipt",
                "jmsIntakeAdapter.checkSender", "acknowledgementIntake.take", "intakeSteps.recognise", "intakeSteps.map",
                "intakeSteps.validate", "intakeSteps.create", "jmsIntakeAdapter.answer",
                "jmsReplies.answerWanted");
        assertThat(mappedWith.get()).isEqualTo("shopify/order.jsonata");
        assertThat(step("sendAnswerToReplyTo").getReceivedCounter()).as("no reply-to, no answer").isZero();
    }

    @Test
    void theAnswerGoesToTheReplyToWhenTheSenderAskedForOne() throws Exception {
        answer("jmsReplies.answerWanted", args -> true);
        answer("jmsIntakeAdapter.answer", args -> {
            ((Exchange) args[0]).getIn().setBody("{\"status\":\"ACCEPTED\"}");
            return null;
        });
        step("sendAnswerToReplyTo").expectedBodiesReceived("{\"status\":\"ACCEPTED\"}");

        send("direct:receiveJmsOrder", "{}", Map.of("channel", "webshop"));

        step("sendAnswerToReplyTo").assertIsSatisfied();
        assertThat(calls()).endsWith("jmsReplies.answerWanted", "jmsReplies.prepareAnswer");
    }

    @Test
    void anAnswerThatCannotBeSentIsRecordedAndTheMessageIsStillAcknowledged() {
        answer("jmsReplies.answerWanted", args -> true);
        step("sendAnswerToReplyTo").whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("the broker refused the reply-to");
        });

        Exchange done = send("direct:receiveJmsOrder", "{}", Map.of("channel", "webshop"));

        assertThat(done.getException()).as("not rolled back").isNull();
        assertThat(calls()).endsWith("jmsReplies.prepareAnswer", "jmsReplies.answerFailed");
        assertThat(sentTo(DEAD_LETTERS).getReceivedCounter()).isZero();
    }

    @Test
    void aFailureBeforeTheLastDeliveryRollsTheMessageBack() {
        answer("intakeSteps.create", args -> {
            throw new IllegalStateException("boom");
        });

        Exchange done = send("direct:receiveJmsOrder", "{}", Map.of("channel", "webshop"));

        assertThat(done.getException()).as("the transacted consumer rolls back").hasMessage("boom");
        assertThat(calls()).doesNotContain("jmsIntakeAdapter.answer", "jmsDeadLetters.deadLetter");
        assertThat(sentTo(DEAD_LETTERS).getReceivedCounter()).isZero();
    }

    @Test
    void aFailureOnTheLastDeliveryIsDeadLetteredAndAnswered() throws Exception {
        answer("jmsIntakeAdapter.storeReceipt", args -> {
            throw new IllegalStateException("unreadable");
        });
        answer("jmsDeadLetters.lastDelivery", args -> true);
        answer("jmsReplies.answerWanted", args -> true);
        sentTo(DEAD_LETTERS).expectedMessageCount(1);
        step("sendAnswerToReplyTo").expectedMessageCount(1);

        Exchange done = send("direct:receiveJmsOrder", "{}", Map.of("channel", "webshop"));

        assertThat(done.getException()).as("handled: the message leaves the queue").isNull();
        sentTo(DEAD_LETTERS).assertIsSatisfied();
        step("sendAnswerToReplyTo").assertIsSatisfied();
        assertThat(calls()).containsSubsequence("jmsIntakeAdapter.storeReceipt", "jmsDeadLetters.deadLetter",
                "jmsDeadLetters.deadLetterAnswer", "jmsReplies.prepareAnswer");
        assertThat(calls()).doesNotContain("jmsIntakeAdapter.checkSender");
    }
}
