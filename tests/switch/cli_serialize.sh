#!/bin/bash
# serialize_state writes the switch's runtime state as simple_switch_CLI
# commands: replayed into a second switch running the same program, they
# recreate it (same serialize_state output, same table_dump and mc_dump).
. "$(dirname "$0")/../lib.sh"
need_shared corpus/bmv2/mininet/simple_router.json
need_bin fop4-switch
need_bin fop4-switch-cli
C=$FOP4_SHARED/corpus/bmv2/mininet
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'; }
start() { # start NAME [JSON]: a switch on a free port; sets PORT_<NAME>
    local p
    p=$(free_port)
    "$FOP4_BIN/fop4-switch" --thrift-port "$p" "${2:-$C/simple_router.json}" >"$FOP4_TMP/$1.log" 2>&1 &
    on_exit "kill $!"
    wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" || { fail "serialize: switch $1 starts" "$(tail -3 "$FOP4_TMP/$1.log")"; finish; }
    eval "PORT_$1=$p"
}
cli() { "$FOP4_BIN/fop4-switch-cli" --thrift-port "$1" 2>&1; }
start A
start B
{
    cat "$C/stress_test_commands.txt"
    printf '%s\n' "table_add ipv4_lpm set_nhop 10.0.9.0/24 => 10.0.9.1 2" \
        "table_add ipv4_lpm set_nhop 10.0.8.0/24 => 10.0.8.1 1" "table_delete ipv4_lpm 2" \
        "mc_mgrp_create 1" "mc_mgrp_create 7" "mc_node_create 3 1 2" "mc_node_create 4 3 | 5" \
        "mc_node_create 5 2" "mc_node_destroy 1" "mc_node_associate 1 0" "mc_node_associate 7 2" \
        "mc_set_lag_membership 5 1 3" "mirroring_add 2 1" "mirroring_add_mc 3 7"
} | cli $PORT_A >"$FOP4_TMP/a.out"
grep -qE "Error|Invalid" "$FOP4_TMP/a.out" && fail "serialize: state A applies" "$(grep -E 'Error|Invalid' "$FOP4_TMP/a.out" | head -3)"
echo "serialize_state $FOP4_TMP/a.state" | cli $PORT_A >/dev/null
if grep -q "^table_add ipv4_lpm set_nhop 0x0a00010a/32 => 0x0a00010a 0x02" "$FOP4_TMP/a.state" 2>/dev/null; then
    pass "serialize: serialize_state <file> writes commands"
else
    fail "serialize: serialize_state <file> writes commands" "$(head -5 "$FOP4_TMP/a.state" 2>&1)"
fi
cli $PORT_B <"$FOP4_TMP/a.state" >"$FOP4_TMP/b.out"
grep -qE "Error|Invalid|Unknown" "$FOP4_TMP/b.out" &&
    fail "serialize: replay applies without errors" "$(grep -E 'Error|Invalid|Unknown' "$FOP4_TMP/b.out" | head -3)" ||
    pass "serialize: replay applies without errors"
echo "serialize_state $FOP4_TMP/b.state" | cli $PORT_B >/dev/null
if diff "$FOP4_TMP/a.state" "$FOP4_TMP/b.state" >"$FOP4_TMP/diff"; then
    pass "serialize: the replayed switch serializes to the same state"
else
    fail "serialize: same state after replay" "$(head -6 "$FOP4_TMP/diff")"
fi
dump='table_dump ipv4_lpm
table_dump forward
table_dump send_frame
mc_dump
mirroring_get 2
mirroring_get 3'
a=$(cli $PORT_A <<<"$dump")
b=$(cli $PORT_B <<<"$dump")
[ "$a" = "$b" ] && grep -q "(L1h=2, rid=5) -> (ports=\[2\], lags=\[\])" <<<"$b" &&
    grep -q "Dumping entry 0x3" <<<"$b" &&
    pass "serialize: same table_dump and mc_dump (entry and node handles kept), mirroring" ||
    fail "serialize: same dumps" "$(diff <(echo "$a") <(echo "$b") | head -6)"
out=$(echo serialize_state | cli $PORT_A)
grep -q "mc_set_lag_membership 5 1 3" <<<"$out" && pass "serialize: serialize_state without a file prints" ||
    fail "serialize: serialize_state prints" "$out"
