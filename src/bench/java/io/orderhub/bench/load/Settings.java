package io.orderhub.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load benchmark's settings from the command line (bench/load.sh passes its arguments through).
 * The defaults are the full run (about 10 minutes); {@code --quick} shortens every phase to a smoke check.
 */
final class Settings {

    /** null: start a hub (separate JVM) on a scratch PostgreSQL database; else the running hub to load. */
    String url;
    boolean quick;
    String pgHost = "127.0.0.1";
    int pgPort = 5432;
    String pgUser = "postgres";
    String pgPassword = "";
    /** the running hub's database (--url mode): lifecycle counts, stage times and outbox backlog need it */
    String dbUrl;
    int brokerPort = -1;
    String apiKey = "demo-webshop-key";
    String adminKey = "demo-admin-key";
    String channel = "webshop";
    String b2bApiKey = "demo-b2b-key";
    String b2bChannel = "b2b";
    List<Integer> rates = new ArrayList<>(List.of(100, 300, 700, 1000));
    int runs = 3;
    int seconds = 10;
    int warmupSeconds = 20;
    int maxClients = 128;
    int maxInFlight = 512;
    List<String> formats = new ArrayList<>(List.of("ubl", "x12-850", "shopify"));
    int formatSeconds = 8;
    int jmsMessages = 1000;
    int jmsProducers = 4;
    String jmsQueue = "orders.inbound";
    int lifecycleRate = 700;
    int lifecycleSeconds = 120;
    int lifecycleDrainSeconds = 90;
    /** lifecycle orders spread over this many groups of 3 SKUs (1: every order reserves the same 3 stock rows) */
    int lifecycleSkuGroups = 32;
    int baselineSeconds = 15;
    int poolSize = 16;
    String heap = "1g";
    boolean jfr = true;
    /** JFR's settings for the recordings: profile or default (JFR's own), or cpu (bench/cpu-samples.jfc: samples only) */
    String jfrSettings = "profile";
    boolean keepDatabase;
    /**
     * true (default): the sandboxes (payment, carrier, ERP, CRM, mail server) run in a second JVM on their own scratch
     * database, so the hub's CPU is the hub's alone (issue 17); false: in the hub, as in the embedded default
     */
    boolean sandboxesApart = true;
    String out = "bench/results";
    String note = "";
    String command = "";
    List<String> phases = new ArrayList<>(List.of("baselines", "ingest", "max", "formats", "jms", "lifecycle"));

