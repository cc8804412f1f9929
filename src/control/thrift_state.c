/* thrift_state.c - the rest of the "standard" service of BMv2's Thrift RPC
 * (thrift_src/standard.thrift): counters, meters, registers, parse value
 * sets, learning acks, configuration (load/swap, get, md5, reset,
 * serialize), ports (the device manager), management and CRC calls. Errors
 * are the IDL's Invalid<Kind>Operation exceptions, whose codes all start
 * with INVALID_<KIND>_NAME = 1. The match-table calls are in thrift_std.c. */
#include <errno.h>
#include <md5.h> /* libmd: bm_get_config_md5 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/notify.h"
#include "control/serialize.h"
#include "control/thrift_impl.h"
#include "control/value.h"

/* ---- BmCounterValue and BmMeterRateConfig (also for thrift_std.c) ---------
 */

void
tw_counter_result(struct strbuf *o, uint64_t bytes, uint64_t packets)
{
    tw_field(o, TT_STRUCT, 0);
    tw_f_i64(o, 1, (int64_t)bytes);
    tw_f_i64(o, 2, (int64_t)packets);
    tw_stop(o);
}

void
tc_counter_arg(struct tcall *tc, int id, uint64_t *bytes, uint64_t *packets)
{
    const struct tval *v = tv_field(tc->args, id, TT_STRUCT);
    const struct tval *b = tv_field(v, 1, TT_I64), *p = tv_field(v, 2, TT_I64);
    *bytes = b ? (uint64_t)b->i : 0;
    *packets = p ? (uint64_t)p->i : 0;
}

int
tc_rates_arg(struct tcall *tc, int id, struct sw_meter_rate *rates, size_t *n)
{
    const struct tval *l = tv_field(tc->args, id, TT_LIST);
    if (!l || l->n > 2)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        const struct tval *r = &l->kids[i];
        const struct tval *u = tv_field(r, 1, TT_DOUBLE);
        const struct tval *b = tv_field(r, 2, TT_I32);
        if (!u || !b || u->d < 0 || b->i < 0)
            return -1;
        rates[i].info_rate = u->d;
        rates[i].burst = (uint32_t)b->i;
    }
    *n = l->n;
    return 0;
}

void
tw_rates_result(struct strbuf *o, const struct sw_meter_rate *rates, size_t n)
{
    tw_field(o, TT_LIST, 0);
    tw_list(o, TT_STRUCT, n);
    for (size_t i = 0; i < n; i++) {
        tw_field(o, TT_DOUBLE, 1);
        tw_double(o, rates[i].info_rate);
        tw_f_i32(o, 2, (int32_t)rates[i].burst);
        tw_stop(o);
    }
}

/* ---- counters, meters, registers, value sets --------------------------------
 */

/* The object named by argument 2, or NULL after throwing code 1 (every
 * Invalid*Operation has INVALID_<kind>_NAME = 1). */
static const struct sw_object_info *
get_object(struct tcall *tc, enum sw_object_kind kind)
{
    struct err e = {0};
    const struct sw_object_info *o =
        sw_object_info(tc->sw, kind, tc_str(tc, 2), &e);
    if (!o)
        tc_throw(tc, 1, e.msg);
    return o;
}

static int
index_arg(struct tcall *tc, int id, const struct sw_object_info *o,
          uint64_t *idx)
{
    int64_t i = tc_int(tc, id);
    if (i < 0 || (uint64_t)i >= o->size) {
        char why[160];
        snprintf(why, sizeof why, "index %lld out of range for %s (size %zu)",
                 (long long)i, o->name, o->size);
        return tc_throw(tc, 2 /* INVALID_INDEX */, why);
    }
    *idx = (uint64_t)i;
    return 0;
}

static int
counter_read(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_COUNTER);
    uint64_t i = 0, b = 0, p = 0;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    struct err e = {0};
    if (sw_counter_read(tc->sw, o->name, i, &b, &p, &e) < 0)
        return tc_throw(tc, 3, e.msg);
    tw_counter_result(tc->res, b, p);
    return 0;
}

