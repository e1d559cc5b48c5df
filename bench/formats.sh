#!/bin/sh
# Format benchmarks (issue 3, "Performance"): JMH, documents/s per format for documents of 1, 10 and 100
# lines, the hub's path (format.read + validation) beside a plain parse of the same bytes in the same run.
#
#   bench/formats.sh                                  # all formats and sizes, short settings (below)
#   bench/formats.sh -f 3 -wi 5 -w 5s -i 10 -r 5s     # JMH options replace the short settings
#   FORMATS="csv ubl" LINES="100" bench/formats.sh    # some formats / sizes only
#   MAVEN_ARGS=-o bench/formats.sh                    # build offline
#
# Builds with the Maven profile "bench" into target/bench/ (the normal build never compiles
# src/bench/java), then runs JMH once per format and size, so a case's baseline and hub path are
# measured back to back (a ratio is not skewed by load that changes during a long run). Writes
# bench/results/formats-<UTC time>.md and .json (report) and .jmh.json (all raw JMH results).
set -eu
cd "$(dirname "$0")/.."

DEFAULTS="-f 1 -wi 2 -w 2s -i 3 -r 2s -t 1"
OPTIONS="${*:-$DEFAULTS}"
FORMATS="${FORMATS:-canonical shopify woocommerce csv ubl cxml x12-850 edifact-orders}"
LINES="${LINES:-1 10 100}"
MVN="${MVN:-./mvnw}"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results
RUN="target/bench/jmh-$STAMP"
mkdir -p "$OUT" "$RUN"

"$MVN" -q -B ${MAVEN_ARGS:-} -Pbench test-compile
CP="target/bench/test-classes:target/bench/classes:$(cat target/bench/bench.classpath)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

for format in $FORMATS; do
    for lines in $LINES; do
        # shellcheck disable=SC2086
        java -cp "$CP" org.openjdk.jmh.Main 'io.orderhub.bench.FormatBenchmark' $OPTIONS \
            -p format="$format" -p lines="$lines" -rf json -rff "$RUN/$format-$lines.json" -foe true
    done
done

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
java -cp "$CP" io.orderhub.bench.BenchReport "$OUT/formats-$STAMP" "$(nproc 2>/dev/null || echo unknown)" \
    "$LOAD_START at start, $LOAD_END at end" \
    "FORMATS=\"$FORMATS\" LINES=\"$LINES\" bench/formats.sh $OPTIONS  (per format and size: java -cp <target/bench class path> org.openjdk.jmh.Main io.orderhub.bench.FormatBenchmark $OPTIONS -p format=<format> -p lines=<lines>)" \
    "$RUN"/*.json
echo "report: $OUT/formats-$STAMP.md"
cat "$OUT/formats-$STAMP.md"
