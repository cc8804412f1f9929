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
out=$("$STF" "$FOP4_TMP/w2049.json" "$FOP4_TMP/empty.stf" 2>&1)
rc=$?
case "$rc:$out" in
2:*header_types*fields*2049*2048*) pass "wide: a 2049-bit field is refused with its JSON path" ;;
*) fail "wide: 2049-bit field refused" "rc=$rc: $out" ;;
esac
finish
