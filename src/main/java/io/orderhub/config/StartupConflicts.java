package io.orderhub.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Before anything starts (the hub's {@code main} only): is a port or the data directory this hub needs taken by
 * another process (typically a second hub started with the same settings)? Then the start ends with one line naming
 * what is taken and the setting that changes it, instead of many lines of stack traces from whichever component
 * tripped first. The data directory is held by a lock file ({@code <data dir>/orderhub.lock}) for as long as the
 * hub runs.
 */
public class StartupConflicts implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    /** A port or directory in use: what it is and the setting that changes it. */
    public record Conflict(String what, String setting) {
        public String line() {
            return "OrderHub cannot start: " + what + " (set " + setting + " to use another)";
        }
    }

    private static FileChannel lockChannel;
    private static FileLock lock;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        List<Conflict> conflicts = find(event.getEnvironment());
        if (!conflicts.isEmpty()) {
            System.err.println(conflicts.get(0).line());
            System.exit(1);
        }
    }

    /** The conflicts of this environment's settings, first the data directory, then the ports in start order. */
    public static List<Conflict> find(ConfigurableEnvironment env) {
        List<Conflict> found = new ArrayList<>();
        String dataDir = env.getProperty("orderhub.data-dir");
        if (dataDir != null && !dataDir.isBlank() && !lockDataDirectory(Path.of(dataDir))) {
            found.add(new Conflict("the data directory " + Path.of(dataDir).toAbsolutePath().normalize()
                    + " is in use by another hub", "ORDERHUB_DATA_DIR"));
            return found;
        }
        check(found, env.getProperty("server.address"), env.getProperty("server.port", Integer.class, 8080),
                "the HTTP port", "SERVER_PORT");
        boolean embeddedBroker = "embedded".equals(env.getProperty("spring.artemis.mode", "embedded"))
                && env.getProperty("orderhub.broker.embedded", Boolean.class, true);
        if (embeddedBroker) {
            check(found, env.getProperty("orderhub.broker.host"), env.getProperty("orderhub.broker.port", Integer.class, -1),
                    "the broker port", "ORDERHUB_BROKER_PORT");
            check(found, env.getProperty("orderhub.broker.tls.host", env.getProperty("orderhub.broker.host")),
                    env.getProperty("orderhub.broker.tls.port", Integer.class, -1), "the broker's TLS port",
                    "ORDERHUB_BROKER_TLS_PORT");
        }
        if (env.getProperty("orderhub.sandbox.mail.enabled", Boolean.class, false)) {
            String host = env.getProperty("orderhub.sandbox.mail.host");
            check(found, host, env.getProperty("orderhub.sandbox.mail.smtp-port", Integer.class, -1),
                    "the sandbox SMTP port", "ORDERHUB_SANDBOX_MAIL_SMTP_PORT");
            check(found, host, env.getProperty("orderhub.sandbox.mail.imap-port", Integer.class, -1),
                    "the sandbox IMAP port", "ORDERHUB_SANDBOX_MAIL_IMAP_PORT");
        }
        return found;
    }

    private static void check(List<Conflict> found, String host, int port, String what, String setting) {
        if (port <= 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            InetAddress address = host == null || host.isBlank() ? null : InetAddress.getByName(host);
            s.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
        } catch (IOException e) {
            found.add(new Conflict(what + " " + (host == null || host.isBlank() ? "" : host + ":") + port
                    + " is taken by another process", setting));
        }
    }

    /** Takes the data directory's lock for this process's lifetime; false when another process holds it. */
    static synchronized boolean lockDataDirectory(Path dir) {
        if (lock != null) {
            return true;
        }
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve("orderhub.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock taken = channel.tryLock();
            if (taken == null) {
                channel.close();
                return false;
            }
            lockChannel = channel;
            lock = taken;
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            // a directory the hub cannot write: the components that use it say so
            return true;
        }
    }
}
