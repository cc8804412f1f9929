#!/usr/bin/env bash
# pingall on Mininet's built-in topologies, names and addresses as Mininet
# gives them, named namespaces that `ip netns exec` enters, nothing left after.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/engine.lib"
drv_build
P=$TPFX
on_exit "printf 'prefix $P\nclean\n' | $DRV"

for topo in single,4 linear,5 tree,2,3 tree,3,2; do
    out=$(printf 'prefix %s\ntopo %s\nstart\npingall\nexec h2 hostname\nexec h1 ip -br addr show h1-eth0\nstop\n' "$P" "$topo" | drv_run)
    if echo "$out" | grep -q '^ok pairs=[0-9]* lossy=0 '; then
        pass "pingall $topo"
    else
        fail "pingall $topo" "$(echo "$out" | grep -E 'pairs|error' | head -3)"
    fi
    echo "$out" | grep -qx h2 && pass "hostname $topo" || fail "hostname $topo"
    echo "$out" | grep -q '10.0.0.1/8' && pass "address $topo" || fail "address $topo"
    [ -z "$(leftovers "$P")" ] && pass "nothing left $topo" ||
        fail "nothing left $topo" "$(leftovers "$P")"
done

# static ARP: every host knows every other one's MAC before any traffic
out=$(printf 'prefix %s\nstaticarp\ntopo tree,2,2\nstart\nexec h1 ip neigh show nud permanent\nstop\n' "$P" | drv_run)
n=$(echo "$out" | grep -c 'PERMANENT')
[ "$n" -eq 3 ] && echo "$out" | grep -q '10.0.0.4 dev h1-eth0 lladdr 00:00:00:00:00:04' &&
    pass "static ARP" || fail "static ARP" "$n permanent entries"

# ip netns exec works on our namespaces; static ARP fills the tables.
coproc D { "$DRV"; }
echo "prefix $P" >&"${D[1]}"
echo "topo single,3" >&"${D[1]}"
echo "start" >&"${D[1]}"
read -r -t 20 a <&"${D[0]}"; read -r -t 20 b <&"${D[0]}"
if [ "$b" = ok ] && ip netns exec "$P-h1" ping -c1 -W2 10.0.0.3 >/dev/null; then
    pass "ip netns exec $P-h1 ping h3"
else
    fail "ip netns exec" "$a $b"
fi
echo "quit" >&"${D[1]}"
wait "$D_PID" 2>/dev/null
[ -z "$(leftovers "$P")" ] && pass "nothing left after quit" || fail "nothing left after quit"
finish
