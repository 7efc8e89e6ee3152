#!/usr/bin/env bash
# Installs (apt) and starts PostgreSQL and RabbitMQ on 127.0.0.1 for the tests and samples,
# and creates the `inbox` role and user (password `inbox`, local test use only).
# Safe to run again: servers already running are reused.
set -euo pipefail

log() { printf '[servers] %s\n' "$*" >&2; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "$@" >/tmp/inbox-apt.log 2>&1; then
    log "apt-get install $* failed once; updating the package lists and retrying"
    apt-get update -q >>/tmp/inbox-apt.log 2>&1
    apt-get install -y -q "$@" >>/tmp/inbox-apt.log 2>&1 || { cat /tmp/inbox-apt.log >&2; exit 1; }
  fi
}

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    log "installing and starting servers needs root; or set INBOX_TEST_POSTGRES and INBOX_TEST_RABBITMQ"
    exit 1
  fi
}

# The cluster on port 5432 ("version cluster"). pg_lsclusters sorts by name, so the first line can be another
# cluster on this machine, such as eng/cluster.sh's inbox_a on 5433.
cluster_on_5432() {
  pg_lsclusters -h 2>/dev/null | awk '$3 == 5432 { print $1, $2; exit }'
}

start_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    log "PostgreSQL already answers on 127.0.0.1:5432"
  else
    need_root
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
      log "installing PostgreSQL"
      apt_install postgresql
    fi
    if [ -z "$(cluster_on_5432)" ]; then
      local newest
      newest=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
      log "no PostgreSQL cluster on port 5432; creating $newest/inbox_main"
      pg_createcluster "$newest" inbox_main --port 5432 >/dev/null
    fi
    local version cluster
    read -r version cluster < <(cluster_on_5432)
    log "starting PostgreSQL $version/$cluster"
    pg_ctlcluster "$version" "$cluster" start || true
    for _ in $(seq 1 60); do
      pg_isready -q -h 127.0.0.1 -p 5432 && break
      sleep 1
    done
    pg_isready -h 127.0.0.1 -p 5432 >/dev/null || { log "PostgreSQL did not start"; exit 1; }
  fi
  if command -v runuser >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -d postgres <<'SQL' >/dev/null
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inbox') THEN
    CREATE ROLE inbox LOGIN PASSWORD 'inbox' CREATEDB;
  ELSE
    ALTER ROLE inbox LOGIN PASSWORD 'inbox' CREATEDB;
  END IF;
END $$;
GRANT pg_signal_backend TO inbox;
SQL
    # Connections from many test processes at once.
    local max
    max=$(runuser -u postgres -- psql -tAq -d postgres -c 'SHOW max_connections')
    if [ "${max:-0}" -lt 300 ]; then
      log "raising max_connections to 300 (restart)"
      runuser -u postgres -- psql -q -d postgres -c 'ALTER SYSTEM SET max_connections = 300' >/dev/null
      local version cluster
      read -r version cluster < <(cluster_on_5432)
      pg_ctlcluster "$version" "$cluster" restart
      for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
  fi
}

rabbit_pid_file() { echo "/var/lib/rabbitmq/mnesia/rabbit@$(hostname -s).pid"; }

start_rabbitmq() {
  if command -v rabbitmq-diagnostics >/dev/null 2>&1 && timeout 20 rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1; then
    log "RabbitMQ already running"
  else
    need_root
    if ! command -v rabbitmq-server >/dev/null 2>&1; then
      log "installing RabbitMQ"
      apt_install rabbitmq-server
    fi
    rabbitmq-plugins --offline enable rabbitmq_management >/dev/null
    log "starting RabbitMQ"
    rabbitmq-server -detached
    rabbitmqctl wait --timeout 90 "$(rabbit_pid_file)" >/dev/null
  fi
  rabbitmq-plugins enable rabbitmq_management >/dev/null 2>&1 || true
  if ! rabbitmqctl -q list_users | grep -q '^inbox\b'; then
    rabbitmqctl -q add_user inbox inbox >/dev/null
  fi
  rabbitmqctl -q change_password inbox inbox >/dev/null
  rabbitmqctl -q set_user_tags inbox administrator >/dev/null
  rabbitmqctl -q set_permissions -p / inbox '.*' '.*' '.*' >/dev/null
  for _ in $(seq 1 60); do
    curl -fsS -u inbox:inbox http://127.0.0.1:15672/api/overview >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS -u inbox:inbox http://127.0.0.1:15672/api/overview >/dev/null || { log "RabbitMQ management API did not answer"; exit 1; }
}

start_postgres
start_rabbitmq
log "PostgreSQL and RabbitMQ are ready on 127.0.0.1"
