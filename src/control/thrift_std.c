/* thrift_std.c - the "standard" service of BMv2's Thrift RPC
 * (thrift_src/standard.thrift), its match-table half: tables (direct,
 * indirect, with selector; entries read back; their direct counters and
 * meters) and action profiles. The other calls of the service (counters,
 * meters, registers, value sets, configuration, ports) are in thrift_state.c.
 * Each handler checks the names it gets (so that errors carry BMv2's codes:
 * INVALID_TABLE_NAME, INVALID_ACTION_NAME, ...), converts the Thrift values
 * and calls the switch (sw.h). Argument numbers below are the IDL's field
 * ids. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/thrift_impl.h"
#include "control/value.h"

/* TableOperationErrorCode */
enum {
    TE_TABLE_FULL = 1,
    TE_INVALID_HANDLE = 2,
    TE_COUNTERS_DISABLED = 4,
    TE_METERS_DISABLED = 5,
    TE_AGEING_DISABLED = 6,
    TE_INVALID_TABLE_NAME = 7,
    TE_INVALID_ACTION_NAME = 8,
    TE_WRONG_TABLE_TYPE = 9,
    TE_INVALID_MBR_HANDLE = 10,
    TE_MBR_STILL_USED = 11,
    TE_MBR_ALREADY_IN_GRP = 12,
    TE_MBR_NOT_IN_GRP = 13,
    TE_INVALID_GRP_HANDLE = 14,
    TE_GRP_STILL_USED = 15,
    TE_DUPLICATE_ENTRY = 17,
    TE_BAD_MATCH_KEY = 18,
    TE_DEFAULT_ACTION_IS_CONST = 20,
    TE_INVALID_ACTION_PROFILE_NAME = 23,
    TE_IMMUTABLE_TABLE_ENTRIES = 25,
    TE_BAD_ACTION_DATA = 26,
    TE_ERROR = 100,
};

/* BmMatchParamType */
enum { MP_EXACT = 0, MP_LPM = 1, MP_TERNARY = 2, MP_VALID = 3, MP_RANGE = 4 };

/* BmActionEntryType */
enum { AE_NONE = 0, AE_ACTION_DATA = 1, AE_MBR_HANDLE = 2, AE_GRP_HANDLE = 3 };

/* Memory that lives until the call ends. */
static void *
tc_alloc(struct tcall *tc, size_t n)
{
    void *p = xcalloc(1, n ? n : 1);
    VEC_PUSH(&tc->strs, (char *)p);
    return p;
}

/* Throws InvalidTableOperation for a failed sw_* call. */
static int
table_throw(struct tcall *tc, int rc, int enoent, int einval,
            const struct err *e)
{
    int code;
    /* the switch names a missing member or group in its message */
    if (e && (strstr(e->msg, "has no member") || strstr(e->msg, "no member ")))
        return tc_throw(tc, TE_INVALID_MBR_HANDLE, e->msg);
    if (e && (strstr(e->msg, "has no group") || strstr(e->msg, "no group ")))
        return tc_throw(tc, TE_INVALID_GRP_HANDLE, e->msg);
    if (e && strstr(e->msg, "no entry with handle"))
        return tc_throw(tc, TE_INVALID_HANDLE, e->msg);
    switch (rc) {
    case -EEXIST:
        code = TE_DUPLICATE_ENTRY;
        break;
    case -ENOSPC:
        code = TE_TABLE_FULL;
        break;
    case -ENOENT:
        code = enoent;
        break;
    case -EBUSY:
        code = enoent == TE_INVALID_GRP_HANDLE ? TE_GRP_STILL_USED
                                               : TE_MBR_STILL_USED;
        break;
    case -EPERM:
        code = TE_DEFAULT_ACTION_IS_CONST;
        break;
    case -EACCES:
        code = TE_IMMUTABLE_TABLE_ENTRIES;
        break;
    case -ENOTSUP:
        code = TE_WRONG_TABLE_TYPE;
        break;
    case -EINVAL:
        code = einval;
        break;
    default:
        code = TE_ERROR;
    }
    return tc_throw(tc, code, e ? e->msg : NULL);
}

static const struct sw_table_info *
get_table(struct tcall *tc, const char *name)
{
    struct err e = {0};
    const struct sw_table_info *t = sw_table_info(tc->sw, name, &e);
    if (!t)
        tc_throw(tc, TE_INVALID_TABLE_NAME, e.msg);
    return t;
}

/* The table, which must be of kind want (else WRONG_TABLE_TYPE); a table
 * with a selector also takes what an indirect one does (members), as in BMv2.
 */
static const struct sw_table_info *
get_table_kind(struct tcall *tc, const char *name, enum sw_table_kind want)
{
    const struct sw_table_info *t = get_table(tc, name);
    if (t && t->kind != want &&
        !(want == SW_TABLE_INDIRECT && t->kind == SW_TABLE_INDIRECT_WS)) {
        tc_throw(tc, TE_WRONG_TABLE_TYPE, name);
        return NULL;
    }
    return t;
}

