package io.orderhub.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Aggregates the execution samples (jdk.ExecutionSample) of a JFR recording of the hub: the top methods
 * by samples on the top of the stack (self time), the hub's own methods (first io.orderhub frame of each
 * stack, i.e. which hub code the time is spent under), and a split by library (package of the top frame).
 */
final class HotMethods {

    private HotMethods() {
    }

    static Map<String, Object> summarize(Path recording, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> hub = new HashMap<>();
        Map<String, Long> area = new HashMap<>();
        long samples = 0;
        Map<Long, long[]> allocated = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
                // cumulative bytes per thread, sampled periodically: allocation in the window = last - first
                long bytes = e.getLong("allocated");
                jdk.jfr.consumer.RecordedThread thread = e.getThread("thread");
                long id = thread == null ? -1 : thread.getJavaThreadId();
                allocated.merge(id, new long[] {bytes, bytes},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                continue;
            }
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            RecordedFrame first = frames.get(0);
            self.merge(name(first), 1L, Long::sum);
            area.merge(area(first.getMethod().getType().getName()), 1L, Long::sum);
            String under = "(no io.orderhub frame)";
            for (RecordedFrame f : frames) {
                String type = f.getMethod().getType().getName();
                if (type.startsWith("io.orderhub.") && !type.contains("$$")) {
                    under = name(f);
                    break;
                }
            }
            hub.merge(under, 1L, Long::sum);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recording", recording.getFileName().toString());
        m.put("executionSamples", samples);
        m.put("allocatedBytes", allocated.values().stream().mapToLong(a -> a[1] - a[0]).sum());
        m.put("topSelf", top(self, samples, top));
        m.put("topHubFrames", top(hub, samples, top));
        m.put("byLibrary", top(area, samples, 20));
        return m;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** A coarse library name for a class: the first two or three package segments. */
    static String area(String type) {
        String[] p = type.split("\\.");
        if (p.length <= 2) {
            return type;
        }
        String two = p[0] + "." + p[1];
        return switch (two) {
            case "org.apache", "com.fasterxml", "org.springframework", "io.orderhub", "org.eclipse", "com.zaxxer",
                 "io.micrometer", "io.netty", "jdk.internal", "sun.nio", "java.util", "java.lang", "java.io", "java.net",
                 "java.time", "java.nio", "java.math", "com.networknt" -> p.length > 3 ? two + "." + p[2] : two;
            default -> two;
        };
    }

    private static List<Map<String, Object>> top(Map<String, Long> counts, long total, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .map(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", e.getKey());
                    row.put("samples", e.getValue());
                    row.put("share", Stats.round(total == 0 ? 0.0 : e.getValue() / (double) total));
                    return row;
                }).toList();
    }
}
