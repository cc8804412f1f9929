/* thrift_std.c - the "standard" service of BMv2's Thrift RPC
 * (thrift_src/standard.thrift): match tables (direct, indirect, with
 * selector), action profiles, counters, meters, registers, parse value sets,
 * config load/swap, ports, management calls. Each handler checks the names
 * it gets (so that errors carry BMv2's codes: INVALID_TABLE_NAME,
 * INVALID_ACTION_NAME, ...), converts the Thrift values and calls the switch
 * (sw.h). Argument numbers below are the IDL's field ids. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/md5.h"
#include "control/serialize.h"
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

static int
table_has_priority(const struct sw_table_info *t)
{
    for (size_t i = 0; i < t->n_keys; i++)
        if (t->keys[i].kind == SW_MATCH_TERNARY ||
            t->keys[i].kind == SW_MATCH_RANGE ||
            t->keys[i].kind == SW_MATCH_OPTIONAL)
            return 1;
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
    tw_f_i32(o, 1, table_has_priority(t) ? ent->priority : -1);
    tw_stop(o);
    tw_f_i32(o, 3, (int32_t)ent->handle);
    tw_field(o, TT_STRUCT, 4);
    w_action_entry(o, ent);
    if (ent->timeout_ms) {
        tw_field(o, TT_STRUCT, 5);
        tw_f_i32(o, 1, (int32_t)ent->timeout_ms);
        tw_f_i32(o, 2, 0);
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
add_entry(struct tcall *tc, enum sw_table_kind kind,
          enum sw_action_ref_kind rk, int opt_id)
{
    const struct sw_table_info *t = get_table_kind(tc, tc_str(tc, 2), kind);
    if (!t)
        return -1;
    struct sw_match_param *mp;
    size_t n;
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
        enoent = rk == SW_REF_MEMBER ? TE_INVALID_MBR_HANDLE
                                     : TE_INVALID_GRP_HANDLE;
    }
    int prio = entry_priority(tc, opt_id);
    if (!table_has_priority(t))
        prio = 0;
    struct err e = {0};
    uint64_t h = 0;
    int rc = sw_table_add(tc->sw, t->name, mp, n, prio < 0 ? 0 : prio, &ref,
                          &h, &e);
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
    int rc = default_entry
                 ? sw_table_set_default(tc->sw, t->name, &ref, &e)
                 : sw_table_modify(tc->sw, t->name, (uint64_t)tc_int(tc, 3),
                                   &ref, &e);
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

/* The direct counter or meter of table t (NULL if none). */
static const struct sw_object_info *
direct_object(struct sw *sw, const struct sw_table_info *t,
              enum sw_object_kind kind)
{
    size_t n = sw_num_objects(sw, kind);
    for (size_t i = 0; i < n; i++) {
        const struct sw_object_info *o = sw_object_info_at(sw, kind, i);
        if (o->direct_table && !strcmp(o->direct_table, t->name))
            return o;
    }
    return NULL;
}

static const struct sw_object_info *
table_direct(struct tcall *tc, enum sw_object_kind kind,
             const struct sw_table_info **tp)
{
    const struct sw_table_info *t = get_table(tc, tc_str(tc, 2));
    if (!t)
        return NULL;
    const struct sw_object_info *o = direct_object(tc->sw, t, kind);
    if (!o)
        tc_throw(tc,
                 kind == SW_OBJ_COUNTER ? TE_COUNTERS_DISABLED
                                        : TE_METERS_DISABLED,
                 t->name);
    *tp = t;
    return o;
}

static void
w_counter(struct strbuf *o, uint64_t bytes, uint64_t packets)
{
    tw_field(o, TT_STRUCT, 0);
    tw_f_i64(o, 1, (int64_t)bytes);
    tw_f_i64(o, 2, (int64_t)packets);
    tw_stop(o);
}

