#!/usr/bin/env bash
# Instructions per request that the bench server's main thread executes, counted by Valgrind's callgrind, for the
# variants of instrumentation.bench.ts (same server.cjs, same sinks, GET /products/42 by default).
#
# Why: the timing benchmark resolves about 2 % on a shared machine; instruction counts do not depend on what else
# the machine runs. Bare Express repeats to ±0.2 % within a process; a variant moves by up to ±3 % between
# processes (how V8 happened to optimise that one), so each variant is counted in several processes. Counts are user
# space only: the kernel's share of a request (sockets, loopback) is not in them, so a ratio of instructions
# overstates a variant's relative cost, and cache misses (time, not instructions) are not in them either.
#
#   bash bench/instrumentation/count-instructions.sh [variant ...]
#     default variants: bare ours-none ours-otel-sampled ours-xray-sampled ours-otel ours-xray
#     the plain node:http variants (http-bare http-ours-none http-ours-otel-sampled http-ours-xray-sampled) are
#     compared with http-bare
#     COUNT_WARMUP_REQUESTS (20000)  requests before counting, so V8 has optimised the hot path
#     COUNT_REQUESTS (5000)          requests counted
#     COUNT_PROCESSES (2)            server processes per variant
#     COUNT_PATH (/products/42)
#     COUNT_CACHE_SIM (0)            1: simulate the caches (32 KiB L1i and L1d, 1 MiB last level) and report estimated
#                                    cycles instead: instructions + 10 per L1 miss + 100 per last-level miss. Time
#                                    goes to misses that instructions do not show; about twice as slow to run.
#     COUNT_KEEP_DIR                 a directory to keep the callgrind files in, for callgrind_annotate
#
# Needs valgrind (Debian: apt-get install valgrind). Under callgrind a server serves a few hundred requests a
# second: one to three minutes per process with the defaults, depending on the host.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench=$(dirname "$here")
command -v valgrind > /dev/null || { echo "count-instructions: valgrind is not installed (Debian: apt-get install valgrind)" >&2; exit 2; }
node=$(cd "$bench" && npm exec -- node -p process.execPath)
warmup=${COUNT_WARMUP_REQUESTS:-20000}
requests=${COUNT_REQUESTS:-5000}
processes=${COUNT_PROCESSES:-2}
path=${COUNT_PATH:-/products/42}
cache_sim=()
[ "${COUNT_CACHE_SIM:-0}" = 1 ] && cache_sim=(--cache-sim=yes --I1=32768,8,64 --D1=32768,8,64 --LL=1048576,8,64)
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(bare ours-none ours-otel-sampled ours-xray-sampled ours-otel ours-xray)

work=$(mktemp -d)
sink_pid=
cleanup() {
  [ -n "$sink_pid" ] && kill "$sink_pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Waits until FILE has a line (the JSON a child prints once it listens), then prints it.
first_line() {
  for _ in $(seq 1 600); do
    [ -s "$1" ] && { head -1 "$1"; return; }
    sleep 0.5
  done
  echo "count-instructions: no answer in $1" >&2
  exit 1
}
json_field() { "$node" -pe "JSON.parse(process.argv[1]).$2" "$1"; }

taskset -c 0 "$node" "$here/sink.cjs" > "$work/sink.json" &
sink_pid=$!
sink=$(first_line "$work/sink.json")
udp_port=$(json_field "$sink" udpPort)
otlp_port=$(json_field "$sink" otlpPort)

# Counts one server process of VARIANT; prints its main thread's instructions per request.
count_process() {
  local variant=$1 out="$work/$1.$2"
  (cd "$bench" && VARIANT=$variant SINK_UDP_PORT=$udp_port SINK_OTLP_PORT=$otlp_port NODE_ENV=production \
    taskset -c 1 valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file --separate-threads=yes "${cache_sim[@]}" \
    --callgrind-out-file="$out.callgrind" "$node" instrumentation/server.cjs > "$out.port" 2> "$out.valgrind") &
  local server=$!
  local port
  port=$(json_field "$(first_line "$out.port")" port)
  local url="http://127.0.0.1:$port$path"
  # valgrind is the server's process (it runs the program in place), so its pid is the one to control.
  local pid
  pid=$(pgrep -n -f "callgrind-out-file=$out.callgrind")
  (cd "$bench" && taskset -c 0 npx autocannon -c 10 -a "$warmup" "$url" > /dev/null 2>&1)
  callgrind_control -i on "$pid" > /dev/null 2>&1
  (cd "$bench" && taskset -c 0 npx autocannon -c 10 -a "$requests" "$url" > /dev/null 2>&1)
  callgrind_control -i off "$pid" > /dev/null 2>&1
  callgrind_control -d counted "$pid" > /dev/null 2>&1
  kill "$pid"
  wait "$server" 2> /dev/null || true
  [ -n "${COUNT_KEEP_DIR:-}" ] && cp "$out.callgrind.1-01" "$COUNT_KEEP_DIR/$variant.$2.callgrind"
  # Thread 1 is the main thread; the dump of thread n is "<file>.1-0n".
  # Events: Ir, and with the cache simulation Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw.
  grep -h '^totals:' "$out.callgrind.1-01" | awk -v n="$requests" '{
    cost = $2; if (NF == 10) cost += 10 * ($5 + $6 + $7) + 100 * ($8 + $9 + $10); printf "%d\n", cost / n }'
}

declare -A median_of
measure='instructions/request'
[ ${#cache_sim[@]} -gt 0 ] && measure='estimated cycles/request'
printf '%-24s %-28s %s\n' variant "$measure" 'median (vs its bare server)'
for variant in "${variants[@]}"; do
  counts=()
  for p in $(seq 1 "$processes"); do counts+=("$(count_process "$variant" "$p")"); done
  median=$(printf '%s\n' "${counts[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
  median_of[$variant]=$median
  # The plain node:http variants (http-*) against bare node:http, the others against bare Express.
  baseline=bare
  [[ $variant == http-* ]] && baseline=http-bare
  ratio=
  [ -n "${median_of[$baseline]:-}" ] && ratio=$(awk -v m="$median" -v b="${median_of[$baseline]}" 'BEGIN {printf " (x%.3f)", m / b}')
  printf '%-24s %-28s %s\n' "$variant" "${counts[*]}" "$median$ratio"
done
