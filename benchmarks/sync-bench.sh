#!/usr/bin/env bash
# Sync-server load benchmark (issue 6): the same load, from js/syncbench/load.mjs (raw Hocuspocus
# protocol client, one Node process), against
#   ours-mem     ./microcosm serve --memory        (documents in memory)
#   ours-sqlite  ./microcosm serve --data <tmpdir> (SQLite, every update durable)
#   hocuspocus   node js/syncbench/hocuspocus-ref.mjs                     (@hocuspocus/server 4.7.0, defaults,
#                                                                           no extension = memory only)
#   relay-java   ./microcosm bench relay     floor: our WebSocket transport forwarding each update unchanged
#   relay-node   node js/syncbench/relay-floor.mjs  floor: the ws library doing the same (fanout only)
# in ONE run, servers interleaved per scenario and repetition, then writes docs/benchmarks/sync.md.
# Each server is started fresh for every scenario and stopped afterwards. Loopback only.
#
#   benchmarks/sync-bench.sh [--reps N] [--duration S] [--rates "R1 R2"] [--clients N] [--rooms-clients N]
#                            [--idle-clients N] [--doc-kib K] [--servers "ours-mem ours-sqlite hocuspocus relay-java relay-node"]
#                            [--scenarios "join fanout rooms idle"] [--no-build] [--out FILE]
#                            [--results FILE] [--keep FILE...]
# --results: where this run's raw results go (default benchmarks/target/sync-bench/results.jsonl);
# --keep: earlier results files whose scenarios this run does not repeat are kept in the report.
# Defaults: 2 repetitions, fanout 50 clients in one room at 1960 and at 400 updates/s (total) for 20 s
# each (3 s warm-up),
# rooms 1000 clients over 1000 rooms, idle 10000 clients over 1000 rooms held 10 s, join a 1100 KiB doc 70 times
# (--joins; clients stay connected; RSS read before and after the joins, and after a requested GC).
# JAVA_OPTS, when set, replaces the JVM options ./microcosm serve uses by default (see that script).
# SERVER_PREFIX / LOADGEN_PREFIX: command prefixes for the servers and the load generator, e.g.
# "taskset -c 2-3" and "taskset -c 0-1" to keep them on separate cores on a larger machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmdline="benchmarks/sync-bench.sh $*"
reps=2; duration=20; rates="1960 400"; clients=50; rooms_clients=1000; idle_clients=10000; doc_kib=1100
joins=70; join_gap_ms=50
servers="ours-mem ours-sqlite hocuspocus relay-java relay-node"; scenarios="join fanout rooms idle"; build=1
out_md="$root/docs/benchmarks/sync.md"
results="$root/benchmarks/target/sync-bench/results.jsonl"; keep=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --rooms-clients) rooms_clients="$2"; shift 2 ;;
    --idle-clients) idle_clients="$2"; shift 2 ;;
    --doc-kib) doc_kib="$2"; shift 2 ;;
    --joins) joins="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out_md="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    --keep) keep+=("$2"); shift 2 ;;
    *) echo "sync-bench.sh: unknown option $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
js="$root/js"
[[ -d "$js/node_modules/@hocuspocus/server" && -d "$js/node_modules/ws" ]] \
  || { echo "sync-bench.sh: js/node_modules lacks @hocuspocus/server or ws; run js/install.sh" >&2; exit 2; }
command -v node >/dev/null || { echo "sync-bench.sh: node is not installed" >&2; exit 2; }

# Each client is one socket in the load process and one in the server process.
need=$((idle_clients + 1000))
if (( $(ulimit -n) < need )); then
  ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
fi
if (( $(ulimit -n) < need )); then
  echo "sync-bench.sh: open-file limit $(ulimit -n) (hard $(ulimit -Hn)) is below $need; the idle scenario will fail" >&2
fi

