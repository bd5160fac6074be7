#!/usr/bin/env bash
# Runs the persistence benchmark (SQLite store vs y-leveldb, same load, same run).
# usage: persistence-sqlite/bench.sh [seconds-per-run] [closed-loop writers] [open-loop rate/s]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o -Dnpm.skip=true -DskipTests -pl persistence-sqlite -am test-compile >&2
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
sqlite_ver=$(sed -n 's:.*<sqlite.version>\(.*\)</sqlite.version>.*:\1:p' pom.xml)
slf4j_ver=$(sed -n 's:.*<slf4j.version>\(.*\)</slf4j.version>.*:\1:p' pom.xml)
cp="persistence-sqlite/target/test-classes:persistence-sqlite/target/classes:persistence-api/target/classes:crdt/target/classes"
cp="$cp:$m2/org/xerial/sqlite-jdbc/$sqlite_ver/sqlite-jdbc-$sqlite_ver.jar"
cp="$cp:$m2/org/slf4j/slf4j-api/$slf4j_ver/slf4j-api-$slf4j_ver.jar"
exec java -Xmx1g -Dnodenogg.js.dir="$root/js" -cp "$cp" nodenogg.persistence.sqlite.PersistenceBenchmark "$@"
