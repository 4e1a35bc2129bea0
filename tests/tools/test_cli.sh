#!/bin/sh
# Command-line tests of `mbpf`: exit codes and exact messages of each
# subcommand's failure modes, the keygen -> pack -> sign -> verify -> inspect
# and build -> verify -> inspect round trips, compile against `ujs -o`, and
# inspect --json parsed by Python.
# Usage: test_cli.sh MBPF UJS FIXTURE_DIR   (absolute paths; tests/tools/fixture)
set -u
MBPF=$1
UJS=$2
EX=$3
HERE=$(cd "$(dirname "$0")" && pwd)
PKGEDIT="python3 $HERE/pkgedit.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/mbpf-cli-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

tests=0
failures=0

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$*"
}

# expect STATUS STDERR_FIRST_LINE CMD...: runs CMD, checks its exit status
# and the first line of its stderr ("" = stderr must be empty; "re:RE" =
# the line must match the extended regular expression RE).
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
    re:*)
        if printf '%s\n' "$got_err" | grep -Eqx -- "${want_err#re:}"; then return; fi
        ;;
    *)
        if [ "$got_err" = "$want_err" ]; then return; fi
        ;;
    esac
    if true; then
        fail "$*: stderr"
        printf '    got:  %s\n    want: %s\n' "$got_err" "$want_err"
    fi
}

# check DESCRIPTION CMD...: CMD must succeed.
check() {
    desc=$1
    shift
    tests=$((tests + 1))
    if ! "$@" >/dev/null 2>check.err; then
        fail "$desc"
        sed 's/^/    /' check.err
    fi
}

mbpf() { "$MBPF" "$@"; }

# ---- top level -------------------------------------------------------------
expect 2 "usage: mbpf [--version] [--help] COMMAND [ARGS]" mbpf
expect 0 "" mbpf --version
check "--version names the format" grep -q "^mbpf [0-9.]* (package format 1, helper API 1.0)$" out.txt
expect 0 "" mbpf help
check "help lists pack" grep -q "^  pack " out.txt
check "help lists build" grep -q "^  build " out.txt
check "help lists compile" grep -q "^  compile " out.txt
expect 0 "" mbpf help verify
check "help verify shows usage" grep -q "^usage: mbpf verify" out.txt
expect 0 "" mbpf verify --help
check "verify --help lists exit codes" grep -q "^  5  signature" out.txt
expect 2 "mbpf: 'frobnicate' is not an mbpf command; see 'mbpf help'" mbpf frobnicate
expect 2 "mbpf: help: 'frobnicate' is not an mbpf command; see 'mbpf help'" mbpf help frobnicate
expect 2 "mbpf: unknown option '--frob'" mbpf --frob

# ---- keygen ----------------------------------------------------------------
expect 2 "mbpf: keygen: missing -o NAME" mbpf keygen
expect 2 "mbpf: keygen: unknown option '--frob'" mbpf keygen --frob -o k
expect 2 "mbpf: keygen: option '--output' needs a value" mbpf keygen -o
expect 2 "mbpf: keygen: unexpected argument 'extra'" mbpf keygen -o k extra
expect 0 "" mbpf keygen -o dev
check "keygen wrote dev.key" test -f dev.key
check "keygen wrote dev.pub" test -f dev.pub
check "secret key has mode 600" test "$(stat -c %a dev.key)" = 600
check "secret key format" grep -Eqx "mbpf-ed25519-secret-v1 [0-9a-f]{64}" dev.key
check "public key format" grep -Eqx "mbpf-ed25519-public-v1 [0-9a-f]{64}" dev.pub
cp dev.key dev.key.orig
expect 1 "mbpf: keygen: dev.key already exists (use --force to overwrite)" mbpf keygen -o dev
check "refused keygen left dev.key alone" cmp -s dev.key dev.key.orig
expect 0 "" mbpf keygen -o dev --force
check "keygen --force replaced dev.key" sh -c '! cmp -s dev.key dev.key.orig'
expect 0 "" mbpf keygen -o other
expect 1 "mbpf: keygen: nodir/k.key: No such file or directory" mbpf keygen -o nodir/k

# ---- malformed key files ---------------------------------------------------
printf 'mbpf-ed25519-public-v1 %063d\n' 0 >short.pub
expect 1 "mbpf: verify: short.pub: expected 64 hex digits after 'mbpf-ed25519-public-v1', found 63" \
    mbpf verify --key short.pub x.mbpf
printf 'mbpf-ed25519-public-v1 %063dg\n' 0 >badhex.pub
expect 1 "mbpf: verify: badhex.pub: invalid character 'g' at column 87 (expected a hex digit)" \
    mbpf verify --key badhex.pub x.mbpf
printf 'ssh-ed25519 AAAA\n' >ssh.pub
expect 1 "mbpf: verify: ssh.pub: unknown key type 'ssh-ed25519' (expected 'mbpf-ed25519-public-v1')" \
    mbpf verify --key ssh.pub x.mbpf
