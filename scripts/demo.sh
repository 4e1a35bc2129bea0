#!/bin/sh
# The package workflow end to end on examples/net_rx_filter: keygen, pack
# and sign, verify, inspect, then watch verification fail on a tampered
# byte, a truncated file, the wrong key, and an unsigned package under a
# production policy. Usage: scripts/demo.sh BUILD_DIR (as `make demo` does).
set -eu

BUILD=${1:?usage: scripts/demo.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
MBPF_BIN=$BUILD/tools/mbpf/mbpf
UJS_BIN=$BUILD/tools/ujs/ujs
EXAMPLE=$ROOT/examples/net_rx_filter
[ -x "$MBPF_BIN" ] || { echo "demo: $MBPF_BIN not built" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mbpf-demo.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

heading() { printf '\n== %s\n' "$*"; }
note() { printf '   %s\n' "$*"; }
# Shows a command as the user would type it, then runs it (stderr joins
# stdout so messages appear in order).
show() {
    printf '$ %s\n' "$*"
    "$@" 2>&1
}
mbpf() { "$MBPF_BIN" "$@"; }
ujs() { "$UJS_BIN" "$@"; }
# Runs a command that must fail and shows its exit status.
show_fails() {
    printf '$ %s\n' "$*"
    if "$@" 2>&1; then
        echo "demo: expected this command to fail" >&2
        exit 1
    else
        printf '   (exit status %d)\n' $?
    fi
}

printf 'microBPF package workflow demo (work dir %s)\n' "$WORK"
cp "$EXAMPLE/prog.js" "$EXAMPLE/prog.json" .

heading "1. The program: a NET_RX filter with two maps"
note "prog.js drops UDP packets to ports listed in the blocked_ports map and"
note "counts verdicts in stats; prog.json is its manifest (hook, budgets, maps)."
show head -n 4 prog.js

heading "2. Generate a signing key pair"
show mbpf keygen -o demo

heading "3. Compile"
# ujs compiles with -o once its compiler exists; until then (no ujs, or a
# ujs without -o) the source text stands in for the bytecode.
if [ -x "$UJS_BIN" ] && ujs -o prog.bc prog.js >/dev/null 2>&1 && [ -s prog.bc ]; then
    printf '$ ujs -o prog.bc prog.js\n'
    note "(compiled by $UJS_BIN)"
else
    note "(bytecode: compiler not built yet, packing source text)"
    show cp prog.js prog.bc
fi

heading "4. Pack and sign"
show mbpf pack --manifest prog.json --bytecode prog.bc --sign demo.key -o net_rx_filter.mbpf

heading "5. Verify as a production loader would (signature required)"
show mbpf verify --key demo.pub --require-signature net_rx_filter.mbpf

heading "6. Inspect"
show mbpf inspect --key demo.pub net_rx_filter.mbpf

heading "7. Tamper with one byte of the bytecode"
offset=$(mbpf inspect net_rx_filter.mbpf | awk '$2 == "BYTECODE" { print $3 }')
cp net_rx_filter.mbpf tampered.mbpf
byte=$(od -An -tu1 -j "$offset" -N1 tampered.mbpf | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 1)))" |
    dd of=tampered.mbpf bs=1 seek="$offset" conv=notrunc 2>/dev/null
note "flipped one bit of byte $offset (inside BYTECODE)"
show_fails mbpf verify --key demo.pub tampered.mbpf

heading "8. Truncate the package"
size=$(wc -c <net_rx_filter.mbpf)
head -c $((size - 100)) net_rx_filter.mbpf >truncated.mbpf
note "cut the last 100 of $size bytes"
show_fails mbpf verify --key demo.pub truncated.mbpf

heading "9. Verify with the wrong key"
mbpf keygen -o intruder >/dev/null
show_fails mbpf verify --key intruder.pub net_rx_filter.mbpf

heading "10. An unsigned package under a production policy"
show mbpf pack --manifest prog.json --bytecode prog.bc -o unsigned.mbpf
show mbpf verify unsigned.mbpf
show_fails mbpf verify --key demo.pub --require-signature unsigned.mbpf
note "signing it makes it acceptable:"
show mbpf sign --key demo.key unsigned.mbpf
show mbpf verify --key demo.pub --require-signature unsigned.mbpf

heading "Done"
note "verify exit codes: 3 structure, 4 CRC, 5 signature, 6 manifest (docs/CLI.md)."
note "package format: docs/PACKAGE_FORMAT.md"