static int
counter_write(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_COUNTER);
    uint64_t i = 0, b = 0, p = 0;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    tc_counter_arg(tc, 4, &b, &p);
    struct err e = {0};
    if (sw_counter_write(tc->sw, o->name, i, b, p, &e) < 0)
        return tc_throw(tc, 3, e.msg);
    return 0;
}

static int
counter_reset_all(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_COUNTER);
    if (!o)
        return -1;
    struct err e = {0};
    if (sw_counter_reset(tc->sw, o->name, &e) < 0)
        return tc_throw(tc, 3, e.msg);
    return 0;
}

/* MeterOperationErrorCode */
enum { ME_BAD_RATES_LIST = 3, ME_ERROR = 6 };

static int
meter_set(struct tcall *tc, int all)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_METER);
    uint64_t i = SW_ALL_CELLS;
    if (!o || (!all && index_arg(tc, 3, o, &i) < 0))
        return -1;
    struct sw_meter_rate r[2];
    size_t n = 0;
    if (tc_rates_arg(tc, all ? 3 : 4, r, &n) < 0 || n != o->rate_count)
        return tc_throw(tc, ME_BAD_RATES_LIST, o->name);
    struct err e = {0};
    if (sw_meter_set_rates(tc->sw, o->name, i, r, n, &e) < 0)
        return tc_throw(tc, ME_ERROR, e.msg);
    return 0;
}

static int
meter_array_set_rates(struct tcall *tc)
{
    return meter_set(tc, 1);
}

static int
meter_set_rates(struct tcall *tc)
{
    return meter_set(tc, 0);
}

static int
meter_get_rates(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_METER);
    uint64_t i = 0;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    struct sw_meter_rate r[2];
    size_t n = 0;
    struct err e = {0};
    if (sw_meter_get_rates(tc->sw, o->name, i, r, &n, &e) < 0)
        return tc_throw(tc, ME_ERROR, e.msg);
    tw_rates_result(tc->res, r, n);
    return 0;
}

static int64_t
reg_value(const uint8_t *b, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n > 8 ? n - 8 : 0; i < n; i++)
        v = v << 8 | b[i];
    return (int64_t)v;
}

static int
register_read(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_REGISTER);
    uint64_t i = 0;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    uint8_t buf[VALUE_MAX_BYTES];
    size_t n = (o->bitwidth + 7) / 8;
    struct err e = {0};
    if (n > sizeof buf ||
        sw_register_read(tc->sw, o->name, i, buf, sizeof buf, &e) < 0)
        return tc_throw(tc, 3, e.msg);
    tw_f_i64(tc->res, 0, reg_value(buf, n));
    return 0;
}

static int
register_read_all(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_REGISTER);
    if (!o)
        return -1;
    uint8_t buf[VALUE_MAX_BYTES];
    size_t n = (o->bitwidth + 7) / 8;
    if (n > sizeof buf)
        return tc_throw(tc, 3, "register too wide");
    struct strbuf vals = STRBUF_INIT;
    struct err e = {0};
    for (uint64_t i = 0; i < o->size; i++) {
        if (sw_register_read(tc->sw, o->name, i, buf, sizeof buf, &e) < 0) {
            strbuf_destroy(&vals);
            return tc_throw(tc, 3, e.msg);
        }
        tw_i64(&vals, reg_value(buf, n));
    }
    tw_field(tc->res, TT_LIST, 0);
    tw_list(tc->res, TT_I64, o->size);
    strbuf_add(tc->res, vals.s ? vals.s : "", vals.len);
    strbuf_destroy(&vals);
    return 0;
}

static int
register_write_cells(struct tcall *tc, const struct sw_object_info *o,
                     uint64_t from, uint64_t to, int64_t v)
{
    uint8_t b[8];
    for (int k = 0; k < 8; k++)
        b[k] = (uint8_t)((uint64_t)v >> (8 * (7 - k)));
    struct sw_bytes val = {b, 8};
    /* a cell narrower than 64 bits keeps the low bits, as BMv2 does */
    size_t n = (o->bitwidth + 7) / 8;
    if (n < 8) {
        uint64_t mask = o->bitwidth >= 64 ? ~0ull : (1ull << o->bitwidth) - 1;
        uint64_t x = (uint64_t)v & mask;
        for (int k = 0; k < 8; k++)
            b[k] = (uint8_t)(x >> (8 * (7 - k)));
    }
    struct err e = {0};
    for (uint64_t i = from; i <= to; i++)
        if (sw_register_write(tc->sw, o->name, i, &val, &e) < 0)
            return tc_throw(tc, 3, e.msg);
    return 0;
}

