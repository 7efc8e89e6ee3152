#!/usr/bin/env bash
# The clustered engines on one host, on 127.0.0.1, beside eng/servers.sh (which keeps PostgreSQL 5432 and RabbitMQ
# 5672/15672; nothing here stops or reconfigures those):
#   - PostgreSQL 15: two clusters, inbox_a (port 5433) and inbox_b (port 5434). One is the primary, the other its
#     streaming standby, synchronous (synchronous_commit = on, synchronous_standby_names names both, so an
#     acknowledged commit is on both). Role `inbox` / password `inbox` (local test use only).
#   - RabbitMQ: three nodes inbox1, inbox2, inbox3 (AMQP 5673-5675, management 15673-15675, distribution
#     25673-25675), one cluster, one Erlang cookie, quorum queues created with three members (quorum_cluster_size).
#
# Usage: eng/cluster.sh COMMAND [ARGS]
#   start [postgres|rabbitmq]   install (apt) what is missing, create, start, join; reuses what already runs
#   stop [postgres|rabbitmq]    stop everything this script started (the data stays)
#   status                      which PostgreSQL node is primary, the replication state, the RabbitMQ cluster
#   crash-primary               stop the PostgreSQL primary hard (pg_ctl stop -m immediate), as a crash would
#   promote                     promote the standby; a primary still running is stopped first (no split brain);
#                               the new primary runs asynchronously until `rebuild` gives it a standby again
#   rebuild                     make the node that is not the primary a fresh streaming standby of it (pg_basebackup)
#                               and switch synchronous replication back on
#   rabbitmq-stop N             stop RabbitMQ node N (1-3); rabbitmq-start N starts it again (it rejoins)
#   destroy                     stop and delete both PostgreSQL clusters and the three RabbitMQ nodes' data
#   urls                        print the connection strings for the tests and samples
# Every command is safe to run twice: each one checks the state first and does only what is missing.
set -euo pipefail

PG_VERSION=15
PG_NODES=(inbox_a inbox_b)
declare -A PG_PORT=([inbox_a]=5433 [inbox_b]=5434)
PG_REPLICATION_PASSWORD=replication
STATE=/var/lib/inbox-cluster
PG_PRIMARY_FILE=$STATE/postgres-primary
RABBIT_BASE=$STATE/rabbitmq
RABBIT_HOST="$(hostname -s)"

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "$@" >/tmp/inbox-apt-cluster.log 2>&1; then
    log "apt-get install $* failed once; updating the package lists and retrying"
    apt-get update -q >>/tmp/inbox-apt-cluster.log 2>&1
    apt-get install -y -q "$@" >>/tmp/inbox-apt-cluster.log 2>&1 || { cat /tmp/inbox-apt-cluster.log >&2; exit 1; }
  fi
}

need_root() { [ "$(id -u)" -eq 0 ] || die "the clustered engines need root (apt, pg_ctlcluster, rabbitmq as its user)"; }

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 "$seconds"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "timed out after ${seconds}s waiting for $what"
}

# ---------------------------------------------------------------- PostgreSQL

pg_psql() { # node, psql args...
  local node=$1
  shift
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "${PG_PORT[$node]}" -d postgres "$@"
}
pg_value() { pg_psql "$1" -tA -c "$2" 2>/dev/null; }
pg_exists() { [ -e "/etc/postgresql/$PG_VERSION/$1/postgresql.conf" ]; }
pg_answers() { pg_isready -q -h 127.0.0.1 -p "${PG_PORT[$1]}"; }
pg_running() { pg_exists "$1" && pg_answers "$1"; }
pg_is_primary() { pg_running "$1" && [ "$(pg_value "$1" 'SELECT pg_is_in_recovery()')" = "f" ]; }
pg_is_standby() { pg_running "$1" && [ "$(pg_value "$1" 'SELECT pg_is_in_recovery()')" = "t" ]; }
pg_other() { [ "$1" = inbox_a ] && echo inbox_b || echo inbox_a; }
pg_data() { echo "/var/lib/postgresql/$PG_VERSION/$1"; }

pg_primary() { # the running primary, if exactly one
  local node found=""
  for node in "${PG_NODES[@]}"; do
    if pg_is_primary "$node"; then
      [ -z "$found" ] || die "both $found and $node run as primaries: stop one (eng/cluster.sh rebuild after choosing)"
      found=$node
    fi
  done
  echo "$found"
}

