"""Drives a running fop4-switch (tests/switch/thrift_l2.p4 on ports 1..3, host
namespaces h1..h3 with MACs 00:00:00:00:00:0N and IPs 10.0.0.N) through BMv2's
Thrift RPC only, with an independent client (thrift_client.py over
python3-thrift), and checks that packets follow: table entries, counters,
registers, multicast with a LAG, errors with BMv2's exception codes, malformed
messages (connection closed, switch keeps working), config swap, state
serialization and reset. Prints PASS:/FAIL: lines.

usage: thrift_drive.py PORT FOP4_BIN SW_NS H1_NS H2_NS H3_NS JSON SPARE_IFACE
"""
import hashlib
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from thrift_client import (Client, TApplicationException, ThriftError, TType,  # noqa: E402
                           be, blist, exact, i32, i64, mac, raw_call_bytes, s,
                           slist, st, ternary)

PORT, BIN, SW, H1, H2, H3, JSON, SPARE = sys.argv[1:9]
failed = 0


def ok(name, cond, why=""):
    global failed
    if cond:
        print("PASS: thrift: " + name)
    else:
        failed += 1
        print("FAIL: thrift: %s%s" % (name, " (%s)" % why if why else ""))
    sys.stdout.flush()


def ping(ns, dst, count=3, extra=()):
    r = subprocess.run(["ip", "netns", "exec", ns, "ping", "-c", str(count), "-i", "0.2",
                        "-W", "2", *extra, dst], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=30)
    return r.returncode == 0


def cli(*lines):
    r = subprocess.run(["ip", "netns", "exec", SW, BIN + "/fop4-switch-cli", "--thrift-port",
                        PORT], input="\n".join(lines) + "\n", stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True, timeout=30)
    return r.stdout


def code_of(f):
    try:
        f()
    except ThriftError as e:
        return e.code
    except TApplicationException as e:
        return "app:%s" % e.message
    return None


c = Client(int(PORT))
STD = "standard"
T_FWD, T_ACL = "MyIngress.fwd", "MyIngress.acl"


def std(method, *args):
    return c.call(STD, method, [i32(1, 0)] + list(args))


# ---- configuration and info
cfg = c.call(STD, "bm_get_config")
md5 = c.call(STD, "bm_get_config_md5")
with open(JSON, "rb") as f:
    own = f.read()
ok("bm_get_config returns the program, bm_get_config_md5 its digest",
   cfg == own and md5 == hashlib.md5(own).digest(), "%d bytes, md5 %s" % (len(cfg), md5.hex()))
ports = c.call(STD, "bm_dev_mgr_show_ports")
ok("bm_dev_mgr_show_ports: ports 1-3 up, extra info as a map",
   sorted(p[1] for p in ports) == [1, 2, 3] and all(p[3] for p in ports) and
   all(b"rx" in p[4] for p in ports), repr(ports))
c.call(STD, "bm_dev_mgr_add_port", [s(1, SPARE), i32(2, 4), s(3, "")])
ports = c.call(STD, "bm_dev_mgr_show_ports")
ok("bm_dev_mgr_add_port", any(p[1] == 4 and p[2] == SPARE.encode() for p in ports), repr(ports))
c.call(STD, "bm_dev_mgr_remove_port", [i32(1, 4)])
ports = c.call(STD, "bm_dev_mgr_show_ports")
ok("bm_dev_mgr_remove_port", sorted(p[1] for p in ports) == [1, 2, 3], repr(ports))
ok("removing it again: InvalidDevMgrOperation",
   code_of(lambda: c.call(STD, "bm_dev_mgr_remove_port", [i32(1, 4)])) == 1)
info = c.call(STD, "bm_mgmt_get_info")
ok("bm_mgmt_get_info", info.get(2) == int(PORT), repr(info))

# ---- entries


def add_fwd(dst, action, data):
    return std("bm_mt_add_entry", s(2, T_FWD), slist(3, [exact(mac(dst))]), s(4, action),
               blist(5, data), st(6, []))


