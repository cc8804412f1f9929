#!/bin/bash
# BMv2's benchmark program simple_router.json with its stress_test_commands.txt,
# applied unchanged through fop4-switch-cli, forwards between two hosts in
# namespaces over veths (AF_PACKET ports): ping both ways, then a malformed
# command and a bad entry, and forwarding still works.
. "$(dirname "$0")/../lib.sh"
need_root
need_shared corpus/bmv2/mininet/simple_router.json
need_bin fop4-switch
need_bin fop4-switch-cli
C=$FOP4_SHARED/corpus/bmv2/mininet
H1=${TPFX}h1 H2=${TPFX}h2 SW=${TPFX}sw
on_exit "ip netns del $H1; ip netns del $H2; ip netns del $SW"
for ns in $H1 $H2 $SW; do
    ip netns add $ns || { fail "simple_router setup" "ip netns add $ns"; finish; }
    ip netns exec $ns ip link set lo up
done
for n in 1 2; do
    x=$((n - 1))
    h=$H1; [ $n -eq 2 ] && h=$H2
    ip link add ${TPFX}a$n netns $h type veth peer name ${TPFX}b$n netns $SW ||
        { fail "simple_router setup" "veth $n"; finish; }
    ip netns exec $h ip link set ${TPFX}a$n address 00:04:00:00:00:0$x
    ip netns exec $h ip addr add 10.0.$x.10/24 dev ${TPFX}a$n
    ip netns exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec $SW sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec $h ip link set ${TPFX}a$n up
    ip netns exec $SW ip link set ${TPFX}b$n up
    ip netns exec $h ethtool --offload ${TPFX}a$n rx off tx off sg off >/dev/null 2>&1
    ip netns exec $SW ethtool --offload ${TPFX}b$n rx off tx off sg off >/dev/null 2>&1
    ip netns exec $h ip route add default via 10.0.$x.1 dev ${TPFX}a$n
    ip netns exec $h ip neigh replace 10.0.$x.1 lladdr 00:aa:bb:00:00:0$x dev ${TPFX}a$n nud permanent
done
PORT=9090 # inside our own namespace: no clash with other tests
mkdir -p "$FOP4_TMP/pcap"
ip netns exec $SW "$FOP4_BIN/fop4-switch" -i 1@${TPFX}b1 -i 2@${TPFX}b2 --thrift-port $PORT \
    --pcap "$FOP4_TMP/pcap" "$C/simple_router.json" >"$FOP4_TMP/switch.log" 2>&1 &
SWPID=$!
on_exit "kill $SWPID"
if ! wait_for 20 ip netns exec $SW bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT"; then
    fail "simple_router: switch starts" "$(tail -5 "$FOP4_TMP/switch.log")"
    if command -v tcpdump >/dev/null; then
    n_in=$(tcpdump -nr "$FOP4_TMP/pcap/${TPFX}b1_in.pcap" icmp 2>/dev/null | grep -c "echo request")
    n_out=$(tcpdump -nr "$FOP4_TMP/pcap/${TPFX}b2_out.pcap" icmp 2>/dev/null | grep -c "echo request")
    if [ "$n_in" -ge 5 ] && [ "$n_out" -ge 5 ]; then
        pass "simple_router: --pcap dumps read by tcpdump ($n_in requests in on port 1, $n_out out on port 2)"
    else
        fail "simple_router: --pcap dumps" "tcpdump saw $n_in in, $n_out out"
    fi
else
    skip "simple_router: --pcap dumps" "no tcpdump"
fi
finish
fi
pass "simple_router: switch starts"
if ip netns exec $SW "$FOP4_BIN/fop4-switch-cli" --thrift-port $PORT <"$C/stress_test_commands.txt" \
    >"$FOP4_TMP/cli.out" 2>&1 && ! grep -qE "Error|Invalid|Unknown" "$FOP4_TMP/cli.out"; then
    pass "simple_router: stress_test_commands.txt applies unchanged"
else
    fail "simple_router: stress_test_commands.txt applies unchanged" "$(grep -E 'Error|Invalid|Unknown' "$FOP4_TMP/cli.out" | head -3)"
fi
check "simple_router: ping h1 -> h2" ip netns exec $H1 ping -c 3 -i 0.2 -W 2 10.0.1.10
check "simple_router: ping h2 -> h1" ip netns exec $H2 ping -c 3 -i 0.2 -W 2 10.0.0.10
printf 'table_add ipv4_lpm set_nhop 10.0.9.0/33 => 1.2.3.4 1\nbogus_command\ntable_add nosuchtable x 1 =>\n' |
    ip netns exec $SW "$FOP4_BIN/fop4-switch-cli" --thrift-port $PORT >"$FOP4_TMP/bad.out" 2>&1
if grep -q "Invalid match key" "$FOP4_TMP/bad.out" && grep -q "Unknown syntax" "$FOP4_TMP/bad.out" &&
    grep -q "Invalid table name" "$FOP4_TMP/bad.out"; then
    pass "simple_router: bad commands get errors"
else
    fail "simple_router: bad commands get errors" "$(cat "$FOP4_TMP/bad.out" | tail -5)"
fi
check "simple_router: still forwarding after bad commands" ip netns exec $H1 ping -c 2 -i 0.2 -W 2 10.0.1.10
kill -TERM $SWPID
for _ in $(seq 50); do kill -0 $SWPID 2>/dev/null || break; sleep 0.1; done
wait $SWPID
rc=$?
[ $rc -eq 0 ] && pass "simple_router: SIGTERM exits 0" || fail "simple_router: SIGTERM exits 0" "exit $rc"
if command -v tcpdump >/dev/null; then
    n_in=$(tcpdump -nr "$FOP4_TMP/pcap/${TPFX}b1_in.pcap" icmp 2>/dev/null | grep -c "echo request")
    n_out=$(tcpdump -nr "$FOP4_TMP/pcap/${TPFX}b2_out.pcap" icmp 2>/dev/null | grep -c "echo request")
    if [ "$n_in" -ge 5 ] && [ "$n_out" -ge 5 ]; then
        pass "simple_router: --pcap dumps read by tcpdump ($n_in requests in on port 1, $n_out out on port 2)"
    else
        fail "simple_router: --pcap dumps" "tcpdump saw $n_in in, $n_out out"
    fi
else
    skip "simple_router: --pcap dumps" "no tcpdump"
fi
finish
