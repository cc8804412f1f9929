#!/bin/bash
# An interface deleted under a running switch: the switch says so, shows the
# port DOWN, does not spin on the dead socket, keeps answering, exits 0.
. "$(dirname "$0")/../lib.sh"
need_root
need_shared corpus/bmv2/mininet/simple_router.json
need_bin fop4-switch
need_bin fop4-switch-cli
NS=${TPFX}g
on_exit "ip netns del $NS"
ip netns add $NS && ip netns exec $NS ip link set lo up || { fail "iface gone: setup"; finish; }
ip netns exec $NS ip link add ${TPFX}x0 type veth peer name ${TPFX}x1
ip netns exec $NS ip link set ${TPFX}x0 up
ip netns exec $NS ip link set ${TPFX}x1 up
ip netns exec $NS "$FOP4_BIN/fop4-switch" -i 1@${TPFX}x0 --log-console -L warn --thrift-port 9090 \
    "$FOP4_SHARED/corpus/bmv2/mininet/simple_router.json" >"$FOP4_TMP/switch.log" 2>&1 &
PID=$!
on_exit "kill $PID"
wait_for 20 ip netns exec $NS bash -c "exec 3<>/dev/tcp/127.0.0.1/9090" || { fail "iface gone: switch starts"; finish; }
ip netns exec $NS ip link del ${TPFX}x0
sleep 1
t0=$(awk '{print $14 + $15}' /proc/$PID/stat)
sleep 2
t1=$(awk '{print $14 + $15}' /proc/$PID/stat)
# CPU ticks over 2 s: a spinning loop would take ~200
[ $((t1 - t0)) -lt 50 ] && pass "iface gone: no busy loop ($((t1 - t0)) ticks in 2 s)" || fail "iface gone: busy loop" "$((t1 - t0)) ticks in 2 s"
out=$(echo show_ports | ip netns exec $NS "$FOP4_BIN/fop4-switch-cli" --thrift-port 9090)
grep -q "DOWN" <<<"$out" && pass "iface gone: show_ports says DOWN" || fail "iface gone: show_ports" "$out"
grep -q "is gone" "$FOP4_TMP/switch.log" && pass "iface gone: logged" || fail "iface gone: logged" "$(cat "$FOP4_TMP/switch.log")"
kill -TERM $PID
for _ in $(seq 50); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
wait $PID
rc=$?
[ $rc -eq 0 ] && pass "iface gone: exits 0" || fail "iface gone: exits 0" "exit $rc"
finish