static const struct sw_action_info *
get_action(struct tcall *tc, const char *name)
{
    struct err e = {0};
    const struct sw_action_info *a = sw_action_info(tc->sw, name, &e);
    if (!a)
        tc_throw(tc, TE_INVALID_ACTION_NAME, e.msg);
    return a;
}

static int
get_act_prof(struct tcall *tc, const char *name)
{
    struct err e = {0};
    if (sw_object_info(tc->sw, SW_OBJ_ACT_PROF, name, &e))
        return 0;
    /* BMv2's act_prof calls take an action profile; we also accept an
     * indirect table naming its profile, as the switch does */
    const struct sw_table_info *t = sw_table_info(tc->sw, name, NULL);
    if (t && t->action_profile)
        return 0;
    return tc_throw(tc, TE_INVALID_ACTION_PROFILE_NAME, e.msg);
}

/* BmActionData (list<binary>) at argument id; checks the count against a. */
static int
action_data(struct tcall *tc, int id, const struct sw_action_info *a,
            struct sw_bytes **args)
{
    const struct tval *l = tv_field(tc->args, id, TT_LIST);
    size_t n = l ? l->n : 0;
    if (n != a->n_params) {
        char why[160];
        snprintf(why, sizeof why, "action %s takes %zu parameters, %zu given",
                 a->name, a->n_params, n);
        return tc_throw(tc, TE_BAD_ACTION_DATA, why);
    }
    *args = tc_alloc(tc, (n + 1) * sizeof **args);
    for (size_t i = 0; i < n; i++) {
        if (l->kids[i].type != TT_STRING)
            return tc_throw(tc, TE_BAD_ACTION_DATA, "action data not binary");
        (*args)[i].v = l->kids[i].s;
        (*args)[i].len = l->kids[i].len;
    }
    return 0;
}

static int
all_bytes(const struct tval *b, uint8_t x)
{
    for (size_t i = 0; i < b->len; i++)
        if (b->s[i] != x)
            return 0;
    return 1;
}

static void
set_bytes(struct sw_bytes *dst, const struct tval *v)
{
    if (v) {
        dst->v = v->s;
        dst->len = v->len;
    }
}

/* BmMatchParams at argument id, for table t. */
static int
match_key(struct tcall *tc, int id, const struct sw_table_info *t,
          struct sw_match_param **out, size_t *nout)
{
    const struct tval *l = tv_field(tc->args, id, TT_LIST);
    size_t n = l ? l->n : 0;
    char why[200];
    if (n != t->n_keys) {
        snprintf(why, sizeof why, "table %s has %zu key fields, %zu given",
                 t->name, t->n_keys, n);
        return tc_throw(tc, TE_BAD_MATCH_KEY, why);
    }
    struct sw_match_param *mp = tc_alloc(tc, (n + 1) * sizeof *mp);
    uint8_t *ones = tc_alloc(tc, n + 1);
    for (size_t i = 0; i < n; i++) {
        const struct tval *p = &l->kids[i];
        const struct tval *ty = tv_field(p, 1, TT_I32);
        enum sw_match_kind k = t->keys[i].kind;
        int type = ty ? (int)ty->i : -1;
        const struct tval *sub = NULL;
        mp[i].kind = k;
        /* a missing key or mask is empty, never NULL (the switch copies it) */
        mp[i].key.v = mp[i].mask.v = (const uint8_t *)"";
        switch (type) {
        case MP_EXACT:
            sub = tv_field(p, 2, TT_STRUCT);
            if (sub && (k == SW_MATCH_EXACT || k == SW_MATCH_OPTIONAL)) {
                set_bytes(&mp[i].key, tv_field(sub, 1, TT_STRING));
                continue;
            }
            break;
        case MP_LPM:
            sub = tv_field(p, 3, TT_STRUCT);
            if (sub && k == SW_MATCH_LPM) {
                const struct tval *pl = tv_field(sub, 2, TT_I32);
                set_bytes(&mp[i].key, tv_field(sub, 1, TT_STRING));
                mp[i].prefix_len = pl ? (int)pl->i : 0;
                continue;
            }
            break;
        case MP_TERNARY:
            sub = tv_field(p, 4, TT_STRUCT);
            if (sub && k == SW_MATCH_TERNARY) {
                set_bytes(&mp[i].key, tv_field(sub, 1, TT_STRING));
                set_bytes(&mp[i].mask, tv_field(sub, 2, TT_STRING));
                continue;
            }
            if (sub && k == SW_MATCH_OPTIONAL) {
                /* runtime_CLI sends optional keys as ternary: mask all ones
                 * (match the value) or all zeros (match anything) */
                const struct tval *mask = tv_field(sub, 2, TT_STRING);
                set_bytes(&mp[i].key, tv_field(sub, 1, TT_STRING));
                if (mask && all_bytes(mask, 0)) {
                    mp[i].wildcard = 1;
                    continue;
                }
                if (!mask || all_bytes(mask, 0xff))
                    continue;
                snprintf(why, sizeof why,
                         "optional key %s: mask must be all ones or zeros",
                         t->keys[i].name);
                return tc_throw(tc, TE_BAD_MATCH_KEY, why);
            }
            break;
        case MP_VALID:
            sub = tv_field(p, 5, TT_STRUCT);
            if (sub && k == SW_MATCH_VALID) {
                const struct tval *b = tv_field(sub, 1, TT_BOOL);
                ones[i] = b && b->i ? 1 : 0;
                mp[i].key.v = &ones[i];
                mp[i].key.len = 1;
                continue;
            }
            break;
        case MP_RANGE:
            sub = tv_field(p, 6, TT_STRUCT);
            if (sub && k == SW_MATCH_RANGE) {
                set_bytes(&mp[i].key, tv_field(sub, 1, TT_STRING));
                set_bytes(&mp[i].mask, tv_field(sub, 2, TT_STRING));
                continue;
            }
            break;
        }
        snprintf(why, sizeof why, "key field %zu (%s) is %s, got match type %d",
                 i, t->keys[i].name, sw_match_kind_name(k), type);
        return tc_throw(tc, TE_BAD_MATCH_KEY, why);
    }
    *out = mp;
    *nout = n;
    return 0;
}

