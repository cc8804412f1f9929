#!/usr/bin/env bash
# bench/engine_links.sh - link emulation figures: delay and jitter (ping RTT
# percentiles), loss (2000 probes), rate limit (TCP goodput), and the relay's
# own TCP throughput. Needs root. Uses the engine's test driver (tests/engine/
# drv.c) against libfop4.a.
#
#   bench/engine_links.sh            the path the kernel gets (netem or relay)
#   FOP4_LINKEM=relay bench/engine_links.sh   force the relay
set -eu
cd "$(dirname "$0")/.."
B=${FOP4_BUILD:-build}
[ "$(id -u)" -eq 0 ] || { echo "bench/engine_links.sh: needs root" >&2; exit 1; }
[ -f "$B/lib/libfop4.a" ] || make -s B="$B" "$B/lib/libfop4.a"
T=$(mktemp -d /tmp/fop4-bench.XXXXXX)
P=fop4l$$
trap 'printf "prefix %s\nclean\n" "$P" | "$T/drv" >/dev/null 2>&1; rm -rf "$T"' EXIT
gcc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -Isrc tests/engine/drv.c "$B/lib/libfop4.a" \
    -ljansson -lyaml -lmnl -lcurl -lpthread -lm -o "$T/drv"

path=$(unshare -n tc qdisc add dev lo root netem delay 1ms 2>/dev/null && echo netem || echo relay)
[ -n "${FOP4_LINKEM:-}" ] && path=$FOP4_LINKEM
echo "FOP4-C link emulation, path: $path, $(nproc) cores, kernel $(uname -r)"

# pct: p5 median p95 of the ping RTTs on stdin (first one, with ARP, dropped)
pct() {
    grep -o 'time=[0-9.]*' | cut -d= -f2 | tail -n +2 | sort -n |
        awk '{v[NR]=$1} END {printf "p5 %.2f  median %.2f  p95 %.2f ms (%d pings)", v[int(NR*0.05)+1], v[int((NR+1)/2)], v[int(NR*0.95)], NR}'
}
# net PARAMS CMD...: h1 -- h2 with PARAMS, runs the driver lines. Static ARP:
# with loss, a lost ARP exchange would hold every probe for a second.
net() {
    local params=$1
    shift
    { printf 'prefix %s\nstaticarp\nnode h1 host\nnode h2 host\nlink h1 h2 %s\nstart\n' "$P" "$params"
      printf '%s\n' "$@"; echo stop; } | "$T/drv"
}

echo "delay 10 ms (RTT 20 expected):        $(net delay=10 'exec h1 ping -c 201 -i 0.01 10.0.0.2' | pct)"
echo "delay 10 ms jitter 2 ms (20 +- 4):    $(net 'delay=10 jitter=2' 'exec h1 ping -c 201 -i 0.01 10.0.0.2' | pct)"
out=$(net loss=10 'pingall 1000 1 2000')
read -r sent recv < <(echo "$out" | sed -n 's/.*sent=\([0-9]*\) received=\([0-9]*\).*/\1 \2/p')
awk -v s="$sent" -v r="$recv" 'BEGIN {l=s-r; printf "loss 10%% each way (19%% round trips): %d/%d lost = %.1f%% (99%% interval %.1f..%.1f%%)\n", l, s, 100*l/s, 100*(0.19-2.576*sqrt(0.19*0.81/s)), 100*(0.19+2.576*sqrt(0.19*0.81/s))}'
gp() { awk '/receiver/{for(i=1;i<=NF;i++) if($i=="Mbits/sec") print $(i-1)}'; }
echo "bw 10 Mbit/s, TCP goodput:            $(net bw=10 'exec h2 iperf3 -s -1 -D' 'exec h1 sleep 0.3; iperf3 -c 10.0.0.2 -t 5 -f m' | gp) Mbit/s"
echo "bw 100 Mbit/s, TCP goodput:           $(net bw=100 'exec h2 iperf3 -s -1 -D' 'exec h1 sleep 0.3; iperf3 -c 10.0.0.2 -t 5 -f m' | gp) Mbit/s"
echo "delay 1 ms, no rate limit, TCP:       $(net delay=1 'exec h2 iperf3 -s -1 -D' 'exec h1 sleep 0.3; iperf3 -c 10.0.0.2 -t 5 -f m' | gp) Mbit/s"
echo "plain veth, TCP (reference):          $(net '' 'exec h2 iperf3 -s -1 -D' 'exec h1 sleep 0.3; iperf3 -c 10.0.0.2 -t 5 -f m' | gp) Mbit/s"
