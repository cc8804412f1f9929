#!/bin/bash
# Action profiles and selectors over BMv2's Thrift RPC (tests/switch/thrift_ap.py)
# on BMv2's ecmp.json: members, groups, indirect entries, read-back, error codes.
. "$(dirname "$0")/../lib.sh"
J=corpus/bmv2/targets/simple_switch/tests/CLI_tests/testdata/ecmp.json
need_shared $J
need_bin fop4-switch
need_bin fop4-switch-cli
PY=/usr/bin/python3
$PY -c 'import thrift' 2>/dev/null || { skip "thrift ap" "python3-thrift not installed (scripts/deps.sh)"; exit 77; }
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
"$FOP4_BIN/fop4-switch" --thrift-port $PORT "$FOP4_SHARED/$J" >"$FOP4_TMP/switch.log" 2>&1 &
PID=$!
on_exit "kill $PID"
wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" || { fail "thrift ap: switch starts" "$(tail -3 "$FOP4_TMP/switch.log")"; finish; }
timeout 60 $PY "$(dirname "$0")/thrift_ap.py" $PORT "$FOP4_BIN" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "thrift ap: driver" "exit $rc"
kill -0 $PID 2>/dev/null && pass "thrift ap: switch alive at the end" || fail "thrift ap: switch alive" "$(tail -3 "$FOP4_TMP/switch.log")"
finish