/* BmAddEntryOptions at argument id: the priority (-1 if none). */
static int
entry_priority(struct tcall *tc, int id)
{
    const struct tval *o = tv_field(tc->args, id, TT_STRUCT);
    const struct tval *p = tv_field(o, 1, TT_I32);
    return p ? (int)p->i : -1;
}

/* ---- writing entries back -------------------------------------------------
 */

static void
w_key_struct(struct strbuf *o, int field, const struct sw_bytes *a,
             const struct sw_bytes *b, int b_is_int, int prefix)
{
    tw_field(o, TT_STRUCT, field);
    tw_f_bin(o, 1, a->v, a->len);
    if (b)
        tw_f_bin(o, 2, b->v, b->len);
    if (b_is_int)
        tw_f_i32(o, 2, prefix);
    tw_stop(o);
}

static void
w_match_param(struct strbuf *o, const struct sw_match_param *p)
{
    switch (p->kind) {
    case SW_MATCH_EXACT:
        tw_f_i32(o, 1, MP_EXACT);
        w_key_struct(o, 2, &p->key, NULL, 0, 0);
        break;
    case SW_MATCH_LPM:
        tw_f_i32(o, 1, MP_LPM);
        w_key_struct(o, 3, &p->key, NULL, 1, p->prefix_len);
        break;
    case SW_MATCH_TERNARY:
        tw_f_i32(o, 1, MP_TERNARY);
        w_key_struct(o, 4, &p->key, &p->mask, 0, 0);
        break;
    case SW_MATCH_OPTIONAL: {
        /* as runtime_CLI sends it: ternary, mask all ones or all zeros */
        uint8_t buf[VALUE_MAX_BYTES] = {0};
        size_t n = MIN(p->key.len, sizeof buf);
        if (!p->wildcard)
            memset(buf, 0xff, n);
        struct sw_bytes mask = {buf, n}, key = {p->key.v, n};
        uint8_t zero[VALUE_MAX_BYTES] = {0};
        if (p->wildcard)
            key.v = zero;
        tw_f_i32(o, 1, MP_TERNARY);
        w_key_struct(o, 4, &key, &mask, 0, 0);
        break;
    }
    case SW_MATCH_VALID:
        tw_f_i32(o, 1, MP_VALID);
        tw_field(o, TT_STRUCT, 5);
        tw_f_bool(o, 1, p->key.len && p->key.v[p->key.len - 1]);
        tw_stop(o);
        break;
    case SW_MATCH_RANGE:
        tw_f_i32(o, 1, MP_RANGE);
        w_key_struct(o, 6, &p->key, &p->mask, 0, 0);
        break;
    }
    tw_stop(o);
}

/* BmActionEntry (as a struct value, without field header). */
static void
w_action_entry(struct strbuf *o, const struct sw_entry_info *ent)
{
    switch (ent->kind) {
    case SW_REF_ACTION:
        if (!ent->action) {
            tw_f_i32(o, 1, AE_NONE);
            break;
        }
        tw_f_i32(o, 1, AE_ACTION_DATA);
        tw_f_str(o, 2, ent->action->name);
        tw_field(o, TT_LIST, 3);
        tw_list(o, TT_STRING, ent->action->n_params);
        for (size_t i = 0; i < ent->action->n_params; i++)
            tw_bin(o, ent->args[i].v, ent->args[i].len);
        break;
    case SW_REF_MEMBER:
        tw_f_i32(o, 1, AE_MBR_HANDLE);
        tw_f_i32(o, 4, (int32_t)ent->ref_handle);
        break;
    case SW_REF_GROUP:
        tw_f_i32(o, 1, AE_GRP_HANDLE);
        tw_f_i32(o, 5, (int32_t)ent->ref_handle);
        break;
    }
    tw_stop(o);
}

