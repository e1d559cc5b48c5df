#!/bin/sh
# Query plans of the planning and report queries on a million orders (issue 10, docs/planning.md).
#
#   bench/planning-queries.sh                 # PostgreSQL at 127.0.0.1:5432, user postgres
#   PGHOST=db PGUSER=me bench/planning-queries.sh
#   KEEP=1 bench/planning-queries.sh          # reuse the seeded database of an earlier run
#
# Creates the scratch database orderhub_plan_bench (dropped first unless KEEP=1), applies the Flyway
# migrations (src/main/resources/db/migration, plain SQL), seeds 1,000,000 orders with their lines,
# timelines and ledger rows (bench/planning/seed.sql, generate_series), then runs EXPLAIN ANALYZE of
# every report and planning query (bench/planning/queries.sql) and writes the plans and a table of
# execution times to bench/results/planning-queries-<UTC time>.md.
set -eu
cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
DB="${DB:-orderhub_plan_bench}"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="bench/results/planning-queries-$STAMP.md"
mkdir -p bench/results

if [ "${KEEP:-0}" != 1 ]; then
  psql -q -d postgres -c "drop database if exists $DB" -c "create database $DB"
  for f in $(ls src/main/resources/db/migration/V*.sql | sort -V); do
    psql -q -v ON_ERROR_STOP=1 -d "$DB" -f "$f"
  done
  start=$(date +%s)
  psql -q -v ON_ERROR_STOP=1 -d "$DB" -f bench/planning/seed.sql
  echo "seeded in $(( $(date +%s) - start )) s"
  # the figures the reorder-suggestion query reads: one row per bench SKU and warehouse
  psql -q -v ON_ERROR_STOP=1 -d "$DB" -c "insert into planning_figures (sku, warehouse_id, computed_at, avg_daily, reorder_point, order_quantity, document)
    select s.sku, s.warehouse_id, now(), 5, 900 + (abs(hashtext(s.sku)) % 200), 120, '{}' from stock s where s.sku like 'BENCH-%'; analyze planning_figures;"
fi

PLANS=$(psql -v ON_ERROR_STOP=1 -d "$DB" -f bench/planning/queries.sql 2>&1)
{
  echo "# Planning and report query plans, $STAMP"
  echo
  echo "PostgreSQL $(psql -tA -d "$DB" -c 'show server_version'), database $DB:"
  psql -tA -d "$DB" -c "select count(*) || ' orders, ' || (select count(*) from order_lines) || ' lines, ' || (select count(*) from order_events) || ' events, ' || (select count(*) from stock_ledger) || ' ledger rows' from orders"
  echo
  echo "| query | execution time |"
  echo "|---|---|"
  echo "$PLANS" | awk '/^### /{q=substr($0,5)} /Execution Time/{print "| " q " | " $3 " ms |"}'
  echo
  echo '```'
  echo "$PLANS"
  echo '```'
} > "$OUT"
sed -n '1,20p' "$OUT"
echo "plans: $OUT"
