#!/usr/bin/env bash
# Bad input gets a clear error and leaves nothing behind: bad names and
# parameters, unknown nodes (did you mean), a failed start (unwound).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/engine.lib"
drv_build
P=$TPFX
on_exit "ip netns del $P-h2; printf 'prefix $P\nclean\n' | $DRV"

out=$(drv_run <<EOT
prefix $P
topo tree,2,2
node bad-name host
node h1 host
link h1 s4
link h1 s1 loss=120
link h1 s1 delay=-3
link h1:2 s1
link s1:1 h3
topo mesh,3
set h1 s3 delay=1
EOT
)
expect() { # expect NAME REGEX: the next error line matches
    local line
    line=$(echo "$out" | grep '^error' | sed -n "${3}p")
    echo "$line" | grep -qE "$2" && pass "$1" || fail "$1" "got: $line"
}
expect "bad node name" "node 'bad-name'.*letters, digits" 1
expect "duplicate node" "'h1' already exists" 2
expect "unknown node, did you mean" "no node 's4' \(did you mean 's1'" 3
expect "loss out of range" "loss 120% out of range" 4
expect "negative delay" "delay -3 ms out of range" 5
expect "port on a host" "port numbers are for switches" 6
expect "port already linked" "port 1 of 's1' is already linked" 7
expect "unknown topology" "bad topology 'mesh,3'" 8
expect "no such link" "no link between h1 and s3" 9

# A failed start unwinds: a namespace in the way (h2's) makes start fail with
# a hint, and the namespaces made before are removed again.
ip netns add "$P-h2"
out=$(printf 'prefix %s\ntopo single,4\nstart\n' "$P" | drv_run)
echo "$out" | grep -q "namespace $P-h2 exists.*fop4 clean" && pass "leftover namespace: clear error" ||
    fail "leftover namespace: clear error" "$(echo "$out" | grep error)"
left=$(leftovers "$P" | grep -v "^$P-h2$" || true)
[ -z "$left" ] && pass "failed start leaves nothing" || fail "failed start leaves nothing" "$left"
ip netns list | grep -q "^$P-h2" && pass "foreign namespace untouched" || fail "foreign namespace untouched"
ip netns del "$P-h2"

# Forcing the netem path where the kernel has no netem: start fails with tc's
# own words and unwinds.
if ! unshare -n tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then
    out=$(printf 'prefix %s\nnode h1 host\nnode h2 host\nlink h1 h2 bw=5 delay=10\nstart\n' "$P" |
        FOP4_LINKEM=netem drv_run)
    echo "$out" | grep -qE "error: .*link h1-eth0: tc failed: .+" && pass "netem missing: clear error" ||
        fail "netem missing: clear error" "$(echo "$out" | grep error)"
    [ -z "$(leftovers "$P")" ] && pass "netem missing: nothing left" || fail "netem missing: nothing left"
fi
finish
