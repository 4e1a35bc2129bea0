#!/bin/sh
# Instructions per operation on the runtime's real path: runs bench_runtime
# once per operation under callgrind, collecting only inside the benchmark
# function (bench_run: the loop of mbpf_run calls; bench_load: load +
# attach), and prints instructions per operation (the loop adds a few).
# Usage: bench/runtime/callgrind.sh BUILD_DIR [ITERATIONS]
set -eu
build=${1:?usage: callgrind.sh BUILD_DIR [ITERATIONS]}
n=${2:-20000}
bin="$build/bench/runtime/bench_runtime"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-14s %12s\n' operation instr/op
for op in trivial_run count_run load_attach; do
    fn=bench_run
    iters=$n
    if [ "$op" = load_attach ]; then
        fn=bench_load
        iters=$((n / 100 > 0 ? n / 100 : 1))
    fi
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect="$fn" \
        --callgrind-out-file="$out/$op" "$bin" "$op" "$iters" >/dev/null 2>&1
    ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/$op")
    awk -v op="$op" -v ir="$ir" -v n="$iters" 'BEGIN { printf "%-14s %12.1f\n", op, ir / n }'
done
