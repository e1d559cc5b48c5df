package io.orderhub.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * A standalone Artemis 2.44.0 broker for tests, from the distribution on Maven Central
 * ({@code org.apache.activemq:apache-artemis:2.44.0:tar.gz:bin}, in the local repository after
 * {@code mvn dependency:get -Dartifact=org.apache.activemq:apache-artemis:2.44.0:tar.gz:bin}; another
 * archive with {@code -Dartemis.distribution=...}): unpacked under {@code work}, one broker instance with its
 * journal on disk, the CORE acceptor alone on a free port of 127.0.0.1, user {@code hub}/{@code hub}. It can
 * be killed with SIGKILL and started again on the same journal. Its output goes to {@code work/broker.log}.
 */
public final class StandaloneArtemis implements AutoCloseable {

    public static final String USER = "hub";
    public static final String PASSWORD = "hub";

    private final Path work;
    private final Path instance;
    private final int port;
    private Process process;

    private StandaloneArtemis(Path work, Path instance, int port) {
        this.work = work;
        this.instance = instance;
        this.port = port;
    }

    /** Unpacks the distribution and creates a broker instance (not started). */
    public static StandaloneArtemis create(Path work, String... extraCreateOptions) throws Exception {
        Path archive = Path.of(System.getProperty("artemis.distribution", System.getProperty("user.home")
                + "/.m2/repository/org/apache/activemq/apache-artemis/2.44.0/apache-artemis-2.44.0-bin.tar.gz"));
        assertThat(archive).as("the Artemis distribution (mvn dependency:get "
                + "-Dartifact=org.apache.activemq:apache-artemis:2.44.0:tar.gz:bin)").exists();
        Files.createDirectories(work);
        run(List.of("tar", "xzf", archive.toString(), "-C", work.toString()), work);
        Path home = work.resolve("apache-artemis-2.44.0");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path instance = work.resolve("broker");
        List<String> create = new ArrayList<>(List.of(home.resolve("bin/artemis").toString(), "create", instance.toString(),
                "--user", USER, "--password", PASSWORD, "--allow-anonymous", "--silent", "--no-web", "--force",
                "--host", "127.0.0.1", "--default-port", String.valueOf(port), "--no-amqp-acceptor",
                "--no-hornetq-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--java-memory", "512M"));
        create.addAll(List.of(extraCreateOptions));
        run(create, work);
        // as docs/transports.md asks of an external broker: the sender's validated user on every message (the JMS
        // intake's channel binding)
        Path brokerXml = instance.resolve("etc/broker.xml");
        String xml = Files.readString(brokerXml);
        Files.writeString(brokerXml, xml.replaceFirst("</name>",
                "</name>\n      <populate-validated-user>true</populate-validated-user>"));
        return new StandaloneArtemis(work, instance, port);
    }

    public int port() {
        return port;
    }

    /** The broker URL for the hub and test clients. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public Path instance() {
        return instance;
    }

    /** Starts the broker process (returns at once; see {@link #awaitReady}). */
    public StandaloneArtemis start() throws IOException {
        process = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(work.toFile(), "broker.log")))
                .start();
        return this;
    }

    /** Waits until the broker takes a core connection. */
    public StandaloneArtemis awaitReady(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see "
                        + work.resolve("broker.log"));
            }
            try (ServerLocator locator = ActiveMQClient.createServerLocator(url() + "?reconnectAttempts=0");
                 ClientSessionFactory f = locator.createSessionFactory()) {
                f.createSession(USER, PASSWORD, false, true, true, false, 0).close();
                return true;
            }
        });
        return this;
    }

    public long pid() {
        return process.pid();
    }

    /** kill -9 of the broker process: nothing graceful, the journal stays as it is on disk. */
    public void kill() throws Exception {
        new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).inheritIO().start().waitFor();
        process.waitFor();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void run(List<String> command, Path work) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(work.toFile(), "setup.log"))).start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }
}
