#!/usr/bin/env bash
# Link emulation accuracy: delay, jitter, loss (statistical bounds), bandwidth,
# parameters changed at runtime, link down/up. Runs the relay path (no netem)
# always, and the netem path too where the kernel has netem.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/engine.lib"
drv_build
P=$TPFX
on_exit "printf 'prefix $P\nclean\n' | $DRV"

paths=relay
unshare -n tc qdisc add dev lo root netem delay 1ms 2>/dev/null && paths="relay netem"

# rtts: the "time=X ms" values of ping output on stdin, first one dropped (ARP)
rtts() { grep -o 'time=[0-9.]*' | cut -d= -f2 | tail -n +2; }

for path in $paths; do
    export FOP4_LINKEM=$path
    out=$(drv_run <<EOT
prefix $P
node h1 host
node h2 host
node h3 host
node s1 bridge
link h1 s1 delay=10
link h2 s1
link h3 s1 jitter=3 delay=10
start
exec h1 ping -c 61 -i 0.02 10.0.0.2
exec h3 ping -c 81 -i 0.02 10.0.0.2
set h1 s1 delay=0
exec h1 ping -c 11 -i 0.02 10.0.0.2
set h1 s1 delay=5
exec h1 ping -c 31 -i 0.02 10.0.0.2
down h1 s1
exec h1 ping -c 1 -W 1 10.0.0.2
up h1 s1
exec h1 ping -c 3 -i 0.2 -W 1 10.0.0.2
stop
EOT
)
    # exec outputs, one file each: ping1, ping2, ... (each ends at "ok status=")
    echo "$out" | awk -v d="$FOP4_TMP" 'BEGIN{n=1} /^ok status=/{n++; next} /^(ok|error)/{next} {print > (d "/ping" n)}'
    touch "$FOP4_TMP"/ping{1,2,3,4,5,6}
    med=$(rtts <"$FOP4_TMP/ping1" | median)
    awk -v m="$med" 'BEGIN{exit !(m >= 19 && m <= 21)}' &&
        pass "$path: delay 10 ms -> RTT median $med ms" ||
        fail "$path: delay 10 ms -> RTT median $med ms" "want 20 +- 1"
    # delay 10 +- 3 one way on h3's link only: RTT within 20 +- 6 (5th..95th
    # percentile, so that one late ARP exchange does not count), and spread
    read -r jmin jmax jsd < <(rtts <"$FOP4_TMP/ping2" | sort -n | awk '{v[NR]=$1; s+=$1; q+=$1*$1} END{m=s/NR; print v[int(NR*0.05)+1], v[int(NR*0.95)], sqrt(q/NR-m*m)}')
    awk -v a="$jmin" -v b="$jmax" -v sd="$jsd" 'BEGIN{exit !(a >= 13.5 && b <= 26.5 && sd > 1)}' &&
        pass "$path: jitter 3 ms -> RTT p5..p95 $jmin..$jmax ms, sd $jsd" ||
        fail "$path: jitter 3 ms -> RTT p5..p95 $jmin..$jmax ms, sd $jsd" "want within 14..26, sd > 1"
    med=$(rtts <"$FOP4_TMP/ping3" | median)
    awk -v m="$med" 'BEGIN{exit !(m < 1)}' && pass "$path: delay removed at runtime ($med ms)" ||
        fail "$path: delay removed at runtime" "median $med ms"
    med=$(rtts <"$FOP4_TMP/ping4" | median)
    awk -v m="$med" 'BEGIN{exit !(m >= 9 && m <= 11)}' && pass "$path: delay 5 ms set at runtime ($med ms)" ||
        fail "$path: delay 5 ms set at runtime" "median $med ms"
    grep -qE ' 0 received|unreachable' "$FOP4_TMP/ping5" && pass "$path: link down stops traffic" ||
        fail "$path: link down stops traffic"
    grep -q ' 3 received' "$FOP4_TMP/ping6" && pass "$path: link up again" ||
        fail "$path: link up again" "$(grep received "$FOP4_TMP/ping6")"

    # Loss 10 % each way: a probe survives with 0.81; 2000 probes. Static
    # ARP: a lost ARP exchange would hold every probe for a second.
    out=$(drv_run <<EOT
prefix $P
staticarp
node h1 host
node h2 host
link h1 h2 loss=10
start
pingall 1000 1 2000
stop
EOT
)
    read -r sent recv < <(echo "$out" | sed -n 's/.*sent=\([0-9]*\) received=\([0-9]*\).*/\1 \2/p')
    if awk -v n="${sent:-0}" -v r="${recv:-0}" 'BEGIN{p=0.19; l=n-r; d=2.576*sqrt(n*p*(1-p)); exit !(n==2000 && l>=n*p-d && l<=n*p+d)}'; then
        pass "$path: loss 10% each way -> $((sent - recv))/$sent probes lost (99% interval of 19%)"
    else
        fail "$path: loss 10%" "sent=$sent received=$recv, want 380 +- 45 lost"
    fi

    # Bandwidth: TCP goodput through a 10 Mbit/s link.
    out=$(drv_run <<EOT
prefix $P
node h1 host
node h2 host
link h1 h2 bw=10
start
exec h2 iperf3 -s -1 -D
exec h1 sleep 0.3; iperf3 -c 10.0.0.2 -t 4 -f m
stop
EOT
)
    bw=$(echo "$out" | awk '/receiver/{for(i=1;i<=NF;i++) if($i=="Mbits/sec") print $(i-1)}')
    awk -v b="${bw:-0}" 'BEGIN{exit !(b >= 9 && b <= 10)}' &&
        pass "$path: bw 10 Mbit/s -> TCP goodput $bw Mbit/s" ||
        fail "$path: bw 10 Mbit/s -> TCP goodput ${bw:-?} Mbit/s" "want 9..10"
done
unset FOP4_LINKEM
[ -z "$(leftovers "$P")" ] && pass "nothing left" || fail "nothing left" "$(leftovers "$P")"
finish
