"""Action profiles and selectors over BMv2's Thrift RPC (no packets): BMv2's
ecmp.json (table ecmp_group with a selector) on a running fop4-switch. Members,
groups, indirect entries to members and groups, read-back, default group, and
BMv2's error codes (MBR_STILL_USED, GRP_STILL_USED, MBR_NOT_IN_GRP,
MBR_ALREADY_IN_GRP, WRONG_TABLE_TYPE, INVALID_MBR_HANDLE). Prints PASS:/FAIL:.

usage: thrift_ap.py PORT FOP4_BIN
"""
import subprocess
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from thrift_client import (Client, code_of, be, blist, i32, ip4, lpm, s,  # noqa: E402
                           slist, st)

PORT, BIN = sys.argv[1:3]
failed = 0


def ok(name, cond, why=""):
    global failed
    if cond:
        print("PASS: thrift ap: " + name)
    else:
        failed += 1
        print("FAIL: thrift ap: %s%s" % (name, " (%s)" % why if why else ""))


c = Client(int(PORT))
T = "ecmp_group"


def std(method, *args):
    return c.call("standard", method, [i32(1, 0)] + list(args))


m0 = std("bm_mt_act_prof_add_member", s(2, T), s(3, "set_nhop"),
         blist(4, [ip4("10.0.0.1"), be(1, 2)]))
m1 = std("bm_mt_act_prof_add_member", s(2, T), s(3, "set_nhop"),
         blist(4, [ip4("10.0.0.2"), be(2, 2)]))
g0 = std("bm_mt_act_prof_create_group", s(2, T))
std("bm_mt_act_prof_add_member_to_group", s(2, T), i32(3, m0), i32(4, g0))
std("bm_mt_act_prof_add_member_to_group", s(2, T), i32(3, m1), i32(4, g0))
ok("members 0, 1 and group 0 created", (m0, m1, g0) == (0, 1, 0), repr((m0, m1, g0)))
mem = std("bm_mt_act_prof_get_members", s(2, T))
ok("bm_mt_act_prof_get_members",
   [(x[1], x[2], x[3]) for x in mem] == [(0, b"set_nhop", [ip4("10.0.0.1"), b"\x01"]),
                                         (1, b"set_nhop", [ip4("10.0.0.2"), b"\x02"])], repr(mem))
grp = std("bm_mt_act_prof_get_group", s(2, T), i32(3, g0))
ok("bm_mt_act_prof_get_group", grp == {1: 0, 2: [0, 1]}, repr(grp))
e0 = std("bm_mt_indirect_ws_add_entry", s(2, T), slist(3, [lpm(ip4("10.0.0.0"), 8)]),
         i32(4, g0), st(5, []))
e1 = std("bm_mt_indirect_add_entry", s(2, T), slist(3, [lpm(ip4("11.0.0.0"), 8)]),
         i32(4, m1), st(5, []))
ents = std("bm_mt_get_entries", s(2, T))
ok("entries to a group and to a member read back",
   [(x[3], x[4]) for x in ents] == [(e0, {1: 3, 5: 0}), (e1, {1: 2, 4: 1})], repr(ents))
ok("member in a group cannot go: MBR_STILL_USED (11)",
   code_of(lambda: std("bm_mt_act_prof_delete_member", s(2, T), i32(3, m0))) == 11)
ok("group used by an entry cannot go: GRP_STILL_USED (15)",
   code_of(lambda: std("bm_mt_act_prof_delete_group", s(2, T), i32(3, g0))) == 15)
ok("member twice in a group: MBR_ALREADY_IN_GRP (12)",
   code_of(lambda: std("bm_mt_act_prof_add_member_to_group", s(2, T), i32(3, m0),
                       i32(4, g0))) == 12)
std("bm_mt_act_prof_remove_member_from_group", s(2, T), i32(3, m0), i32(4, g0))
ok("member not in the group: MBR_NOT_IN_GRP (13)",
   code_of(lambda: std("bm_mt_act_prof_remove_member_from_group", s(2, T), i32(3, m0),
                       i32(4, g0))) == 13)
ok("unknown member: INVALID_MBR_HANDLE (10)",
   code_of(lambda: std("bm_mt_indirect_add_entry", s(2, T),
                       slist(3, [lpm(ip4("12.0.0.0"), 8)]), i32(4, 9), st(5, []))) == 10)
ok("bm_mt_add_entry on an indirect table: WRONG_TABLE_TYPE (9)",
   code_of(lambda: std("bm_mt_add_entry", s(2, T), slist(3, [lpm(ip4("12.0.0.0"), 8)]),
                       s(4, "_drop"), blist(5, []), st(6, []))) == 9)
std("bm_mt_indirect_ws_set_default_group", s(2, T), i32(3, g0))
ok("default group set and read back",
   std("bm_mt_get_default_entry", s(2, T)) == {1: 3, 5: 0})
std("bm_mt_act_prof_modify_member", s(2, T), i32(3, m1), s(4, "_drop"), blist(5, []))
ok("bm_mt_act_prof_modify_member",
   std("bm_mt_act_prof_get_member", s(2, T), i32(3, m1)).get(2) == b"_drop")
out = subprocess.run([BIN + "/fop4-switch-cli", "--thrift-port", PORT], input="table_dump ecmp_group\n",
                     stdout=subprocess.PIPE, universal_newlines=True, timeout=30).stdout
ok("text CLI table_dump shows them", "Index: group(0)" in out and "Index: member(1)" in out and
   "Dumping group 0" in out, out)
c.close()
sys.exit(0)  # failures are the FAIL lines; an exception exits 1