: >empty.pub
expect 1 "mbpf: verify: empty.pub: empty file; expected 'mbpf-ed25519-public-v1 <64 hex digits>'" \
    mbpf verify --key empty.pub x.mbpf
expect 1 "mbpf: verify: dev.key: this is a secret key (mbpf-ed25519-secret-v1); a public key is expected here (the .pub file)" \
    mbpf verify --key dev.key x.mbpf
expect 1 "mbpf: verify: nokey.pub: No such file or directory" mbpf verify --key nokey.pub x.mbpf

# ---- compile ---------------------------------------------------------------
cp "$EX/prog.js" prog.js
cp "$EX/prog.json" prog.json
expect 2 "mbpf: compile: missing source file PROG.js" mbpf compile
expect 2 "mbpf: compile: unexpected argument 'b.js'" mbpf compile a.js b.js
expect 2 "mbpf: compile: unknown option '--frob'" mbpf compile --frob prog.js
expect 2 "mbpf: compile: option '--output' given twice" mbpf compile -o a -o b prog.js
expect 2 "mbpf: compile: option '--strip' takes no value" mbpf compile --strip=1 prog.js
expect 1 "mbpf: compile: nope.js: No such file or directory" mbpf compile nope.js
expect 0 "" mbpf compile prog.js
check "compile summary" grep -qx "wrote prog.ujsbc ([0-9]* bytes)" out.txt
"$UJS" -o ujs.ujsbc prog.js
check "compile writes exactly what ujs -o writes" cmp ujs.ujsbc prog.ujsbc
expect 0 "" mbpf compile -o again.ujsbc prog.js
check "compile is deterministic" cmp again.ujsbc prog.ujsbc
expect 0 "" mbpf compile --strip -o stripped.ujsbc prog.js
check "compile --strip summary" grep -qx "wrote stripped.ujsbc ([0-9]* bytes, stripped)" out.txt
"$UJS" --strip -o ujs-stripped.ujsbc prog.js
check "compile --strip writes what ujs --strip writes" cmp ujs-stripped.ujsbc stripped.ujsbc
check "--strip drops the file name" sh -c '! grep -q prog.js stripped.ujsbc'
check "the file name is recorded without --strip" grep -q prog.js prog.ujsbc
check "stripped bytecode is smaller" test "$(wc -c <stripped.ujsbc)" -lt "$(wc -c <prog.ujsbc)"
printf 'var a = 1;\nfunction f( {\n' >syntax.js
expect 1 "re:mbpf: compile: syntax\.js:2:13: .+" mbpf compile syntax.js
check "a failed compile writes nothing" test ! -e syntax.ujsbc
cp prog.ujsbc keep.ujsbc
expect 1 "re:mbpf: compile: syntax\.js:2:13: .+" mbpf compile -o keep.ujsbc syntax.js
check "a failed compile leaves an existing output alone" cmp keep.ujsbc prog.ujsbc
expect 1 "mbpf: compile: nodir/x.ujsbc: No such file or directory" mbpf compile -o nodir/x.ujsbc prog.js
# 1000 functions need more than the first context buffer (256 KiB): the
# buffer grows and the output is still what ujs (16 MiB buffer) writes.
python3 -c '
for i in range(1000):
    print("function f%d(a, b) { var x = a * %d + b; if (x > 10) { return x - 1; } return [x, \"s%d\"]; }" % (i, i, i))
' >large.js
expect 0 "" mbpf compile large.js
"$UJS" -o ujs-large.ujsbc large.js
check "a large program compiles as with ujs" cmp ujs-large.ujsbc large.ujsbc

# ---- pack ------------------------------------------------------------------
cp prog.ujsbc prog.bc
expect 2 "mbpf: pack: missing --manifest FILE" mbpf pack --bytecode prog.bc -o p.mbpf
expect 2 "mbpf: pack: missing --bytecode FILE" mbpf pack --manifest prog.json -o p.mbpf
expect 2 "mbpf: pack: missing -o OUT" mbpf pack --manifest prog.json --bytecode prog.bc
expect 2 "mbpf: pack: option '--manifest' given twice" \
    mbpf pack --manifest prog.json --manifest prog.json --bytecode prog.bc -o p.mbpf
expect 1 "mbpf: pack: nope.bc: No such file or directory" \
    mbpf pack --manifest prog.json --bytecode nope.bc -o p.mbpf
: >empty.bc
expect 1 "mbpf: pack: empty.bc: bytecode file is empty" \
    mbpf pack --manifest prog.json --bytecode empty.bc -o p.mbpf
sed 's/"heap_size": 16384/"heap_size": "big"/' prog.json >badtype.json
expect 1 "mbpf: pack: badtype.json: manifest: heap_size: expected an unsigned integer, got string \"big\"" \
    mbpf pack --manifest badtype.json --bytecode prog.bc -o p.mbpf
