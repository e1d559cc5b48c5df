package io.orderhub.config;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under {@code ./mvnw spring-boot:run} only: a SIGTERM ends the hub with exit status 0 after the same graceful
 * shutdown (every shutdown hook runs, Spring closes the context). The JVM's own answer to SIGTERM is status 143,
 * which the Spring Boot Maven plugin reports as BUILD FAILURE although nothing failed (it accepts 0 and 130, the
 * status of Ctrl-C). The plugin sets {@value #PROPERTY}{@code =true} (pom.xml); {@code java -jar} and the
 * container keep the JVM's usual 143.
 *
 * <p>The JDK has no public API for signal handlers; {@code sun.misc.Signal} (module jdk.unsupported, present in
 * every JDK 17) is reached by reflection so that the build stays free of javac's internal-API warnings. When it is
 * missing the hub runs on with the JVM's default and says so once.
 */
public final class CleanExitOnTerm {

    public static final String PROPERTY = "orderhub.dev.clean-exit-on-sigterm";

    private static final Logger log = LoggerFactory.getLogger(CleanExitOnTerm.class);

    private CleanExitOnTerm() {
    }

    /** Installs the handler when {@value #PROPERTY} is true; answers whether it is installed. */
    public static boolean installIfAsked() {
        return Boolean.getBoolean(PROPERTY) && install();
    }

    /** Installs the handler: SIGTERM starts {@code System.exit(0)} on a thread of its own. */
    static boolean install() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object term = signalClass.getConstructor(String.class).newInstance("TERM");
            InvocationHandler onSignal = (proxy, method, args) -> {
                if ("handle".equals(method.getName())) {
                    // not on the signal's own thread: System.exit waits for the shutdown hooks
                    Thread exit = new Thread(() -> System.exit(0), "orderhub-sigterm");
                    exit.start();
                    return null;
                }
                return objectMethod(proxy, method, args);
            };
            Object handler = Proxy.newProxyInstance(CleanExitOnTerm.class.getClassLoader(), new Class<?>[] {handlerType},
                    onSignal);
            signalClass.getMethod("handle", signalClass, handlerType).invoke(null, term, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.info("SIGTERM keeps the JVM's exit status 143 (no signal handler available: {})", e.toString());
            return false;
        }
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "CleanExitOnTerm";
        };
    }
}
