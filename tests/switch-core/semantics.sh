#!/usr/bin/env bash
# tests/switch-core/semantics.sh - simple_switch behaviours checked with STF
# tests on small programs (data/<name>.p4, compiled by fop4-p4c into
# data/<name>.json, and data/<name>.stf):
#   setvalid  egress's packet_length counts the bytes of headers made
#             valid / invalid in ingress (BMv2's add_header/remove_header)
#   regexpr   a "register" reference in an expression (hand-written JSON)
. "$(dirname "$0")/../lib.sh"
need_bin fop4-stf
D=$FOP4_ROOT/tests/switch-core/data
for name in setvalid regexpr; do
    out=$("$FOP4_BIN/fop4-stf" "$D/$name.json" "$D/$name.stf" 2>&1)
    if [ $? -eq 0 ]; then pass "semantics: $name"; else fail "semantics: $name" "$out"; fi
done
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