expect 1 "mbpf: pack: dev.pub: this is a public key (mbpf-ed25519-public-v1); signing needs the secret key (the .key file)" \
    mbpf pack --manifest prog.json --bytecode prog.bc --sign dev.pub -o p.mbpf
printf '{"program_name": "x",}' >syntax.json
expect 1 "re:mbpf: pack: syntax.json:1:[0-9]+: .*" mbpf pack --manifest syntax.json --bytecode prog.bc -o p.mbpf
check "failed packs wrote nothing" test ! -e p.mbpf

truncate -s 67108865 big.bc
expect 1 "mbpf: pack: big.bc: file too large (limit 67108864 bytes)" \
    mbpf pack --manifest prog.json --bytecode big.bc -o p.mbpf
rm -f big.bc
mkdir adir
expect 1 "mbpf: pack: adir: is a directory" mbpf pack --manifest adir --bytecode prog.bc -o p.mbpf
expect 0 "" mbpf pack --manifest prog.json --bytecode prog.bc -o unsigned.mbpf
check "pack summary" grep -qx "wrote unsigned.mbpf ([0-9]* bytes, 2 sections, unsigned)" out.txt
expect 0 "" mbpf pack --manifest prog.json --bytecode prog.bc --sign dev.key -o signed.mbpf
check "signed pack summary" grep -qx "wrote signed.mbpf ([0-9]* bytes, 3 sections, signed)" out.txt

# A failed pack leaves an existing output untouched, and no temp files.
cp signed.mbpf keep.mbpf
expect 1 "mbpf: pack: nope.bc: No such file or directory" \
    mbpf pack --manifest prog.json --bytecode nope.bc -o keep.mbpf
check "failed pack kept the old output" cmp -s keep.mbpf signed.mbpf
check "no temporary files left" sh -c '! ls | grep -q "\.tmp-"'

# The CBOR manifest of a package packs to the identical package.
$PKGEDIT extract unsigned.mbpf 1 manifest.cbor
expect 0 "" mbpf pack --manifest manifest.cbor --bytecode prog.bc -o from-cbor.mbpf
check "CBOR manifest gives the same package" cmp -s from-cbor.mbpf unsigned.mbpf
printf '\241\001\002' >bad.cbor
expect 1 "mbpf: pack: bad.cbor: manifest: expected a string key, got 1" \
    mbpf pack --manifest bad.cbor --bytecode prog.bc -o p.mbpf

# MAPS and DEBUG sections.
python3 -c '
import json
m = json.load(open("prog.json"))
maps = m.pop("maps")
json.dump(m, open("nomaps.json", "w"))
json.dump(maps, open("maps.json", "w"))
'
printf 'prog.js 1:0\n' >debug.txt
expect 0 "" mbpf pack --manifest nomaps.json --bytecode prog.bc --maps maps.json \
    --debug debug.txt --sign dev.key -o full.mbpf
check "full pack has 5 sections" grep -qx "wrote full.mbpf ([0-9]* bytes, 5 sections, signed)" out.txt
expect 1 "mbpf: pack: maps.json: maps section: maps: already defined in the manifest" \
    mbpf pack --manifest prog.json --bytecode prog.bc --maps maps.json -o p.mbpf

# ---- verify ----------------------------------------------------------------
expect 2 "mbpf: verify: missing package PKG" mbpf verify
expect 2 "mbpf: verify: unexpected argument 'b.mbpf'" mbpf verify a.mbpf b.mbpf
expect 1 "mbpf: verify: missing.mbpf: No such file or directory" mbpf verify missing.mbpf
expect 0 "" mbpf verify --key dev.pub signed.mbpf
check "verify reports the key" grep -qx "signed.mbpf: OK (signature valid, key dev.pub)" out.txt
expect 0 "" mbpf verify --key other.pub --key dev.pub --require-signature full.mbpf
check "second key matches" grep -qx "full.mbpf: OK (signature valid, key dev.pub)" out.txt
expect 0 "" mbpf verify unsigned.mbpf
check "unsigned ok in dev mode" grep -qx "unsigned.mbpf: OK (unsigned)" out.txt
expect 0 "" mbpf verify signed.mbpf
check "signed without key" grep -qx "signed.mbpf: OK (signed; signature not checked: no --key given)" out.txt
expect 0 "" mbpf verify -q --key dev.pub signed.mbpf
check "quiet verify prints nothing" test ! -s out.txt

expect 5 "mbpf: verify: signed.mbpf: signature does not verify under other.pub" \
    mbpf verify --key other.pub signed.mbpf
expect 5 "mbpf: verify: unsigned.mbpf: package is unsigned and --require-signature was given" \
    mbpf verify --key dev.pub --require-signature unsigned.mbpf
expect 5 "mbpf: verify: signed.mbpf: --require-signature needs --key PUB to check the signature" \
    mbpf verify --require-signature signed.mbpf

