package io.orderhub.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 cluster of the test's own (initdb in a temporary directory, a free TCP port on 127.0.0.1,
 * its unix socket in that directory, fsync on), so a test may stop and start it without touching the
 * machine's shared server. initdb and pg_ctl refuse to run as root: when the test JVM is root they run as
 * the {@code postgres} user ({@code runuser -u postgres --}) on a directory that user owns.
 */
final class PrivatePostgres implements AutoCloseable {

    /** Where the server binaries are: {@code orderhub.reliability.pg-bin}, default Debian's PostgreSQL 15. */
    static final Path BIN = Path.of(System.getProperty("orderhub.reliability.pg-bin", "").isBlank()
            ? "/usr/lib/postgresql/15/bin" : System.getProperty("orderhub.reliability.pg-bin"));

    private final Path base;
    private final Path data;
    private final Path serverLog;
    private final Path keptLog;
    private final int port;
    private final boolean asRoot;
    private boolean running;

    /**
     * initdb into a new temporary directory and start the server; {@code keptLog} receives a copy of the
     * server's log when the cluster is closed.
     */
    static PrivatePostgres start(Path keptLog) throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            throw new IllegalStateException("PostgreSQL 15 server binaries not found in " + BIN + " (initdb, pg_ctl): "
                    + "install them (Debian/Ubuntu: apt-get install postgresql-15; .ci/run does) or point "
                    + "-Dorderhub.reliability.pg-bin at them");
        }
        PrivatePostgres pg = new PrivatePostgres(keptLog);
        try {
            pg.init();
            pg.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    private PrivatePostgres(Path keptLog) throws IOException, InterruptedException {
        this.keptLog = keptLog;
        // the postgres user must be able to reach its directory: the base is world-readable, not the default 700
        this.base = Files.createTempDirectory("orderhub-pg-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        this.data = base.resolve("data");
        this.serverLog = base.resolve("postgres.log");
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        this.asRoot = "0".equals(run(List.of("id", "-u"), false).trim());
    }

    int port() {
        return port;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A connection as the cluster's superuser {@code postgres} (trust authentication on 127.0.0.1). */
    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
    }

    /** True when the server takes a connection now. */
    boolean accepting() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres") + "?connectTimeout=5&socketTimeout=10",
                "postgres", "")) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private void init() throws IOException, InterruptedException {
        Files.createDirectories(base.resolve("sock"));
        if (asRoot) {
            run(List.of("chown", "-R", "postgres:postgres", base.toString()), true);
        }
        pg(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C"));
        // appended by this (root) process: the file stays the postgres user's
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "",
                "# PostgresOutageTest's private cluster",
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + base.resolve("sock") + "'",
                "fsync = on",
                "synchronous_commit = on",
                "max_connections = 60",
                "shared_buffers = 32MB",
                ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    void start() throws IOException, InterruptedException {
        pg(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", serverLog.toString(), "-w", "-t", "120",
                "start"));
        running = true;
    }

    /** pg_ctl stop with the given mode ({@code smart}, {@code fast}, {@code immediate}), waiting for the stop. */
    void stop(String mode) throws IOException, InterruptedException {
        pg(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "120", "stop"));
        running = false;
    }

    @Override
    public void close() {
        try {
            if (running || Files.exists(data.resolve("postmaster.pid"))) {
                pg(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "60",
                        "stop"));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // stopped already, or never started: the directory goes anyway
        } finally {
            running = false;
            try {
                if (keptLog != null && Files.exists(serverLog)) {
                    Files.createDirectories(keptLog.getParent());
                    Files.copy(serverLog, keptLog, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // the copy of the server log is a convenience
            }
            deleteTree(base);
        }
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, true);
    }

    /** Runs a command in the cluster's directory; its output goes to a file (pg_ctl's server must not hold a pipe). */
    private String run(List<String> command, boolean check) throws IOException, InterruptedException {
        Path out = Files.createTempFile("orderhub-pg-cmd-", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 180 s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue()
                        + ":\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
