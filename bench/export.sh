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
kill "$server_pid"; wait "$server_pid" || true; server_pid=

# One heart rate a second per patient, ending an hour ago, inserted as the group commit would store them.
seconds=$((DAYS * 86400))
end=$(( ($(date +%s) - 3600) * 1000 ))
start=$(( end - seconds * 1000 ))
python3 - "$work/ward.json" "$start" "$seconds" > "$work/readings.sql" <<'PY'
import json, sys
ward, start, seconds = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
print("BEGIN;")
for p in ward["patients"]:
    print(f"""WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {seconds - 1})
INSERT INTO readings (device_id, patient_id, vital, value, components, unit, device_time, received_time, seq)
SELECT '{p["device"]}', '{p["patient"]}', 'heart-rate', 55 + (i * 7919) % 50, NULL, '/min', {start} + i * 1000, {start} + i * 1000 + 250, NULL FROM s;""")
print("COMMIT;")
PY
time sqlite3 "$work/data/openward.db" < "$work/readings.sql" >&2
echo "stored: $(sqlite3 "$work/data/openward.db" 'SELECT count(*) FROM readings;') readings, $(du -h "$work/data/openward.db" | cut -f1) database" >&2

start_openward_server
python3 "$root/bench/export.py" export "$openward_url" "$work" "$server_pid"
