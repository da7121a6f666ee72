#!/usr/bin/env bash
# The same MQTT ingest against a fresh server on each store engine, in one run: the embedded SQLite
# file beside a PostgreSQL database (a fresh one each round, on the local server as
# tests/start-postgresql.sh sets it up, or PG_SERVER). Single-reading messages and batched messages
# (BATCH readings each), closed loop, DEVICES devices, ROUNDS rounds alternating the engines.
# Server CPU counts OpenWard's process only; PostgreSQL's own CPU is measured beside it.
# Needs: the .NET SDK, python3, psql, a running PostgreSQL.
#
#   bench/store-engines.sh
#   DEVICES=200 BATCH=500 bench/store-engines.sh
#   ENGINES=postgresql MODES=batched bench/store-engines.sh    # one engine, one kind of message
set -euo pipefail

DEVICES=${DEVICES:-100}
BATCH=${BATCH:-100}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-1}
ENGINES=${ENGINES:-"sqlite postgresql"}
MODES=${MODES:-"single batched"}
PG_SERVER=${PG_SERVER:-"Host=127.0.0.1;Port=5432;Username=openward_tests;Password=openward_tests"}
export PGPASSWORD=openward_tests

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U openward_tests -d postgres -qc "DROP DATABASE IF EXISTS openward_bench WITH (FORCE);" 2>/dev/null || true
}
trap cleanup EXIT
echo "working in $work" >&2

. "$root/bench/openward-server.sh"
build_openward

# CPU seconds of every PostgreSQL process, to tell what the store cost beside OpenWard.
postgres_cpu_seconds() {
  local ticks=0
  for pid in $(pgrep -x postgres || true); do
    [ -r "/proc/$pid/stat" ] && ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo $((ticks / $(getconf CLK_TCK)))
}

for round in $(seq 1 "$ROUNDS"); do
  for engine in $ENGINES; do
    for mode in $MODES; do
      rm -rf "$work/data"
      store=()
      if [ "$engine" = postgresql ]; then
        psql -h 127.0.0.1 -U openward_tests -d postgres -qc "DROP DATABASE IF EXISTS openward_bench WITH (FORCE);" -c "CREATE DATABASE openward_bench;"
        store=(--OpenWard:Store:Provider=postgresql "--OpenWard:Store:ConnectionString=$PG_SERVER;Database=openward_bench")
      fi
      start_openward_server --OpenWard:Devices:MessagesPerSecond=100000 --OpenWard:Devices:Burst=100000 "${store[@]}"
      batch=1; [ "$mode" = batched ] && batch=$BATCH
      pg_before=$(postgres_cpu_seconds)
      wal_before=$(psql -h 127.0.0.1 -U openward_tests -d postgres -tAc "SELECT pg_current_wal_lsn()")
      "$openward" --server "$openward_url" --data "$work/data" bench ingest --mqtt-port "$openward_mqtt_port" --server-pid "$server_pid" \
        --devices "$DEVICES" --batch "$batch" --duration "$DURATION" --warmup "$WARMUP" > "$work/$engine-$mode-$round.json" 2> "$work/$engine-$mode-$round.progress" \
        || echo "run exited $? (see $work/$engine-$mode-$round.progress)" >&2
      echo $(( $(postgres_cpu_seconds) - pg_before )) > "$work/$engine-$mode-$round.pgcpu"
      kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
      if [ "$engine" = postgresql ]; then
        # What a reading costs PostgreSQL: the readings' partitions with their indexes and TOAST, per
        # stored reading, and the write-ahead log the whole run wrote (the server is alone here).
        psql -h 127.0.0.1 -U openward_tests -d openward_bench -tAc \
          "SELECT (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'readings'::regclass), (SELECT count(*) FROM readings), pg_current_wal_lsn() - '$wal_before'::pg_lsn" \
          > "$work/$engine-$mode-$round.pgsize"
      fi
    done
  done
done

python3 - "$work" "$ROUNDS" "$DURATION" "$WARMUP" "$BATCH" "$ENGINES" "$MODES" <<'PY'
import json, sys
work, rounds, duration, warmup, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
engines, modes = sys.argv[6].split(), sys.argv[7].split()
print("| store | messages | messages/s | readings/s | publish→ack p50 / p99 (ms) | lost | OpenWard CPU (cores) | PostgreSQL CPU (cores) |")
print("|---|---|---|---|---|---|---|---|")
for mode in modes:
    for engine in engines:
        for r in range(1, rounds + 1):
            run = json.load(open(f"{work}/{engine}-{mode}-{r}.json"))
            pg = int(open(f"{work}/{engine}-{mode}-{r}.pgcpu").read()) / (duration + warmup)
            lat = run["publishToAcknowledgeMs"]
            label = "1 reading" if mode == "single" else f"{batch} readings"
            print(f"| {engine} | {label} | {run['messagesPerSecond']:,.0f} | {run['readingsPerSecond']:,.0f} | {lat['p50']:.1f} / {lat['p99']:.1f} | "
                  f"{run.get('readingsLost') or 0} | {run.get('serverCores') or float('nan'):.2f} | {pg:.2f} |")
for mode in modes:
    for r in range(1, rounds + 1):
        try:
            size, count, wal = open(f"{work}/postgresql-{mode}-{r}.pgsize").read().strip().split("|")
        except (OSError, ValueError):
            continue
        print(f"PostgreSQL, {mode}, round {r}: {int(count):,} readings stored, {int(size) / int(count):.0f} bytes each on disk "
              f"(partitions, indexes, TOAST); {int(float(wal)) / int(count):.0f} bytes of write-ahead log per reading")
PY
