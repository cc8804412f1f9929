#!/usr/bin/env bash
# tests/switch-core/wide.sh - fields and expressions wider than 128 bits.
#
# data/wide.json is data/wide.p4 compiled by fop4-p4c, with the masks of its
# 256- and 200-bit expressions corrected by hand (the compiler wrote 128-bit
# masks at the time) and the parser's select value widened to 256 bits (it
# had no literals over 128 bits). data/wide.stf (expected frames computed
# with Python's integers) sends 256-bit values through a parser select, an
# exact table, a ternary+lpm table, action parameters, + - ^ >> << * / unary
# minus, signed and unsigned comparisons, and a 256-bit register.
. "$(dirname "$0")/../lib.sh"
need_bin fop4-stf
D=$FOP4_ROOT/tests/switch-core/data
STF=$FOP4_BIN/fop4-stf

out=$("$STF" "$D/wide.json" "$D/wide.stf" 2>&1)
if [ $? -eq 0 ]; then pass "wide: 256-bit fields, keys, params, expressions"; else fail "wide: 256-bit STF" "$out"; fi

# the widest field p4c accepts (2048 bits) loads; one bit more is refused
# with the JSON path of the field
printf '\n' >"$FOP4_TMP/empty.stf"
sed 's/\["a", 256, false\]/["a", 2048, false]/' "$D/wide.json" >"$FOP4_TMP/w2048.json"
sed 's/\["a", 256, false\]/["a", 2049, false]/' "$D/wide.json" >"$FOP4_TMP/w2049.json"
grep -q '2048' "$FOP4_TMP/w2048.json" || fail "wide: test setup" "no field a in wide.json"
out=$("$STF" "$FOP4_TMP/w2048.json" "$FOP4_TMP/empty.stf" 2>&1)
if [ $? -eq 0 ]; then pass "wide: a 2048-bit field loads"; else fail "wide: 2048-bit field" "$out"; fi
# and computes: field a of 2048 bits through the parser, >> and << (every
# word of a value), ^ + and the masks
python3 - >"$FOP4_TMP/w2048.stf" <<'PY'
import random
random.seed(11)
M256, M200 = (1 << 256) - 1, (1 << 200) - 1
def h(v, bits): return format(v & ((1 << bits) - 1), "0%dx" % (bits // 4))
def pkt(a, b, c, s, op):
    return ("000000000002" "000000000001" "88b5" + h(a, 2048) + h(b, 256) +
            h(c, 200) + h(s, 256) + h(op, 8))
for _ in range(3):
    a, b, s = random.getrandbits(2048), random.getrandbits(256), random.getrandbits(255)
    rb = ((a ^ b) + (a >> 130)) & M256
    rc = ((a << 3) & M256) & M200
    print("packet 0 " + pkt(a, b, 0, s, 3))
    print("expect 3 " + pkt(a, rb, rc, (s - 1) & M256, 3) + "$")
PY
out=$("$STF" "$FOP4_TMP/w2048.json" "$FOP4_TMP/w2048.stf" 2>&1)
if [ $? -eq 0 ]; then pass "wide: a 2048-bit field parsed, computed on, emitted"; else fail "wide: 2048-bit arithmetic" "$out"; fi
# a narrow value shifted far into a wide field: b = op << 200, no mask
# (an expression computes on the words its operands and constant shifts need)
python3 - "$D/wide.json" "$FOP4_TMP/shl.json" >"$FOP4_TMP/shl.stf" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
act = [a for a in j["actions"] if a["name"] == "I.act"][0]
act["primitives"][0]["parameters"][1] = {"type": "expression", "value": {
    "op": "<<", "left": {"type": "field", "value": ["big", "op"]},
    "right": {"type": "hexstr", "value": "0xc8"}}}
json.dump(j, open(sys.argv[2], "w"))
M256, M200 = (1 << 256) - 1, (1 << 200) - 1
def h(v, bits): return format(v & ((1 << bits) - 1), "0%dx" % (bits // 4))
def pkt(a, b, c, s, op):
    return ("000000000002" "000000000001" "88b5" + h(a, 256) + h(b, 256) +
            h(c, 200) + h(s, 256) + h(op, 8))
a = (0xAB << 240) | 0x1234
print("packet 0 " + pkt(a, 0, 0, 5, 3))
print("expect 3 " + pkt(a, 3 << 200, ((a << 3) & M256) & M200, 4, 3) + "$")
PY
out=$("$STF" "$FOP4_TMP/shl.json" "$FOP4_TMP/shl.stf" 2>&1)
if [ $? -eq 0 ]; then pass "wide: a narrow value shifted left into a wide field"; else fail "wide: shift into a wide field" "$out"; fi
out=$("$STF" "$FOP4_TMP/w2049.json" "$FOP4_TMP/empty.stf" 2>&1)
rc=$?
case "$rc:$out" in
2:*header_types*fields*2049*2048*) pass "wide: a 2049-bit field is refused with its JSON path" ;;
*) fail "wide: 2049-bit field refused" "rc=$rc: $out" ;;
esac
finish