hs = [add_fwd("00:00:00:00:00:0%d" % n, "MyIngress.to_port", [be(n, 2)]) for n in (1, 2, 3)]
hb = add_fwd("ff:ff:ff:ff:ff:ff", "MyIngress.to_group", [be(1, 2)])
ok("bm_mt_add_entry gives handles 0..3", hs + [hb] == [0, 1, 2, 3], repr(hs + [hb]))
ha = std("bm_mt_add_entry", s(2, T_ACL), slist(3, [ternary(be(0x86dd, 2), be(0xffff, 2))]),
         s(4, "MyIngress.drop"), blist(5, []), st(6, [i32(1, 5)]))
ents = std("bm_mt_get_entries", s(2, T_ACL))
ok("ternary entry with priority read back by bm_mt_get_entries",
   len(ents) == 1 and ents[0][2].get(1) == 5 and ents[0][3] == ha and
   ents[0][1][0][4] == {1: be(0x86dd, 2), 2: be(0xffff, 2)} and ents[0][4][2] == b"MyIngress.drop",
   repr(ents))
ok("bm_mt_get_num_entries", std("bm_mt_get_num_entries", s(2, T_FWD)) == 4)
ok("ping h1 -> h2 through entries added over Thrift", ping(H1, "10.0.0.2"))

# ---- counters and registers
cnt = std("bm_mt_read_counter", s(2, T_FWD), i32(3, hs[1]))
ok("bm_mt_read_counter (direct counter of h2's entry)", cnt and cnt[2] >= 3 and cnt[1] >= 3 * 60,
   repr(cnt))
cnt = std("bm_counter_read", s(2, "MyIngress.in_pkts"), i32(3, 1))
ok("bm_counter_read (indirect, port 1)", cnt and cnt[2] >= 3, repr(cnt))
reg = std("bm_register_read", s(2, "MyIngress.last_src"), i32(3, 1))
ok("bm_register_read (h1's MAC, low 32 bits)", reg == 0x00000001, repr(reg))
std("bm_counter_write", s(2, "MyIngress.in_pkts"), i32(3, 7), st(4, [i64(1, 1000), i64(2, 10)]))
cnt = std("bm_counter_read", s(2, "MyIngress.in_pkts"), i32(3, 7))
ok("bm_counter_write then read", cnt == {1: 1000, 2: 10}, repr(cnt))
std("bm_register_write", s(2, "MyIngress.last_src"), i32(3, 9), i64(4, 0xdeadbeef))
allv = std("bm_register_read_all", s(2, "MyIngress.last_src"))
ok("bm_register_write then bm_register_read_all", len(allv) == 512 and allv[9] == 0xdeadbeef,
   repr(allv[:10]))

# ---- multicast with a LAG (simple_pre_lag), packets follow
PRE = "simple_pre_lag"
g = c.call(PRE, "bm_mc_mgrp_create", [i32(1, 0), i32(2, 1)])
n = c.call(PRE, "bm_mc_node_create", [i32(1, 0), i32(2, 7), s(3, "100"), s(4, "10000")])
c.call(PRE, "bm_mc_node_associate", [i32(1, 0), i32(2, g), i32(3, n)])
c.call(PRE, "bm_mc_set_lag_membership", [i32(1, 0), (2, TType.I16, 4), s(3, "1000")])
ok("bm_mc_mgrp_create returns the group id, node handle 0", (g, n) == (1, 0), repr((g, n)))
std("bm_counter_reset_all", s(2, "MyEgress.out_pkts"))
ping(H1, "10.0.0.255", count=2, extra=("-b",))  # no replies expected
time.sleep(0.3)
o2 = std("bm_counter_read", s(2, "MyEgress.out_pkts"), i32(3, 2))
o3 = std("bm_counter_read", s(2, "MyEgress.out_pkts"), i32(3, 3))
ok("broadcast replicated to port 2 (node) and port 3 (LAG 4)", o2[2] >= 2 and o3[2] >= 2,
   "port 2: %r, port 3: %r" % (o2, o3))
