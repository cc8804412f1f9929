#!/usr/bin/env bash
# FOP4's load balancers (load_balancer_RR, load_balancer_hash) as labs, with
# their command.txt applied unchanged and the topology of fop4/NOTES.md, plain
# hosts in place of the containers: d1 holds the service's virtual IP
# 192.168.1.100, d2 and d3 run busybox httpd serving an index.php that names
# them, h1 and h2 are clients. Every request to the virtual IP is answered;
# round robin spreads new connections over both servers. Each runs twice: from
# p4c's JSON (json:) and compiled by fop4-p4c at start (p4:).
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_shared corpus/fop4/load_balancer_RR/load_balancer_RR.p4c.json
command -v busybox >/dev/null && command -v curl >/dev/null || { skip "load balancers" "busybox or curl absent"; exit 77; }
P=${TPFX}b
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
for run in load_balancer_RR:json load_balancer_hash:json load_balancer_RR:p4 load_balancer_hash:p4; do
    lb=${run%:*} how=${run#*:}
    src=$FOP4_SHARED/corpus/fop4/$lb
    if [ $how = json ]; then
        prog=$lb.p4c.json
    else
        prog=$lb.p4
        [ -x "$FOP4_BIN/fop4-p4c" ] || { skip "$lb ($how)" "fop4-p4c not built"; continue; }
    fi
    [ -f "$src/$prog" ] || { skip "$lb ($how)" "absent"; continue; }
    d=$FOP4_TMP/$lb-$how
    mkdir -p "$d/www2" "$d/www3"
    cp "$src/$prog" "$src/command.txt" "$d/"
    echo "served by 192.168.1.200" >"$d/www2/index.php"
    echo "served by 192.168.1.201" >"$d/www3/index.php"
    cat >"$d/lab.yml" <<YML
static_arp: true
nodes:
  d1: {kind: host, ip: 192.168.1.100/24, mac: "00:00:00:00:00:01"}
  d2: {kind: host, ip: 192.168.1.200/24, mac: "00:00:00:00:00:A0"}
  d3: {kind: host, ip: 192.168.1.201/24, mac: "00:00:00:00:00:A1"}
  h1: {kind: host, ip: 192.168.1.104/24, mac: "00:00:00:00:00:04"}
  h2: {kind: host, ip: 192.168.1.105/24, mac: "00:00:00:00:00:05"}
  s1: {kind: p4switch, $how: $prog, commands: command.txt}
links:
  - [d1, s1]
  - [d2, s1]
  - [d3, s1]
  - [h1, s1]
  - [h2, s1]
YML
    {
        echo "d2 busybox httpd -f -p 80 -h $d/www2 >/dev/null 2>&1 & echo \$! >$d/httpd2.pid"
        echo "d3 busybox httpd -f -p 80 -h $d/www3 >/dev/null 2>&1 & echo \$! >$d/httpd3.pid"
        echo "d2 sleep 0.3"
        for i in 1 2 3 4; do
            echo "h1 curl -s -m 3 http://192.168.1.100/index.php"
            echo "h2 curl -s -m 3 http://192.168.1.100/index.php"
        done
        echo "d2 kill \$(cat $d/httpd2.pid)"
        echo "d3 kill \$(cat $d/httpd3.pid)"
    } >"$d/cmds.txt"
    out=$(cd "$d" && timeout 120 "$FOP4_BIN/fop4" run lab.yml --prefix "$P" --batch cmds.txt 2>&1)
    rc=$?
    echo "$out"
    n2=$(grep -c "^served by 192.168.1.200" <<<"$out")
    n3=$(grep -c "^served by 192.168.1.201" <<<"$out")
    [ $((n2 + n3)) -eq 8 ] && pass "$lb ($how): 8 of 8 requests answered" \
        || fail "$lb ($how): 8 of 8 requests answered" "rc=$rc d2=$n2 d3=$n3"
    if [ $lb = load_balancer_RR ]; then
        [ "$n2" -ge 2 ] && [ "$n3" -ge 2 ] && pass "$lb ($how): both servers used" \
            || fail "$lb ($how): both servers used" "d2=$n2 d3=$n3"
    fi
done
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
finish
