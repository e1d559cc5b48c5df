package io.orderhub.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.orderhub.support.HubTestSupport;
import io.orderhub.sync.SyncTargetsServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sandbox carriers of two hub instances on one database are one carrier: a parcel's tracking steps are sent
 * by one of them, not by each (before, every instance's sandbox sent every step of every parcel). The other
 * instance's sandbox, busy sending a parcel's steps, is played by a transaction holding the parcel's row; this
 * instance's sandbox then sends nothing for it. Its webhooks go to the suite's WireMock server.
 */
class SandboxCarrierSharedTest extends HubTestSupport {

    @Autowired
    NamedParameterJdbcTemplate named;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    ObjectMapper mapper;
    @Autowired
    Clock clock;
    @Autowired
    Environment env;

    @Test
    void aParcelWhoseStepsAnotherInstanceIsSendingIsLeftToIt() throws Exception {
        WireMockServer wiremock = SyncTargetsServer.server();
        String hook = "/carrier-hook-" + UUID.randomUUID();
        wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(hook)).willReturn(aResponse().withStatus(200)));
        SandboxCarrier other = carrier(hook);
        String id = "shp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        // bought long ago: every step is due
        jdbc.update("""
                insert into sandbox_carrier_shipments (id, request, to_postal_code, rate_id, carrier, service, tracking_code,
                    created_at, purchased_at)
                values (?, '{"parcel":{"weight":10}}', '51147', ?, 'SandboxPost', 'Ground', ?, ?, ?)
                """, id, "rate_" + id.substring(4) + "g", "SBX" + id.substring(4, 20).toUpperCase(),
                Timestamp.from(Instant.now().minusSeconds(3600)), Timestamp.from(Instant.now().minusSeconds(3600)));
        int sentBefore = sentRank(id);

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> otherInstance = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions)
                .executeWithoutResult(s -> {
                    jdbc.queryForList("select id from sandbox_carrier_shipments where id = ? for update", id);
                    locked.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            other.tick();
            assertThat(wiremock.findAll(postRequestedFor(urlEqualTo(hook)))).as("steps sent meanwhile by this instance")
                    .isEmpty();
        } finally {
            release.countDown();
            otherInstance.get(30, TimeUnit.SECONDS);
        }
        // once the row is free, the steps still due are sent, once each, in order
        // (this hub's own sandbox carrier ticks too: whichever takes the row sends them)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            other.tick();
            return sentRank(id) == SandboxCarrier.STEPS.size();
        });
        int due = SandboxCarrier.STEPS.size() - sentBefore;
        assertThat(wiremock.findAll(postRequestedFor(urlEqualTo(hook))).size()).isLessThanOrEqualTo(due);
    }

    @Test
    void aStepClaimedByALiveInstanceWaitsAndOneWhoseSenderDiedIsSentWhenItsClaimRunsOut() {
        WireMockServer wiremock = SyncTargetsServer.server();
        String hook = "/carrier-hook-" + UUID.randomUUID();
        wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(hook)).willReturn(aResponse().withStatus(200)));
        SandboxCarrier other = carrier(hook);
        // three steps sent, the last (delivered) claimed by an instance still sending it
        String claimed = boughtLongAgo(3, Instant.now().plusSeconds(60));
        other.tick();
        assertThat(sentRank(claimed)).isEqualTo(3);
        assertThat(wiremock.findAll(postRequestedFor(urlEqualTo(hook)))).as("nothing sent for a live claim").isEmpty();

        // the same, but the claiming instance died (kill -9 between claim and send): its claim runs out
        String orphaned = boughtLongAgo(3, Instant.now().minusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            other.tick();
            return sentRank(orphaned) == SandboxCarrier.STEPS.size();
        });
        assertThat(sentRank(claimed)).as("the live claim still holds").isEqualTo(3);
    }

    /** A parcel bought an hour ago (every step due) with {@code sent} steps sent and the next claimed until {@code until}. */
    private String boughtLongAgo(int sent, Instant until) {
        String id = "shp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        jdbc.update("""
                insert into sandbox_carrier_shipments (id, request, to_postal_code, rate_id, carrier, service, tracking_code,
                    created_at, purchased_at, sent_rank, sending_until)
                values (?, '{"parcel":{"weight":10}}', '51147', ?, 'SandboxPost', 'Ground', ?, ?, ?, ?, ?)
                """, id, "rate_" + id.substring(4) + "g", "SBX" + id.substring(4, 20).toUpperCase(),
                Timestamp.from(Instant.now().minusSeconds(3600)), Timestamp.from(Instant.now().minusSeconds(3600)), sent,
                Timestamp.from(until));
        return id;
    }

    private SandboxCarrier carrier(String hook) {
        return new SandboxCarrier(named, mapper, clock, env, 0.5,
                "http://localhost:" + SyncTargetsServer.server().port() + hook, "secret", true, 4);
    }

    private int sentRank(String id) {
        return jdbc.queryForObject("select sent_rank from sandbox_carrier_shipments where id = ?", Integer.class, id);
    }
}
