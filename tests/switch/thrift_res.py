"""Stateful objects over BMv2's Thrift RPC (no packets), on three of BMv2's
test programs: indirect counters, meters and registers (indirect_res.json),
a direct meter on table entries (serialize.json), parse value sets
(parse_vset.json). Prints PASS:/FAIL:.

usage: thrift_res.py res|direct|pvs PORT
"""
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from thrift_client import (Client, code_of, TType, be, blist, i32, i64, ip4,  # noqa: E402
                           lpm, s, slist, st)

MODE, PORT = sys.argv[1:3]
c = Client(int(PORT))


def ok(name, cond, why=""):
    print("%s: thrift %s: %s%s" % ("PASS" if cond else "FAIL", MODE, name,
                                    " (%s)" % why if why and not cond else ""))


def std(method, *args):
    return c.call("standard", method, [i32(1, 0)] + list(args))


def rates(*pairs):
    return (3, TType.LIST, (TType.STRUCT, [[(1, TType.DOUBLE, r), i32(2, b)] for r, b in pairs]))


if MODE == "res":
    C, M, R = "my_indirect_counter", "my_indirect_meter", "my_register"
    std("bm_counter_write", s(2, C), i32(3, 3), st(4, [i64(1, 640), i64(2, 10)]))
    ok("counter write/read", std("bm_counter_read", s(2, C), i32(3, 3)) == {1: 640, 2: 10})
    std("bm_counter_reset_all", s(2, C))
    ok("counter reset", std("bm_counter_read", s(2, C), i32(3, 3)) == {1: 0, 2: 0})
    ok("unknown counter: INVALID_COUNTER_NAME (1)",
       code_of(lambda: std("bm_counter_read", s(2, "nosuch"), i32(3, 0))) == 1)
    r = rates((0.5, 10), (1.0, 20))
    c.call("standard", "bm_meter_set_rates", [i32(1, 0), s(2, M), i32(3, 2), (4,) + r[1:]])
    got = std("bm_meter_get_rates", s(2, M), i32(3, 2))
    ok("meter set/get rates", got == [{1: 0.5, 2: 10}, {1: 1.0, 2: 20}], repr(got))
    c.call("standard", "bm_meter_array_set_rates", [i32(1, 0), s(2, M), rates((0.25, 5), (2.0, 7))])
    got = std("bm_meter_get_rates", s(2, M), i32(3, 15))
    ok("meter_array_set_rates sets every cell", got == [{1: 0.25, 2: 5}, {1: 2.0, 2: 7}], repr(got))
    ok("one rate for a two-rate meter: BAD_RATES_LIST (3)",
       code_of(lambda: c.call("standard", "bm_meter_array_set_rates",
                              [i32(1, 0), s(2, M), rates((0.25, 5))])) == 3)
    std("bm_register_write_range", s(2, R), i32(3, 2), i32(4, 5), i64(5, 77))
    v = std("bm_register_read_all", s(2, R))
    ok("register write_range / read_all", v == [0, 0, 77, 77, 77, 77] + [0] * 10, repr(v))
    ok("register index out of range: INVALID_INDEX (2)",
       code_of(lambda: std("bm_register_read", s(2, R), i32(3, 16))) == 2)
    std("bm_register_reset", s(2, R))
    ok("register reset", std("bm_register_read", s(2, R), i32(3, 3)) == 0)
    ok("bm_get_id_from_name (REGISTER)",
       isinstance(std("bm_get_id_from_name", i32(2, 4), s(3, R)), int))
elif MODE == "direct":
    h = std("bm_mt_add_entry", s(2, "ipv4_lpm"), slist(3, [lpm(ip4("10.0.0.0"), 8)]),
            s(4, "set_nhop"), blist(5, [ip4("10.0.0.1"), be(1, 2)]), st(6, []))
    c.call("standard", "bm_mt_set_meter_rates",
           [i32(1, 0), s(2, "ipv4_lpm"), i32(3, h), (4,) + rates((0.5, 1500), (1.0, 3000))[1:]])
    got = std("bm_mt_get_meter_rates", s(2, "ipv4_lpm"), i32(3, h))
    ok("direct meter rates of an entry", got == [{1: 0.5, 2: 1500}, {1: 1.0, 2: 3000}], repr(got))
    ok("table without a direct counter: COUNTERS_DISABLED (4)",
       code_of(lambda: std("bm_mt_read_counter", s(2, "ipv4_lpm"), i32(3, h))) == 4)
    ok("table without a direct meter: METERS_DISABLED (5)",
       code_of(lambda: std("bm_mt_get_meter_rates", s(2, "forward"), i32(3, 0))) == 5)
else:
    std("bm_parse_vset_add", s(2, "pv1"), s(3, be(0x0800, 2)))
    std("bm_parse_vset_add", s(2, "pv1"), s(3, be(0x86dd, 2)))
    got = std("bm_parse_vset_get", s(2, "pv1"))
    ok("value set add/get", sorted(got) == [be(0x0800, 2), be(0x86dd, 2)], repr(got))
    std("bm_parse_vset_remove", s(2, "pv1"), s(3, be(0x0800, 2)))
    ok("value set remove", std("bm_parse_vset_get", s(2, "pv1")) == [be(0x86dd, 2)])
    std("bm_parse_vset_clear", s(2, "pv1"))
    ok("value set clear", std("bm_parse_vset_get", s(2, "pv1")) == [])
    ok("unknown value set: INVALID_PARSE_VSET_NAME (1)",
       code_of(lambda: std("bm_parse_vset_get", s(2, "nosuch"))) == 1)
c.close()
