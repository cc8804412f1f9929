#!/bin/bash
# Counters, meters (indirect and direct), registers and parse value sets over
# BMv2's Thrift RPC (tests/switch/thrift_res.py) on three of BMv2's test programs.
. "$(dirname "$0")/../lib.sh"
need_shared corpus/bmv2/tests/testdata/parse_vset.json
need_bin fop4-switch
PY=/usr/bin/python3
$PY -c 'import thrift' 2>/dev/null || { skip "thrift res" "python3-thrift not installed (scripts/deps.sh)"; exit 77; }
B=$FOP4_SHARED/corpus/bmv2
for m in res:targets/simple_switch/tests/CLI_tests/testdata/indirect_res.json \
    direct:tests/testdata/serialize.json pvs:tests/testdata/parse_vset.json; do
    mode=${m%%:*} json=$B/${m#*:}
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
    "$FOP4_BIN/fop4-switch" --thrift-port $PORT "$json" >"$FOP4_TMP/$mode.log" 2>&1 &
    PID=$!
    on_exit "kill $PID"
    if ! wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT"; then
        fail "thrift $mode: switch starts" "$(tail -3 "$FOP4_TMP/$mode.log")"
        continue
    fi
    timeout 60 $PY "$(dirname "$0")/thrift_res.py" $mode $PORT 2>&1 || fail "thrift $mode: driver" "exit $?"
    kill $PID
done
finish
