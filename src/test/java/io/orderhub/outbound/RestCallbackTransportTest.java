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
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
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
 * The signed REST callback transport (docs/b2b-outbound.md) through the running hub, against the suite's WireMock
 * as the partner: a test channel (key demo-callback) added to the test copy of channels.yaml with
 * {@code outbound.transport: rest}. A confirmed order's 855 is POSTed with its bytes, content type and a signature
 * the partner can check with the secret; a 503 is retried and the document is SENT once the partner answers 200,
 * and a redelivered event does not POST it again; a 422 records it FAILED with the answer, listed for operations.
 */
class RestCallbackTransportTest extends ShippingTestSupport {

    static final String CHANNEL = "b2b-callback";
    static final String KEY = "test-callback-channel-secret";
    static final String SECRET = "test-callback-hmac-secret";
    static final String PATH = "/partner-callback/documents";

    @Autowired
    ChannelRegistry channels;
    @Autowired
    OutboundDocuments documents;

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
                      - id: b2b-callback
                        name: Test partner answered by a signed REST callback
                        formats: [canonical]
                        transports: [rest]
                        senders: []
                        backorders: false
                        paymentGateway: stripe
                        apiKeys: [demo-callback]
                        locale: en
                        outbound:
                          documents: [order-response]
                          format: x12
                          transport: {type: rest, url: "http://localhost:%d%s", secret: "${ORDERHUB_TEST_CALLBACK_SECRET}"}
                          x12: {senderQualifier: ZZ, senderId: ORDERHUB, receiverQualifier: ZZ, receiverId: CALLBACKCO}
                    """.formatted(port, PATH));
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> channels.find(CHANNEL).isPresent());
    }

    @Test
    void aDocumentIsPostedSignedRetriedAfterA503AndSentOnce() {
        ObjectNode order = callbackOrder(2);
        String externalId = order.get("externalId").asText();
        stub(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(PATH)).withRequestBody(containing(externalId)).inScenario(externalId)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(503).withBody("busy")));
        stub(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(PATH)).withRequestBody(containing(externalId)).inScenario(externalId)
                .whenScenarioStateIs("recovered").willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));

        String orderId = submit(order);
        JsonNode doc = awaitDocument(orderId, "SENT");

        List<LoggedRequest> calls = calls(externalId);
        assertThat(calls).hasSize(2);
        byte[] sent = get("/api/documents/" + doc.get("documentId").asText() + "/content", KEY).bytes();
        for (LoggedRequest call : calls) {
            assertThat(call.getBody()).isEqualTo(sent);
            assertThat(call.getHeader("Content-Type")).startsWith("application/edi-x12");
            assertThat(call.getHeader("X-OrderHub-Document-Id")).isEqualTo(doc.get("documentId").asText());
            assertThat(call.getHeader("X-OrderHub-Document-Type")).isEqualTo("order-response");
            // the partner checks the signature with the secret they share
            assertThat(call.getHeader("X-OrderHub-Signature")).isEqualTo("sha256=" + hmac(SECRET, call.getBody()));
            assertThat(call.getHeader("X-API-Key")).isNull();
        }
        String text = new String(sent, StandardCharsets.UTF_8);
        assertThat(text).startsWith("ISA*").contains("ST*855*").contains("*" + externalId + "*").contains("REF*VN*" + orderId);
        assertThat(doc.get("transport").asText()).isEqualTo("rest");
        assertThat(jdbc.queryForObject("select attempts from outbound_documents where document_id = ?", Integer.class,
                doc.get("documentId").asText())).isEqualTo(1);

        // the event again, flagged redelivered by the broker: the SENT callback document is not due again
        assertThat(documents.prepare(outboxPayload(orderId, "order.confirmed"), true)).isEmpty();
        assertThat(calls(externalId)).hasSize(2);
    }

    @Test
    void aRefusingPartnerLeavesTheDocumentFailedWithItsAnswerForOperations() {
        ObjectNode order = callbackOrder(1);
        String externalId = order.get("externalId").asText();
        String answer = "{\"error\":\"unknown buyer\"}" + "x".repeat(600);
        stub(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(PATH)).withRequestBody(containing(externalId))
                .willReturn(aResponse().withStatus(422).withBody(answer)));

        String orderId = submit(order);
        JsonNode doc = awaitDocument(orderId, "FAILED");

        assertThat(calls(externalId)).hasSize(1);
        String expected = "callback answered 422: " + answer.substring(0, 500);
        assertThat(doc.get("errors")).hasSize(1);
        assertThat(doc.get("errors").get(0).asText()).isEqualTo(expected);
        JsonNode failed = get("/api/ops/documents?state=failed&limit=1000", OPS_KEY).body();
        assertThat(failed.findValuesAsText("documentId")).contains(doc.get("documentId").asText());
        assertThat(get("/api/ops/documents?state=sent", OPS_KEY).status()).isEqualTo(422);
        // not sent again by a redelivered event
        assertThat(documents.prepare(outboxPayload(orderId, "order.confirmed"), true)).isEmpty();
    }

    /** An order of the channel; its externalId fits X12 BAK03 (22 characters at most). */
    private ObjectNode callbackOrder(int quantity) {
        ObjectNode order = orderFor(product(10, 0), quantity, null, "10115");
        order.put("externalId", "CB-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase());
        return order;
    }

    private void stub(com.github.tomakehurst.wiremock.client.MappingBuilder b) {
        stubs.add(SyncTargetsServer.server().stubFor(b.atPriority(1)));
    }

    private List<LoggedRequest> calls(String externalId) {
        WireMockServer s = SyncTargetsServer.server();
        return s.findAll(postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing(externalId)));
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

    private static String hmac(String secret, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
