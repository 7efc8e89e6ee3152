#!/usr/bin/env bash
# Counts what a benchmark asks of PostgreSQL: every statement with its calls, rows, time and WAL (pg_stat_statements),
# and the WAL records, bytes and flushes of the whole run (pg_stat_wal). docs/capacity.md divides them by the
# messages or requests the run handled.
#
# It runs the benchmark against a PostgreSQL cluster of its own, `prof` on 127.0.0.1:5440 (created on first use,
# with pg_stat_statements preloaded; the test servers of eng/servers.sh are left alone), so needs root on Debian.
# RabbitMQ is the one eng/servers.sh starts.
#
# Usage: sudo bash eng/statements.sh <benchmark arguments>
#   e.g. sudo bash eng/statements.sh consume --messages 2000 --rounds 1 --warmup 0 --concurrency 8
#        BENCH_VARIANTS="saved by inbox" sudo -E bash eng/statements.sh consume ...
#   STATEMENTS_TOP=N (20) statements are listed, by calls; STATEMENTS_NPGSQL="No Reset On Close=true" appends
#   Npgsql settings to the connection string.
#   `bash eng/statements.sh --drop` stops and deletes the `prof` cluster.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=15
cluster=prof
port=5440
log() { printf '[statements] %s\n' "$*" >&2; }
as_postgres() { su postgres -c "$*"; }
psql_prof() { PGPASSWORD=inbox psql -h 127.0.0.1 -p "$port" -U inbox -d postgres -X -q "$@"; }

[ "$(id -u)" -eq 0 ] || { log "run it as root: it creates and starts its own PostgreSQL cluster"; exit 1; }

if [ "${1:-}" = "--drop" ]; then
  pg_dropcluster --stop "$version" "$cluster" 2>/dev/null || true
  log "cluster $version/$cluster is gone"
  exit 0
fi
[ "$#" -gt 0 ] || { sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 2; }

bash "$root/eng/servers.sh"

if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$cluster"; then
  log "creating PostgreSQL cluster $version/$cluster on port $port with pg_stat_statements"
  pg_createcluster "$version" "$cluster" -p "$port" >/dev/null
  cat >>"/etc/postgresql/$version/$cluster/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
track_io_timing = on
EOF
fi
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
as_postgres "psql -p $port -X -q -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inbox') THEN CREATE ROLE inbox LOGIN SUPERUSER PASSWORD 'inbox'; END IF; END \\\$\\\$\""
psql_prof -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
psql_prof -c "SELECT pg_stat_statements_reset()" -c "SELECT pg_stat_reset_shared('wal')" >/dev/null

export INBOX_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=inbox;Password=inbox;Database=postgres;SSL Mode=Disable${STATEMENTS_NPGSQL:+;$STATEMENTS_NPGSQL}"
export INBOX_TEST_RABBITMQ="${INBOX_TEST_RABBITMQ:-amqp://inbox:inbox@127.0.0.1:5672/}"
export INBOX_TEST_RABBITMQ_MANAGEMENT="${INBOX_TEST_RABBITMQ_MANAGEMENT:-http://127.0.0.1:15672/}"
export MASSTRANSIT_USAGE_TELEMETRY=false
log "dotnet run -c Release --project tests/Inbox.Benchmarks -- $*"
dotnet run -c Release --project "$root/tests/Inbox.Benchmarks" -- "$@"

echo
echo "## PostgreSQL statements of the run (pg_stat_statements, top ${STATEMENTS_TOP:-20} by calls; the benchmark's own setup included)"
psql_prof -P pager=off -c "
SELECT calls, rows, round(mean_exec_time::numeric, 3) AS mean_ms, round(total_exec_time::numeric) AS total_ms,
       wal_records, wal_bytes, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS statement
FROM pg_stat_statements
WHERE query NOT ILIKE '%pg_stat_%'
ORDER BY calls DESC LIMIT ${STATEMENTS_TOP:-20}"
echo "## WAL of the whole run (pg_stat_wal: wal_sync is the flushes, one per durable commit unless commits share one)"
psql_prof -P pager=off -c "SELECT wal_records, wal_bytes, wal_write, wal_sync FROM pg_stat_wal"
