#!/usr/bin/env bash
# Load test of `sijill serve` on loopback: distribution writes through the JSON API and
# page reads (dashboard, 4W and a filtered page of it, the distributions list) with wrk
# at 50 and 200 connections,
# on a fresh SQLite database and on a throwaway PostgreSQL cluster, each beside a peer
# figure measured in the same run (single-row inserts through the sqlite3 CLI; pgbench).
#
#   bench/load/run.sh                  # both backends
#   LOAD_BACKENDS=sqlite bench/load/run.sh
#   LOAD_DURATION=10 LOAD_CONNECTIONS="50 200" bench/load/run.sh
#   LOAD_BIN=/tmp/sijill-before LOAD_OUT=bench/out/load-before bench/load/run.sh
#
# Needs wrk, sqlite3, python3 and PostgreSQL's server binaries (apt-get install wrk
# sqlite3 postgresql). Results: bench/out/load/results.md (and the raw wrk output).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

duration=${LOAD_DURATION:-10}
connections=${LOAD_CONNECTIONS:-"50 200"}
backends=${LOAD_BACKENDS:-"sqlite postgres"}
threads=${LOAD_THREADS:-2}
port=${LOAD_PORT:-18080}
pg_port=${LOAD_PG_PORT:-15432}
password="load test password 2025"
out=${LOAD_OUT:-$root/bench/out/load}
mkdir -p "$out" && out=$(cd "$out" && pwd)
mkdir -p "$out"
results=$out/results.md

for tool in wrk sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "load: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

# LOAD_BIN runs an already built binary instead (e.g. a copy of an earlier build, for a
# before/after comparison on the same machine state).
if [ -n "${LOAD_BIN:-}" ]; then
  bin=$LOAD_BIN
else
  echo "load: building the release binary"
  cargo build --release --locked -p sijill >/dev/null
  bin=$root/target/release/sijill
fi

work=$(mktemp -d /tmp/sijill-load.XXXXXX)
chmod 755 "$work"
server_pid=""
pg_dir=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ -n "$pg_dir" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

{
  echo "# Load run $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "wrk: $threads threads, ${duration} s per case."
  echo
  echo "| backend | case | connections | requests/s | p50 ms | p99 ms | non-2xx |"
  echo "|---|---|---|---|---|---|---|"
} >"$results"

# Reads wrk's output: requests/s, p50 and p99 in ms, non-2xx/3xx count.
wrk_row() {
  local backend=$1 case=$2 conns=$3 file=$4
  python3 - "$backend" "$case" "$conns" "$file" >>"$results" <<'PY'
import re, sys
backend, case, conns, path = sys.argv[1:]
text = open(path).read()
def ms(p):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, text, re.M)
    if not m:
        return "?"
    v, u = float(m.group(1)), m.group(2)
    return "%.1f" % (v / 1000 if u == "us" else v * 1000 if u == "s" else v)
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errs = re.search(r"Socket errors:.*", text)
print("| %s | %s | %s | %s | %s | %s | %s%s |" % (
    backend, case, conns, "%.0f" % float(rps.group(1)) if rps else "?", ms("50"), ms("99"),
    bad.group(1) if bad else "0", " (" + errs.group(0) + ")" if errs else ""))
PY
}

