package io.orderhub.format.json;

import java.util.concurrent.atomic.AtomicReference;

import com.dashjoin.jsonata.Jsonata;

/**
 * Compiles a JSONata expression so that it can be evaluated many times, from any thread.
 *
 * <p>The library (com.dashjoin:jsonata) keeps one scratch instance per thread for evaluating, and makes the instance
 * a thread compiles that thread's scratch instance. Evaluating writes the current frame into the scratch instance's
 * {@code environment}, and every later evaluation of the compiled expression starts from its {@code environment}.
 * So an expression evaluated on the thread that compiled it chains each evaluation's frames onto the last ones: the
 * chain grows by every evaluation (variable lookups walk it: slower each time, then a {@code StackOverflowError}), and
 * other threads evaluating the same expression start from that thread's frames (issue 17's profile: CRM events
 * dead-lettered under load with a stack overflow in {@code Frame.lookup}, or with the event itself as the mapping's
 * result). Compiling on a thread of its own, which ends at once, leaves no thread with the compiled instance as its
 * scratch: every evaluating thread gets a copy, and the compiled expression's {@code environment} stays as compiled.
 */
public final class JsonataCompiler {

    private JsonataCompiler() {
    }

    /** The compiled expression; a syntax error is thrown as the library's {@code JException}, as by {@code Jsonata.jsonata}. */
    public static Jsonata compile(String expression) {
        AtomicReference<Jsonata> compiled = new AtomicReference<>();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        AtomicReference<Error> error = new AtomicReference<>();
        Thread compiler = new Thread(() -> {
            try {
                compiled.set(Jsonata.jsonata(expression));
            } catch (RuntimeException e) {
                failed.set(e);
            } catch (Error e) {
                error.set(e);
            }
        }, "jsonata-compile");
        compiler.setDaemon(true);
        compiler.start();
        try {
            compiler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling a JSONata mapping", e);
        }
        if (error.get() != null) {
            throw error.get();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return compiled.get();
    }
}
