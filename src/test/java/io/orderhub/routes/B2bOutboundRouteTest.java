package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/b2b-outbound.camel.yaml: a verified event's partner documents are sent one by one; a document for the
 * JMS transport goes to the outbound queue without the hub's own headers and is then recorded as sent; a
 * document for the REST callback is posted again (request made again) while the partner is unavailable, then
 * recorded sent, not recorded when the partner refused it, and fails after the retries; a document for an
 * unknown transport fails and is not recorded; a mail document goes to the notifications' SMTP sender, and is
 * neither sent nor recorded without a recipient; a forged event is dead-lettered.
 */
class B2bOutboundRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("sendPartnerDocuments", r -> {
            r.replaceFromWith("direct:sendPartnerDocuments");
            mockStep(r, "recordPartnerDocuments");
            mockStep(r, "sendEachPartnerDocument");
        });
        advise("sendPartnerDocument", r -> {
            mockStep(r, "partnerDocumentMessage");
            mockStep(r, "sendPartnerDocumentToQueue");
            mockStep(r, "sendPartnerDocumentByMail");
            mockStep(r, "recordPartnerDocumentSent");
        });
        advise("callPartnerCallback", r -> mockStep(r, "postPartnerDocument"));
    }

    private void restDocument() {
        step("partnerDocumentMessage").whenAnyExchangeReceived(e -> {
            e.getIn().setBody("ISA*00*");
            e.getIn().setHeader("orderhubOutboundTransport", "rest");
            e.getIn().setHeader("documentId", "DOC-R");
        });
    }

    @Test
    void aRestDocumentIsPostedAgainWhileThePartnerIsUnavailableThenRecordedSent() throws Exception {
        restDocument();
        java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
        answer("outboundAdapter.callbackAnswered", args -> {
            if (answers.incrementAndGet() < 3) {
                throw new io.orderhub.outbound.camel.CallbackUnavailableException("answered 503");
            }
            return null;
        });
        step("recordPartnerDocumentSent").expectedMessageCount(1);

        Exchange done = send("direct:sendPartnerDocument", "DOC-R", Map.of());

        assertThat(done.getException()).isNull();
        step("recordPartnerDocumentSent").assertIsSatisfied();
        assertThat(step("postPartnerDocument").getReceivedCounter()).isEqualTo(3);
        // each attempt signs and builds its request again
        assertThat(calls()).containsExactly("outboundAdapter.callback", "outboundAdapter.callbackAnswered",
                "outboundAdapter.callback", "outboundAdapter.callbackAnswered",
                "outboundAdapter.callback", "outboundAdapter.callbackAnswered");
        assertThat(step("sendPartnerDocumentToQueue").getReceivedCounter()).isZero();
    }

    @Test
    void aMailDocumentGoesToTheNotificationsSmtpSenderThenIsRecorded() throws Exception {
        step("partnerDocumentMessage").whenAnyExchangeReceived(e -> e.getIn().setHeader("orderhubOutboundTransport", "mail"));
        answer("outboundAdapter.mail", args -> {
            ((Exchange) args[0]).getMessage().setBody("the MIME message");
            return null;
        });
        step("sendPartnerDocumentByMail").expectedBodiesReceived("the MIME message");
        step("recordPartnerDocumentSent").expectedMessageCount(1);

        Exchange done = send("direct:sendPartnerDocument", "DOC-M", Map.of());

        assertThat(done.getException()).isNull();
        step("sendPartnerDocumentByMail").assertIsSatisfied();
        step("recordPartnerDocumentSent").assertIsSatisfied();
    }

    @Test
    void aMailDocumentWithoutRecipientIsNeitherSentNorRecordedSent() {
        step("partnerDocumentMessage").whenAnyExchangeReceived(e -> e.getIn().setHeader("orderhubOutboundTransport", "mail"));
        answer("outboundAdapter.mail", args -> {
            ((Exchange) args[0]).setProperty("orderhubOutboundRefused", true);
            return null;
        });

        Exchange done = send("direct:sendPartnerDocument", "DOC-M", Map.of());

        assertThat(done.getException()).isNull();
        assertThat(step("sendPartnerDocumentByMail").getReceivedCounter()).isZero();
        assertThat(step("recordPartnerDocumentSent").getReceivedCounter()).isZero();
    }

    @Test
    void aRestDocumentThePartnerRefusedIsNotRecordedSent() {
        restDocument();
        answer("outboundAdapter.callbackAnswered", args -> {
            ((Exchange) args[0]).setProperty("orderhubOutboundRefused", true);
            return null;
        });

        Exchange done = send("direct:sendPartnerDocument", "DOC-R", Map.of());

        assertThat(done.getException()).isNull();
        assertThat(step("postPartnerDocument").getReceivedCounter()).isEqualTo(1);
        assertThat(step("recordPartnerDocumentSent").getReceivedCounter()).isZero();
    }

    @Test
    void aRestDocumentFailsAfterTheRetriesAndIsNotRecorded() {
        restDocument();
        answer("outboundAdapter.callbackAnswered", args -> {
            throw new io.orderhub.outbound.camel.CallbackUnavailableException("answered 503");
        });

        Exchange done = send("direct:sendPartnerDocument", "DOC-R", Map.of());

        assertThat(done.getException()).isInstanceOf(io.orderhub.outbound.camel.CallbackUnavailableException.class);
        // the first call and orderhub.outbound.callback.retries (5) more
        assertThat(step("postPartnerDocument").getReceivedCounter()).isEqualTo(6);
        assertThat(step("recordPartnerDocumentSent").getReceivedCounter()).isZero();
    }

    @Test
    void eachPartnerDocumentOfAVerifiedEventIsSent() throws Exception {
        step("recordPartnerDocuments").whenAnyExchangeReceived(e -> e.getIn().setBody(List.of("ORDRSP", "DESADV")));
        step("sendEachPartnerDocument").expectedBodiesReceived("ORDRSP", "DESADV");

        Exchange done = send("direct:sendPartnerDocuments", "{\"type\":\"order.shipped\"}", Map.of());

        assertThat(done.getException()).isNull();
        step("sendEachPartnerDocument").assertIsSatisfied();
        assertThat(calls()).containsExactly("eventOrigin.verify");
    }

    @Test
    void aForgedEventSendsNothing() {
        answer("eventOrigin.verify", args -> {
            throw new io.orderhub.security.EventSignatures.ForgedEventException("no hub signature");
        });

        Exchange done = send("direct:sendPartnerDocuments", "{}", Map.of());

        assertThat(done.getException()).isNull();
        assertThat(step("recordPartnerDocuments").getReceivedCounter()).isZero();
        assertThat(sentTo(PaymentStagesRouteTest.BROKER_DEAD_LETTERS).getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void aJmsDocumentGoesToTheOutboundQueueWithoutTheHubsHeadersThenIsRecorded() throws Exception {
        step("partnerDocumentMessage").whenAnyExchangeReceived(e -> {
            e.getIn().setBody("UNA:+.? 'UNB+UNOC:3");
            e.getIn().setHeader("orderhubOutboundTransport", "jms");
            e.getIn().setHeader("documentId", "DOC-1");
        });
        step("sendPartnerDocumentToQueue").expectedBodiesReceived("UNA:+.? 'UNB+UNOC:3");
        step("sendPartnerDocumentToQueue").expectedHeaderReceived("documentId", "DOC-1");
        step("recordPartnerDocumentSent").expectedMessageCount(1);

        send("direct:sendPartnerDocument", "DOC-1", Map.of());

        step("sendPartnerDocumentToQueue").assertIsSatisfied();
        step("recordPartnerDocumentSent").assertIsSatisfied();
        assertThat(step("sendPartnerDocumentToQueue").getReceivedExchanges().get(0).getIn().getHeaders())
                .doesNotContainKey("orderhubOutboundTransport");
    }

    @Test
    void aDocumentForAnUnknownTransportFailsAndIsNotRecorded() {
        step("partnerDocumentMessage").whenAnyExchangeReceived(e -> e.getIn().setHeader("orderhubOutboundTransport", "as2"));

        Exchange done = send("direct:sendPartnerDocument", "DOC-2", Map.of());

        assertThat(done.getException()).isInstanceOf(IllegalStateException.class).hasMessageContaining("no transport as2");
        assertThat(step("recordPartnerDocumentSent").getReceivedCounter()).isZero();
        assertThat(step("sendPartnerDocumentToQueue").getReceivedCounter()).isZero();
    }
}
