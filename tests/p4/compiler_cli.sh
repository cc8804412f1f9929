#!/usr/bin/env bash
# tests/p4/compiler_cli.sh - fop4-p4c's command line (as p4c-bm2-ss's) and its
# diagnostics: path:line:col: error: with the source line and a caret, exit 1.
. "$(dirname "$0")/../lib.sh"
need_bin fop4-p4c
P4C=$FOP4_BIN/fop4-p4c
P=$FOP4_ROOT/tests/p4/programs
T=$FOP4_TMP

out=$("$P4C" --help) && echo "$out" | grep -q -- '--p4runtime-files' &&
    pass "--help lists the options" || fail "--help"
"$P4C" --version | grep -q '^fop4-p4c ' && pass "--version" || fail "--version"
"$P4C" --bogus x.p4 >/dev/null 2>&1; [ $? -eq 2 ] && pass "unknown option: exit 2" ||
    fail "unknown option: exit 2"
"$P4C" --arch psa x.p4 >/dev/null 2>&1; [ $? -eq 2 ] && pass "--arch psa refused" ||
    fail "--arch psa refused"
err=$("$P4C" "$T/missing.p4" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$err" | grep -q 'missing.p4: error: cannot read' &&
    pass "missing program: clear error" || fail "missing program" "$err"

# the p4c-bm2-ss command line: -o, --p4runtime-files, --p4v 16, --std, -I, -D
cd "$P" || exit 1
if "$P4C" --p4v 16 --std p4-16 --arch v1model --target bmv2 -I "$P" -D FOP4_TEST=1 \
    -o "$T/fwd.json" --p4runtime-files "$T/fwd.p4info.txtpb" fwd.p4; then
    pass "compiles tests/p4/programs/fwd.p4"
else
    fail "compiles tests/p4/programs/fwd.p4"
fi
grep -q '"name": "ingress.fwd"' "$T/fwd.json" && grep -q '"init_state": "start"' "$T/fwd.json" &&
    pass "JSON has the table and the parser" || fail "JSON content"
if cmp -s "$T/fwd.p4info.txtpb" "$P/fwd.p4info.txtpb"; then
    pass "P4Info matches the golden file"
else
    fail "P4Info golden" "$(diff "$T/fwd.p4info.txtpb" "$P/fwd.p4info.txtpb" | head -5)"
fi
# default output name: program.json in the current directory
(cd "$T" && "$P4C" "$P/fwd.p4") && [ -s "$T/fwd.json" ] && pass "default output fwd.json" ||
    fail "default output"
# -D reaches the preprocessor
"$P4C" -o "$T/d.json" -D WITH_COUNTER fwd.p4 && grep -q counter_arrays "$T/d.json" &&
    grep -q '"ingress.hits"' "$T/d.json" && pass "-D NAME reaches cpp" || fail "-D NAME"
"$P4C" -o "$T/x.json" --p4runtime-files "$T/x.p4info.json,$T/x.txt" fwd.p4 &&
    grep -q '"name": "ingress.fwd"' "$T/x.p4info.json" && grep -q '"matchType": "TERNARY"' "$T/x.p4info.json" &&
    cmp -s "$T/x.txt" "$P/fwd.p4info.txtpb" && pass "P4Info as JSON and text in one run" ||
    fail "P4Info as JSON"
# binary P4Info: checked field by field in tests/p4/p4info_formats.sh
"$P4C" -o "$T/x.json" --p4runtime-files "$T/x.bin" fwd.p4 && [ -s "$T/x.bin" ] &&
    grep -q 'ingress.fwd' "$T/x.bin" && pass "P4Info as binary protobuf (.bin)" ||
    fail ".bin P4Info"
out=$("$P4C" -o "$T/x.json" --p4runtime-files "$T/x.xyz" fwd.p4 2>&1)
[ $? -eq 1 ] && grep -q "x.xyz: unknown extension" <<<"$out" && [ ! -e "$T/x.xyz" ] &&
    pass "unknown P4Info extension refused, as p4c" || fail "unknown P4Info extension" "$out"

# warnings: printed with file:line:col, the compilation still succeeds
out=$("$P4C" -o "$T/w.json" -D WITH_UNUSED_TABLE fwd.p4 2>&1)
if [ $? -eq 0 ] && echo "$out" | grep -q 'fwd.p4:[0-9]*:[0-9]*: warning: table spare is never applied' &&
    echo "$out" | grep -q 'warning: 300 does not fit in bit<8>'; then
    pass "warnings for likely mistakes, exit 0"
else
    fail "warnings" "$out"
fi
out=$("$P4C" --Wdisable -o "$T/w.json" -D WITH_UNUSED_TABLE fwd.p4 2>&1)
[ -z "$out" ] && pass "--Wdisable silences warnings" || fail "--Wdisable" "$out"

# warnings: printed with file:line:col, the compilation still succeeds
out=$("$P4C" -o "$T/w.json" -D WITH_UNUSED_TABLE fwd.p4 2>&1)
if [ $? -eq 0 ] && echo "$out" | grep -q 'fwd.p4:[0-9]*:[0-9]*: warning: table spare is never applied' &&
    echo "$out" | grep -q 'warning: 300 does not fit in bit<8>'; then
    pass "warnings for likely mistakes, exit 0"
else
    fail "warnings" "$out"
fi
out=$("$P4C" --Wdisable -o "$T/w.json" -D WITH_UNUSED_TABLE fwd.p4 2>&1)
[ -z "$out" ] && pass "--Wdisable silences warnings" || fail "--Wdisable" "$out"

# diagnostics
check_diag() { # name program expected-regexp
    local name=$1 prog=$2 re=$3 out rc
    out=$("$P4C" -o "$T/e.json" "$prog" 2>&1)
    rc=$?
    if [ $rc -eq 1 ] && echo "$out" | grep -Eq "$re" && echo "$out" | grep -q '^ *\^'; then
        pass "$name"
    else
        fail "$name" "rc=$rc: $(echo "$out" | head -3)"
    fi
}
check_diag "syntax error with caret" bad_syntax.p4 '^bad_syntax.p4:[0-9]+:[0-9]+: error: syntax error'
check_diag "unknown name with did-you-mean" bad_name.p4 "^bad_name.p4:[0-9]+:[0-9]+: error: .*did you mean 'egress_spec'"
check_diag "width mismatch" bad_width.p4 '^bad_width.p4:[0-9]+:[0-9]+: error: cannot assign a bit<16> to a bit<8>'
[ ! -e "$T/e.json" ] && pass "no output file on error" || fail "no output file on error"
finish
