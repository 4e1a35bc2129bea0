#!/bin/sh
# Tests of `mbpf run` with real programs: JavaScript compiled by the ujs
# shell, packed by `mbpf pack`, run on a pcap file written here, on an event
# file and on timer ticks. Checks verdict counts, statistics, map contents,
# emitted records, log lines, --json (parsed by Python), signature policy
# and exit codes, all exactly.
# Usage: test_run.sh MBPF UJS
set -u
abspath() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
MBPF=$(abspath "$1")
UJS=$(abspath "$2")
T=$(mktemp -d "${TMPDIR:-/tmp}/mbpf-run-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

tests=0
failures=0

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$*"
}

# expect STATUS STDERR_FIRST_LINE CMD...: runs CMD (stdout to out.txt,
# stderr to err.txt), checks its exit status and the first line of stderr
# ("" = stderr must be empty; "re:RE" = must match the extended regex RE;
# "*" = anything).
expect() {
    want_status=$1
    want_err=$2
    shift 2
    tests=$((tests + 1))
    "$@" >out.txt 2>err.txt
    status=$?
    got_err=$(head -n 1 err.txt)
    if [ "$status" -ne "$want_status" ]; then
        fail "$*: exit status $status, want $want_status"
        sed 's/^/    stderr: /' err.txt
        return
    fi
    case $want_err in
    "*") return ;;
    re:*)
        if printf '%s\n' "$got_err" | grep -Eqx -- "${want_err#re:}"; then return; fi
        ;;
    *)
        if [ "$got_err" = "$want_err" ]; then return; fi
        ;;
    esac
    fail "$*: stderr"
    printf '    got:  %s\n    want: %s\n' "$got_err" "$want_err"
}

# has FILE LINE: FILE contains LINE exactly (a whole line).
has() {
    tests=$((tests + 1))
    if ! grep -Fqx -- "$2" "$1"; then
        fail "$1 lacks line: $2"
        sed 's/^/    | /' "$1" | head -n 60
    fi
}

# lacks FILE PATTERN: no line of FILE matches the extended regex.
lacks() {
    tests=$((tests + 1))
    if grep -Eq -- "$2" "$1"; then
        fail "$1 has a line matching: $2"
        grep -E -- "$2" "$1" | sed 's/^/    | /'
    fi
}

# same FILE EXPECTED_FILE: FILE's lines matching PATTERN equal the expected.
lines_are() {
    tests=$((tests + 1))
    grep -E -- "$2" "$1" >lines.got
    if ! printf '%s\n' "$3" | cmp -s - lines.got; then
        fail "$1: lines matching '$2' differ"
        printf '%s\n' "$3" | diff - lines.got | sed 's/^/    /'
    fi
}

mbpf() { "$MBPF" "$@"; }

# build NAME HOOK CAPS MAPS [HEAP]: NAME.js -> NAME.mbpf, unsigned. The
# manifest's bytecode_version is the one the compiler wrote (bytes 4-5).
build() {
    if ! "$UJS" -o "$1.ujsbc" "$1.js" >build.err 2>&1; then
        fail "cannot compile $1"
        sed 's/^/    /' build.err
        return
    fi
    bcv=$(od -An -tu1 -j4 -N2 "$1.ujsbc" | awk '{ print $1 + 256 * $2 }')
    cat >"$1.json" <<EOF
{
  "program_name": "$1", "program_version": "1.0", "hook_type": "$2",
  "hook_ctx_abi_version": 1, "bytecode_version": $bcv,
  "target": { "word_size": "any", "endianness": "any" },
  "mbpf_api_version": 65536, "heap_size": ${5:-16384},
  "budgets": { "max_steps": 100000, "max_helpers": 100 },
  "capabilities": [$3], "maps": [$4]
}
EOF
    if ! mbpf pack -m "$1.json" -b "$1.ujsbc" -o "$1.mbpf" >build.err 2>&1; then
        fail "cannot build $1"
        sed 's/^/    /' build.err
    fi
}

RW='"CAP_MAP_READ", "CAP_MAP_WRITE"'

# ---- programs ----------------------------------------------------------------

