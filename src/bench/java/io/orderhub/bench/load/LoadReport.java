package io.orderhub.bench.load;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Renders the load benchmark's JSON report as markdown. */
final class LoadReport {

    private LoadReport() {
    }

    static String markdown(JsonNode r) {
        StringBuilder m = new StringBuilder();
        m.append("# OrderHub load benchmark — ").append(r.path("startedAt").asText()).append("\n\n");
        m.append("Command: `").append(r.path("command").asText()).append("`  \n");
        m.append("Duration: ").append(num(r.path("durationSeconds"))).append(" s; load average ")
                .append(r.path("loadAverageAtStart").asText()).append(" at start, ").append(r.path("loadAverageAtEnd").asText())
                .append(" at end.\n\n");
        if (r.has("note")) {
            m.append("> ").append(r.path("note").asText()).append("\n\n");
        }
        if (r.has("failure")) {
            m.append("**The run failed:** ").append(r.path("failure").asText()).append(" (the figures below are partial)\n\n");
        }
        JsonNode machine = r.path("machine");
        m.append("## Machine\n\n");
        m.append("| CPU | cores | memory | OS | kernel | JDK |\n|---|---:|---|---|---|---|\n");
        m.append("| ").append(machine.path("cpuModel").asText()).append(" | ").append(machine.path("cores").asText()).append(" | ")
                .append(machine.path("memoryTotal").asText()).append(" | ").append(machine.path("os").asText()).append(" | ")
                .append(machine.path("kernel").asText()).append(" | ").append(machine.path("jdk").asText()).append(" |\n\n");

        m.append("## Targets (issue 17)\n\n| target | goal | measured | met |\n|---|---|---:|---|\n");
        for (JsonNode t : r.path("targets")) {
            m.append("| ").append(t.path("target").asText()).append(" | ").append(t.path("goal").asText()).append(" | ")
                    .append(num(t.path("measured"))).append(' ').append(t.path("unit").asText()).append(" | ")
                    .append(t.path("met").asText()).append(t.has("note") ? " (" + t.path("note").asText() + ")" : "")
                    .append(" |\n");
        }
        m.append('\n');
        if (r.path("bottlenecks").size() > 0) {
            m.append("### Where the time goes\n\n");
            for (JsonNode n : r.path("bottlenecks")) {
                m.append("- ").append(n.asText()).append('\n');
            }
            m.append('\n');
        }

        JsonNode b = r.path("baselines");
        if (!b.isMissingNode()) {
            m.append("## Baselines (same run, hub not running)\n\n");
            JsonNode pg = b.path("postgres");
            if (pg.has("failure")) {
                m.append("- PostgreSQL: failed: ").append(pg.path("failure").asText()).append('\n');
            } else {
                m.append("- **PostgreSQL, the writes of one order** (receipt insert, channel update, duplicate lookup, one "
                        + "transaction with nextval + order + 3 lines + event + outbox, receipt outcome: 4 commits) with plain JDBC, ")
                        .append(pg.path("connections").asText()).append(" connections: **").append(num(pg.path("ordersPerSecond")))
                        .append(" orders/s** (").append(pg.path("orders").asText()).append(" in ").append(num(pg.path("seconds")))
                        .append(" s; payload bytes ").append(pg.path("payloadBytes").toString()).append(")\n");
            }
            JsonNode mq = b.path("artemis");
            if (mq.has("failure")) {
                m.append("- Artemis: failed: ").append(mq.path("failure").asText()).append('\n');
            } else {
                m.append("- **Artemis persistent send + receive**, standalone embedded broker, journal ")
                        .append(mq.path("journalType").asText()).append(" synced, ").append(mq.path("producers").asText())
                        .append(" producers / ").append(mq.path("consumers").asText()).append(" consumers, ")
                        .append(mq.path("messageBytes").asText()).append(" bytes: **").append(num(mq.path("messagesPerSecond")))
                        .append(" messages/s**\n");
            }
            m.append('\n');
        }
        JsonNode ratios = r.path("ratios");
        if (ratios.size() > 0) {
            m.append("Ratios: ");
            List<String> parts = new ArrayList<>();
            ratios.fields().forEachRemaining(e -> parts.add(e.getKey() + " = " + num(e.getValue())));
            m.append(String.join(", ", parts)).append("\n\n");
        }

        m.append("## REST ingest and formats (medians over runs)\n\n");
        m.append("Open loop: requests sent on schedule, latency from the scheduled time. Closed loop: ")
                .append("clients send the next order when the previous is answered (the maximum rate); latency = service time. ")
                .append("CPU and allocation per order are the hub's, over the run until its outbox was empty (work of stage consumers that lag behind spills into later runs; see the whole-benchmark figure under Resources).\n\n");
        m.append("| case | format | mode | runs | offered/s | achieved/s | p50 ms | p95 ms | p99 ms | max ms | errors | hub CPU ms/order "
                + "| alloc KB/order | hub cores |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode c : r.path("cases")) {
            m.append("| ").append(c.path("case").asText()).append(" | ").append(c.path("format").asText()).append(" | ")
                    .append(c.path("mode").asText()).append(" | ").append(c.path("runs").asText()).append(" | ")
                    .append(c.path("targetRate").isNull() ? "max" : c.path("targetRate").asText()).append(" | ")
                    .append(num(c.path("achieved"))).append(" | ").append(num(c.path("p50Ms"))).append(" | ")
                    .append(num(c.path("p95Ms"))).append(" | ").append(num(c.path("p99Ms"))).append(" | ")
                    .append(num(c.path("maxMs"))).append(" | ").append(c.path("errors").asText()).append(" | ")
                    .append(num(c.path("cpuMsPerOrder"))).append(" | ").append(kb(c.path("allocBytesPerOrder"))).append(" | ")
                    .append(num(c.path("hubCores"))).append(" |\n");
        }
        m.append("\nEvery run:\n\n| case | achieved/s | sent | ok | errors | p50 ms | p99 ms | max ms | CPU ms/order | first error |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (JsonNode run : r.path("runs")) {
            m.append("| ").append(run.path("name").asText()).append(" | ").append(num(run.path("achieved"))).append(" | ")
                    .append(run.path("sent").asText()).append(" | ").append(run.path("ok").asText()).append(" | ")
                    .append(run.path("errors").asText()).append(" | ").append(num(run.path("p50"))).append(" | ")
                    .append(num(run.path("p99"))).append(" | ").append(num(run.path("max"))).append(" | ")
                    .append(num(run.path("cpuMsPerOrder"))).append(" | ")
                    .append(run.path("errorSamples").size() == 0 ? "" : cell(run.path("errorSamples").get(0).asText()))
                    .append(" |\n");
        }
        m.append('\n');

        JsonNode jms = r.path("jms");
        if (!jms.isMissingNode()) {
            m.append("## JMS ingest (outside client → orders.inbound, answer on JMSReplyTo)\n\n");
            if (jms.has("skipped")) {
                m.append("Skipped: ").append(jms.path("skipped").asText()).append("\n\n");
            } else {
                m.append("Median: **").append(num(jms.path("medianOrdersPerSecond"))).append(" orders/s** (send of the first ")
                        .append("message to the last answer), answer latency p50 ").append(num(jms.path("medianP50Ms")))
                        .append(" ms, p99 ").append(num(jms.path("medianP99Ms"))).append(" ms, hub CPU ")
                        .append(num(jms.path("medianCpuMsPerOrder"))).append(" ms/order, ")
                        .append(kb(jms.path("medianAllocBytesPerOrder"))).append(" KB allocated/order.\n\n");
                m.append("| run | messages | accepted | other answers | unanswered | seconds | orders/s | p50 ms | p99 ms |\n"
                        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                int i = 1;
                for (JsonNode run : jms.path("runs")) {
                    m.append("| ").append(i++).append(" | ").append(run.path("messages").asText()).append(" | ")
                            .append(run.path("accepted").asText()).append(" | ").append(run.path("otherAnswers").asText())
                            .append(" | ").append(run.path("unanswered").asText()).append(" | ").append(num(run.path("seconds")))
                            .append(" | ").append(num(run.path("ordersPerSecond"))).append(" | ").append(num(run.path("p50")))
                            .append(" | ").append(num(run.path("p99"))).append(" |\n");
                }
                m.append('\n');
            }
        }

        JsonNode lc = r.path("lifecycle");
        if (!lc.isMissingNode()) {
            m.append("## Full lifecycle (CREATED → COMPLETED through the sandboxes)\n\n");
            if (lc.has("skipped")) {
                m.append("Skipped: ").append(lc.path("skipped").asText()).append("\n\n");
            } else {
                JsonNode sub = lc.path("submit");
                m.append("Offered ").append(lc.path("targetRate").asText()).append(" orders/s for ").append(lc.path("submitSeconds").asText())
                        .append(" s (open loop): ").append(sub.path("ok").asText()).append(" accepted, ").append(sub.path("errors").asText())
                        .append(" errors, submit p50 ").append(num(sub.path("p50"))).append(" ms / p99 ").append(num(sub.path("p99")))
                        .append(" ms.  \n");
                m.append("Completed: **").append(lc.path("completed").asText()).append("**; final statuses ")
                        .append(lc.path("finalStatuses").toString()).append(".  \n");
                m.append("Sustained: **").append(num(lc.path("sustainedCompletedPerSecond"))).append(" orders/s completed** in the last ")
                        .append(lc.path("steadyWindowSeconds").asText()).append(" s of the submit window; overall ")
                        .append(num(lc.path("completedPerSecondOverall"))).append(" orders/s (first creation to last completion).  \n");
                JsonNode e2e = lc.path("endToEnd");
                m.append("CREATED → COMPLETED per order: p50 ").append(num(e2e.path("p50Ms"))).append(" ms, p95 ")
                        .append(num(e2e.path("p95Ms"))).append(" ms, p99 ").append(num(e2e.path("p99Ms"))).append(" ms, max ").append(num(e2e.path("maxMs"))).append(" ms.  \n");
                m.append("Hub CPU ").append(num(lc.path("cpuMsPerCompletedOrder"))).append(" ms and ")
                        .append(kb(lc.path("allocBytesPerCompletedOrder"))).append(" KB allocated per completed order; hub used ")
                        .append(num(lc.path("hubCores"))).append(" cores on average")
                        .append(lc.has("sandboxCpuMsPerCompletedOrder") ? "; the sandboxes' JVM (apart from the hub) "
                                + num(lc.path("sandboxCpuMsPerCompletedOrder")) + " ms per completed order, "
                                + num(lc.path("sandboxCores")) + " cores" : "; the in-hub sandboxes are part of the hub's figures")
                        .append(".\n\n");
                m.append("Time per stage (from the order's previous status change to this one, order_events):\n\n"
                        + "| reached | orders | mean ms | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
                Iterator<Map.Entry<String, JsonNode>> stages = lc.path("stageTimes").fields();
                while (stages.hasNext()) {
                    Map.Entry<String, JsonNode> e = stages.next();
                    JsonNode v = e.getValue();
                    m.append("| ").append(e.getKey()).append(" | ").append(v.path("count").asText()).append(" | ")
                            .append(num(v.path("meanMs"))).append(" | ").append(num(v.path("p50Ms"))).append(" | ")
                            .append(num(v.path("p95Ms"))).append(" | ").append(num(v.path("maxMs"))).append(" |\n");
                }
                JsonNode g = lc.path("growth");
                m.append("\nGrowth over the steady window (").append(g.path("window").asText()).append(", ")
                        .append(g.path("samples").asText()).append(" samples): in-flight orders ")
                        .append(num(g.path("inFlightOrdersPerSecond"))).append("/s, queue depth ")
                        .append(num(g.path("queueDepthPerSecond"))).append(" messages/s, heap ").append(num(g.path("heapMbPerSecond")))
                        .append(" MB/s (max heap ").append(num(g.path("heapMaxMb"))).append(" MB, max RSS ")
                        .append(num(g.path("rssMaxMb"))).append(" MB).\n\n");
                m.append("Samples (orders by status, outbox backlog, messages waiting in the broker's queues, heap, RSS):\n\n"
                        + "| t s | orders | in flight | statuses | outbox | queued | deepest queues | heap MB | RSS MB |\n"
                        + "|---:|---:|---:|---|---:|---:|---|---:|---:|\n");
                JsonNode samples = lc.path("samples");
                int step = Math.max(1, samples.size() / 20);
                for (int i = 0; i < samples.size(); i += step) {
                    JsonNode sm = samples.get(i);
                    m.append("| ").append(num(sm.path("t"))).append(" | ").append(sm.path("orders").asText()).append(" | ")
                            .append(sm.path("inFlight").asText()).append(" | ").append(cell(compact(sm.path("statuses"))))
                            .append(" | ").append(sm.path("outboxBacklog").asText()).append(" | ")
                            .append(sm.path("queueDepthTotal").asText()).append(" | ").append(cell(deepest(sm.path("queueDepths"))))
                            .append(" | ").append(num(sm.path("heapMb"))).append(" | ").append(num(sm.path("rssMb"))).append(" |\n");
                }
                m.append('\n');
            }
        }

        m.append("## Resources\n\n");
        JsonNode st = r.path("startup");
        if (!st.isMissingNode()) {
            m.append("- Startup: ").append(num(st.path("secondsToHealthy"))).append(" s from process start to /actuator/health UP (Spring: ")
                    .append(num(st.path("springStartedInSeconds"))).append(" s).\n");
        }
        m.append("- Idle after start: heap ").append(num(r.path("idle").path("heapUsedMb"))).append(" MB, RSS ")
                .append(num(r.path("idle").path("rssMb"))).append(" MB, the hub's background (timers, pollers) used ")
                .append(num(r.path("idle").path("hubCoresIdle"))).append(" cores with no load in the first 5 s (included in the CPU per order figures), ")
                .append(num(r.path("idle").path("hubCoresIdleSettled"))).append(" cores once settled (10 s from 60 s after start).\n");
        m.append("- At the end: heap ").append(num(r.path("steady").path("heapUsedMb"))).append(" MB, RSS ")
                .append(num(r.path("steady").path("rssMb"))).append(" MB, hub CPU ")
                .append(num(r.path("steady").path("cpuSeconds"))).append(" s in total.\n");
        if (r.path("steady").has("ordersStored")) {
            m.append("- Whole benchmark: ").append(r.path("steady").path("ordersStored").asText())
                    .append(" orders stored, hub CPU after start-up ÷ orders = **")
                    .append(num(r.path("steady").path("cpuMsPerOrderWholeBenchmark")))
                    .append(" ms per order** (everything the hub did for them, including stage and sync work carried between runs).\n");
            m.append("- Broker queues at the end: ").append(cell(r.path("steady").path("queueDepthsAtEnd").toString())).append(".\n");
        }
        if (r.has("hubLogErrorLines")) {
            m.append("- ERROR lines in the hub's log: ").append(r.path("hubLogErrorLines").asText()).append(".\n");
        }
        m.append('\n');

        JsonNode p = r.path("profile");
        if (p.has("failure")) {
            m.append("## Profile\n\nThe JFR recording could not be read: ").append(p.path("failure").asText()).append("\n\n");
        } else if (!p.isMissingNode()) {
            m.append("## Profile of the maximum-rate run (JFR, ").append(p.path("executionSamples").asText())
                    .append(" execution samples, ").append(p.path("file").asText()).append(")\n\n");
            m.append("Allocated during the recording (JFR per-thread allocation counters): ")
                    .append(kb(p.path("allocatedBytesPerOrder"))).append(" KB per order.\n\n");
            table(m, "Top methods (self: the method running when sampled)", p.path("topSelf"));
            table(m, "Hub code the time was spent under (first io.orderhub frame of each stack)", p.path("topHubFrames"));
            table(m, "By library of the running method", p.path("byLibrary"));
        }

        m.append("## Settings\n\n```json\n").append(r.path("settings").toPrettyString()).append("\n```\n\n");
        if (r.has("hub")) {
            m.append("Hub JVM:\n\n```json\n").append(r.path("hub").toPrettyString()).append("\n```\n");
        }
        return m.toString();
    }

    private static void table(StringBuilder m, String title, JsonNode rows) {
        m.append(title).append(":\n\n| | samples | share |\n|---|---:|---:|\n");
        for (JsonNode row : rows) {
            m.append("| `").append(row.path("name").asText()).append("` | ").append(row.path("samples").asText()).append(" | ")
                    .append(Math.round(row.path("share").asDouble() * 1000) / 10.0).append(" % |\n");
        }
        m.append('\n');
    }

    private static String compact(JsonNode statuses) {
        List<String> parts = new ArrayList<>();
        statuses.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
        return String.join(", ", parts);
    }

    private static String deepest(JsonNode depths) {
        List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
        depths.fields().forEachRemaining(all::add);
        all.sort((a, b) -> Long.compare(b.getValue().asLong(), a.getValue().asLong()));
        return String.join(", ", all.stream().limit(3).map(e -> e.getKey() + " " + e.getValue().asText()).toList());
    }

    private static String cell(String s) {
        String one = s.replace('|', '/').replace('\n', ' ');
        return one.length() > 400 ? one.substring(0, 400) + "…" : one;
    }

    private static String num(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? "–" : n.isNumber() ? Stats.fmt(n.asDouble()) : n.asText();
    }

    private static String kb(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? "–" : Stats.fmt(n.asDouble() / 1024);
    }
}
