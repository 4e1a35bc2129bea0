#!/bin/sh
# Instruction counts per map operation: runs bench_maps once per operation
# under callgrind, collecting only inside that operation's benchmark
# function, and prints instructions per operation (including the
# benchmark loop's few instructions of overhead).
# Usage: bench/maps/callgrind.sh BUILD_DIR [ITERATIONS]
set -eu
build=${1:?usage: callgrind.sh BUILD_DIR [ITERATIONS]}
n=${2:-20000}
bin="$build/bench/maps/bench_maps"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-24s %12s\n' operation instr/op
for op in array_lookup array_update percpu_array_lookup percpu_array_update \
          hash_lookup hash_update lru_hash_lookup lru_hash_update \
          percpu_hash_lookup percpu_hash_update hash_count_by_byte \
          counter_add counter_get ringbuf_output_consume lpm_lookup lpm_update; do
    fn=$(echo "$op" | sed -e 's/^percpu_array_/array_/' -e 's/^percpu_hash_/hash_/' \
        -e 's/^lru_hash_/hash_/' -e 's/^hash_count_by_byte$/count_by_byte/')
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect="bench_$fn" \
        --callgrind-out-file="$out/$op" "$bin" "$op" "$n" >/dev/null 2>&1
    ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/$op")
    awk -v op="$op" -v ir="$ir" -v n="$n" 'BEGIN { printf "%-24s %12.1f\n", op, ir / n }'
done
