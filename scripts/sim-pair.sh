#!/usr/bin/env bash
# Compares the simulator's speed in two builds on a host whose speed drifts: runs both at the
# same time, one thread each, so that both see the same host, and prints the second's wall time
# over the first's, once per round. Used for docs/simulation.md's table of ratios.
#
#   scripts/sim-pair.sh FIRST.jar SECOND.jar [rounds, default 3] [broadcasts, default 200]
#
# Each jar is a gossip-examples.jar (copy gossip-examples/target/gossip-examples.jar aside
# after building each version). Both runs must print the same events and RMR; the script says
# so when they do not, as the builds then simulate different things.
set -euo pipefail
if (( $# < 2 )); then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
first="$1"
second="$2"
rounds="${3:-3}"
broadcasts="${4:-200}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run() {
  java -Xms4g -Xmx4g -XX:+UseParallelGC -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages \
    -jar "$1" sim --scenario stable --nodes 10000 --cycles 50 --broadcasts "$broadcasts" \
    --seed 1 --threads 1 --json 2>/dev/null | tail -n 1 >"$2"
}
field() {
  grep -o "\"$2\":[0-9.]*" "$1" | cut -d: -f2
}

for round in $(seq 1 "$rounds"); do
  run "$first" "$work/first.json" &
  run "$second" "$work/second.json" &
  wait
  a="$(field "$work/first.json" wall_ms)"
  b="$(field "$work/second.json" wall_ms)"
  same="same run"
  for f in events rmr; do
    [[ "$(field "$work/first.json" "$f")" == "$(field "$work/second.json" "$f")" ]] \
      || same="DIFFERENT runs ($f)"
  done
  awk -v r="$round" -v a="$a" -v b="$b" -v s="$same" \
    'BEGIN { printf "round %d: first %d ms, second %d ms, second/first %.3f, %s\n", r, a, b, b / a, s }'
done
