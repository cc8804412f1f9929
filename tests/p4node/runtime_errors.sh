#!/usr/bin/env bash
# The tutorials' sX-runtime.json with mistakes: each is reported as
# path:line:col: error with the source line, a caret and did-you-mean, the
# start fails (as the tutorials' P4Runtime helper fails), nothing is left.
# Also a json: program the switch cannot load.
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_shared corpus/tutorials/exercises/basic/solution/basic.p4c.json
ex=$FOP4_SHARED/corpus/tutorials/exercises/basic
P=${TPFX}e
d=$FOP4_TMP/rt
mkdir -p "$d"
cp -r "$ex/pod-topo" "$d/"
cp "$ex/solution/basic.p4c.json" "$d/"
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
rt=$d/pod-topo/s1-runtime.json
# 1. a misspelt table, action parameter and match field, each once
python3 - "$rt" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('"table": "MyIngress.ipv4_lpm",\n      "match"', '"table": "MyIngress.ipv4_lmp",\n      "match"', 1)
i = s.index('"dstAddr": "08:00:00:00:02:22"')
s = s[:i] + '"dstAdr": "08:00:00:00:02:22"' + s[i + len('"dstAddr": "08:00:00:00:02:22"'):]
i = s.index('"hdr.ipv4.dstAddr": ["10.0.3.3", 32]')
s = s[:i] + '"hdr.ipv4.dstAdr": ["10.0.3.3", 32]' + s[i + len('"hdr.ipv4.dstAddr": ["10.0.3.3", 32]'):]
open(p, "w").write(s)
PY
line_of() { grep -n -- "$1" "$rt" | head -1 | cut -d: -f1; }
lt=$(line_of ipv4_lmp) lp=$(line_of '"dstAdr"') lm=$(line_of 'hdr.ipv4.dstAdr"')
out=$(cd "$d" && timeout 120 "$FOP4_BIN/fop4" run pod-topo/topology.json --json basic.p4c.json \
    --prefix "$P" --test pingall 2>&1)
rc=$?
echo "$out"
[ $rc -ne 0 ] && pass "errors stop the start" || fail "errors stop the start" "rc=$rc"
pgrep -f -- "$d/basic.p4c.json" >/dev/null && fail "no switch process left after a failed start" \
    || pass "no switch process left after a failed start"
grep -q "s1-runtime.json:$lt:[0-9]*: error: s1: no table 'MyIngress.ipv4_lmp'.*did you mean 'MyIngress.ipv4_lpm'" <<<"$out" \
    && pass "unknown table: line, did-you-mean" || fail "unknown table: line, did-you-mean"
grep -q "s1-runtime.json:$lp:[0-9]*: error: s1: action MyIngress.ipv4_forward has no parameter 'dstAdr'; did you mean 'dstAddr'" <<<"$out" \
    && pass "unknown action parameter: line, did-you-mean" || fail "unknown action parameter: line, did-you-mean"
grep -q "s1-runtime.json:$lm:[0-9]*: error: s1: table MyIngress.ipv4_lpm has no key field 'hdr.ipv4.dstAdr'; did you mean 'hdr.ipv4.dstAddr'" <<<"$out" \
    && pass "unknown match field: line, did-you-mean" || fail "unknown match field: line, did-you-mean"
grep -q "3 errors in .*s1-runtime.json" <<<"$out" && pass "error count" || fail "error count"
grep -A2 "ipv4_lmp'" <<<"$out" | grep -q '^ *\^' && pass "caret under the value" || fail "caret under the value"
# 2. not JSON
printf '{\n  "table_entries": [\n    {"table": }\n  ]\n}\n' >"$d/pod-topo/s2-runtime.json"
cp "$ex/pod-topo/s1-runtime.json" "$rt"
out=$(cd "$d" && timeout 120 "$FOP4_BIN/fop4" run pod-topo/topology.json --json basic.p4c.json \
    --prefix "$P" --test pingall 2>&1)
rc=$?
echo "$out"
[ $rc -ne 0 ] && grep -q "s2-runtime.json:3:[0-9]*: error:" <<<"$out" \
    && pass "JSON syntax error with line:col" || fail "JSON syntax error with line:col" "rc=$rc"
# 3. a json: that is not a BMv2 program: the switch's own message, the start fails
echo '{"header_types": [}' >"$d/bad.json"
printf 'nodes:\n  h1: {kind: host}\n  s1: {kind: p4switch, json: bad.json}\nlinks:\n  - [h1, s1]\n' >"$d/bad.yml"
out=$(cd "$d" && timeout 60 "$FOP4_BIN/fop4" run bad.yml --prefix "$P" --test pingall 2>&1)
rc=$?
echo "$out"
[ $rc -ne 0 ] && grep -q "p4switch 's1': fop4-switch exited: .*bad.json:1:[0-9]*: error" <<<"$out" \
    && pass "a broken program: the switch's error, start fails" \
    || fail "a broken program: the switch's error, start fails" "rc=$rc"
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
finish
