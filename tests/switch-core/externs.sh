#!/usr/bin/env bash
# tests/switch-core/externs.sh - extern instances and extern calls in BMv2
# JSON. data/extern.json (written by hand) declares an instance of an extern
# type and calls a method of it, as p4c --emit-externs writes them. No extern
# type is built in (simple_switch has none either), so: a program that only
# declares instances runs; a method call or an extern function is refused at
# load with the JSON path, the instance, the type and the P4 source.
. "$(dirname "$0")/../lib.sh"
need_bin fop4-stf
D=$FOP4_ROOT/tests/switch-core/data
STF=$FOP4_BIN/fop4-stf
T=$FOP4_TMP
printf 'packet 0 00000001\nexpect 0 00000007\n' >"$T/t.stf"

# expect_refused NAME JSON PATTERN...: loading JSON fails (exit 2) with a
# message matching every PATTERN (grep -E)
expect_refused() {
    local name=$1 json=$2 out rc p
    shift 2
    out=$("$STF" "$json" "$T/t.stf" 2>&1)
    rc=$?
    if [ $rc -ne 2 ]; then fail "$name" "exit $rc, wanted 2: $out"; return; fi
    for p in "$@"; do
        if ! grep -qE -- "$p" <<<"$out"; then fail "$name" "no '$p' in: $out"; return; fi
    done
    pass "$name"
}

# the call replaced by an assignment: the instance alone is accepted
sed 's/"op": "_ExternCounter_increment", .*$/"op": "assign", "parameters": [{"type": "field", "value": ["h", "a"]}, {"type": "hexstr", "value": "0x5"}]},/' \
    "$D/extern.json" >"$T/noext.json"
out=$("$STF" "$T/noext.json" "$T/t.stf" 2>&1)
if [ $? -eq 0 ]; then pass "externs: instances without calls load and run"; else fail "externs: instances only" "$out"; fi

expect_refused "externs: a method call is refused with path, instance, type, source" \
    "$D/extern.json" 'actions\[0\]\.primitives\[0\]' "method 'increment'" \
    "instance 'MyIngress.cnt'" "extern type 'ExternCounter' is not implemented" 'x\.p4:39:9'

sed 's/"op": "_ExternCounter_increment"/"op": "my_extern_func"/' "$D/extern.json" >"$T/func.json"
expect_refused "externs: an extern function is refused as an unknown primitive" \
    "$T/func.json" 'actions\[0\]\.primitives\[0\]' "unknown primitive 'my_extern_func'" 'extern function'

sed 's/"value": "MyIngress.cnt"}/"value": "MyIngress.cnt2"}/' "$D/extern.json" >"$T/noinst.json"
expect_refused "externs: a call on an undeclared instance" \
    "$T/noinst.json" "unknown extern instance 'MyIngress.cnt2'"

sed 's/"type": "hexstr", "value": "0x10"/"type": "float", "value": "0x10"/' "$D/extern.json" >"$T/attr.json"
expect_refused "externs: an attribute of an unknown type" \
    "$T/attr.json" 'extern_instances\[0\]\.attribute_values\[0\]' "'float'"

sed 's/"id": 0, "type": "ExternCounter",/"id": 0, "type": "ExternCounter"}, {"name": "MyIngress.cnt", "id": 1, "type": "ExternCounter",/' \
    "$D/extern.json" >"$T/dup.json"
expect_refused "externs: duplicate instance names" \
    "$T/dup.json" 'extern_instances\[1\]' "duplicate extern instance name"
finish
