#!/bin/bash
# --use-files ports fed with broken pcap input (not a pcap, an absurd record
# length, a record cut short, an empty file, no file at all) next to a good
# one: the switch forwards the good frames, ignores the rest, and exits 0 on
# SIGTERM with valid output files.
. "$(dirname "$0")/../lib.sh"
need_shared corpus/stf/issue2153-bmv2.p4c.json
need_bin fop4-switch
BIN=$(cd "$FOP4_BIN" && pwd)
W=$FOP4_TMP/files
mkdir -p "$W"
python3 - "$W" <<'PY'
import struct, sys
w = sys.argv[1]
hdr = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
frame = bytes.fromhex("111111111111222222222222" "3333" "FFEE")
rec = lambda d: struct.pack("<IIII", 0, 0, len(d), len(d)) + d
open(f"{w}/p0_in.pcap", "wb").write(hdr + rec(frame) + rec(frame))
open(f"{w}/p1_in.pcap", "wb").write(b"this is not a pcap file at all" * 3)
open(f"{w}/p2_in.pcap", "wb").write(hdr + struct.pack("<IIII", 0, 0, 0x7fffffff, 0x7fffffff) + b"xx")
open(f"{w}/p3_in.pcap", "wb").write(hdr + rec(frame)[:20])
open(f"{w}/p4_in.pcap", "wb").write(b"")
PY
cd "$W" || exit 1
"$BIN/fop4-switch" --use-files 0 -i 0@p0 -i 1@p1 -i 2@p2 -i 3@p3 -i 4@p4 -i 5@p5 \
    --thrift-port $(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])') "$FOP4_SHARED/corpus/stf/issue2153-bmv2.p4c.json" \
    >"$FOP4_TMP/switch.log" 2>&1 &
PID=$!
on_exit "kill $PID"
sleep 1
kill -TERM $PID
for _ in $(seq 50); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
wait $PID
rc=$?
[ $rc -eq 0 ] && pass "files: broken inputs, switch exits 0" || fail "files: broken inputs, switch exits 0" "exit $rc: $(tail -5 "$FOP4_TMP/switch.log")"
n=$(python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
off, n = 24, 0
while off + 16 <= len(b):
    incl = struct.unpack("<IIII", b[off:off+16])[2]; off += 16 + incl; n += 1
print(n)' "$W/p0_out.pcap" 2>/dev/null)
[ "$n" = 2 ] && pass "files: the good port's frames came out" || fail "files: good port" "got ${n:-no file}"
ok=1
for p in 1 2 3 4 5; do [ -f "$W/p${p}_out.pcap" ] || ok=0; done
[ $ok -eq 1 ] && pass "files: every port has its output file" || fail "files: output files" "$(ls "$W")"
finish
