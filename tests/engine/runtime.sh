#!/usr/bin/env bash
# Runtime changes on a running network: add and remove hosts, routers and
# links; pingall stays clean; removed nodes leave nothing behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/engine.lib"
drv_build
P=$TPFX
on_exit "printf 'prefix $P\nclean\n' | $DRV"

out=$(drv_run <<EOT
prefix $P
topo single,2
start
pingall
node h3 host
link h3 s1
pingall
node s2 bridge
node h4 host
link s2 s1
link h4 s2
pingall
dellink h3 s1
pingall
delnode h3
delnode s2
pingall
exec h1 ls /run/netns
node r1 router ip=10.1.0.1/24
node h5 host ip=10.2.0.5/24 route=via 10.2.0.1
link h1 r1
exec h1 ip addr add 10.1.0.2/24 dev h1-eth1 && ip route add 10.2.0.0/24 via 10.1.0.1
exec r1 ip addr add 10.2.0.1/24 dev r1-eth1 2>&1 || true
link r1 h5
exec r1 ip addr add 10.2.0.1/24 dev r1-eth1
exec h1 ping -c1 -W2 10.2.0.5
stop
EOT
)
echo "$out" | grep -E '^(ok pairs|error)' >"$FOP4_TMP/res"
mapfile -t res <"$FOP4_TMP/res"
names=("pingall at start" "add host at runtime" "add switch and host at runtime"
       "delete link at runtime" "delete nodes at runtime")
for i in 0 1 2 3 4; do
    case "${res[$i]:-}" in
    "ok pairs="*" lossy=0 "*) pass "${names[$i]}" ;;
    *) fail "${names[$i]}" "${res[$i]:-no answer}" ;;
    esac
done
echo "${res[3]:-}" | grep -q 'pairs=6 ' && pass "h3 out of pingall after dellink" || fail "h3 out of pingall" "${res[3]:-}"
ls_out=$(echo "$out" | grep "^$P-" || true)
echo "$ls_out" | grep -q "^$P-h3$" && fail "deleted node's namespace removed" || pass "deleted node's namespace removed"
echo "$out" | grep -q '1 received' && pass "router added at runtime forwards" ||
    fail "router added at runtime forwards" "$(echo "$out" | tail -5)"
[ -z "$(leftovers "$P")" ] && pass "nothing left" || fail "nothing left" "$(leftovers "$P")"
finish
