package io.orderhub.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The relay after a crash between publishing a batch and marking it published: the batch goes out again, mixed
 * with new events. The broker's duplicate detection refuses the events it has (found by CrashAfterCommitTest and
 * KillDuringIngestTest: the relay sent the same refused batch forever and orders stayed CREATED); the publisher
 * must count those as published and still send the new ones.
 */
class EventPublisherResendTest extends HubTestSupport {

    @Autowired
    EventPublisher publisher;

    @Test
    void aBatchSentAgainAfterACrashIsPublishedAndItsNewEventsGoOut() {
        // a real order, so that the subscribers (ERP, CRM sync) see an ordinary event of an existing order
        Response created = postJson("/api/orders", WEBSHOP_KEY, order());
        assertThat(created.status()).isEqualTo(201);
        orderId = created.body().get("orderId").asText();
        orderJson = created.text();
        Outbox.PendingEvent sentBefore = event(-1);
        assertThat(publisher.publish(List.of(sentBefore))).containsExactly(-1L);

        Outbox.PendingEvent fresh = event(-2);
        assertThat(publisher.publish(List.of(sentBefore, fresh))).containsExactly(-1L, -2L);
        // the fresh one is on the broker now: sending it again is a duplicate as well, not a failure
        assertThat(publisher.publish(List.of(fresh))).containsExactly(-2L);
    }

    private String orderId;
    private String orderJson;

    private Outbox.PendingEvent event(long id) {
        String eventId = UUID.randomUUID().toString();
        // an event of a type no stage acts on (the stage queues filter by type), with the order as its data
        return new Outbox.PendingEvent(id, eventId, orderId, "order.noted", "{\"eventId\":\"" + eventId
                + "\",\"orderId\":\"" + orderId + "\",\"type\":\"order.noted\",\"status\":\"CONFIRMED\",\"at\":\""
                + java.time.Instant.now() + "\",\"data\":{\"order\":" + orderJson + "}}");
    }
}
