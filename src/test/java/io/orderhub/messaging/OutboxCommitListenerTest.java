package io.orderhub.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox tells its listeners (the relay's schedule, RelaySchedule) when a transaction that appended events has
 * committed, once per append, and never for a transaction that rolled back.
 */
class OutboxCommitListenerTest extends HubTestSupport {

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;

    @Test
    void listenersHearOfCommitsOnlyAfterTheCommit() {
        AtomicInteger heard = new AtomicInteger();
        outbox.onCommit(heard::incrementAndGet);
        String orderId = "ORD-CL" + System.nanoTime() % 100_000_000;

        int before = heard.get();
        tx.executeWithoutResult(s -> {
            outbox.append(orderId, "test.committed", "CREATED", Map.of());
            assertThat(heard.get()).as("nothing before the commit").isEqualTo(before);
        });
        assertThat(heard.get()).isEqualTo(before + 1);

        tx.executeWithoutResult(s -> {
            outbox.append(orderId, "test.rolled-back", "CREATED", Map.of());
            s.setRollbackOnly();
        });
        assertThat(heard.get()).as("a rolled back append wakes nobody").isEqualTo(before + 1);
        // the test's rows are published by the relay like any other; nothing is left unpublished for long
        jdbc.update("update outbox set published_at = current_timestamp where order_id = ? and published_at is null", orderId);
    }
}
