#!/bin/bash
# FOP4's eINT scenario (fop4/eINT/int.json with commands_INT_s1..s4.txt applied
# unchanged; topology in fop4/NOTES.md) built with plain namespaces and veths:
# hosts h1, h2, h3 (collector); s1 INT source, s2/s3 transit, s4 sink; the two
# VNFs are plain wires here (tc mirred from their first to their second
# interface). UDP h1 -> h2 must arrive and s4 must send telemetry reports to h3.
. "$(dirname "$0")/../lib.sh"
need_root
need_shared corpus/fop4/eINT/int.json
need_bin fop4-switch
need_bin fop4-switch-cli
E=$FOP4_SHARED/corpus/fop4/eINT
P=$TPFX
NSS="h1 h2 h3 v1 v2 s1 s2 s3 s4"
for n in $NSS; do on_exit "ip netns del $P$n"; done
for n in $NSS; do
    ip netns add $P$n || { fail "eint setup" "ip netns add $P$n"; finish; }
    ip netns exec $P$n ip link set lo up
    ip netns exec $P$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec $P$n sysctl -qw net.ipv6.conf.default.disable_ipv6=1
done
nport=()
declare -A nextp=([s1]=1 [s2]=1 [s3]=1 [s4]=1)
declare -A ifs # switch -> "-i N@if ..."
# end NODE: prints the interface name for NODE's next link end (switch ports
# numbered in link order)
link() { # link A B [A_IF] [B_IF]
    local a=$1 b=$2 ia ib
    ia=$(endname "$a" "${3:-}") ib=$(endname "$b" "${4:-}")
    ip link add "$ia" netns "$P$a" type veth peer name "$ib" netns "$P$b" ||
        { fail "eint setup" "veth $a-$b"; finish; }
    for x in "$a:$ia" "$b:$ib"; do
        local n=${x%%:*} i=${x#*:}
        ip netns exec "$P$n" ip link set "$i" up
        ip netns exec "$P$n" ethtool --offload "$i" rx off tx off sg off >/dev/null 2>&1
        case $n in s*) ifs[$n]="${ifs[$n]:-} -i ${nextp[$n]}@$i"; nextp[$n]=$((nextp[$n] + 1)) ;; esac
    done
}
endname() { # endname NODE [FIXED]
    if [ -n "$2" ]; then echo "$P$2"; return; fi
    case $1 in s*) echo "$P${1}${nextp[$1]}" ;; esac
}
link h1 s1 h1
link s1 s2
link s2 s3
link s2 v1 "" va0
link s2 v1 "" va1
link s3 s4
link s3 v2 "" vb0
link s3 v2 "" vb1
link h2 s4 h2
link s4 h3 "" h3
host() { # host NAME IP MAC
    ip netns exec $P$1 ip link set $P$1 address $3
    ip netns exec $P$1 ip addr add $2/24 dev $P$1
}
host h1 10.0.0.1 00:00:00:00:00:01
host h2 10.0.0.2 00:00:00:00:00:02
host h3 10.0.0.254 00:00:00:00:00:ff
for h in h1 h2 h3; do
    ip netns exec $P$h ip neigh replace 10.0.0.1 lladdr 00:00:00:00:00:01 dev $P$h nud permanent
    ip netns exec $P$h ip neigh replace 10.0.0.2 lladdr 00:00:00:00:00:02 dev $P$h nud permanent
    ip netns exec $P$h ip neigh replace 10.0.0.254 lladdr 00:00:00:00:00:ff dev $P$h nud permanent
done
# the VNFs as wires: everything entering the first interface leaves by the second
for v in "v1 va0 va1" "v2 vb0 vb1"; do
    set -- $v
    ip netns exec $P$1 tc qdisc add dev $P$2 clsact
    ip netns exec $P$1 tc filter add dev $P$2 ingress protocol all u32 match u32 0 0 action mirred egress redirect dev $P$3 ||
        { fail "eint setup" "tc mirred in $1"; finish; }
done
for s in s1 s2 s3 s4; do
    # shellcheck disable=SC2086
    ip netns exec $P$s "$FOP4_BIN/fop4-switch" ${ifs[$s]} --thrift-port 9090 "$E/int.json" \
        >"$FOP4_TMP/$s.log" 2>&1 &
    on_exit "kill $!"
done
for s in s1 s2 s3 s4; do
    if ! wait_for 20 ip netns exec $P$s bash -c "exec 3<>/dev/tcp/127.0.0.1/9090"; then
        fail "eint: switch $s starts" "$(tail -3 "$FOP4_TMP/$s.log")"
        finish
    fi
    n=${s#s}
    ip netns exec $P$s "$FOP4_BIN/fop4-switch-cli" --thrift-port 9090 <"$E/commands_INT_s$n.txt" \
        >"$FOP4_TMP/$s.cli" 2>&1 || fail "eint: commands_INT_$s.txt" "CLI exited non-zero"
done
pass "eint: four switches configured with commands_INT_s1..s4.txt"
# receivers: h2 counts UDP datagrams on 5001, h3 counts IPv4 frames (reports)
ip netns exec ${P}h2 timeout 15 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.0.0.2", 5001)); s.settimeout(10)
n = 0
try:
    while True:
        d, a = s.recvfrom(4096); n += 1
        if n >= 3: break
except socket.timeout:
    pass
print(n)' >"$FOP4_TMP/h2.count" 2>&1 &
R2=$!
ip netns exec ${P}h3 timeout 15 python3 -c '
import socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800)); s.bind(("'${P}h3'", 0)); s.settimeout(1)
n, end = 0, time.time() + 10
while time.time() < end and n < 3:
    try:
        f = s.recv(65535)
        if f[12:14] == b"\x08\x00": n += 1
    except socket.timeout:
        pass
print(n)' >"$FOP4_TMP/h3.count" 2>&1 &
R3=$!
sleep 1
ip netns exec ${P}h1 timeout 10 python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5):
    s.sendto(bytes(1200), ("10.0.0.2", 5001)); time.sleep(0.2)'
wait $R2 $R3
got2=$(tail -1 "$FOP4_TMP/h2.count")
got3=$(tail -1 "$FOP4_TMP/h3.count")
if [ "${got2:-0}" -ge 1 ] 2>/dev/null; then
    pass "eint: UDP h1 -> h2 arrives through s1..s4 and both VNF wires ($got2 datagrams)"
else
    fail "eint: UDP h1 -> h2 arrives" "h2 received ${got2:-nothing}"
fi
if [ "${got3:-0}" -ge 1 ] 2>/dev/null; then
    pass "eint: s4 sends telemetry reports to h3 ($got3 frames)"
else
    fail "eint: s4 sends telemetry reports to h3" "h3 received ${got3:-nothing}"
fi
if grep -q "Error" "$FOP4_TMP/s4.cli"; then
    pass "eint: the malformed line of commands_INT_s4.txt gets an error, the switch goes on"
else
    fail "eint: malformed command line" "no error printed for 'table_add egress.'"
fi
finish
