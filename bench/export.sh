#!/usr/bin/env bash
# FHIR bulk export throughput and memory: a ward of PATIENTS patients, each with DAYS days of one
# heart rate a second, written straight into a fresh server's SQLite store, then exported by a
# clinician of the ward (GET /fhir/Group/{id}/$export?_type=Observation) and timed from the kick-off
# to the manifest, the server's resident memory sampled every 250 ms meanwhile; the file is then
# downloaded and its lines counted against the manifest. Needs: the .NET SDK, sqlite3, python3 with requests.
#
#   bench/export.sh                      # 10 patients x 3 days = 2,592,000 Observations
#   PATIENTS=30 DAYS=1 bench/export.sh   # the same readings on three times as many patients
#   BUILD=0 bench/export.sh              # use the Release build already there
#   KEEP=1 bench/export.sh               # keep the scratch directory (the store, the server's log)
set -euo pipefail

PATIENTS=${PATIENTS:-10}
DAYS=${DAYS:-3}
BUILD=${BUILD:-1}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
# The store and the export are large: the scratch directory goes at the end unless KEEP=1.
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
echo "working in $work" >&2

. "$root/bench/openward-server.sh"
if [ "$BUILD" = 1 ]; then build_openward; fi

start_openward_server
python3 "$root/bench/export.py" setup "$openward_url" "$work" "$PATIENTS"
fill_heart_rates "$DAYS"

start_openward_server
python3 "$root/bench/export.py" export "$openward_url" "$work" "$server_pid"
