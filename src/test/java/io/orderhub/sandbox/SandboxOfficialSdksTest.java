package io.orderhub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.easypost.exception.API.InvalidRequestError;
import com.easypost.exception.API.NotFoundError;
import com.easypost.model.Shipment;
import com.easypost.model.Tracker;
import com.easypost.model.TrackingDetail;
import com.easypost.service.EasyPostClient;
import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeCollection;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.RefundCreateParams;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The sandboxes as integrations see them through the official SDKs (issue 20, section 4): Stripe's Java SDK
 * ({@code com.stripe:stripe-java}) and EasyPost's ({@code com.easypost:easypost-api-client}) pointed at the sandbox
 * gateway and carrier. What they call works; what the sandbox lacks is answered in the emulated API's own error
 * shape, so the SDK raises its own typed error (never a parse failure); every answer carries the API's request id.
 */
class SandboxOfficialSdksTest extends HubTestSupport {

    @Value("${orderhub.sandbox.carrier.api-key}")
    String carrierKey;

    private StripeClient stripe() {
        return StripeClient.builder().setApiKey("sk_test_sdk").setMaxNetworkRetries(0)
                .setApiBase("http://127.0.0.1:" + port + "/sandbox/payment/stripe").build();
    }

    /**
     * EasyPost's SDK speaks HTTPS only (it casts its connection to HttpsURLConnection): the test puts a TLS proxy
     * (WireMock with its self-signed certificate, trusted for this test only) in front of the hub's HTTP port, as a
     * user puts the hub behind TLS (docs/shipping.md).
     */
    private <T> T throughTls(ThrowingFunction<EasyPostClient, T> use) throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer tls = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().port(0).dynamicHttpsPort());
        tls.start();
        javax.net.ssl.SSLSocketFactory factory = javax.net.ssl.HttpsURLConnection.getDefaultSSLSocketFactory();
        javax.net.ssl.HostnameVerifier verifier = javax.net.ssl.HttpsURLConnection.getDefaultHostnameVerifier();
        try {
            tls.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                    com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(
                    com.github.tomakehurst.wiremock.client.WireMock.aResponse().proxiedFrom("http://127.0.0.1:" + port)));
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
            javax.net.ssl.HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> "localhost".equals(host));
            return use.apply(new EasyPostClient(carrierKey, 5_000, 10_000,
                    "https://localhost:" + tls.httpsPort() + "/sandbox/carrier"));
        } finally {
            javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(factory);
            javax.net.ssl.HttpsURLConnection.setDefaultHostnameVerifier(verifier);
            tls.stop();
        }
    }

    interface ThrowingFunction<A, B> {
        B apply(A a) throws Exception;
    }

    // --- Stripe ---

    @Test
    void stripeCreateConfirmCancelListAndRefundThroughTheSdk() throws StripeException {
        StripeClient stripe = stripe();
        PaymentIntent open = stripe.paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(8500L)
                .setCurrency("eur").setPaymentMethod("pm_card_visa").putMetadata("orderId", "ORD-SDK-1").build());
        assertThat(open.getStatus()).isEqualTo("requires_confirmation");
        assertThat(open.getLastResponse().headers().firstValue("Request-Id")).hasValueSatisfying(
                id -> assertThat(id).startsWith("req_"));

        PaymentIntent confirmed = stripe.paymentIntents().confirm(open.getId(), PaymentIntentConfirmParams.builder().build());
        assertThat(confirmed.getStatus()).isEqualTo("succeeded");
        assertThat(confirmed.getAmountReceived()).isEqualTo(8500L);
        // confirming twice is Stripe's unexpected-state error
        assertThatThrownBy(() -> stripe.paymentIntents().confirm(open.getId(), PaymentIntentConfirmParams.builder().build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state");
                    assertThat(e.getStatusCode()).isEqualTo(400);
                });

        PaymentIntent other = stripe.paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(1200L)
                .setCurrency("eur").setPaymentMethod("pm_card_visa").build());
        PaymentIntent canceled = stripe.paymentIntents().cancel(other.getId(), PaymentIntentCancelParams.builder()
                .setCancellationReason(PaymentIntentCancelParams.CancellationReason.ABANDONED).build());
        assertThat(canceled.getStatus()).isEqualTo("canceled");
        assertThat(canceled.getCancellationReason()).isEqualTo("abandoned");
        // a succeeded intent cannot be canceled
        assertThatThrownBy(() -> stripe.paymentIntents().cancel(open.getId()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state"));

        StripeCollection<PaymentIntent> newest = stripe.paymentIntents().list(PaymentIntentListParams.builder().setLimit(2L).build());
        assertThat(newest.getData()).extracting(PaymentIntent::getId).containsExactly(other.getId(), open.getId());
        assertThat(newest.getHasMore()).isTrue();
        StripeCollection<PaymentIntent> next = stripe.paymentIntents().list(PaymentIntentListParams.builder().setLimit(1L)
                .setStartingAfter(other.getId()).build());
        assertThat(next.getData()).extracting(PaymentIntent::getId).containsExactly(open.getId());

        Refund refund = stripe.refunds().create(RefundCreateParams.builder().setPaymentIntent(open.getId()).setAmount(500L).build());
        Refund again = stripe.refunds().retrieve(refund.getId());
        assertThat(again.getAmount()).isEqualTo(500L);
        assertThat(again.getPaymentIntent()).isEqualTo(open.getId());
        assertThat(again.getStatus()).isEqualTo("succeeded");
    }

    @Test
    void stripeDeclinedConfirmAndUnknownObjectsAreStripesOwnErrors() throws StripeException {
        StripeClient stripe = stripe();
        PaymentIntent open = stripe.paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(700L)
                .setCurrency("eur").setPaymentMethod("pm_card_chargeDeclined").build());
        assertThatThrownBy(() -> stripe.paymentIntents().confirm(open.getId()))
                .isInstanceOfSatisfying(com.stripe.exception.CardException.class, e -> {
                    assertThat(e.getDeclineCode()).isEqualTo("generic_decline");
                    assertThat(e.getRequestId()).startsWith("req_");
                });
        assertThatThrownBy(() -> stripe.refunds().retrieve("re_nothere"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("resource_missing");
                });
        // calls the sandbox does not emulate: Stripe's 404, which the SDK turns into its own exception
        assertThatThrownBy(() -> stripe.customers().retrieve("cus_123"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getStripeError().getType()).isEqualTo("invalid_request_error");
                    assertThat(e.getMessage()).contains("Unrecognized request URL (GET: /v1/customers/cus_123)");
                });
        assertThatThrownBy(() -> stripe.paymentIntents().capture(open.getId()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }

    @Test
    void everyUnknownSandboxPathAnswersInTheEmulatedApisShape() throws Exception {
        for (String method : List.of("GET", "POST", "DELETE", "PUT")) {
            HttpResponse<String> s = raw(method, "/sandbox/payment/stripe/v1/no/such/thing", "Bearer sk_test_x");
            assertThat(s.statusCode()).as(method).isEqualTo(404);
            assertThat(json.readTree(s.body()).path("error").path("type").asText()).as(s.body()).isEqualTo("invalid_request_error");
            assertThat(s.headers().firstValue("Request-Id")).isPresent();
            HttpResponse<String> e = raw(method, "/sandbox/carrier/v2/no/such/thing", "Bearer " + carrierKey);
            assertThat(e.statusCode()).as(method).isEqualTo(404);
            assertThat(json.readTree(e.body()).path("error").path("code").asText()).as(e.body()).isEqualTo("NOT_FOUND");
            assertThat(json.readTree(e.body()).path("error").path("errors").isArray()).isTrue();
            assertThat(e.headers().firstValue("X-Ep-Request-Uuid")).isPresent();
        }
        // a method a known path does not take
        HttpResponse<String> delete = raw("DELETE", "/sandbox/payment/stripe/v1/payment_intents/pi_1", "Bearer sk_test_x");
        assertThat(json.readTree(delete.body()).path("error").path("message").asText())
                .startsWith("Unrecognized request URL (DELETE: /v1/payment_intents/pi_1)");
    }

    // --- EasyPost ---

    @Test
    void easypostShipmentBuyTrackerCreateAndTrackingDetailsThroughTheSdk() throws Exception {
        throughTls(client -> {
            easypostCalls(client);
            return null;
        });
    }

    private void easypostCalls(EasyPostClient client) throws Exception {
        Map<String, Object> shipment = new HashMap<>();
        shipment.put("to_address", Map.of("name", "Ada", "street1", "1 Main St", "city", "Springfield", "zip", "12345",
                "country", "US"));
        shipment.put("from_address", Map.of("name", "OrderHub", "street1", "2 Dock Rd", "city", "Portland", "zip", "97201",
                "country", "US"));
        shipment.put("parcel", Map.of("weight", 16.0));
        Shipment created = client.shipment.create(shipment);
        assertThat(created.getRates()).hasSize(2);
        Shipment bought = client.shipment.buy(created.getId(), created.lowestRate());
        String code = bought.getTrackingCode();
        assertThat(code).isNotBlank();

        Tracker tracker = client.tracker.create(Map.of("tracking_code", code, "carrier", bought.getSelectedRate().getCarrier()));
        assertThat(tracker.getId()).startsWith("trk_");
        assertThat(tracker.getTrackingCode()).isEqualTo(code);
        // the parcel moves on with the sandbox's clock: the details are each step reached so far, in order
        List<TrackingDetail> details = tracker.getTrackingDetails();
        assertThat(details).isNotEmpty();
        assertThat(details).extracting(TrackingDetail::getStatus)
                .isSubsetOf("pre_transit", "in_transit", "out_for_delivery", "delivered").startsWith("pre_transit");
        assertThat(details.get(details.size() - 1).getStatus()).isEqualTo(tracker.getStatus());
        assertThat(details).allSatisfy(d -> assertThat(d.getDatetime()).isNotNull());

        Tracker same = client.tracker.retrieve(tracker.getId());
        assertThat(same.getTrackingCode()).isEqualTo(code);
        assertThat(same.getTrackingDetails()).extracting(TrackingDetail::getStatus).startsWith("pre_transit");

        assertThatThrownBy(() -> client.tracker.create(Map.of("tracking_code", "EZ-NOT-SOLD-" + UUID.randomUUID())))
                .isInstanceOfSatisfying(InvalidRequestError.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(422);
                    assertThat(e.getCode()).isEqualTo("TRACKER.TRACKING_CODE.INVALID");
                });
        // a call the sandbox does not emulate: EasyPost's own 404, the SDK's NotFoundError
        assertThatThrownBy(() -> client.address.retrieve("adr_123"))
                .isInstanceOfSatisfying(NotFoundError.class, e -> assertThat(e.getCode()).isEqualTo("NOT_FOUND"));
    }

    private HttpResponse<String> raw(String method, String path, String auth) throws Exception {
        HttpRequest.BodyPublisher body = method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("a=1");
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", auth)
                .header("Content-Type", "application/x-www-form-urlencoded").method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
