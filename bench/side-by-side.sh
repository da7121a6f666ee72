#!/usr/bin/env bash
# Runs the same ingest load against Debian's Mosquitto (pass-through to a subscriber, no storage)
# and against OpenWard (durable commit before PUBACK), one after the other in one run on this
# machine, and prints both with the ratio. Needs: the .NET SDK, mosquitto, mosquitto-clients, python3.
#
#   bench/side-by-side.sh                       # single-reading messages, closed loop
#   BATCH=50 bench/side-by-side.sh              # gateway-style batches
#   DEVICES=200 RATE=20 bench/side-by-side.sh   # a fixed offered load
# Each run publishes for WARMUP seconds (default 5) before measuring, so that a freshly started
# server has activated its patients' monitoring and compiled its hot paths.
set -euo pipefail

DEVICES=${DEVICES:-100}
RATE=${RATE:-0}
BATCH=${BATCH:-1}
DURATION=${DURATION:-20}
QOS=${QOS:-1}
WARMUP=${WARMUP:-5}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}" ${server_pid:-}; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
echo "working in $work" >&2

. "$root/bench/openward-server.sh"
build_openward
load=(--devices "$DEVICES" --rate "$RATE" --batch "$BATCH" --duration "$DURATION" --qos "$QOS" --warmup "$WARMUP")

. "$root/bench/mosquitto-broker.sh"
start_mosquitto
pids+=("$mosquitto_pid")

# Closed-loop devices publish as fast as they are acknowledged: their rate limit is raised too.
start_openward_server --OpenWard:Devices:MessagesPerSecond=100000 --OpenWard:Devices:Burst=100000

# A run that refused or lost messages exits 2 but still reports: show it rather than stop.
"$openward" bench ingest --broker mosquitto --mqtt-port "$mosquitto_port" --server-pid "$mosquitto_pid" "${load[@]}" \
  > "$work/mosquitto.json" 2> "$work/mosquitto.progress" || echo "mosquitto run exited $? (see $work/mosquitto.progress)" >&2
"$openward" --server "$openward_url" --data "$work/data" bench ingest --mqtt-port "$openward_mqtt_port" --server-pid "$server_pid" "${load[@]}" \
  > "$work/openward.json" 2> "$work/openward.progress" || echo "OpenWard run exited $? (see $work/openward.progress)" >&2

python3 - "$work/mosquitto.json" "$work/openward.json" "${load[*]}" <<'EOF'
import json, sys
m, o = (json.load(open(p)) for p in sys.argv[1:3])
def row(name, r):
    l = r["publishToAcknowledgeMs"]
    cores = r.get("serverCores"); mem = r.get("serverPeakMemoryMiB")
    return (f"| {name} | {r['messagesPerSecond']:,.0f} | {r['readingsPerSecond']:,.0f} | "
            f"{l['p50']:.1f} / {l['p95']:.1f} / {l['p99']:.1f} / {l['max']:.1f} | {r['messagesRefused']} | {r['readingsLost']} | "
            f"{cores:.2f} | {mem:,.0f} MiB |")
print(f"load: {sys.argv[3]}")
print("| broker | messages/s | readings/s | publish→ack p50 / p95 / p99 / max (ms) | refused | lost | broker CPU (cores) | broker peak memory |")
print("|---|---|---|---|---|---|---|---|")
print(row("Mosquitto (pass-through)", m))
print(row("OpenWard (stored before PUBACK)", o))
print(f"ratio OpenWard / Mosquitto, messages/s: {o['messagesPerSecond'] / m['messagesPerSecond']:.2f}")
# What Mosquitto accepted and what it passed through differ when its subscriber falls behind.
delivered = m.get("messagesDeliveredPerSecond")
if delivered:
    print(f"Mosquitto delivered {delivered:,.0f} msg/s to its subscriber in the measured window; "
          f"ratio OpenWard / Mosquitto delivered: {o['messagesPerSecond'] / delivered:.2f}")
EOF
