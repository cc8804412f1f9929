#!/bin/bash
# BMv2's Thrift RPC on the switch's control port, driven by an independent
# client (python3-thrift, tests/switch/thrift_drive.py): a small L2 program
# (thrift_l2.p4, as fop4-p4c compiles it) on three hosts in namespaces; entries,
# counters, registers, multicast with a LAG, mirroring, errors with BMv2's
# exception codes, malformed messages, config swap, serialize_state and
# reset_state, with packets checked after each step.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4-switch
need_bin fop4-switch-cli
PY=/usr/bin/python3
$PY -c 'import thrift' 2>/dev/null || { skip "thrift" "python3-thrift not installed (scripts/deps.sh)"; exit 77; }
D=$(dirname "$0")
# thrift_l2.json is fop4-p4c's output for thrift_l2.p4, kept so that this test
# does not depend on the compiler (regenerate: fop4-p4c -o thrift_l2.json thrift_l2.p4)
J=$D/thrift_l2.json
SW=${TPFX}sw
NS=()
on_exit "ip netns del $SW"
ip netns add $SW || { fail "thrift setup" "ip netns add $SW"; finish; }
ip netns exec $SW ip link set lo up
ip netns exec $SW sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for n in 1 2 3; do
    h=${TPFX}h$n
    NS+=("$h")
    on_exit "ip netns del $h"
    ip netns add $h || { fail "thrift setup" "ip netns add $h"; finish; }
    ip netns exec $h sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip link add ${TPFX}a$n netns $h type veth peer name ${TPFX}b$n netns $SW ||
        { fail "thrift setup" "veth $n"; finish; }
    ip netns exec $h ip link set ${TPFX}a$n address 00:00:00:00:00:0$n
    ip netns exec $h ip addr add 10.0.0.$n/24 dev ${TPFX}a$n
    ip netns exec $h ip link set ${TPFX}a$n up
    ip netns exec $SW ip link set ${TPFX}b$n up
    for m in 1 2 3; do
        [ $m -ne $n ] && ip netns exec $h ip neigh replace 10.0.0.$m lladdr 00:00:00:00:00:0$m \
            dev ${TPFX}a$n nud permanent
    done
done
# a spare interface for bm_dev_mgr_add_port
ip link add ${TPFX}x4 netns $SW type veth peer name ${TPFX}y4 netns $SW &&
    ip netns exec $SW ip link set ${TPFX}x4 up && ip netns exec $SW ip link set ${TPFX}y4 up ||
    { fail "thrift setup" "veth x4"; finish; }
PORT=9090 # inside our own namespace
ip netns exec $SW "$FOP4_BIN/fop4-switch" -i 1@${TPFX}b1 -i 2@${TPFX}b2 -i 3@${TPFX}b3 \
    --thrift-port $PORT "$J" >"$FOP4_TMP/switch.log" 2>&1 &
SWPID=$!
on_exit "kill $SWPID"
wait_for 20 ip netns exec $SW bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" ||
    { fail "thrift: switch starts" "$(tail -5 "$FOP4_TMP/switch.log")"; finish; }
timeout 120 ip netns exec $SW $PY "$D/thrift_drive.py" $PORT "$FOP4_BIN" $SW "${NS[@]}" "$J" ${TPFX}x4 2>&1
rc=$?
[ $rc -eq 0 ] || fail "thrift: driver" "exit $rc: $(tail -3 "$FOP4_TMP/switch.log")"
kill -0 $SWPID 2>/dev/null && pass "thrift: switch alive at the end" ||
    fail "thrift: switch alive at the end" "$(tail -5 "$FOP4_TMP/switch.log")"
finish
