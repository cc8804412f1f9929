#!/usr/bin/env bash
# Hosts and Docker containers in one lab through `fop4 run`: pingall, a
# container's environment, adddocker/addlink/delnode at runtime; no container
# or namespace of the run remains. Skips without dockerd or the fop4/busybox
# image (scripts/images.sh builds it offline).
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
docker info >/dev/null 2>&1 || { skip "$(basename "$0")" "dockerd not reachable"; exit 77; }
if ! docker image inspect fop4/busybox >/dev/null 2>&1; then
    "$FOP4_ROOT/scripts/images.sh" --quiet busybox >/dev/null 2>&1 ||
        { skip "$(basename "$0")" "image fop4/busybox absent"; exit 77; }
fi
P=${TPFX}d
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
lab=$FOP4_ROOT/examples/containers.yml
out=$(timeout 180 "$FOP4_BIN/fop4" run "$lab" --prefix "$P" --test pingall 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "0% dropped (6/6 received)" <<<"$out"; then
    pass "hosts + containers: pingall"
else
    fail "hosts + containers: pingall" "rc=$rc: $out"
fi
cat >"$FOP4_TMP/b.txt" <<'B'
d1 env
adddocker d3 image=fop4/busybox cmd="sleep 1000" memory=32m env=X=1 env=Y=2
addlink d3 s1
d3 ping -c1 -W2 h1
d3 env
delnode d3
B
out=$(timeout 180 "$FOP4_BIN/fop4" run "$lab" --prefix "$P" --batch "$FOP4_TMP/b.txt" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "^ROLE=server" <<<"$out" && grep -q "1 packets received" <<<"$out" &&
    grep -q "^Y=2" <<<"$out"; then
    pass "adddocker/addlink/delnode at runtime"
else
    fail "adddocker/addlink/delnode at runtime" "rc=$rc: $out"
fi
# Limits changed at runtime are visible in the container's cgroup.
cat >"$FOP4_TMP/u.txt" <<'B'
update d2 memory=48m cpus=0.25
d2 cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max
B
out=$(timeout 180 "$FOP4_BIN/fop4" run "$lab" --prefix "$P" --batch "$FOP4_TMP/u.txt" 2>&1)
if grep -q "^50331648$" <<<"$out"; then
    pass "update: memory limit in the container's cgroup"
else
    fail "update: memory limit in the container's cgroup" "$out"
fi
n=$(docker ps -aq --filter "name=^$P\." | wc -l)
m=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && [ "$m" -eq 0 ] && pass "no container or namespace left" ||
    fail "no container or namespace left" "$n containers, $m namespaces"
finish
