#!/bin/bash
# The CLI's program-independent and listing commands on a switch started
# without a program (--no-p4): load_new_config_file + swap_configs, sorted
# show_tables/show_actions as BMv2 prints them, table_info, mirroring_get,
# help, did-you-mean for commands and names, reset_state.
. "$(dirname "$0")/../lib.sh"
need_shared corpus/bmv2/mininet/simple_router.json
need_bin fop4-switch
need_bin fop4-switch-cli
J=$FOP4_SHARED/corpus/bmv2/mininet/simple_router.json
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])') # a port the kernel says is free
"$FOP4_BIN/fop4-switch" --no-p4 --thrift-port $PORT >"$FOP4_TMP/switch.log" 2>&1 &
PID=$!
on_exit "kill $PID"
wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" || { fail "cli misc: switch starts" "$(tail -3 "$FOP4_TMP/switch.log")"; finish; }
run() { printf '%s\n' "$@" | "$FOP4_BIN/fop4-switch-cli" --thrift-port $PORT 2>&1 | sed '1,3d' | sed -E 's/^(RuntimeCmd: )+//'; }
out=$(run show_tables)
grep -q "No P4 program is loaded" <<<"$out" && pass "cli misc: no program yet" || fail "cli misc: no program yet" "$out"
out=$(run "load_new_config_file $J" swap_configs)
grep -q "Loading new Json config" <<<"$out" && grep -q "Swapping configs" <<<"$out" &&
    pass "cli misc: load_new_config_file + swap_configs" || fail "cli misc: load + swap" "$out"
exp='forward                        [implementation=None, mk=routing_metadata.nhop_ipv4(exact, 32)]
ipv4_lpm                       [implementation=None, mk=ipv4.dstAddr(lpm, 32)]
send_frame                     [implementation=None, mk=standard_metadata.egress_port(exact, 9)]'
out=$(run show_tables | head -3)
[ "$out" = "$exp" ] && pass "cli misc: show_tables as BMv2" || fail "cli misc: show_tables" "$out"
exp=$'ipv4_lpm                       [implementation=None, mk=ipv4.dstAddr(lpm, 32)]
********************************************************************************
_drop                          []
set_nhop                       [nhop_ipv4(32),\tport(9)]'
out=$(run "table_info ipv4_lpm" | head -4)
[ "$out" = "$exp" ] && pass "cli misc: table_info as BMv2" || fail "cli misc: table_info" "$out"
out=$(run "mirroring_add 3 4" "mirroring_get 3" "mirroring_get 9")
grep -q "MirroringSessionConfig(port=4, mgid=None)" <<<"$out" && grep -q "SESSION_NOT_FOUND" <<<"$out" &&
    pass "cli misc: mirroring sessions" || fail "cli misc: mirroring" "$out"
out=$(run "table_ad ipv4_lpm" "table_add ipv4_lmp _drop 10.0.0.0/8 =>" "help table_add")
grep -q "did you mean 'table_add'" <<<"$out" && grep -q "did you mean 'ipv4_lpm'" <<<"$out" &&
    grep -q "table_add <table name> <action name>" <<<"$out" &&
    pass "cli misc: did-you-mean and help" || fail "cli misc: did-you-mean and help" "$out"
out=$(run "table_add ipv4_lpm set_nhop 10.0.0.0/8 => 10.0.0.1 3" "table_num_entries ipv4_lpm" reset_state "table_num_entries ipv4_lpm")
[ "$(grep -xE '[0-9]+' <<<"$out" | tr '\n' ' ')" = "1 0 " ] && pass "cli misc: reset_state clears entries" ||
    fail "cli misc: reset_state" "$out"
out=$(cd "$FOP4_TMP" && printf '%s\n' "shell echo from-the-client" "write_config_to_file rel.json" |
    "$FOP4_BIN/fop4-switch-cli" --thrift-port $PORT 2>&1)
grep -q "^RuntimeCmd: from-the-client" <<<"$out" && pass "cli misc: shell runs on the client" ||
    fail "cli misc: shell" "$out"
cmp -s "$FOP4_TMP/rel.json" "$J" && pass "cli misc: a relative file is the client's (write_config_to_file)" ||
    fail "cli misc: relative file" "$(ls -la "$FOP4_TMP")"
finish
