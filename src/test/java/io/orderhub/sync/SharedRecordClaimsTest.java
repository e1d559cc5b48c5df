package io.orderhub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.orderhub.support.HubTestSupport;
import io.orderhub.sync.SyncLedger.Claim;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The claims on records that the events of several orders write (the CRM's Account, {@code partner_records}): the
 * newest event sends, one consumer at a time, and an older state is never sent after a newer one, whatever order
 * the consumers take the events in.
 */
class SharedRecordClaimsTest extends HubTestSupport {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @Autowired
    SyncLedger ledger;

    private static String record() {
        return "Account/OrderHub_Customer_Id__c/webshop-" + UUID.randomUUID();
    }

    private static String event() {
        return UUID.randomUUID().toString();
    }

    private void outcome(String eventId) {
        ledger.recordDelivered("crm", new SyncLedger.Event(eventId, "ORD-SR" + eventId.substring(0, 8), "order.created",
                "CREATED", "{}"), 1);
    }

    @Test
    void theNewestEventSendsAndHoldsTheRecordUntilItsOutcomeIsRecorded() {
        String record = record();
        String first = event();
        assertThat(ledger.claimRecord("crm", record, first, T0.plusSeconds(10), LEASE)).isEqualTo(Claim.CLAIMED);
        assertThat(ledger.claimRecord("crm", record, first, T0.plusSeconds(10), LEASE)).as("the same event again")
                .isEqualTo(Claim.CLAIMED);
        assertThat(ledger.claimRecord("crm", record, event(), T0.plusSeconds(5), LEASE)).as("an older event")
                .isEqualTo(Claim.SUPERSEDED);
        String newer = event();
        assertThat(ledger.claimRecord("crm", record, newer, T0.plusSeconds(20), LEASE)).as("while the first sends")
                .isEqualTo(Claim.BUSY);
        assertThat(ledger.claimRecord("crm", record, event(), T0.plusSeconds(15), LEASE))
                .as("an event older than the one that waits need not wait").isEqualTo(Claim.SUPERSEDED);
        assertThat(ledger.claimRecord("crm", record(), newer, T0.plusSeconds(20), LEASE)).as("another record")
                .isEqualTo(Claim.CLAIMED);

        outcome(first);
        assertThat(ledger.claimRecord("crm", record, newer, T0.plusSeconds(20), LEASE)).isEqualTo(Claim.CLAIMED);
        outcome(newer);
        assertThat(ledger.claimRecord("crm", record, first, T0.plusSeconds(10), LEASE))
                .as("the first event redelivered after the newer one was sent").isEqualTo(Claim.SUPERSEDED);
        assertThat(ledger.claimRecord("erp", record, first, T0.plusSeconds(10), LEASE)).as("another partner's record")
                .isEqualTo(Claim.CLAIMED);
        assertThat(jdbc.queryForObject("select count(*) from partner_records where record_hash like ?", Integer.class,
                "%webshop%")).as("records are named by a keyed hash only").isZero();
    }

    @Test
    void aLapsedClaimGoesToTheNextEventAndItsHolderCannotKeepIt() {
        String record = record();
        String stuck = event();
        assertThat(ledger.claimRecord("crm", record, stuck, T0, Duration.ZERO)).isEqualTo(Claim.CLAIMED);
        assertThat(ledger.holdRecord("crm", record, stuck, LEASE)).as("a retry keeps its own claim").isTrue();
        assertThat(ledger.claimRecord("crm", record, stuck, T0, Duration.ZERO)).isEqualTo(Claim.CLAIMED);

        String newer = event();
        assertThat(ledger.claimRecord("crm", record, newer, T0.plusSeconds(1), LEASE)).isEqualTo(Claim.CLAIMED);
        assertThat(ledger.holdRecord("crm", record, stuck, LEASE)).as("the stuck event lost it").isFalse();
        assertThat(ledger.claimRecord("crm", record, stuck, T0, LEASE)).isEqualTo(Claim.SUPERSEDED);
    }

    @Test
    void eventsOfOneInstantAreOrderedByTheirIds() {
        String record = record();
        String a = "00000000-0000-0000-0000-00000000000a";
        String b = "00000000-0000-0000-0000-00000000000b";
        assertThat(ledger.claimRecord("crm", record, b, T0, LEASE)).isEqualTo(Claim.CLAIMED);
        outcome(b);
        assertThat(ledger.claimRecord("crm", record, a, T0, LEASE)).isEqualTo(Claim.SUPERSEDED);
    }

    /**
     * Eight consumers take 80 events of one customer in random order, each sending the Account when its claim lets
     * it: the sends never overlap and their states only move forward, and the newest event always sends.
     */
    @Test
    void consumersInParallelNeverSendAnOlderStateAfterANewerOne() throws Exception {
        String record = record();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            times.add(T0.plusMillis(i));
        }
        Collections.shuffle(times, new Random(7));
        List<Instant> sent = Collections.synchronizedList(new ArrayList<>());
        int[] inside = new int[1];
        int[] overlaps = new int[1];
        ExecutorService consumers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Instant at : times) {
                done.add(consumers.submit(() -> {
                    String eventId = event();
                    Claim claim;
                    while ((claim = ledger.claimRecord("crm", record, eventId, at, LEASE)) == Claim.BUSY) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    if (claim == Claim.CLAIMED) {
                        synchronized (inside) {
                            if (inside[0]++ > 0) {
                                overlaps[0]++;
                            }
                        }
                        sent.add(at);
                        LockSupport.parkNanos(200_000); // the call to the CRM
                        synchronized (inside) {
                            inside[0]--;
                        }
                    }
                    outcome(eventId);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            consumers.shutdownNow();
        }
        assertThat(overlaps[0]).as("two consumers sent the record at once").isZero();
        assertThat(sent).isSorted().doesNotHaveDuplicates().contains(T0.plusMillis(79));
    }
}
