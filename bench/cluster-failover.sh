#!/usr/bin/env bash
# Issue 20's measures across nodes, on a local three-node cluster (bench/cluster.sh) on one PostgreSQL.
# DEVICES devices, each its own patient, are spread over the three nodes and publish RATE messages a
# second at QoS 1; five probe devices connected to node 1 press their emergency button in turn, and
# a console on node 3's alerts hub times each alert. Two runs, one after the other:
#   1. steady: publish→acknowledge and publish→alert across nodes;
#   2. failover: node 2 is killed (SIGKILL) KILL_AFTER seconds into the measured run; its devices
#      reconnect to the other nodes, and the run times each until a message is acknowledged again,
#      and how long until every probe patient's call raises an alert again.
# Both runs verify that every acknowledged reading is in the store. Needs: the .NET SDK, psql, a
# running PostgreSQL (tests/start-postgresql.sh).
#
#   bench/cluster-failover.sh                  # 2,000 devices × 1/s, 20 s warm-up, 40 s measured
#   DEVICES=500 DURATION=20 bench/cluster-failover.sh
#   ALERT_NODE=1 RUNS=steady bench/cluster-failover.sh   # the console on the probes' own node; the steady run only
#   WARMUP=120 DURATION=180 RUNS=steady bench/cluster-failover.sh   # warm nodes and ~700 calls: a p99 worth the name
#   NODE_ARGS="--OpenWard:Store:GroupCommitWindow=00:00:00" bench/cluster-failover.sh   # more settings for every node
set -euo pipefail

DEVICES=${DEVICES:-2000}
RATE=${RATE:-1}
DURATION=${DURATION:-40}
WARMUP=${WARMUP:-20}
KILL_AFTER=${KILL_AFTER:-10}
ALERT_NODE=${ALERT_NODE:-3}
RUNS=${RUNS:-"steady failover"}
export CLUSTER_DIR=${CLUSTER_DIR:-/tmp/openward-cluster-failover}
export DATABASE=${DATABASE:-openward_cluster_failover}
# Every benchmark device connects from one address: the per-address limit is raised on each node.
export NODE_ARGS="--OpenWard:Devices:RequestsPerAddressPerMinute=1000000 ${NODE_ARGS:-}"

root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$CLUSTER_DIR"
cluster_pid=
cleanup() { [ -n "$cluster_pid" ] && kill "$cluster_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

echo "building the CLI (Release)…" >&2
dotnet build -c Release "$root/src/OpenWard.Cli" -v quiet -nologo > "$CLUSTER_DIR/cli-build.log"
openward="$root/src/OpenWard.Cli/bin/Release/net10.0/openward"

"$root/bench/cluster.sh" > "$CLUSTER_DIR/cluster.out" 2>&1 &
cluster_pid=$!
for _ in $(seq 1 600); do
  grep -q "is up with" "$CLUSTER_DIR/cluster.out" && break
  kill -0 "$cluster_pid" 2>/dev/null || { cat "$CLUSTER_DIR/cluster.out" >&2; exit 1; }
  sleep 0.5
done
grep -q "is up with" "$CLUSTER_DIR/cluster.out" || { echo "the cluster did not come up" >&2; cat "$CLUSTER_DIR/cluster.out" >&2; exit 1; }
grep '^node ' "$CLUSTER_DIR/cluster.out" >&2
node_pid() { awk -v n="$1" '$1 == "node" && $2 == n { for (i = 1; i < NF; i++) if ($i == "pid") print $(i + 1) }' "$CLUSTER_DIR/cluster.out"; }

bench() {
  "$openward" --server http://127.0.0.1:15081 --data "$CLUSTER_DIR/node-1" bench ingest \
    --nodes 127.0.0.1:18881,127.0.0.1:18882,127.0.0.1:18883 --alert-console "http://127.0.0.1:1508$ALERT_NODE" --alert-probes 5 \
    --server-pid "$(node_pid 1)" --devices "$DEVICES" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" "$@"
}

if [[ " $RUNS " == *" steady "* ]]; then
  echo "steady run: $DEVICES devices over three nodes, alerts timed on node $ALERT_NODE" >&2
  bench
fi
if [[ " $RUNS " == *" failover "* ]]; then
  echo "failover run: node 2 (pid $(node_pid 2)) killed $KILL_AFTER s into the measured run" >&2
  bench --kill-pid "$(node_pid 2)" --kill-after "$KILL_AFTER"
fi
