#!/usr/bin/env bash
# Readings migration 2 (the BRIN index on readings.id) on a filled PostgreSQL store: how long it takes,
# and how long a device's reading waits to be stored meanwhile, built two ways:
#   in-migration: CREATE INDEX on the partitioned table, in the start-up migration's transaction
#   concurrent:   CREATE INDEX ON ONLY the parent (the migration), then each partition's index built
#                 CONCURRENTLY and attached (what ReadingIdIndex does after start)
#   bench/readings-id-index.sh [MILLIONS]   (default 20: one partition of a million readings per day)
# Needs the tests' PostgreSQL and role (bash tests/start-postgresql.sh). Another session stores one reading
# every 10 ms throughout (pgbench, a single INSERT per transaction into today's partition), and each
# insert's latency is logged: the longest says how long ingest was held up.
set -euo pipefail
millions=${1:-20}
export PGHOST=127.0.0.1 PGUSER=openward_tests PGPASSWORD=openward_tests PGDATABASE=openward_bench_id_index
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dropdb --maintenance-db=postgres --if-exists --force "$PGDATABASE" 2>/dev/null
createdb --maintenance-db=postgres "$PGDATABASE"
day=86400000
first=$((1764547200000 - millions * day))   # the filled days end on 2025-12-01
last=$((first + (millions - 1) * day))
with="WITH (pages_per_range = 16, autosummarize = on)"

psql -q -v ON_ERROR_STOP=1 <<SQL
CREATE SEQUENCE readings_id_seq AS BIGINT;
CREATE TABLE readings (
    id BIGINT NOT NULL DEFAULT nextval('readings_id_seq'), device_id TEXT NOT NULL, patient_id TEXT NULL,
    vital TEXT NOT NULL, value DOUBLE PRECISION NULL, components TEXT NULL, unit TEXT NOT NULL,
    device_time BIGINT NOT NULL, received_time BIGINT NOT NULL, seq BIGINT NULL
) PARTITION BY RANGE (device_time);
CREATE UNIQUE INDEX ux_readings_measurement ON readings(patient_id, vital, device_time, device_id);
CREATE UNIQUE INDEX ux_readings_unattributed ON readings(device_id, vital, device_time) WHERE patient_id IS NULL;
CREATE TABLE readings_other PARTITION OF readings DEFAULT;
SQL
start=$(date +%s)
for ((d = 0; d < millions; d++)); do
  at=$((first + d * day))
  psql -q -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE readings_d$d PARTITION OF readings FOR VALUES FROM ($at) TO ($((at + day)));
INSERT INTO readings (device_id, patient_id, vital, value, unit, device_time, received_time)
SELECT 'dev-' || (i % 12), 'pat-' || (i % 12), 'heart-rate', 55 + (i * 7919) % 50, '/min', $at + i * 86, $at + i * 86 + 250
FROM generate_series(0::bigint, 999999) AS s(i);
SQL
done
psql -q -c "VACUUM ANALYZE readings;"
echo "filled: $millions million readings in $millions partitions in $(( $(date +%s) - start )) s; table $(psql -Atc "SELECT pg_size_pretty(sum(pg_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'readings'::regclass")"

cat > "$work/insert.sql" <<SQL
\set t random(0, 86399999)
INSERT INTO readings (device_id, patient_id, vital, value, unit, device_time, received_time)
VALUES ('dev-live', 'pat-live', 'heart-rate', 60, '/min', $last + :t, $last + :t) ON CONFLICT DO NOTHING;
SQL

# Runs the build ($2, a bash function) while pgbench inserts, and reports both.
measure() {
  local name=$1 build=$2
  rm -f "$work"/ins.*
  (cd "$work" && pgbench -n -c 1 -R 100 -T "$3" -l --log-prefix=ins -f insert.sql > pgbench.out 2>&1) &
  local bench=$!
  sleep 3
  local t0 t1
  t0=$(date +%s%N); $build; t1=$(date +%s%N)
  wait $bench
  cat "$work"/ins.* | awk -v name="$name" -v ms=$(( (t1 - t0) / 1000000 )) '
    { n++; lat = $3 / 1000; if (lat > max) max = lat; if (lat > 100) slow++ }
    END { printf "%s: built in %d ms; %d inserts meanwhile, longest %.0f ms, %d over 100 ms\n", name, ms, n, max, slow }'
}

in_migration() {
  psql -q -v ON_ERROR_STOP=1 -c "BEGIN; CREATE INDEX ix_readings_id ON readings USING brin (id) $with; COMMIT;"
}

concurrent() {
  psql -q -v ON_ERROR_STOP=1 -c "CREATE INDEX ix_readings_id ON ONLY readings USING brin (id) $with;"
  for p in $(psql -Atc "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass ORDER BY 1"); do
    psql -q -v ON_ERROR_STOP=1 -c "CREATE INDEX CONCURRENTLY ${p}_id_idx ON $p USING brin (id) $with;" \
      -c "SET lock_timeout = '2s'; ALTER INDEX ix_readings_id ATTACH PARTITION ${p}_id_idx;"
  done
  [ "$(psql -Atc "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_readings_id'::regclass")" = t ] || { echo "parent index not valid"; exit 1; }
}

seconds=$((20 + millions * 2))
measure in-migration in_migration $seconds
psql -q -c "DROP INDEX ix_readings_id;"
measure concurrent concurrent $seconds
dropdb --maintenance-db=postgres --force "$PGDATABASE"
