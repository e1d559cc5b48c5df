package io.orderhub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.orderhub.common.PartnerHttp;

/**
 * What one partner call costs the calling JVM (issue 17): the client's CPU per call (the whole process: the caller's
 * thread and any thread the client hands the call to), for the JDK's {@code java.net.http.HttpClient} as the payment
 * and carrier clients used it (HTTP/2 by default, so an h2c upgrade asked on every plain-HTTP request), the same on
 * HTTP/1.1, and {@link PartnerHttp}. The partner is an embedded Tomcat in a JVM of its own, so its CPU is not counted;
 * 4 threads call it back to back with an EasyPost-sized JSON body, after a warm-up of as many calls. Each case and
 * round runs in a fresh JVM; the cases alternate their order between rounds.
 *
 * <pre>bench/partner-calls.sh [calls per run] [rounds]</pre>
 */
public final class PartnerCallCost {

    static final String BODY = "{\"shipment\":{\"reference\":\"ORD-000123\",\"to_address\":{\"name\":\"Erika Mustermann\","
            + "\"street1\":\"Heidestrasse 17\",\"city\":\"Koeln\",\"zip\":\"51147\",\"country\":\"DE\"},"
            + "\"from_address\":{\"name\":\"Warehouse\",\"street1\":\"Lager 1\",\"city\":\"Berlin\",\"zip\":\"10115\","
            + "\"country\":\"DE\"},\"parcel\":{\"weight\":35.3}}}";
    static final String ANSWER = "{\"id\":\"shp_123\",\"object\":\"Shipment\",\"rates\":[{\"id\":\"rate_1\","
            + "\"carrier\":\"USPS\",\"service\":\"Priority\",\"rate\":\"7.58\",\"currency\":\"USD\",\"delivery_days\":2}]}";
    static final int THREADS = 4;

    private PartnerCallCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]));
            return;
        }
        if (args.length > 0 && args[0].equals("call")) {
            System.out.println(run(args[1], URI.create(args[2]), Integer.parseInt(args[3])));
            System.exit(0);
        }
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = jvm("serve", Integer.toString(port)).inheritIO().start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + "/v2/shipments");
            awaitServer(uri);
            Map<String, List<Double>> cpu = new java.util.LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                List<String> cases = new ArrayList<>(List.of("jdk-default", "jdk-http1.1", "partner-http"));
                if (round % 2 == 1) {
                    java.util.Collections.reverse(cases);
                }
                for (String c : cases) {
                    // a JVM per case and round: each starts from the same JIT state
                    Process client = jvm("call", c, uri.toString(), Integer.toString(calls))
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    if (client.waitFor() != 0) {
                        throw new IllegalStateException(c + " failed: " + out);
                    }
                    double us = Double.parseDouble(out.substring(out.lastIndexOf('\n') + 1));
                    cpu.computeIfAbsent(c, k -> new ArrayList<>()).add(us);
                    System.out.printf("round %d  %-13s %7.1f µs client CPU per call%n", round + 1, c, us);
                }
            }
            System.out.println();
            cpu.forEach((c, v) -> System.out.printf("%-13s median %7.1f µs per call (%d runs of %d calls after as many"
                    + " to warm up, %d threads)%n", c, median(v), v.size(), calls, THREADS));
        } finally {
            server.destroy();
        }
    }

    private static ProcessBuilder jvm(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), PartnerCallCost.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static double run(String kind, URI uri, int calls) throws Exception {
        Callable<Integer> call;
        AutoCloseable close;
        if (kind.startsWith("jdk")) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            if (kind.equals("jdk-http1.1")) {
                b.version(HttpClient.Version.HTTP_1_1);
            }
            HttpClient client = b.build();
            call = () -> client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic a2V5Og==").header("Accept", "application/json")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body().length();
            close = () -> { };
        } else {
            PartnerHttp http = new PartnerHttp(Duration.ofSeconds(2));
            Map<String, String> headers = Map.of("Authorization", "Basic a2V5Og==", "Accept", "application/json",
                    "Content-Type", "application/json");
            call = () -> http.send("POST", uri, Duration.ofSeconds(10), headers, BODY).body().length();
            close = http;
        }
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            callInParallel(callers, call, calls);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long before = os.getProcessCpuTime();
            callInParallel(callers, call, calls);
            return (os.getProcessCpuTime() - before) / 1_000.0 / calls;
        } finally {
            callers.shutdownNow();
            close.close();
        }
    }

    private static void callInParallel(ExecutorService callers, Callable<Integer> call, int calls) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(callers.submit(() -> {
                for (int i = 0; i < calls / THREADS; i++) {
                    if (call.call() != ANSWER.length()) {
                        throw new IllegalStateException("unexpected answer");
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    private static void awaitServer(URI uri) throws Exception {
        try (PartnerHttp http = new PartnerHttp(Duration.ofSeconds(1))) {
            for (int i = 0; i < 100; i++) {
                try {
                    http.send("GET", uri, Duration.ofSeconds(1), Map.of(), null);
                    return;
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
        }
        throw new IllegalStateException("the partner server did not start");
    }

    /** The partner: an embedded Tomcat (as the hub's own server), one servlet answering every POST the same. */
    private static void serve(int port) throws Exception {
        org.apache.catalina.startup.Tomcat tomcat = new org.apache.catalina.startup.Tomcat();
        tomcat.setBaseDir(java.nio.file.Files.createTempDirectory("partner-call-cost").toString());
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        org.apache.catalina.Context context = tomcat.addContext("", null);
        byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
        org.apache.catalina.startup.Tomcat.addServlet(context, "partner", new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest request,
                                   jakarta.servlet.http.HttpServletResponse response) throws IOException {
                request.getInputStream().readAllBytes();
                response.setContentType("application/json");
                response.setContentLength(answer.length);
                response.getOutputStream().write(answer);
            }
        });
        context.addServletMappingDecoded("/*", "partner");
        tomcat.start();
        tomcat.getServer().await();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
