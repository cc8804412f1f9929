#!/usr/bin/env bash
# A BMv2 JSON the switch must refuse gets an error naming the JSON path, never a
# crash: an action reading a parameter it does not have (found by fuzzing).
. "$(dirname "$0")/../lib.sh"
need_bin fop4-stf
json=$FOP4_ROOT/fuzz/corpus/bmv2_json/runtime_data_index_out_of_range.json
: >"$FOP4_TMP/empty.stf"
out=$("$FOP4_BIN/fop4-stf" "$json" "$FOP4_TMP/empty.stf" 2>&1)
rc=$?
if [ $rc -ne 0 ] && [ $rc -lt 128 ] &&
    grep -q "actions\[0\].primitives\[0\].parameters\[1\]: 'runtime_data' index 2 out of range" <<<"$out"; then
    pass "runtime_data index out of range is refused with its JSON path"
else
    fail "runtime_data index out of range" "status $rc: $out"
fi
finish