struct entries_ctx {
    const struct sw_table_info *t;
    struct strbuf body; /* BmMtEntry structs */
    size_t n;
    int with_default; /* also the default entry (as a BmActionEntry) */
    struct strbuf dflt;
    int have_default;
};

static void
w_entry(struct strbuf *o, const struct sw_table_info *t,
        const struct sw_entry_info *ent)
{
    tw_field(o, TT_LIST, 1);
    tw_list(o, TT_STRUCT, ent->n_match);
    for (size_t i = 0; i < ent->n_match; i++)
        w_match_param(o, &ent->match[i]);
    /* runtime_CLI prints "Priority:" when it is >= 0: -1 for tables without
     * priorities, as BMv2 */
    tw_field(o, TT_STRUCT, 2);
    tw_f_i32(o, 1, t->with_priority ? ent->priority : -1);
    tw_stop(o);
    tw_f_i32(o, 3, (int32_t)ent->handle);
    tw_field(o, TT_STRUCT, 4);
    w_action_entry(o, ent);
    if (ent->timeout_ms) {
        tw_field(o, TT_STRUCT, 5);
        tw_f_i32(o, 1, (int32_t)ent->timeout_ms);
        tw_f_i32(o, 2, (int32_t)MIN(ent->ms_since_hit, (uint64_t)INT32_MAX));
        tw_stop(o);
    }
    tw_stop(o);
}

static void
entries_cb(void *ctx, const struct sw_entry_info *ent)
{
    struct entries_ctx *x = ctx;
    if (ent->is_default) {
        x->have_default = 1;
        strbuf_reset(&x->dflt);
        w_action_entry(&x->dflt, ent);
        return;
    }
    w_entry(&x->body, x->t, ent);
    x->n++;
}

/* ---- match tables ---------------------------------------------------------
 */

static int
mt_get_num_entries(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    struct err e = {0};
    long n = sw_table_num_entries(tc->sw, t->name, &e);
    if (n < 0)
        return table_throw(tc, (int)n, TE_INVALID_TABLE_NAME, TE_ERROR, &e);
    tw_f_i64(tc->res, 0, n);
    return 0;
}

static int
mt_clear_entries(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    struct err e = {0};
    int rc = sw_table_clear(tc->sw, t->name, &e);
    if (rc == 0 && tc_int(tc, 3))
        rc = sw_table_reset_default(tc->sw, t->name, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_TABLE_NAME, TE_ERROR, &e);
    return 0;
}

/* The add calls of the three table kinds: key at 3, what to run from
 * argument 4 on, options at opt_id. */
static int
add_entry(struct tcall *tc, enum sw_table_kind kind, enum sw_action_ref_kind rk,
          int opt_id)
{
    const struct sw_table_info *t = get_table_kind(tc, tc_str(tc, 2), kind);
    if (!t)
        return -1;
    struct sw_match_param *mp = NULL;
    size_t n = 0;
    if (match_key(tc, 3, t, &mp, &n) < 0)
        return -1;
    struct sw_action_ref ref = {.kind = rk};
    int einval = TE_BAD_MATCH_KEY, enoent = TE_INVALID_HANDLE;
    if (rk == SW_REF_ACTION) {
        const struct sw_action_info *a = get_action(tc, tc_str(tc, 4));
        struct sw_bytes *args = NULL;
        if (!a || action_data(tc, 5, a, &args) < 0)
            return -1;
        ref.action = a->name;
        ref.args = args;
        ref.n_args = a->n_params;
        enoent = TE_INVALID_ACTION_NAME;
    } else {
        ref.handle = (uint32_t)tc_int(tc, 4);
        enoent =
            rk == SW_REF_MEMBER ? TE_INVALID_MBR_HANDLE : TE_INVALID_GRP_HANDLE;
    }
    int prio = entry_priority(tc, opt_id);
    if (!t->with_priority)
        prio = 0;
    struct err e = {0};
    uint64_t h = 0;
    int rc =
        sw_table_add(tc->sw, t->name, mp, n, prio < 0 ? 0 : prio, &ref, &h, &e);
    if (rc < 0)
        return table_throw(tc, rc, enoent, einval, &e);
    tw_f_i32(tc->res, 0, (int32_t)h);
    return 0;
}

static int
mt_add_entry(struct tcall *tc)
{
    return add_entry(tc, SW_TABLE_DIRECT, SW_REF_ACTION, 6);
}

static int
mt_indirect_add_entry(struct tcall *tc)
{
    return add_entry(tc, SW_TABLE_INDIRECT, SW_REF_MEMBER, 5);
}

static int
mt_indirect_ws_add_entry(struct tcall *tc)
{
    return add_entry(tc, SW_TABLE_INDIRECT_WS, SW_REF_GROUP, 5);
}

/* Sets what an entry (handle at 3) or the default entry (default_entry)
 * runs: an action (name at aid, data at aid + 1) or a member/group handle at
 * aid. A direct table takes actions only; an indirect one members (and
 * groups with a selector). */
