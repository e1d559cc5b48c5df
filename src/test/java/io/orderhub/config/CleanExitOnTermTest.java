package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A SIGTERM to a JVM with {@link CleanExitOnTerm} installed ends it with status 0 after its shutdown hooks ran (what
 * {@code spring-boot:run} needs to not print BUILD FAILURE); without it the JVM's own status is 143. Each case runs
 * a child JVM on this test's class path and sends it a real SIGTERM ({@link ProcessHandle#destroy()} on Linux).
 */
class CleanExitOnTermTest {

    @Test
    void sigtermEndsWithStatusZeroAfterTheShutdownHooks() throws Exception {
        Ended ended = terminate(true);
        assertThat(ended.output()).contains("ready installed=true", "hook ran");
        assertThat(ended.status()).isZero();
    }

    @Test
    void withoutTheHandlerTheJvmAnswers143() throws Exception {
        Ended ended = terminate(false);
        assertThat(ended.output()).contains("ready installed=false", "hook ran");
        assertThat(ended.status()).isEqualTo(143);
    }

    private record Ended(int status, List<String> output) {
    }

    private static Ended terminate(boolean install) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path")));
        if (install) {
            command.add("-D" + CleanExitOnTerm.PROPERTY + "=true");
        }
        command.add(Target.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("ready")) {
                    child.toHandle().destroy(); // SIGTERM (Process.destroy would also close this stream)
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        return new Ended(child.exitValue(), output);
    }

    /** The child JVM: installs the handler when asked, says ready, and waits to be terminated. */
    public static final class Target {
        public static void main(String[] args) throws InterruptedException {
            boolean installed = CleanExitOnTerm.installIfAsked();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
            System.out.println("ready installed=" + installed);
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
