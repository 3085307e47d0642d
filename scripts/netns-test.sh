#!/usr/bin/env bash
# Separate processes on separate (virtual) hosts: one gossip node per network namespace, the
# namespaces joined pairwise by veth links addressed from 198.51.100.0/24 (the documentation
# range, never another). Checks that a chat line reaches every node, cuts one link, and checks
# that lines still reach every node (through the others); then splits the six nodes into two
# halves for NETNS_CUT_S seconds (default 60) while both halves chat, and checks that the halves
# re-merge by themselves once the network returns and that every line of the cut reaches the
# other half, exactly once. Needs root and `ip netns`; skips with a message where they are not
# available. Cleans up after itself, also when interrupted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes=6
deadline_s=60
tag="g4j$$"

skip() {
  echo "netns-test: SKIPPED: $1"
  exit 0
}

[[ "$(id -u)" == 0 ]] || skip "needs root to create network namespaces"
command -v ip >/dev/null 2>&1 || skip "the ip command (iproute2) is not installed"
ip netns add "${tag}probe" >/dev/null 2>&1 || skip "this machine does not allow ip netns"
ip netns del "${tag}probe"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for i in $(seq 1 "$nodes"); do ip netns del "${tag}n$i" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Neighbors a chat shows up now: "up" lines less "down" lines.
neighbors_up() {
  local file="$1"
  echo $(( $(grep -c ' up$' "$file" 2>/dev/null || true) - $(grep -c ' down (' "$file" 2>/dev/null || true) ))
}