start_server() {
  local db=$1
  shift
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "load: something already listens on port $port (set LOAD_PORT)" >&2
    exit 1
  fi
  "$bin" serve --db "$db" --addr "127.0.0.1:$port" "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "load: the server did not start" >&2
  cat "$work/server.log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

seed_users() {
  local db=$1
  "$bin" org add --db "$db" --name "Load Relief" --kind relief --member >/dev/null
  for u in load.admin:admin load.field:field; do
    printf '%s\n' "$password" | "$bin" user add --db "$db" --username "${u%%:*}" \
      --name "${u%%:*}" --org "Load Relief" --role "${u##*:}" --password-stdin >/dev/null
  done
}

# drive LABEL [writes]: writes at each connection count, then (unless `writes`) pages.
drive() {
  local backend=$1 only=${2:-} base="http://127.0.0.1:$port"
  local creds
  creds=$(python3 "$root/bench/load/session.py" "$base" load.admin load.field "$password")
  local cookie token
  cookie=$(printf '%s\n' "$creds" | sed -n 's/^cookie=//p')
  token=$(printf '%s\n' "$creds" | sed -n 's/^token=//p')
  for c in $connections; do
    local f=$out/$(echo "$backend" | tr -c 'a-z0-9\n' _)-write-$c.txt
    echo "load: $backend writes, $c connections"
    LOAD_TOKEN=$token wrk -t"$threads" -c"$c" -d"${duration}s" --latency \
      -s "$root/bench/load/write.lua" "$base" >"$f"
    wrk_row "$backend" "POST /api/v1/respond/distributions" "$c" "$f"
  done
  [ "$only" = writes ] && return 0
  for path in /dashboard /respond/4w "/respond/4w?area=SY06&page=2" /respond/distributions; do
    for c in $connections; do
      local f=$out/$(echo "$backend$path" | tr -c 'a-zA-Z0-9\n' _)-$c.txt
      echo "load: $backend GET $path, $c connections"
      LOAD_COOKIE=$cookie LOAD_PATH=$path wrk -t"$threads" -c"$c" -d"${duration}s" --latency \
        -s "$root/bench/load/page.lua" "$base" >"$f"
      wrk_row "$backend" "GET $path" "$c" "$f"
    done
  done
}

for backend in $backends; do
  case $backend in
  sqlite)
    # Before: one commit per write (the distribution, then its audit entry).
    db="sqlite:$work/single.db"
    seed_users "$db"
    SIJILL_NO_GROUP_COMMIT=1 start_server "$db"
    drive "sqlite, one commit per write" writes
    stop_server
    # As shipped: concurrent writes share commits.
    db="sqlite:$work/load.db"
    seed_users "$db"
    start_server "$db"
    drive sqlite
    stop_server
    echo "sqlite after the run: $("$root/bench/load/count.sh" "$work/load.db")" >"$out/notes.txt"
    # Peer: single-row autocommit inserts through the sqlite3 CLI, same pragmas as the
    # store (WAL, synchronous=FULL), on the same disk.
    n=3000
    peer=$work/peer.db
    sqlite3 "$peer" "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);" >/dev/null
    t0=$(date +%s.%N)
    { echo "PRAGMA synchronous=FULL;"; for i in $(seq 1 $n); do echo "INSERT INTO t(v) VALUES ('row $i');"; done; } | sqlite3 "$peer"
    t1=$(date +%s.%N)
    rate=$(python3 -c "print('%.0f' % ($n / ($t1 - $t0)))")
    echo "| sqlite | peer: sqlite3 CLI, $n single-row commits (WAL, synchronous=FULL) | 1 | $rate | | | |" >>"$results"
    ;;
  postgres)
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    pg_dir=$work/pg
    mkdir -p "$pg_dir" && chown postgres "$pg_dir" "$work"
    runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir" -A trust -U postgres >/dev/null
    # Default durability (fsync on, synchronous_commit on), unlike the test clusters.
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir" -w -l "$pg_dir/log" \
      -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    mkdir -p "$work/evidence"
    # Before: one commit per write (the distribution, then its audit entry).
    runuser -u postgres -- "$pg_bin/createdb" -h 127.0.0.1 -p $pg_port sijill_single
    db="postgres://postgres@127.0.0.1:$pg_port/sijill_single"
    seed_users "$db"
    SIJILL_NO_GROUP_COMMIT=1 SIJILL_EVIDENCE_DIR=$work/evidence start_server "$db" --key-file "$work/pg-single.key"
    drive "postgres, one commit per write" writes
    stop_server
    # As shipped: concurrent writes share commits.
    runuser -u postgres -- "$pg_bin/createdb" -h 127.0.0.1 -p $pg_port sijill_load
    db="postgres://postgres@127.0.0.1:$pg_port/sijill_load"
    seed_users "$db"
    SIJILL_EVIDENCE_DIR=$work/evidence start_server "$db" --key-file "$work/pg.key"
    drive postgres
    stop_server
    # Peer: pgbench with one single-row INSERT per transaction, same connections.
    runuser -u postgres -- "$pg_bin/psql" -q -h 127.0.0.1 -p $pg_port sijill_load \
      -c "CREATE TABLE peer(id bigserial PRIMARY KEY, v text)"
    echo "INSERT INTO peer(v) VALUES ('row');" >"$work/peer.sql"
    chmod 644 "$work/peer.sql"
    for c in $connections; do
      rate=$(runuser -u postgres -- "$pg_bin/pgbench" -n -h 127.0.0.1 -p $pg_port -c "$c" -j "$threads" \
        -T "$duration" -f "$work/peer.sql" sijill_load 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
      echo "| postgres | peer: pgbench, single-row INSERT per transaction | $c | ${rate%.*} | | | |" >>"$results"
    done
    ;;
  esac
done

echo >>"$results"
[ -f "$out/notes.txt" ] && cat "$out/notes.txt" >>"$results"
cat "$results"