ent = c.call(PRE, "bm_mc_get_entries", [i32(1, 0)])
ok("bm_mc_get_entries", b'"lags":[{"id":4,"ports":[3]}]' in ent and b'"ports":[2],"lags":[4]' in ent,
   ent.decode())
out = cli("mc_dump")
ok("text CLI mc_dump shows the state made over Thrift",
   "mgrp(1)" in out and "(L1h=0, rid=7) -> (ports=[2], lags=[4])" in out, out)
c.call("simple_switch", "mirroring_session_add", [i32(1, 5), st(2, [i32(2, 1)])])
ok("mirroring_session_add / get (to a group)",
   c.call("simple_switch", "mirroring_session_get", [i32(1, 5)]) == {2: 1})
ok("set_egress_queue_depth", c.call("simple_switch", "set_egress_queue_depth",
                                    [i32(1, 2), i32(2, 100)]) == 0)

# ---- errors carry BMv2's codes and change nothing
ok("unknown table: InvalidTableOperation INVALID_TABLE_NAME (7)",
   code_of(lambda: std("bm_mt_get_num_entries", s(2, "nosuch"))) == 7)
ok("unknown action: INVALID_ACTION_NAME (8)",
   code_of(lambda: add_fwd("00:00:00:00:00:09", "MyIngress.nosuch", [])) == 8)
ok("duplicate key: DUPLICATE_ENTRY (17)",
   code_of(lambda: add_fwd("00:00:00:00:00:01", "MyIngress.to_port", [be(1, 2)])) == 17)
ok("wrong action data: BAD_ACTION_DATA (26)",
   code_of(lambda: add_fwd("00:00:00:00:00:09", "MyIngress.to_port", [])) == 26)
ok("bad key: BAD_MATCH_KEY (18)",
   code_of(lambda: std("bm_mt_add_entry", s(2, T_FWD), slist(3, []), s(4, "MyIngress.drop"),
                       blist(5, []), st(6, []))) == 18)
ok("unknown handle: INVALID_HANDLE (2)",
   code_of(lambda: std("bm_mt_delete_entry", s(2, T_FWD), i32(3, 99))) == 2)
ok("counter index out of range: InvalidCounterOperation INVALID_INDEX (2)",
   code_of(lambda: std("bm_counter_read", s(2, "MyIngress.in_pkts"), i32(3, 512))) == 2)
ok("unknown method: TApplicationException",
   str(code_of(lambda: c.call(STD, "bm_no_such_call"))).startswith("app:"))
ok("unknown multicast group: InvalidMcOperation",
   code_of(lambda: c.call(PRE, "bm_mc_node_associate", [i32(1, 0), i32(2, 9), i32(3, 0)])) == 3)
ok("entries unchanged after the errors", std("bm_mt_get_num_entries", s(2, T_FWD)) == 4)

# ---- malformed messages: the connection is closed, the switch keeps going


def closed_after(data, half_close=False):
    sk = socket.create_connection(("127.0.0.1", int(PORT)), timeout=5)
    sk.sendall(data)
    if half_close:
        sk.shutdown(socket.SHUT_WR)
    try:
        got = sk.recv(100)
    except socket.timeout:
        got = None
    sk.close()
    return got == b""


ok("field of unknown type: connection closed",
   closed_after(raw_call_bytes("standard:bm_get_config", b"\x63\x00\x01\x00")))
ok("string longer than any message: connection closed",
   closed_after(raw_call_bytes("standard:bm_get_config",
                               b"\x0b\x00\x02" + struct.pack(">i", 0x7fffffff))))
ok("not a strict message (bad version word): connection closed",
   closed_after(b"\x80\x02\x00\x01\x00\x00\x00\x00"))
