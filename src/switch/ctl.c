/* ctl.c - the switch's control API (sw.h): introspection, table entries,
 * action profiles, multicast, mirroring, counters, meters, registers, value
 * sets, queues, config load/swap, reset. Every call takes sw->lock, so a change
 * lands between two packet batches (sw.c). Names resolve through prog_lookup()
 * (load.c): full names or unique suffixes, with did-you-mean. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/strbuf.h"
#include "lib/util.h"
#include "switch/sw_int.h"

void sw_reset_runtime(struct sw *sw);

#define LOCK(sw) pthread_mutex_lock(&(sw)->lock)
#define UNLOCK(sw) pthread_mutex_unlock(&(sw)->lock)

static int
no_prog(struct sw *sw, struct err *e)
{
    if (sw->prog)
        return 0;
    return err_set(e, -ENOENT, "no P4 program loaded");
}

/* ---- introspection ---------------------------------------------------------
 */

size_t
sw_num_tables(struct sw *sw)
{
    return sw->prog ? (size_t)sw->prog->n_tables : 0;
}

const struct sw_table_info *
sw_table_info_at(struct sw *sw, size_t i)
{
    return sw->prog && i < (size_t)sw->prog->n_tables
               ? &sw->prog->tables[i].info
               : NULL;
}

/* The switch's clock (microseconds since creation), as the data path's. */
static uint64_t
now_us(struct sw *sw)
{
    return sw_clock_rel(sw);
}

/* The errno of a failed name lookup (e is set by prog_lookup). */
static int
lookup_rc(const struct err *e)
{
    return e && e->code ? e->code : -ENOENT;
}

static struct table *
find_table(struct sw *sw, const char *name, struct err *e)
{
    if (no_prog(sw, e))
        return NULL;
    int t = prog_lookup(sw->prog, "table", name, e);
    return t < 0 ? NULL : &sw->prog->tables[t];
}

const struct sw_table_info *
sw_table_info(struct sw *sw, const char *name, struct err *e)
{
    struct table *t = find_table(sw, name, e);
    return t ? &t->info : NULL;
}

size_t
sw_num_actions(struct sw *sw)
{
    return sw->prog ? (size_t)sw->prog->n_actions : 0;
}

const struct sw_action_info *
sw_action_info_at(struct sw *sw, size_t i)
{
    return sw->prog && i < (size_t)sw->prog->n_actions
               ? &sw->prog->actions[i].info
               : NULL;
}

const struct sw_action_info *
sw_action_by_id(struct sw *sw, uint32_t id)
{
    if (!sw->prog)
        return NULL;
    for (int i = 0; i < sw->prog->n_actions; i++)
        if (sw->prog->actions[i].info.id == id)
            return &sw->prog->actions[i].info;
    return NULL;
}

const struct sw_action_info *
sw_action_info(struct sw *sw, const char *name, struct err *e)
{
    if (no_prog(sw, e))
        return NULL;
    int a = prog_lookup(sw->prog, "action", name, e);
    return a < 0 ? NULL : &sw->prog->actions[a].info;
}

static const char *const obj_kinds[] = {"counter",  "meter", "register",
                                        "act_prof", "pvs",   "learn"};

static const struct sw_object_info *
obj_at(struct prog *p, enum sw_object_kind k, size_t i)
{
    switch (k) {
    case SW_OBJ_COUNTER:
        return i < (size_t)p->n_counters ? &p->counters[i].info : NULL;
    case SW_OBJ_METER:
        return i < (size_t)p->n_meters ? &p->meters[i].info : NULL;
    case SW_OBJ_REGISTER:
        return i < (size_t)p->n_registers ? &p->registers[i].info : NULL;
    case SW_OBJ_ACT_PROF:
        return i < (size_t)p->n_profs ? &p->profs[i].info : NULL;
    case SW_OBJ_PVS:
        return i < (size_t)p->n_pvs ? &p->pvss[i].info : NULL;
    case SW_OBJ_LEARN:
        return i < (size_t)p->n_learns ? &p->learns[i].info : NULL;
    }
    return NULL;
}

