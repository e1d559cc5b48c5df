package io.orderhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The contract checker itself finds what departs from the document (so the REST tests' checks can fail). */
class ApiContractTest {

    private static final String PROBLEM = "application/problem+json";

    private final ApiContract contract = ApiContract.shared();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static URI uri(String path) {
        return URI.create("http://localhost" + path);
    }

    @Test
    void aConformingExchangePasses() {
        assertThat(contract.check("GET", uri("/api/ops/broker/dead-letters"), null, null, 200, "application/json",
                bytes("{\"queues\":{\"DLQ\":0}}"))).isEmpty();
        assertThat(contract.check("GET", uri("/api/orders/ORD-1"), null, null, 404, PROBLEM,
                bytes("{\"type\":\"t\",\"title\":\"Not found\",\"status\":404}"))).isEmpty();
    }

    @Test
    void anUndocumentedStatusAWrongMediaTypeAndANonConformingBodyAreFound() {
        assertThat(contract.check("GET", uri("/api/ops/broker/dead-letters"), null, null, 418, "application/json",
                bytes("{}"))).singleElement().asString().contains("status 418 is not documented");
        assertThat(contract.check("GET", uri("/api/orders/ORD-1"), null, null, 404, "application/json",
                bytes("{\"type\":\"t\",\"title\":\"x\",\"status\":404}"))).singleElement().asString()
                .contains("media type");
        assertThat(contract.check("GET", uri("/api/ops/broker/dead-letters"), null, null, 200, "application/json",
                bytes("{\"queues\":{\"DLQ\":\"many\"}}"))).isNotEmpty();
        assertThat(contract.check("GET", uri("/api/orders/ORD-1"), null, null, 404, PROBLEM,
                bytes("{\"status\":404}"))).isNotEmpty();
    }

    @Test
    void anAcceptedRequestMustConformAndAnUnknownPathOrMethodMustBeRefused() {
        // the hub accepted an order the contract calls invalid: the document (or the hub) is wrong
        assertThat(contract.check("POST", uri("/api/orders"), "application/json", bytes("{\"externalId\":1}"), 201,
                "application/json", bytes("{}"))).isNotEmpty();
        assertThat(contract.check("GET", uri("/api/orders?size=0"), null, null, 200, "application/json",
                bytes("{\"items\":[],\"page\":0,\"size\":0,\"totalItems\":0,\"totalPages\":0}")))
                .anySatisfy(p -> assertThat(p).contains("size"));
        assertThat(contract.check("GET", uri("/api/no-such-thing"), null, null, 200, "application/json", bytes("{}")))
                .anySatisfy(p -> assertThat(p).contains("must be 404"));
        assertThat(contract.check("PATCH", uri("/api/orders"), null, null, 405, PROBLEM,
                bytes("{\"type\":\"t\",\"title\":\"x\",\"status\":405}"))).isEmpty();
    }
}