set -- $($PKGEDIT section signed.mbpf 2)
code_off=$1
cp signed.mbpf tampered.mbpf
$PKGEDIT flip tampered.mbpf "$code_off"
expect 4 "re:mbpf: verify: tampered.mbpf: container: section 1 \(type 2\): crc32 0x[0-9a-f]+ does not match computed 0x[0-9a-f]+" \
    mbpf verify --key dev.pub tampered.mbpf
size=$(wc -c <signed.mbpf)
cp signed.mbpf badsig.mbpf
$PKGEDIT flip badsig.mbpf $((size - 1))
expect 5 "mbpf: verify: badsig.mbpf: signature does not verify under dev.pub" \
    mbpf verify --key dev.pub badsig.mbpf
head -c $((size - 10)) signed.mbpf >truncated.mbpf
expect 3 "mbpf: verify: truncated.mbpf: container: section 2 (type 5): offset $((size - 64)) + length 64 exceeds file size $((size - 10))" \
    mbpf verify --key dev.pub truncated.mbpf
printf 'hello' >notpkg.mbpf
expect 3 "mbpf: verify: notpkg.mbpf: container: file size 5 below the fixed header size 20" \
    mbpf verify notpkg.mbpf
cp unsigned.mbpf badman.mbpf
$PKGEDIT manifest-byte badman.mbpf 0 0x00
expect 6 "re:mbpf: verify: badman.mbpf: manifest: offset 1: .*" \
    mbpf verify badman.mbpf
cp unsigned.mbpf badman2.mbpf
set -- $($PKGEDIT section unsigned.mbpf 1)
# The canonical manifest ends with the value of hook_ctx_abi_version (1);
# 0x60 turns it into an empty text string.
$PKGEDIT manifest-byte badman2.mbpf $(($2 - 1)) 0x60
expect 6 "mbpf: verify: badman2.mbpf: manifest: hook_ctx_abi_version: expected an unsigned integer, got string \"\"" \
    mbpf verify badman2.mbpf

# ---- sign ------------------------------------------------------------------
expect 2 "mbpf: sign: missing --key KEY" mbpf sign unsigned.mbpf
expect 2 "mbpf: sign: missing package PKG" mbpf sign --key dev.key
expect 1 "mbpf: sign: dev.pub: this is a public key (mbpf-ed25519-public-v1); signing needs the secret key (the .key file)" \
    mbpf sign --key dev.pub unsigned.mbpf
expect 1 "re:mbpf: sign: tampered.mbpf: container: section 1 \(type 2\): crc32 0x[0-9a-f]+ does not match computed 0x[0-9a-f]+" \
    mbpf sign --key dev.key tampered.mbpf
cp unsigned.mbpf tosign.mbpf
expect 0 "" mbpf sign --key dev.key -o signed2.mbpf tosign.mbpf
check "sign -o left the input alone" cmp -s tosign.mbpf unsigned.mbpf
check "sign of unsigned equals pack --sign" cmp -s signed2.mbpf signed.mbpf
expect 0 "" mbpf sign --key other.key tosign.mbpf
check "sign in place" grep -qx "wrote tosign.mbpf ([0-9]* bytes, signed)" out.txt
expect 0 "" mbpf verify --key other.pub --require-signature tosign.mbpf
expect 0 "" mbpf sign --key dev.key tosign.mbpf
check "re-sign reported" grep -qx "wrote tosign.mbpf ([0-9]* bytes, re-signed)" out.txt
check "re-signed equals signed" cmp -s tosign.mbpf signed.mbpf
expect 5 "mbpf: verify: tosign.mbpf: signature does not verify under other.pub" \
    mbpf verify --key other.pub tosign.mbpf

# ---- raw key files -----------------------------------------------------------
python3 -c '
seed = bytes.fromhex(open("dev.key").read().split()[1])
pub = bytes.fromhex(open("dev.pub").read().split()[1])
open("raw.pub", "wb").write(pub)
open("raw32.key", "wb").write(seed)
open("raw64.key", "wb").write(seed + pub)
open("bad64.key", "wb").write(seed + bytes(32))
'
expect 0 "" mbpf verify --key raw.pub --require-signature signed.mbpf
expect 0 "" mbpf sign --key raw32.key -o raw32.mbpf unsigned.mbpf
check "raw seed signs like the text key" cmp -s raw32.mbpf signed.mbpf
expect 0 "" mbpf sign --key raw64.key -o raw64.mbpf unsigned.mbpf
check "raw 64-byte key signs like the text key" cmp -s raw64.mbpf signed.mbpf
expect 1 "mbpf: sign: bad64.key: not an Ed25519 secret key (the public half of the 64 raw bytes does not match the seed)" \
    mbpf sign --key bad64.key unsigned.mbpf