size_t
sw_num_objects(struct sw *sw, enum sw_object_kind kind)
{
    struct prog *p = sw->prog;
    if (!p)
        return 0;
    switch (kind) {
    case SW_OBJ_COUNTER:
        return (size_t)p->n_counters;
    case SW_OBJ_METER:
        return (size_t)p->n_meters;
    case SW_OBJ_REGISTER:
        return (size_t)p->n_registers;
    case SW_OBJ_ACT_PROF:
        return (size_t)p->n_profs;
    case SW_OBJ_PVS:
        return (size_t)p->n_pvs;
    case SW_OBJ_LEARN:
        return (size_t)p->n_learns;
    }
    return 0;
}

const struct sw_object_info *
sw_object_info_at(struct sw *sw, enum sw_object_kind kind, size_t i)
{
    return sw->prog ? obj_at(sw->prog, kind, i) : NULL;
}

const struct sw_object_info *
sw_table_direct_object(struct sw *sw, const char *table,
                       enum sw_object_kind kind)
{
    size_t n = sw_num_objects(sw, kind);
    for (size_t i = 0; i < n; i++) {
        const struct sw_object_info *o = sw_object_info_at(sw, kind, i);
        if (o->direct_table && !strcmp(o->direct_table, table))
            return o;
    }
    return NULL;
}

static int
find_obj(struct sw *sw, enum sw_object_kind kind, const char *name,
         struct err *e)
{
    if (no_prog(sw, e))
        return -1;
    return prog_lookup(sw->prog, obj_kinds[kind], name, e);
}

const struct sw_object_info *
sw_object_info(struct sw *sw, enum sw_object_kind kind, const char *name,
               struct err *e)
{
    int i = find_obj(sw, kind, name, e);
    return i < 0 ? NULL : obj_at(sw->prog, kind, (size_t)i);
}

/* ---- table entries
 * ----------------------------------------------------------- */

/* Of the actions named as action a, the one table t lists (p4c gives each
 * table its own copy of an action whose parameters it binds differently, all
 * under one name, as BMv2 resolves names per table); a if t lists none. */
static int
own_action(const struct prog *p, const struct table *t, int a)
{
    if (t->next_by_action[a] != -2)
        return a;
    for (int i = 0; i < p->n_actions; i++)
        if (t->next_by_action[i] != -2 &&
            !strcmp(p->actions[i].info.name, p->actions[a].info.name))
            return i;
    return a;
}

/* Resolves what an entry runs into en/act fields. */
static int
resolve_ref(struct sw *sw, struct table *t, const struct sw_action_ref *ar,
            struct act_call *call, struct err *e)
{
    struct prog *p = sw->prog;
    call->action = -1;
    call->args = NULL;
    if (ar->kind == SW_REF_ACTION) {
        if (t->act_prof >= 0)
            return err_set(
                e, -EINVAL,
                "table %s is indirect: add members to action profile "
                "%s and point entries to them",
                t->info.name, p->profs[t->act_prof].info.name);
        int a = prog_lookup(p, "action", ar->action ? ar->action : "", e);
        if (a < 0)
            return lookup_rc(e);
        a = own_action(p, t, a);
        if (t->next_by_action[a] == -2)
            return err_set(e, -EINVAL, "action %s is not an action of table %s",
                           p->actions[a].info.name, t->info.name);
        return act_call_build(p, a, ar->args, ar->n_args, call, e);
    }
    if (t->act_prof < 0)
        return err_set(e, -EINVAL, "table %s is not an indirect table",
                       t->info.name);
    struct act_prof *ap = &p->profs[t->act_prof];
    if (ar->kind == SW_REF_MEMBER) {
        if (ar->handle >= (uint32_t)ap->n_mbrs || !ap->mbrs[ar->handle].used)
            return err_set(e, -EINVAL, "no member %u in action profile %s",
                           ar->handle, ap->info.name);
    } else {
        if (t->info.kind != SW_TABLE_INDIRECT_WS)
            return err_set(e, -EINVAL, "table %s has no action selector",
                           t->info.name);
        if (ar->handle >= (uint32_t)ap->n_grps || !ap->grps[ar->handle].used)
            return err_set(e, -EINVAL, "no group %u in action profile %s",
                           ar->handle, ap->info.name);
    }
    return 0;
}