    static Settings parse(String[] args) {
        Settings s = new Settings();
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'; see bench/load.sh --help");
            }
            String key = a.substring(2);
            String value = "true";
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (!flag(key)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                value = args[++i];
            }
            given.put(key, value);
        }
        if (Boolean.parseBoolean(given.getOrDefault("quick", "false"))) {
            s.quick = true;
            s.rates = new ArrayList<>(List.of(100, 300));
            s.runs = 1;
            s.seconds = 4;
            s.warmupSeconds = 5;
            s.formatSeconds = 3;
            s.jmsMessages = 200;
            s.lifecycleRate = 50;
            s.lifecycleSeconds = 15;
            s.lifecycleDrainSeconds = 60;
            s.baselineSeconds = 4;
        }
        given.forEach((k, v) -> s.set(k, v));
        return s;
    }

    private static boolean flag(String key) {
        return key.equals("quick") || key.equals("no-jfr") || key.equals("keep-database") || key.equals("help")
                || key.equals("sandboxes-in-hub");
    }

    private void set(String key, String v) {
        switch (key) {
            case "quick" -> { }
            case "help" -> throw new IllegalArgumentException("help");
            case "url" -> url = v.replaceAll("/+$", "");
            case "pg-host" -> pgHost = v;
            case "pg-port" -> pgPort = Integer.parseInt(v);
            case "pg-user" -> pgUser = v;
            case "pg-password" -> pgPassword = v;
            case "db-url" -> dbUrl = v;
            case "broker-port" -> brokerPort = Integer.parseInt(v);
            case "api-key" -> apiKey = v;
            case "admin-key" -> adminKey = v;
            case "channel" -> channel = v;
            case "rates" -> rates = ints(v);
            case "runs" -> runs = Integer.parseInt(v);
            case "seconds" -> seconds = Integer.parseInt(v);
            case "warmup-seconds" -> warmupSeconds = Integer.parseInt(v);
            case "max-clients" -> maxClients = Integer.parseInt(v);
            case "max-in-flight" -> maxInFlight = Integer.parseInt(v);
            case "formats" -> formats = new ArrayList<>(List.of(v.split(",")));
            case "format-seconds" -> formatSeconds = Integer.parseInt(v);
            case "jms-messages" -> jmsMessages = Integer.parseInt(v);
            case "jms-producers" -> jmsProducers = Integer.parseInt(v);
            case "lifecycle-rate" -> lifecycleRate = Integer.parseInt(v);
            case "lifecycle-seconds" -> lifecycleSeconds = Integer.parseInt(v);
            case "lifecycle-drain-seconds" -> lifecycleDrainSeconds = Integer.parseInt(v);
            case "lifecycle-sku-groups" -> lifecycleSkuGroups = Integer.parseInt(v);
            case "baseline-seconds" -> baselineSeconds = Integer.parseInt(v);
            case "pool-size" -> poolSize = Integer.parseInt(v);
            case "heap" -> heap = v;
            case "no-jfr" -> jfr = false;
            case "jfr-settings" -> {
                if (!v.equals("profile") && !v.equals("default") && !v.equals("cpu")) {
                    throw new IllegalArgumentException("--jfr-settings must be profile, default or cpu, not '" + v + "'");
                }
                jfrSettings = v;
            }
            case "keep-database" -> keepDatabase = true;
            case "sandboxes-in-hub" -> sandboxesApart = false;
            case "out" -> out = v;
            case "note" -> note = v;
            case "command" -> command = v;
            case "phases" -> phases = new ArrayList<>(List.of(v.split(",")));
            default -> throw new IllegalArgumentException("unknown option --" + key + "; see bench/load.sh --help");
        }
    }

    private static List<Integer> ints(String v) {
        List<Integer> out = new ArrayList<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                out.add(Integer.parseInt(p.trim()));
            }
        }
        return out;
    }

    boolean phase(String name) {
        return phases.contains(name);
    }

    boolean local() {
        return url == null;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", local() ? "hub started by the benchmark (separate JVM, PostgreSQL, persistent embedded Artemis)"
                : "running hub at " + url);
        m.put("quick", quick);
        m.put("phases", phases);
        m.put("ingestRates", rates);
        m.put("runsPerCase", runs);
        m.put("secondsPerRun", seconds);
        m.put("warmupSeconds", warmupSeconds);
        m.put("maxRateClients", maxClients);
        m.put("maxInFlight", maxInFlight);
        m.put("formats", formats);
        m.put("formatSecondsPerRun", formatSeconds);
        m.put("jmsMessagesPerRun", jmsMessages);
        m.put("jmsProducers", jmsProducers);
        m.put("lifecycleRate", lifecycleRate);
        m.put("lifecycleSeconds", lifecycleSeconds);
        m.put("lifecycleDrainSeconds", lifecycleDrainSeconds);
        m.put("lifecycleSkuGroups", lifecycleSkuGroups);
        m.put("baselineSeconds", baselineSeconds);
        m.put("dbPoolSize", poolSize);
        m.put("hubHeap", local() ? heap : "n/a");
        m.put("jfr", jfr && local());
        m.put("jfrSettings", jfrSettings);
        m.put("sandboxes", !local() ? "those of the running hub" : sandboxesApart
                ? "a second JVM (the same application on its own scratch database), the hub pointed at it"
                : "in the hub (embedded default)");
        return m;
    }
}
