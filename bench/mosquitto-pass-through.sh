#!/usr/bin/env bash
# Mosquitto's pass-through rate on this machine: the same single-reading load as
# bench/side-by-side.sh, offered at fixed rates, each against a freshly started Mosquitto with
# mosquitto_sub subscribers. Closed loop, Mosquitto accepts more than it passes on (its one thread
# reads publishes ahead of writing to the subscriber, whose queue grows); the pass-through rate is
# what it delivers as fast as it is offered. Needs: the .NET SDK, mosquitto, mosquitto-clients, python3.
#
#   bench/mosquitto-pass-through.sh                  # 500 devices at 10, 20, … 60 messages/s each
#   DEVICES=500 RATES="28 30 32 34" bench/mosquitto-pass-through.sh
set -euo pipefail

DEVICES=${DEVICES:-500}
RATES=${RATES:-10 20 30 40 50 60}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
mosquitto_pid=
cleanup() { [ -n "$mosquitto_pid" ] && kill "$mosquitto_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
echo "working in $work" >&2

. "$root/bench/openward-server.sh"
. "$root/bench/mosquitto-broker.sh"
build_openward

for rate in $RATES; do
  start_mosquitto
  "$openward" bench ingest --broker mosquitto --mqtt-port "$mosquitto_port" --server-pid "$mosquitto_pid" \
    --devices "$DEVICES" --rate "$rate" --duration "$DURATION" --warmup "$WARMUP" \
    > "$work/rate-$rate.json" 2> "$work/rate-$rate.progress" || echo "rate $rate exited $? (see $work/rate-$rate.progress)" >&2
  kill "$mosquitto_pid"; wait "$mosquitto_pid" 2>/dev/null || true; mosquitto_pid=
done

python3 - "$DEVICES" "$work" $RATES <<'PY'
import json, sys
devices, work, rates = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
print(f"Mosquitto, {devices} devices, single-reading messages, QoS 1")
print("| offered msg/s | accepted msg/s | delivered msg/s | publish→ack p99 (ms) | lost | broker CPU (cores) |")
print("|---|---|---|---|---|---|")
sustained = 0.0
for rate in rates:
    r = json.load(open(f"{work}/rate-{rate}.json"))
    accepted, delivered = r["messagesPerSecond"], r.get("messagesDeliveredPerSecond") or 0
    print(f"| {devices * int(rate):,} | {accepted:,.0f} | {delivered:,.0f} | {r['publishToAcknowledgeMs']['p99']:.1f} | "
          f"{r['readingsLost']} | {r.get('serverCores', 0):.2f} |")
    if delivered >= 0.98 * accepted and accepted >= 0.98 * devices * int(rate):
        sustained = max(sustained, delivered)
print(f"pass-through (highest rate delivered as fast as offered): {sustained:,.0f} msg/s")
PY
