#!/usr/bin/env bash
# Measures `l4smp check --distributed` with 1 and 2 local workers against local runs, one run each,
# side by side, on XpIpcThreadSymmetry (1,553,840 distinct states). Prints each run's wall time,
# distinct states and the ratios. Needs target/l4smp.jar (mvn -B -q package -DskipTests).
# On a shared machine the figures are noisy: the load average is printed with them.
set -euo pipefail
cd "$(dirname "$0")/../.."
L4=(java -jar target/l4smp.jar)
SPEC=(docs/distributed/XpIpcThreadSymmetry.tla --config docs/distributed/XpIpcThreadSymmetry.cfg --lib spec-tla)
PORT=${PORT:-10997}
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
distinct() { grep -o '[0-9,]* distinct' "$1" | tail -1; }  # the result's, after the progress lines

local_run() { # threads
    local t0; t0=$(now)
    "${L4[@]}" check "${SPEC[@]}" --workers "$1" > "$LOG/local-$1.txt"
    seconds "$t0" "$(now)"
}

distributed_run() { # workers
    local t0 pids=(); t0=$(now)
    "${L4[@]}" check "${SPEC[@]}" --distributed --port "$PORT" --expect-workers "$1" > "$LOG/dist-$1.txt" 2>&1 &
    local server=$!
    for ((i = 0; i < $1; i++)); do
        "${L4[@]}" worker "127.0.0.1:$PORT" --threads 1 > "$LOG/dist-$1-worker-$i.txt" 2>&1 &
        pids+=($!)
    done
    wait "$server"
    seconds "$t0" "$(now)"
    wait "${pids[@]}"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
l1=$(local_run 1);       echo "local, 1 thread:        ${l1} s, $(distinct "$LOG/local-1.txt")"
l2=$(local_run 2);       echo "local, 2 threads:       ${l2} s, $(distinct "$LOG/local-2.txt")"
d1=$(distributed_run 1); echo "distributed, 1 worker:  ${d1} s, $(distinct "$LOG/dist-1.txt")"
d2=$(distributed_run 2); echo "distributed, 2 workers: ${d2} s, $(distinct "$LOG/dist-2.txt")"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "speed-up, 2 workers over 1:           $(ratio "$d1" "$d2")"
echo "local 2 threads over 1:               $(ratio "$l1" "$l2")"
echo "distributed 1 worker / local 1 thread: $(ratio "$d1" "$l1") (the cost of the protocol)"
