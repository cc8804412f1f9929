#!/usr/bin/env bash
# `fop4 run ... --test pingall` on the built-in topologies and the example
# labs: exit status 0, Mininet's report with 0% dropped, nothing left behind.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
P=${TPFX}r
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
leftovers() { ip netns list 2>/dev/null | grep -c "^$P-" ; }

run_case() { # run_case NAME EXPECTED_RECEIVED ARGS...
    local name=$1 want=$2
    shift 2
    local out rc
    out=$(timeout 120 "$FOP4_BIN/fop4" run "$@" --prefix "$P" 2>&1)
    rc=$?
    if [ $rc -ne 0 ]; then
        fail "$name" "exit status $rc: $out"
    elif ! grep -q "^\*\*\* Results: 0% dropped ($want/$want received)" <<<"$out"; then
        fail "$name" "unexpected report: $out"
    elif [ "$(leftovers)" -ne 0 ]; then
        fail "$name" "namespaces left: $(ip netns list 2>/dev/null | grep "^$P-")"
    else
        pass "$name"
    fi
}
run_case "topo minimal" 2 --topo minimal --test pingall
run_case "topo single,4" 12 --topo single,4 --test pingall
run_case "topo linear,4" 12 --topo linear,4 --test pingall
run_case "topo tree,2,2" 12 --topo tree,2,2 --test pingall
run_case "topo tree,2,3 pingallfull" 72 --topo tree,2,3 --test pingallfull
run_case "examples/demo.yml" 12 "$FOP4_ROOT/examples/demo.yml" --test pingall
run_case "examples/router.yml" 6 "$FOP4_ROOT/examples/router.yml" --test pingall
# `fop4 --topo` works as `mn --topo`.
out=$(timeout 120 "$FOP4_BIN/fop4" --topo single,2 --test pingall --prefix "$P" 2>&1)
if [ $? -eq 0 ] && grep -q "0% dropped (2/2" <<<"$out"; then
    pass "fop4 --topo (mn style)"
else
    fail "fop4 --topo (mn style)" "$out"
fi
# --test iperf: TCP between the first two hosts, Mininet's report.
out=$(timeout 120 "$FOP4_BIN/fop4" run --topo single,2 --test iperf --prefix "$P" 2>&1)
if [ $? -eq 0 ] && grep -q "^\*\*\* Results: \['[0-9.]* [KMG]bits/sec', '[0-9.]* [KMG]bits/sec'\]" <<<"$out"; then
    pass "--test iperf"
else
    fail "--test iperf" "$out"
fi
# --ipbase: automatic addresses from another network.
printf 'dump\nh1 ping -c1 -W2 h2\n' >"$FOP4_TMP/ipbase.txt"
out=$(timeout 60 "$FOP4_BIN/fop4" run --topo single,2 --ipbase 192.168.7.0/24 \
    --batch "$FOP4_TMP/ipbase.txt" --prefix "$P" 2>&1)
if [ $? -eq 0 ] && grep -q "h2-eth0:192.168.7.2/24" <<<"$out" &&
    grep -q "from 192.168.7.2" <<<"$out"; then
    pass "--ipbase"
else
    fail "--ipbase" "$out"
fi
# --test none: starts and stops.
out=$(timeout 60 "$FOP4_BIN/fop4" run --topo single,2 --test none --prefix "$P" 2>&1)
if [ $? -eq 0 ] && grep -q "Done" <<<"$out" && [ "$(leftovers)" -eq 0 ]; then
    pass "--test none"
else
    fail "--test none" "$out"
fi
finish
