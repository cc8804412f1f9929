#!/bin/bash
# Every STF test of the corpus with the program compiled by OUR compiler
# (fop4-stf prog.p4 runs fop4-p4c first): the compiler and the switch together.
# Per-test lines "stf pass:/stf fail:/stf error:" are not counted by the runner;
# the test asserts no crash/hang and a pass-count floor (a ratchet: raise it as
# the compiler and the switch improve, never lower it).
. "$(dirname "$0")/../lib.sh"
need_shared corpus/stf
need_bin fop4-stf
need_bin fop4-p4c
FLOOR=${STF_OURS_FLOOR:-110} # 116 of 127 pass with HEAD at 00:50 UTC on Nov 25
D=$FOP4_SHARED/corpus/stf
BIN=$(cd "$FOP4_BIN" && pwd)
export FOP4_P4C=$BIN/fop4-p4c
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=99:print_stacktrace=1}
npass=0 nfail=0 nerr=0 crashes=()
for stf in "$D"/*.stf; do
    name=$(basename "$stf" .stf)
    p4=$D/$name.p4
    [ -f "$p4" ] || continue
    out=$(cd "$D" && timeout 60 "$BIN/fop4-stf" "$p4" "$stf" 2>"$FOP4_TMP/err")
    rc=$?
    case $rc in
    0) npass=$((npass + 1)); echo "stf pass: $name" ;;
    1) nfail=$((nfail + 1)); echo "stf fail: $name: $(echo "$out" | sed -n '1s/^FAIL: [^:]*: //p')" ;;
    2) nerr=$((nerr + 1)); echo "stf error: $name: $(grep -m1 -E 'error|fop4' "$FOP4_TMP/err" | head -c 300)" ;;
    124) crashes+=("$name (hang)"); echo "stf hang: $name" ;;
    *) crashes+=("$name (exit $rc)"); echo "stf crash: $name (exit $rc)"; head -20 "$FOP4_TMP/err" ;;
    esac
done
total=$((npass + nfail + nerr + ${#crashes[@]}))
echo "stf with fop4-p4c: $npass of $total passed ($nfail failed, $nerr did not compile or load, ${#crashes[@]} crashed)"
if [ ${#crashes[@]} -eq 0 ]; then pass "stf with fop4-p4c: no crash"; else fail "stf with fop4-p4c: no crash" "${#crashes[@]} crashed: ${crashes[*]:0:10}"; fi
if [ "$npass" -ge "$FLOOR" ]; then
    pass "stf with fop4-p4c: $npass passed >= floor $FLOOR"
else
    fail "stf with fop4-p4c: pass count" "$npass passed < floor $FLOOR"
fi
finish