static int
register_write(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_REGISTER);
    uint64_t i = 0;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    return register_write_cells(tc, o, i, i, tc_int(tc, 4));
}

static int
register_write_range(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_REGISTER);
    uint64_t a = 0, b = 0;
    if (!o || index_arg(tc, 3, o, &a) < 0 || index_arg(tc, 4, o, &b) < 0)
        return -1;
    if (b < a)
        return tc_throw(tc, 2, "end index before start index");
    return register_write_cells(tc, o, a, b, tc_int(tc, 5));
}

static int
register_reset(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_REGISTER);
    if (!o)
        return -1;
    struct err e = {0};
    if (sw_register_reset(tc->sw, o->name, &e) < 0)
        return tc_throw(tc, 3, e.msg);
    return 0;
}

static int
pvs_op(struct tcall *tc, int add)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_PVS);
    if (!o)
        return -1;
    const struct tval *v = tv_field(tc->args, 3, TT_STRING);
    struct sw_bytes val = {(const uint8_t *)"", 0}, mask = {NULL, 0};
    if (v) {
        val.v = v->s;
        val.len = v->len;
    }
    struct err e = {0};
    int rc = add ? sw_pvs_add(tc->sw, o->name, &val, &mask, &e)
                 : sw_pvs_remove(tc->sw, o->name, &val, &mask, &e);
    if (rc < 0)
        return tc_throw(tc, 2, e.msg);
    return 0;
}

static int
pvs_add(struct tcall *tc)
{
    return pvs_op(tc, 1);
}

static int
pvs_remove(struct tcall *tc)
{
    return pvs_op(tc, 0);
}

struct pvs_ctx {
    struct strbuf body;
    size_t n;
};

static void
pvs_cb(void *ctx, const struct sw_bytes *val, const struct sw_bytes *mask)
{
    struct pvs_ctx *x = ctx;
    tw_bin(&x->body, val->v, val->len);
    x->n++;
}

static int
pvs_get(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_PVS);
    if (!o)
        return -1;
    struct pvs_ctx x = {STRBUF_INIT, 0};
    struct err e = {0};
    if (sw_pvs_get(tc->sw, o->name, pvs_cb, &x, &e) < 0) {
        strbuf_destroy(&x.body);
        return tc_throw(tc, 2, e.msg);
    }
    tw_field(tc->res, TT_LIST, 0);
    tw_list(tc->res, TT_STRING, x.n);
    strbuf_add(tc->res, x.body.s ? x.body.s : "", x.body.len);
    strbuf_destroy(&x.body);
    return 0;
}

static int
pvs_clear(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_PVS);
    if (!o)
        return -1;
    struct err e = {0};
    if (sw_pvs_clear(tc->sw, o->name, &e) < 0)
        return tc_throw(tc, 2, e.msg);
    return 0;
}

/* ---- learning: the switch's notifications socket (control/notify.h) sends
 * the digests; these calls ack them and tune its buffers, as BMv2's learn
 * engine. Arguments: 1 cxt_id, 2 list_id, then 3 buffer_id (ack calls) or
 * the timeout / buffer size, and 4 the sample ids (bm_learning_ack). ----- */

/* The learn list id of argument 2 if the program has it, else -1 (thrown). */
static int
learn_list_arg(struct tcall *tc, uint32_t *id)
{
    int64_t v = tc_int(tc, 2);
    size_t n = sw_num_objects(tc->sw, SW_OBJ_LEARN);
    for (size_t i = 0; i < n; i++)
        if (sw_object_info_at(tc->sw, SW_OBJ_LEARN, i)->id == (uint32_t)v) {
            *id = (uint32_t)v;
            return 0;
        }
    return tc_throw(tc, 1 /* INVALID_LIST_ID */, "unknown learn list id");
}