expect 1 "mbpf: verify: raw64.key: 64 raw bytes look like a secret key; a public key is expected here (32 raw bytes or 'mbpf-ed25519-public-v1 <64 hex digits>')" \
    mbpf verify --key raw64.key signed.mbpf

# Unknown section types are kept by sign and shown by inspect.
printf 'future' >future.bin
$PKGEDIT add unsigned.mbpf 9 future.bin future.mbpf
expect 0 "" mbpf verify future.mbpf
expect 0 "" mbpf sign --key dev.key -o future-signed.mbpf future.mbpf
expect 0 "" mbpf verify --key dev.pub --require-signature future-signed.mbpf
expect 0 "" mbpf inspect future-signed.mbpf
check "inspect lists the unknown section" grep -Eq "^  2  type 9 +[0-9]+ +6  0x[0-9a-f]{8}  ok$" out.txt
$PKGEDIT extract future-signed.mbpf 9 future.out
check "sign kept the unknown section" cmp -s future.bin future.out

# ---- build -----------------------------------------------------------------
# Usage errors: each names the option and what was wrong.
expect 2 "mbpf: build: missing source file PROG.js" mbpf build
expect 2 "mbpf: build: unexpected argument 'b.js'" mbpf build a.js b.js
expect 2 "mbpf: build: option '--name' given twice" mbpf build --name a --name b prog.js
expect 2 "mbpf: build: option '--hook': unknown hook type 'NET_RXX' (expected one of TRACEPOINT, TIMER, NET_RX, NET_TX, SECURITY, CUSTOM)" \
    mbpf build --hook NET_RXX prog.js
expect 2 "mbpf: build: option '--cap': unknown capability 'FROB' (expected CAP_LOG, CAP_MAP_READ, CAP_MAP_WRITE, CAP_MAP_ITERATE, CAP_EMIT, CAP_TIME, CAP_STATS)" \
    mbpf build --cap LOG,FROB prog.js
expect 2 "mbpf: build: option '--heap-size': '0' is not a number from 1 to 4294967295" \
    mbpf build --heap-size 0 prog.js
expect 2 "mbpf: build: option '--max-steps': '4294967296' is not a number from 1 to 4294967295" \
    mbpf build --max-steps 4294967296 prog.js
expect 2 "mbpf: build: option '--max-wall-time-us': '-1' is not a number from 0 to 4294967295" \
    mbpf build --max-wall-time-us -1 prog.js
expect 2 "mbpf: build: option '--map': 'm:hash:2:1' is not NAME:TYPE:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS]" \
    mbpf build --map m:hash:2:1 prog.js
expect 2 "mbpf: build: option '--map m:tree:2:1:8': unknown map type 'tree'" \
    mbpf build --map m:tree:2:1:8 prog.js
expect 2 "mbpf: build: option '--map m:hash:0:1:8': key_size: 0 not allowed for type hash" \
    mbpf build --map m:hash:0:1:8 prog.js
expect 2 "mbpf: build: option '--map m:hash:2:1:x': max_entries 'x' is not an unsigned 32-bit number" \
    mbpf build --map m:hash:2:1:x prog.js
expect 2 "mbpf: build: option '--map': map 'm' given twice" \
    mbpf build --map m:hash:2:1:8 --map m:array:0:1:8 prog.js
expect 2 "re:mbpf: build: option '--entry 1st': entry_symbol: .*identifier.*" mbpf build --entry 1st prog.js
expect 2 "mbpf: build: option '--program-version': '$(printf '%040d' 0)' is longer than 31 bytes" \
    mbpf build --program-version "$(printf '%040d' 0)" prog.js
cp prog.js lone.js
expect 2 "mbpf: build: missing --hook HOOK (no manifest file: lone.json not found)" mbpf build lone.js
check "a usage error writes nothing" test ! -e lone.mbpf

# PROG.json next to PROG.js is the manifest; the package is what compile
# and pack make from the same parts, byte for byte, signed or not.
bcv=$(python3 -c 'import sys; d = open("prog.ujsbc", "rb").read(); print(d[4] | d[5] << 8)')
python3 -c '
import json, sys
m = json.load(open("prog.json"))
m["bytecode_version"] = int(sys.argv[1])
json.dump(m, open("prog.json", "w"), indent=2)
' "$bcv"
expect 0 "" mbpf build prog.js
check "build summary" grep -qx "wrote prog.mbpf ([0-9]* bytes, 2 sections, unsigned)" out.txt
expect 0 "" mbpf pack --manifest prog.json --bytecode prog.ujsbc -o packed.mbpf
check "build = compile + pack" cmp packed.mbpf prog.mbpf
expect 0 "" mbpf build -o again.mbpf prog.js
check "build is deterministic" cmp again.mbpf prog.mbpf
expect 0 "" mbpf verify prog.mbpf
check "built package verifies" grep -qx "prog.mbpf: OK (unsigned)" out.txt
expect 0 "" mbpf build --manifest manifest.cbor -o from-cbor-build.mbpf prog.js
check "a CBOR manifest builds the same package" cmp from-cbor-build.mbpf prog.mbpf