pg_start_node() {
  local node=$1
  pg_answers "$node" && return 0
  log "starting PostgreSQL $node on 127.0.0.1:${PG_PORT[$node]}"
  pg_ctlcluster "$PG_VERSION" "$node" start
  wait_for 60 "PostgreSQL $node" pg_answers "$node"
}

pg_configure_node() { # settings every node has, whether primary or standby
  local node=$1 conf="/etc/postgresql/$PG_VERSION/$1"
  mkdir -p "$conf/conf.d"
  cat >"$conf/conf.d/inbox-cluster.conf" <<CONF
# Written by eng/cluster.sh.
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
wal_keep_size = '256MB'
hot_standby = on
max_connections = 200
# Synchronous: a commit is acknowledged once the standby has it. Each node's standby connects with its own
# cluster name as application_name, so one list serves whichever node is the primary.
synchronous_commit = on
synchronous_standby_names = 'FIRST 1 (inbox_a, inbox_b)'
# A small footprint: two engineers' worth of tests share two cores.
shared_buffers = '64MB'
CONF
  chown -R postgres:postgres "$conf/conf.d"
  # Debian's pg_hba.conf already lets `host all` and `host replication` in over 127.0.0.1 with a password.
  grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$conf/pg_hba.conf" \
    || die "$conf/pg_hba.conf lets no replication connection in from 127.0.0.1"
}

pg_create_primary() {
  local node=$1
  log "creating PostgreSQL cluster $node (primary) on port ${PG_PORT[$node]}"
  pg_createcluster "$PG_VERSION" "$node" --port "${PG_PORT[$node]}" >/dev/null
  pg_configure_node "$node"
  pg_start_node "$node"
  pg_set_async "$node"
}

pg_roles() { # on the primary: the replication role and the inbox role (standbys get them by replication)
  # Local durability is enough here: the standby may not exist yet, and a synchronous commit would wait for it.
  pg_psql "$1" <<SQL >/dev/null
SET synchronous_commit = local;
SET client_min_messages = warning;
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'replicator') THEN
    CREATE ROLE replicator REPLICATION LOGIN PASSWORD '$PG_REPLICATION_PASSWORD';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inbox') THEN
    CREATE ROLE inbox LOGIN PASSWORD 'inbox' CREATEDB;
  ELSE
    ALTER ROLE inbox LOGIN PASSWORD 'inbox' CREATEDB;
  END IF;
END \$\$;
GRANT pg_signal_backend TO inbox;
SQL
}

# Synchronous replication needs a standby: without one every commit waits. A primary that lost its standby
# (after promote) runs asynchronously until rebuild gives it one, as Patroni's non-strict synchronous mode does.
pg_set_async() {
  pg_psql "$1" -c "ALTER SYSTEM SET synchronous_standby_names = ''" -c 'SELECT pg_reload_conf()' >/dev/null
}
pg_set_sync() {
  pg_psql "$1" -c 'ALTER SYSTEM RESET synchronous_standby_names' -c 'SELECT pg_reload_conf()' >/dev/null
}

