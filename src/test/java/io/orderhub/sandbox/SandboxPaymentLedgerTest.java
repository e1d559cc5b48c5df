package io.orderhub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderhub.sandbox.SandboxPaymentLedger.Answer;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The sandbox gateways' idempotency memory in the database, on H2 and PostgreSQL. */
class SandboxPaymentLedgerTest extends HubTestSupport {

    @Autowired
    SandboxPaymentLedger ledger;

    private final AtomicInteger carriedOut = new AtomicInteger();

    private Answer charge() {
        return new Answer(200, Map.of("id", "pi_" + carriedOut.incrementAndGet()));
    }

    @Test
    void aKeyIsCarriedOutOnceAndAnsweredAgainWithTheFirstAnswer() {
        String key = UUID.randomUUID().toString();
        SandboxPaymentLedger.Outcome first = ledger.once("stripe", key, "charge 5119 eur", this::charge);
        SandboxPaymentLedger.Outcome again = ledger.once("stripe", key, "charge 5119 eur", this::charge);
        SandboxPaymentLedger.Outcome other = ledger.once("stripe", key, "charge 9999 eur", this::charge);

        assertThat(first).isInstanceOf(SandboxPaymentLedger.First.class);
        assertThat(again).isInstanceOf(SandboxPaymentLedger.Replayed.class);
        assertThat(((SandboxPaymentLedger.Replayed) again).answer())
                .isEqualTo(((SandboxPaymentLedger.First) first).answer());
        assertThat(other).isInstanceOf(SandboxPaymentLedger.OtherRequest.class);
        assertThat(carriedOut).hasValue(1);
        // another gateway's key space
        assertThat(ledger.once("adyen", key, "charge 5119 eur", this::charge)).isInstanceOf(SandboxPaymentLedger.First.class);
    }

    @Test
    void aFirstRequestInFlightMakesTheSecondWaitAndOneAbandonedByADeadHubIsCarriedOutAgain() {
        String key = UUID.randomUUID().toString();
        jdbc.update("insert into sandbox_payment_keys (gateway, idempotency_key, fingerprint, status, created_at) "
                + "values ('stripe', ?, 'charge', 0, ?)", key, Timestamp.from(Instant.now()));
        assertThat(ledger.once("stripe", key, "charge", this::charge)).isInstanceOf(SandboxPaymentLedger.InFlight.class);
        assertThat(carriedOut).hasValue(0);

        // the hub that took the key died before it answered
        jdbc.update("update sandbox_payment_keys set created_at = ? where idempotency_key = ?",
                Timestamp.from(Instant.now().minus(Duration.ofMinutes(5))), key);
        assertThat(ledger.once("stripe", key, "charge", this::charge)).isInstanceOf(SandboxPaymentLedger.First.class);
        assertThat(ledger.once("stripe", key, "charge", this::charge)).isInstanceOf(SandboxPaymentLedger.Replayed.class);
        assertThat(carriedOut).hasValue(1);
    }

    @Test
    void aRequestThatFailsFreesItsKeyAndLeavesNothing() {
        String key = UUID.randomUUID().toString();
        String id = "pi_" + key;
        assertThatThrownBy(() -> ledger.once("stripe", key, "charge", () -> {
            ledger.save("stripe", id, Map.of("id", id));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(ledger.find("stripe", id)).isEmpty();
        assertThat(ledger.once("stripe", key, "charge", this::charge)).isInstanceOf(SandboxPaymentLedger.First.class);
    }

    @Test
    void refundsNeverExceedThePayment() {
        String id = "pi_" + UUID.randomUUID();
        ledger.save("stripe", id, Map.of("id", id, "amount", 1000));
        assertThat(ledger.refund("stripe", id, 600, 1000)).isTrue();
        assertThat(ledger.refund("stripe", id, 600, 1000)).isFalse();
        assertThat(ledger.refund("stripe", id, 400, 1000)).isTrue();
        assertThat(ledger.refunded("stripe", id)).isEqualTo(1000);
    }
}