expect 0 "" mbpf build --sign dev.key -o built-signed.mbpf prog.js
check "signed build summary" grep -qx "wrote built-signed.mbpf ([0-9]* bytes, 3 sections, signed)" out.txt
expect 0 "" mbpf verify --key dev.pub --require-signature built-signed.mbpf
check "signed build verifies with its key" grep -qx "built-signed.mbpf: OK (signature valid, key dev.pub)" out.txt
expect 5 "mbpf: verify: built-signed.mbpf: signature does not verify under other.pub" \
    mbpf verify --key other.pub built-signed.mbpf
expect 0 "" mbpf pack --manifest prog.json --bytecode prog.ujsbc --sign dev.key -o packed-signed.mbpf
check "signed build = compile + pack --sign" cmp packed-signed.mbpf built-signed.mbpf
expect 1 "mbpf: build: dev.pub: this is a public key (mbpf-ed25519-public-v1); signing needs the secret key (the .key file)" \
    mbpf build --sign dev.pub -o p.mbpf prog.js
expect 0 "" mbpf inspect --json --key dev.pub built-signed.mbpf
check "inspect shows the manifest of prog.json" python3 -c '
import json
d = json.load(open("out.txt"))
assert d["valid"] is True and d["signature"]["status"] == "valid"
m, want = d["manifest"], json.load(open("prog.json"))
for x in want["maps"]:
    x.setdefault("flags", 0)
assert m == want, (m, want)
'

# Flags override the file field by field; --cap adds, --map replaces by
# name or appends.
expect 0 "" mbpf build --name flagged --program-version 2.1 --heap-size 32k --max-steps 77 \
    --cap LOG --cap map_read --map stats:array:0:8:4 --map extra:lru_hash:4:8:16:1 \
    -o over.mbpf prog.js
expect 0 "" mbpf inspect --json over.mbpf
check "flags override prog.json" python3 -c '
import json
m = json.load(open("out.txt"))["manifest"]
assert m["program_name"] == "flagged" and m["program_version"] == "2.1", m
assert m["heap_size"] == 32768, m
assert m["budgets"] == {"max_steps": 77, "max_helpers": 64, "max_wall_time_us": 500}, m
assert m["capabilities"] == ["CAP_LOG", "CAP_MAP_READ", "CAP_MAP_WRITE"], m
assert m["hook_type"] == "NET_RX" and m["hook_ctx_abi_version"] == 1, m
maps = {x["name"]: x for x in m["maps"]}
assert [x["name"] for x in m["maps"]] == ["blocked_ports", "stats", "extra"], m
assert maps["blocked_ports"]["max_entries"] == 64 and maps["stats"]["max_entries"] == 4, m
assert maps["extra"] == {"name": "extra", "type": "lru_hash", "key_size": 4, "value_size": 8,
                         "max_entries": 16, "flags": 1}, m
'

# Flags complete an incomplete file, and defaults fill in the rest.
printf '{"program_name": "partial", "maps": [{"name": "m", "type": "hash", "key_size": 4, "value_size": 4, "max_entries": 8}]}' >partial.json
expect 2 "mbpf: build: missing --hook HOOK (partial.json sets no hook_type)" \
    mbpf build --manifest partial.json -o partial.mbpf prog.js
expect 0 "" mbpf build --manifest partial.json --hook tracepoint -o partial.mbpf prog.js
expect 0 "" mbpf inspect --json partial.mbpf
check "defaults complete the manifest" python3 -c '
import json, sys
m = json.load(open("out.txt"))["manifest"]
want = {"program_name": "partial", "program_version": "0.0.0", "hook_type": "TRACEPOINT",
        "hook_ctx_abi_version": 1, "entry_symbol": "mbpf_prog", "bytecode_version": int(sys.argv[1]),
        "target": {"word_size": "any", "endianness": "any"}, "mbpf_api_version": 65536,
        "heap_size": 16384, "budgets": {"max_steps": 100000, "max_helpers": 1000},
        "capabilities": [],
        "maps": [{"name": "m", "type": "hash", "key_size": 4, "value_size": 4, "max_entries": 8,
                  "flags": 0}]}
assert m == want, m
' "$bcv"
expect 0 "" mbpf build --hook TIMER lone.js
check "flags alone make a package next to the source" test -f lone.mbpf
expect 0 "" mbpf inspect --json lone.mbpf
check "program_name defaults to the file name" python3 -c '
import json
m = json.load(open("out.txt"))["manifest"]
assert m["program_name"] == "lone" and m["hook_type"] == "TIMER", m
'

# Manifest files are checked with the loader's schema and messages; a flag
# replaces a bad value.
sed 's/"heap_size": 16384/"heap_size": "big"/' prog.json >badtype.json
expect 1 "mbpf: build: badtype.json: manifest: heap_size: expected an unsigned integer, got string \"big\"" \
    mbpf build --manifest badtype.json -o p.mbpf prog.js
