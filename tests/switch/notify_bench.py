"""Figures for the notifications socket (not a test: prints figures). Run by
NOTIFY_BENCH=1 tests/switch/notify.sh, inside the switch's namespace: the switch runs
notify_learn.json on ports 1 and 2 (A1, A2 the veths' other ends).

- latency: a frame with a new source into A1 -> its LEA| at a subscriber,
  with buffer size 1 (median and max of N);
- throughput: distinct sources as fast as one AF_PACKET socket sends them,
  samples delivered per second until the last one arrives (buffer size 16);
- the switch's CPU while idle (its notifications thread ticks every 5 ms).

usage: notify_bench.py THRIFT_PORT NOTIFY_ADDR A1 SWITCH_PID
"""
import os
import socket
import statistics
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from notify_sub import Sub  # noqa: E402
from thrift_client import Client, i32  # noqa: E402

PORT, ADDR, A1, PID = sys.argv[1:5]
c = Client(int(PORT))


def learning(method, *args):
    return c.call("standard", method, [i32(1, 0), i32(2, 1)] + list(args))


tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
tx.bind((A1, 0))


def frame(n):
    return b"\xff" * 6 + bytes([0x06, 0, (n >> 16) & 255, (n >> 8) & 255, n & 255, 1]) + \
        b"\x88\xb5" + bytes(46)


sub = Sub(ADDR)
time.sleep(0.5)
learning("bm_learning_set_buffer_size", i32(3, 1))
lat = []
for i in range(50):
    t0 = time.perf_counter()
    tx.send(frame(i))
    m = sub.recv_topic(b"LEA|", 2000)
    if m is not None:
        lat.append((time.perf_counter() - t0) * 1e3)
    time.sleep(0.01)
print("notify: digest latency (frame in -> LEA| at the subscriber, buffer size 1): "
      "median %.2f ms, max %.2f ms over %d" % (statistics.median(lat), max(lat), len(lat)))

learning("bm_learning_set_buffer_size", i32(3, 16))
learning("bm_learning_set_timeout", i32(3, 20))
N = 20000
got = 0
t0 = time.perf_counter()
for i in range(N):
    tx.send(frame(100000 + i))
end = time.time() + 5
while time.time() < end and got < N:
    m = sub.recv(500)
    if m is None:
        break
    if m[:4] == b"LEA|":
        got += int.from_bytes(m[28:32], "little")
        last = time.perf_counter()
dt = last - t0
print("notify: %d frames with distinct sources sent at once, %d samples delivered in "
      "%.2f s (%.0f samples/s, buffers of 16, timeout 20 ms)" % (N, got, dt, got / dt))


def cpu_ticks():
    f = open("/proc/%s/stat" % PID).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


hz = os.sysconf("SC_CLK_TCK")
a = cpu_ticks()
time.sleep(5)
b = cpu_ticks()
print("notify: switch CPU while idle: %.2f %% of a core" % ((b - a) / hz / 5 * 100))