# NET_RX: drops UDP to port 53 (blocked in mbpf_init), aborts UDP to port
# 99, passes the rest; counts its verdicts.
cat >filter.js <<'EOF'
var key = new Uint8Array(2), flag = new Uint8Array(1), one = new Uint8Array([1]);
function mbpf_init() {
    key[0] = 0;
    key[1] = 53;
    maps.blocked.update(key, one);
}
function verdict(v) {
    maps.verdicts.add(v);
    return v;
}
function mbpf_prog(ctx) {
    if (ctx.l2_proto !== 0x0800 || ctx.data_len < 42 || ctx.readU8(23) !== 17) return verdict(0);
    var udp = 14 + (ctx.readU8(14) & 15) * 4;
    key[0] = ctx.readU8(udp + 2);
    key[1] = ctx.readU8(udp + 3);
    if (maps.blocked.lookup(key, flag)) return verdict(1);
    if (key[0] === 0 && key[1] === 99) return verdict(2);
    return verdict(0);
}
EOF
build filter NET_RX "$RW" '
    { "name": "blocked", "type": "hash", "key_size": 2, "value_size": 1, "max_entries": 16 },
    { "name": "verdicts", "type": "counter", "key_size": 0, "value_size": 8, "max_entries": 4 }'

# NET_RX (or NET_TX): records each packet's context by sequence number,
# counts packets per CPU, emits the sequence number.
cat >netinfo.js <<'EOF'
var k = new Uint8Array(2), v = new Uint8Array(16), c = new Uint8Array(4), u = [0, 0];
function put(b, off, x, n) {
    for (var i = 0; i < n; i++) b[off + i] = (x >>> (8 * i)) & 255;
}
function mbpf_prog(ctx) {
    maps.seq.add(0);
    maps.seq.get(0, u);
    put(k, 0, u[0], 2);
    put(v, 0, ctx.pkt_len, 4);
    put(v, 4, ctx.data_len, 4);
    put(v, 8, ctx.l2_proto, 2);
    put(v, 10, ctx.flags, 2);
    put(v, 12, ctx.ifindex, 4);
    maps.pkts.update(k, v);
    if (!maps.percpu.lookup(0, c)) return 2;
    c[0]++;
    maps.percpu.update(0, c);
    mbpf.emit(7, k);
    return 0;
}
EOF
NETINFO_MAPS='
    { "name": "seq", "type": "counter", "key_size": 0, "value_size": 8, "max_entries": 1 },
    { "name": "pkts", "type": "hash", "key_size": 2, "value_size": 16, "max_entries": 32 },
    { "name": "percpu", "type": "percpu_array", "key_size": 0, "value_size": 4, "max_entries": 2 },
    { "name": "out", "type": "ringbuf", "key_size": 0, "value_size": 0, "max_entries": 4096 }'
build netinfo NET_RX "$RW, \"CAP_EMIT\"" "$NETINFO_MAPS"
cp netinfo.js txinfo.js
build txinfo NET_TX "$RW, \"CAP_EMIT\"" "$NETINFO_MAPS"

# TRACEPOINT: hits per tracepoint id; pid 666 returns 3 (a soft failure);
# an event without payload throws in readBytes; otherwise emits the first
# four payload bytes under the tracepoint id.
cat >trace.js <<'EOF'
var key = new Uint8Array(4), val = new Uint8Array(4), buf = new Uint8Array(4);
function mbpf_prog(ctx) {
    var id = ctx.tracepoint_id;
    key[0] = id & 255; key[1] = (id >> 8) & 255; key[2] = (id >> 16) & 255; key[3] = id >>> 24;
    if (!maps.hits.lookup(key, val)) { val[0] = 0; val[1] = 0; val[2] = 0; val[3] = 0; }
    val[0]++;
    maps.hits.update(key, val);
    if (ctx.pid === 666) return 3;
    ctx.readBytes(0, 4, buf);
    mbpf.emit(id, buf);
    return 0;
}
EOF
build trace TRACEPOINT "$RW, \"CAP_EMIT\"" '
    { "name": "hits", "type": "hash", "key_size": 4, "value_size": 4, "max_entries": 8 },
    { "name": "ev", "type": "ringbuf", "key_size": 0, "value_size": 0, "max_entries": 1024 }'

# SECURITY: denies opening /etc/shadow; subject 0 makes it throw.
cat >sec.js <<'EOF'
var b = new Uint8Array(11);
var shadow = [47, 101, 116, 99, 47, 115, 104, 97, 100, 111, 119];
function mbpf_prog(ctx) {
    if (ctx.subject_id === 0) throw new Error("root is not supported");
    if (ctx.action === 1 && ctx.data_len === 11) {
        ctx.readBytes(0, 11, b);
        for (var i = 0; i < 11; i++)
            if (b[i] !== shadow[i]) return 0;
        maps.denied.add(0);
        return 1;
    }
    return 0;
}
EOF
build sec SECURITY "$RW" '
    { "name": "denied", "type": "counter", "key_size": 0, "value_size": 8, "max_entries": 1 }'

