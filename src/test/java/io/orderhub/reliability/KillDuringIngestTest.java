package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of the embedded default under load on every transport: orders come by REST (four
 * clients), by JMS and by e-mail (a mail server of the test's own, which outlives the hub); the hub is
 * killed with SIGKILL in the middle and started again on the same data directory. Then every order a
 * channel was told we took (a 201/200, a JMS send the broker acknowledged, a mail the mail server took)
 * must be there exactly once and reach COMPLETED through the sandboxes, with exactly one charge, one
 * label, one ERP sales order and invoice, one CRM update per status and one customer mail of each kind;
 * every JMS message and every order mail gets exactly one answer.
 */
@Tag("reliability")
class KillDuringIngestTest {

    static final int KILL_AFTER = Integer.getInteger("orderhub.reliability.kill-after", 150);
    /** JMS messages and e-mails: one of each every this many milliseconds. */
    static final int TRANSPORT_EVERY_MS = Integer.getInteger("orderhub.reliability.transport-every-ms", 400);
    static final String CUSTOMER = "erika@example.com";

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedOrderSurvivesKillNineAndActsExactlyOnce() throws Exception {
        Path log = Path.of("target", "reliability", "kill-during-ingest-hub.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        try (TestMailServer mail = new TestMailServer(); HubProcess hub = new HubProcess(dir.resolve("data"), log)) {
            int brokerPort = hub.openBrokerPort();
            mail.hubEnvironment().forEach(hub::env);
            lifecycleQuickly(hub);
            hub.start();
            hub.stockExampleOrder();

            IngestLoad rest = new IngestLoad(hub.port(), 4, KILL_AFTER);
            TransportLoad transports = new TransportLoad(brokerPort, mail, Duration.ofMillis(TRANSPORT_EVERY_MS));
            assertThat(rest.awaitAcknowledged(300)).as("orders acknowledged before the kill").isTrue();
            await().atMost(Duration.ofMinutes(3)).until(() -> transports.jmsAcknowledged().size() >= 10
                    && transports.mailAcknowledged().size() >= 10);
            hub.kill();
            rest.close();
            transports.close();
            int unansweredRest = rest.unanswered();
            Set<String> jmsInDoubt = transports.jmsInDoubt();

            hub.start();
            transports.resendInDoubt(brokerPort);
            Downstream downstream = new Downstream(hub.port());
            Map<String, String> expected = new HashMap<>(rest.acknowledged());
            // every order mail the server took must become an order, every JMS message the broker took too, and
            // every order reach COMPLETED with its customer mails sent; if not in time, the counts below say what is missing
            boolean settled = settles(Duration.ofMinutes(5), () -> {
                Map<String, List<String>> byExternalId = downstream.ordersByExternalId();
                Map<String, String> all = downstream.orders();
                return byExternalId.keySet().containsAll(transports.mailAcknowledged())
                        && byExternalId.keySet().containsAll(transports.jmsAcknowledged())
                        && all.values().stream().allMatch("COMPLETED"::equals)
                        && Downstream.customerMailsComplete(all.keySet(), mail, CUSTOMER)
                        // the ERP's sales order and invoice follow the order asynchronously and may still be on
                        // their way when the last order completes: wait for them too (a doubled effect never
                        // settles and is reported below after the wait)
                        && downstream.completedOrders(all.keySet(), mail, CUSTOMER).problems().isEmpty();
            });
            Map<String, String> orders = downstream.orders();
            Map<String, List<String>> ordersByExternalId = downstream.ordersByExternalId();

            int lost = 0;
            int duplicated = 0;
            List<String> problems = new ArrayList<>();
            Set<String> acknowledged = new HashSet<>(expected.keySet());
            acknowledged.addAll(transports.jmsAcknowledged());
            acknowledged.addAll(transports.mailAcknowledged());
            for (String externalId : acknowledged) {
                List<String> found = ordersByExternalId.getOrDefault(externalId, List.of());
                if (found.isEmpty()) {
                    lost++;
                    problems.add(externalId + ": no order");
                } else if (found.size() > 1 || (expected.containsKey(externalId) && !found.get(0).equals(expected.get(externalId)))) {
                    duplicated++;
                    problems.add(externalId + ": orders " + found + ", answered " + expected.get(externalId));
                }
            }
            long notCompleted = orders.values().stream().filter(s -> !"COMPLETED".equals(s)).count();
            Downstream.Tally tally = downstream.completedOrders(orders.keySet(), mail, CUSTOMER);

            // JMS: one answer per message naming its order (the messages in doubt at the kill, sent twice, may have two)
            Map<String, List<JsonNode>> answers = transports.drainAnswers(brokerPort, Duration.ofSeconds(3));
            int jmsAnswerProblems = 0;
            for (String externalId : transports.jmsAcknowledged()) {
                List<JsonNode> got = answers.getOrDefault(externalId, List.of());
                List<String> order = ordersByExternalId.getOrDefault(externalId, List.of());
                boolean consistent = !got.isEmpty() && got.size() <= (jmsInDoubt.contains(externalId) ? 2 : 1)
                        && got.stream().allMatch(a -> order.size() == 1 && order.get(0).equals(a.at("/orderIds/0").asText()));
                if (!consistent) {
                    jmsAnswerProblems++;
                    problems.add(externalId + ": JMS answers " + got);
                }
            }
            // e-mail: one answer per order mail (a copy sent again in the SMTP window has the same Message-ID)
            int mailAnswerProblems = 0;
            int answersResent = 0;
            for (String externalId : transports.mailAcknowledged()) {
                List<MimeMessage> got = mail.mailsTo(TransportLoad.mailSender(externalId));
                Set<String> distinct = new HashSet<>();
                for (MimeMessage m : got) {
                    distinct.add(m.getMessageID());
                }
                answersResent += got.size() - distinct.size();
                if (distinct.size() != 1) {
                    mailAnswerProblems++;
                    problems.add(externalId + ": " + distinct.size() + " different answers");
                }
            }
            problems.addAll(tally.problems());

            boolean pass = settled && lost == 0 && duplicated == 0 && notCompleted == 0 && tally.problems().isEmpty()
                    && jmsAnswerProblems == 0 && mailAnswerProblems == 0;
            IngestLoad.report("kill-during-ingest", "| kill -9 of the hub (embedded default: H2 file, embedded Artemis) "
                    + "| SIGKILL after " + KILL_AFTER + " acknowledged REST orders, restart on the same data directory; "
                    + "JMS sends in doubt at the kill sent again | REST 4 clients, JMS and e-mail one each every "
                    + TRANSPORT_EVERY_MS + " ms | " + (settled ? "" : "NOT SETTLED within 5 min; ") + "accepted REST " + expected.size() + ", JMS " + transports.jmsAcknowledged().size()
                    + ", e-mail " + transports.mailAcknowledged().size() + "; REST unanswered at the kill " + unansweredRest
                    + ", JMS in doubt " + jmsInDoubt.size() + "; lost " + lost + ", duplicated " + duplicated
                    + "; orders not COMPLETED " + notCompleted + "; " + tally.describe() + "; JMS messages without "
                    + "exactly one answer " + jmsAnswerProblems + ", order mails without exactly one answer "
                    + mailAnswerProblems + " (answers sent again with the same Message-ID " + answersResent + ") | "
                    + (pass ? "pass" : "FAIL") + " |");
            assertThat(problems).as("orders lost, doubled, unfinished or with a doubled effect").isEmpty();
            assertThat(settled).as("every acknowledged order COMPLETED with its customer mails within 5 minutes").isTrue();
            assertThat(expected).hasSizeGreaterThanOrEqualTo(KILL_AFTER);
            assertThat(tally.mailsResent() + answersResent).as("mails sent again in the SMTP window of the kill")
                    .isLessThanOrEqualTo(3);
        }
    }

    /** Quick sandbox carrier and jobs, so orders reach COMPLETED within seconds. */
    static void lifecycleQuickly(HubProcess hub) {
        hub.env("ORDERHUB_SANDBOX_CARRIER_STEP_SECONDS", "1")
                .env("ORDERHUB_SANDBOX_PACK_INTERVAL_MS", "1000")
                .env("ORDERHUB_SANDBOX_PACK_DELAY_SECONDS", "0")
                .env("ORDERHUB_SHIPPING_POLL_MS", "2000")
                .env("ORDERHUB_SHIPPING_COMPLETION_MS", "2000")
                .env("ORDERHUB_MAIL_POLL_MS", "500")
                // a mail claimed by the killed hub is taken over after this long (default 300 s)
                .env("ORDERHUB_MAIL_CLAIM_STALE_SECONDS", "10");
    }

    /** Waits until the condition holds; false (not an exception) when it does not in time. */
    static boolean settles(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofSeconds(2)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
