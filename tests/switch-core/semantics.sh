#!/usr/bin/env bash
# tests/switch-core/semantics.sh - simple_switch behaviours checked with STF
# tests on small programs (data/<name>.p4, compiled by fop4-p4c into
# data/<name>.json, and data/<name>.stf):
#   setvalid  egress's packet_length counts the bytes of headers made
#             valid / invalid in ingress (BMv2's add_header/remove_header)
#   regexpr   a "register" reference in an expression (hand-written JSON)
#   v6        IPv6 routing: lpm on a 128-bit key, a 128-bit parameter
#   unaligned 100- and 130-bit fields at bit offsets 3 and 103: extracted,
#             matched, computed on, emitted (frames computed with Python)
#   wideops   a header with 128-bit fields copied; crc32 over 128-bit fields
#   logmsg    log_msg prints its values in decimal (signed, 128-bit); a
#             failing assert is logged with its P4 source, the packet goes on
. "$(dirname "$0")/../lib.sh"
need_bin fop4-stf
D=$FOP4_ROOT/tests/switch-core/data
for name in setvalid regexpr v6 unaligned wideops logmsg; do
    out=$("$FOP4_BIN/fop4-stf" "$D/$name.json" "$D/$name.stf" 2>&1)
    if [ $? -eq 0 ]; then pass "semantics: $name"; else fail "semantics: $name" "$out"; fi
done
out=$("$FOP4_BIN/fop4-stf" -v "$D/logmsg.json" "$D/logmsg.stf" 2>&1)
if grep -q "log_msg: a = 5, s = -2, w = 36893488147419103231" <<<"$out" &&
    grep -q "log_msg: plain message" <<<"$out"; then
    pass "semantics: log_msg values in decimal"
else
    fail "semantics: log_msg" "$(grep -i log_msg <<<"$out")"
fi
grep -q "Assert error: assert(hdr.h.a != 5) failed, file .*logmsg.p4, line 1[0-9]" <<<"$out" &&
    pass "semantics: a failing assert is logged with its source" ||
    fail "semantics: assert" "$(grep -i assert <<<"$out")"

# a deparser's primitives run (BMv2's method calls in a deparser)
python3 - "$D/logmsg.json" "$FOP4_TMP/dep.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["deparsers"][0]["primitives"] = [{"op": "log_msg", "parameters": [
    {"type": "string", "value": "deparser: a = {}"},
    {"type": "parameters_vector", "value": [{"type": "field", "value": ["h", "a"]}]}]}]
json.dump(j, open(sys.argv[2], "w"))
PY
out=$("$FOP4_BIN/fop4-stf" -v "$FOP4_TMP/dep.json" "$D/logmsg.stf" 2>&1)
grep -q "log_msg: deparser: a = 5" <<<"$out" && pass "semantics: deparser primitives run" ||
    fail "semantics: deparser primitives" "$(grep -i log_msg <<<"$out")"
# pipelines' action_calls (BMv2 JSON; p4c emits none): a node running an
# action without parameters
python3 - "$D/regexpr.json" "$FOP4_TMP/acall.json" "$FOP4_TMP/acall_bad.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["actions"].append({"name": "set7", "id": 2, "runtime_data": [], "primitives": [
    {"op": "assign", "parameters": [{"type": "field", "value": ["h", "a"]},
                                    {"type": "hexstr", "value": "0x7"}]}]})
ing = j["pipelines"][0]
ing["init_table"] = "ac1"
ing["action_calls"] = [{"name": "ac1", "id": 0, "action_id": 2, "next_node": "t"}]
json.dump(j, open(sys.argv[2], "w"))
ing["action_calls"][0]["action_id"] = 0
json.dump(j, open(sys.argv[3], "w"))
PY
printf 'packet 0 00000005\nexpect 3 00000107 $\n' >"$FOP4_TMP/acall.stf"
out=$("$FOP4_BIN/fop4-stf" "$FOP4_TMP/acall.json" "$FOP4_TMP/acall.stf" 2>&1)
[ $? -eq 0 ] && pass "semantics: action_calls nodes run" || fail "semantics: action_calls" "$out"
out=$("$FOP4_BIN/fop4-stf" "$FOP4_TMP/acall_bad.json" "$FOP4_TMP/acall.stf" 2>&1)
case "$out" in
*"action_calls[0]"*"takes parameters"*) pass "semantics: an action call of an action with parameters is refused" ;;
*) fail "semantics: action call with parameters" "$out" ;;
esac
# P4_14-era arithmetic primitives on a narrow field (32 bits, wrapping)
python3 - "$D/regexpr.json" "$FOP4_TMP/arith.json" >"$FOP4_TMP/arith.stf" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
F = {"type": "field", "value": ["h", "a"]}
def c(v): return {"type": "hexstr", "value": hex(v)}
prims = [("add_to_field", [F, c(0x10)]), ("subtract_from_field", [F, c(1)]),
         ("bit_xor", [F, F, c(0xff)]), ("shift_left", [F, F, c(4)]),
         ("add", [F, F, c(0xffffffff)]), ("bit_or", [F, F, c(0x80000000)]),
         ("subtract", [F, c(3), F])]
act = j["actions"][0]
act["primitives"] = [{"op": o, "parameters": p} for o, p in prims] + act["primitives"][2:]
json.dump(j, open(sys.argv[2], "w"))
M = 0xffffffff
for a in (5, 0xfffffff8):
    r = (a + 0x10) & M
    r = (r - 1) & M
    r ^= 0xff
    r = (r << 4) & M
    r = (r + M) & M
    r |= 0x80000000
    r = (3 - r) & M
    print("packet 0 %08x" % a)
    print("expect 3 %08x $" % r)
PY
out=$("$FOP4_BIN/fop4-stf" "$FOP4_TMP/arith.json" "$FOP4_TMP/arith.stf" 2>&1)
[ $? -eq 0 ] && pass "semantics: add/subtract/bit/shift primitives wrap at the field's width" ||
    fail "semantics: arithmetic primitives" "$out"
# a register reference as a primitive's destination is refused at load
python3 - "$D/regexpr.json" "$FOP4_TMP/regdst.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["actions"][0]["primitives"][1]["parameters"][0] = {
    "type": "register", "value": ["r", {"type": "hexstr", "value": "0x0"}]}
json.dump(j, open(sys.argv[2], "w"))
PY
printf '\n' >"$FOP4_TMP/empty.stf"
out=$("$FOP4_BIN/fop4-stf" "$FOP4_TMP/regdst.json" "$FOP4_TMP/empty.stf" 2>&1)
case "$out" in
*"primitives[1].parameters[0]"*"register_write"*) pass "semantics: a register cell as a destination is refused" ;;
*) fail "semantics: register destination" "$out" ;;
esac
finish
