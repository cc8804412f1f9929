#!/bin/bash
# The switch's notifications socket (BMv2's nanomsg PUB, LEA|/AGE| messages)
# with an independent subscriber (libnanomsg over ctypes, and nanocat): a
# learning program (notify_learn.p4, as fop4-p4c compiles it) on two veths,
# digests buffered and filtered until acked over Thrift, buffer size and
# timeout, ageing of an idle entry, port status (PRT|), no subscriber and a
# malformed peer. NOTIFY_BENCH=1 in the environment adds figures
# (tests/switch/notify_bench.py: digest latency, samples/s, idle CPU).
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4-switch
PY=/usr/bin/python3
$PY -c 'import thrift' 2>/dev/null || { skip "notify" "python3-thrift not installed (scripts/deps.sh)"; exit 77; }
command -v nanocat >/dev/null && [ -e /usr/lib/x86_64-linux-gnu/libnanomsg.so.5 ] ||
    { skip "notify" "nanomsg-utils not installed (scripts/deps.sh)"; exit 77; }
D=$(dirname "$0")
# notify_learn.json is fop4-p4c's output for notify_learn.p4 (regenerate:
# fop4-p4c -o notify_learn.json notify_learn.p4)
J=$D/notify_learn.json
SW=${TPFX}sw
on_exit "ip netns del $SW"
ip netns add $SW || { fail "notify setup" "ip netns add $SW"; finish; }
ip netns exec $SW ip link set lo up
ip netns exec $SW sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for n in 1 2; do
    ip link add ${TPFX}a$n netns $SW type veth peer name ${TPFX}b$n netns $SW ||
        { fail "notify setup" "veth $n"; finish; }
    ip netns exec $SW ip link set ${TPFX}a$n up
    ip netns exec $SW ip link set ${TPFX}b$n up
done
# a spare interface for bm_dev_mgr_add_port
ip link add ${TPFX}x3 netns $SW type veth peer name ${TPFX}y3 netns $SW &&
    ip netns exec $SW ip link set ${TPFX}x3 up && ip netns exec $SW ip link set ${TPFX}y3 up ||
    { fail "notify setup" "veth x3"; finish; }
PORT=9090 # inside our own namespace
# the default address (BMv2's) for a device id of our own
DEV=$((40000 + $$ % 20000))
IPC=/tmp/bmv2-$DEV-notifications.ipc
on_exit "rm -f $IPC"
ip netns exec $SW "$FOP4_BIN/fop4-switch" -i 1@${TPFX}b1 -i 2@${TPFX}b2 \
    --thrift-port $PORT --device-id $DEV "$J" >"$FOP4_TMP/switch.log" 2>&1 &
SWPID=$!
on_exit "kill $SWPID"
wait_for 20 ip netns exec $SW bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" ||
    { fail "notify: switch starts" "$(tail -5 "$FOP4_TMP/switch.log")"; finish; }
[ -n "${NOTIFY_DEBUG:-}" ] && { ip netns exec $SW timeout 60 nanocat --sub --connect "ipc://$IPC" --raw >"$NOTIFY_DEBUG" & }
FOP4_BIN=$FOP4_BIN timeout 120 ip netns exec $SW $PY "$D/notify_drive.py" $PORT "ipc://$IPC" $DEV \
    ${TPFX}a1 ${TPFX}a2 "$IPC" ${TPFX}x3 2>&1
rc=$?
# figures (not checked): NOTIFY_BENCH=1 tests/switch/notify.sh
[ -n "${NOTIFY_BENCH:-}" ] && timeout 120 ip netns exec $SW $PY "$D/notify_bench.py" $PORT \
    "ipc://$IPC" ${TPFX}a1 $SWPID
[ $rc -eq 0 ] || fail "notify: driver" "exit $rc: $(tail -3 "$FOP4_TMP/switch.log")"
kill -0 $SWPID 2>/dev/null && pass "notify: switch alive at the end" ||
    fail "notify: switch alive at the end" "$(tail -5 "$FOP4_TMP/switch.log")"

# an address that cannot be bound is a clear error
out=$(timeout 20 ip netns exec $SW "$FOP4_BIN/fop4-switch" --thrift-port 9091 \
    --notifications-addr "bogus://x" \
    --no-p4 2>&1 </dev/null)
rc=$?
[ $rc -ne 0 ] && grep -q "cannot bind 'bogus://x'" <<<"$out" &&
    pass "notify: an unusable --notifications-addr is an error" ||
    fail "notify: an unusable --notifications-addr is an error" "rc=$rc: $out"
finish
