#!/usr/bin/env bash
# examples/p4/l2switch: a P4 program of our own compiled by fop4-p4c when the
# lab starts (p4:), through the content-hash cache. Checks: pingall; the
# second start compiles nothing; an edit of an #included file compiles again;
# defines: reach the compiler and the cache key;
# a link added at run time becomes a switch port (port_add) that forwards,
# and its removal a port_remove; `fop4 check` compiles the program; a program
# that does not compile stops `fop4 check` and the start with the compiler's
# file:line:col diagnostics after the topology's line; nothing is left behind.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_bin fop4-p4c
P=${TPFX}l
d=$FOP4_TMP/l2
mkdir -p "$d"
cp "$FOP4_ROOT"/examples/p4/l2switch/* "$d/"
export FOP4_P4CACHE=$FOP4_TMP/cache
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
njson() { ls "$FOP4_P4CACHE"/*.json 2>/dev/null | wc -l; }

out=$(timeout 120 "$FOP4_BIN/fop4" run "$d/lab.yml" --prefix "$P" --test pingall 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] && grep -q "0% dropped (6/6 received)" <<<"$out" && pass "l2switch.p4 compiled at start, pingall" \
    || fail "l2switch.p4 compiled at start, pingall" "rc=$rc"
[ "$(njson)" -eq 1 ] && [ -f "$(ls "$FOP4_P4CACHE"/*.json | sed 's/json$/p4info.txtpb/')" ] \
    && pass "one cache entry with its P4Info" || fail "one cache entry with its P4Info" "$(ls "$FOP4_P4CACHE")"
before=$(stat -c %Y "$FOP4_P4CACHE"/*.json)

# second start: the cache answers (the entry is not rewritten)
sleep 1
out=$(timeout 120 "$FOP4_BIN/fop4" run "$d/lab.yml" --prefix "$P" --test pingall 2>&1)
[ $? -eq 0 ] && [ "$(njson)" -eq 1 ] && [ "$(stat -c %Y "$FOP4_P4CACHE"/*.json)" = "$before" ] \
    && pass "second start uses the cache" || fail "second start uses the cache" "$(ls -l "$FOP4_P4CACHE")"

# an edit of the included file compiles again
sed -i 's/#define MAX_PORTS 64/#define MAX_PORTS 100/' "$d/headers.p4"
cat >"$d/cmds.txt" <<'CMD'
addhost h4 ip=10.0.0.4/24 mac=00:00:00:00:00:04
addlink h4 s1
p4 s1 table_add dmac forward 00:00:00:00:00:04 => 4
p4 s1 mc_node_update 0 1 2 3 4
p4 s1 show_ports
h4 ping -c1 -W2 10.0.0.1
h4 ethtool -k h4-eth0
dellink h4 s1
p4 s1 show_ports
CMD
out=$(timeout 120 "$FOP4_BIN/fop4" run "$d/lab.yml" --prefix "$P" --batch "$d/cmds.txt" 2>&1)
rc=$?
echo "$out"
[ "$(njson)" -eq 2 ] && pass "an include edit compiles again" || fail "an include edit compiles again" "$(njson) entries"
[ $rc -eq 0 ] && grep -q "1 received" <<<"$out" && pass "runtime link: port_add, h4 reaches h1" \
    || fail "runtime link: port_add, h4 reaches h1" "rc=$rc"
grep -q "^tx-checksumming: off" <<<"$out" && pass "runtime link: h4's offloads off" \
    || fail "runtime link: h4's offloads off"
after=$(sed -n '/^fop4> dellink h4 s1/,$p' <<<"$out")
grep -q "s1-eth3" <<<"$after" && ! grep -q "s1-eth4" <<<"$after" && pass "runtime link removed: port_remove" \
    || fail "runtime link removed: port_remove"

# defines: are passed to the compiler and are part of the cache key
sed 's/s1: {kind: p4switch, p4: l2switch.p4,/s1: {kind: p4switch, p4: l2switch.p4, defines: [MAX_PORTS=200],/' \
    "$d/lab.yml" >"$d/lab-def.yml"
printf 'p4 s1 counter_read L2Ingress.rx_frames 150\n' >"$d/cmds2.txt"
out=$(timeout 120 "$FOP4_BIN/fop4" run "$d/lab-def.yml" --prefix "$P" --batch "$d/cmds2.txt" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] && [ "$(njson)" -eq 3 ] && grep -q "rx_frames\[150\]" <<<"$out" \
    && pass "defines: compiled with -D, cached apart" || fail "defines: compiled with -D, cached apart" "rc=$rc $(njson) entries"
out=$(sed 's/MAX_PORTS=200/2BAD/' "$d/lab-def.yml" >"$d/lab-bad.yml"; timeout 60 "$FOP4_BIN/fop4" run "$d/lab-bad.yml" --prefix "$P" --test pingall 2>&1)
[ $? -ne 0 ] && grep -q "bad define '2BAD'" <<<"$out" && pass "a bad define is refused" || fail "a bad define is refused" "$out"

# a program that does not compile
out=$("$FOP4_BIN/fop4" check "$d/lab.yml" 2>&1)
[ $? -eq 0 ] && grep -q "ok" <<<"$out" && pass "fop4 check compiles the program: ok" \
    || fail "fop4 check compiles the program: ok" "$out"
sed -i 's/smeta.egress_spec = port;/smeta.egress_spec = prot;/' "$d/l2switch.p4"
out=$("$FOP4_BIN/fop4" check "$d/lab.yml" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 2 ] && grep -q "lab.yml:[0-9]*:[0-9]*: error: p4switch 's1'.*does not compile" <<<"$out" \
    && grep -q "l2switch.p4:[0-9]*:[0-9]*: error" <<<"$out" \
    && pass "fop4 check reports the compile error" || fail "fop4 check reports the compile error" "rc=$rc"
out=$(timeout 120 "$FOP4_BIN/fop4" run "$d/lab.yml" --prefix "$P" --test pingall 2>&1)
rc=$?
echo "$out"
[ $rc -ne 0 ] && grep -q "lab.yml:[0-9]*:[0-9]*: error: p4switch 's1'.*does not compile" <<<"$out" \
    && ! grep -q "Starting network" <<<"$out" \
    && grep -q "l2switch.p4:[0-9]*:[0-9]*: error" <<<"$out" && grep -q "prot" <<<"$out" \
    && pass "compile error: topology line, then the compiler's file:line:col, nothing started" \
    || fail "compile error: topology line, then the compiler's file:line:col, nothing started" "rc=$rc"
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
finish
