#!/usr/bin/env bash
# The shell through --batch: Mininet's commands, node commands with name
# substitution, link down/up, runtime add/remove of hosts and links,
# linkparams, errors in batch files, and the exit status that says pass/fail.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
P=${TPFX}b
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
lab=$FOP4_ROOT/examples/demo.yml
batch() { # batch NAME -> runs $FOP4_TMP/NAME.txt, output in $out, status in $rc
    out=$(timeout 120 "$FOP4_BIN/fop4" run "$lab" --prefix "$P" \
        --batch "$FOP4_TMP/$1.txt" 2>&1)
    rc=$?
}
has() { grep -qF -- "$1" <<<"$out"; }

cat >"$FOP4_TMP/show.txt" <<'B'
# comments and blank lines are skipped

nodes
net
links
intfs
dump
ports
h1 ping -c1 -W2 h2
help
B
batch show
if [ $rc -eq 0 ] && has "h1 h2 h3 h4 s1 s2" && has "h1 h1-eth0:s1-eth1" &&
    has "h1-eth0<->s1-eth1 (OK OK)" && has "s1: s1-eth1,s1-eth2,s1-eth3" &&
    has "<host h1: h1-eth0:10.0.0.1" && has "s1: 1:s1-eth1(h1)" &&
    has "1 received" && has "linkparams"; then
    pass "nodes/net/links/intfs/dump/ports/node command"
else
    fail "nodes/net/links/intfs/dump/ports/node command" "rc=$rc: $out"
fi

cat >"$FOP4_TMP/down.txt" <<'B'
link s1 s2 down
h1 ping -c1 -W1 h3
B
batch down
if [ $rc -eq 1 ] && has "100% packet loss"; then
    pass "link down: ping across fails, batch status 1"
else
    fail "link down: ping across fails, batch status 1" "rc=$rc: $out"
fi

cat >"$FOP4_TMP/updown.txt" <<'B'
link s1 s2 down
link s1 s2 up
sh sleep 0.5
h1 ping -c1 -W2 h3
B
batch updown
if [ $rc -eq 0 ] && has "1 received"; then
    pass "link down then up: ping across works"
else
    fail "link down then up: ping across works" "rc=$rc: $out"
fi

cat >"$FOP4_TMP/add.txt" <<'B'
addhost h5 ip=10.0.0.55/8
addlink h5 s2 bw=50
h5 ping -c1 -W2 h1
pingpair h1 h5
linkparams h5 s2 bw=20 max_queue=100
links
dellink h5 s2
delnode h5
nodes
addrouter r9
delnode r9
B
batch add
if [ $rc -eq 0 ] && has "from 10.0.0.1" && has " h1->h5: 1/1" &&
    has "h5-eth0<->s2-eth4 (OK OK) [bw=20Mbit max_queue=100]" &&
    ! grep -q "h5" <<<"$(sed -n '/^fop4> nodes/,/^fop4>/p' <<<"$out" | tail -n +2)"; then
    pass "runtime addhost/addlink/linkparams/dellink/delnode"
else
    fail "runtime addhost/addlink/linkparams/dellink/delnode" "rc=$rc: $out"
fi

cat >"$FOP4_TMP/delay.txt" <<'B'
linkparams h1 s1 delay=10ms
h1 ping -c3 -i0.2 h2
linkparams h1 s1 delay=0
h1 ping -c3 -i0.2 h2
B
batch delay
rtts=$(grep -o 'rtt min/avg/max/mdev = [0-9.]*' <<<"$out" | awk -F'= ' '{print $2}')
first=$(head -1 <<<"$rtts") second=$(tail -1 <<<"$rtts")
if [ $rc -eq 0 ] && [ "$(wc -l <<<"$rtts")" -eq 2 ] &&
    awk -v a="$first" -v b="$second" 'BEGIN { exit !(a >= 19 && b < 5) }'; then
    pass "linkparams delay=10ms then delay=0 (min RTT $first ms, then $second ms)"
else
    fail "linkparams delay=10ms then delay=0" "rc=$rc rtts=$rtts: $out"
fi

cat >"$FOP4_TMP/iperf.txt" <<'B'
iperf h1 h3 1
iperf h1 h3 1
iperfudp 5M h1 h2
B
batch iperf
# Two TCP runs in a row to the same server node: the first server must be
# gone before the second binds (a survivor would report a few Kbit/s).
tcp=$(grep "^\*\*\* Results: \['[0-9.]* Mbits/sec', '[0-9.]* Mbits/sec'\]" <<<"$out" |
    grep -v "'[45]\.[0-9]* Mbits" | sed "s/.*\['\([0-9.]*\) .*, '\([0-9.]*\) .*/\1 \2/")
if [ $rc -eq 0 ] && has "*** Iperf: testing TCP bandwidth between h1 and h3" &&
    [ "$(wc -l <<<"$tcp")" -eq 2 ] &&
    awk '$1 < 20 || $2 < 20 { bad = 1 } END { exit bad }' <<<"$tcp" &&
    grep -q "^\*\*\* Results: \['[45]\.[0-9]* Mbits/sec', '[45]\.[0-9]* Mbits/sec'\]" <<<"$out"; then
    pass "iperf twice in a row (through the 100 Mbit/s link: $(tr '\n' ' ' <<<"$tcp")Mbit/s), iperfudp at 5M"
else
    fail "iperf twice in a row, iperfudp at 5M" "rc=$rc tcp=$tcp: $out"
fi

cat >"$FOP4_TMP/errors.txt" <<'B'
nodes
pingal
h9 ping h1
addhost h1
addhost h6 ipp=1
link s1 s2 sideways
linkparams h1 s1 delay=fast
B
batch errors
if [ $rc -eq 1 ] &&
    has "errors.txt:2:1: error: unknown command or node 'pingal'; did you mean 'pingall'?" &&
    has "errors.txt:3:1: error: unknown command or node 'h9'" &&
    has "a node named 'h1' exists already" &&
    has "addhost: unknown key 'ipp' in host node 'h6'; did you mean 'ip'?" &&
    has "usage: link A B up|down" && has "bad delay 'fast'"; then
    pass "errors in a batch file: path:line, did-you-mean, status 1"
else
    fail "errors in a batch file: path:line, did-you-mean, status 1" "rc=$rc: $out"
fi

cat >"$FOP4_TMP/inner.txt" <<'B'
h1 true
B
printf 'source %s\ntime h2 true\nexit\nh1 false\n' "$FOP4_TMP/inner.txt" >"$FOP4_TMP/outer.txt"
batch outer
if [ $rc -eq 0 ] && has "fop4> h1 true" && has "*** Elapsed time:"; then
    pass "source, time, exit stops the batch"
else
    fail "source, time, exit stops the batch" "rc=$rc: $out"
fi

# Commands on stdin without a terminal (as `echo pingall | fop4 run lab.yml`).
out=$(printf 'pingall\nexit\n' | timeout 60 "$FOP4_BIN/fop4" run "$lab" --prefix "$P" 2>&1)
if has "0% dropped (12/12 received)"; then
    pass "commands from stdin"
else
    fail "commands from stdin" "$out"
fi
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
finish
