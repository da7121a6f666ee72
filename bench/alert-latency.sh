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

dotnet build -c Release "$root/OpenWard.slnx" -v quiet -nologo > "$work/build.log"
openward="$root/src/OpenWard.Cli/bin/Release/net10.0/openward"
server="$root/src/OpenWard.Server/bin/Release/net10.0/OpenWard.Server"

# All benchmark devices connect from one address: the per-address connection limit is raised.
"$server" --urls http://127.0.0.1:15080 --OpenWard:DataDirectory="$work/data" \
  --OpenWard:Mqtt:Port=18831 --OpenWard:Mqtt:TlsPort=0 --OpenWard:Mllp:Port=0 \
  --OpenWard:Orleans:SiloPort=21141 --OpenWard:Orleans:GatewayPort=31030 \
  --OpenWard:Devices:RequestsPerAddressPerMinute=1000000 \
  --Logging:LogLevel:Default=Warning > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  [ -f "$work/data/bootstrap-credentials.json" ] && (exec 3<>/dev/tcp/127.0.0.1/15080) 2>/dev/null && break
  sleep 0.5
done

"$openward" --server http://127.0.0.1:15080 --data "$work/data" bench ingest --mqtt-port 18831 --server-pid "$server_pid" \
  --devices "$DEVICES" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --alert-probes 5
