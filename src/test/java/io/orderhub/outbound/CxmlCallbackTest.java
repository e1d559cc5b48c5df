package io.orderhub.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.shipping.ShippingTestSupport;
import io.orderhub.sync.SyncTargetsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A cXML partner answered by the signed REST callback (a test channel, key demo-cxml-callback, format cxml): the
 * ConfirmationRequest is POSTed as application/xml, and the partner's synchronous cXML Response decides it:
 * Status 200 ACKNOWLEDGED, Status 400 REJECTED with its code, text and content, each with its event.
 */
class CxmlCallbackTest extends ShippingTestSupport {

    static final String CHANNEL = "cxml-callback";
    static final String KEY = "test-cxml-callback-channel-secret";
    static final String PATH = "/partner-callback/cxml";

    @Autowired
    ChannelRegistry channels;

    private final List<StubMapping> stubs = new java.util.ArrayList<>();

    @BeforeEach
    void channelAnswersByCallback() throws IOException {
        addChannel(channels, SyncTargetsServer.server().port());
    }

    @AfterEach
    void removeStubs() {
        stubs.forEach(SyncTargetsServer.server()::removeStub);
    }

    static synchronized void addChannel(ChannelRegistry channels, int port) throws IOException {
        if (channels.find(CHANNEL).isPresent()) {
            return;
        }
        Path file = MAPPINGS.resolve(ChannelRegistry.FILE);
        String text = Files.readString(file);
        if (!text.contains("id: " + CHANNEL)) {
            Files.writeString(file, text.stripTrailing() + "\n" + """
                      - id: cxml-callback
                        name: Test cXML partner answered by a signed REST callback
                        formats: [canonical]
                        transports: [rest]
                        senders: []
                        backorders: false
                        paymentGateway: stripe
                        apiKeys: [demo-cxml-callback]
                        locale: en
                        outbound:
                          documents: [order-response]
                          format: cxml
                          transport: {type: rest, url: "http://localhost:%d%s", secret: "${ORDERHUB_TEST_CALLBACK_SECRET}"}
                          cxml: {senderQualifier: NetworkID, senderId: AN-HUB, receiverQualifier: DUNS, receiverId: "987654321"}
                    """.formatted(port, PATH));
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> channels.find(CHANNEL).isPresent());
    }

    @Test
    void theCxmlResponseStatusAcknowledgesOrRejectsTheDocument() throws Exception {
        ObjectNode accepted = cxmlOrder();
        String acceptedPo = accepted.get("externalId").asText();
        stub(acceptedPo, 200, response("200", "OK", ""));
        ObjectNode refused = cxmlOrder();
        String refusedPo = refused.get("externalId").asText();
        stub(refusedPo, 200, response("400", "Bad Request", "Unknown orderID"));

        String acceptedId = submit(accepted);
        String refusedId = submit(refused);
        JsonNode ok = awaitDocument(acceptedId, "ACKNOWLEDGED");
        JsonNode no = awaitDocument(refusedId, "REJECTED");
        assertThat(no.get("reason").asText()).isEqualTo("cXML Response 400 Bad Request: Unknown orderID");

        List<LoggedRequest> calls = SyncTargetsServer.server().findAll(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(containing(acceptedPo)));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getHeader("Content-Type")).startsWith("application/xml");
        String body = calls.get(0).getBodyAsString();
        assertThat(CxmlStructure.check(body)).isEmpty();
        CxmlReading x = CxmlReading.of(body);
        assertThat(x.at("/cXML/Request/ConfirmationRequest/OrderReference/@orderID")).isEqualTo(acceptedPo);
        assertThat(x.at("/cXML/Header/To/Credential/Identity")).isEqualTo("987654321");
        assertThat(ok.get("standard").asText()).isEqualTo("cxml");
        assertThat(outboxPayloads(acceptedId, "document.acknowledged")).hasSize(1);
        assertThat(outboxPayloads(refusedId, "document.rejected")).hasSize(1);
        assertThat(timeline(refusedId)).containsSubsequence("document.sent", "document.rejected");
    }

    private static String response(String code, String text, String content) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd">
                <cXML payloadID="r-1@partner" timestamp="2026-12-06T10:15:00+00:00">
                  <Response><Status code="%s" text="%s">%s</Status></Response>
                </cXML>""".formatted(code, text, content);
    }

    private ObjectNode cxmlOrder() {
        ObjectNode order = orderFor(product(10, 0), 1, null, "10115");
        order.put("externalId", "CX-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase());
        return order;
    }

    private void stub(String po, int status, String body) {
        stubs.add(SyncTargetsServer.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(PATH))
                .withRequestBody(containing(po)).atPriority(1)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body))));
    }

    private String submit(ObjectNode order) {
        Response r = postJson("/api/orders", KEY, order);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

    private JsonNode awaitDocument(String orderId, String status) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode docs = get("/api/orders/" + orderId + "/documents", KEY).body();
            assertThat(docs).hasSize(1);
            assertThat(docs.get(0).get("status").asText()).isEqualTo(status);
        });
        return get("/api/orders/" + orderId + "/documents", KEY).body().get(0);
    }
}
