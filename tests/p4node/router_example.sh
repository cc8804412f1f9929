#!/usr/bin/env bash
# examples/p4/router: our own IPv4 router program compiled at start, its entries
# from a tutorials-format runtime.json (P4Info names). pingall across three
# subnets; the TTL is decremented and the IPv4 checksum recomputed (a reply
# with a bad checksum would be dropped by the receiving host).
. "$(dirname "$0")/../lib.sh"
need_root
need_bin fop4
need_bin fop4-switch
need_bin fop4-p4c
P=${TPFX}x
export FOP4_P4CACHE=$FOP4_TMP/cache
on_exit "'$FOP4_BIN/fop4' clean --prefix $P"
cat >"$FOP4_TMP/cmds.txt" <<'CMD'
h1 ping -c1 -W2 10.0.3.1
p4 s1 table_dump RIngress.ipv4_lpm
CMD
out=$(timeout 120 "$FOP4_BIN/fop4" run "$FOP4_ROOT/examples/p4/router/lab.yml" --prefix "$P" \
    --batch "$FOP4_TMP/cmds.txt" --test pingall 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] && grep -q "0% dropped (6/6 received)" <<<"$out" && pass "router example: pingall" \
    || fail "router example: pingall" "rc=$rc"
grep -q "ttl=63" <<<"$out" && pass "router example: TTL decremented" || fail "router example: TTL decremented"
grep -q "0a000300/24" <<<"$out" && pass "router example: runtime.json entries in the table" \
    || fail "router example: runtime.json entries in the table"
n=$(ip netns list 2>/dev/null | grep -c "^$P-")
[ "$n" -eq 0 ] && pass "nothing left behind" || fail "nothing left behind" "$n namespaces"
finish
