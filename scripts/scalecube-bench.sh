#!/usr/bin/env bash
# ScaleCube cluster's gossip measured as `./gossip bench` measures gossip4j's, for comparison:
# scripts/scalecube-bench.sh --nodes 10 --messages 5000 --rate 500 --json (--help lists the
# options). Builds the standalone harness in benchmarks/scalecube (not part of the library's
# build) when its jar is missing or older than its sources, offline first and online if that
# fails, then runs it with the JVM options `./gossip bench` uses; SCALECUBE_JAVA_OPTS replaces
# them. The exit status is the harness's: 1 when a delivery was lost or duplicated.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/benchmarks/scalecube"
jar="$project/target/scalecube-bench.jar"
stale() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$project/pom.xml" "$project/src/main" -type f -newer "$jar" -print -quit)" ]]
}
if stale; then
  echo "scalecube-bench: building $jar (mvn -q -B -DskipTests package) ..." >&2
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  # Tests are left to .ci/run (mvn -f benchmarks/scalecube/pom.xml verify).
  if ! mvn -o -q -B -DskipTests -f "$project/pom.xml" package >"$log" 2>&1 \
      && ! mvn -q -B -DskipTests -f "$project/pom.xml" package >"$log" 2>&1; then
    cat "$log" >&2
    echo "scalecube-bench: the build failed" >&2
    exit 1
  fi
fi
# As `./gossip bench` runs: a heap of fixed size, touched up front.
default_opts="-Xms4g -Xmx4g -XX:+AlwaysPreTouch"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" ${SCALECUBE_JAVA_OPTS:-$default_opts} -jar "$jar" "$@"
