#!/usr/bin/env bash
# A Docker container on a P4 switch: the l2switch example with h2 replaced by
# a container (fop4/busybox, built offline by scripts/images.sh). pingall
# passes and the container's interface has its offloads off too.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_bin fop4-p4c
command -v docker >/dev/null && docker info >/dev/null 2>&1 || { skip "docker on a p4switch" "no dockerd"; exit 77; }
"$FOP4_ROOT/scripts/images.sh" --quiet busybox || { skip "docker on a p4switch" "scripts/images.sh failed"; exit 77; }
P=${TPFX}d
d=$FOP4_TMP/dk
mkdir -p "$d"
cp "$FOP4_ROOT"/examples/p4/l2switch/* "$d/"
export FOP4_P4CACHE=$FOP4_TMP/cache
cat >"$d/lab.yml" <<'YML'
nodes:
  h1: {kind: host, ip: 10.0.0.1/24, mac: "00:00:00:00:00:01"}
  d2: {kind: docker, image: fop4/busybox, ip: 10.0.0.2/24, mac: "00:00:00:00:00:02"}
  h3: {kind: host, ip: 10.0.0.3/24, mac: "00:00:00:00:00:03"}
  s1: {kind: p4switch, p4: l2switch.p4, commands: s1-commands.txt}
links:
  - [h1, s1]
  - [d2, s1]
  - [h3, s1]
YML
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
# the container's interface as the machine sees it, while the lab runs
cat >"$d/dump.txt" <<CMD
dump
sh nsenter --net=/proc/\$(docker inspect -f '{{.State.Pid}}' $P.d2)/ns/net ethtool -k d2-eth0
CMD
out=$(cd "$d" && timeout 120 "$FOP4_BIN/fop4" run lab.yml --prefix "$P" --batch dump.txt \
    --test pingall 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] && grep -q "0% dropped (6/6 received)" <<<"$out" && pass "host, container, host on a P4 switch: pingall" \
    || fail "host, container, host on a P4 switch: pingall" "rc=$rc"
grep -q "^tx-checksumming: off" <<<"$out" && grep -q "^tcp-segmentation-offload: off" <<<"$out" \
    && pass "the container's offloads are off" || fail "the container's offloads are off"
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
finish