expect 0 "" mbpf build --manifest badtype.json --heap-size 4096 -o p.mbpf prog.js
printf '{"program_name": "x",}' >syntax.json
expect 1 "re:mbpf: build: syntax.json:1:[0-9]+: .*" mbpf build --manifest syntax.json -o q.mbpf prog.js
printf '{"hook_type": "NET_RX", "budgets": {"max_steps": 1.5}}' >float.json
expect 1 "mbpf: build: float.json: manifest: budgets.max_steps: expected an unsigned integer, got a non-integer number" \
    mbpf build --manifest float.json -o q.mbpf prog.js
printf '{"hook_type": "NET_RX", "colour": "blue"}' >unknown.json
expect 1 "re:mbpf: build: unknown.json: manifest: colour: .*" \
    mbpf build --manifest unknown.json -o q.mbpf prog.js
expect 1 "mbpf: build: nope.json: No such file or directory" \
    mbpf build --manifest nope.json -o q.mbpf prog.js
check "failed builds wrote nothing" test ! -e q.mbpf
sed "s/\"bytecode_version\": $bcv/\"bytecode_version\": 999/" prog.json >stale.json
expect 0 "mbpf: build: note: stale.json: bytecode_version 999 replaced by $bcv, the compiler's" \
    mbpf build --manifest stale.json -o stale.mbpf prog.js
check "a stale bytecode_version is replaced" cmp stale.mbpf prog.mbpf

# Compile errors, and a failed build keeps an existing output.
cp prog.json syntax.json
cp prog.mbpf keep.mbpf
expect 1 "re:mbpf: build: syntax\.js:2:13: .+" mbpf build -o keep.mbpf syntax.js
check "a failed build leaves an existing output alone" cmp keep.mbpf prog.mbpf
expect 0 "" mbpf build --strip -o stripped.mbpf prog.js
$PKGEDIT extract stripped.mbpf 2 stripped-section.ujsbc
check "build --strip packs stripped bytecode" cmp stripped-section.ujsbc stripped.ujsbc

# ---- inspect ---------------------------------------------------------------
expect 2 "mbpf: inspect: missing package PKG" mbpf inspect
expect 0 "" mbpf inspect --key dev.pub full.mbpf
check "inspect shows the signature" grep -qx "signature: valid (key dev.pub)" out.txt
check "inspect shows the manifest" grep -q "^  program_name  *net_rx_filter$" out.txt
check "inspect shows maps" grep -q "^  map  *blocked_ports: hash, key_size 2" out.txt
check "inspect shows the DEBUG flag" grep -q "^  flags  *0x3 (SIGNED DEBUG)$" out.txt
expect 0 "" mbpf inspect --json --key dev.pub full.mbpf
check "inspect --json fields" python3 -c '
import json
d = json.load(open("out.txt"))
assert d["valid"] is True and d["error"] is None and d["error_code"] == 0
assert d["header"]["magic"] == "MBPF" and d["header"]["format_version"] == 1
assert d["header"]["flag_names"] == ["SIGNED", "DEBUG"]
assert d["header"]["file_crc32_status"] == "ok"
assert [s["type_name"] for s in d["sections"]] == ["MANIFEST", "BYTECODE", "MAPS", "DEBUG", "SIG"]
assert all(s["crc32_status"] == "ok" for s in d["sections"][:4])
assert all(s["offset"] % 8 == 0 for s in d["sections"])
m = d["manifest"]
assert m["program_name"] == "net_rx_filter" and m["hook_type"] == "NET_RX"
assert m["target"] == {"word_size": "any", "endianness": "any"}
assert m["budgets"] == {"max_steps": 10000, "max_helpers": 64, "max_wall_time_us": 500}
assert m["capabilities"] == ["CAP_MAP_READ", "CAP_MAP_WRITE"]
assert [x["name"] for x in m["maps"]] == ["blocked_ports", "stats"]
assert d["signature"] == {"present": True, "status": "valid", "key": "dev.pub"}
'
# The manifest printed by inspect --json packs to the same package.
python3 -c '
import json
json.dump(json.load(open("out.txt"))["manifest"], open("roundtrip.json", "w"))
'
expect 0 "" mbpf pack --manifest roundtrip.json --bytecode prog.bc -o roundtrip.mbpf
check "inspect --json manifest round-trips" cmp -s roundtrip.mbpf unsigned.mbpf

expect 1 "re:mbpf: inspect: tampered.mbpf: container: section 1 \(type 2\): crc32 0x[0-9a-f]+ does not match computed 0x[0-9a-f]+" \
    mbpf inspect --json tampered.mbpf
