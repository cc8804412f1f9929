#!/usr/bin/env bash
# FOP4's eINT scenario as a lab: four P4 switches run int.json with FOP4's
# commands_INT_s1..s4.txt applied unchanged (s4's file holds a truncated line:
# it must come back as a path:line warning, the rest applied), topology and
# addresses of fop4/NOTES.md, plain hosts in place of the VNF containers (v1
# and v2 pass frames from their first interface to their second with a tc
# mirred redirect). UDP from h1 to h2 must arrive at h2 without INT, and s4
# (INT sink) must send telemetry reports to the collector h3 once its report
# table names the collector. Runs twice: with p4c's int.json (json:) and with
# int.p4 compiled by fop4-p4c at start (p4:).
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_shared corpus/fop4/eINT/int.json
src=$FOP4_SHARED/corpus/fop4/eINT
P=${TPFX}i
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
for how in json p4; do
    prog="json: int.json"
    if [ $how = p4 ]; then
        prog="p4: p4src/int.p4, defines: [TARGET_BMV2]" # as int.json was built
        [ -x "$FOP4_BIN/fop4-p4c" ] || { skip "eINT ($how)" "fop4-p4c not built"; continue; }
    fi
    d=$FOP4_TMP/eint-$how
    mkdir -p "$d"
    cp -r "$src"/int.json "$src"/p4src "$src"/commands_INT_s[1-4].txt "$d/"
    cat >"$d/lab.yml" <<YML
static_arp: true
nodes:
  h1: {kind: host, ip: 10.0.0.1/24, mac: "00:00:00:00:00:01"}
  h2: {kind: host, ip: 10.0.0.2/24, mac: "00:00:00:00:00:02"}
  h3: {kind: host, ip: 10.0.0.254/24, mac: "00:00:00:00:00:FF"}
  v1: {kind: host, ip: 10.0.0.100/24, mac: "00:00:00:00:00:F1"}
  v2: {kind: host, ip: 10.0.0.101/24, mac: "00:00:00:00:00:F2"}
  s1: {kind: p4switch, $prog, commands: commands_INT_s1.txt}
  s2: {kind: p4switch, $prog, commands: commands_INT_s2.txt}
  s3: {kind: p4switch, $prog, commands: commands_INT_s3.txt}
  s4: {kind: p4switch, $prog, commands: commands_INT_s4.txt}
links:
  - [h1, s1]
  - [s1, s2]
  - [s2, s3]
  - [s2, v1]
  - endpoints: [s2, {node: v1, ip: none}]
  - [s3, s4]
  - [s3, v2]
  - endpoints: [s3, {node: v2, ip: none}]
  - [h2, s4]
  - [s4, h3]
YML
    cat >"$d/cmds.txt" <<CMD
v1 tc qdisc add dev v1-eth0 clsact
v1 tc filter add dev v1-eth0 ingress protocol all u32 match u32 0 0 action mirred egress redirect dev v1-eth1
v2 tc qdisc add dev v2-eth0 clsact
v2 tc filter add dev v2-eth0 ingress protocol all u32 match u32 0 0 action mirred egress redirect dev v2-eth1
p4 s4 table_add egress.process_int_report.tb_generate_report do_report_encapsulation 1 => 00:00:00:00:00:04 00:00:00:00:00:FF 10.0.0.4 10.0.0.254 9555
h2 timeout 10 tcpdump -l -n -i h2-eth0 -c 5 udp dst port 5001 >$d/h2.txt 2>&1 &
h3 timeout 10 tcpdump -l -n -i h3-eth0 -c 3 udp dst port 9555 >$d/h3.txt 2>&1 &
h1 sleep 1.5
h1 iperf -u -l 1200 -c 10.0.0.2 -t 2 -b 1M >$d/iperf.txt 2>&1
h1 sleep 1
CMD
    out=$(cd "$d" && timeout 150 "$FOP4_BIN/fop4" run lab.yml --prefix "$P" --batch cmds.txt 2>&1)
    rc=$?
    echo "$out"
    echo "--- h2:"; cat "$d/h2.txt" 2>/dev/null
    echo "--- h3:"; cat "$d/h3.txt" 2>/dev/null
    [ $rc -eq 0 ] && pass "eINT lab runs the batch ($how)" || fail "eINT lab runs the batch ($how)" "rc=$rc"
    grep -q "commands_INT_s4.txt:4:1: warning" <<<"$out" && pass "s4's truncated line is a path:line warning ($how)" \
        || fail "s4's truncated line is a path:line warning ($how)"
    n=$(grep -c "UDP, length 1200" "$d/h2.txt" 2>/dev/null)
    [ "${n:-0}" -ge 5 ] && pass "UDP h1 -> h2 arrives without INT (1200-byte payload) ($how)" \
        || fail "UDP h1 -> h2 arrives without INT (1200-byte payload) ($how)" "$n datagrams"
    n=$(grep -c "10.0.0.4.* > 10.0.0.254.9555: UDP" "$d/h3.txt" 2>/dev/null)
    [ "${n:-0}" -ge 3 ] && pass "s4 sends telemetry reports to h3 ($how)" \
        || fail "s4 sends telemetry reports to h3 ($how)" "$n reports"
done
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
finish
