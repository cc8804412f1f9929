#!/bin/bash
# Bad input never kills the switch: every command of the language with
# missing, extra and malformed arguments (names, numbers, keys, separators,
# huge values) goes to a running fop4-switch; it must answer each with output,
# keep running and still apply a good command afterwards (under the sanitizers,
# any memory error fails the test).
. "$(dirname "$0")/../lib.sh"
need_shared corpus/bmv2/mininet/simple_router.json
need_bin fop4-switch
need_bin fop4-switch-cli
J=$FOP4_SHARED/corpus/bmv2/mininet/simple_router.json
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])') # a port the kernel says is free
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
cd "$FOP4_TMP" || exit 1 # whatever a command writes stays in the test's directory
"$FOP4_BIN/fop4-switch" --thrift-port $PORT "$J" >"$FOP4_TMP/switch.log" 2>&1 &
PID=$!
on_exit "kill $PID"
wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" || { fail "cli robust: switch starts" "$(tail -3 "$FOP4_TMP/switch.log")"; finish; }
python3 - "$FOP4_TMP/cmds.txt" <<'PY'
import random, sys
random.seed(4)
cmds = """table_set_default table_reset_default table_num_entries table_clear table_add
table_set_timeout table_modify table_delete table_dump table_dump_entry table_dump_entry_from_key
act_prof_create_member act_prof_delete_member act_prof_modify_member act_prof_create_group
act_prof_delete_group act_prof_add_member_to_group act_prof_remove_member_from_group
act_prof_dump_member act_prof_dump_group act_prof_dump table_indirect_create_member
table_indirect_add table_indirect_add_with_group table_indirect_delete table_indirect_set_default
table_dump_member table_dump_group mc_mgrp_create mc_mgrp_destroy mc_node_create mc_node_update
mc_node_associate mc_node_dissociate mc_node_destroy mc_set_lag_membership mc_dump mirroring_add
mirroring_add_mc mirroring_delete mirroring_get counter_read counter_write counter_reset
meter_array_set_rates meter_set_rates meter_get_rates meter_reset_rates register_read register_write
register_reset show_pvs pvs_add pvs_remove pvs_get pvs_clear port_add port_remove show_ports
set_queue_depth set_queue_rate get_time_elapsed get_time_since_epoch load_new_config_file
swap_configs write_config_to_file switch_info show_tables show_actions table_info
table_show_actions help serialize_state set_crc16_parameters nosuchcommand""".split()
words = ["ipv4_lpm", "forward", "send_frame", "set_nhop", "set_dmac", "rewrite_mac", "_drop",
         "=>", "&&&", "->", "/", "0", "1", "-1", "511", "4294967296", "0x", "0xZZ", "10.0.0.1",
         "10.0.0.1/33", "10.0.0.1/-1", "10.0.0.1/", "1.2.3.4.5", "00:11:22:33:44:55",
         "00:11:22:33:44:555", "::1", "0" * 300, "9" * 400, "1&&&2&&&3", "5->1", "|", "1:2",
         "1.5:3", "*", "", "\u00e9\u00e9", "%s%n", "/tmp/nonexistent.json", "/dev/null",
         "ipv4_lpm.", ".", "..", "a" * 2000]
lines = []
for c in cmds:
    for n in range(0, 6):
        for _ in range(3):
            lines.append(" ".join([c] + [random.choice(words) for _ in range(n)]))
random.shuffle(lines)
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
# write_config_to_file and serialize_state FILE would write files (one named
# "/tmp/nonexistent.json", or "|" where the CLI runs): keep them harmless
sed -i -E '/write_config_to_file/d; /^serialize_state [^ ]+$/d' "$FOP4_TMP/cmds.txt"
n=$(wc -l <"$FOP4_TMP/cmds.txt")
if timeout 120 "$FOP4_BIN/fop4-switch-cli" --thrift-port $PORT <"$FOP4_TMP/cmds.txt" >"$FOP4_TMP/out.txt" 2>&1; then
    pass "cli robust: $n malformed commands answered, CLI exits 0"
else
    fail "cli robust: malformed commands" "CLI failed: $(tail -3 "$FOP4_TMP/out.txt")"
fi
if kill -0 $PID 2>/dev/null; then pass "cli robust: switch still running"; else fail "cli robust: switch still running" "$(tail -20 "$FOP4_TMP/switch.log")"; fi
out=$(printf 'table_add ipv4_lpm set_nhop 10.9.9.0/24 => 10.0.0.10 1\n' |
    "$FOP4_BIN/fop4-switch-cli" --thrift-port $PORT 2>&1)
if grep -q "Entry has been added" <<<"$out"; then pass "cli robust: good command still applies"; else fail "cli robust: good command still applies" "$out"; fi
kill -TERM $PID
for _ in $(seq 100); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
wait $PID
rc=$?
if [ $rc -eq 0 ] && ! grep -q "Sanitizer" "$FOP4_TMP/switch.log"; then
    pass "cli robust: clean exit, no sanitizer report"
else
    fail "cli robust: clean exit, no sanitizer report" "exit $rc: $(grep -A15 Sanitizer "$FOP4_TMP/switch.log" | head -20)"
fi
finish