static void
ref_count(struct sw *sw, struct table *t, enum sw_action_ref_kind k, uint32_t h,
          int d)
{
    if (t->act_prof < 0 || k == SW_REF_ACTION)
        return;
    struct act_prof *ap = &sw->prog->profs[t->act_prof];
    if (k == SW_REF_MEMBER && h < (uint32_t)ap->n_mbrs)
        ap->mbrs[h].refs += d;
    if (k == SW_REF_GROUP && h < (uint32_t)ap->n_grps)
        ap->grps[h].refs += d;
}

int
sw_table_add(struct sw *sw, const char *table,
             const struct sw_match_param *match, size_t n_match, int priority,
             const struct sw_action_ref *act, uint64_t *handle, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    uint8_t *key = NULL, *mask = NULL;
    struct act_call call = {.action = -1};
    struct table *t = find_table(sw, table, e);
    if (!t) {
        rc = lookup_rc(e);
        goto out;
    }
    key = xcalloc((size_t)t->key_bytes + 1, 1);
    mask = xcalloc((size_t)t->key_bytes + 1, 1);
    int plen;
    if ((rc = table_pack_entry(t, match, n_match, key, mask, &plen, e)))
        goto out;
    if ((rc = resolve_ref(sw, t, act, &call, e)))
        goto out;
    if (!t->n_keys) {
        rc = err_set(e, -EINVAL, "table %s has no key: set its default action",
                     t->info.name);
        goto out;
    }
    rc = table_insert(t, key, mask, plen, priority, handle);
    if (rc == -EEXIST) {
        err_set(e, rc, "table %s: an entry with this key already exists",
                t->info.name);
        goto out;
    }
    if (rc == -ENOSPC) {
        err_set(e, rc, "table %s is full (%zu entries)", t->info.name,
                t->info.max_size);
        goto out;
    }
    struct entry *en = &t->ents[table_find_handle(t, *handle)];
    en->last_hit_us = now_us(sw);
    en->kind = act->kind;
    en->ref = act->handle;
    en->call = call;
    call.args = NULL;
    ref_count(sw, t, act->kind, act->handle, 1);
out:
    act_call_free(&call);
    free(key);
    free(mask);
    UNLOCK(sw);
    return rc;
}

static struct entry *
find_entry(struct table *t, uint64_t handle, struct err *e)
{
    int ei = table_find_handle(t, handle);
    if (ei < 0) {
        err_set(e, -ENOENT, "table %s has no entry with handle %llu",
                t->info.name, (unsigned long long)handle);
        return NULL;
    }
    return &t->ents[ei];
}

int
sw_table_modify(struct sw *sw, const char *table, uint64_t handle,
                const struct sw_action_ref *act, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_call call = {.action = -1};
    struct table *t = find_table(sw, table, e);
    struct entry *en = t ? find_entry(t, handle, e) : NULL;
    if (!en)
        goto out;
    if ((rc = resolve_ref(sw, t, act, &call, e)))
        goto out;
    ref_count(sw, t, en->kind, en->ref, -1);
    act_call_free(&en->call);
    en->call = call;
    call.args = NULL;
    en->kind = act->kind;
    en->ref = act->handle;
    ref_count(sw, t, en->kind, en->ref, 1);
out:
    act_call_free(&call);
    UNLOCK(sw);
    return rc;
}

int
sw_table_delete(struct sw *sw, const char *table, uint64_t handle,
                struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct table *t = find_table(sw, table, e);
    struct entry *en = t ? find_entry(t, handle, e) : NULL;
    if (en) {
        ref_count(sw, t, en->kind, en->ref, -1);
        rc = table_remove(t, handle);
    }
    UNLOCK(sw);
    return rc;
}

