#!/bin/bash
# The port loop's adaptive coalescing (src/switch/io/portloop.c): a burst of
# frames well above 20,000 per second is forwarded whole while the data-path
# thread wakes far less often than once per frame; afterwards (low load) a ping
# still gets through at once. The same burst with FOP4_COALESCE_US=0 (pacing
# off) is forwarded too. simple_router.json between two namespaces, as
# bench/switch.sh; the burst is UDP to port 9 from a raw socket in h1. Loss is
# only checked loosely (half must arrive): on a machine saturated by other work
# the switch's receive ring can overflow in either mode, and the delivery
# figures belong to bench/switch.sh, not to a test.
. "$(dirname "$0")/../lib.sh"
need_root
need_shared corpus/bmv2/mininet/simple_router.json
need_bin fop4-switch
need_bin fop4-switch-cli
command -v python3 >/dev/null || { skip "io_pace" "no python3"; finish; }
C=$FOP4_SHARED/corpus/bmv2/mininet
H1=${TPFX}h1 H2=${TPFX}h2 SW=${TPFX}sw
on_exit "ip netns del $H1; ip netns del $H2; ip netns del $SW"
for ns in $H1 $H2 $SW; do
    ip netns add $ns || { fail "io_pace setup" "ip netns add $ns"; finish; }
    ip netns exec $ns ip link set lo up
    ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
for n in 1 2; do
    x=$((n - 1))
    h=$H1; [ $n -eq 2 ] && h=$H2
    ip link add ${TPFX}a$n netns $h type veth peer name ${TPFX}b$n netns $SW ||
        { fail "io_pace setup" "veth $n"; finish; }
    ip netns exec $h ip link set ${TPFX}a$n address 00:04:00:00:00:0$x
    ip netns exec $h ip addr add 10.0.$x.10/24 dev ${TPFX}a$n
    ip netns exec $h ip link set ${TPFX}a$n up
    ip netns exec $SW ip link set ${TPFX}b$n up
    ip netns exec $h ip route add default via 10.0.$x.1 dev ${TPFX}a$n
    ip netns exec $h ip neigh replace 10.0.$x.1 lladdr 00:aa:bb:00:00:0$x dev ${TPFX}a$n nud permanent
done
# h2 must not answer the burst (ICMP port unreachable would come back)
ip netns exec $H2 nft -f - 2>/dev/null <<NFT
table netdev ${TPFX}drop {
  chain in {
    type filter hook ingress device "${TPFX}a2" priority 0; policy accept;
    meta protocol ip ip protocol udp udp dport 9 drop
  }
}
NFT

# burst N frames from h1 as fast as a raw socket goes; prints frames/s
cat >"$FOP4_TMP/burst.py" <<'EOF'
import socket, struct, sys, time
n = int(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 46, 0, 0x4000, 64, 17, 0,
                 socket.inet_aton("10.0.0.10"), socket.inet_aton("10.0.1.10"))
c = 0
for i in range(0, 20, 2):
    c += (ip[i] << 8) | ip[i + 1]
while c >> 16:
    c = (c & 0xffff) + (c >> 16)
ip = ip[:10] + struct.pack("!H", ~c & 0xffff) + ip[12:]
f = (bytes.fromhex("00aabb000000") + bytes.fromhex("000400000000") + b"\x08\x00" +
     ip + struct.pack("!HHHH", 5000, 9, 26, 0) + bytes(18))
t0 = time.monotonic()
for _ in range(n):
    while True:
        try:
            s.send(f)
            break
        except BlockingIOError:
            pass
        except OSError:
            time.sleep(0.0005)
print(int(n / (time.monotonic() - t0)))
EOF

PORT=9090 # inside our own namespace
SWPID=
start_switch() { # $1 = FOP4_COALESCE_US value ("" = default)
    if [ -n "$1" ]; then
        ip netns exec $SW env FOP4_COALESCE_US="$1" "$FOP4_BIN/fop4-switch" -i 1@${TPFX}b1 \
            -i 2@${TPFX}b2 --thrift-port $PORT "$C/simple_router.json" >"$FOP4_TMP/switch.log" 2>&1 &
    else
        ip netns exec $SW "$FOP4_BIN/fop4-switch" -i 1@${TPFX}b1 -i 2@${TPFX}b2 \
            --thrift-port $PORT "$C/simple_router.json" >"$FOP4_TMP/switch.log" 2>&1 &
    fi
    SWPID=$!
    on_exit "kill $SWPID 2>/dev/null"
    wait_for 20 ip netns exec $SW bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" || return 1
    ip netns exec $SW "$FOP4_BIN/fop4-switch-cli" --thrift-port $PORT \
        <"$C/stress_test_commands.txt" >/dev/null 2>&1
}
stop_switch() {
    kill -TERM $SWPID 2>/dev/null
    for _ in $(seq 50); do kill -0 $SWPID 2>/dev/null || break; sleep 0.1; done
    kill -KILL $SWPID 2>/dev/null
    wait $SWPID 2>/dev/null
}
rx2() { ip netns exec $H2 cat /sys/class/net/${TPFX}a2/statistics/rx_packets; }
wakeups() { awk '/voluntary_ctxt_switches/ {s += $2} END {print s}' /proc/$SWPID/status; }
N=40000
burst() { # $1 = label; sets DELIVERED, WAKEUPS, RATE
    local r0 w0
    r0=$(rx2) w0=$(wakeups)
    RATE=$(timeout 60 ip netns exec $H1 python3 "$FOP4_TMP/burst.py" ${TPFX}a1 $N)
    sleep 0.5
    DELIVERED=$(($(rx2) - r0)) WAKEUPS=$(($(wakeups) - w0))
    echo "# $1: $N frames at ${RATE:-?}/s from h1: $DELIVERED delivered, $WAKEUPS data-path wake-ups"
}

if ! start_switch ""; then
    fail "io_pace: switch starts" "$(tail -5 "$FOP4_TMP/switch.log")"
    finish
fi
check "io_pace: ping h1 -> h2 before the burst" ip netns exec $H1 ping -c 2 -i 0.2 -W 2 10.0.1.10
burst "paced"
if [ "${RATE:-0}" -lt 25000 ]; then
    skip "io_pace: burst is coalesced" "the generator only reached ${RATE:-?} frames/s (needs > 25000)"
elif [ $((DELIVERED * 100)) -lt $((N * 50)) ]; then
    fail "io_pace: burst is delivered" "$DELIVERED of $N"
elif [ $((WAKEUPS * 8)) -gt "$DELIVERED" ]; then
    fail "io_pace: burst is coalesced" "$WAKEUPS wake-ups for $DELIVERED frames (expected < 1 per 8)"
else
    pass "io_pace: burst delivered ($DELIVERED of $N) with $WAKEUPS wake-ups"
fi
check "io_pace: ping h1 -> h2 after the burst" ip netns exec $H1 ping -c 3 -i 0.2 -W 2 10.0.1.10
stop_switch

if ! start_switch 0; then
    fail "io_pace: switch starts with FOP4_COALESCE_US=0" "$(tail -5 "$FOP4_TMP/switch.log")"
    finish
fi
burst "not paced"
if [ $((DELIVERED * 100)) -ge $((N * 50)) ]; then
    pass "io_pace: FOP4_COALESCE_US=0: burst delivered ($DELIVERED of $N)"
else
    fail "io_pace: FOP4_COALESCE_US=0: burst delivered" "$DELIVERED of $N"
fi
check "io_pace: FOP4_COALESCE_US=0: ping h1 -> h2" ip netns exec $H1 ping -c 2 -i 0.2 -W 2 10.0.1.10
stop_switch
finish
