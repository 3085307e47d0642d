#!/usr/bin/env bash
# The benchmark plots of docs/benchmarks.md, measured in one run on this machine: gossip4j signed
# (the default) and unsigned, and ScaleCube cluster 2.7.7 through its harness, for 5, 10, 20 and
# 40 nodes in one JVM on loopback, each in a closed loop (64 broadcasts in flight) and at a light
# 100 broadcasts/s (ScaleCube's default gossip falls behind at a few hundred on 2 cores); the raw TLS ceilings once. Every JSON line goes to OUT/bench-results.jsonl,
# then `gossip plot` draws OUT/bench-nodes.svg and OUT/bench-latency-cdf.svg from it.
# Usage: scripts/bench-plots.sh [OUT]   (default docs/bench; build first: mvn -B -q package -DskipTests)
# Takes about ten minutes; leave the machine otherwise idle.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/docs/bench}"
mkdir -p "$out"
results="$out/bench-results.jsonl"
: > "$results"
J=(java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar "$root/gossip-examples/target/gossip-examples.jar")
NODES="${NODES:-5 10 20 40}"
DELIVERIES=200000 # per closed-loop run, so each size runs a similar time

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" | tee -a "$results"
"${J[@]}" bench --nodes 10 --messages 20000 --window 64 --signed off --raw --json | tail -n 1 | tee -a "$results"
for n in $NODES; do
  messages=$(( DELIVERIES / (n - 1) ))
  for signed in on off; do
    "${J[@]}" bench --nodes "$n" --messages "$messages" --window 64 --signed "$signed" --json | tail -n 1 | tee -a "$results"
    "${J[@]}" bench --nodes "$n" --rate 100 --duration 10 --signed "$signed" --json | tail -n 1 | tee -a "$results"
  done
  # ScaleCube's exit status is 1 when it lost or duplicated deliveries: its line is kept anyway.
  bash "$root/scripts/scalecube-bench.sh" --nodes "$n" --messages 2000 --window 64 --send-limit-s 120 --json | tail -n 1 | tee -a "$results" || true
  bash "$root/scripts/scalecube-bench.sh" --nodes "$n" --rate 100 --messages 1000 --send-limit-s 120 --json | tail -n 1 | tee -a "$results" || true
done
"${J[@]}" plot "$results" --out "$out"
