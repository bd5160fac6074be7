#!/usr/bin/env bash
# Runs the editing traces and the crdt-benchmarks B1-B3 cases through our engine (Java) and through
# yjs, ywasm and @automerge/automerge (Node, js/node_modules) in ONE invocation on this machine, then
# writes docs/BENCHMARKS.md (ratio tables) and docs/benchmarks/chart.svg.
#
#   benchmarks/compare.sh [--runs N] [--rounds R] [--suite-runs N] [--traces "automerge-paper seph-blog1 ..."]
#                         [--engines "yjs ywasm automerge"] [--prefix TXNS] [--timeout SECONDS]
#                         [--no-suite] [--no-build]
#
# Defaults: per trace, R=1 round of one process per engine (engines interleaved round by round, so
# that drifting machine load hits all of them alike), each process replaying N=2 times; 2 passes over
# the suite. The report takes each engine's best run (wall and process-CPU time separately).
# All sequential traces in $SHARED/bench-data (SHARED defaults to ../shared next to the repo).
# A library that fails or exceeds --timeout on one input is reported as "n/a" for that input.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED:-$root/../shared}"
data="$shared/bench-data"
runs=2
rounds=1
suite_runs=2
traces="automerge-paper seph-blog1 rustcode sveltecomponent friendsforever_flat clownschool_flat"
engines="yjs ywasm automerge"
prefix=""
limit=900
do_suite=1
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --suite-runs) suite_runs="$2"; shift 2 ;;
    --traces) traces="$2"; shift 2 ;;
    --engines) engines="$2"; shift 2 ;;
    --prefix) prefix="--prefix $2"; shift 2 ;;
    --timeout) limit="$2"; shift 2 ;;
    --no-suite) do_suite=0; shift ;;
    --no-build) build=0; shift ;;
    *) echo "compare.sh: unknown option $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
[[ -d "$data" ]] || { echo "compare.sh: no trace data at $data (set SHARED=/path/to/shared)" >&2; exit 2; }
[[ -d "$root/js/node_modules/yjs" ]] || { echo "compare.sh: js/node_modules missing; run js/install.sh" >&2; exit 2; }

out="$root/benchmarks/target/compare"
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
jar="$root/benchmarks/target/benchmarks.jar"
if [[ $build == 1 || ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -o -DskipTests -Dnpm.skip=true -pl benchmarks -am package >&2)
fi
java_cmd=(java -Xms1g -Xmx2g -XX:+UseParallelGC -cp "$jar" nodenogg.benchmarks.BenchMain)
node_cmd=(node --expose-gc --max-old-space-size=4096)

# meta: what ran where
{
  printf '{"meta":true,"date":"%s","host":"%s","cpus":%s,"java":"%s","node":"%s","runs":%s,"rounds":%s,"suiteRuns":%s,"prefix":"%s","load":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(uname -srm)" "$(nproc)" \
    "$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')" "$(node --version)" "$runs" "$rounds" "$suite_runs" "${prefix#--prefix }" "$(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$results"

run() { # label, command...: appends JSON lines to results; records a failure line otherwise
  local label="$1"; shift
  echo "compare.sh: $label" >&2
  if ! timeout "$limit" "$@" >> "$results" 2> "$out/last-stderr.txt"; then
    echo "compare.sh:   FAILED or timed out: $label ($(tail -1 "$out/last-stderr.txt"))" >&2
    printf '{"failed":"%s"}\n' "$label" >> "$results"
  fi
}

for t in $traces; do
  f="$data/$t.json.gz"
  [[ -f "$f" ]] || { echo "compare.sh: skipping missing trace $f" >&2; continue; }
  extra=()
  [[ $t == automerge-paper ]] && extra=(--out "$out/nodenogg-b4-v1.bin")
  for ((r = 1; r <= rounds; r++)); do
    run "nodenogg trace $t (round $r)" "${java_cmd[@]}" trace "$f" --runs "$runs" $prefix "${extra[@]}"
    for e in $engines; do
      run "$e trace $t (round $r)" "${node_cmd[@]}" "$root/js/bench/replay.mjs" "$e" "$f" --runs "$runs" $prefix
    done
  done
done

golden="$data/golden/yjs-b4-automerge-paper-v1.bin"
if [[ -f "$out/nodenogg-b4-v1.bin" && -f "$golden" && -z "$prefix" ]]; then
  if cmp -s "$out/nodenogg-b4-v1.bin" "$golden"; then same=true; else same=false; fi
  printf '{"golden":"yjs-b4-automerge-paper-v1.bin","identical":%s,"bytes":%s}\n' "$same" \
    "$(stat -c %s "$out/nodenogg-b4-v1.bin")" >> "$results"
fi

if [[ $do_suite == 1 ]]; then
  node "$root/js/bench/suite-gen.mjs" "$out/suite.json"
  run "nodenogg suite" "${java_cmd[@]}" suite "$out/suite.json" --runs "$suite_runs"
  for e in $engines; do
    run "$e suite" "${node_cmd[@]}" "$root/js/bench/suite.mjs" "$e" "$out/suite.json" --runs "$suite_runs"
  done
fi

printf '{"metaEnd":true,"load":"%s","date":"%s"}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%Y-%m-%dT%H:%MZ)" >> "$results"
node "$root/js/bench/report.mjs" "$results" "$root/docs/BENCHMARKS.md" "$root/docs/benchmarks/chart.svg"
echo "compare.sh: wrote docs/BENCHMARKS.md and docs/benchmarks/chart.svg (raw: $results)" >&2