static int
set_action(struct tcall *tc, enum sw_action_ref_kind rk, int aid,
           int default_entry)
{
    const char *tname = tc_str(tc, 2);
    const struct sw_table_info *t =
        rk == SW_REF_ACTION ? get_table_kind(tc, tname, SW_TABLE_DIRECT)
                            : get_table(tc, tname);
    if (!t)
        return -1;
    if (rk != SW_REF_ACTION && t->kind == SW_TABLE_DIRECT)
        return tc_throw(tc, TE_WRONG_TABLE_TYPE, tname);
    if (rk == SW_REF_GROUP && t->kind != SW_TABLE_INDIRECT_WS)
        return tc_throw(tc, TE_WRONG_TABLE_TYPE, tname);
    struct sw_action_ref ref = {.kind = rk};
    int enoent = TE_INVALID_HANDLE;
    if (rk == SW_REF_ACTION) {
        const struct sw_action_info *a = get_action(tc, tc_str(tc, aid));
        struct sw_bytes *args = NULL;
        if (!a || action_data(tc, aid + 1, a, &args) < 0)
            return -1;
        ref.action = a->name;
        ref.args = args;
        ref.n_args = a->n_params;
    } else {
        ref.handle = (uint32_t)tc_int(tc, aid);
        if (default_entry)
            enoent = rk == SW_REF_MEMBER ? TE_INVALID_MBR_HANDLE
                                         : TE_INVALID_GRP_HANDLE;
    }
    struct err e = {0};
    int rc = default_entry ? sw_table_set_default(tc->sw, t->name, &ref, &e)
                           : sw_table_modify(tc->sw, t->name,
                                             (uint64_t)tc_int(tc, 3), &ref, &e);
    if (rc < 0)
        return table_throw(tc, rc, enoent, TE_BAD_ACTION_DATA, &e);
    return 0;
}

static int
mt_set_default_action(struct tcall *tc)
{
    return set_action(tc, SW_REF_ACTION, 3, 1);
}

static int
mt_modify_entry(struct tcall *tc)
{
    return set_action(tc, SW_REF_ACTION, 4, 0);
}

static int
mt_indirect_modify_entry(struct tcall *tc)
{
    return set_action(tc, SW_REF_MEMBER, 4, 0);
}

static int
mt_indirect_ws_modify_entry(struct tcall *tc)
{
    return set_action(tc, SW_REF_GROUP, 4, 0);
}

static int
mt_indirect_set_default_member(struct tcall *tc)
{
    return set_action(tc, SW_REF_MEMBER, 3, 1);
}

static int
mt_indirect_ws_set_default_group(struct tcall *tc)
{
    return set_action(tc, SW_REF_GROUP, 3, 1);
}

static int
mt_reset_default_entry(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    struct err e = {0};
    int rc = sw_table_reset_default(tc->sw, t->name, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, TE_ERROR, &e);
    return 0;
}

static int
mt_delete_entry(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    struct err e = {0};
    int rc = sw_table_delete(tc->sw, t->name, (uint64_t)tc_int(tc, 3), &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, TE_ERROR, &e);
    return 0;
}

static int
mt_set_entry_ttl(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    if (!t->with_ageing)
        return tc_throw(tc, TE_AGEING_DISABLED, t->name);
    int64_t ms = tc_int(tc, 4);
    if (ms < 0)
        return tc_throw(tc, TE_ERROR, "negative timeout");
    struct err e = {0};
    int rc = sw_table_set_timeout(tc->sw, t->name, (uint64_t)tc_int(tc, 3),
                                  (unsigned)ms, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, TE_ERROR, &e);
    return 0;
}

static const struct sw_object_info *
table_direct(struct tcall *tc, enum sw_object_kind kind,
             const struct sw_table_info **tp)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return NULL;
    const struct sw_object_info *o =
        sw_table_direct_object(tc->sw, t->name, kind);
    if (!o)
        tc_throw(tc,
                 kind == SW_OBJ_COUNTER ? TE_COUNTERS_DISABLED
                                        : TE_METERS_DISABLED,
                 t->name);
    *tp = t;
    return o;
}

static int
mt_read_counter(struct tcall *tc)
{
    const struct sw_table_info *t;
    const struct sw_object_info *o = table_direct(tc, SW_OBJ_COUNTER, &t);
    if (!o)
        return -1;
    struct err e = {0};
    uint64_t b = 0, p = 0;
    int rc =
        sw_counter_read(tc->sw, o->name, (uint64_t)tc_int(tc, 3), &b, &p, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, TE_INVALID_HANDLE, &e);
    tw_counter_result(tc->res, b, p);
    return 0;
}

static int
mt_write_counter(struct tcall *tc)
{
    const struct sw_table_info *t;
    const struct sw_object_info *o = table_direct(tc, SW_OBJ_COUNTER, &t);
    if (!o)
        return -1;
    uint64_t b, p;
    tc_counter_arg(tc, 4, &b, &p);
    struct err e = {0};
    int rc =
        sw_counter_write(tc->sw, o->name, (uint64_t)tc_int(tc, 3), b, p, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, TE_INVALID_HANDLE, &e);
    return 0;
}