# Waits until a check (a command) passes, or fails after the deadline showing a node's output.
await_check() {
  local file="$1" what="$2" end=$((SECONDS + deadline_s))
  shift 2
  until "$@"; do
    if (( SECONDS > end )); then
      echo "netns-test: FAILED: no $what within ${deadline_s}s; $file:" >&2
      cat "$file" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

# Waits until a file contains a fixed string.
await() {
  await_check "$1" "$3" grep -qF -- "$2" "$1"
}

# Waits until a chat shows at least $2 neighbors up at once.
has_neighbors() {
  (( $(neighbors_up "$1") >= $2 ))
}
await_neighbors() {
  await_check "$work/out$1" "$2 neighbors at node $1" has_neighbors "$work/out$1" "$2"
}

jar="$root/gossip-examples/target/gossip-examples.jar"
"$root/gossip" --version >/dev/null # builds the jar if it is missing or stale

# Namespaces and a full mesh of veth links, one /30 of 198.51.100.0/24 per link.
for i in $(seq 1 "$nodes"); do
  ip netns add "${tag}n$i"
  ip -n "${tag}n$i" link set lo up
done
link=0
for i in $(seq 1 "$nodes"); do
  for j in $(seq $((i + 1)) "$nodes"); do
    a=$((4 * link + 1))
    b=$((4 * link + 2))
    ip link add "v${i}${j}" netns "${tag}n$i" type veth peer name "v${j}${i}" netns "${tag}n$j"
    ip -n "${tag}n$i" addr add "198.51.100.$a/30" dev "v${i}${j}"
    ip -n "${tag}n$j" addr add "198.51.100.$b/30" dev "v${j}${i}"
    ip -n "${tag}n$i" link set "v${i}${j}" up
    ip -n "${tag}n$j" link set "v${j}${i}" up
    link=$((link + 1))
  done
done

# One chat node per namespace; each reads its lines from a FIFO kept open on fd 10+i.
start_node() {
  local i="$1"
  shift
  mkfifo "$work/in$i"
  eval "exec $((10 + i))<>\"$work/in$i\""
  ip netns exec "${tag}n$i" java -jar "$jar" chat --name "n$i" --bind 0.0.0.0:7000 "$@" \
    <"$work/in$i" >"$work/out$i" 2>&1 &
  pids+=("$!")
}
say() {
  echo "$2" >&$((10 + $1))
}

start_node 1
await "$work/out1" "ticket: " "ticket from node 1"
ticket="$(grep -o 'gossip4j1[A-Za-z0-9_-]*' "$work/out1" | head -1)"
for i in $(seq 2 "$nodes"); do
  start_node "$i" "$ticket"
done
# Two neighbors each (the active view holds five): the one cut link below then leaves every
# node connected. A node whose only neighbor is cut off knows nobody else to turn to.
for i in $(seq 1 "$nodes"); do
  await_neighbors "$i" 2
done

# A chat shows a line as "name (node id)> text": the checks below match "> text", and each
# text names its sender.
say 1 "hello from n1"
for i in $(seq 2 "$nodes"); do
  await "$work/out$i" "> hello from n1" "first broadcast at node $i"
done
echo "netns-test: a broadcast reached all $nodes nodes"

# Cut the link between nodes 1 and 2: lines must still reach everyone, through the others.
ip -n "${tag}n1" link set v12 down
say 1 "after the cut, from n1"
say 2 "after the cut, from n2"
for i in $(seq 1 "$nodes"); do
  [[ "$i" == 1 ]] || await "$work/out$i" "> after the cut, from n1" "n1's line at node $i"
  [[ "$i" == 2 ]] || await "$work/out$i" "> after the cut, from n2" "n2's line at node $i"
done
echo "netns-test: with the link n1-n2 cut, broadcasts from both ends still reached all nodes"

# A partition: nodes 1-3 cut off from 4-6 for longer than the 5 s idle timeout, so both sides
# take the other for dead, while both sides go on chatting. Then the network returns: the
# halves must find each other again by themselves (each node probes the neighbors it lost), and
# catch-up must bring every line of the cut to the other half.
ip -n "${tag}n1" link set v12 up
cross=(v14 v15 v16 v24 v25 v26 v34 v35 v36)
for link in "${cross[@]}"; do ip -n "${tag}n${link:1:1}" link set "$link" down; done
cut_s="${NETNS_CUT_S:-60}"
lines=6
for k in $(seq 1 "$lines"); do
  sleep "$((cut_s / lines))" # the cut's length is the scenario, not a wait for something
  say 1 "cut line $k from n1"
  say 4 "cut line $k from n4"
done
sleep "$((cut_s - lines * (cut_s / lines)))"
for link in "${cross[@]}"; do ip -n "${tag}n${link:1:1}" link set "$link" up; done
healed=$SECONDS
crossed=""
for k in $(seq 1 "$deadline_s"); do
  say 1 "ping $k from n1"
  for _ in 1 2 3 4 5; do
    if grep -qF "> ping " "$work/out4"; then crossed=yes; break 2; fi
    sleep 0.2
  done
done
[[ -n "$crossed" ]] || { echo "netns-test: FAILED: the halves did not re-merge within ${deadline_s}s" >&2; cat "$work/out4" >&2; exit 1; }
echo "netns-test: after a ${cut_s}s partition the halves re-merged, $((SECONDS - healed))s after the network returned"
for k in $(seq 1 "$lines"); do
  for i in 4 5 6; do await "$work/out$i" "> cut line $k from n1" "n1's cut line $k at node $i"; done
  for i in 1 2 3; do await "$work/out$i" "> cut line $k from n4" "n4's cut line $k at node $i"; done
done
echo "netns-test: every line of the cut reached the other half, $((SECONDS - healed))s after the network returned"
say 4 "after the partition, from n4"
for i in 1 2 3 5 6; do
  await "$work/out$i" "> after the partition, from n4" "n4's line at node $i"
done
for k in $(seq 1 "$lines"); do
  for i in $(seq 1 "$nodes"); do
    for from in 1 4; do
      count="$(grep -cF "> cut line $k from n$from" "$work/out$i" || true)"
      if [[ "$count" != 1 ]]; then
        echo "netns-test: FAILED: node $i shows n$from's cut line $k $count times" >&2
        cat "$work/out$i" >&2
        exit 1
      fi
    done
  done
done
echo "netns-test: after the partition, broadcasts from both halves reached all nodes, each line once"

# A chat stopped by a signal (Ctrl-C, SIGTERM) leaves cleanly: its neighbors see it quit.
id4="$(grep -o 'as [0-9a-f]*' "$work/out4" | head -1 | cut -d' ' -f2)"
kill -TERM "${pids[3]}"
# Shown as "n4 (id) down (quit)" once its name is known, "id down (quit)" before.
quit_seen() { grep -qE "neighbor (n4 \\()?$id4\\)? down \\(quit\\)" "$work/out1" "$work/out2" "$work/out3" "$work/out5" "$work/out6"; }
await_check "$work/out1" "node 4's quit after SIGTERM" quit_seen
echo "netns-test: a chat stopped by SIGTERM left cleanly"

for i in 1 2 3 5 6; do say "$i" "/quit"; done
for pid in "${pids[@]}"; do wait "$pid" || true; done
pids=()
echo "netns-test: PASSED"
