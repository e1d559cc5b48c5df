package io.orderhub.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's CPU time from /proc/stat (all cores): busy share between two readings. */
record CpuTicks(long busy, long total) {

    static CpuTicks read() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new CpuTicks(total - idle, total);
        } catch (Exception e) {
            return null;
        }
    }

    /** Share of all cores busy since {@code before} (0..1), null when unknown. */
    Double busySince(CpuTicks before) {
        if (before == null || total == before.total) {
            return null;
        }
        return (busy - before.busy) / (double) (total - before.total);
    }
}
