"""Figures for the Thrift control port (not a test): table entries added per
second through BMv2's Thrift RPC with python3-thrift (hand-written calls, as
thrift.sh), read back with one bm_mt_get_entries, and the same entries as
table_add lines through fop4-switch-cli's line protocol. Starts its own switch
on a free port with simple_router.json.

usage: python3 tests/switch/thrift_bench.py [N]   (N <= 1024, default 1000;
       FOP4_BIN, FOP4_SHARED)
"""
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thrift_client import Client, be, blist, i32, ip4, lpm, s, slist, st  # noqa: E402

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("FOP4_BIN", root + "/build/bin")
J = os.environ.get("FOP4_SHARED", os.path.dirname(root) + "/shared") + \
    "/corpus/bmv2/mininet/simple_router.json"
N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000  # ipv4_lpm holds 1024


def start():
    sk = socket.socket()
    sk.bind(("127.0.0.1", 0))
    port = sk.getsockname()[1]
    sk.close()
    p = subprocess.Popen([BIN + "/fop4-switch", "--thrift-port", str(port), J],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return p, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("switch did not start")


def key(i):
    return "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)


p, port = start()
try:
    c = Client(port)
    t0 = time.perf_counter()
    for i in range(N):
        c.call("standard", "bm_mt_add_entry",
               [i32(1, 0), s(2, "ipv4_lpm"), slist(3, [lpm(ip4(key(i)), 32)]), s(4, "set_nhop"),
                blist(5, [ip4("10.0.0.1"), be(1, 2)]), st(6, [])])
    t1 = time.perf_counter()
    ents = c.call("standard", "bm_mt_get_entries", [i32(1, 0), s(2, "ipv4_lpm")])
    t2 = time.perf_counter()
    c.close()
    assert len(ents) == N
    print("thrift: %d bm_mt_add_entry in %.2f s: %.0f calls/s (one connection, "
          "python3-thrift client)" % (N, t1 - t0, N / (t1 - t0)))
    print("thrift: bm_mt_get_entries of %d entries: %.3f s" % (N, t2 - t1))
finally:
    p.terminate()
    p.wait()
p, port = start()
try:
    lines = "".join("table_add ipv4_lpm set_nhop %s/32 => 10.0.0.1 1\n" % key(i) for i in range(N))
    t0 = time.perf_counter()
    r = subprocess.run([BIN + "/fop4-switch-cli", "--thrift-port", str(port)], input=lines,
                       stdout=subprocess.PIPE, universal_newlines=True)
    t1 = time.perf_counter()
    assert r.stdout.count("Entry has been added") == N
    print("text: %d table_add lines through fop4-switch-cli in %.2f s: %.0f lines/s"
          % (N, t1 - t0, N / (t1 - t0)))
finally:
    p.terminate()
    p.wait()
