#!/usr/bin/env bash
# The bound that Ed25519 verification sets on signed throughput, and how close a run comes:
# unsigned throughput with its CPU per delivery, one verification's cost (JMH, 1 KiB,
# BouncyCastle with a decoded key, as the library verifies), then signed throughput, one after
# the other on the same machine. Prints each result and the ratio of signed to the bound
#   cores / (unsigned CPU per delivery + one verification).
# Build first: mvn -B -q package -DskipTests
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
J=(java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar "$root/gossip-examples/target/gossip-examples.jar")
field() { grep -o "\"$2\":[0-9.]*" <<<"$1" | cut -d: -f2; }

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
unsigned="$("${J[@]}" bench --nodes 10 --messages 150000 --window 64 --signed off --json 2>/dev/null | tail -n 1)"
echo "unsigned: $unsigned"
verify_us="$(java -jar "$root/gossip-jmh/target/benchmarks.jar" 'SignatureBenchmark.verify$' \
  -p candidate=bc-point -p size=1024 -f 1 -wi 3 -i 5 -w 2s -r 2s -tu us -bm avgt 2>/dev/null \
  | awk '/^SignatureBenchmark.verify/ {print $(NF-3)}')"
echo "one verification: $verify_us us"
signed="$("${J[@]}" bench --nodes 10 --messages 150000 --window 64 --signed on --json 2>/dev/null | tail -n 1)"
echo "signed: $signed"
cores="$(field "$unsigned" cores)"
cpu="$(field "$unsigned" cpu_us_per_delivery)"
rate="$(field "$signed" deliveries_per_s)"
awk -v c="$cores" -v u="$cpu" -v v="$verify_us" -v r="$rate" 'BEGIN {
  bound = c * 1e6 / (u + v)
  printf "bound: %d cores / (%.1f + %.1f us) = %.0f deliveries/s; signed %.0f = %.2f of it\n", c, u, v, bound, r, r / bound
}'
