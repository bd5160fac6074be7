#!/usr/bin/env bash
# Scale-out fan-out benchmark (issue 17): the fan-out load of benchmarks/sync-bench.sh (js/syncbench/load.mjs,
# 50 raw Hocuspocus clients in one document, open-loop sending at a total rate) against, in ONE run,
# configurations interleaved per rate and repetition, each started fresh:
#   ours-1     one  ./microcosm serve --memory                        (all clients on it; no Redis)
#   ours-1r    one  ./microcosm serve --memory --redis URL            (all clients on it; publishes to Redis)
#   ours-2     two  ./microcosm serve --memory --redis URL            (clients alternate between the two)
#   node-1     one  @hocuspocus/server 4.7.0, no extension            (js/syncbench/hocuspocus-ref.mjs)
#   node-1r    one  @hocuspocus/server 4.7.0 + @hocuspocus/extension-redis 4.7.0 (js/scale/redis-hocuspocus.mjs)
#   node-2     two  of those on the same Redis
# A fresh redis-server (loopback, no persistence) per run of the *r/*2 configurations. Latency of an update: until
# the LAST other client has it, wherever it is connected. Server CPU: the sum over the instances; Redis CPU apart.
# Then writes docs/benchmarks/scale-out.md (js/syncbench/scale-report.mjs).
#
#   benchmarks/scale-bench.sh [--reps N] [--duration S] [--rates "R1 R2"] [--clients N]
#                             [--configs "ours-1 ours-1r ours-2 node-1 node-1r node-2"] [--no-build] [--out FILE]
# Defaults: 3 repetitions, 50 clients, 1960 and 400 updates/s for 15 s (3 s warm-up).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmdline="benchmarks/scale-bench.sh $*"
reps=3; duration=15; rates="1960 400"; clients=50
configs="ours-1 ours-1r ours-2 node-1 node-1r node-2"; build=1
out_md="$root/docs/benchmarks/scale-out.md"
results="$root/benchmarks/target/scale-bench/results.jsonl"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out_md="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "scale-bench.sh: unknown option $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
js="$root/js"
redis_bin="${NODENOGG_REDIS_SERVER:-/usr/bin/redis-server}"
[[ -x "$redis_bin" ]] || { echo "scale-bench.sh: $redis_bin not found (apt-get install redis-server)" >&2; exit 2; }
[[ -d "$js/node_modules/@hocuspocus/server" && -d "$js/scale/node_modules/@hocuspocus/extension-redis" ]] \
  || { echo "scale-bench.sh: js/node_modules or js/scale/node_modules missing; run js/install.sh" >&2; exit 2; }
if [[ -n "${JAVA_OPTS+set}" ]]; then export MICROCOSM_JAVA_OPTS="$JAVA_OPTS"; else unset MICROCOSM_JAVA_OPTS; fi
jar="$root/cli/target/microcosm.jar"
if [[ $build == 1 || ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -o -Dnpm.skip=true -DskipTests -pl cli -am package >&2)
fi
work="$(mktemp -d /tmp/scale-bench.XXXXXX)"
mkdir -p "$(dirname "$results")"; : > "$results"
pids=(); redis_pid=""
stop_all() {
  for p in "${pids[@]}" $redis_pid; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}" $redis_pid; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  pids=(); redis_pid=""
}
trap 'stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_redis() {
  redis_port="$(free_port)"
  "$redis_bin" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" > "$work/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "scale-bench.sh: redis-server did not start: $(cat "$work/redis.log")" >&2; exit 1
}

