#!/bin/sh
# What one partner call costs the hub's JVM (issue 17): client CPU per call of the JDK's HttpClient (as the payment
# and carrier clients used it, and on HTTP/1.1) beside io.orderhub.common.PartnerHttp, against a small HTTP/1.1
# server in a second JVM (io.orderhub.bench.PartnerCallCost).
#
#   bench/partner-calls.sh                 # 30,000 calls per run, 2 rounds (cases in one order, then the other)
#   bench/partner-calls.sh 50000 3         # calls per run, rounds
#   MAVEN_ARGS=-o bench/partner-calls.sh   # build offline
#
# Builds with the Maven profile "bench" into target/bench/ (the normal build never compiles src/bench/java).
set -eu
cd "$(dirname "$0")/.."
MVN="${MVN:-./mvnw}"
"$MVN" -q -B ${MAVEN_ARGS:-} -Pbench test-compile
CP="target/bench/test-classes:target/bench/classes:$(cat target/bench/bench.classpath)"
exec java -cp "$CP" io.orderhub.bench.PartnerCallCost "$@"
