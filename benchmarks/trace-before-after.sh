#!/usr/bin/env bash
# Engine trace replay of two builds of the CLI, interleaved in one session (ratios only mean something in one run).
#   benchmarks/trace-before-after.sh BEFORE.jar AFTER.jar [ROUNDS] > results.jsonl
# Build the "before" jar in a worktree of the older commit: mvn -q -DskipTests package -pl cli -am.
# Each output line is `bench trace`'s JSON with "version", "round" and the load average added.
set -euo pipefail
before=$1 after=$2 rounds=${3:-3}
data="$(cd "$(dirname "$0")/.." && pwd)/../shared/bench-data"
[[ -d $data ]] || { echo "needs ../shared/bench-data beside the project" >&2; exit 2; }
for ((r = 1; r <= rounds; r++)); do
  for t in automerge-paper seph-blog1 rustcode sveltecomponent; do
    for v in before after; do
      jar=$before; [[ $v == after ]] && jar=$after
      load=$(cut -d' ' -f1 /proc/loadavg)
      java -jar "$jar" bench trace "$data/$t.json.gz" --runs 6 2>/dev/null | grep '^{' \
        | sed "s/^{/{\"version\":\"$v\",\"round\":$r,\"load\":$load,/"
    done
  done
done
