#!/usr/bin/env bash
# tests/p4/p4info_formats.sh - the three encodings of fop4-p4c's P4Info agree
# with protobuf itself. For each program (tests/p4/programs/fwd.p4, and when
# ../shared is there the tutorials' solutions and stf/ + compile/):
#   - the binary (.bin) is well-formed protobuf (protoc --decode_raw);
#   - decoded with a hand-written schema (tests/p4/tools/p4info_test.proto) it
#     prints exactly our text format (.txtpb): every field number, wire type
#     and value right;
#   - Python's protobuf reads the text, the binary and the JSON (.json) into
#     equal messages, and prints the proto3 JSON mapping exactly as ours
#     (lowerCamelCase names, 64-bit integers as strings, bytes in base64,
#     maps as objects).
. "$(dirname "$0")/../lib.sh"
need_bin fop4-p4c
command -v protoc >/dev/null || { skip "$(basename "$0")" "protoc absent (scripts/deps.sh installs protobuf-compiler)"; exit 77; }
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
$PY -c 'import google.protobuf' 2>/dev/null ||
    { skip "$(basename "$0")" "python3-protobuf absent (scripts/deps.sh installs it)"; exit 77; }
P4C=$FOP4_BIN/fop4-p4c
TOOLS=$(cd "$(dirname "$0")" && pwd)/tools
C=$FOP4_SHARED/corpus
T=$FOP4_TMP

progs=("$FOP4_ROOT/tests/p4/programs/fwd.p4" "$FOP4_ROOT/tests/p4/programs/p4info_doc.p4"
    "$FOP4_ROOT/tests/p4/programs/p4info_ids.p4")
if [ -d "$C" ]; then
    progs+=("$C"/tutorials/exercises/*/solution/*.p4 "$C"/stf/*.p4 "$C"/compile/*.p4)
fi
: >"$T/list"
n=0
for p in "${progs[@]}"; do
    case $p in *-skeleton.p4) continue ;; esac
    n=$((n + 1))
    o=$T/p$n
    (cd "$(dirname "$p")" && timeout 10 "$P4C" -o "$o.json.bmv2" \
        --p4runtime-files "$o.txtpb,$o.bin,$o.json" "$(basename "$p")" >/dev/null 2>&1) ||
        continue
    echo "$p $o" >>"$T/list"
done
total=$(wc -l <"$T/list")
[ "$total" -gt 0 ] || { fail "no program compiled"; finish; }

# @brief/@description: doc fields of the package, preambles, parameters, keys
d=$(grep -F "$FOP4_ROOT/tests/p4/programs/p4info_doc.p4 " "$T/list" | cut -d' ' -f2)
if [ -n "$d" ] && grep -q 'brief: "a test package"' "$d.txtpb" &&
    grep -q 'description: "a longer text"' "$d.txtpb" &&
    grep -q 'brief: "the port"' "$d.txtpb" && grep -q 'brief: "the f field"' "$d.txtpb" &&
    ! grep -q '@brief' "$d.txtpb"; then
    pass "@brief/@description become doc fields"
else
    fail "@brief/@description as doc" "$(cat "$d.txtpb" 2>/dev/null | head -20)"
fi

# @id: as given, with the kind's prefix byte added when missing
d=$(grep -F "$FOP4_ROOT/tests/p4/programs/p4info_ids.p4 " "$T/list" | cut -d' ' -f2)
if [ -n "$d" ] && grep -q 'id: 33554448$' "$d.txtpb" && grep -q 'id: 16777223$' "$d.txtpb" &&
    grep -q 'id: 301989920$' "$d.txtpb" && ! grep -q '@id' "$d.txtpb"; then
    pass "@id sets P4Info ids (prefix byte added)"
else
    fail "@id" "$(grep 'id:' "$d.txtpb" 2>/dev/null | head -5 | tr '\n' ' ')"
fi

raw=0 dec=0
while read -r p o; do
    protoc --decode_raw <"$o.bin" >/dev/null 2>&1 && raw=$((raw + 1)) ||
        echo "decode_raw fails: $p"
    if protoc -I"$TOOLS" --decode=p4.config.v1.P4Info p4info_test.proto \
        <"$o.bin" >"$o.dec" 2>"$o.err" &&
        cmp -s "$o.dec" <(tail -n +4 "$o.txtpb"); then
        dec=$((dec + 1))
    else
        echo "binary differs from text: $p: $(diff "$o.dec" <(tail -n +4 "$o.txtpb") | head -3 | tr '\n' ' ') $(head -c 200 "$o.err")"
    fi
done <"$T/list"
[ $raw -eq "$total" ] && pass "binary P4Info is well-formed protobuf ($raw/$total)" ||
    fail "binary P4Info well-formed: $raw/$total"
[ $dec -eq "$total" ] && pass "binary P4Info decodes to our text format ($dec/$total)" ||
    fail "binary P4Info decodes to our text: $dec/$total"

mkdir -p "$T/py"
protoc -I"$TOOLS" --python_out="$T/py" p4info_test.proto
out=$(PYTHONPATH=$T/py $PY - "$T/list" <<'PY'
import json, sys
from google.protobuf import json_format, text_format
import p4info_test_pb2 as pb

ok = bad = 0
for line in open(sys.argv[1]):
    prog, o = line.split()
    try:
        t = text_format.Parse(open(o + ".txtpb").read(), pb.P4Info())
        b = pb.P4Info()
        b.ParseFromString(open(o + ".bin", "rb").read())
        ours = json.load(open(o + ".json"))
        j = json_format.Parse(json.dumps(ours), pb.P4Info())
        theirs = json.loads(json_format.MessageToJson(t))
        if t == b == j and ours == theirs:
            ok += 1
            continue
        why = "binary" if t != b else "JSON content" if t != j else "JSON mapping"
    except Exception as e:  # a parse error is a failure of ours
        why = str(e)[:200]
    bad += 1
    print("differs: %s: %s" % (prog, why))
print("RESULT %d %d" % (ok, bad))
PY
)
echo "$out" | grep -v '^RESULT'
set -- $(echo "$out" | grep '^RESULT')
[ "${2:-0}" -eq "$total" ] &&
    pass "protobuf reads our text, binary and JSON as one message, JSON as protobuf prints it ($2/$total)" ||
    fail "text/binary/JSON agree: ${2:-0}/$total"
finish