int
sw_table_clear(struct sw *sw, const char *table, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct table *t = find_table(sw, table, e);
    if (t) {
        for (int i = 0; i < t->n_ents; i++)
            if (t->ents[i].used && !t->ents[i].is_const)
                ref_count(sw, t, t->ents[i].kind, t->ents[i].ref, -1);
        table_clear_entries(t);
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_table_set_default(struct sw *sw, const char *table,
                     const struct sw_action_ref *act, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_call call = {.action = -1};
    struct table *t = find_table(sw, table, e);
    if (!t) {
        rc = lookup_rc(e);
        goto out;
    }
    if ((rc = resolve_ref(sw, t, act, &call, e)))
        goto out;
    if (t->info.const_default && act->kind == SW_REF_ACTION &&
        call.action != t->prog_def.action) {
        rc = err_set(e, -EPERM,
                     "table %s: the default action is const and cannot be "
                     "changed",
                     t->info.name);
        goto out;
    }
    ref_count(sw, t, t->def_kind, t->def_ref, -1);
    act_call_free(&t->def);
    t->def = call;
    call.args = NULL;
    t->def_kind = act->kind;
    t->def_ref = act->handle;
    t->def_set = 1;
    ref_count(sw, t, t->def_kind, t->def_ref, 1);
out:
    act_call_free(&call);
    UNLOCK(sw);
    return rc;
}

static void
reset_default(const struct prog *p, struct table *t)
{
    act_call_free(&t->def);
    t->def.action = t->prog_def.action;
    t->def_kind = SW_REF_ACTION;
    t->def_set = 0;
    if (t->prog_def.action >= 0)
        t->def.args = act_args_dup(p, t->prog_def.action, t->prog_def.args);
}

int
sw_table_reset_default(struct sw *sw, const char *table, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct table *t = find_table(sw, table, e);
    if (t) {
        ref_count(sw, t, t->def_kind, t->def_ref, -1);
        reset_default(sw->prog, t);
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_table_set_timeout(struct sw *sw, const char *table, uint64_t handle,
                     unsigned ms, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct table *t = find_table(sw, table, e);
    struct entry *en = t ? find_entry(t, handle, e) : NULL;
    if (en) {
        if (!t->info.with_ageing) {
            err_set(e, -EINVAL, "table %s does not support timeouts",
                    t->info.name);
        } else {
            en->timeout_ms = ms;
            en->last_hit_us = now_us(sw);
            en->last_report_us = 0;
            rc = 0;
        }
    }
    UNLOCK(sw);
    if (!rc && ms)
        ageing_start(sw);
    return rc;
}

long
sw_table_num_entries(struct sw *sw, const char *table, struct err *e)
{
    LOCK(sw);
    struct table *t = find_table(sw, table, e);
    long n = t ? t->n_used : -EINVAL;
    UNLOCK(sw);
    return n;
}

int
sw_table_find(struct sw *sw, const char *table,
              const struct sw_match_param *match, size_t n_match, int priority,
              uint64_t *handle, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    uint8_t *key = NULL, *mask = NULL;
    struct table *t = find_table(sw, table, e);
    if (!t) {
        rc = lookup_rc(e);
        goto out;
    }
    key = xcalloc((size_t)t->key_bytes + 1, 1);
    mask = xcalloc((size_t)t->key_bytes + 1, 1);
    int plen;
    if ((rc = table_pack_entry(t, match, n_match, key, mask, &plen, e)))
        goto out;
    for (int k = 0; k < t->n_keys; k++) {
        const struct mkey *mk = &t->keys[k];
        if (mk->info.kind == SW_MATCH_RANGE)
            continue; /* range bounds are stored as given */
        for (int i = 0; i < mk->bytes; i++)
            key[mk->off + i] &= mask[mk->off + i];
    }
    int ei = table_find_key(t, key, mask, priority);
    if (ei < 0) {
        rc = err_set(e, -ENOENT, "table %s: no entry with this key",
                     t->info.name);
        goto out;
    }
    *handle = t->ents[ei].handle;
    rc = 0;
out:
    free(key);
    free(mask);
    UNLOCK(sw);
    return rc;
}

/* An action argument as BMv2 reports it: the fewest big-endian bytes that hold
 * the value (at least one). */
static void
min_bytes(const struct val *v, unsigned bits, uint8_t *buf,
          struct sw_bytes *out)
{
    size_t nb = (bits + 7) / 8;
    if (!nb)
        nb = 1;
    val_to_bytes(v, buf, nb);
    size_t skip = 0;
    while (skip + 1 < nb && !buf[skip])
        skip++;
    out->v = buf + skip;
    out->len = nb - skip;
}

static void
entry_report(struct sw *sw, struct table *t, struct entry *en, int is_default,
             sw_entry_fn fn, void *ctx)
{
    struct prog *p = sw->prog;
    struct sw_entry_info ei;
    struct sw_match_param mp[64];
    struct sw_bytes args[64];
    uint8_t abuf[64][VAL_W * 8];
    memset(&ei, 0, sizeof ei);
    ei.is_default = is_default;
    const struct act_call *c;
    if (is_default) {
        ei.handle = SW_DEFAULT_ENTRY;
        ei.kind = t->def_kind;
        ei.ref_handle = t->def_ref;
        c = &t->def;
    } else {
        ei.handle = en->handle;
        ei.priority = en->priority;
        ei.kind = en->kind;
        ei.ref_handle = en->ref;
        ei.timeout_ms = en->timeout_ms;
        ei.ms_since_hit = (now_us(sw) - en->last_hit_us) / 1000;
        ei.hit_packets = en->cnt_pkts;
        ei.hit_bytes = en->cnt_bytes;
        c = &en->call;
        size_t nk = MIN((size_t)t->n_keys, ARRAY_SIZE(mp));
        for (size_t k = 0; k < nk; k++) {
            const struct mkey *mk = &t->keys[k];
            mp[k].kind = mk->info.kind;
            mp[k].key.v = en->raw + mk->off;
            mp[k].key.len = (size_t)mk->bytes;
            mp[k].mask.v = en->mask + mk->off;
            mp[k].mask.len = (size_t)mk->bytes;
            if (mk->info.kind == SW_MATCH_LPM)
                mp[k].prefix_len =
                    en->plen - (mk->bytes * 8 - (int)mk->info.bitwidth);
            if (mk->info.kind == SW_MATCH_OPTIONAL) {
                int any = 0;
                for (int i = 0; i < mk->bytes; i++)
                    any |= en->mask[mk->off + i];
                mp[k].wildcard = !any;
            }
        }
        ei.n_match = nk;
        ei.match = mp;
    }
    if (ei.kind == SW_REF_ACTION && c->action >= 0) {
        const struct action *a = &p->actions[c->action];
        ei.action = &a->info;
        size_t np = MIN(a->info.n_params, ARRAY_SIZE(args));
        for (size_t i = 0; i < np; i++) {
            struct val v;
            act_arg_get(a, c->args, i, &v);
            min_bytes(&v, a->params[i].bitwidth, abuf[i], &args[i]);
        }
        ei.args = args;
    }
    fn(ctx, &ei);
}

int
sw_table_dump(struct sw *sw, const char *table, sw_entry_fn fn, void *ctx,
              struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct table *t = find_table(sw, table, e);
    if (t) {
        for (int i = 0; i < t->n_ents; i++)
            if (t->ents[i].used)
                entry_report(sw, t, &t->ents[i], 0, fn, ctx);
        if (t->def.action >= 0 || t->def_kind != SW_REF_ACTION)
            entry_report(sw, t, NULL, 1, fn, ctx);
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_table_read(struct sw *sw, const char *table, uint64_t handle, sw_entry_fn fn,
              void *ctx, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct table *t = find_table(sw, table, e);
    if (t) {
        if (handle == SW_DEFAULT_ENTRY) {
            entry_report(sw, t, NULL, 1, fn, ctx);
            rc = 0;
        } else {
            struct entry *en = find_entry(t, handle, e);
            if (en) {
                entry_report(sw, t, en, 0, fn, ctx);
                rc = 0;
            }
        }
    }
    UNLOCK(sw);
    return rc;
}

/* ---- action profiles
 * ---------------------------------------------------------- */

static struct act_prof *
find_prof(struct sw *sw, const char *name, struct err *e)
{
    if (no_prog(sw, e))
        return NULL;
    struct err e2 = {0};
    int i = prog_lookup(sw->prog, "act_prof", name, &e2);
    if (i >= 0)
        return &sw->prog->profs[i];
    int t = prog_lookup(sw->prog, "table", name, NULL);
    if (t >= 0 && sw->prog->tables[t].act_prof >= 0)
        return &sw->prog->profs[sw->prog->tables[t].act_prof];
    err_set(e, e2.code, "%s", e2.msg);
    return NULL;
}

static struct member *
find_member(struct act_prof *ap, uint32_t m, struct err *e)
{
    if (m >= (uint32_t)ap->n_mbrs || !ap->mbrs[m].used) {
        err_set(e, -ENOENT, "action profile %s has no member %u", ap->info.name,
                m);
        return NULL;
    }
    return &ap->mbrs[m];
}

static struct group *
find_group(struct act_prof *ap, uint32_t g, struct err *e)
{
    if (g >= (uint32_t)ap->n_grps || !ap->grps[g].used) {
        err_set(e, -ENOENT, "action profile %s has no group %u", ap->info.name,
                g);
        return NULL;
    }
    return &ap->grps[g];
}

static int
prof_action(struct sw *sw, struct act_prof *ap, const char *action,
            const struct sw_bytes *args, size_t n, struct act_call *c,
            struct err *e)
{
    int a = prog_lookup(sw->prog, "action", action, e);
    if (a < 0)
        return -EINVAL;
    /* must be an action of a table using this profile */
    int ok = 0;
    for (int t = 0; t < sw->prog->n_tables && !ok; t++) {
        struct table *tb = &sw->prog->tables[t];
        if (tb->act_prof == ap - sw->prog->profs) {
            a = own_action(sw->prog, tb, a);
            ok = tb->next_by_action[a] != -2;
        }
    }
    if (!ok)
        return err_set(e, -EINVAL, "action %s is not an action of profile %s",
                       sw->prog->actions[a].info.name, ap->info.name);
    return act_call_build(sw->prog, a, args, n, c, e);
}

int
sw_act_prof_add_member(struct sw *sw, const char *prof, const char *action,
                       const struct sw_bytes *args, size_t n_args,
                       uint32_t *member, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_call c = {.action = -1};
    struct act_prof *ap = find_prof(sw, prof, e);
    if (!ap || (rc = prof_action(sw, ap, action, args, n_args, &c, e)))
        goto out;
    int m = -1;
    for (int i = 0; i < ap->n_mbrs; i++)
        if (!ap->mbrs[i].used) {
            m = i;
            break;
        }
    if (m < 0) {
        if (ap->n_mbrs == ap->cap_mbrs) {
            ap->cap_mbrs = ap->cap_mbrs ? ap->cap_mbrs * 2 : 16;
            ap->mbrs =
                xrealloc(ap->mbrs, (size_t)ap->cap_mbrs * sizeof *ap->mbrs);
        }
        m = ap->n_mbrs++;
    }
    memset(&ap->mbrs[m], 0, sizeof ap->mbrs[m]);
    ap->mbrs[m].used = 1;
    ap->mbrs[m].handle = (uint32_t)m;
    ap->mbrs[m].call = c;
    c.args = NULL;
    *member = (uint32_t)m;
    rc = 0;
out:
    act_call_free(&c);
    UNLOCK(sw);
    return rc;
}

int
sw_act_prof_modify_member(struct sw *sw, const char *prof, uint32_t member,
                          const char *action, const struct sw_bytes *args,
                          size_t n_args, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_call c = {.action = -1};
    struct act_prof *ap = find_prof(sw, prof, e);
    struct member *m = ap ? find_member(ap, member, e) : NULL;
    if (!m || (rc = prof_action(sw, ap, action, args, n_args, &c, e)))
        goto out;
    act_call_free(&m->call);
    m->call = c;
    c.args = NULL;
out:
    act_call_free(&c);
    UNLOCK(sw);
    return rc;
}

int
sw_act_prof_delete_member(struct sw *sw, const char *prof, uint32_t member,
                          struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_prof *ap = find_prof(sw, prof, e);
    struct member *m = ap ? find_member(ap, member, e) : NULL;
    if (m) {
        if (m->refs > 0) {
            rc = err_set(e, -EBUSY,
                         "member %u is still used by %d entries/groups", member,
                         m->refs);
        } else {
            act_call_free(&m->call);
            m->used = 0;
            rc = 0;
        }
    }
    UNLOCK(sw);
    return rc;
}

int
sw_act_prof_create_group(struct sw *sw, const char *prof, uint32_t *group,
                         struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_prof *ap = find_prof(sw, prof, e);
    if (ap && !ap->info.with_selector) {
        err_set(e, -EINVAL, "action profile %s has no selector", ap->info.name);
    } else if (ap) {
        int g = -1;
        for (int i = 0; i < ap->n_grps; i++)
            if (!ap->grps[i].used) {
                g = i;
                break;
            }
        if (g < 0) {
            if (ap->n_grps == ap->cap_grps) {
                ap->cap_grps = ap->cap_grps ? ap->cap_grps * 2 : 16;
                ap->grps =
                    xrealloc(ap->grps, (size_t)ap->cap_grps * sizeof *ap->grps);
            }
            g = ap->n_grps++;
            memset(&ap->grps[g], 0, sizeof ap->grps[g]);
        }
        ap->grps[g].used = 1;
        ap->grps[g].handle = (uint32_t)g;
        ap->grps[g].n = 0;
        *group = (uint32_t)g;
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_act_prof_delete_group(struct sw *sw, const char *prof, uint32_t group,
                         struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_prof *ap = find_prof(sw, prof, e);
    struct group *g = ap ? find_group(ap, group, e) : NULL;
    if (g) {
        if (g->refs > 0) {
            rc = err_set(e, -EBUSY, "group %u is still used by %d entries",
                         group, g->refs);
        } else {
            for (int i = 0; i < g->n; i++)
                ap->mbrs[g->members[i]].refs--;
            free(g->members);
            g->members = NULL;
            g->n = g->cap = 0;
            g->used = 0;
            rc = 0;
        }
    }
    UNLOCK(sw);
    return rc;
}

int
sw_act_prof_add_to_group(struct sw *sw, const char *prof, uint32_t member,
                         uint32_t group, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_prof *ap = find_prof(sw, prof, e);
    struct member *m = ap ? find_member(ap, member, e) : NULL;
    struct group *g = m ? find_group(ap, group, e) : NULL;
    if (g) {
        int dup = 0;
        for (int i = 0; i < g->n; i++)
            dup |= g->members[i] == member;
        if (dup) {
            rc = err_set(e, -EEXIST, "member %u is already in group %u", member,
                         group);
        } else {
            if (g->n == g->cap) {
                g->cap = g->cap ? g->cap * 2 : 8;
                g->members =
                    xrealloc(g->members, (size_t)g->cap * sizeof(uint32_t));
            }
            /* kept sorted, as BMv2's groups are: a selector picks
             * members[hash % n] */
            int at = g->n;
            while (at > 0 && g->members[at - 1] > member) {
                g->members[at] = g->members[at - 1];
                at--;
            }
            g->members[at] = member;
            g->n++;
            m->refs++;
            rc = 0;
        }
    }
    UNLOCK(sw);
    return rc;
}

int
sw_act_prof_remove_from_group(struct sw *sw, const char *prof, uint32_t member,
                              uint32_t group, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_prof *ap = find_prof(sw, prof, e);
    struct group *g = ap ? find_group(ap, group, e) : NULL;
    if (g) {
        rc = err_set(e, -ENOENT, "member %u is not in group %u", member, group);
        for (int i = 0; i < g->n; i++)
            if (g->members[i] == member) {
                memmove(&g->members[i], &g->members[i + 1],
                        (size_t)(g->n - i - 1) * sizeof(uint32_t));
                g->n--;
                ap->mbrs[member].refs--;
                err_clear(e);
                rc = 0;
                break;
            }
    }
    UNLOCK(sw);
    return rc;
}

int
sw_act_prof_dump(struct sw *sw, const char *prof, sw_member_fn mfn,
                 sw_group_fn gfn, void *ctx, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct act_prof *ap = find_prof(sw, prof, e);
    if (ap) {
        for (int i = 0; mfn && i < ap->n_mbrs; i++) {
            struct member *m = &ap->mbrs[i];
            if (!m->used)
                continue;
            const struct action *a = &sw->prog->actions[m->call.action];
            struct sw_bytes args[64];
            uint8_t abuf[64][VAL_W * 8];
            size_t np = MIN(a->info.n_params, ARRAY_SIZE(args));
            for (size_t k = 0; k < np; k++) {
                struct val v;
                act_arg_get(a, m->call.args, k, &v);
                min_bytes(&v, a->params[k].bitwidth, abuf[k], &args[k]);
            }
            struct sw_member_info mi = {m->handle, &a->info, args};
            mfn(ctx, &mi);
        }
        for (int i = 0; gfn && i < ap->n_grps; i++) {
            struct group *g = &ap->grps[i];
            if (!g->used)
                continue;
            struct sw_group_info gi = {g->handle, (size_t)g->n, g->members};
            gfn(ctx, &gi);
        }
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}