static int
learning_ack(struct tcall *tc)
{
    uint32_t id;
    if (learn_list_arg(tc, &id) < 0)
        return -1;
    const struct tval *l = tv_field(tc->args, 4, TT_LIST);
    struct notify *n = notify_current();
    if (!l || !n)
        return 0;
    int32_t *ids = xcalloc(l->n + 1, sizeof *ids);
    for (size_t i = 0; i < l->n; i++)
        ids[i] = (int32_t)l->kids[i].i;
    notify_ack(n, id, (uint64_t)tc_int(tc, 3), ids, l->n);
    free(ids);
    return 0;
}

static int
learning_ack_buffer(struct tcall *tc)
{
    uint32_t id;
    if (learn_list_arg(tc, &id) < 0)
        return -1;
    if (notify_current())
        notify_ack_buffer(notify_current(), id, (uint64_t)tc_int(tc, 3));
    return 0;
}

static int
learning_set_timeout(struct tcall *tc)
{
    uint32_t id;
    if (learn_list_arg(tc, &id) < 0)
        return -1;
    int64_t ms = tc_int(tc, 3);
    if (ms < 0 || ms > UINT32_MAX)
        return tc_throw(tc, 2 /* ERROR */, "timeout out of range");
    if (notify_current())
        notify_set_timeout(notify_current(), id, (unsigned)ms);
    return 0;
}

static int
learning_set_buffer_size(struct tcall *tc)
{
    uint32_t id;
    if (learn_list_arg(tc, &id) < 0)
        return -1;
    int64_t nb = tc_int(tc, 3);
    if (nb < 1 || nb > 1000000)
        return tc_throw(tc, 2 /* ERROR */, "buffer size out of range");
    if (notify_current())
        notify_set_buffer_size(notify_current(), id, (size_t)nb);
    return 0;
}

/* ---- configuration --------------------------------------------------------
 */

static int
load_new_config(struct tcall *tc)
{
    const struct tval *v = tv_field(tc->args, 1, TT_STRING);
    struct err e = {0};
    int rc = sw_load_config(tc->sw, v ? (const char *)v->s : "", v ? v->len : 0,
                            "(thrift)", &e);
    if (rc < 0)
        return tc_throw(tc, 1 /* CONFIG_SWAP_DISABLED */, e.msg);
    return 0;
}

static int
swap_configs(struct tcall *tc)
{
    struct err e = {0};
    int rc = sw_swap_config(tc->sw, &e);
    if (rc < 0)
        return tc_throw(tc, rc == -ENOENT ? 3 /* NO_ONGOING_SWAP */ : 1, e.msg);
    cli_config_changed(tc->cli);
    notify_reset(notify_current()); /* learn lists start afresh */
    return 0;
}

static int
reset_state(struct tcall *tc)
{
    sw_reset_state(tc->sw);
    cli_config_changed(tc->cli);
    /* as BMv2's learn engine: filter, buffers, ids */
    notify_reset(notify_current());
    return 0;
}

static int
get_config(struct tcall *tc)
{
    size_t len = 0;
    const char *json = sw_get_config(tc->sw, &len);
    tw_f_bin(tc->res, 0, json ? json : "", json ? len : 0);
    return 0;
}

static int
get_config_md5(struct tcall *tc)
{
    size_t len = 0;
    const char *json = sw_get_config(tc->sw, &len);
    uint8_t d[MD5_DIGEST_LENGTH];
    MD5_CTX ctx;
    MD5Init(&ctx);
    MD5Update(&ctx, (const uint8_t *)(json ? json : ""), json ? len : 0);
    MD5Final(d, &ctx);
    tw_f_bin(tc->res, 0, d, sizeof d);
    return 0;
}

static int
serialize_state(struct tcall *tc)
{
    struct strbuf s = STRBUF_INIT;
    serialize_state_text(tc->cli, &s);
    tw_f_bin(tc->res, 0, s.s ? s.s : "", s.len);
    strbuf_destroy(&s);
    return 0;
}

