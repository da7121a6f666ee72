#!/usr/bin/env bash
# FHIR search and $lastn latency beside /api/v1: one patient with DAYS days of one heart rate a second,
# written straight into a fresh server's SQLite store (as bench/export.sh fills a ward), then the same
# questions asked through FHIR and through the /api/v1 routes the console uses, in turns, one request at a
# time after a warm-up: the latest readings ($lastn max=1 and 10 / .../latest), a page of 100 of the
# 30 days (newest and oldest first / .../readings?from=&to=), a page by code (/ by vital), pages deep in the
# month by next link (/ by cursor), and a walk of the whole month in pages of 1,000. A clinician signed
# in through the console's flow asks both APIs; a SMART backend service (registered public key set,
# signed RS384 client assertion, system/Observation.rs) asks FHIR too. Prints p50/p95/p99/max in ms.
# Needs: the .NET SDK, sqlite3, python3 with requests and cryptography.
#
#   bench/fhir-search.sh                  # 30 days = 2,592,000 readings, 500 repetitions per question
#   DAYS=7 REPEAT=200 bench/fhir-search.sh
#   BUILD=0 bench/fhir-search.sh          # use the Release build already there
#   KEEP=1 bench/fhir-search.sh           # keep the scratch directory (the store, the server's log)
#   STORE=postgresql bench/fhir-search.sh # the same on PostgreSQL (a fresh database on the local server,
#                                         # the role of tests/start-postgresql.sh; one partition per day)
set -euo pipefail

DAYS=${DAYS:-30}
BUILD=${BUILD:-1}
STORE=${STORE:-sqlite}
PG_SERVER=${PG_SERVER:-"Host=127.0.0.1;Port=5432;Username=openward_tests;Password=openward_tests"}
export PGPASSWORD=openward_tests
pg() { psql -h 127.0.0.1 -U openward_tests -v ON_ERROR_STOP=1 -q "$@"; }

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
  [ "$STORE" = sqlite ] || pg -d postgres -c "DROP DATABASE IF EXISTS openward_search_bench WITH (FORCE);" || true
}
trap cleanup EXIT
echo "working in $work" >&2

. "$root/bench/openward-server.sh"
if [ "$BUILD" = 1 ]; then build_openward; fi

store=()
if [ "$STORE" = postgresql ]; then
  pg -d postgres -c "DROP DATABASE IF EXISTS openward_search_bench WITH (FORCE);" -c "CREATE DATABASE openward_search_bench;"
  store=(--OpenWard:Store:Provider=postgresql "--OpenWard:Store:ConnectionString=$PG_SERVER;Database=openward_search_bench")
fi
start_openward_server "${store[@]}"
python3 "$root/bench/fhir-search.py" setup "$openward_url" "$work"
if [ "$STORE" = postgresql ]; then
  # The same readings on PostgreSQL, each past day in a partition of its own as ReadingPartitions would have made it.
  kill "$server_pid"; wait "$server_pid" || true; server_pid=
  last_reading=$(( ($(date +%s) - 3600) * 1000 - 1000 ))
  first_reading=$(( last_reading - (DAYS * 86400 - 1) * 1000 ))
  python3 "$root/bench/fill-readings.py" --postgresql "$work/ward.json" "$first_reading" "$((DAYS * 86400))" > "$work/readings.sql"
  time pg -d openward_search_bench -f "$work/readings.sql" >&2
  pg -d openward_search_bench -c "VACUUM ANALYZE readings;"
  stored_readings=$(pg -d openward_search_bench -tAc "SELECT count(*) FROM readings;")
  echo "stored: $stored_readings readings on PostgreSQL" >&2
else
  fill_heart_rates "$DAYS"
fi
echo "{\"start\": $first_reading, \"end\": $last_reading, \"readings\": $stored_readings}" > "$work/fill.json"

start_openward_server "${store[@]}"
python3 "$root/bench/fhir-search.py" time "$openward_url" "$work"
