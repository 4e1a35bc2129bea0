#!/bin/sh
# Regenerates tests/fuzz/corpus/package: real packages made with `mbpf`,
# signed with the fuzz harness's fixed key (seed 00 01 .. 1f), plus a few
# broken ones; the examples compiled with the ujs next to mbpf in the build. Usage: tests/fuzz/make_package_corpus.sh path/to/mbpf
set -eu
MBPF=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/tests/fuzz/corpus/package
EX=$ROOT/examples/net_rx_filter
PKGEDIT="python3 $ROOT/tests/tools/pkgedit.py"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"

printf 'mbpf-ed25519-secret-v1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n' >fuzz.key
printf 'mbpf-ed25519-secret-v1 202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\n' >other.key
chmod 600 fuzz.key other.key

cat >min.json <<'JSON'
{"program_name": "m", "program_version": "1", "hook_type": "TIMER", "hook_ctx_abi_version": 1,
 "bytecode_version": 1, "target": {"word_size": 32, "endianness": "little"},
 "mbpf_api_version": 65536, "heap_size": 4096, "budgets": {"max_steps": 1, "max_helpers": 1}}
JSON
printf 'x' >min.bc
python3 -c '
import json
m = json.load(open("'"$EX"'/prog.json"))
json.dump(m.pop("maps"), open("maps.json", "w"))
json.dump(m, open("nomaps.json", "w"))
'
printf 'mbpf_prog 1:0\n' >debug.txt

rm -rf "$OUT"
mkdir -p "$OUT"
# Most packages hold deliberately arbitrary bytes as bytecode (the fuzzers
# with the executor double accept any): --no-verify.
pack() { "$MBPF" pack --no-verify "$@" >/dev/null; }
pack --manifest "$EX/prog.json" --bytecode "$EX/prog.js" -o "$OUT/example-unsigned.mbpf"
pack --manifest "$EX/prog.json" --bytecode "$EX/prog.js" --sign fuzz.key -o "$OUT/example-signed.mbpf"
pack --manifest nomaps.json --bytecode "$EX/prog.js" --maps maps.json --debug debug.txt \
    --sign fuzz.key -o "$OUT/maps-debug-signed.mbpf"
pack --manifest nomaps.json --bytecode min.bc --maps maps.json --debug debug.txt \
    -o "$OUT/maps-debug-unsigned.mbpf"
pack --manifest min.json --bytecode min.bc -o "$OUT/min-unsigned.mbpf"
pack --manifest min.json --bytecode min.bc --sign fuzz.key -o "$OUT/min-signed.mbpf"
pack --manifest min.json --bytecode min.bc --sign other.key -o "$OUT/min-signed-other-key.mbpf"

printf 'future' >future.bin
$PKGEDIT add "$OUT/min-unsigned.mbpf" 9 future.bin "$OUT/unknown-section-unsigned.mbpf"
"$MBPF" sign --key fuzz.key -o "$OUT/unknown-section-signed.mbpf" \
    "$OUT/unknown-section-unsigned.mbpf" >/dev/null

# Real programs: every example compiled, signed and not, so the fuzzers
# with the real engine (fuzz_load_ujs) start from packages that load and run.
UJS=$(dirname "$MBPF")/../ujs/ujs
for ex in "$ROOT"/examples/*/; do
    name=$(basename "$ex")
    "$UJS" -o "$name.ujsbc" "$ex/prog.js"
    pack --manifest "$ex/prog.json" --bytecode "$name.ujsbc" -o "$OUT/real-$name-unsigned.mbpf"
    pack --manifest "$ex/prog.json" --bytecode "$name.ujsbc" --sign fuzz.key \
        -o "$OUT/real-$name-signed.mbpf"
done

# Broken ones: each fails a different check.
cp "$OUT/min-signed.mbpf" "$OUT/broken-bytecode-crc.mbpf"
$PKGEDIT flip "$OUT/broken-bytecode-crc.mbpf" "$($PKGEDIT section "$OUT/min-signed.mbpf" 2 | cut -d' ' -f1)"
cp "$OUT/min-signed.mbpf" "$OUT/broken-signature.mbpf"
$PKGEDIT flip "$OUT/broken-signature.mbpf" $(($(wc -c <"$OUT/min-signed.mbpf") - 1))
head -c 100 "$OUT/min-signed.mbpf" >"$OUT/broken-truncated.mbpf"
cp "$OUT/min-unsigned.mbpf" "$OUT/broken-manifest.mbpf"
$PKGEDIT manifest-byte "$OUT/broken-manifest.mbpf" 0 0x00
cp "$OUT/min-unsigned.mbpf" "$OUT/broken-magic.mbpf"
$PKGEDIT flip "$OUT/broken-magic.mbpf" 0
ls "$OUT"