check "inspect --json of a tampered package" python3 -c '
import json
d = json.load(open("out.txt"))
assert d["valid"] is False and d["error_code"] == -10
assert [s["crc32_status"] for s in d["sections"]] == ["ok", "mismatch", "absent"]
assert d["manifest"]["program_name"] == "net_rx_filter"
assert d["signature"]["status"] == "unchecked"
'
expect 1 "mbpf: inspect: badsig.mbpf: signature: does not verify under any of 1 trusted key" \
    mbpf inspect --key dev.pub badsig.mbpf
check "inspect shows the bad signature" grep -qx "signature: INVALID (does not verify under the 1 key given)" out.txt
expect 1 "mbpf: inspect: notpkg.mbpf: container: file size 5 below the fixed header size 20" \
    mbpf inspect notpkg.mbpf

# --disasm: the engine's disassembly of the BYTECODE section, as ujs prints it.
expect 0 "" mbpf inspect full.mbpf
check "no disassembly without --disasm" sh -c '! grep -q "^disassembly" out.txt'
expect 0 "" mbpf inspect --disasm --key dev.pub full.mbpf
check "inspect --disasm keeps the check" grep -qx "check: ok" out.txt
sed -n '/^disassembly:$/,$p' out.txt | tail -n +2 >disasm.txt
"$UJS" --disasm prog.bc | sed 's/^\(.\)/  \1/' >ujs-disasm.txt
check "inspect --disasm prints what ujs --disasm prints" cmp ujs-disasm.txt disasm.txt
check "the disassembly names the entry function" grep -Eq '^  function [0-9]+ "mbpf_prog": ' disasm.txt
check "the disassembly shows source lines" grep -Eq '^    line [0-9]+:$' disasm.txt
check "the disassembly shows instructions" grep -Eq '^ +[0-9]+  put_global +#[0-9]+ "ETH_HLEN"$' disasm.txt
expect 0 "" mbpf inspect --disasm stripped.mbpf
check "stripped bytecode is shown as such" grep -Eq '^  ujs bytecode version [0-9]+ \(stripped\), ' out.txt
expect 0 "" mbpf inspect --json --disasm full.mbpf
check "inspect --json --disasm" python3 -c '
import json
d = json.load(open("out.txt"))
want = open("ujs-disasm.txt").read()
got = "".join(("  " + l if l.strip() else l) for l in d["disassembly"].splitlines(True))
assert d["valid"] is True and d["disassembly_error"] is None
assert got == want
'
python3 -c '
d = bytearray(open("prog.bc", "rb").read())
d[8:12] = (len(d) + 1).to_bytes(4, "little")  # the header'"'"'s file length
open("badlen.bc", "wb").write(d)
'
# pack runs the verifier: damaged bytecode, source text, or a manifest
# promising another bytecode version are refused, naming the file
expect 1 "re:mbpf: pack: badlen.bc: .*length.* \(--no-verify packs it anyway\)" \
    mbpf pack --manifest prog.json --bytecode badlen.bc -o badlen.mbpf
check "a refused pack wrote nothing" test ! -e badlen.mbpf
expect 1 "re:mbpf: pack: prog.js: .+ \(--no-verify packs it anyway\)" \
    mbpf pack --manifest prog.json --bytecode prog.js -o source.mbpf
python3 -c '
import json
m = json.load(open("prog.json"))
m["bytecode_version"] += 1
json.dump(m, open("nextver.json", "w"))
'
expect 1 "re:mbpf: pack: nextver.json: bytecode_version [0-9]+ differs from the bytecode file's [0-9]+" \
    mbpf pack --manifest nextver.json --bytecode prog.bc -o p.mbpf
# --no-verify stores them anyway, for testing what loaders and inspect do
expect 0 "" mbpf pack --no-verify --manifest prog.json --bytecode badlen.bc -o badlen.mbpf
expect 1 "re:mbpf: inspect: badlen.mbpf: bytecode: .*length.*" mbpf inspect --disasm badlen.mbpf
check "the verifier's verdict is shown" grep -Eqx "disassembly: \(none: bytecode: .*length.*\)" out.txt
expect 0 "" mbpf pack --no-verify --manifest prog.json --bytecode prog.js -o source.mbpf
expect 1 "re:mbpf: inspect: source.mbpf: bytecode: .+" mbpf inspect --disasm source.mbpf
check "inspect --disasm says why there is no disassembly" \
    grep -Eqx "disassembly: \(none: bytecode: .+\)" out.txt
check "the package check itself passed" grep -qx "check: ok" out.txt
expect 1 "re:mbpf: inspect: source.mbpf: bytecode: .+" \
    mbpf inspect --json --disasm source.mbpf
check "inspect --json --disasm of a non-bytecode section" python3 -c '
import json
d = json.load(open("out.txt"))
assert d["valid"] is True and d["disassembly"] is None
assert d["disassembly_error"].startswith("bytecode: ")
'

printf 'cli tests: %d run, %d failed\n' "$tests" "$failures"
[ "$failures" -eq 0 ]
