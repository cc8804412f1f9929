#!/usr/bin/env bash
# fop4 doctor (net_doctor): kernel features tried for real, and the link
# emulation path that matches what the kernel has.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
out=$("$FOP4_BIN/fop4" doctor 2>&1)
for f in netns veth bridge htb netem docker cgroup neighbour; do
    echo "$out" | grep -q "^$f " && pass "doctor reports $f" || fail "doctor reports $f"
done
echo "$out" | grep -qE '^(veth|bridge|htb) +yes' && pass "doctor finds veth, bridge, htb" ||
    fail "doctor finds veth, bridge, htb" "$out"
if unshare -n tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then
    echo "$out" | grep -q 'delay/jitter/loss: netem' && pass "doctor: netem path" || fail "doctor: netem path"
else
    echo "$out" | grep -q 'delay/jitter/loss: engine relay' && pass "doctor: relay path (no netem)" ||
        fail "doctor: relay path (no netem)"
fi
# dockerd's version, asked through the engine's client (as `docker version`)
if want=$(docker version --format '{{.Server.Version}}' 2>/dev/null) && [ -n "$want" ]; then
    echo "$out" | grep -qF "docker        dockerd $want on " && pass "doctor: dockerd version $want" ||
        fail "doctor: dockerd version" "want $want: $(grep '^docker' <<<"$out")"
else
    skip "doctor: dockerd version" "dockerd not running"
fi
o2=$(DOCKER_HOST=unix://$FOP4_TMP/none.sock "$FOP4_BIN/fop4" doctor 2>&1)
echo "$o2" | grep -q "^docker  *not reachable on $FOP4_TMP/none.sock: " &&
    pass "doctor: unreachable dockerd says why" ||
    fail "doctor: unreachable dockerd says why" "$(grep '^docker' <<<"$o2")"
finish
