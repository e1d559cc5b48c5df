package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Retention blanks the raw document of old receipts whose orders are finished (not of open ones),
 * deletes old published outbox rows, and runs on one instance at a time.
 */
class RetentionTest extends HubTestSupport {

    @Autowired
    Retention retention;

    @Test
    void oldDocumentsOfFinishedOrdersAndOldPublishedEventsGo() {
        Response finished = postJson("/api/orders", WEBSHOP_KEY, order());
        String finishedId = finished.body().get("orderId").asText();
        String finishedReceipt = finished.header("X-Receipt-Id");
        postJson("/api/orders/" + finishedId + "/cancel", WEBSHOP_KEY, "");
        Response open = postJson("/api/orders", WEBSHOP_KEY, order());
        String openReceipt = open.header("X-Receipt-Id");
        String openId = open.body().get("orderId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from outbox where order_id in (?, ?) and published_at is null", Integer.class,
                finishedId, openId) == 0);

        Timestamp longAgo = Timestamp.from(Instant.now().minus(Duration.ofDays(400)));
        jdbc.update("update receipts set received_at = ? where receipt_id in (?, ?)", longAgo, finishedReceipt, openReceipt);
        jdbc.update("update outbox set published_at = ? where order_id = ?", longAgo, finishedId);

        Retention.Result result = retention.runOnce();
        assertThat(result.ran()).isTrue();
        assertThat(result.receipts()).isGreaterThanOrEqualTo(1);
        assertThat(result.events()).isGreaterThanOrEqualTo(2);

        assertThat(jdbc.queryForObject("select octet_length(body) from receipts where receipt_id = ?", Integer.class,
                finishedReceipt)).isZero();
        assertThat(jdbc.queryForObject("select octet_length(body) from receipts where receipt_id = ?", Integer.class,
                openReceipt)).as("the order of this receipt is still open").isPositive();
        assertThat(get("/api/receipts/" + finishedReceipt + "/content", WEBSHOP_KEY).status()).isEqualTo(410);
        assertThat(get("/api/receipts/" + finishedReceipt, WEBSHOP_KEY).body().get("checksum").asText()).isNotBlank();
        assertThat(postJson("/api/receipts/" + finishedReceipt + "/replay", OPS_KEY, "").status()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from outbox where order_id = ?", Integer.class, finishedId)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from outbox where order_id = ?", Integer.class, openId)).isPositive();
        assertThat(get("/api/orders/" + finishedId + "/events", WEBSHOP_KEY).body()).hasSizeGreaterThanOrEqualTo(2);
    }
}
