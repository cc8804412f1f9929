"""Drives a running fop4-switch (tests/switch/notify_learn.p4 on ports 1 and 2,
the veths' other ends A1 and A2 in the same namespace) and checks its
notifications socket with an independent subscriber: libnanomsg through ctypes
(and Debian's nanocat once). Frames go in on A1 through an AF_PACKET socket;
the learn engine is driven over BMv2's Thrift RPC (thrift_client.py).
Prints PASS:/FAIL: lines; exits 1 if any failed.

usage: notify_drive.py THRIFT_PORT NOTIFY_ADDR DEVICE_ID A1 A2 IPC_PATH SPARE
"""
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from notify_sub import Sub  # noqa: E402
from thrift_client import Client, code_of, exact, i32, mac, s  # noqa: E402

PORT, ADDR, DEV, A1, A2, IPC, SPARE = sys.argv[1:8]
DEV = int(DEV)
failed = 0
LIST = 1          # the learn list id in notify_learn.json
T_SMAC = "MyIngress.smac"
SMAC_ID = 2       # its table id in the JSON


def ok(name, cond, why=""):
    global failed
    if cond:
        print("PASS: notify: " + name)
    else:
        failed += 1
        print("FAIL: notify: %s%s" % (name, " (%s)" % why if why else ""))
    sys.stdout.flush()


def lea(m):
    """(switch id, cxt id, list id, buffer id, [samples as (mac, port)])."""
    sw, cxt, lst, buf, n = struct.unpack("=QiiQI", m[4:32])
    body = m[32:]
    samples = [(body[i:i + 6], int.from_bytes(body[i + 6:i + 8], "big"))
               for i in range(0, len(body), 8)]
    return sw, cxt, lst, buf, n, samples


# ---- frames
tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
tx.bind((A1, 0))
rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
rx.bind((A2, 0))
rx.setblocking(False)


def src(n):
    return bytes([0x02, 0, 0, 0, 0x10, n])


def send(n, count=1):
    f = b"\xff" * 6 + src(n) + b"\x88\xb5" + bytes(46)
    for _ in range(count):
        tx.send(f)


def forwarded(srcs, timeout=2.0):
    """How many frames with these sources came out of A2."""
    got, end = 0, time.time() + timeout
    want = {src(n) for n in srcs}
    while time.time() < end:
        try:
            f = rx.recv(2048)
        except BlockingIOError:
            time.sleep(0.02)
            continue
        except OSError:  # ENETDOWN once after A2 went down and up
            continue
        if f[6:12] in want:
            got += 1
    return got


c = Client(int(PORT))
STD = "standard"


def learning(method, *args):
    return c.call(STD, method, [i32(1, 0), i32(2, LIST)] + list(args))


info = c.call(STD, "bm_mgmt_get_info")
ok("bm_mgmt_get_info gives the notifications socket (as p4-utils finds it)",
   info.get(3) == ADDR.encode() or info.get(3) == ADDR, repr(info))
sub = Sub(ADDR)
time.sleep(0.5)  # a SUB connects asynchronously

# ---- buffering (16 samples or 1000 ms), the filter
send(1, 2)
send(2)
send(3)
m = sub.recv_topic(b"LEA|", 4000)
ok("LEA| message received", m is not None)
if m:
    sw, cxt, lst, buf, n, samples = lea(m)
    ok("LEA| header: switch id, context, list id, buffer id 0",
       (sw, cxt, lst, buf) == (DEV, 0, LIST, 0), repr((sw, cxt, lst, buf)))
    ok("LEA| buffers the three samples in one message, the repeated one once",
       n == 3 and len(m) == 32 + 3 * 8, "n=%d len=%d" % (n, len(m)))
    ok("LEA| samples: source MAC and ingress port, big-endian",
       samples == [(src(1), 1), (src(2), 1), (src(3), 1)], repr(samples))
