package io.orderhub.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.ops.camel.DatabaseOutage;
import io.orderhub.security.EventSignatures;
import io.orderhub.security.camel.EventOrigin;
import io.orderhub.sync.outbound.TargetRejectedException;
import io.orderhub.sync.outbound.camel.MappingJsonataComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Route tests of routes/erp-sync.camel.yaml and crm-sync.camel.yaml with their route configurations
 * (sync-errors, event-origin, database-outage), on a bare CamelContext that loads only those files: the JMS
 * consumer is replaced by a direct endpoint and the partner call (step ids callErp / callCrm) by a MockEndpoint
 * with AdviceWith.weaveById; the ledger is a mock. The mappings are the packaged ones, run by the hub's jsonata:
 * component. No broker, database or HTTP server is started.
 */
class PartnerRoutesTest {

    static final String SECRET = "route-test-secret";
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /** The key ring the relay seals events with; the routes' first step opens them. */
    static final io.orderhub.crypto.DataCipher CIPHER = new io.orderhub.crypto.DataCipher(io.orderhub.crypto.KeyRing.load(
            Path.of("src", "test", "resources", "test-keyring.properties"), null));

    CamelContext camel;
    SyncLedger ledger;
    SyncService sync;
    EventSignatures signatures;
    ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.put("orderhub.jms.events-address", "orders.events");
        p.put("orderhub.ops.broker-dead-letter-queue", "DLQ.events");
        p.put("orderhub.db.outage-retry.initial-delay-ms", "1");
        p.put("orderhub.db.outage-retry.multiplier", "2");
        p.put("orderhub.db.outage-retry.max-delay-ms", "5");
        p.put("orderhub.sync.retry.initial-delay-ms", "1");
        p.put("orderhub.sync.retry.multiplier", "2");
        p.put("orderhub.sync.retry.max-delay-ms", "5");
        p.put("orderhub.sync.retry.max-redeliveries", "2");
        for (String t : List.of("erp", "crm")) {
            p.put("orderhub.sync." + t + ".queue", t + ".sync");
            p.put("orderhub.sync." + t + ".consumers", "1");
            p.put("orderhub.sync." + t + ".event-types", "(order|return)[.].+");
            p.put("orderhub.sync." + t + ".base-url", "http://" + t + ".test/" + t);
            p.put("orderhub.sync." + t + ".authorization", "Bearer " + t + "-token");
            p.put("orderhub.sync." + t + ".breaker.failure-rate", "50");
            p.put("orderhub.sync." + t + ".breaker.minimum-calls", "10");
            p.put("orderhub.sync." + t + ".breaker.window", "20");
            p.put("orderhub.sync." + t + ".breaker.wait-seconds", "1");
        }
        p.put("orderhub.sync.erp.mapping", "erp/sales-order.jsonata");
        p.put("orderhub.sync.crm.mapping", "crm/customer.jsonata");
        p.put("orderhub.sync.crm.latest-state-only", "true");
        p.put("orderhub.sync.crm.api-version", "v60.0");
        camel.getPropertiesComponent().setInitialProperties(p);