static int
mgmt_get_info(struct tcall *tc)
{
    struct sw_info info;
    sw_get_info(tc->sw, &info);
    tw_field(tc->res, TT_STRUCT, 0);
    tw_f_i64(tc->res, 1, info.device_id);
    tw_f_i32(tc->res, 2, tc->cli->thrift_port);
    /* controllers (p4-utils) subscribe to the address they find here */
    if (notify_current())
        tw_f_str(tc->res, 3, notify_addr(notify_current()));
    tw_stop(tc->res);
    return 0;
}

static int
get_id_from_name(struct tcall *tc)
{
    /* BmResourceType: MATCH_TABLE, ACTION_PROFILE, COUNTER, METER, REGISTER,
     * LEARNING_LIST */
    static const int kinds[] = {-1,           SW_OBJ_ACT_PROF, SW_OBJ_COUNTER,
                                SW_OBJ_METER, SW_OBJ_REGISTER, SW_OBJ_LEARN};
    int64_t type = tc_int(tc, 2);
    const char *name = tc_str(tc, 3);
    struct err e = {0};
    if (type < 0 || type >= (int64_t)ARRAY_SIZE(kinds))
        return tc_throw(tc, 0 /* INVALID_RESOURCE_TYPE */, "resource type");
    if (type == 0) {
        const struct sw_table_info *t = sw_table_info(tc->sw, name, &e);
        if (!t)
            return tc_throw(tc, 1, e.msg);
        tw_f_i32(tc->res, 0, (int32_t)t->id);
        return 0;
    }
    const struct sw_object_info *o =
        sw_object_info(tc->sw, (enum sw_object_kind)kinds[type], name, &e);
    if (!o)
        return tc_throw(tc, 1 /* INVALID_RESOURCE_NAME */, e.msg);
    tw_f_i32(tc->res, 0, (int32_t)o->id);
    return 0;
}

static int
set_crc(struct tcall *tc, unsigned width)
{
    const struct tval *cfg = tv_field(tc->args, 3, TT_STRUCT);
    int it = width == 16 ? TT_I16 : TT_I32;
    const struct tval *poly = tv_field(cfg, 1, it);
    const struct tval *init = tv_field(cfg, 2, it);
    const struct tval *xo = tv_field(cfg, 3, it);
    const struct tval *rd = tv_field(cfg, 4, TT_BOOL);
    const struct tval *rr = tv_field(cfg, 5, TT_BOOL);
    if (!poly || !init || !xo || !rd || !rr)
        return tc_throw(tc, 3 /* INVALID_CONFIG */, "incomplete config");
    uint64_t m = width == 16 ? 0xffffu : 0xffffffffu;
    struct sw_crc_params cp = {(uint64_t)poly->i & m, (uint64_t)init->i & m,
                               (uint64_t)xo->i & m, rd->i != 0, rr->i != 0};
    struct err e = {0};
    int rc = sw_set_crc_parameters(tc->sw, tc_str(tc, 2), width, &cp, &e);
    if (rc == -EINVAL)
        return tc_throw(tc, 2 /* WRONG_TYPE_CALCULATION */, e.msg);
    if (rc < 0)
        return tc_throw(tc, 1 /* INVALID_CALCULATION_NAME */, e.msg);
    return 0;
}

static int
set_crc16(struct tcall *tc)
{
    return set_crc(tc, 16);
}

static int
set_crc32(struct tcall *tc)
{
    return set_crc(tc, 32);
}

static int
set_toeplitz_hash_key(struct tcall *tc)
{
    return tc_throw(tc, 1 /* INVALID_CALCULATION_NAME */,
                    "no toeplitz calculation in this switch");
}

/* ---- ports ------------------------------------------------------------------
 */

static int
dev_add_port(struct tcall *tc)
{
    struct cli *c = tc->cli;
    if (!c->ports || !c->ports->add)
        return tc_throw(tc, 1, "port management not available");
    const char *pcap = tc_str(tc, 3);
    struct err e = {0};
    int rc = c->ports->add(c->ports_ctx, tc_str(tc, 1), (uint32_t)tc_int(tc, 2),
                           *pcap ? pcap : NULL, &e);
    return rc < 0 ? tc_throw(tc, 1, e.msg) : 0;
}

