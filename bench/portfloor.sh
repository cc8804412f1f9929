#!/bin/bash
# bench/portfloor.sh - the kernel's share of the switch's CPU per forwarded
# frame: what it costs to push a 60-byte frame through our TX ring into a veth
# whose far end (another namespace) drops it at its ingress hook, exactly as
# bench/switch.sh's host 2 does. No pipeline, no receive: a floor under the
# "us of switch CPU per delivered packet" figure (see bench/portfloor.c and
# docs/switch-internals.md, "Data path I/O").
#
#   bench/portfloor.sh [FRAMES]        (default 300000 per batch size)
#   FOP4_BUILD=build/x bench/portfloor.sh
#
# Needs root (namespaces, AF_PACKET). Names start with fop4pf<pid>.
set -u
cd "$(dirname "$0")/.." || exit 1
if [ "$(id -u)" -ne 0 ]; then echo "bench/portfloor.sh: needs root: skipped"; exit 0; fi
B=${FOP4_BUILD:-build}
N=${1:-300000}
make -s B="$B" "$B/lib/libswitch.a" "$B/lib/liblib.a" || exit 1
P=fop4pf$$
TMP=$(mktemp -d /tmp/fop4-portfloor.XXXXXX)
cleanup() { ip netns del ${P}a 2>/dev/null; ip netns del ${P}b 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
gcc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -Isrc bench/portfloor.c "$B/lib/libswitch.a" \
    "$B/lib/liblib.a" -ljansson -lpcap -lpthread -lm -o "$TMP/portfloor" || exit 1
ip netns add ${P}a && ip netns add ${P}b || exit 1
ip link add ${P}x netns ${P}a type veth peer name ${P}y netns ${P}b || exit 1
for ns in ${P}a ${P}b; do
    ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip netns exec ${P}a ip link set ${P}x up
ip netns exec ${P}b ip link set ${P}y address 00:04:00:00:00:01
ip netns exec ${P}b ip addr add 10.0.1.10/24 dev ${P}y
ip netns exec ${P}b ip link set ${P}y up
ip netns exec ${P}a ethtool --offload ${P}x rx off tx off sg off >/dev/null 2>&1
ip netns exec ${P}b ethtool --offload ${P}y rx off tx off sg off >/dev/null 2>&1
ip netns exec ${P}b nft -f - <<EOF || echo "bench/portfloor.sh: warning: no nft drop rule"
table netdev ${P} {
  chain in {
    type filter hook ingress device "${P}y" priority 0; policy accept;
    meta protocol ip ip protocol udp udp dport 9 drop
  }
}
EOF
sleep 0.5
echo "FOP4-C port TX floor, $(nproc) cpus, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
ip netns exec ${P}a "$TMP/portfloor" ${P}x "$N" 1 8 64 64 8 1
echo "far end received: $(ip netns exec ${P}b cat /sys/class/net/${P}y/statistics/rx_packets) frames"