# Our JVMs get exactly JAVA_OPTS when it is set, else ./microcosm's own defaults (whatever the caller's
# MICROCOSM_JAVA_OPTS says), so the report's JAVA_OPTS line is true.
if [[ -n "${JAVA_OPTS+set}" ]]; then export MICROCOSM_JAVA_OPTS="$JAVA_OPTS"; else unset MICROCOSM_JAVA_OPTS; fi
jar="$root/cli/target/microcosm.jar"
if [[ $build == 1 || ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -o -Dnpm.skip=true -DskipTests -pl cli -am package >&2)
fi
work="$(mktemp -d /tmp/sync-bench.XXXXXX)"
mkdir -p "$(dirname "$results")"; : > "$results"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap 'cleanup; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# start_server NAME -> sets server_pid, port, url, kind
start_server() {
  local log="$work/$1.log"; : > "$log"
  case "$1" in
    ours-mem|ours-sqlite)
      local store=(--memory)
      if [[ $1 == ours-sqlite ]]; then rm -rf "$work/data"; mkdir -p "$work/data"; store=(--data "$work/data"); fi
      # Started the way users start it: ./microcosm serve (JVM options: see MICROCOSM_JAVA_OPTS above).
      # shellcheck disable=SC2086
      ${SERVER_PREFIX:-} "$root/microcosm" serve --host 127.0.0.1 --port 0 "${store[@]}" > "$log" 2>&1 &
      server_pid=$!; kind=java ;;
    hocuspocus)
      (cd "$js" && exec ${SERVER_PREFIX:-} node --expose-gc syncbench/hocuspocus-ref.mjs 0) > "$log" 2>&1 &
      server_pid=$!; kind=node ;;
    relay-java) # floor: our transport forwarding updates, no CRDT (./microcosm bench relay)
      # shellcheck disable=SC2086
      ${SERVER_PREFIX:-} "$root/microcosm" bench relay --port 0 > "$log" 2>&1 &
      server_pid=$!; kind=java ;;
    relay-node) # floor: the ws library forwarding updates, no CRDT
      (cd "$js" && exec ${SERVER_PREFIX:-} node syncbench/relay-floor.mjs 0) > "$log" 2>&1 &
      server_pid=$!; kind=node ;;
    *) echo "sync-bench.sh: unknown server $1" >&2; exit 2 ;;
  esac
  port=""
  for _ in $(seq 600); do
    port="$(sed -n -e 's/^PORT \([0-9]*\).*/\1/p' -e 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$log" | head -1)"
    [[ -n "$port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { echo "sync-bench.sh: $1 exited: $(cat "$log")" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "sync-bench.sh: $1 printed no port in 60 s" >&2; exit 1; }
  url="ws://127.0.0.1:$port/sync" # Hocuspocus ignores the path
  sleep 1 # let start-up work (JIT, class loading) calm down before measuring
}

scenario_args() {
  case "$1" in
    fanout@*) echo "--clients $clients --rooms 1 --rate ${1#fanout@} --warmup 3 --duration $duration" ;;
    rooms) echo "--clients $rooms_clients --rooms $rooms_clients" ;;
    idle) echo "--clients $idle_clients --rooms 1000 --hold 10 --time-limit 240" ;;
    join) echo "--doc-kib $doc_kib --joins $joins --join-gap-ms $join_gap_ms" ;;
  esac
}

printf '{"meta":true,"date":"%s","host":"%s","cpus":%s,"java":"%s","node":"%s","javaOpts":"%s","load":"%s","ulimit":%s}\n' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$(uname -srm)" "$(nproc)" "$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')" \
  "$(node --version)" "${JAVA_OPTS-(./microcosm serve defaults)}" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(ulimit -n)" >> "$results"

expanded=""
for sc in $scenarios; do
  if [[ $sc == fanout ]]; then for r in $rates; do expanded+=" fanout@$r"; done; else expanded+=" $sc"; fi
done
for rep in $(seq "$reps"); do
  for sc in $expanded; do
    for srv in $servers; do
      [[ $srv == relay-* && $sc != fanout@* ]] && continue # the floors only speak enough for fan-out
      start_server "$srv"
      # shellcheck disable=SC2046
      line="$(cd "$js" && ${LOADGEN_PREFIX:-} node syncbench/load.mjs --url "$url" --scenario "${sc%@*}" --pid "$server_pid" --kind "$kind" \
        --seed "$rep" $(scenario_args "$sc") 2> "$work/load.err" | grep '^RESULT ' || true)"
      rss_end=$(awk '/VmRSS/{print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
      cleanup
      if [[ -z "$line" ]]; then
        line="RESULT {\"scenario\":\"${sc%@*}\",\"ok\":false,\"errors\":[\"load client printed no result: $(tr -d '"\\' < "$work/load.err" | tail -c 300 | tr '\n' ' ')\"]}"
      fi
      json="${line#RESULT }"
      echo "{\"server\":\"$srv\",\"rep\":$rep,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"serverRssEndKiB\":${rss_end:-0},\"result\":$json}" >> "$results"
      echo "rep $rep $sc $srv: $json" >&2
    done
  done
done

node "$js/syncbench/report.mjs" "$out_md" "$cmdline" ${keep[@]+"${keep[@]}"} "$results"
echo "wrote $out_md" >&2
