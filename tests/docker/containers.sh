#!/usr/bin/env bash
# tests/docker/containers.sh - hosts and Docker containers in one lab through
# `fop4 run`: mixed pingall, the container's start command sees its interface
# up, CPU and memory limits in the container's cgroup and changed at run time
# (`update`), a container added and removed at run time, nothing left
# afterwards; an image's own command runs when the node has no cmd; a wrong
# limit and a missing image are refused with clear errors.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
docker version >/dev/null 2>&1 || { skip "$(basename "$0")" "dockerd not running"; exit 77; }
"$FOP4_ROOT/scripts/images.sh" --quiet busybox || { fail images "scripts/images.sh failed"; finish; }

P=dk$(($$ % 100000)) # fop4 run --prefix takes at most 8 characters
ours() { docker ps -aq --filter "label=fop4.prefix=$P"; }
on_exit "ours | xargs -r docker rm -f"
on_exit "timeout 60 $FOP4_BIN/fop4 clean --prefix $P"

cat >"$FOP4_TMP/lab.yml" <<EOF
nodes:
  h1: {kind: host}
  d1:
    kind: docker
    image: fop4/busybox
    cmd: ip -o link >/tmp/links; echo started >/tmp/started; exec sleep 3600
  d2: {kind: docker, image: fop4/busybox, cpus: 0.5, memory: 64m}
  s1: {kind: bridge}
links:
  - [h1, s1]
  - [d1, s1]
  - [d2, s1]
EOF
cat >"$FOP4_TMP/cmds" <<EOF
pingall 5
d1 for i in \$(seq 50); do [ -e /tmp/started ] && break; sleep 0.1; done; cat /tmp/links
d2 cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/memory.max
sh docker ps --filter label=fop4.prefix=$P --format 'running:{{.Names}}'
update d2 cpus=0.25 memory=32m
d2 echo updated; cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/memory.max
adddocker d3 image=fop4/busybox
addlink d3 s1
d3 ping -c1 -W5 h1
delnode d3
pingall 5
EOF
out=$FOP4_TMP/out
timeout 180 "$FOP4_BIN/fop4" run "$FOP4_TMP/lab.yml" --prefix "$P" --batch "$FOP4_TMP/cmds" >"$out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then pass "lab with hosts and containers: batch incl. pingall passes"; else
    fail "lab with hosts and containers: batch incl. pingall passes" "exit $rc, output below"
    sed 's/^/    | /' "$out"
fi
if grep -q 'd1-eth0.*,UP.*LOWER_UP\|d1-eth0.*LOWER_UP' "$out"; then
    pass "start command sees its interface up"
else fail "start command sees its interface up" "$(grep -m3 eth0 "$out")"; fi
if grep -qx '50000\|50000 100000' "$out" && grep -qx 67108864 "$out"; then
    pass "cpus and memory limits in the container's cgroup"
else fail "cpus and memory limits in the container's cgroup" "$(grep -A2 cgroup "$out" | head -3)"; fi
if grep -A2 -x updated "$out" | grep -qx '25000\|25000 100000' && grep -A2 -x updated "$out" | grep -qx 33554432; then
    pass "update changes the limits at run time"
else fail "update changes the limits at run time" "$(grep -A2 -x updated "$out")"; fi
if grep -q "running:$P.d1" "$out" && grep -q "running:$P.d2" "$out"; then
    pass "containers named <prefix>.<node>, found by label"
else fail "containers named <prefix>.<node>, found by label"; fi
if grep -q '1 packets received\|1 received' "$out"; then pass "container added at run time pings"; else
    fail "container added at run time pings" "$(grep -m2 -i 'd3\|error' "$out")"; fi
n=$(ours | wc -l)
if [ "$n" -eq 0 ]; then pass "no container left after exit"; else fail "no container left after exit" "$n left"; fi

# A node without cmd runs its image's own command (once its interface is up).
img=fop4t$$/default:latest
cid=$(docker create --network none fop4/busybox true)
docker commit --change 'CMD ["sh", "-c", "ip -o link >/tmp/dflt; exec sleep 1000"]' \
    "$cid" "$img" >/dev/null
docker rm "$cid" >/dev/null
on_exit "docker rmi $img"
cat >"$FOP4_TMP/dflt.yml" <<EOF
nodes:
  d4: {kind: docker, image: $img}
  s1: {kind: bridge}
links: [[d4, s1]]
EOF
printf 'd4 for i in $(seq 50); do [ -s /tmp/dflt ] && break; sleep 0.1; done; cat /tmp/dflt\n' >"$FOP4_TMP/cmds3"
timeout 120 "$FOP4_BIN/fop4" run "$FOP4_TMP/dflt.yml" --prefix "$P" --batch "$FOP4_TMP/cmds3" >"$out" 2>&1
if grep -q 'd4-eth0.*LOWER_UP' "$out"; then pass "the image's own command runs once the interface is up"; else
    fail "the image's own command runs once the interface is up" "$(tail -5 "$out")"; fi

# A wrong limit: refused with a did-you-mean, the shell goes on.
printf 'update d2 memroy=32m\nd2 echo still-here\n' >"$FOP4_TMP/cmds2"
timeout 120 "$FOP4_BIN/fop4" run "$FOP4_TMP/lab.yml" --prefix "$P" --batch "$FOP4_TMP/cmds2" >"$out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "did you mean 'memory'" "$out" && grep -qx still-here "$out"; then
    pass "update with an unknown key: did-you-mean, shell goes on"
else fail "update with an unknown key: did-you-mean, shell goes on" "exit $rc: $(grep -i 'error\|memroy' "$out" | head -3)"; fi

# A missing image: refused with a clear message before anything is created.
sed 's|image: fop4/busybox$|image: fop4/no-such-image|' "$FOP4_TMP/lab.yml" >"$FOP4_TMP/bad.yml"
timeout 60 "$FOP4_BIN/fop4" run "$FOP4_TMP/bad.yml" --prefix "$P" --test pingall >"$out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "fop4/no-such-image.*not found" "$out" && grep -q "scripts/images.sh" "$out"; then
    pass "missing image refused with a clear error"
else fail "missing image refused with a clear error" "exit $rc: $(head -3 "$out")"; fi
n=$(ours | wc -l)
if [ "$n" -eq 0 ]; then pass "nothing created for a missing image"; else fail "nothing created for a missing image" "$n containers"; fi
finish