ok("frames forwarded while learning", forwarded([1, 2, 3]) >= 3)
send(1)
ok("a sample not acknowledged is filtered", sub.recv_topic(b"LEA|", 1500) is None)

# ---- acks and buffer settings over Thrift
learning("bm_learning_ack_buffer", (3, 10, 0))
learning("bm_learning_set_buffer_size", i32(3, 1))
send(1)
m = sub.recv_topic(b"LEA|", 800)
ok("after bm_learning_ack_buffer the sample is learned again; buffer size 1 "
   "sends it at once", m is not None and lea(m)[3] == 1 and lea(m)[5] == [(src(1), 1)],
   repr(m and lea(m)))
send(1)
ok("again filtered until acked", sub.recv_topic(b"LEA|", 800) is None)
learning("bm_learning_ack", (3, 10, 1), (4, 15, (8, [0])))
send(1)
m = sub.recv_topic(b"LEA|", 800)
ok("bm_learning_ack of sample 0 lets it be learned again (buffer id 2)",
   m is not None and lea(m)[3] == 2, repr(m and lea(m)))
learning("bm_learning_set_buffer_size", i32(3, 4))
learning("bm_learning_set_timeout", i32(3, 200))
t0 = time.time()
send(4)
send(5)
m = sub.recv_topic(b"LEA|", 2000)
ok("bm_learning_set_timeout: a partial buffer goes out after the timeout",
   m is not None and lea(m)[4] == 2, repr(m and lea(m)))
ok("unknown list id: InvalidLearnOperation INVALID_LIST_ID (1)",
   code_of(lambda: c.call(STD, "bm_learning_ack_buffer",
                          [i32(1, 0), i32(2, 99), (3, 10, 0)])) == 1)
ok("buffer size 0: InvalidLearnOperation ERROR (2)",
   code_of(lambda: learning("bm_learning_set_buffer_size", i32(3, 0))) == 2)
learning("bm_learning_ack_buffer", (3, 10, 12345))  # not outstanding: ignored