static int
mt_reset_counters(struct tcall *tc)
{
    const struct sw_table_info *t;
    const struct sw_object_info *o = table_direct(tc, SW_OBJ_COUNTER, &t);
    if (!o)
        return -1;
    struct err e = {0};
    int rc = sw_counter_reset(tc->sw, o->name, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_ERROR, TE_ERROR, &e);
    return 0;
}

static int
mt_set_meter_rates(struct tcall *tc)
{
    const struct sw_table_info *t;
    const struct sw_object_info *o = table_direct(tc, SW_OBJ_METER, &t);
    if (!o)
        return -1;
    struct sw_meter_rate r[2];
    size_t n = 0;
    if (tc_rates_arg(tc, 4, r, &n) < 0)
        return tc_throw(tc, 19 /* INVALID_METER_OPERATION */, "bad rates");
    struct err e = {0};
    int rc =
        sw_meter_set_rates(tc->sw, o->name, (uint64_t)tc_int(tc, 3), r, n, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, 19, &e);
    return 0;
}

static int
mt_get_meter_rates(struct tcall *tc)
{
    const struct sw_table_info *t;
    const struct sw_object_info *o = table_direct(tc, SW_OBJ_METER, &t);
    if (!o)
        return -1;
    struct sw_meter_rate r[2];
    size_t n = 0;
    struct err e = {0};
    int rc =
        sw_meter_get_rates(tc->sw, o->name, (uint64_t)tc_int(tc, 3), r, &n, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, 19, &e);
    tw_rates_result(tc->res, r, n);
    return 0;
}

static int
mt_get_entries(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    struct entries_ctx x = {.t = t};
    struct err e = {0};
    int rc = sw_table_dump(tc->sw, t->name, entries_cb, &x, &e);
    if (rc == 0) {
        tw_field(tc->res, TT_LIST, 0);
        tw_list(tc->res, TT_STRUCT, x.n);
        strbuf_add(tc->res, x.body.s ? x.body.s : "", x.body.len);
    }
    strbuf_destroy(&x.body);
    strbuf_destroy(&x.dflt);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_TABLE_NAME, TE_ERROR, &e);
    return 0;
}

static int
read_one(struct tcall *tc, const struct sw_table_info *t, uint64_t h)
{
    struct entries_ctx x = {.t = t};
    struct err e = {0};
    int rc = sw_table_read(tc->sw, t->name, h, entries_cb, &x, &e);
    if (rc == 0 && x.n == 1) {
        tw_field(tc->res, TT_STRUCT, 0);
        strbuf_add(tc->res, x.body.s, x.body.len);
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    strbuf_destroy(&x.body);
    strbuf_destroy(&x.dflt);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, TE_ERROR, &e);
    return 0;
}

static int
mt_get_entry(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    return read_one(tc, t, (uint64_t)(uint32_t)tc_int(tc, 3));
}

static int
mt_get_default_entry(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    struct entries_ctx x = {.t = t};
    struct err e = {0};
    int rc =
        sw_table_read(tc->sw, t->name, SW_DEFAULT_ENTRY, entries_cb, &x, &e);
    if (rc == 0 || rc == -ENOENT) {
        tw_field(tc->res, TT_STRUCT, 0);
        if (x.have_default) {
            strbuf_add(tc->res, x.dflt.s, x.dflt.len);
        } else {
            tw_f_i32(tc->res, 1, AE_NONE);
            tw_stop(tc->res);
        }
        rc = 0;
    }
    strbuf_destroy(&x.body);
    strbuf_destroy(&x.dflt);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_TABLE_NAME, TE_ERROR, &e);
    return 0;
}

static int
mt_get_entry_from_key(struct tcall *tc)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return -1;
    /* an empty key names the default entry (standard.thrift) */
    const struct tval *key = tv_field(tc->args, 3, TT_LIST);
    if (t->n_keys && (!key || key->n == 0)) {
        struct entries_ctx x = {.t = t};
        struct err e = {0};
        int rc = sw_table_read(tc->sw, t->name, SW_DEFAULT_ENTRY, entries_cb,
                               &x, &e);
        if (rc == 0 && !x.have_default)
            rc = err_set(&e, -ENOENT, "table %s has no default entry", t->name);
        if (rc == 0) {
            /* a BmMtEntry without key, handle or priority */
            tw_field(tc->res, TT_STRUCT, 0);
            tw_field(tc->res, TT_LIST, 1);
            tw_list(tc->res, TT_STRUCT, 0);
            tw_field(tc->res, TT_STRUCT, 2);
            tw_f_i32(tc->res, 1, -1);
            tw_stop(tc->res);
            tw_f_i32(tc->res, 3, -1);
            tw_field(tc->res, TT_STRUCT, 4);
            strbuf_add(tc->res, x.dflt.s, x.dflt.len);
            tw_stop(tc->res);
        }
        strbuf_destroy(&x.body);
        strbuf_destroy(&x.dflt);
        return rc < 0 ? tc_throw(tc, 22 /* NO_DEFAULT_ENTRY */, e.msg) : 0;
    }
    struct sw_match_param *mp = NULL;
    size_t n = 0;
    if (match_key(tc, 3, t, &mp, &n) < 0)
        return -1;
    int prio = t->with_priority ? entry_priority(tc, 4) : 0;
    struct err e = {0};
    uint64_t h = 0;
    int rc = sw_table_find(tc->sw, t->name, mp, n, prio < 0 ? 0 : prio, &h, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_BAD_MATCH_KEY, TE_BAD_MATCH_KEY, &e);
    return read_one(tc, t, h);
}

