#!/usr/bin/env bash
# What the personalised early warning costs, measured beside the rules without it in one run:
#  1. single-reading MQTT ingest (closed loop, as bench/side-by-side.sh) against a fresh server with
#     OpenWard:Alerting:EarlyWarning on and off, alternating ROUNDS times (default 2 each);
#  2. with DATASET=DIR (an evaluation dataset, see docs/alerting.md), the rule engine offline:
#     processor time per reading with the early warning on and off (openward bench rules).
# Needs: the .NET SDK, python3.
#
#   bench/early-warning.sh
#   DATASET=/tmp/home-ward-s1 bench/early-warning.sh
set -euo pipefail

DEVICES=${DEVICES:-100}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-2}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
echo "working in $work" >&2

. "$root/bench/openward-server.sh"
build_openward

for round in $(seq 1 "$ROUNDS"); do
  for setting in true false; do
    rm -rf "$work/data"
    start_openward_server --OpenWard:Devices:MessagesPerSecond=100000 --OpenWard:Devices:Burst=100000 \
      --OpenWard:Alerting:EarlyWarning=$setting
    "$openward" --server "$openward_url" --data "$work/data" bench ingest --mqtt-port "$openward_mqtt_port" --server-pid "$server_pid" \
      --devices "$DEVICES" --duration "$DURATION" --warmup "$WARMUP" > "$work/ingest-$setting-$round.json" 2> "$work/ingest-$setting-$round.progress" \
      || echo "run exited $? (see $work/ingest-$setting-$round.progress)" >&2
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
  done
done

python3 - "$work" "$ROUNDS" <<'PY'
import json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
rates = {s: [json.load(open(f"{work}/ingest-{s}-{r}.json"))["messagesPerSecond"] for r in range(1, rounds + 1)] for s in ("true", "false")}
print("| early warning | single readings/s, each run | mean |")
print("|---|---|---|")
for s, name in (("true", "on"), ("false", "off")):
    print(f"| {name} | {' / '.join(f'{r:,.0f}' for r in rates[s])} | {sum(rates[s]) / rounds:,.0f} |")
on, off = sum(rates["true"]) / rounds, sum(rates["false"]) / rounds
print(f"on / off: {on / off:.3f}")
PY

if [ -n "${DATASET:-}" ]; then
  "$openward" bench rules --dataset "$DATASET"
fi
