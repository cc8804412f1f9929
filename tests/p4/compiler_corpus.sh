#!/usr/bin/env bash
# tests/p4/compiler_corpus.sh - fop4-p4c over the shared corpus:
#   - every program of stf/ and compile/ parses and type-checks (count, floor);
#   - how many compile to BMv2 JSON (count, floor);
#   (P4Info against p4c's: tests/p4/p4info.sh)
#   - every program of errors/ is rejected or accepted WITHOUT a crash (strict:
#     exit status 0 or 1 only, and a rejection prints path:line:col: error:),
#     with a floor on how many are rejected;
#   - the tutorials' solutions and FOP4's programs compile.
# Floors only go up: raise them when the counts improve.
. "$(dirname "$0")/../lib.sh"
need_bin fop4-p4c
need_shared corpus/stf
P4C=$FOP4_BIN/fop4-p4c
C=$FOP4_SHARED/corpus
T=$FOP4_TMP
FLOOR_CHECKED=309   # of 309 (stf + compile), parse + check
FLOOR_COMPILED=308  # to BMv2 JSON
FLOOR_REJECTED=414  # of 414 errors/ programs

run() { # run DIR PROG ARGS... : compiles with cwd=DIR, 10 s limit; sets rc and out
    local d=$1 p=$2
    shift 2
    out=$(cd "$d" && timeout 10 "$P4C" "$@" "$p" 2>&1)
    rc=$?
}

checked=0 compiled=0 total=0 crashes=0
for p in "$C"/stf/*.p4 "$C"/compile/*.p4; do
    case $p in *-skeleton.p4) continue ;; esac
    [ "$(basename "$p")" = issue5094-typedef-bmv2.p4 ] && continue # includes a path the corpus lacks
    total=$((total + 1))
    d=$(dirname "$p") b=$(basename "$p")
    run "$d" "$b" --check-only
    [ $rc -eq 0 ] && checked=$((checked + 1))
    [ $rc -gt 1 ] && { crashes=$((crashes + 1)); echo "crash ($rc): $p"; }
    run "$d" "$b" -o "$T/out.json" --p4runtime-files "$T/out.txtpb"
    [ $rc -gt 1 ] && { crashes=$((crashes + 1)); echo "crash ($rc): $p"; }
    [ $rc -eq 0 ] && compiled=$((compiled + 1))
done
echo "corpus: $checked/$total checked, $compiled/$total compiled"
[ $checked -ge $FLOOR_CHECKED ] && pass "stf+compile: $checked/$total parse and check (floor $FLOOR_CHECKED)" ||
    fail "stf+compile: $checked/$total parse and check" "floor $FLOOR_CHECKED"
[ $compiled -ge $FLOOR_COMPILED ] && pass "stf+compile: $compiled/$total compile to BMv2 JSON (floor $FLOOR_COMPILED)" ||
    fail "stf+compile: $compiled/$total compile" "floor $FLOOR_COMPILED"

rejected=0 etotal=0 nodiag=0
for p in "$C"/errors/*.p4; do
    etotal=$((etotal + 1))
    run "$C/errors" "$(basename "$p")" -o "$T/err.json"
    if [ $rc -eq 1 ]; then
        rejected=$((rejected + 1))
        echo "$out" | grep -Eq '(^|/)[^ :]+:[0-9]+(:[0-9]+)?: (error|fatal error):' ||
            { nodiag=$((nodiag + 1)); echo "no diagnostic: $p"; }
    elif [ $rc -ne 0 ]; then
        crashes=$((crashes + 1))
        echo "crash or hang ($rc): $p"
    fi
done
echo "errors/: $rejected/$etotal rejected"
[ $crashes -eq 0 ] && pass "no crash or hang on $((total * 2 + etotal)) compilations" ||
    fail "crashes or hangs: $crashes"
[ $nodiag -eq 0 ] && pass "every rejection has a file:line: error: diagnostic" ||
    fail "rejections without a diagnostic: $nodiag"
[ $rejected -ge $FLOOR_REJECTED ] && pass "errors/: $rejected/$etotal rejected (floor $FLOOR_REJECTED)" ||
    fail "errors/: $rejected/$etotal rejected" "floor $FLOOR_REJECTED"

# the tutorials' solutions and FOP4's programs
for p in "$C"/tutorials/exercises/*/solution/*.p4 "$C"/fop4/load_balancer_*/*.p4 \
    "$C"/fop4/eINT/p4src/int.p4; do
    [ -f "$p" ] || continue
    n=${p#"$C"/}
    run "$(dirname "$p")" "$(basename "$p")" -o "$T/t.json" --p4runtime-files "$T/t.txtpb"
    if [ $rc -eq 0 ]; then pass "compiles $n"; else fail "compiles $n" "$(echo "$out" | head -2)"; fi
done
finish