/* ---- action profiles ------------------------------------------------------
 */

static int
ap_add_member(struct tcall *tc)
{
    const char *prof = tc_str(tc, 2);
    if (get_act_prof(tc, prof) < 0)
        return -1;
    const struct sw_action_info *a = get_action(tc, tc_str(tc, 3));
    struct sw_bytes *args = NULL;
    if (!a || action_data(tc, 4, a, &args) < 0)
        return -1;
    struct err e = {0};
    uint32_t h = 0;
    int rc = sw_act_prof_add_member(tc->sw, prof, a->name, args, a->n_params,
                                    &h, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_ACTION_NAME, TE_BAD_ACTION_DATA,
                           &e);
    tw_f_i32(tc->res, 0, (int32_t)h);
    return 0;
}

static int
ap_modify_member(struct tcall *tc)
{
    const char *prof = tc_str(tc, 2);
    if (get_act_prof(tc, prof) < 0)
        return -1;
    const struct sw_action_info *a = get_action(tc, tc_str(tc, 4));
    struct sw_bytes *args = NULL;
    if (!a || action_data(tc, 5, a, &args) < 0)
        return -1;
    struct err e = {0};
    int rc = sw_act_prof_modify_member(tc->sw, prof, (uint32_t)tc_int(tc, 3),
                                       a->name, args, a->n_params, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_MBR_HANDLE, TE_BAD_ACTION_DATA,
                           &e);
    return 0;
}

static int
ap_delete_member(struct tcall *tc)
{
    const char *prof = tc_str(tc, 2);
    if (get_act_prof(tc, prof) < 0)
        return -1;
    struct err e = {0};
    int rc =
        sw_act_prof_delete_member(tc->sw, prof, (uint32_t)tc_int(tc, 3), &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_MBR_HANDLE, TE_ERROR, &e);
    return 0;
}

static int
ap_create_group(struct tcall *tc)
{
    const char *prof = tc_str(tc, 2);
    if (get_act_prof(tc, prof) < 0)
        return -1;
    struct err e = {0};
    uint32_t h = 0;
    int rc = sw_act_prof_create_group(tc->sw, prof, &h, &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_GRP_HANDLE, TE_ERROR, &e);
    tw_f_i32(tc->res, 0, (int32_t)h);
    return 0;
}

static int
ap_delete_group(struct tcall *tc)
{
    const char *prof = tc_str(tc, 2);
    if (get_act_prof(tc, prof) < 0)
        return -1;
    struct err e = {0};
    int rc =
        sw_act_prof_delete_group(tc->sw, prof, (uint32_t)tc_int(tc, 3), &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_GRP_HANDLE, TE_ERROR, &e);
    return 0;
}

static int
ap_group_op(struct tcall *tc, int add)
{
    const char *prof = tc_str(tc, 2);
    if (get_act_prof(tc, prof) < 0)
        return -1;
    uint32_t m = (uint32_t)tc_int(tc, 3), g = (uint32_t)tc_int(tc, 4);
    struct err e = {0};
    int rc = add ? sw_act_prof_add_to_group(tc->sw, prof, m, g, &e)
                 : sw_act_prof_remove_from_group(tc->sw, prof, m, g, &e);
    if (rc == -EEXIST)
        return tc_throw(tc, TE_MBR_ALREADY_IN_GRP, e.msg);
    if (rc < 0 && !add && strstr(e.msg, "is not in group"))
        return tc_throw(tc, TE_MBR_NOT_IN_GRP, e.msg);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_MBR_HANDLE, TE_ERROR, &e);
    return 0;
}

static int
ap_add_member_to_group(struct tcall *tc)
{
    return ap_group_op(tc, 1);
}

static int
ap_remove_member_from_group(struct tcall *tc)
{
    return ap_group_op(tc, 0);
}

struct ap_ctx {
    struct strbuf body;
    size_t n;
    uint32_t want; /* UINT32_MAX: all */
};

static void
ap_member_cb(void *ctx, const struct sw_member_info *m)
{
    struct ap_ctx *x = ctx;
    if (x->want != UINT32_MAX && m->handle != x->want)
        return;
    struct strbuf *o = &x->body;
    size_t np = m->action ? m->action->n_params : 0;
    tw_f_i32(o, 1, (int32_t)m->handle);
    tw_f_str(o, 2, m->action ? m->action->name : "");
    tw_field(o, TT_LIST, 3);
    tw_list(o, TT_STRING, np);
    for (size_t i = 0; i < np; i++)
        tw_bin(o, m->args[i].v, m->args[i].len);
    tw_stop(o);
    x->n++;
}