# start_instance KIND NAME -> appends to pids and urls
start_instance() {
  local log="$work/$2.log"; : > "$log"
  case "$1" in
    ours) "$root/microcosm" serve --host 127.0.0.1 --port 0 --memory > "$log" 2>&1 & ;;
    ours-redis) "$root/microcosm" serve --host 127.0.0.1 --port 0 --memory --redis "redis://127.0.0.1:$redis_port" \
        --instance-id "$2" > "$log" 2>&1 & ;;
    node) (cd "$js" && exec node --expose-gc syncbench/hocuspocus-ref.mjs 0) > "$log" 2>&1 & ;;
    node-redis) (cd "$js/scale" && exec node redis-hocuspocus.mjs "$redis_port" "$2" 0) > "$log" 2>&1 & ;;
  esac
  local pid=$!
  pids+=("$pid")
  local port=""
  for _ in $(seq 600); do
    port="$(sed -n -e 's/^PORT \([0-9]*\).*/\1/p' -e 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$log" | head -1)"
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || { echo "scale-bench.sh: $2 exited: $(cat "$log")" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "scale-bench.sh: $2 printed no port in 60 s" >&2; exit 1; }
  urls+=("ws://127.0.0.1:$port/sync")
}

start_config() {
  urls=(); kind=java
  case "$1" in
    ours-1) start_instance ours ours-a ;;
    ours-1r) start_redis; start_instance ours-redis ours-a ;;
    ours-2) start_redis; start_instance ours-redis ours-a; start_instance ours-redis ours-b ;;
    node-1) kind=node; start_instance node node-a ;;
    node-1r) kind=node; start_redis; start_instance node-redis node-a ;;
    node-2) kind=node; start_redis; start_instance node-redis node-a; start_instance node-redis node-b ;;
    *) echo "scale-bench.sh: unknown configuration $1" >&2; exit 2 ;;
  esac
  sleep 1 # let start-up work (JIT, class loading) calm down before measuring
}

printf '{"meta":true,"date":"%s","host":"%s","cpus":%s,"java":"%s","node":"%s","redis":"%s","javaOpts":"%s","load":"%s"}\n' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$(uname -srm)" "$(nproc)" "$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')" \
  "$(node --version)" "$("$redis_bin" --version | cut -d' ' -f3)" "${JAVA_OPTS-(./microcosm serve defaults)}" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$results"

for rep in $(seq "$reps"); do
  for rate in $rates; do
    for cfg in $configs; do
      start_config "$cfg"
      load_before="$(cut -d' ' -f1 /proc/loadavg)"
      psi_before="$(sed -n 's/^some avg10=\([0-9.]*\).*/\1/p' /proc/pressure/cpu 2>/dev/null || true)"
      pid_list="$(IFS=,; echo "${pids[*]}")"; url_list="$(IFS=,; echo "${urls[*]}")"
      line="$(cd "$js" && node syncbench/load.mjs --url "$url_list" --scenario fanout --pid "$pid_list" --kind "$kind" \
        --redis-pid "${redis_pid:-0}" --seed "$rep" --clients "$clients" --rooms 1 --rate "$rate" --warmup 3 \
        --duration "$duration" 2> "$work/load.err" | grep '^RESULT ' || true)"
      load_after="$(cut -d' ' -f1 /proc/loadavg)"
      stop_all
      if [[ -z "$line" ]]; then
        line="RESULT {\"scenario\":\"fanout\",\"ok\":false,\"errors\":[\"load client printed no result: $(tr -d '"\\' < "$work/load.err" | tail -c 300 | tr '\n' ' ')\"]}"
      fi
      json="${line#RESULT }"
      echo "{\"config\":\"$cfg\",\"rep\":$rep,\"rate\":$rate,\"loadBefore\":\"$load_before\",\"loadAfter\":\"$load_after\",\"cpuPressure\":\"${psi_before:-}\",\"result\":$json}" >> "$results"
      echo "rep $rep rate $rate $cfg (load $load_before): $json" >&2
    done
  done
done

node "$js/syncbench/scale-report.mjs" "$out_md" "$cmdline" "$results"
cp "$results" "$(dirname "$out_md")/scale-out-results.jsonl"
echo "wrote $out_md and $(dirname "$out_md")/scale-out-results.jsonl" >&2
