#!/usr/bin/env bash
# tests/p4/p4info.sh - fop4-p4c's P4Info against p4c's (*.p4.p4info.txtpb) over
# the shared corpus, in two numbers each for compile/ alone (the issue's
# target) and for stf/ + compile/:
#   - byte-identical text;
#   - identical after normalising order (tests/p4/tools/p4info_norm.py: same
#     entities, fields, ids and annotations, in any order) - the issue's
#     definition.
# A program we fail to compile counts as different. Each differing program is
# listed ("differs: ...") with its first differing normalised line. The
# tutorials' sX-runtime.json files are checked against our P4Info of the
# program each names (tools/runtime_names.py: names as p4runtime_lib looks
# them up). Floors only go up: raise them when the counts improve.
. "$(dirname "$0")/../lib.sh"
need_bin fop4-p4c
need_shared corpus/compile
command -v python3 >/dev/null || { skip "$(basename "$0")" "python3 absent"; exit 77; }
P4C=$FOP4_BIN/fop4-p4c
NORM=$(cd "$(dirname "$0")" && pwd)/tools/p4info_norm.py
C=$FOP4_SHARED/corpus
T=$FOP4_TMP
FLOOR_COMPILE_NORM=179 # compile/: identical after normalising order
FLOOR_ALL_NORM=303     # stf/ + compile/: identical after normalising order
FLOOR_ALL_BYTES=303    # stf/ + compile/: byte-identical
FLOOR_TUTORIALS=14     # tutorials' solutions + FOP4's load balancers

declare -A bytes norm total
: >"$T/pairs"
for d in stf compile; do
    bytes[$d]=0 norm[$d]=0 total[$d]=0
    mkdir -p "$T/$d"
    for p in "$C/$d"/*.p4; do
        ref=$p.p4info.txtpb
        [ -f "$ref" ] || continue
        b=$(basename "$p")
        [ "$b" = issue5094-typedef-bmv2.p4 ] && continue # includes a path the corpus lacks
        total[$d]=$((total[$d] + 1))
        out=$T/$d/$b.txtpb
        if ! (cd "$C/$d" && timeout 10 "$P4C" -o "$T/out.json" \
            --p4runtime-files "$out" "$b" >/dev/null 2>&1); then
            echo "differs: $d/$b: not compiled"
            continue
        fi
        cmp -s "$out" "$ref" && bytes[$d]=$((bytes[$d] + 1))
        echo "$d/$b $ref $out" >>"$T/pairs"
    done
done
while read -r verdict name rest; do
    case $verdict in
    same) d=${name%%/*} && norm[$d]=$((norm[$d] + 1)) ;;
    *) echo "differs: $name $rest" ;;
    esac
done < <(python3 "$NORM" --compare <"$T/pairs")
# the tutorials' solutions and FOP4's load balancers: their P4Info files come
# from an older p4c, without initial_default_action
: >"$T/pairs2"
ttotal=0 tsame=0
for p in "$C"/tutorials/exercises/*/solution/*.p4 "$C"/fop4/load_balancer_*/*.p4; do
    ref=${p%.p4}.p4info.txtpb
    [ -f "$ref" ] || continue
    ttotal=$((ttotal + 1))
    n=${p#"$C"/} out=$T/t$ttotal.txtpb
    if (cd "$(dirname "$p")" && timeout 10 "$P4C" -o "$T/out.json" \
        --p4runtime-files "$out" "$(basename "$p")" >/dev/null 2>&1); then
        echo "$n $ref $out" >>"$T/pairs2"
    else
        echo "differs: $n: not compiled"
    fi
done
while read -r verdict name rest; do
    case $verdict in
    same) tsame=$((tsame + 1)) ;;
    *) echo "differs: $name $rest" ;;
    esac
done < <(python3 "$NORM" --compare --ignore initial_default_action <"$T/pairs2")

# the tutorials' sX-runtime.json against our P4Info of the program each names
: >"$T/runtime"
for rj in "$C"/tutorials/exercises/*/*-runtime.json "$C"/tutorials/exercises/*/*/*-runtime.json; do
    [ -f "$rj" ] || continue
    ex=${rj#"$C"/tutorials/exercises/} ex=$C/tutorials/exercises/${ex%%/*}
    prog=$(sed -n 's|.*"p4info": *"\(.*/\)\{0,1\}\([^/"]*\)\.p4info\.txtpb\{0,1\}".*|\2|p' "$rj")
    prog=${prog%.p4}.p4
    src=$ex/solution/$prog
    [ -f "$src" ] || src=$ex/$prog
    [ -f "$src" ] || { echo "differs: $rj: program $prog not found"; continue; }
    out=$T/rt-$(echo "$src" | md5sum | cut -c1-8).txtpb
    [ -f "$out" ] || (cd "$(dirname "$src")" && timeout 10 "$P4C" -o "$T/out.json" \
        --p4runtime-files "$out" "$prog" >/dev/null 2>&1) || continue
    echo "$rj $out" >>"$T/runtime"
done
rt=$(python3 "$(dirname "$NORM")/runtime_names.py" <"$T/runtime")
echo "$rt" | grep -v '^RESULT' | sed 's/^/runtime.json: /'
read -r _ rentries rfiles rproblems < <(echo "$rt" | grep '^RESULT')
if [ "${rfiles:-0}" -ge 30 ] && [ "${rproblems:-1}" -eq 0 ]; then
    pass "tutorials' sX-runtime.json: every table, key, action and parameter of $rentries entries ($rfiles files) is in our P4Info"
else
    fail "tutorials' sX-runtime.json names in our P4Info" "${rentries:-0} entries, ${rfiles:-0} files, ${rproblems:-?} problems"
fi

ab=$((bytes[stf] + bytes[compile])) an=$((norm[stf] + norm[compile]))
at=$((total[stf] + total[compile]))
echo "P4Info compile/: ${bytes[compile]}/${total[compile]} byte-identical, ${norm[compile]}/${total[compile]} identical after normalising order"
echo "P4Info stf/+compile/: $ab/$at byte-identical, $an/$at identical after normalising order"
echo "P4Info tutorials/+fop4/: $tsame/$ttotal identical after normalising order (initial_default_action aside)"
[ $tsame -ge $FLOOR_TUTORIALS ] &&
    pass "P4Info tutorials/+fop4/: $tsame/$ttotal identical to p4c's, order aside (floor $FLOOR_TUTORIALS)" ||
    fail "P4Info tutorials/+fop4/: $tsame/$ttotal identical, order aside" "floor $FLOOR_TUTORIALS"
[ "${norm[compile]}" -ge $FLOOR_COMPILE_NORM ] &&
    pass "P4Info compile/: ${norm[compile]}/${total[compile]} identical to p4c's, order aside (floor $FLOOR_COMPILE_NORM)" ||
    fail "P4Info compile/: ${norm[compile]}/${total[compile]} identical, order aside" "floor $FLOOR_COMPILE_NORM"
[ $an -ge $FLOOR_ALL_NORM ] &&
    pass "P4Info stf/+compile/: $an/$at identical to p4c's, order aside (floor $FLOOR_ALL_NORM)" ||
    fail "P4Info stf/+compile/: $an/$at identical, order aside" "floor $FLOOR_ALL_NORM"
[ $ab -ge $FLOOR_ALL_BYTES ] &&
    pass "P4Info stf/+compile/: $ab/$at byte-identical to p4c's (floor $FLOOR_ALL_BYTES)" ||
    fail "P4Info stf/+compile/: $ab/$at byte-identical" "floor $FLOOR_ALL_BYTES"
finish