ok("truncated message then EOF: connection closed",
   closed_after(raw_call_bytes("standard:bm_mt_get_num_entries", b"\x08\x00\x01"), True))
c2 = Client(int(PORT))
ok("a new connection works after the malformed ones",
   c2.call(STD, "bm_mt_get_num_entries", [i32(1, 0), s(2, T_FWD)]) == 4)
ok("still forwarding after the malformed messages", ping(H1, "10.0.0.3"))
c3 = Client(int(PORT), strict=False)
ok("an old non-strict TBinaryProtocol client is served",
   c3.call(STD, "bm_mt_get_num_entries", [i32(1, 0), s(2, T_FWD)]) == 4)
c3.close()

# ---- entry timeouts (ageing)
std("bm_mt_set_entry_ttl", s(2, T_FWD), i32(3, hs[0]), i32(4, 60000))
e = std("bm_mt_get_entry", s(2, T_FWD), i32(3, hs[0]))
ok("bm_mt_set_entry_ttl, read back as the entry's life",
   e.get(5, {}).get(1) == 60000 and 0 <= e[5].get(2, -1) < 60000, repr(e))
ok("timeout on a table without ageing: AGEING_DISABLED (6)",
   code_of(lambda: std("bm_mt_set_entry_ttl", s(2, T_ACL), i32(3, ha), i32(4, 1000))) == 6)

# ---- modify, read back, serialize, swap, reset
std("bm_mt_modify_entry", s(2, T_FWD), i32(3, hs[2]), s(4, "MyIngress.drop"), blist(5, []))
e = std("bm_mt_get_entry", s(2, T_FWD), i32(3, hs[2]))
ok("bm_mt_modify_entry then bm_mt_get_entry", e[4].get(2) == b"MyIngress.drop", repr(e))
ok("h3 unreachable once its entry drops", not ping(H1, "10.0.0.3", count=1))
std("bm_mt_set_default_action", s(2, T_FWD), s(3, "MyIngress.to_port"), blist(4, [be(2, 2)]))
d = std("bm_mt_get_default_entry", s(2, T_FWD))
fk = std("bm_mt_get_entry_from_key", s(2, T_FWD), slist(3, []), st(4, []))
ok("bm_mt_get_entry_from_key with an empty key: the default entry",
   fk.get(1) == [] and fk.get(4, {}).get(2) == b"MyIngress.to_port", repr(fk))
ok("bm_mt_set_default_action / bm_mt_get_default_entry",
   d.get(1) == 1 and d.get(2) == b"MyIngress.to_port", repr(d))
ser = c.call(STD, "bm_serialize_state").decode()
ok("bm_serialize_state lists entries, multicast and mirroring as commands",
   "table_add MyIngress.fwd MyIngress.to_port 0x000000000001 => 0x01" in ser and
   "mc_node_create 7 2 | 4" in ser and "mc_set_lag_membership 4 3" in ser and
   "mirroring_add_mc 5 1" in ser, ser)
c.call(STD, "bm_load_new_config", [s(1, own)])
c.call(STD, "bm_swap_configs")
ok("bm_load_new_config + bm_swap_configs: state starts empty",
   std("bm_mt_get_num_entries", s(2, T_FWD)) == 0)
out = cli("show_tables")
ok("text CLI knows the swapped program", "MyIngress.fwd" in out, out)
ok("bm_swap_configs without a loaded config: NO_ONGOING_SWAP (3)",
   code_of(lambda: c.call(STD, "bm_swap_configs")) == 3)
add_fwd("00:00:00:00:00:02", "MyIngress.to_port", [be(2, 2)])
c.call(STD, "bm_reset_state")
ok("bm_reset_state clears entries",
   std("bm_mt_get_num_entries", s(2, T_FWD)) == 0 and
   b'"mgrps":[]' in c.call(PRE, "bm_mc_get_entries", [i32(1, 0)]))
c.close()
c2.close()
sys.exit(0)  # failures are the FAIL lines; an exception exits 1