static void
ap_group_cb(void *ctx, const struct sw_group_info *g)
{
    struct ap_ctx *x = ctx;
    if (x->want != UINT32_MAX && g->handle != x->want)
        return;
    struct strbuf *o = &x->body;
    tw_f_i32(o, 1, (int32_t)g->handle);
    tw_field(o, TT_LIST, 2);
    tw_list(o, TT_I32, g->n_members);
    for (size_t i = 0; i < g->n_members; i++)
        tw_i32(o, (int32_t)g->members[i]);
    tw_stop(o);
    x->n++;
}

/* The four getters: members or groups, all (list) or one (by handle). */
static int
ap_get(struct tcall *tc, int groups, int one)
{
    const char *prof = tc_str(tc, 2);
    if (get_act_prof(tc, prof) < 0)
        return -1;
    struct ap_ctx x = {.want = one ? (uint32_t)tc_int(tc, 3) : UINT32_MAX};
    struct err e = {0};
    int rc = sw_act_prof_dump(tc->sw, prof, groups ? NULL : ap_member_cb,
                              groups ? ap_group_cb : NULL, &x, &e);
    if (rc == 0 && one && x.n == 0)
        rc = -ENOENT;
    if (rc == 0) {
        if (one) {
            tw_field(tc->res, TT_STRUCT, 0);
        } else {
            tw_field(tc->res, TT_LIST, 0);
            tw_list(tc->res, TT_STRUCT, x.n);
        }
        strbuf_add(tc->res, x.body.s ? x.body.s : "", x.body.len);
    }
    strbuf_destroy(&x.body);
    if (rc < 0)
        return table_throw(
            tc, rc, groups ? TE_INVALID_GRP_HANDLE : TE_INVALID_MBR_HANDLE,
            TE_ERROR, &e);
    return 0;
}

static int
ap_get_members(struct tcall *tc)
{
    return ap_get(tc, 0, 0);
}

static int
ap_get_member(struct tcall *tc)
{
    return ap_get(tc, 0, 1);
}

static int
ap_get_groups(struct tcall *tc)
{
    return ap_get(tc, 1, 0);
}

static int
ap_get_group(struct tcall *tc)
{
    return ap_get(tc, 1, 1);
}

const struct thrift_method thrift_standard_methods[] = {
    {"bm_mt_get_num_entries", mt_get_num_entries},
    {"bm_mt_clear_entries", mt_clear_entries},
    {"bm_mt_add_entry", mt_add_entry},
    {"bm_mt_set_default_action", mt_set_default_action},
    {"bm_mt_reset_default_entry", mt_reset_default_entry},
    {"bm_mt_delete_entry", mt_delete_entry},
    {"bm_mt_modify_entry", mt_modify_entry},
    {"bm_mt_set_entry_ttl", mt_set_entry_ttl},
    {"bm_mt_act_prof_add_member", ap_add_member},
    {"bm_mt_act_prof_delete_member", ap_delete_member},
    {"bm_mt_act_prof_modify_member", ap_modify_member},
    {"bm_mt_act_prof_create_group", ap_create_group},
    {"bm_mt_act_prof_delete_group", ap_delete_group},
    {"bm_mt_act_prof_add_member_to_group", ap_add_member_to_group},
    {"bm_mt_act_prof_remove_member_from_group", ap_remove_member_from_group},
    {"bm_mt_act_prof_get_members", ap_get_members},
    {"bm_mt_act_prof_get_member", ap_get_member},
    {"bm_mt_act_prof_get_groups", ap_get_groups},
    {"bm_mt_act_prof_get_group", ap_get_group},
    {"bm_mt_indirect_add_entry", mt_indirect_add_entry},
    {"bm_mt_indirect_modify_entry", mt_indirect_modify_entry},
    {"bm_mt_indirect_delete_entry", mt_delete_entry},
    {"bm_mt_indirect_set_entry_ttl", mt_set_entry_ttl},
    {"bm_mt_indirect_set_default_member", mt_indirect_set_default_member},
    {"bm_mt_indirect_reset_default_entry", mt_reset_default_entry},
    {"bm_mt_indirect_ws_add_entry", mt_indirect_ws_add_entry},
    {"bm_mt_indirect_ws_modify_entry", mt_indirect_ws_modify_entry},
    {"bm_mt_indirect_ws_set_default_group", mt_indirect_ws_set_default_group},
    {"bm_mt_read_counter", mt_read_counter},
    {"bm_mt_reset_counters", mt_reset_counters},
    {"bm_mt_write_counter", mt_write_counter},
    {"bm_mt_set_meter_rates", mt_set_meter_rates},
    {"bm_mt_get_meter_rates", mt_get_meter_rates},
    {"bm_mt_get_entries", mt_get_entries},
    {"bm_mt_get_entry", mt_get_entry},
    {"bm_mt_get_default_entry", mt_get_default_entry},
    {"bm_mt_get_entry_from_key", mt_get_entry_from_key},
    {NULL, NULL},
};