/* BmCounterValue at argument id. */
static void
counter_arg(struct tcall *tc, int id, uint64_t *bytes, uint64_t *packets)
{
    const struct tval *v = tv_field(tc->args, id, TT_STRUCT);
    const struct tval *b = tv_field(v, 1, TT_I64), *p = tv_field(v, 2, TT_I64);
    *bytes = b ? (uint64_t)b->i : 0;
    *packets = p ? (uint64_t)p->i : 0;
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
    int rc = sw_counter_read(tc->sw, o->name, (uint64_t)tc_int(tc, 3), &b, &p,
                             &e);
    if (rc < 0)
        return table_throw(tc, rc, TE_INVALID_HANDLE, TE_INVALID_HANDLE, &e);
    w_counter(tc->res, b, p);
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
    counter_arg(tc, 4, &b, &p);
    struct err e = {0};
    int rc = sw_counter_write(tc->sw, o->name, (uint64_t)tc_int(tc, 3), b, p,
                              &e);
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

/* list<BmMeterRateConfig> at argument id into rates[0..*n), n <= 2. */
static int
rates_arg(struct tcall *tc, int id, struct sw_meter_rate *rates, size_t *n)
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

static void
w_rates(struct strbuf *o, const struct sw_meter_rate *rates, size_t n)
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

static int
mt_set_meter_rates(struct tcall *tc)
{
    const struct sw_table_info *t;
    const struct sw_object_info *o = table_direct(tc, SW_OBJ_METER, &t);
    if (!o)
        return -1;
    struct sw_meter_rate r[2];
    size_t n = 0;
    if (rates_arg(tc, 4, r, &n) < 0)
        return tc_throw(tc, 19 /* INVALID_METER_OPERATION */, "bad rates");
    struct err e = {0};
    int rc = sw_meter_set_rates(tc->sw, o->name, (uint64_t)tc_int(tc, 3), r,
                                n, &e);
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
    w_rates(tc->res, r, n);
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
    int rc = sw_table_read(tc->sw, t->name, SW_DEFAULT_ENTRY, entries_cb, &x,
                           &e);
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
            rc = err_set(&e, -ENOENT, "table %s has no default entry",
                         t->name);
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
    struct sw_match_param *mp;
    size_t n;
    if (match_key(tc, 3, t, &mp, &n) < 0)
        return -1;
    int prio = table_has_priority(t) ? entry_priority(tc, 4) : 0;
    struct err e = {0};
    uint64_t h;
    int rc = sw_table_find(tc->sw, t->name, mp, n, prio < 0 ? 0 : prio, &h,
                           &e);
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
    int rc = sw_act_prof_delete_member(tc->sw, prof, (uint32_t)tc_int(tc, 3),
                                       &e);
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
        return table_throw(tc, rc,
                           groups ? TE_INVALID_GRP_HANDLE
                                  : TE_INVALID_MBR_HANDLE,
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
    uint64_t i, b = 0, p = 0;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    struct err e = {0};
    if (sw_counter_read(tc->sw, o->name, i, &b, &p, &e) < 0)
        return tc_throw(tc, 3, e.msg);
    w_counter(tc->res, b, p);
    return 0;
}

static int
counter_write(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_COUNTER);
    uint64_t i, b, p;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    counter_arg(tc, 4, &b, &p);
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
    if (rates_arg(tc, all ? 3 : 4, r, &n) < 0 || n != o->rate_count)
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
    uint64_t i;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    struct sw_meter_rate r[2];
    size_t n = 0;
    struct err e = {0};
    if (sw_meter_get_rates(tc->sw, o->name, i, r, &n, &e) < 0)
        return tc_throw(tc, ME_ERROR, e.msg);
    w_rates(tc->res, r, n);
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
    uint64_t i;
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
    uint64_t i;
    if (!o || index_arg(tc, 3, o, &i) < 0)
        return -1;
    return register_write_cells(tc, o, i, i, tc_int(tc, 4));
}

static int
register_write_range(struct tcall *tc)
{
    const struct sw_object_info *o = get_object(tc, SW_OBJ_REGISTER);
    uint64_t a, b;
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

/* ---- learning: digests are drained by the switch's runtime; acks and
 * buffer settings are accepted for known lists ---------------------------- */

static int
learning_any(struct tcall *tc)
{
    int64_t id = tc_int(tc, 2);
    size_t n = sw_num_objects(tc->sw, SW_OBJ_LEARN);
    for (size_t i = 0; i < n; i++)
        if (sw_object_info_at(tc->sw, SW_OBJ_LEARN, i)->id == (uint32_t)id)
            return 0;
    return tc_throw(tc, 1 /* INVALID_LIST_ID */, "unknown learn list id");
}

/* ---- configuration --------------------------------------------------------
 */

static int
load_new_config(struct tcall *tc)
{
    const struct tval *v = tv_field(tc->args, 1, TT_STRING);
    struct err e = {0};
    int rc = sw_load_config(tc->sw, v ? (const char *)v->s : "",
                            v ? v->len : 0, "(thrift)", &e);
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
        return tc_throw(tc, rc == -ENOENT ? 3 /* NO_ONGOING_SWAP */ : 1,
                        e.msg);
    cli_config_changed(tc->cli);
    return 0;
}

static int
reset_state(struct tcall *tc)
{
    sw_reset_state(tc->sw);
    cli_config_changed(tc->cli);
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
    uint8_t d[16];
    md5(json ? json : "", json ? len : 0, d);
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
    tw_stop(tc->res);
    return 0;
}

static int
get_id_from_name(struct tcall *tc)
{
    /* BmResourceType: MATCH_TABLE, ACTION_PROFILE, COUNTER, METER, REGISTER,
     * LEARNING_LIST */
    static const int kinds[] = {-1,
                                SW_OBJ_ACT_PROF,
                                SW_OBJ_COUNTER,
                                SW_OBJ_METER,
                                SW_OBJ_REGISTER,
                                SW_OBJ_LEARN};
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

static void
port_cb(void *ctx, uint32_t port, const char *iface, int up, const char *extra)
{
    struct ports_ctx *x = ctx;
    tw_f_i32(&x->body, 1, (int32_t)port);
    tw_f_str(&x->body, 2, iface ? iface : "");
    tw_f_bool(&x->body, 3, up);
    tw_field(&x->body, TT_MAP, 4);
    if (extra && *extra) {
        tw_map(&x->body, TT_STRING, TT_STRING, 1);
        tw_str(&x->body, "info");
        tw_str(&x->body, extra);
    } else {
        tw_map(&x->body, TT_STRING, TT_STRING, 0);
    }
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
    {"bm_counter_read", counter_read},
    {"bm_counter_reset_all", counter_reset_all},
    {"bm_counter_write", counter_write},
    {"bm_learning_ack", learning_any},
    {"bm_learning_ack_buffer", learning_any},
    {"bm_learning_set_timeout", learning_any},
    {"bm_learning_set_buffer_size", learning_any},
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
