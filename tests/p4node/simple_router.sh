#!/usr/bin/env bash
# BMv2's simple_router.json with its stress_test_commands.txt (applied unchanged
# through `commands:`) between two hosts, as BMv2's 1sw_demo wires them: h1
# 10.0.0.10 on port 1, h2 10.0.1.10 on port 2, each with a static ARP entry for
# its gateway (the switch's port MAC). Checks: ping both ways, TTL decremented
# by the switch, the hosts' offloads are off (tx checksum, TSO), the switch
# answers `p4 s1 ...` on its control port, pcap: and log_level: work, and
# nothing is left behind.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_shared corpus/bmv2/mininet/simple_router.json
src=$FOP4_SHARED/corpus/bmv2/mininet
P=${TPFX}r
d=$FOP4_TMP/router
mkdir -p "$d"
cp "$src/simple_router.json" "$src/stress_test_commands.txt" "$d/"
mkdir -p "$d/pcaps"
cat >"$d/lab.yml" <<'YML'
nodes:
  h1: {kind: host, defaultroute: via 10.0.0.1, exec: "ip neigh replace 10.0.0.1 lladdr 00:aa:bb:00:00:00 dev h1-eth0"}
  h2: {kind: host, defaultroute: via 10.0.1.1, exec: "ip neigh replace 10.0.1.1 lladdr 00:aa:bb:00:00:01 dev h2-eth0"}
  s1: {kind: p4switch, json: simple_router.json, commands: stress_test_commands.txt, pcap: pcaps, log_level: debug}
links:
  - endpoints: [{node: h1, ip: 10.0.0.10/24, mac: "00:04:00:00:00:00"}, s1]
  - endpoints: [{node: h2, ip: 10.0.1.10/24, mac: "00:04:00:00:00:01"}, s1]
YML
cat >"$d/cmds.txt" <<'CMD'
h1 ping -c1 -W2 10.0.1.10
h2 ping -c1 -W2 10.0.0.10
h1 ping -c1 -W2 -t 64 10.0.1.10
h1 ethtool -k h1-eth0
h2 ethtool -k h2-eth0
p4 s1 table_dump ipv4_lpm
CMD
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
out=$(timeout 120 "$FOP4_BIN/fop4" run "$d/lab.yml" --prefix "$P" --batch "$d/cmds.txt" \
    --test pingall 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] && pass "batch and pingall through simple_router" \
    || fail "batch and pingall through simple_router" "rc=$rc"
grep -q "0% dropped (2/2 received)" <<<"$out" && pass "pingall 2/2" || fail "pingall 2/2"
grep -q "ttl=63" <<<"$out" && pass "TTL decremented by the switch" \
    || fail "TTL decremented by the switch"
n=$(grep -c "^tx-checksumming: off" <<<"$out")
[ "$n" -eq 2 ] && pass "hosts' tx checksum offload off" || fail "hosts' tx checksum offload off" "$n of 2"
n=$(grep -c "^tcp-segmentation-offload: off" <<<"$out")
[ "$n" -eq 2 ] && pass "hosts' TSO off" || fail "hosts' TSO off" "$n of 2"
grep -q "10.0.1.10" <<<"$out" && grep -qi "set_nhop" <<<"$out" && pass "p4 s1 table_dump" \
    || fail "p4 s1 table_dump"
n=$(tcpdump -n -r "$d/pcaps/s1-eth2_out.pcap" 2>/dev/null | grep -c "10.0.0.10 > 10.0.1.10: ICMP echo request")
[ "$n" -ge 3 ] && pass "pcap: the switch's per-port capture" || fail "pcap: the switch's per-port capture" "$n requests"
on_exit "rm -f /tmp/$P-s1.log"
grep -q "ipv4_lpm" "/tmp/$P-s1.log" 2>/dev/null && pass "log_level: debug trace kept in /tmp/P-s1.log" \
    || fail "log_level: debug trace kept in /tmp/P-s1.log"
[ ! -e "/run/fop4/$P" ] && pass "stop removes /run/fop4/P" ||
    fail "stop removes /run/fop4/P" "$(ls -R /run/fop4/$P 2>&1)"
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
pgrep -f -- "--thrift-port.*$d" >/dev/null && fail "switch process ended" || pass "switch process ended"
finish
