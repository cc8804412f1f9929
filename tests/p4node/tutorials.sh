#!/usr/bin/env bash
# More of the p4lang tutorials' solutions (p4c's reference JSON) on their own
# topology.json + sX-runtime.json, with pingall: their runtime files use
# lpm, exact-as-[value], ternary and default entries, and multicast groups.
# (basic itself is tests/e2e/fop4_tutorials.sh.) The multicast exercise runs
# on a copy whose host commands are dropped: they add a route that already
# exists, which the engine refuses (see docs/p4switch.md). Each exercise runs
# twice: with p4c's JSON (--json) and with the solution's .p4 compiled by
# fop4-p4c at start (--p4).
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_shared corpus/tutorials/exercises
ex=$FOP4_SHARED/corpus/tutorials/exercises
P=${TPFX}u
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
run_ex() { # run_ex DIR TOPOLOGY JSON EXPECTED: with the JSON, then its .p4
    local dir=$1 topo=$2 json=$3 want=$4 out rc how
    for how in json p4; do
        local prog=$json
        if [ $how = p4 ]; then
            prog=${json%.p4c.json}.p4
            [ -x "$FOP4_BIN/fop4-p4c" ] && [ -f "$dir/$prog" ] ||
                { skip "$(basename "$dir") pingall (p4)" "no fop4-p4c or .p4"; continue; }
        fi
        out=$(cd "$dir" && timeout 120 "$FOP4_BIN/fop4" run "$topo" --$how "$prog" --prefix "$P" \
            --test pingall 2>&1)
        rc=$?
        if [ $rc -eq 0 ] && grep -q "0% dropped ($want received)" <<<"$out"; then
            pass "$(basename "$dir") pingall ($how)"
        else
            echo "$out"
            fail "$(basename "$dir") pingall ($how)" "rc=$rc"
        fi
    done
}
for e in basic_tunnel ecn firewall link_monitor mri qos; do
    [ -f "$ex/$e/solution/$e.p4c.json" ] || { skip "$e pingall" "absent"; continue; }
    t=topology.json
    [ -f "$ex/$e/$t" ] || t=pod-topo/topology.json
    n=$(python3 -c "import json,sys; h=len(json.load(open(sys.argv[1]))['hosts']); print(h*(h-1))" "$ex/$e/$t")
    run_ex "$ex/$e" "$t" "solution/$e.p4c.json" "$n/$n"
done
if [ -f "$ex/multicast/solution/multicast.p4c.json" ]; then
    cp -r "$ex/multicast" "$FOP4_TMP/multicast"
    python3 - "$FOP4_TMP/multicast/sig-topo/topology.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
for h in t["hosts"].values():
    h.pop("commands", None)
json.dump(t, open(sys.argv[1], "w"), indent=1)
PY
    run_ex "$FOP4_TMP/multicast" sig-topo/topology.json solution/multicast.p4c.json 12/12
fi
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
finish
