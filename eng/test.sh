#!/usr/bin/env bash
# Runs every test project against real servers and prints one summary line:
#   N passed, N failed, N skipped
#
# Servers, in order of preference:
#   1. connection strings from the environment (INBOX_TEST_POSTGRES, INBOX_TEST_RABBITMQ,
#      INBOX_TEST_SQLSERVER), used as given;
#   2. a Docker engine, through Testcontainers (the tests start the containers);
#   3. otherwise (Debian, root, no Docker) PostgreSQL and RabbitMQ are installed with apt,
#      started on 127.0.0.1 and given a test role; running this a second time reuses them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[test] %s\n' "$*" >&2; }

docker_answers() { command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; }

if [ -z "${INBOX_TEST_POSTGRES:-}${INBOX_TEST_RABBITMQ:-}" ] && docker_answers; then
  log "Docker engine found: Testcontainers starts PostgreSQL, RabbitMQ and SQL Server."
else
  bash "$root/eng/servers.sh"
  # Loopback without TLS: the local server's self-signed TLS would only spend CPU.
  export INBOX_TEST_POSTGRES="${INBOX_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=inbox;Password=inbox;Database=postgres;SSL Mode=Disable}"
  export INBOX_TEST_RABBITMQ="${INBOX_TEST_RABBITMQ:-amqp://inbox:inbox@127.0.0.1:5672/}"
  export INBOX_TEST_RABBITMQ_MANAGEMENT="${INBOX_TEST_RABBITMQ_MANAGEMENT:-http://127.0.0.1:15672/}"
fi

# The failover tests' PostgreSQL pair (eng/cluster.sh: primary and synchronous standby on 5433/5434, about 10 s to
# start). Their tests crash and promote it, so it needs root; elsewhere they skip, except under CI=true, where they fail.
if [ -z "${INBOX_TEST_POSTGRES_CLUSTER:-}" ] && [ "$(id -u)" -eq 0 ]; then
  bash "$root/eng/cluster.sh" start postgres
  export INBOX_TEST_POSTGRES_CLUSTER="Host=127.0.0.1:5433,127.0.0.1:5434;Target Session Attributes=primary;Username=inbox;Password=inbox;Database=postgres;SSL Mode=Disable"
fi

# The console page's browser test (tests/Inbox.Samples.Tests) drives Debian's chromium through Playwright, which
# downloads no browser of its own. Installed once, like the servers; under CI=true the test fails without it.
if [ -z "${INBOX_TEST_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing chromium"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; } >/tmp/inbox-apt-chromium.log 2>&1 \
      || { cat /tmp/inbox-apt-chromium.log >&2; exit 1; }
  else
    log "no chromium and not root: install it (apt-get install -y chromium) or set INBOX_TEST_CHROMIUM to a Chromium binary"
  fi
fi

# The test hosts, chaos stack and benchmarks send MassTransit's anonymous usage report nowhere.
export MASSTRANSIT_USAGE_TELEMETRY="${MASSTRANSIT_USAGE_TELEMETRY:-false}"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

log "Building Inbox.sln"
dotnet build Inbox.sln -c Release -nologo -v quiet -clp:ErrorsOnly

status=0
dotnet test Inbox.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" \
  -- RunConfiguration.TreatNoTestsAsError=false || status=$?

# The CI-sized chaos run: the sample stack under load, kills and a broker restart (tests/Inbox.Chaos).
chaos_status=0
if [ "${INBOX_SKIP_CHAOS:-}" != "1" ]; then
  log "Chaos run (CI-sized)"
  dotnet run -c Release --no-build --project tests/Inbox.Chaos -- --ci \
    > >(tee "$results/chaos.txt") 2> >(tee "$results/chaos-log.txt" >&2) || chaos_status=$?
fi

# The CI-sized chaos run on the clustered engines (tests/Inbox.Chaos --cluster --ci): the same load and kills on
# eng/cluster.sh's PostgreSQL pair and three-node RabbitMQ cluster while PostgreSQL fails over and the RabbitMQ node
# leading the quorum queues stops; the pair is rebuilt afterwards. It stops and promotes servers, so it needs root,
# like the pair's start above; elsewhere it counts as skipped. About 3 minutes here, the RabbitMQ cluster's first
# start included; the nodes keep running afterwards, like the other servers.
cluster_chaos_status=0
cluster_chaos_ran=0
if [ "${INBOX_SKIP_CHAOS:-}" != "1" ] && [ "$(id -u)" -eq 0 ]; then
  log "Chaos run on the clustered engines (CI-sized)"
  cluster_chaos_ran=1
  if bash "$root/eng/cluster.sh" start 2> >(tee "$results/cluster-start.txt" >&2); then
    dotnet run -c Release --no-build --project tests/Inbox.Chaos -- --cluster --ci \
      > >(tee "$results/cluster-chaos.txt") 2> >(tee "$results/cluster-chaos-log.txt" >&2) || cluster_chaos_status=$?
  else
    cluster_chaos_status=1
  fi
fi

# The benchmarks' --quick run: a smoke check that every scenario still runs (no timing is asserted).
bench_status=0
if [ "${INBOX_SKIP_BENCHMARKS:-}" != "1" ]; then
  log "Benchmarks (--quick smoke run)"
  dotnet run -c Release --no-build --project tests/Inbox.Benchmarks -- all --quick || bench_status=$?
fi

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get total) - $(get executed)))
done

if [ "${INBOX_SKIP_CHAOS:-}" != "1" ]; then
  if [ "$chaos_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  if [ "$cluster_chaos_ran" -eq 0 ]; then skipped=$((skipped + 1))
  elif [ "$cluster_chaos_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
fi

# CI keeps only the tail of this output, so what failed is named here, after the benchmarks' long output.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"' "$trx" \
    | sed -n 's/.*testName="\([^"]*\)".*/[test] FAILED: \1/p' >&2 || true
done
if [ "$status" -ne 0 ]; then log "dotnet test exited $status"; fi
# A failed chaos run's figures (its stdout) are repeated here, so the tail says what broke.
if [ "$chaos_status" -ne 0 ]; then
  log "FAILED: the chaos run (exit $chaos_status); the end of its log, then its figures:"
  tail -n 25 "$results/chaos-log.txt" | sed 's/^/[chaos log] /' >&2 || true
  sed 's/^/[chaos] /' "$results/chaos.txt" >&2 || true
fi
if [ "$cluster_chaos_status" -ne 0 ]; then
  log "FAILED: the chaos run on the clustered engines (exit $cluster_chaos_status); the end of its log, then its figures:"
  if [ -e "$results/cluster-chaos.txt" ]; then
    tail -n 25 "$results/cluster-chaos-log.txt" | sed 's/^/[cluster chaos log] /' >&2 || true
    sed 's/^/[cluster chaos] /' "$results/cluster-chaos.txt" >&2
  else
    tail -n 40 "$results/cluster-start.txt" | sed 's/^/[cluster start] /' >&2 || true
  fi
fi

echo "$passed passed, $failed failed, $skipped skipped"

if [ "$files" -eq 0 ]; then
  log "no test results were written"
  exit 1
fi
if [ "$bench_status" -ne 0 ]; then
  log "the benchmarks' quick run failed (exit $bench_status)"
fi
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ] || [ "$chaos_status" -ne 0 ] || [ "$cluster_chaos_status" -ne 0 ] || [ "$bench_status" -ne 0 ]; then
  exit 1
fi