# ---- an independent tool: nanocat
p = subprocess.Popen(["nanocat", "--sub", "--connect", ADDR, "--raw"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
time.sleep(0.5)
send(6)
time.sleep(1.0)
p.kill()
out = p.communicate(timeout=5)[0]
ok("nanocat --sub receives LEA| with the sample", b"LEA|" in out and src(6) in out,
   repr(out[:80]))

# ---- ageing: an entry with a timeout, never hit
h = c.call(STD, "bm_mt_add_entry", [i32(1, 0), s(2, T_SMAC),
                                    (3, 15, (12, [exact(mac("02:00:00:00:20:01"))])),
                                    s(4, "MyIngress.known"), (5, 15, (11, [])),
                                    (6, 12, [])])
c.call(STD, "bm_mt_set_entry_ttl", [i32(1, 0), s(2, T_SMAC), i32(3, h), i32(4, 200)])
m = sub.recv_topic(b"AGE|", 5000)
ok("AGE| message for the idle entry", m is not None)
if m:
    sw, cxt, buf, tid, n = struct.unpack("=QiQiI", m[4:32])
    handles = list(struct.unpack("=%dI" % n, m[32:32 + 4 * n]))
    ok("AGE| header and handles: switch id, table id, the entry",
       sw == DEV and tid == SMAC_ID and h in handles and len(m) == 32 + 4 * n,
       repr((sw, cxt, buf, tid, n, handles)))

# ---- a learning controller as p4-learning writes one: header unpacked with
# "<iQiiQi", table entry for the source, ack of the buffer; the source is then
# known and sends no more digests
learning("bm_learning_set_buffer_size", i32(3, 1))
send(9)
m = sub.recv_topic(b"LEA|", 2000)
ok("controller: LEA| for a new source", m is not None)
if m:
    _, dev, cxt, lst, buf, num = struct.unpack("<iQiiQi", m[:32])
    for k in range(num):
        mac6 = m[32 + 8 * k:38 + 8 * k]
        c.call(STD, "bm_mt_add_entry", [i32(1, 0), s(2, T_SMAC), (3, 15, (12, [exact(mac6)])),
                                        s(4, "MyIngress.known"), (5, 15, (11, [])), (6, 12, [])])
    c.call(STD, "bm_learning_ack_buffer", [i32(1, cxt), i32(2, lst), (3, 10, buf)])
send(9, 3)
ok("controller: a learned source sends no more digests",
   sub.recv_topic(b"LEA|", 1000) is None)
send(10)
m = sub.recv_topic(b"LEA|", 2000)
ok("controller: another new source still does", m is not None and src(10) in m)

# ---- bm_reset_state: entries gone, the learn state starts afresh
c.call(STD, "bm_reset_state")
send(9)
m = sub.recv_topic(b"LEA|", 2000)
ok("after bm_reset_state a source is learned again, buffer ids from 0",
   m is not None and lea(m)[3] == 0 and lea(m)[5] == [(src(9), 1)], repr(m and lea(m)))

# ---- the same through the CLI's reset_state (line protocol, fop4-switch-cli)
cli = os.path.join(os.environ.get("FOP4_BIN", ""), "fop4-switch-cli")
if os.access(cli, os.X_OK):
    subprocess.run([cli, "--thrift-port", PORT], input=b"reset_state\n",
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
    send(9)
    m = sub.recv_topic(b"LEA|", 2000)
    ok("after the CLI's reset_state a source is learned again, buffer ids from 0",
       m is not None and lea(m)[3] == 0 and lea(m)[5] == [(src(9), 1)],
       repr(m and lea(m)))

# ---- ports: PRT| when a port goes down or up, or is added up
def prt(m):
    sw, n = struct.unpack("=QI", m[4:16])
    return sw, [struct.unpack("=ii", m[32 + 8 * i:40 + 8 * i]) for i in range(n)]


def ip_link(dev, state):
    subprocess.run(["ip", "link", "set", dev, state], check=True)


ip_link(A2, "down")
m = sub.recv_topic(b"PRT|", 3000)
ok("PRT| port 2 down when its link goes down", m is not None and prt(m) == (DEV, [(2, 0)]),
   repr(m and prt(m)))
ip_link(A2, "up")
m = sub.recv_topic(b"PRT|", 3000)
ok("PRT| port 2 up again", m is not None and prt(m) == (DEV, [(2, 1)]), repr(m and prt(m)))
c.call(STD, "bm_dev_mgr_add_port", [s(1, SPARE), i32(2, 3), s(3, "")])
m = sub.recv_topic(b"PRT|", 3000)
ok("PRT| a port added (bm_dev_mgr_add_port) is reported up",
   m is not None and prt(m) == (DEV, [(3, 1)]), repr(m and prt(m)))
c.call(STD, "bm_dev_mgr_remove_port", [i32(1, 3)])
ok("a port removed is not reported (as BMv2)", sub.recv_topic(b"PRT|", 800) is None)

# ---- no subscriber, a malformed peer: the switch keeps forwarding and publishing
sub.close()
for i in range(20):
    send(100 + i)
ok("frames forwarded with no subscriber", forwarded(range(100, 120)) >= 20)
try:
    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    u.connect(IPC)
    u.send(b"\x00SP\x00garbage that is not a nanomsg header" * 10)
    time.sleep(0.2)
    u.close()
except OSError as e:
    ok("malformed peer connects", False, str(e))
sub = Sub(ADDR)
time.sleep(0.5)
learning("bm_learning_set_buffer_size", i32(3, 1))
send(7)
m = sub.recv_topic(b"LEA|", 2000)
ok("after a malformed peer a new subscriber gets LEA|", m is not None)
forwarded([7], 0.5)
send(8)
ok("frames still forwarded", forwarded([8], 1.5) >= 1)
sub.close()
sys.exit(1 if failed else 0)