# CUSTOM: sums field len per point, returns field proto, emits the schema.
cat >custom.js <<'EOF'
var u = new Uint8Array(1);
function mbpf_prog(ctx) {
    maps.lens.add(ctx.custom_id === 7 ? 0 : 1, ctx.field("len"));
    u[0] = ctx.schema_version;
    mbpf.emit(ctx.custom_id, u);
    return ctx.field("proto");
}
EOF
build custom CUSTOM "$RW, \"CAP_EMIT\"" '
    { "name": "lens", "type": "counter", "key_size": 0, "value_size": 8, "max_entries": 2 },
    { "name": "ev", "type": "ringbuf", "key_size": 0, "value_size": 0, "max_entries": 1024 }'

# TIMER: keeps the last (now, expiry_count), counts ticks per timer id, logs.
cat >timer.js <<'EOF'
var v = new Uint8Array(16), u = [0, 0];
function mbpf_prog(ctx) {
    ctx.readNow(u);
    mbpf.u64StoreLE(v, 0, u);
    ctx.readExpiryCount(u);
    mbpf.u64StoreLE(v, 8, u);
    maps.last.update(0, v);
    maps.ticks.add(ctx.timer_id);
    mbpf.log(1, "tick " + ctx.expiry_count + " of timer " + ctx.timer_id + " period " + ctx.period_us);
    return 0;
}
EOF
build timer TIMER "$RW, \"CAP_LOG\"" '
    { "name": "last", "type": "array", "key_size": 0, "value_size": 16, "max_entries": 4 },
    { "name": "ticks", "type": "counter", "key_size": 0, "value_size": 8, "max_entries": 8 }'

# ---- inputs --------------------------------------------------------------

# Six Ethernet frames: 1 UDP to 53 (60 bytes), 2 UDP to 80 (60), 3 TCP
# (54), 4 ARP (42), 5 UDP to 53 captured 50 of 300 bytes, 6 UDP to 99 (60).
python3 - <<'EOF'
import struct
def eth(etype, payload):
    return b'\x02\x00\x00\x00\x00\x02' + b'\x02\x00\x00\x00\x00\x01' + struct.pack('>H', etype) + payload
