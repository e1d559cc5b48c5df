#!/usr/bin/env bash
# Load benchmark (issue 12): throughput, latency and cost per order beside the machine's own limits.
#
#   bench/load.sh                      # full run (~10 min): starts the hub on a scratch PostgreSQL database
#   bench/load.sh --quick              # smoke check (~3 min): short runs, low rates
#   bench/load.sh --url http://host:8080 --db-url jdbc:postgresql://host:5432/orderhub --broker-port 61616
#                                      # load a running hub (embedded default keys, ORDERHUB_INVENTORY_UNKNOWN_SKU=hold)
#   bench/load.sh --lifecycle-rate 700 --lifecycle-seconds 600 --phases baselines,lifecycle
#                                      # the 10-minute lifecycle target on its own
#   bench/load.sh --help               # every option
#
# Builds with the Maven profile "bench" into target/bench/ (the normal build neither compiles nor runs
# any of this), starts PostgreSQL when it is installed but not running (as .ci/run does), then runs
# io.orderhub.bench.load.LoadBench. Writes bench/results/load-<UTC time>.md and .json; the hub's log and
# the JFR recordings of the maximum-rate run and of the lifecycle stay in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
  cat <<'HELP'
bench/load.sh [options]
  --quick                      short smoke run (rates 100,300; 1 run each; 15 s lifecycle at 50/s)
  --url URL                    load a running hub instead of starting one (no JFR, CPU from its actuator)
  --db-url JDBC_URL            the running hub's database (lifecycle, stage times, outbox backlog); user --pg-user
  --broker-port PORT           the running hub's broker acceptor (JMS ingest, queue depths)
  --pg-host H --pg-port P --pg-user U --pg-password PW    PostgreSQL for the scratch databases (127.0.0.1 5432 postgres)
  --rates 100,300,700,1000     open-loop ingest rates (orders/s)
  --runs 3                     runs per case (medians are reported)
  --seconds 10                 seconds per ingest run (fixed rate and maximum)
  --warmup-seconds 20          warm-up at 300/s before measuring
  --max-clients 128            closed-loop clients of the maximum-rate runs
  --max-in-flight 512          open loop: most outstanding requests
  --formats ubl,x12-850,shopify   formats posted to /api/channels/{channel}/orders (maximum rate)
  --format-seconds 8           seconds per format run
  --jms-messages 1000 --jms-producers 4    JMS ingest per run
  --lifecycle-rate 700 --lifecycle-seconds 120 --lifecycle-drain-seconds 90
  --lifecycle-sku-groups 32    lifecycle orders spread over 32 groups of 3 stocked SKUs (1: all on the same 3 stock rows)
  --baseline-seconds 15        raw PostgreSQL and raw Artemis runs
  --pool-size 16               hub DB pool size (and the PostgreSQL baseline's connections)
  --heap 1g                    hub heap (-Xms/-Xmx)
  --phases baselines,ingest,max,formats,jms,lifecycle
  --no-jfr                     no JFR recording of the maximum-rate run and of the lifecycle
  --jfr-settings profile       JFR's settings for those recordings: profile or default (JFR's own), or cpu
                               (bench/cpu-samples.jfc: CPU and allocation samples only); when it records, the hub
                               starts with JFR set up, so a recording does not make it recompile under load
  --keep-database              keep the scratch database orderhub_bench_<time>
  --sandboxes-in-hub           run the sandboxes inside the hub (embedded default); by default they run in a
                               second JVM on their own scratch database, so the hub's CPU is counted alone
  --api-key K --admin-key K --channel C    keys and channel (embedded default: demo-webshop-key, demo-admin-key, webshop)
  --note TEXT                  a note printed at the top of the report
  --out DIR                    where reports go (bench/results)
HELP
  exit 0
fi

MVN="${MVN:-./mvnw}"
"$MVN" -q -B -ntp ${MAVEN_ARGS:-} -Pbench test-compile
CP="target/bench/test-classes:target/bench/classes:$(cat target/bench/bench.classpath)"

# PostgreSQL for the scratch databases (not needed with --url unless baselines run)
PGHOST=127.0.0.1; PGPORT=5432; PGUSER=postgres
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --pg-host) PGHOST="${args[$((i + 1))]}" ;;
    --pg-port) PGPORT="${args[$((i + 1))]}" ;;
    --pg-user) PGUSER="${args[$((i + 1))]}" ;;
  esac
done
pg_ready() { pg_isready -h "$PGHOST" -p "$PGPORT" -q 2>/dev/null; }
if command -v pg_isready >/dev/null 2>&1 && ! pg_ready; then
  echo "PostgreSQL is not answering on $PGHOST:$PGPORT: starting it"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  elif command -v service >/dev/null 2>&1; then
    service postgresql start || true
  fi
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi

exec java -Xmx1g -Dlogback.configurationFile=bench/logback-load.xml -cp "$CP" io.orderhub.bench.load.LoadBench --command "bench/load.sh $*" "$@"
