#!/usr/bin/env bash
# Issue 5's measure: end-to-end alert latency with 5,000 devices each publishing once a second.
# Starts a Release OpenWard server with fresh state, registers the devices (one patient each),
# publishes for WARMUP seconds, then measures for DURATION seconds while five probe devices press
# their emergency button in turn and a console on /hubs/alerts times each alert. Needs: the .NET SDK.
#
#   bench/alert-latency.sh                    # 5,000 devices × 1/s, 20 s warm-up, 30 s measured
#   DEVICES=1000 RATE=2 bench/alert-latency.sh
set -euo pipefail

DEVICES=${DEVICES:-5000}
RATE=${RATE:-1}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-20}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
echo "working in $work" >&2

. "$root/bench/openward-server.sh"
build_openward
start_openward_server

"$openward" --server "$openward_url" --data "$work/data" bench ingest --mqtt-port "$openward_mqtt_port" --server-pid "$server_pid" \
  --devices "$DEVICES" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --alert-probes 5
