#!/bin/bash
# Every p4c STF test of the corpus (stf/<name>.stf with p4c's own
# <name>.p4c.json) on the switch, in-process with fop4-stf. Per-test results are
# printed as "stf pass:/stf fail:" lines (not counted by the runner); the test
# asserts (1) no run crashes, hangs or trips the sanitizers, and (2) the number
# of passing tests is at least the ratchet FLOOR below: raise it as the switch
# improves, never lower it.
. "$(dirname "$0")/../lib.sh"
need_shared corpus/stf
need_bin fop4-stf
FLOOR=${STF_FLOOR:-121} # 122 of 122 pass at HEAD, 00:57 UTC on Nov 25
D=$FOP4_SHARED/corpus/stf
BIN=$(cd "$FOP4_BIN" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=99:print_stacktrace=1}
npass=0 nfail=0 nerr=0 crashes=()
for json in "$D"/*.p4c.json; do
    name=$(basename "$json" .p4c.json)
    stf=$D/$name.stf
    [ -f "$stf" ] || continue
    out=$(cd "$D" && timeout 30 "$BIN/fop4-stf" "$json" "$stf" 2>"$FOP4_TMP/err")
    rc=$?
    case $rc in
    0) npass=$((npass + 1)); echo "stf pass: $name" ;;
    1) nfail=$((nfail + 1)); echo "stf fail: $name: $(echo "$out" | sed -n '1s/^FAIL: [^:]*: //p')" ;;
    2) nerr=$((nerr + 1)); echo "stf error: $name: $(head -c 300 "$FOP4_TMP/err" | head -3)" ;;
    124) crashes+=("$name (hang)"); echo "stf hang: $name" ;;
    *) crashes+=("$name (exit $rc)"); echo "stf crash: $name (exit $rc)"; head -20 "$FOP4_TMP/err" ;;
    esac
done
total=$((npass + nfail + nerr + ${#crashes[@]}))
echo "stf corpus: $npass of $total passed ($nfail failed, $nerr could not run, ${#crashes[@]} crashed)"
if [ ${#crashes[@]} -eq 0 ]; then pass "stf corpus: no crash"; else fail "stf corpus: no crash" "${#crashes[@]} crashed: ${crashes[*]:0:10}"; fi
if [ "$npass" -ge "$FLOOR" ]; then
    pass "stf corpus: $npass passed >= floor $FLOOR"
else
    fail "stf corpus: pass count" "$npass passed < floor $FLOOR"
fi
finish