def ipv4(proto, payload, total=None):
    n = total if total is not None else 20 + len(payload)
    return struct.pack('>BBHHHBBH4s4s', 0x45, 0, n, 1, 0, 64, proto, 0,
                       bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + payload
def udp(dport, payload):
    return struct.pack('>HHHH', 40000, dport, 8 + len(payload), 0) + payload
def tcp(dport):
    return struct.pack('>HHIIBBHHH', 40000, dport, 1, 0, 0x50, 0x02, 1024, 0, 0)
arp = eth(0x0806, bytes(28))
pkts = [
    (eth(0x0800, ipv4(17, udp(53, bytes(18)))), None),
    (eth(0x0800, ipv4(17, udp(80, bytes(18)))), None),
    (eth(0x0800, ipv4(6, tcp(80))), None),
    (arp, None),
    (eth(0x0800, ipv4(17, udp(53, bytes(258)))), 50),
    (eth(0x0800, ipv4(17, udp(99, bytes(18)))), None),
]
with open('p.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, (frame, cap) in enumerate(pkts):
        data = frame[:cap] if cap else frame
        f.write(struct.pack('<IIII', 1000 + i, 0, len(data), len(frame)) + data)
EOF

cat >ev.txt <<'EOF'
# tracepoints: two on point 3, two on point 9
tracepoint id=3 pid=100 cpu=1 ts=5000 payload=hex:0a0b0c0d
tracepoint id=3 pid=101 payload=hex:01020304
tracepoint id=9 pid=666 payload=hex:ffffffff
tracepoint id=9 pid=7
security subject=1000 object=1 action=open payload=str:/etc/hosts
security subject=1000 object=2 action=open payload=str:/etc/shadow
security subject=0 object=3 action=exec payload=str:/bin/sh
custom point=7 schema=2 field.len=12 field.proto:u32=6 payload=hex:00
custom point=7 schema=2 field.len=30 field.proto:u32=17
custom point=8 schema=1 field.len=100 field.proto=1
timer id=5 period=1000 count=4 now=4000000
EOF

ALL="netinfo.mbpf filter.mbpf trace.mbpf sec.mbpf custom.mbpf timer.mbpf"

# ---- usage errors --------------------------------------------------------
expect 0 "" mbpf run --help
has out.txt "  -c, --cpus N               simulated CPUs; event i runs on CPU i % N (default 1)"
expect 0 "" mbpf help
has out.txt "  run       load packages and run them on packets, events or timer ticks"
expect 2 "mbpf: run: missing package PKG" mbpf run
expect 2 "mbpf: run: --tx needs --pcap FILE" mbpf run filter.mbpf --tx
expect 2 "mbpf: run: --timer PERIOD_US and --count N go together" mbpf run timer.mbpf --timer 10
expect 2 "mbpf: run: --timer PERIOD_US and --count N go together" mbpf run timer.mbpf --count 10
expect 2 "mbpf: run: --timer: '0' is not a period in microseconds (1..4294967295)" \
    mbpf run timer.mbpf --timer 0 --count 1
expect 2 "mbpf: run: --count: 'x' is not a count (1..4294967295)" \
    mbpf run timer.mbpf --timer 1 --count x
expect 2 "mbpf: run: --cpus: '0' is not a CPU count (1..4096)" mbpf run filter.mbpf --cpus 0
expect 2 "mbpf: run: --cpus: '4097' is not a CPU count (1..4096)" mbpf run filter.mbpf --cpus 4097
expect 2 "mbpf: run: option '--pcap' given twice" mbpf run filter.mbpf --pcap a --pcap b
expect 2 "mbpf: run: unknown option '--frob'" mbpf run filter.mbpf --frob

# ---- invalid input -------------------------------------------------------
expect 1 "mbpf: run: nope.mbpf: No such file or directory" mbpf run nope.mbpf
printf 'not a package' >junk.mbpf
expect 1 "re:mbpf: run: junk.mbpf: load: container: .*" mbpf run junk.mbpf
cat >topthrow.js <<'EOF'
throw new TypeError("bad setup");
EOF
build topthrow NET_RX "" ""
expect 1 "re:mbpf: run: topthrow.mbpf: load: top-level code \(instance 0\): .*TypeError: bad setup.*" \
    mbpf run topthrow.mbpf
expect 1 "mbpf: run: filter.mbpf: load: program 'filter' is already loaded" \
    mbpf run filter.mbpf filter.mbpf
expect 1 "re:mbpf: run: nope.pcap: .*" mbpf run filter.mbpf --pcap nope.pcap
printf 'garbage garbage garbage garbage' >bad.pcap
expect 1 "re:mbpf: run: bad.pcap: not a pcap file: .*" mbpf run filter.mbpf --pcap bad.pcap
printf 'tracepoint id=3\nbogus x=1\n' >badev.txt
expect 1 "mbpf: run: badev.txt:2:1: unknown event kind 'bogus' (expected tracepoint, timer, security, custom or counter)" \
    mbpf run trace.mbpf --events badev.txt
tests=$((tests + 1))
[ -s out.txt ] && fail "a malformed event file still ran and printed: $(head -n 1 out.txt)"
expect 1 "mbpf: run: nope.txt: No such file or directory" mbpf run trace.mbpf --events nope.txt
# a program attaches to at most 8 tracepoints: found before any event runs
for i in 1 2 3 4 5 6 7 8 9; do echo "tracepoint id=$i payload=hex:00000000"; done >many.txt
expect 1 "mbpf: run: many.txt:9: trace.mbpf: attach to TRACEPOINT 9: program 'trace' already attached to 8 hooks" \
    mbpf run trace.mbpf --events many.txt
lacks out.txt "."
expect 0 "" mbpf run filter.mbpf --events many.txt
has out.txt "verdicts TRACEPOINT: events=9 0=9"
echo "tracepoint id=16777216" >bigpoint.txt
expect 1 "mbpf: run: bigpoint.txt:1: tracepoint point 16777216 above the hook id limit 16777215" \
    mbpf run trace.mbpf --events bigpoint.txt

# ---- NET_RX over the pcap ------------------------------------------------
expect 0 "" mbpf run netinfo.mbpf filter.mbpf --pcap p.pcap --cpus 4
has out.txt "inputs: packets=6 events=0 ticks=0 runs=6 cpus=4"
has out.txt "verdicts NET_RX: events=6 PASS=3 DROP=2 ABORT=1"
has out.txt "program filter: version=1.0 file=filter.mbpf hook_type=NET_RX signature=unsigned"
has out.txt "  stats: invocations=6 successes=6 soft_failures=0 exceptions=0 oom=0 budget_steps=0 budget_helpers=0 budget_time=0 nested=0 ctx_mismatch=0 breaker_trips=0 breaker_skipped=0 deferred_drops=0"
has out.txt "  map blocked: type=hash key_size=2 value_size=1 max_entries=16 entries=1"
has out.txt "    key=0035 value=01"
has out.txt "  map verdicts: type=counter key_size=0 value_size=8 max_entries=4 entries=3"
has out.txt "    index=0 value=3"
has out.txt "    index=1 value=2"
has out.txt "    index=2 value=1"
has out.txt "  map seq: type=counter key_size=0 value_size=8 max_entries=1 entries=1"
has out.txt "    index=0 value=6"
# netinfo saw every packet (it runs first): the contexts exactly
has out.txt "  map pkts: type=hash key_size=2 value_size=16 max_entries=32 entries=6"
has out.txt "    key=0100 value=3c0000003c0000000008000001000000"
has out.txt "    key=0200 value=3c0000003c0000000008000001000000"
has out.txt "    key=0300 value=36000000360000000008000001000000"
has out.txt "    key=0400 value=2a0000002a0000000608000001000000"
has out.txt "    key=0500 value=2c010000320000000008010001000000"
has out.txt "    key=0600 value=3c0000003c0000000008000001000000"
# per-CPU: packet i ran on CPU (i - 1) % 4
has out.txt "  map percpu: type=percpu_array key_size=0 value_size=4 max_entries=2 entries=1"
has out.txt "    index=0 cpu0=02000000 cpu1=02000000 cpu2=01000000 cpu3=01000000 sum=6"
has out.txt "  map out: type=ringbuf key_size=0 value_size=0 max_entries=4096 records=6 dropped=0"
lines_are out.txt "^event " "event prog=netinfo id=7 bytes=0100
event prog=netinfo id=7 bytes=0200
event prog=netinfo id=7 bytes=0300
event prog=netinfo id=7 bytes=0400
event prog=netinfo id=7 bytes=0500
event prog=netinfo id=7 bytes=0600"
lacks out.txt "^run "

# a damaged capture stops the run at the damaged record, without a summary
head -c 150 p.pcap >cut.pcap
expect 1 "mbpf: run: cut.pcap: packet 2: truncated dump file; tried to read 60 captured bytes, only got 34" \
    mbpf run filter.mbpf --pcap cut.pcap
lacks out.txt "^inputs:"

# a real capture (python3-dpkt's http.pcap, when installed): a program
# dropping IPv4 TCP segments to port 80 against the same count in Python
HTTP=/usr/share/doc/python3-dpkt/examples/data/http.pcap
if [ -f "$HTTP" ]; then
    set -- $(python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
off, n, drop = 24, 0, 0
while off + 16 <= len(b):
    cap = struct.unpack("<I", b[off + 8:off + 12])[0]
    f = b[off + 16:off + 16 + cap]
    off += 16 + cap
    n += 1
    if len(f) >= 34 and f[12:14] == b"\x08\x00" and f[23] == 6:
        t = 14 + (f[14] & 15) * 4
        if len(f) >= t + 4 and struct.unpack(">H", f[t + 2:t + 4])[0] == 80:
            drop += 1
print(n, n - drop, drop)' "$HTTP")
    cat >http.js <<'EOF'
function mbpf_prog(ctx) {
    if (ctx.l2_proto !== 0x0800 || ctx.data_len < 34 || ctx.readU8(23) !== 6) return 0;
    var t = 14 + (ctx.readU8(14) & 15) * 4;
    return ctx.data_len >= t + 4 && ctx.readU16BE(t + 2) === 80 ? 1 : 0;
}
EOF
    build http NET_RX "" ""
    expect 0 "" mbpf run http.mbpf --pcap "$HTTP"
    has out.txt "verdicts NET_RX: events=$1 PASS=$2 DROP=$3 ABORT=0"
    tests=$((tests + 1))
    [ "$3" -gt 0 ] && [ "$2" -gt 0 ] || fail "http.pcap: expected both verdicts, got PASS=$2 DROP=$3"
else
    echo "skip: $HTTP not found (install python3-dpkt)"
fi

# --verbose: one line per packet; --quiet: no emitted records
expect 0 "" mbpf run netinfo.mbpf filter.mbpf --pcap p.pcap --cpus 2 --verbose --quiet
lines_are out.txt "^run " "run packet=1 hook=NET_RX cpu=0 verdict=DROP
run packet=2 hook=NET_RX cpu=1 verdict=PASS
run packet=3 hook=NET_RX cpu=0 verdict=PASS
run packet=4 hook=NET_RX cpu=1 verdict=PASS
run packet=5 hook=NET_RX cpu=0 verdict=DROP
run packet=6 hook=NET_RX cpu=1 verdict=ABORT"
lacks out.txt "^event "
has out.txt "    index=0 cpu0=03000000 cpu1=03000000 sum=6"

# --tx: the packets go to NET_TX; the NET_RX filter never runs
expect 0 "" mbpf run txinfo.mbpf filter.mbpf --pcap p.pcap --tx
has out.txt "verdicts NET_TX: events=6 PASS=6 DROP=0 ABORT=0"
lacks out.txt "^verdicts NET_RX"
has out.txt "program txinfo: version=1.0 file=txinfo.mbpf hook_type=NET_TX signature=unsigned"
has out.txt "  map verdicts: type=counter key_size=0 value_size=8 max_entries=4 entries=0"
has out.txt "    key=0500 value=2c010000320000000008010001000000"
has out.txt "event prog=txinfo id=7 bytes=0600"

# ---- event file and timer ticks, every program at once -------------------
expect 0 "*" mbpf run $ALL --pcap p.pcap --events ev.txt --timer 250 --count 3 --debug
has out.txt "inputs: packets=6 events=11 ticks=3 runs=20 cpus=1"
has out.txt "verdicts NET_RX: events=6 PASS=3 DROP=2 ABORT=1"
has out.txt "verdicts TRACEPOINT: events=4 0=3 3=1"
has out.txt "verdicts TIMER: events=4 0=4"
has out.txt "verdicts SECURITY: events=3 ALLOW=2 DENY=1"
has out.txt "verdicts CUSTOM: events=3 6=1 17=1 1=1"
# tracepoints: a soft failure and an exception are counted
has out.txt "program trace: version=1.0 file=trace.mbpf hook_type=TRACEPOINT signature=unsigned"
has out.txt "  stats: invocations=4 successes=3 soft_failures=1 exceptions=1 oom=0 budget_steps=0 budget_helpers=0 budget_time=0 nested=0 ctx_mismatch=0 breaker_trips=0 breaker_skipped=0 deferred_drops=0"
has out.txt "    key=03000000 value=02000000"
has out.txt "    key=09000000 value=02000000"
has out.txt "  map ev: type=ringbuf key_size=0 value_size=0 max_entries=1024 records=2 dropped=0"
has out.txt "  stats: invocations=3 successes=2 soft_failures=0 exceptions=1 oom=0 budget_steps=0 budget_helpers=0 budget_time=0 nested=0 ctx_mismatch=0 breaker_trips=0 breaker_skipped=0 deferred_drops=0"
has out.txt "  map denied: type=counter key_size=0 value_size=8 max_entries=1 entries=1"
lines_are out.txt "^event prog=(trace|custom)" "event prog=trace id=3 bytes=0a0b0c0d
event prog=trace id=3 bytes=01020304
event prog=custom id=7 bytes=02
event prog=custom id=7 bytes=02
event prog=custom id=8 bytes=01"
has out.txt "  map lens: type=counter key_size=0 value_size=8 max_entries=2 entries=2"
has out.txt "    index=0 value=42"
has out.txt "    index=1 value=100"
# timer: one event-file expiry of timer 5, then ticks 1..3 of timer 0
# every 250 us; the last tick: now 750000 ns (0xb71b0), expiry 3
has out.txt "  map ticks: type=counter key_size=0 value_size=8 max_entries=8 entries=2"
has out.txt "    index=0 value=3"
has out.txt "    index=5 value=1"
has out.txt "    index=0 value=b0710b00000000000300000000000000"
# logs on stderr: the timer's messages, and --debug says why events failed
lines_are err.txt "^log: info: tick" "log: info: tick 4 of timer 5 period 1000
log: info: tick 1 of timer 0 period 250
log: info: tick 2 of timer 0 period 250
log: info: tick 3 of timer 0 period 250"
lines_are err.txt "^log: warn: " "log: warn: program 'trace': RangeError: ctx.readBytes: 4 bytes at offset 0 out of bounds (data_len 0) (at mbpf_prog (trace.js:9))
log: warn: program 'sec': Error: root is not supported (at mbpf_prog (sec.js:4))"

# without --debug, failures are only counted
expect 0 "*" mbpf run trace.mbpf --events ev.txt
lacks err.txt "^log: warn: "
has out.txt "  stats: invocations=4 successes=3 soft_failures=1 exceptions=1 oom=0 budget_steps=0 budget_helpers=0 budget_time=0 nested=0 ctx_mismatch=0 breaker_trips=0 breaker_skipped=0 deferred_drops=0"

# verbose event lines name the file, line and point
expect 0 "" mbpf run trace.mbpf custom.mbpf --events ev.txt --verbose --quiet --cpus 3
lines_are out.txt "^run " "run event=ev.txt:2 hook=TRACEPOINT:3 cpu=0 verdict=0
run event=ev.txt:3 hook=TRACEPOINT:3 cpu=1 verdict=0
run event=ev.txt:4 hook=TRACEPOINT:9 cpu=2 verdict=3
run event=ev.txt:5 hook=TRACEPOINT:9 cpu=0 verdict=0
run event=ev.txt:6 hook=SECURITY cpu=1 verdict=ALLOW
run event=ev.txt:7 hook=SECURITY cpu=2 verdict=ALLOW
run event=ev.txt:8 hook=SECURITY cpu=0 verdict=ALLOW
run event=ev.txt:9 hook=CUSTOM:7 cpu=1 verdict=6
run event=ev.txt:10 hook=CUSTOM:7 cpu=2 verdict=17
run event=ev.txt:11 hook=CUSTOM:8 cpu=0 verdict=1
run event=ev.txt:12 hook=TIMER cpu=1 verdict=0"

# counter lines: the host adds to a program's counter map between events,
# in file order; they are checked before anything runs and are not events
cat >ctr.txt <<'EOF'
counter map=ticks key=2 add=40
timer id=2 period=1000 count=1 now=1000000
counter map=ticks key=2 add=0x10
EOF
expect 0 "*" mbpf run timer.mbpf --events ctr.txt --verbose
lines_are out.txt "^(run|counter) " "counter event=ctr.txt:1 prog=timer map=ticks key=2 add=40 value=40
run event=ctr.txt:2 hook=TIMER cpu=0 verdict=0
counter event=ctr.txt:3 prog=timer map=ticks key=2 add=16 value=57"
has out.txt "inputs: packets=0 events=1 ticks=0 runs=1 cpus=1"
has out.txt "    index=2 value=57"
expect 0 "*" mbpf run timer.mbpf --events ctr.txt --verbose --json
tests=$((tests + 1))
python3 -c 'import json, sys; r = json.load(open("out.txt"))["runs"]; sys.exit(0 if r[0] == {"input": "counter", "file": "ctr.txt", "line": 1, "prog": "timer", "map": "ticks", "key": 2, "add": 40, "value": 40} and r[2]["value"] == 57 else 1)' ||
    fail "--json --verbose: counter entries in runs differ: $(head -c 300 out.txt)"
printf 'timer id=1\ncounter map=tick add=1\n' >ctrbad.txt
expect 1 "mbpf: run: ctrbad.txt:2: no loaded program has a map named 'tick'" \
    mbpf run timer.mbpf --events ctrbad.txt --verbose
lacks out.txt "."
printf 'timer id=1\ncounter map=last add=1\n' >ctrbad.txt
expect 1 "mbpf: run: ctrbad.txt:2: timer.mbpf: map 'last' is not a counter (type array)" \
    mbpf run timer.mbpf --events ctrbad.txt
printf 'counter map=ticks key=8 add=1\n' >ctrbad.txt
expect 1 "mbpf: run: ctrbad.txt:1: timer.mbpf: counter 'ticks' has 8 entries, no key 8" \
    mbpf run timer.mbpf --events ctrbad.txt

# ---- --json ----------------------------------------------------------------
expect 0 "*" mbpf run $ALL --pcap p.pcap --events ev.txt --timer 250 --count 3 --json --verbose --cpus 2
tests=$((tests + 1))
if ! python3 - out.txt <<'EOF'

import json, sys
d = json.load(open(sys.argv[1]))
def eq(got, want, what):
    if got != want:
        print('    %s: got %r, want %r' % (what, got, want))
        sys.exit(1)
eq(d['inputs'], {'packets': 6, 'events': 11, 'ticks': 3, 'runs': 20, 'cpus': 2}, 'inputs')
eq(d['verdicts']['NET_RX'], {'events': 6, 'PASS': 3, 'DROP': 2, 'ABORT': 1}, 'NET_RX verdicts')
eq(d['verdicts']['SECURITY'], {'events': 3, 'ALLOW': 2, 'DENY': 1}, 'SECURITY verdicts')
eq(d['verdicts']['CUSTOM'], {'events': 3, '6': 1, '17': 1, '1': 1}, 'CUSTOM verdicts')
eq(d['verdicts']['TRACEPOINT'], {'events': 4, '0': 3, '3': 1}, 'TRACEPOINT verdicts')
progs = {p['name']: p for p in d['programs']}
eq([p['name'] for p in d['programs']], ['netinfo', 'filter', 'trace', 'sec', 'custom', 'timer'], 'programs')
eq(progs['trace']['stats']['exceptions'], 1, 'trace exceptions')
eq(progs['trace']['stats']['soft_failures'], 1, 'trace soft failures')
eq(sorted(progs['sec']['stats'].keys()), sorted(['invocations', 'successes', 'soft_failures',
   'exceptions', 'oom', 'budget_steps', 'budget_helpers', 'budget_time', 'nested',
   'ctx_mismatch', 'breaker_trips', 'breaker_skipped', 'deferred_drops']), 'stats fields')
eq(progs['filter']['signature'], 'unsigned', 'signature')
eq(progs['filter']['signature_key'], None, 'signature key')
maps = {m['name']: m for m in progs['netinfo']['maps']}
eq(maps['percpu']['entries'], [{'index': 0, 'values': ['03000000', '03000000'], 'sum': 6}], 'percpu')
eq(maps['out']['records'], 6, 'ring records')
eq(maps['out']['dropped'], 0, 'ring drops')
eq('entries' in maps['out'], False, 'ring has no entries')
pk = {e['key']: e['value'] for e in maps['pkts']['entries']}
eq(pk['0500'], '2c010000320000000008010001000000', 'truncated packet context')
eq(len(pk), 6, 'packets recorded')
fm = {m['name']: m for m in progs['filter']['maps']}
eq(fm['verdicts'], {'name': 'verdicts', 'type': 'counter', 'key_size': 0, 'value_size': 8,
   'max_entries': 4, 'entries': [{'index': 0, 'value': 3}, {'index': 1, 'value': 2},
   {'index': 2, 'value': 1}]}, 'filter counter map')
eq(fm['blocked']['entries'], [{'key': '0035', 'value': '01'}], 'blocked')
tm = {m['name']: m for m in progs['timer']['maps']}
eq(tm['last']['entries'], [{'index': 0, 'value': 'b0710b00000000000300000000000000'}], 'timer last')
ev = [e for e in d['events'] if e['prog'] != 'netinfo']
eq(ev, [{'prog': 'trace', 'map': 'ev', 'id': 3, 'bytes': '0a0b0c0d'},
        {'prog': 'trace', 'map': 'ev', 'id': 3, 'bytes': '01020304'},
        {'prog': 'custom', 'map': 'ev', 'id': 7, 'bytes': '02'},
        {'prog': 'custom', 'map': 'ev', 'id': 7, 'bytes': '02'},
        {'prog': 'custom', 'map': 'ev', 'id': 8, 'bytes': '01'}], 'events')
eq(len(d['events']), 11, 'event count')
eq(len(d['runs']), 20, 'runs')
eq(d['runs'][0], {'input': 'packet', 'file': 'p.pcap', 'index': 1, 'hook': 'NET_RX', 'point': 0,
   'cpu': 0, 'rc': 1, 'verdict': 'DROP'}, 'first run')
eq(d['runs'][8], {'input': 'event', 'file': 'ev.txt', 'line': 4, 'hook': 'TRACEPOINT', 'point': 9,
   'cpu': 0, 'rc': 3, 'verdict': None}, 'tracepoint run')
eq(d['runs'][19], {'input': 'tick', 'index': 3, 'hook': 'TIMER', 'point': 0, 'cpu': 1, 'rc': 0,
   'verdict': None}, 'last tick')
EOF
then
    fail "--json document"
fi

# ---- signatures ------------------------------------------------------------
mbpf keygen -o dev >/dev/null && mbpf keygen -o other >/dev/null
mbpf pack -m filter.json -b filter.ujsbc --sign dev.key -o fsigned.mbpf >/dev/null
expect 0 "" mbpf run fsigned.mbpf --key dev.pub --require-signature
has out.txt "program filter: version=1.0 file=fsigned.mbpf hook_type=NET_RX signature=valid key=dev.pub"
expect 0 "" mbpf run fsigned.mbpf --key other.pub --key dev.pub
has out.txt "program filter: version=1.0 file=fsigned.mbpf hook_type=NET_RX signature=valid key=dev.pub"
expect 0 "" mbpf run fsigned.mbpf
has out.txt "program filter: version=1.0 file=fsigned.mbpf hook_type=NET_RX signature=unchecked"
expect 1 "mbpf: run: fsigned.mbpf: load: signature: does not verify under any of 1 trusted key" \
    mbpf run fsigned.mbpf --key other.pub --require-signature
expect 1 "mbpf: run: fsigned.mbpf: load: signature: does not verify under any of 1 trusted key" \
    mbpf run fsigned.mbpf --key other.pub
expect 1 "re:mbpf: run: filter.mbpf: load: signature: .*unsigned.*" \
    mbpf run filter.mbpf --key dev.pub --require-signature
expect 1 "re:mbpf: run: fsigned.mbpf: load: signature: .*" mbpf run fsigned.mbpf --require-signature
expect 1 "mbpf: run: nokey.pub: No such file or directory" mbpf run fsigned.mbpf --key nokey.pub
expect 1 "mbpf: run: dev.key: this is a secret key (mbpf-ed25519-secret-v1); a public key is expected here (the .pub file)" \
    mbpf run fsigned.mbpf --key dev.key

printf '%d tests, %d failures\n' "$tests" "$failures"
[ "$failures" -eq 0 ]