static int
dev_remove_port(struct tcall *tc)
{
    struct cli *c = tc->cli;
    if (!c->ports || !c->ports->remove)
        return tc_throw(tc, 1, "port management not available");
    struct err e = {0};
    int rc = c->ports->remove(c->ports_ctx, (uint32_t)tc_int(tc, 1), &e);
    return rc < 0 ? tc_throw(tc, 1, e.msg) : 0;
}

struct ports_ctx {
    struct strbuf body;
    size_t n;
};

/* The port's extra text is "k=v; k=v" (portloop.c): a map for Thrift, which
 * runtime_CLI joins back with "; ". */
static void
port_cb(void *ctx, uint32_t port, const char *iface, int up, const char *extra)
{
    struct ports_ctx *x = ctx;
    tw_f_i32(&x->body, 1, (int32_t)port);
    tw_f_str(&x->body, 2, iface ? iface : "");
    tw_f_bool(&x->body, 3, up);
    struct strbuf kv = STRBUF_INIT;
    size_t n = 0;
    for (const char *p = extra ? extra : ""; *p;) {
        p += strspn(p, "; ");
        size_t len = strcspn(p, ";");
        if (!len)
            break;
        const char *eq = memchr(p, '=', len);
        size_t kl = eq ? (size_t)(eq - p) : len;
        tw_bin(&kv, p, kl);
        tw_bin(&kv, eq ? eq + 1 : "", eq ? len - kl - 1 : 0);
        n++;
        p += len;
    }
    tw_field(&x->body, TT_MAP, 4);
    tw_map(&x->body, TT_STRING, TT_STRING, n);
    strbuf_add(&x->body, kv.s ? kv.s : "", kv.len);
    strbuf_destroy(&kv);
    tw_stop(&x->body);
    x->n++;
}

static int
dev_show_ports(struct tcall *tc)
{
    struct cli *c = tc->cli;
    struct ports_ctx x = {STRBUF_INIT, 0};
    if (c->ports && c->ports->list)
        c->ports->list(c->ports_ctx, port_cb, &x);
    tw_field(tc->res, TT_LIST, 0);
    tw_list(tc->res, TT_STRUCT, x.n);
    strbuf_add(tc->res, x.body.s ? x.body.s : "", x.body.len);
    strbuf_destroy(&x.body);
    return 0;
}

const struct thrift_method thrift_state_methods[] = {
    {"bm_counter_read", counter_read},
    {"bm_counter_reset_all", counter_reset_all},
    {"bm_counter_write", counter_write},
    {"bm_learning_ack", learning_ack},
    {"bm_learning_ack_buffer", learning_ack_buffer},
    {"bm_learning_set_timeout", learning_set_timeout},
    {"bm_learning_set_buffer_size", learning_set_buffer_size},
    {"bm_load_new_config", load_new_config},
    {"bm_swap_configs", swap_configs},
    {"bm_meter_array_set_rates", meter_array_set_rates},
    {"bm_meter_set_rates", meter_set_rates},
    {"bm_meter_get_rates", meter_get_rates},
    {"bm_register_read", register_read},
    {"bm_register_read_all", register_read_all},
    {"bm_register_write", register_write},
    {"bm_register_write_range", register_write_range},
    {"bm_register_reset", register_reset},
    {"bm_parse_vset_add", pvs_add},
    {"bm_parse_vset_remove", pvs_remove},
    {"bm_parse_vset_get", pvs_get},
    {"bm_parse_vset_clear", pvs_clear},
    {"bm_dev_mgr_add_port", dev_add_port},
    {"bm_dev_mgr_remove_port", dev_remove_port},
    {"bm_dev_mgr_show_ports", dev_show_ports},
    {"bm_mgmt_get_info", mgmt_get_info},
    {"bm_set_crc16_custom_parameters", set_crc16},
    {"bm_set_crc32_custom_parameters", set_crc32},
    {"bm_set_toeplitz_hash_key", set_toeplitz_hash_key},
    {"bm_reset_state", reset_state},
    {"bm_get_config", get_config},
    {"bm_get_config_md5", get_config_md5},
    {"bm_get_id_from_name", get_id_from_name},
    {"bm_serialize_state", serialize_state},
    {NULL, NULL},
};
