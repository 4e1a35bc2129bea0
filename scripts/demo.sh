#!/bin/sh
# microBPF end to end: build the example programs from JavaScript, sign them
# with a fresh key, load them into the host runtime with signatures
# required, replay a real packet capture through the NET_RX filter and
# events through the TRACEPOINT, SECURITY and TIMER programs, and print
# verdicts, counters and maps. Then watch the loader refuse a tampered,
# truncated, foreign-signed and unsigned package.
# Usage: scripts/demo.sh BUILD_DIR (as `make demo` does).
set -eu

BUILD=${1:?usage: scripts/demo.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
MBPF_BIN=$BUILD/tools/mbpf/mbpf
EXAMPLES=$ROOT/examples
CAPTURE=/usr/share/doc/python3-dpkt/examples/data/http.pcap
[ -x "$MBPF_BIN" ] || { echo "demo: $MBPF_BIN not built" >&2; exit 1; }
[ -r "$CAPTURE" ] || { echo "demo: $CAPTURE missing (scripts/install-deps installs python3-dpkt)" >&2; exit 1; }

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

printf 'microBPF demo (work dir %s)\n' "$WORK"
for ex in net_rx_filter tracepoint_syscalls security_policy timer_rate; do
    mkdir -p "$ex"
    cp "$EXAMPLES/$ex/prog.js" "$EXAMPLES/$ex/prog.json" "$ex/"
    [ -f "$EXAMPLES/$ex/events.txt" ] && cp "$EXAMPLES/$ex/events.txt" "$ex/"
done

heading "1. A signing key pair"
show mbpf keygen -o demo

heading "2. Build the examples: compile JavaScript, add the manifest, pack, sign"
note "net_rx_filter drops IPv4 by protocol, source prefix and destination port"
note "(rules in maps); tracepoint_syscalls counts per task and emits hot tasks;"
note "security_policy allows or denies accesses; timer_rate turns a counter"
note "into a rate. Each prog.json next to prog.js is its manifest."
for ex in net_rx_filter tracepoint_syscalls security_policy timer_rate; do
    show mbpf build "$ex/prog.js" --sign demo.key -o "$ex.mbpf"
done
show mbpf inspect --key demo.pub net_rx_filter.mbpf

heading "3. Replay a real capture through the NET_RX filter (signatures required)"
note "$CAPTURE: an HTTP session, a DNS lookup, traffic from Google's 216.239.32.0/19."
note "Default rules: no ICMP, nothing from 216.239.32.0/19, no DNS (port 53)."
show mbpf run --require-signature --key demo.pub --pcap "$CAPTURE" net_rx_filter.mbpf
note "tests/runtime/test_filter_oracle.c checks these verdicts packet by packet"
note "against libpcap's own compiled classic-BPF filter for the same rule."

heading "4. TRACEPOINT events: per-task counts, a ring-buffer record for a hot task"
show cat tracepoint_syscalls/events.txt
show mbpf run --require-signature --key demo.pub --events tracepoint_syscalls/events.txt \
    tracepoint_syscalls.mbpf

heading "5. SECURITY decisions"
show cat security_policy/events.txt
show mbpf run --require-signature --key demo.pub --verbose \
    --events security_policy/events.txt security_policy.mbpf

heading "6. TIMER expiries turn a kernel-fed counter into a rate"
note "timer_rate reads the 'sample' counter the kernel adds to; the event file's"
note "counter lines stand for the kernel's mbpf_map_counter_add between expiries."
note "rates: [0] the last rate, [1] the peak (events/s, u64 LE); above 1000/s it logs."
show cat timer_rate/events.txt
show mbpf run --require-signature --key demo.pub --verbose --events timer_rate/events.txt \
    timer_rate.mbpf
note "rates[0] = 0x12c = 300/s (3 events in the last 10 ms); rates[1] = 0x578 = 1400/s,"
note "the peak (14 events in one period), which also logged 'rate above limit'."

heading "7. The loader refuses packages it cannot trust"
offset=$(mbpf inspect net_rx_filter.mbpf | awk '$2 == "BYTECODE" { print $3 }')
cp net_rx_filter.mbpf tampered.mbpf
byte=$(od -An -tu1 -j "$offset" -N1 tampered.mbpf | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 1)))" |
    dd of=tampered.mbpf bs=1 seek="$offset" conv=notrunc 2>/dev/null
note "tampered.mbpf: one bit of byte $offset (inside BYTECODE) flipped"
show_fails mbpf run --require-signature --key demo.pub --pcap "$CAPTURE" tampered.mbpf
size=$(wc -c <net_rx_filter.mbpf)
head -c $((size - 100)) net_rx_filter.mbpf >truncated.mbpf
note "truncated.mbpf: the last 100 of $size bytes cut"
show_fails mbpf run --require-signature --key demo.pub --pcap "$CAPTURE" truncated.mbpf
mbpf keygen -o intruder >/dev/null
note "signed with another key:"
show_fails mbpf run --require-signature --key intruder.pub --pcap "$CAPTURE" net_rx_filter.mbpf
show mbpf build net_rx_filter/prog.js -o unsigned.mbpf
show_fails mbpf run --require-signature --key demo.pub --pcap "$CAPTURE" unsigned.mbpf

heading "Done"
note "runtime API: docs/RUNTIME.md; the runner: docs/RUNNER.md; CLI: docs/CLI.md"