pg_streams_to() { # primary, standby: the standby streams synchronously from the primary
  [ "$(pg_value "$1" "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$2' AND state = 'streaming'")" = "sync" ]
}
pg_streams_async_to() {
  [ -n "$(pg_value "$1" "SELECT 1 FROM pg_stat_replication WHERE application_name = '$2' AND state = 'streaming'")" ]
}

pg_build_standby() { # primary, standby: the standby's data replaced by a fresh base backup of the primary
  local primary=$1 standby=$2 data
  data=$(pg_data "$standby")
  if pg_exists "$standby"; then
    pg_ctlcluster "$PG_VERSION" "$standby" stop -m fast >/dev/null 2>&1 || true
  else
    log "creating PostgreSQL cluster $standby on port ${PG_PORT[$standby]}"
    pg_createcluster "$PG_VERSION" "$standby" --port "${PG_PORT[$standby]}" >/dev/null
  fi
  pg_configure_node "$standby"
  log "base backup of $primary into $standby (pg_basebackup)"
  rm -rf "$data"
  install -d -o postgres -g postgres -m 700 "$data"
  runuser -u postgres -- env PGPASSWORD="$PG_REPLICATION_PASSWORD" pg_basebackup \
    -h 127.0.0.1 -p "${PG_PORT[$primary]}" -U replicator -D "$data" -X stream -R -c fast \
    -d "application_name=$standby"
  # The copied postgresql.auto.conf carries the primary's own overrides; the standby starts with the shared ones.
  sed -i '/^synchronous_standby_names/d' "$data/postgresql.auto.conf"
  pg_start_node "$standby"
  wait_for 60 "$standby to stream from $primary" pg_streams_async_to "$primary" "$standby"
  pg_set_sync "$primary"
  wait_for 30 "$standby to be $primary's synchronous standby" pg_streams_to "$primary" "$standby"
  log "$standby streams synchronously from $primary"
}

# The node that is the primary is written down (at creation and at promotion): after a failover the old primary's
# data still says "primary", and starting it as one would split the data in two.
pg_recorded_primary() { [ -s "$PG_PRIMARY_FILE" ] && cat "$PG_PRIMARY_FILE" || true; }
pg_record_primary() { install -d "$STATE"; echo "$1" >"$PG_PRIMARY_FILE"; }

pg_start() {
  need_root
  if ! command -v pg_createcluster >/dev/null 2>&1 || [ ! -x "/usr/lib/postgresql/$PG_VERSION/bin/pg_ctl" ]; then
    log "installing PostgreSQL $PG_VERSION"
    apt_install "postgresql-$PG_VERSION"
  fi
  local primary
  primary=$(pg_recorded_primary)
  if [ -z "$primary" ] || ! pg_exists "$primary"; then
    if pg_exists inbox_a || pg_exists inbox_b; then
      die "PostgreSQL clusters inbox_a/inbox_b exist but $PG_PRIMARY_FILE does not say which is the primary: eng/cluster.sh destroy, then start"
    fi
    pg_create_primary inbox_a
    pg_record_primary inbox_a
    primary=inbox_a
  fi
  pg_start_node "$primary"
  pg_is_primary "$primary" || die "$primary is recorded as the primary ($PG_PRIMARY_FILE) but runs as a standby"
  pg_roles "$primary"
  local standby
  standby=$(pg_other "$primary")
  # A standby (standby.signal) may start and catch up; anything else is an old primary and is rebuilt below.
  if pg_exists "$standby" && [ -e "$(pg_data "$standby")/standby.signal" ]; then
    pg_start_node "$standby"
    for _ in $(seq 1 30); do pg_streams_async_to "$primary" "$standby" && break; sleep 1; done
  fi
  if pg_streams_to "$primary" "$standby"; then
    log "PostgreSQL: $primary (primary, ${PG_PORT[$primary]}) streams synchronously to $standby (${PG_PORT[$standby]})"
  elif pg_streams_async_to "$primary" "$standby"; then
    pg_set_sync "$primary"
    wait_for 30 "$standby to be $primary's synchronous standby" pg_streams_to "$primary" "$standby"
  else
    pg_build_standby "$primary" "$standby"
  fi
}

pg_stop() {
  local node
  for node in "${PG_NODES[@]}"; do
    if pg_exists "$node" && pg_answers "$node"; then
      log "stopping PostgreSQL $node"
      pg_ctlcluster "$PG_VERSION" "$node" stop -m fast
    fi
  done
}

pg_crash_primary() {
  local primary
  primary=$(pg_primary)
  [ -n "$primary" ] || { log "no PostgreSQL primary runs: nothing to crash"; return 0; }
  log "stopping the primary $primary hard (pg_ctl stop -m immediate)"
  pg_ctlcluster "$PG_VERSION" "$primary" stop -m immediate
}

pg_promote() {
  local primary standby="" node
  primary=$(pg_primary)
  for node in "${PG_NODES[@]}"; do
    pg_is_standby "$node" && standby=$node
  done
  if [ -z "$standby" ]; then
    [ -n "$primary" ] || die "neither a primary nor a standby runs: eng/cluster.sh start"
    log "no standby to promote: $primary is the primary"
    return 0
  fi
  if [ -n "$primary" ]; then
    log "stopping the primary $primary before promoting $standby (two primaries would split the data)"
    pg_ctlcluster "$PG_VERSION" "$primary" stop -m fast
  fi
  log "promoting $standby"
  pg_ctlcluster "$PG_VERSION" "$standby" promote
  wait_for 60 "$standby to leave recovery" pg_is_primary "$standby"
  pg_record_primary "$standby"
  pg_set_async "$standby"
  log "$standby is the primary on ${PG_PORT[$standby]} (asynchronous until eng/cluster.sh rebuild)"
}

pg_rebuild() {
  local primary
  primary=$(pg_primary)
  [ -n "$primary" ] || die "no PostgreSQL primary runs: promote the standby first (eng/cluster.sh promote)"
  local standby
  standby=$(pg_other "$primary")
  if pg_streams_to "$primary" "$standby"; then
    log "$standby already streams synchronously from $primary: nothing to rebuild"
    return 0
  fi
  pg_build_standby "$primary" "$standby"
}

pg_status() {
  local node state
  for node in "${PG_NODES[@]}"; do
    if ! pg_exists "$node"; then state="absent"
    elif ! pg_answers "$node"; then state="stopped"
    elif pg_is_primary "$node"; then state="primary (synchronous_standby_names='$(pg_value "$node" 'SHOW synchronous_standby_names')')"
    else state="standby"
    fi
    printf 'postgres %-8s 127.0.0.1:%s %s\n' "$node" "${PG_PORT[$node]}" "$state"
  done
  local primary
  primary=$(pg_primary 2>/dev/null || true)
  if [ -n "$primary" ]; then
    pg_value "$primary" "SELECT 'replication ' || application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication" || true
  fi
}

# ---------------------------------------------------------------- RabbitMQ

rabbit_node() { echo "inbox$1@$RABBIT_HOST"; }
rabbit_dir() { echo "$RABBIT_BASE/inbox$1"; }
rabbitctl() { # node number, rabbitmqctl args...
  local n=$1
  shift
  rabbitmqctl -n "$(rabbit_node "$n")" "$@"
}
# Whether node N's Erlang VM runs, from epmd (a small C program, instant). `rabbitmq-diagnostics ping` starts an Erlang
# VM of its own: under load (the cluster chaos run) it took over 20 s, a running node was taken for a stopped one, its
# stop did nothing and the following start timed out beside the node that still ran.
rabbit_running() { epmd -names 2>/dev/null | grep -q "^name inbox$1 at port "; }
rabbit_stopped() { ! rabbit_running "$1"; }

rabbit_log() { echo "$(rabbit_dir "$1")/log/$(rabbit_node "$1").log"; }

# Launches node N's Erlang VM and returns at once; rabbit_await_node waits for it.
rabbit_launch_node() {
  local n=$1 dir
  dir=$(rabbit_dir "$n")
  install -d -o rabbitmq -g rabbitmq "$dir" "$dir/log"
  # The table wait is cut from Mnesia's 10 x 30 s to 4 x 15 s: a node that cannot boot says so within a minute.
  cat >"$dir/rabbitmq.conf" <<CONF
# Written by eng/cluster.sh.
listeners.tcp.1 = 127.0.0.1:$((5672 + n))
management.tcp.ip = 127.0.0.1
management.tcp.port = $((15672 + n))
mnesia_table_loading_retry_timeout = 15000
mnesia_table_loading_retry_limit = 4
CONF
  echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  chown rabbitmq:rabbitmq "$dir/rabbitmq.conf" "$dir/enabled_plugins"
  rm -f "$dir/rabbit.pid"
  log "starting RabbitMQ $(rabbit_node "$n") (AMQP 127.0.0.1:$((5672 + n)), management $((15672 + n)))"
  # One scheduler and no busy waiting: three nodes share two cores with everything else.
  (cd "$RABBIT_BASE" && runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq \
    RABBITMQ_NODENAME="$(rabbit_node "$n")" \
    RABBITMQ_NODE_PORT=$((5672 + n)) \
    RABBITMQ_DIST_PORT=$((25672 + n)) \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/rabbit.pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-rabbit quorum_cluster_size 3 +S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none" \
    /usr/lib/rabbitmq/bin/rabbitmq-server -detached >"$dir/log/launch.out" 2>&1)
}

# Waits until node N's application is up; fails (without exiting) when the node's VM exits or it takes too long.
rabbit_await_node() {
  local n=$1 pid_file waiter absent=0
  pid_file="$(rabbit_dir "$n")/rabbit.pid"
  if [ -e "$pid_file" ] || ! rabbit_running "$n"; then
    # Just launched: `wait` waits for the pid file first (the VM may not have reached epmd yet).
    timeout 150 rabbitmqctl -n "$(rabbit_node "$n")" -q wait --timeout 140 "$pid_file" >/dev/null 2>&1 &
  else
    # Running without its pid file (removed by hand, or still being written).
    timeout 150 rabbitmqctl -n "$(rabbit_node "$n")" -q await_startup --timeout 140 >/dev/null 2>&1 &
  fi
  waiter=$!
  # The CLI keeps waiting for a node whose VM has exited; epmd shows it gone.
  while kill -0 "$waiter" 2>/dev/null; do
    if rabbit_running "$n"; then absent=0; else absent=$((absent + 1)); fi
    if [ "$absent" -ge 20 ]; then
      kill "$waiter" 2>/dev/null || true
      wait "$waiter" 2>/dev/null || true
      return 1
    fi
    sleep 1
  done
  wait "$waiter"
}

# Stops node N whatever it is doing (booting, waiting for its peers' tables, running), then waits for its VM to go.
rabbit_kill_node() {
  local n=$1 pid
  rabbit_running "$n" || return 0
  timeout 30 rabbitmqctl -n "$(rabbit_node "$n")" -q shutdown >/dev/null 2>&1 || true
  if rabbit_running "$n"; then
    pid=$(cat "$(rabbit_dir "$n")/rabbit.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  fi
  wait_for 60 "RabbitMQ $(rabbit_node "$n") to stop" rabbit_stopped "$n"
}

# Waits for node N, or exits with the end of its log.
rabbit_await_or_die() {
  rabbit_await_node "$1" || {
    tail -n 20 "$(rabbit_log "$1")" >&2 || true
    die "RabbitMQ $(rabbit_node "$1") did not start (the end of its log is above)"
  }
}

# Starts node N alone (rabbitmq-start N, beside two running peers) and waits for it.
rabbit_start_node() {
  rabbit_running "$1" || rabbit_launch_node "$1"
  rabbit_await_or_die "$1"
}

rabbit_members() { # the cluster's disk nodes as node 1 sees them
  rabbitctl 1 -q cluster_status --formatter json 2>/dev/null | grep -o '"disk_nodes":\[[^]]*\]' || true
}

rabbit_join() {
  local n=$1 node
  node=$(rabbit_node "$n")
  if rabbit_members | grep -q "\"$node\""; then
    return 0
  fi
  log "joining $node to $(rabbit_node 1)"
  rabbitctl "$n" -q stop_app >/dev/null
  rabbitctl "$n" -q join_cluster "$(rabbit_node 1)" >/dev/null
  rabbitctl "$n" -q start_app >/dev/null
}

rabbit_start() {
  need_root
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "installing RabbitMQ"
    apt_install rabbitmq-server
  fi
  install -d -o rabbitmq -g rabbitmq "$RABBIT_BASE"
  local n failed=""
  # A node that was not the last of its cluster to stop waits at boot for the peers that may hold newer tables, and
  # gives up after the table wait. Started one at a time, node 1 waited for nodes 2 and 3, which were started only
  # after it, and exited: CI failed so after all three had stopped together (a reboot, a machine image taken while
  # they ran). So every stopped node is launched before any is waited for, and they boot together.
  for n in 1 2 3; do rabbit_running "$n" || rabbit_launch_node "$n"; done
  for n in 1 2 3; do rabbit_await_node "$n" || failed="$failed $n"; done
  if [ -n "$failed" ]; then
    # Test infrastructure: its data (queues, messages, users) is worth less than a start that always works.
    for n in $failed; do
      log "RabbitMQ $(rabbit_node "$n") did not start from its data; the end of its log:"
      tail -n 12 "$(rabbit_log "$n")" | cut -c1-300 >&2 || true
    done
    log "deleting the three nodes' data and creating the cluster afresh"
    for n in 3 2 1; do rabbit_kill_node "$n"; done
    for n in 1 2 3; do rm -rf "$(rabbit_dir "$n")/mnesia"; done
    for n in 1 2 3; do rabbit_launch_node "$n"; done
    for n in 1 2 3; do rabbit_await_or_die "$n"; done
  fi
  for n in 2 3; do rabbit_join "$n"; done
  if ! rabbitctl 1 -q list_users | grep -q '^inbox\b'; then
    rabbitctl 1 -q add_user inbox inbox >/dev/null
  fi
  rabbitctl 1 -q change_password inbox inbox >/dev/null
  rabbitctl 1 -q set_user_tags inbox administrator >/dev/null
  rabbitctl 1 -q set_permissions -p / inbox '.*' '.*' '.*' >/dev/null
  # Quorum queues keep a delivery limit (a poison message does not loop forever) and are declared with three
  # members by quorum_cluster_size; the queue type itself is a declaration argument (MassTransit: SetQuorumQueue).
  rabbitctl 1 -q set_policy --apply-to queues inbox-quorum '.*' '{"delivery-limit": 20}' >/dev/null
  log "RabbitMQ: $(rabbit_members)"
}

rabbit_stop_node() {
  local n=$1
  if rabbit_running "$n"; then
    log "stopping RabbitMQ $(rabbit_node "$n")"
    rabbitctl "$n" -q shutdown >/dev/null
    wait_for 60 "RabbitMQ $(rabbit_node "$n") to stop" rabbit_stopped "$n"
  fi
}

rabbit_stop() {
  local n
  for n in 3 2 1; do rabbit_stop_node "$n"; done
}

rabbit_status() {
  local n
  for n in 1 2 3; do
    if rabbit_running "$n"; then
      printf 'rabbitmq %s amqp://127.0.0.1:%s running\n' "$(rabbit_node "$n")" $((5672 + n))
    else
      printf 'rabbitmq %s amqp://127.0.0.1:%s stopped\n' "$(rabbit_node "$n")" $((5672 + n))
    fi
  done
  for n in 1 2 3; do
    if rabbit_running "$n"; then
      rabbitctl "$n" -q cluster_status --formatter json | grep -o '"running_nodes":\[[^]]*\]' || true
      break
    fi
  done
}

rabbit_number() {
  case "${1:-}" in 1 | 2 | 3) echo "$1" ;; *) die "which RabbitMQ node: 1, 2 or 3" ;; esac
}

urls() {
  cat <<URLS
INBOX_TEST_POSTGRES_CLUSTER="Host=127.0.0.1:5433,127.0.0.1:5434;Target Session Attributes=primary;Username=inbox;Password=inbox;Database=postgres;SSL Mode=Disable"
INBOX_TEST_RABBITMQ_CLUSTER="amqp://inbox:inbox@127.0.0.1:5673/,amqp://inbox:inbox@127.0.0.1:5674/,amqp://inbox:inbox@127.0.0.1:5675/"
URLS
}

command=${1:-status}
shift || true
case "$command" in
  start)
    case "${1:-all}" in
      postgres) pg_start ;;
      rabbitmq) rabbit_start ;;
      all) pg_start; rabbit_start ;;
      *) die "start what: postgres, rabbitmq or nothing for both" ;;
    esac ;;
  stop)
    case "${1:-all}" in
      postgres) pg_stop ;;
      rabbitmq) rabbit_stop ;;
      all) pg_stop; rabbit_stop ;;
      *) die "stop what: postgres, rabbitmq or nothing for both" ;;
    esac ;;
  status) pg_status; rabbit_status ;;
  crash-primary) need_root; pg_crash_primary ;;
  promote) need_root; pg_promote ;;
  rebuild) need_root; pg_rebuild ;;
  rabbitmq-stop) need_root; rabbit_stop_node "$(rabbit_number "${1:-}")" ;;
  rabbitmq-start) need_root; rabbit_start_node "$(rabbit_number "${1:-}")" ;;
  destroy)
    need_root
    pg_stop
    rabbit_stop
    for node in "${PG_NODES[@]}"; do
      if pg_exists "$node"; then pg_dropcluster "$PG_VERSION" "$node"; fi
      rm -rf "/etc/postgresql/$PG_VERSION/$node"
    done
    rm -rf "$RABBIT_BASE" "$PG_PRIMARY_FILE"
    log "the clustered engines are gone" ;;
  urls) urls ;;
  *) die "unknown command '$command': start, stop, status, crash-primary, promote, rebuild, rabbitmq-stop N, rabbitmq-start N, destroy, urls" ;;
esac
