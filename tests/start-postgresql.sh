#!/usr/bin/env bash
# Starts Debian's PostgreSQL and gives the tests their role: openward_tests (password
# openward_tests, a test-only credential), which may create databases. Each PostgreSQL test makes a
# database of its own and drops it. Run as root; .ci/run runs it before the tests.
set -euo pipefail
version=$(ls /etc/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main status > /dev/null
for attempt in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'openward_tests') THEN
    CREATE ROLE openward_tests LOGIN CREATEDB PASSWORD 'openward_tests';
  END IF;
END
$$;
-- Each test drops its own database WITH (FORCE), which must also end the autovacuum worker that
-- may be visiting it (a process of the server's own role).
GRANT pg_signal_backend TO openward_tests;
SQL
echo "PostgreSQL $version is running on 127.0.0.1:5432 with the role openward_tests." >&2