# FOP4's eINT switches (ternary keys, priorities, mirroring, many tables)
I=$FOP4_SHARED/corpus/fop4/eINT
if [ -f "$I/int.json" ]; then
    ok=1 why=
    for n in 1 2 3 4; do
        start E$n "$I/int.json"
        start F$n "$I/int.json"
        eval "pe=\$PORT_E$n pf=\$PORT_F$n"
        cli $pe <"$I/commands_INT_s$n.txt" >/dev/null
        echo "serialize_state $FOP4_TMP/e$n.state" | cli $pe >/dev/null
        cli $pf <"$FOP4_TMP/e$n.state" >"$FOP4_TMP/f$n.out"
        echo "serialize_state $FOP4_TMP/f$n.state" | cli $pf >/dev/null
        if grep -qE "Error|Invalid|Unknown" "$FOP4_TMP/f$n.out"; then
            ok=0 why="s$n: $(grep -E 'Error|Invalid|Unknown' "$FOP4_TMP/f$n.out" | head -2)"
        elif ! diff -q "$FOP4_TMP/e$n.state" "$FOP4_TMP/f$n.state" >/dev/null; then
            ok=0 why="s$n: $(diff "$FOP4_TMP/e$n.state" "$FOP4_TMP/f$n.state" | head -4)"
        elif [ "$(grep -c '^table_add' "$FOP4_TMP/e$n.state")" -lt 3 ]; then
            ok=0 why="s$n: few entries serialized"
        fi
    done
    [ $ok -eq 1 ] && pass "serialize: FOP4's eINT switches s1-s4 replay to the same state" ||
        fail "serialize: eINT replay" "$why"
else
    skip "serialize: eINT replay" "no int.json"
fi
# action profiles with freed member and group handles (BMv2's ecmp.json)
E=$FOP4_SHARED/corpus/bmv2/targets/simple_switch/tests/CLI_tests/testdata/ecmp.json
if [ -f "$E" ]; then
    start C "$E"
    start D "$E"
    printf '%s\n' "act_prof_create_member ecmp_action_profile set_nhop 10.0.0.1 1" \
        "act_prof_create_member ecmp_action_profile set_nhop 10.0.0.2 2" \
        "act_prof_create_member ecmp_action_profile set_nhop 10.0.0.3 3" "act_prof_delete_member ecmp_action_profile 1" \
        "act_prof_create_group ecmp_action_profile" "act_prof_create_group ecmp_action_profile" \
        "act_prof_delete_group ecmp_action_profile 0" "act_prof_add_member_to_group ecmp_action_profile 2 1" \
        "act_prof_add_member_to_group ecmp_action_profile 0 1" \
        "table_indirect_add_with_group ecmp_group 10.0.0.0/8 => 1" \
        "table_indirect_add ecmp_group 11.0.0.0/8 => 2" "table_indirect_add ecmp_group 12.0.0.0/8 => 0" \
        "table_indirect_delete ecmp_group 1" | cli $PORT_C >"$FOP4_TMP/c.out"
    echo "serialize_state $FOP4_TMP/c.state" | cli $PORT_C >/dev/null
    cli $PORT_D <"$FOP4_TMP/c.state" >"$FOP4_TMP/d.out"
    echo "serialize_state $FOP4_TMP/d.state" | cli $PORT_D >/dev/null
    a=$(echo "table_dump ecmp_group" | cli $PORT_C)
    b=$(echo "table_dump ecmp_group" | cli $PORT_D)
    if ! grep -qE "Error|Invalid" "$FOP4_TMP/c.out" "$FOP4_TMP/d.out" &&
        diff -q "$FOP4_TMP/c.state" "$FOP4_TMP/d.state" >/dev/null && [ "$a" = "$b" ] &&
        grep -q "Index: group(1)" <<<"$b" && grep -q "Dumping member 2" <<<"$b" &&
        grep -q "Dumping entry 0x2" <<<"$b" && ! grep -q "Dumping entry 0x1" <<<"$b"; then
        pass "serialize: action profile members, groups and indirect entries keep their handles"
    else
        fail "serialize: action profile handles" "$(grep -hE 'Error|Invalid' "$FOP4_TMP/c.out" "$FOP4_TMP/d.out" | head -3) $(diff <(echo "$a") <(echo "$b") | head -6)"
    fi
else
    skip "serialize: action profile handles" "no ecmp.json"
fi
finish
