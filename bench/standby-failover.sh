#!/usr/bin/env bash
# One OpenWard node on PostgreSQL with a synchronous streaming standby, and the primary lost mid-run.
# Makes two PostgreSQL 15 clusters of its own (PRIMARY_PORT, STANDBY_PORT; the machine's other
# clusters are not touched): a primary whose commits wait for the standby (synchronous_standby_names,
# synchronous_commit=on) and a standby made with pg_basebackup. Starts a Release OpenWard on them with a
# multi-host connection string (primary first, target session primary), drives it with
# `openward bench ingest` (DEVICES devices × RATE messages a second, QoS 1), and KILL_AFTER seconds into
# the measured run stops the primary as a crash (`pg_ctlcluster … stop -m immediate`), waits
# PROMOTE_AFTER seconds (what Patroni or an operator would take to decide) and promotes the standby.
# The bench times each device from the primary's loss until a message is acknowledged again, and
# verifies through OpenWard's API, after the failover, that every acknowledged reading is stored; the
# script checks the same on the promoted database directly. Both clusters are dropped at the end.
#
# Needs: root (it creates, promotes and drops PostgreSQL clusters), Debian's postgresql-15 and
# postgresql-common (pg_createcluster), the .NET SDK, python3.
#
#   bench/standby-failover.sh                 # 50 devices × 10/s, 10 s warm-up, 40 s measured, loss at 10 s
#   PROMOTE_AFTER=10 bench/standby-failover.sh
#   HOST_RECHECK=10 bench/standby-failover.sh  # Npgsql re-checks which server is the primary after 10 s (its own default), not OpenWard's 1
set -euo pipefail

DEVICES=${DEVICES:-50}
RATE=${RATE:-10}
DURATION=${DURATION:-40}
WARMUP=${WARMUP:-10}
KILL_AFTER=${KILL_AFTER:-10}
PROMOTE_AFTER=${PROMOTE_AFTER:-0}
# How long Npgsql trusts what it last learnt of a server (primary or standby): unset, OpenWard's 1 s.
HOST_RECHECK=${HOST_RECHECK:-}
PRIMARY_PORT=${PRIMARY_PORT:-5434}
STANDBY_PORT=${STANDBY_PORT:-5435}
PG_VERSION=15
primary=owprimary
standby=owstandby
database=openward_standby
password=openward_standby

[ "$(id -u)" = 0 ] || { echo "run as root: it creates, promotes and drops PostgreSQL clusters" >&2; exit 1; }
command -v pg_createcluster > /dev/null || { echo "needs Debian's postgresql-common and postgresql-$PG_VERSION (apt-get install postgresql)" >&2; exit 1; }
for cluster in $primary $standby; do
  if pg_lsclusters -h | awk '{print $2}' | grep -qx "$cluster"; then
    echo "a cluster named $cluster exists already (a run that did not finish?): pg_dropcluster --stop $PG_VERSION $cluster" >&2
    exit 1
  fi
done

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null || true
  for cluster in $standby $primary; do
    pg_dropcluster --stop $PG_VERSION $cluster 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM
echo "working in $work" >&2

as_postgres() { runuser -u postgres -- "$@"; }
psql_at() { as_postgres psql -h /var/run/postgresql -p "$1" -d "${3:-postgres}" -XtAqc "$2"; }

echo "making the primary (port $PRIMARY_PORT) and its synchronous standby (port $STANDBY_PORT)…" >&2
pg_createcluster $PG_VERSION $primary -p "$PRIMARY_PORT" > "$work/pg.log"
echo "listen_addresses = '127.0.0.1'" > /etc/postgresql/$PG_VERSION/$primary/conf.d/standby.conf
pg_ctlcluster $PG_VERSION $primary start
psql_at "$PRIMARY_PORT" "CREATE ROLE openward LOGIN PASSWORD '$password'"
psql_at "$PRIMARY_PORT" "CREATE DATABASE $database OWNER openward"

pg_createcluster $PG_VERSION $standby -p "$STANDBY_PORT" >> "$work/pg.log"
echo "listen_addresses = '127.0.0.1'" > /etc/postgresql/$PG_VERSION/$standby/conf.d/standby.conf
standby_data=$(pg_lsclusters -h | awk -v c=$standby '$2 == c {print $6}')
rm -rf "$standby_data"
as_postgres pg_basebackup -h /var/run/postgresql -p "$PRIMARY_PORT" -D "$standby_data" -R -X stream -c fast \
  -d "application_name=$standby" >> "$work/pg.log" 2>&1
