#!/bin/bash
# fop4-switch and fop4-switch-cli under the protocol of p4c's BMv2 STF runner
# (run-bmv2-test.py + bmv2stf.py): input FIFOs pcapN_in.pcap opened for writing
# in ascending port order, "-i N@pcapN" passed as ONE argument, --use-files 0,
# --log-file/--log-flush, readiness by TCP connect, table commands streamed into
# the CLI's stdin (which must exit 0), FIFOs closed, SIGTERM; the switch must exit
# 0 (or by SIGTERM) and leave a valid pcapN_out.pcap per port with the frames.
. "$(dirname "$0")/../lib.sh"
need_shared corpus/stf/issue2153-bmv2.p4c.json
need_bin fop4-switch
need_bin fop4-switch-cli
BIN=$(cd "$FOP4_BIN" && pwd)
W=$FOP4_TMP/run
mkdir -p "$W"
cp "$FOP4_SHARED/corpus/stf/issue2153-bmv2.p4c.json" "$W/prog.json"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])') # a port the kernel says is free
timeout 60 python3 - "$BIN" "$W" "$PORT" <<'PY'
import os, signal, socket, struct, subprocess, sys, time
BIN, W, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
def res(ok, name, why=""):
    print(("PASS: " if ok else "FAIL: ") + name + (f" ({why})" if why and not ok else ""))
    return ok
ports = [0, 1]
for p in ports:
    os.mkfifo(f"{W}/pcap{p}_in.pcap")
cmd = [f"{BIN}/fop4-switch", "--log-file", "switch.log", "--log-flush", "--use-files", "0",
       "--thrift-port", str(PORT), "--device-id", "7"] + [f"-i {p}@pcap{p}" for p in ports] + ["prog.json"]
sw = subprocess.Popen(cmd, cwd=W, stdout=subprocess.DEVNULL)
class TO(Exception): pass
def alarm(*_): raise TO()
signal.signal(signal.SIGALRM, alarm)
fifos = {}
try:
    for p in ports:  # ascending order, as the runner; blocks until the switch opens its end
        signal.alarm(10)
        f = open(f"{W}/pcap{p}_in.pcap", "wb", buffering=0)
        signal.alarm(0)
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        fifos[p] = f
    res(True, "runner: input FIFOs opened in port order")
except TO:
    res(False, "runner: input FIFOs opened in port order", "open() blocked for 10 s")
    sw.kill(); sys.exit(1)
deadline = time.time() + 10
while True:
    try:
        socket.create_connection(("localhost", PORT), timeout=0.5).close(); break
    except OSError:
        if time.time() > deadline or sw.poll() is not None:
            res(False, "runner: control port answers"); sw.kill(); sys.exit(1)
        time.sleep(0.1)
res(True, "runner: control port answers")
cli = subprocess.Popen([f"{BIN}/fop4-switch-cli", "--thrift-port", str(PORT)], cwd=W,
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
out, _ = cli.communicate(b"table_add ingress.simple_table ingress.do_something 0x55 =>\n"
                         b"this_is_not_a_command 1 2 3\n", timeout=10)
res(cli.returncode == 0, "runner: CLI exits 0 at end of input", f"exit {cli.returncode}: {out[-300:]!r}")
res(b"Entry has been added with handle 0" in out, "runner: table_add through the CLI", out[-300:])
res(b"Unknown syntax" in out, "runner: bad command gets an error, not fatal", out[-300:])
time.sleep(0.2)
def rec(data):
    return struct.pack("<IIII", int(time.time()), 0, len(data), len(data)) + data
pkt_a = bytes.fromhex("111111111111222222222222" "3333" "FFEE")
pkt_b = bytes.fromhex("111111111111222222222222" "3333" "FF55")
fifos[0].write(rec(pkt_a)); fifos[0].write(rec(pkt_b))
for f in fifos.values():
    f.close()
time.sleep(1)
sw.send_signal(signal.SIGTERM)
try:
    rc = sw.wait(timeout=10)
except subprocess.TimeoutExpired:
    sw.kill(); rc = "hung"
res(rc in (0, -15), "runner: switch exits 0 on SIGTERM", f"exit {rc}")
def read_pcap(path):
    b = open(path, "rb").read()
    if not b:
        return []
    magic, = struct.unpack("<I", b[:4])
    assert magic == 0xa1b2c3d4, hex(magic)
    off, out = 24, []
    while off + 16 <= len(b):
        _, _, incl, _ = struct.unpack("<IIII", b[off:off + 16])
        out.append(b[off + 16:off + 16 + incl]); off += 16 + incl
    return out
try:
    got0, got1 = read_pcap(f"{W}/pcap0_out.pcap"), read_pcap(f"{W}/pcap1_out.pcap")
    res(True, "runner: output pcaps are valid")
except Exception as e:
    res(False, "runner: output pcaps are valid", repr(e)); sys.exit(1)
res(got0 == [pkt_a], "runner: miss goes back out of port 0", [g.hex() for g in got0])
exp1 = bytes.fromhex("111111111111222222222222" "3333" "0055")
res(got1 == [exp1], "runner: hit goes to port 1 rewritten", [g.hex() for g in got1])
res(os.path.exists(f"{W}/switch.log.txt"), "runner: --log-file writes <name>.txt")
PY
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "p4c runner protocol" "python driver exited with $rc"
finish
