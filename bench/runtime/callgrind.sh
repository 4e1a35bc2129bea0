#!/bin/sh
# Instructions per operation on the runtime's real path: runs bench_runtime
# once per operation under callgrind, collecting only inside the benchmark
# function (bench_run: the loop of mbpf_run calls; bench_load: load +
# attach), and prints instructions per operation (the loop adds a few).
# Map operations from JavaScript run 32 times per event; their cost per
# operation is (event - the same event without the operation) / 32.
# Usage: bench/runtime/callgrind.sh BUILD_DIR [ITERATIONS]
set -eu
build=${1:?usage: callgrind.sh BUILD_DIR [ITERATIONS]}
n=${2:-20000}
bin="$build/bench/runtime/bench_runtime"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# ir OP ITERS: instructions per iteration of OP
ir() {
    fn=bench_run
    [ "$1" = load_attach ] && fn=bench_load
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect="$fn" \
        --callgrind-out-file="$out/$1" "$bin" "$1" "$2" >/dev/null 2>&1
    awk -v n="$2" '/^(summary|totals):/ { printf "%.1f", $2 / n; exit }' "$out/$1"
}

printf '%-24s %12s\n' operation instr/op
for op in trivial_run count_run; do
    printf '%-24s %12s\n' "$op" "$(ir "$op" "$n")"
done
printf '%-24s %12s\n' load_attach "$(ir load_attach $((n / 100 > 0 ? n / 100 : 1)))"

m=$((n / 10 > 0 ? n / 10 : 1))
base=$(ir js_loop "$m")
printf '\nfrom JavaScript (per operation; event with 32 of them minus the bare loop, %s)\n' "$base"
for op in array_lookup array_update hash_lookup hash_update lru_lookup lru_update \
          percpu_array_lookup percpu_array_update percpu_hash_lookup percpu_hash_update \
          counter_add counter_get lpm_lookup lpm_update; do
    ev=$(ir "js_$op" "$m")
    awk -v op="$op" -v ev="$ev" -v base="$base" 'BEGIN { printf "%-24s %12.1f\n", op, (ev - base) / 32 }'
done