pg_ctlcluster $PG_VERSION $standby start
# Commits wait for the standby from now on (not before it streams: they would wait for ever). In the
# primary's own configuration, not its data directory, which pg_basebackup copied: once promoted, the
# standby has no standby of its own and must not wait for one.
cat >> /etc/postgresql/$PG_VERSION/$primary/conf.d/standby.conf <<EOF
synchronous_standby_names = '$standby'
synchronous_commit = on
EOF
pg_ctlcluster $PG_VERSION $primary reload
for _ in $(seq 1 60); do
  [ "$(psql_at "$PRIMARY_PORT" "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$standby'")" = sync ] && break
  sleep 0.5
done
[ "$(psql_at "$PRIMARY_PORT" "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$standby'")" = sync ] \
  || { echo "the standby did not become synchronous (see $work/pg.log and /var/log/postgresql/)" >&2; exit 1; }
echo "the standby streams synchronously" >&2

. "$root/bench/openward-server.sh"
echo "building OpenWard (Release)…" >&2
build_openward
# What every node of a deployment with a standby is given: both servers, and only the primary will do.
store="Host=127.0.0.1:$PRIMARY_PORT,127.0.0.1:$STANDBY_PORT;Target Session Attributes=primary;Database=$database;Username=openward;Password=$password${HOST_RECHECK:+;Host Recheck Seconds=$HOST_RECHECK}"
start_openward_server --OpenWard:Store:Provider=postgresql "--OpenWard:Store:ConnectionString=$store"

# Run by the bench at the moment of the loss, with its times on the error stream (into the progress file).
lose="echo lost at \$(date +%s.%N); pg_ctlcluster $PG_VERSION $primary stop -m immediate; echo primary stopped at \$(date +%s.%N); \
sleep $PROMOTE_AFTER; pg_ctlcluster $PG_VERSION $standby promote; echo standby promoted at \$(date +%s.%N)"
echo "$DEVICES devices × $RATE/s; the primary is lost $KILL_AFTER s into the measured run, the standby promoted $PROMOTE_AFTER s later" >&2
status=0
"$openward" --server "$openward_url" --data "$work/data" bench ingest --mqtt-port "$openward_mqtt_port" --server-pid "$server_pid" \
  --devices "$DEVICES" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --kill-after "$KILL_AFTER" --lose-with "$lose" \
  > "$work/report.json" 2> "$work/progress" || status=$?
cat "$work/progress" >&2
[ "$status" = 0 ] || echo "the bench exited $status: it saw an acknowledged reading missing, a refusal, or a device that did not come back" >&2

# The promoted database on its own: no longer in recovery, and holding what the bench counted as acknowledged.
in_recovery=$(psql_at "$STANDBY_PORT" "SELECT pg_is_in_recovery()")
stored=$(psql_at "$STANDBY_PORT" "SELECT count(*) FROM readings" "$database")
python3 - "$work/report.json" "$work/progress" "$in_recovery" "$stored" <<'PY'
import json, re, sys
report, progress, in_recovery, stored = json.load(open(sys.argv[1])), open(sys.argv[2]).read(), sys.argv[3], int(sys.argv[4])
times = {k: float(v) for k, v in re.findall(r"^(lost|primary stopped|standby promoted) at ([0-9.]+)$", progress, re.M)}
if "lost" in times:
    print(f"primary stopped {1000 * (times['primary stopped'] - times['lost']):.0f} ms after the loss began; "
          f"standby promoted {1000 * (times['standby promoted'] - times['lost']):.0f} ms after it")
failover = report.get("failover")
if failover:
    back = failover["lossToAcknowledgedMs"]
    print(f"devices cut off / acknowledged again: {failover['devicesCutOff']} / {failover['devicesBack']}; "
          f"loss → acknowledged again p50 {back['p50']:.0f} ms, p99 {back['p99']:.0f} ms, max {back['max']:.0f} ms")
else:
    print("no device was cut off by the loss")
print(f"readings acknowledged in the measured run: {report['readingsAcknowledged']:,}; refused or failed: {report['messagesRefused']}")
print(f"verified through OpenWard's API after the failover: {report.get('readingsVerifiedStored')} stored, {report.get('readingsLost')} acknowledged but missing")
print(f"the promoted server: in recovery {in_recovery}; {stored:,} readings in its database (warm-up included)")
PY
exit "$status"
