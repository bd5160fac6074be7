#!/usr/bin/env bash
# PostgreSQL durable-append benchmark (issue 17): builds persistence-postgres and runs PostgresBenchmark (its own
# throwaway PostgreSQL, fsync on) on the module's test class path. Record the output in docs/benchmarks/postgres.md.
#
#   benchmarks/postgres-bench.sh [SECONDS [OPEN_RATE [CLOSED_WRITERS [REPETITIONS]]]]   (default: 10 2000 64 3)
# Add -Dorg.slf4j.simpleLogger.log.nodenogg.persistence.postgres=debug to JAVA_OPTS for the writer's per-transaction
# lock/insert/update/commit breakdown of slow transactions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o -Dnpm.skip=true -DskipTests -pl persistence-postgres -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >&2
mod=persistence-postgres/target
cp="$mod/test-classes:$mod/classes:$(cat "$mod/bench-classpath.txt")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); cpu pressure: $(head -1 /proc/pressure/cpu 2>/dev/null || echo n/a)"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "$cp" nodenogg.persistence.postgres.PostgresBenchmark "${1:-10}" "${2:-2000}" "${3:-64}" "${4:-3}"