        ledger = mock(SyncLedger.class);
        when(ledger.recordDelivered(anyString(), any(), anyInt())).thenReturn(true);
        sync = mock(SyncService.class);
        signatures = new EventSignatures(SECRET, new MockEnvironment());
        camel.getRegistry().bind("eventOrigin", new EventOrigin(signatures, Clock.systemUTC(), CIPHER));
        camel.getRegistry().bind("databaseOutage", new DatabaseOutage(new SimpleMeterRegistry()));
        camel.getRegistry().bind("partnerSync", new PartnerSync(ledger, JSON, List.of()));
        camel.getRegistry().bind("syncService", sync);
        camel.getRegistry().bind("jsonata", new MappingJsonataComponent(new MappingFiles(Path.of("mappings").toAbsolutePath(),
                Clock.systemUTC()), JSON));
        for (String file : List.of("event-origin", "database-outage", "sync-errors", "erp-sync", "crm-sync")) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:routes/" + file + ".camel.yaml"));
        }
        AdviceWith.adviceWith(camel, "syncErp", a -> {
            a.replaceFromWith("direct:erp");
            a.weaveById("callErp").replace().to("mock:erp");
        });
        AdviceWith.adviceWith(camel, "syncCrm", a -> {
            a.replaceFromWith("direct:crm");
            a.weaveById("callCrm").replace().to("mock:crm");
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void anOrderCreatedEventBecomesOneSalesOrderCallWithItsOwnHeadersAndIsRecorded() throws Exception {
        MockEndpoint erp = answering("mock:erp", 201);
        erp.expectedMessageCount(1);
        erp.expectedHeaderReceived(Exchange.HTTP_METHOD, "POST");
        erp.expectedHeaderReceived(Exchange.HTTP_PATH, "/sales-orders");
        erp.expectedHeaderReceived("Authorization", "Bearer erp-token");
        erp.expectedHeaderReceived("Content-Type", "application/json");
        String eventId = UUID.randomUUID().toString();
        send("direct:erp", event(eventId, "ORD-1", "order.created", "CREATED"));

        erp.assertIsSatisfied();
        Exchange call = erp.getReceivedExchanges().get(0);
        assertThat(call.getMessage().getHeader("Idempotency-Key")).isEqualTo(eventId + "-1");
        // none of the JMS message's own properties go to the ERP
        assertThat(call.getMessage().getHeaders()).doesNotContainKeys("eventType", "orderId", "JMSXGroupID",
                EventSignatures.PROPERTY);
        JsonNode body = JSON.readTree(call.getMessage().getBody(byte[].class));
        assertThat(body.get("salesOrderNo").asText()).isEqualTo("ORD-1");
        assertThat(body.get("total").decimalValue()).isEqualByComparingTo("42.50");
        verify(ledger).recordDelivered(eq("erp"), any(), eq(1));
    }

    @Test
    void anEventTheLedgerHasAlreadyIsNotSentAgain() throws Exception {
        String eventId = UUID.randomUUID().toString();
        when(ledger.processed("erp", eventId)).thenReturn(true);
        MockEndpoint erp = answering("mock:erp", 200);
        erp.expectedMessageCount(0);
        send("direct:erp", event(eventId, "ORD-2", "order.created", "CREATED"));

        erp.assertIsSatisfied();
        verify(ledger, never()).recordDelivered(anyString(), any(), anyInt());
    }

    @Test
    void anEventTheMappingPassesOverMakesNoCallAndNoDatabaseWork() throws Exception {
        MockEndpoint erp = answering("mock:erp", 200);
        erp.expectedMessageCount(0);
        send("direct:erp", event(UUID.randomUUID().toString(), "ORD-3", "order.allocated", "ALLOCATED"));
        // shipment events are not for the ERP's route at all (event-types)
        send("direct:erp", event(UUID.randomUUID().toString(), "ORD-3", "shipment.packed", "ALLOCATED"));

        erp.assertIsSatisfied();
        verify(ledger, never()).processed(anyString(), anyString());
        verify(ledger, never()).recordDelivered(anyString(), any(), anyInt());
    }

    @Test
    void a503IsRetriedInPlaceAndTheEventIsDeliveredOnce() throws Exception {
        MockEndpoint erp = camel.getEndpoint("mock:erp", MockEndpoint.class);
        erp.whenExchangeReceived(1, e -> answer(e, 503));
        erp.whenExchangeReceived(2, e -> answer(e, 503));
        erp.whenExchangeReceived(3, e -> answer(e, 200));
        erp.expectedMessageCount(3);
        String eventId = UUID.randomUUID().toString();
        send("direct:erp", event(eventId, "ORD-4", "order.created", "CREATED"));

        erp.assertIsSatisfied();
        assertThat(erp.getReceivedExchanges()).allSatisfy(e ->
                assertThat(e.getMessage().getHeader("Idempotency-Key")).isEqualTo(eventId + "-1"));
        verify(ledger).recordDelivered(eq("erp"), any(), eq(1));
        verify(sync, never()).deadLetter(anyString(), anyString(), any(), any());
    }

    @Test
    void a400IsADeadLetterAtOnceWithTheEventAsReceived() throws Exception {
        MockEndpoint erp = answering("mock:erp", 400);
        erp.expectedMessageCount(1);
        String payload = event(UUID.randomUUID().toString(), "ORD-5", "order.created", "CREATED");
        send("direct:erp", payload);

        erp.assertIsSatisfied();
        org.mockito.ArgumentCaptor<Exception> failure = org.mockito.ArgumentCaptor.forClass(Exception.class);
        verify(sync, timeout(5000)).deadLetter(eq("erp"), eq(payload), failure.capture(), isNull());
        assertThat(failure.getValue()).isInstanceOf(TargetRejectedException.class).hasMessageContaining("erp answered 400");
        verify(ledger, never()).recordDelivered(anyString(), any(), anyInt());
    }

    @Test
    void a500IsRetriedAFewTimesThenADeadLetter() throws Exception {
        MockEndpoint erp = answering("mock:erp", 500);
        erp.expectedMessageCount(3);
        String payload = event(UUID.randomUUID().toString(), "ORD-6", "order.created", "CREATED");
        send("direct:erp", payload);

        erp.assertIsSatisfied();
        verify(sync, timeout(5000)).deadLetter(eq("erp"), eq(payload), any(), eq(2));
    }

    @Test
    void whileTheBreakerIsOpenTheEventWaitsOnItsQueueAndIsDeliveredOnceWhenTheErpIsBack() throws Exception {
        MockEndpoint erp = answering("mock:erp", 201);
        // ten 503s open the breaker (at least 10 calls, 50 % failed); it then lets no call through for wait-seconds
        for (int i = 1; i <= 10; i++) {
            erp.whenExchangeReceived(i, e -> answer(e, 503));
        }
        erp.expectedMessageCount(11);
        String eventId = UUID.randomUUID().toString();
        send("direct:erp", event(eventId, "ORD-8", "order.created", "CREATED"));

        erp.assertIsSatisfied();
        org.apache.camel.component.resilience4j.ResilienceProcessor breaker =
                camel.getProcessor("erpBreaker", org.apache.camel.component.resilience4j.ResilienceProcessor.class);
        // it opened on the way: half open (letting trial calls through) is reached from open only
        assertThat(breaker.getCircuitBreakerState()).isEqualTo("HALF_OPEN");
        assertThat(erp.getReceivedExchanges()).allSatisfy(e ->
                assertThat(e.getMessage().getHeader("Idempotency-Key")).isEqualTo(eventId + "-1"));
        verify(ledger).recordDelivered(eq("erp"), any(), eq(1));
        verify(sync, never()).deadLetter(anyString(), anyString(), any(), any());
    }

    @Test
    void aSecondCallThatFailsUntilTheBreakerOpensIsStillMadeAndTheEventRecordedOnlyThen() throws Exception {
        // SHIPPED: the status update, then the invoice; the invoice is answered 503 twelve times (the breaker opens on
        // the way), then 201. The event counts as delivered only when both calls were taken.
        java.util.concurrent.atomic.AtomicInteger invoices = new java.util.concurrent.atomic.AtomicInteger();
        MockEndpoint erp = camel.getEndpoint("mock:erp", MockEndpoint.class);
        erp.whenAnyExchangeReceived(e -> answer(e, "/invoices".equals(e.getMessage().getHeader(Exchange.HTTP_PATH))
                && invoices.incrementAndGet() <= 12 ? 503 : 200));
        String eventId = UUID.randomUUID().toString();
        send("direct:erp", event(eventId, "ORD-9", "order.shipped", "SHIPPED"));

        assertThat(invoices.get()).isEqualTo(13);
        List<String> invoiceKeys = erp.getReceivedExchanges().stream()
                .filter(e -> "/invoices".equals(e.getMessage().getHeader(Exchange.HTTP_PATH)))
                .map(e -> e.getMessage().getHeader("Idempotency-Key", String.class)).distinct().toList();
        assertThat(invoiceKeys).containsExactly(eventId + "-2");
        // the failed call is retried in place (Camel's error handler on the circuitBreaker step): the status update
        // that was taken is not sent again
        List<String> statusKeys = erp.getReceivedExchanges().stream()
                .filter(e -> "PUT".equals(e.getMessage().getHeader(Exchange.HTTP_METHOD)))
                .map(e -> e.getMessage().getHeader("Idempotency-Key", String.class)).toList();
        assertThat(statusKeys).containsExactly(eventId + "-1");
        verify(ledger).recordDelivered(eq("erp"), any(), eq(2));
        verify(sync, never()).deadLetter(anyString(), anyString(), any(), any());
    }

    @Test
    void theCrmGetsTwoUpsertsPerOrderEventAndNothingForASupersededEvent() throws Exception {
        MockEndpoint crm = answering("mock:crm", 200);
        crm.expectedMessageCount(2);
        crm.expectedHeaderValuesReceivedInAnyOrder(Exchange.HTTP_PATH,
                "/services/data/v60.0/sobjects/Account/OrderHub_Customer_Id__c/webshop-CUST-1",
                "/services/data/v60.0/sobjects/OrderHub_Order__c/OrderHub_Order_Id__c/ORD-7");
        String current = UUID.randomUUID().toString();
        send("direct:crm", event(current, "ORD-7", "order.created", "CREATED"));
        String superseded = UUID.randomUUID().toString();
        when(ledger.laterOrderEventCommitted("ORD-7", superseded)).thenReturn(true);
        send("direct:crm", event(superseded, "ORD-7", "order.created", "CREATED"));

        crm.assertIsSatisfied();
        assertThat(crm.getReceivedExchanges()).allSatisfy(e ->
                assertThat(e.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("PATCH"));
        verify(ledger).recordDelivered(eq("crm"), any(), eq(2));
    }

    private MockEndpoint answering(String uri, int status) {
        MockEndpoint mock = camel.getEndpoint(uri, MockEndpoint.class);
        mock.whenAnyExchangeReceived(e -> answer(e, status));
        return mock;
    }

    private static void answer(Exchange e, int status) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setBody(status < 300 ? "{}" : "{\"error\":\"status " + status + "\"}");
    }

    /**
     * Sends the event as the outbox relay publishes it: sealed under the key ring, signed, with its type and order id
     * as properties. The dead letters the tests expect hold it opened.
     */
    private void send(String uri, String payload) throws Exception {
        JsonNode e = JSON.readTree(payload);
        String type = e.get("type").asText();
        String orderId = e.get("orderId").asText();
        String sealed = CIPHER.sealText(payload);
        producer.sendBodyAndHeaders(uri, sealed, Map.of("eventType", type, "orderId", orderId, "JMSXGroupID", orderId,
                EventSignatures.PROPERTY, signatures.sign(type, orderId, sealed)));
    }

    private static String event(String eventId, String orderId, String type, String status) {
        return """
                {"eventId":"%s","orderId":"%s","type":"%s","status":"%s","at":"2026-12-06T10:00:00Z",
                 "data":{"order":{"orderId":"%s","channel":"webshop","externalId":"W-1","orderDate":"2026-12-06T09:00:00Z",
                  "currency":"EUR","status":"%s","customer":{"externalId":"CUST-1","name":"Erika Mustermann","email":"e@example.com"},
                  "shipTo":{"name":"Erika","line1":"Str 1","city":"Berlin","postalCode":"10115","country":"DE"},
                  "lines":[{"lineNo":1,"sku":"MUG","quantity":1,"uom":"EA","unitPrice":40.00,"lineTotal":40.00}],
                  "totals":{"subtotal":40.00,"discount":0,"shipping":2.50,"tax":0,"grandTotal":42.50},
                  "payment":{"method":"invoice","terms":"NET30"}}}}
                """.formatted(eventId, orderId, type, status, orderId, status);
    }
}
