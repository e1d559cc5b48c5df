package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** A second hub with the same ports or data directory is told in one line which is taken and what changes it. */
class StartupConflictsTest {

    @TempDir
    Path dir;

    private static StandardEnvironment env(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return env;
    }

    @Test
    void aTakenPortIsNamedWithItsSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             ServerSocket broker = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<StartupConflicts.Conflict> http = StartupConflicts.find(env(Map.of("server.address", "127.0.0.1",
                    "server.port", taken.getLocalPort(), "orderhub.broker.port", -1)));
            assertThat(http).hasSize(1);
            assertThat(http.get(0).line()).isEqualTo("OrderHub cannot start: the HTTP port 127.0.0.1:" + taken.getLocalPort()
                    + " is taken by another process (set SERVER_PORT to use another)");

            List<StartupConflicts.Conflict> others = StartupConflicts.find(env(Map.of("server.port", 0,
                    "orderhub.broker.host", "127.0.0.1", "orderhub.broker.port", broker.getLocalPort(),
                    "orderhub.sandbox.mail.enabled", "true", "orderhub.sandbox.mail.host", "127.0.0.1",
                    "orderhub.sandbox.mail.smtp-port", taken.getLocalPort(), "orderhub.sandbox.mail.imap-port", -1)));
            assertThat(others).extracting(StartupConflicts.Conflict::setting)
                    .containsExactly("ORDERHUB_BROKER_PORT", "ORDERHUB_SANDBOX_MAIL_SMTP_PORT");
        }
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            free.close();
            assertThat(StartupConflicts.find(env(Map.of("server.port", port, "orderhub.broker.port", -1)))).isEmpty();
        }
    }

    @Test
    void aDataDirectoryHeldByAnotherHubIsNamed() throws Exception {
        Files.createDirectories(dir);
        try (FileChannel other = FileChannel.open(dir.resolve("orderhub.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = other.lock()) {
            List<StartupConflicts.Conflict> found = StartupConflicts.find(env(Map.of("orderhub.data-dir", dir.toString(),
                    "server.port", 0)));
            assertThat(found).hasSize(1);
            assertThat(found.get(0).line()).isEqualTo("OrderHub cannot start: the data directory " + dir.toAbsolutePath()
                    .normalize() + " is in use by another hub (set ORDERHUB_DATA_DIR to use another)");
        }
    }
}
