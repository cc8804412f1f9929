#!/bin/bash
# set_crc16_parameters / set_crc32_parameters on a program with custom CRC
# calculations (simple_router.json plus two, added by this test): accepted for
# the right width, refused with BMv2's messages otherwise.
. "$(dirname "$0")/../lib.sh"
need_shared corpus/bmv2/mininet/simple_router.json
need_bin fop4-switch
need_bin fop4-switch-cli
J=$FOP4_TMP/crc.json
python3 - "$FOP4_SHARED/corpus/bmv2/mininet/simple_router.json" "$J" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
calcs = p.setdefault("calculations", [])
for n, (name, algo) in enumerate([("my_crc16", "crc16_custom"), ("my_crc32", "crc32_custom")]):
    calcs.append({"name": name, "id": 900 + n, "algo": algo,
                  "input": [{"type": "field", "value": ["ipv4", "srcAddr"]}]})
json.dump(p, open(sys.argv[2], "w"))
PY
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
"$FOP4_BIN/fop4-switch" --thrift-port $PORT "$J" >"$FOP4_TMP/switch.log" 2>&1 &
PID=$!
on_exit "kill $PID"
wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" ||
    { fail "crc: switch starts" "$(tail -3 "$FOP4_TMP/switch.log")"; finish; }
run() { printf '%s\n' "$@" | "$FOP4_BIN/fop4-switch-cli" --thrift-port $PORT 2>&1 | sed '1,3d' | sed -E 's/^(RuntimeCmd: )+//'; }
out=$(run "set_crc16_parameters my_crc16 0x1021 0xffff 0x0 false false")
[ -z "$(grep -v '^$' <<<"$out")" ] && pass "crc: set_crc16_parameters accepted" ||
    fail "crc: set_crc16_parameters" "$out"
out=$(run "set_crc32_parameters my_crc32 0x04c11db7 0xffffffff 0xffffffff True 1")
[ -z "$(grep -v '^$' <<<"$out")" ] && pass "crc: set_crc32_parameters accepted" ||
    fail "crc: set_crc32_parameters" "$out"
out=$(run "set_crc32_parameters my_crc16 1 0 0 false false")
grep -q "Error: Invalid crc32_custom name (my_crc16)" <<<"$out" &&
    pass "crc: width mismatch refused" || fail "crc: width mismatch" "$out"
out=$(run "set_crc16_parameters my_crc16 1 0 0 maybe false")
grep -q "Error: Invalid bool parameter" <<<"$out" && pass "crc: bad bool refused" ||
    fail "crc: bad bool" "$out"
kill -0 $PID 2>/dev/null && pass "crc: switch still running" || fail "crc: switch still running"
finish
