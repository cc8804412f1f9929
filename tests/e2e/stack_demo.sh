#!/usr/bin/env bash
# The lab ./setup.sh runs (examples/stack.yml): hosts, a Docker container and a
# P4 switch compiled from P4 at start. pingall passes, the emulated link adds its
# delay, the switch answers on its control port, nothing is left behind.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
docker version >/dev/null 2>&1 || { skip stack_demo "dockerd not running"; exit 77; }
"$FOP4_ROOT/scripts/images.sh" --quiet busybox || { fail "image fop4/busybox"; finish; }
P=${TPFX}s
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
export FOP4_P4CACHE=$FOP4_TMP/p4cache
batch=$FOP4_TMP/batch.txt
cat >"$batch" <<'CMDS'
pingall
h1 ping -c 3 -i 0.2 h2
p4 s1 table_num_entries dmac
d1 cat /proc/net/dev
CMDS
out=$(timeout 180 "$FOP4_BIN/fop4" run "$FOP4_ROOT/examples/stack.yml" --prefix "$P" \
    --batch "$batch" 2>&1)
rc=$?
[ $rc -eq 0 ] && pass "stack lab runs its batch" || fail "stack lab runs its batch" "status $rc: $out"
grep -q '^\*\*\* Results: 0% dropped (6/6 received)' <<<"$out" &&
    pass "pingall over host, container and P4 switch" || fail "pingall" "$out"
rtt=$(sed -n 's|.*min/avg/max[^=]*= \([0-9.]*\)/\([0-9.]*\)/.*|\2|p' <<<"$out" | head -1)
awk -v r="${rtt:-0}" 'BEGIN { exit !(r >= 9.5 && r < 40) }' &&
    pass "5 ms each way shows as ~10 ms RTT (got $rtt)" || fail "emulated delay" "RTT avg '$rtt'"
grep -qx '3' <<<"$out" && pass "switch table has the 3 entries" ||
    fail "switch table" "$out"
grep -q 'd1-eth0\|eth0' <<<"$out" && pass "container has its interface" || fail "container intf" "$out"
[ "$(ip netns list 2>/dev/null | grep -c "^$P")" -eq 0 ] && pass "nothing left" ||
    fail "nothing left" "$(ip netns list | grep "^$P")"
finish
