#!/usr/bin/env bash
# The server after a change of layout beside the build before it, in one run: single-reading MQTT
# ingest (closed loop, as bench/side-by-side.sh) against a fresh server of each build in turn,
# alternating ROUNDS times (default 2 each). BEFORE names the commit to compare with (default: the
# last commit before the renovation of issue 19). The same load generator (this checkout's) drives both.
# Needs: the .NET SDK, git, python3.
#
#   bench/renovation.sh
#   BEFORE=abc1234 DEVICES=200 bench/renovation.sh
set -euo pipefail

BEFORE=${BEFORE:-6d76621}
DEVICES=${DEVICES:-100}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-2}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null || true
  git -C "$root" worktree remove --force "$work/before" 2>/dev/null || true
}
trap cleanup EXIT
echo "working in $work" >&2

. "$root/bench/openward-server.sh"
build_openward
git -C "$root" worktree add --detach -q "$work/before" "$BEFORE"
ln -s "$root/../shared" "$work/shared" 2>/dev/null || true
dotnet build -c Release "$work/before/src/OpenWard.Server" -v quiet -nologo > "$work/build-before.log"
before_server="$work/before/src/OpenWard.Server/bin/Release/net10.0/OpenWard.Server"
after_server="$root/src/OpenWard.Server/bin/Release/net10.0/OpenWard.Server"

for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    rm -rf "$work/data"
    if [ "$build" = before ]; then openward_server=$before_server; else openward_server=$after_server; fi
    start_openward_server --OpenWard:Devices:MessagesPerSecond=100000 --OpenWard:Devices:Burst=100000
    "$openward" --server "$openward_url" --data "$work/data" bench ingest --mqtt-port "$openward_mqtt_port" --server-pid "$server_pid" \
      --devices "$DEVICES" --duration "$DURATION" --warmup "$WARMUP" > "$work/ingest-$build-$round.json" 2> "$work/ingest-$build-$round.progress" \
      || echo "run exited $? (see $work/ingest-$build-$round.progress)" >&2
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
  done
done

python3 - "$work" "$ROUNDS" "$BEFORE" <<'PY'
import json, sys
work, rounds, before = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs = {b: [json.load(open(f"{work}/ingest-{b}-{r}.json")) for r in range(1, rounds + 1)] for b in ("before", "after")}
print("| build | single readings/s, each run | mean | p50 / p99 ms (last run) | lost | cpu cores (last run) |")
print("|---|---|---|---|---|---|")
for b, name in (("before", f"before ({before})"), ("after", "after (this checkout)")):
    rates = [r["messagesPerSecond"] for r in runs[b]]
    last = runs[b][-1]
    lat = last["publishToAcknowledgeMs"]
    lost = sum(r.get("readingsLost") or 0 for r in runs[b])
    print(f"| {name} | {' / '.join(f'{x:,.0f}' for x in rates)} | {sum(rates) / rounds:,.0f} | "
          f"{lat['p50']:.1f} / {lat['p99']:.1f} | {lost} | {last.get('serverCores') or float('nan'):.2f} |")
mean = {b: sum(r["messagesPerSecond"] for r in runs[b]) / rounds for b in runs}
print(f"after / before: {mean['after'] / mean['before']:.3f}")
PY
