/* load_pipe.c - the loader's third part (see load.c): pipelines, i.e. tables
 * (keys, actions, next tables, default and const entries), action profiles and
 * selectors, conditionals, and the binding of direct counters and meters. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/util.h"
#include "switch/load_int.h"
#include "switch/sw_int.h"

/* ---- pipelines ---------------------------------------------------------- */

/* The index of the action with JSON id `id` and name `name`, or -1. */
static int
action_by_id(const struct prog *p, json_int_t id, const char *name)
{
    for (int i = 0; i < p->n_actions; i++)
        if ((json_int_t)p->actions[i].info.id == id)
            return name && strcmp(p->actions[i].info.name, name) ? -1 : i;
    return -1;
}

static const char *const match_names[] = {"exact", "lpm",   "ternary",
                                          "range", "valid", "optional"};

static int
match_kind(const char *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(match_names); i++)
        if (s && !strcmp(s, match_names[i]))
            return (int)i;
    return -1;
}

const char *
sw_match_kind_name(enum sw_match_kind k)
{
    return (unsigned)k < ARRAY_SIZE(match_names) ? match_names[k] : "?";
}

static int
node_ref(struct ld *ld, json_t *v)
{
    if (!v || json_is_null(v))
        return -1;
    const char *s = json_string_value(v);
    int n = s ? ld_name_get(ld->p, "node", s) : -1;
    if (n < 0)
        ld_err(ld, "unknown table or conditional '%s'", s ? s : "?");
    return n;
}

/* Converts hex strings to a byte string of exactly nbytes. */
static int
hex_bytes(json_t *v, uint8_t *out, size_t nbytes)
{
    struct val t;
    if (!json_is_string(v) || val_parse(&t, json_string_value(v)))
        return -1;
    val_to_bytes(&t, out, nbytes);
    return 0;
}

static void
load_action_entry(struct ld *ld, json_t *ae, struct act_call *c, int *action)
{
    struct prog *p = ld->p;
    long long aid = ld_jint(ld, ae, "action_id", -1, 1);
    int a = -1;
    for (int i = 0; i < p->n_actions; i++)
        if (p->actions[i].info.id == (uint32_t)aid)
            a = i;
    if (a < 0) {
        if (!ld->failed)
            ld_err(ld, "unknown action id %lld", aid);
        return;
    }
    json_t *ad = ld_jget(ae, "action_data");
    size_t n = json_is_array(ad) ? json_array_size(ad) : 0;
    if (n != p->actions[a].info.n_params) {
        ld_err(ld, "action '%s' takes %zu parameters, action_data has %zu",
               p->actions[a].info.name, p->actions[a].info.n_params, n);
        return;
    }
    c->action = a;
    c->args = xcalloc(p->actions[a].poff[n] + 1, sizeof *c->args);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(ad, i);
        struct val pv;
        if (!json_is_string(v) || val_parse(&pv, json_string_value(v))) {
            ld_err(ld, "bad action_data[%zu]", i);
            return;
        }
        act_arg_set(&p->actions[a], c->args, i, &pv);
    }
    if (action)
        *action = a;
}

static void
load_const_entries(struct ld *ld, struct table *t, json_t *ents)
{
    size_t n = json_array_size(ents);
    /* a key and a mask buffer per key, each as wide as the widest key */
    size_t kcap = 1;
    for (int k = 0; k < t->n_keys; k++)
        kcap = MAX(kcap, (size_t)t->keys[k].bytes);
    uint8_t *bufs = xcalloc((size_t)t->n_keys * 2 + 1, kcap);
    struct sw_match_param *mp = xcalloc((size_t)t->n_keys + 1, sizeof *mp);
    uint8_t *key = xcalloc((size_t)t->key_bytes + 1, 1);
    uint8_t *mask = xcalloc((size_t)t->key_bytes + 1, 1);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, ".entries[%zu]", i);
        json_t *ej = json_array_get(ents, i);
        json_t *mk = ld_jarr(ld, ej, "match_key", 1);
        if (!mk || (int)json_array_size(mk) != t->n_keys) {
            ld_err(ld, "match_key must have %d elements", t->n_keys);
            ld_pop(ld);
            break;
        }
        for (int k = 0; k < t->n_keys && !ld->failed; k++) {
            json_t *kj = json_array_get(mk, k);
            struct sw_match_param *m = &mp[k];
            size_t nb = (size_t)t->keys[k].bytes;
            uint8_t *kb = bufs + (size_t)k * 2 * kcap, *mb = kb + kcap;
            memset(m, 0, sizeof *m);
            m->kind = t->keys[k].info.kind;
            const char *mt = json_string_value(ld_jget(kj, "match_type"));
            if (match_kind(mt) != (int)m->kind) {
                ld_err(ld,
                       "match_key[%d]: match_type '%s' does not match the "
                       "key's '%s'",
                       k, mt ? mt : "?", sw_match_kind_name(m->kind));
                break;
            }
            m->key.v = kb;
            m->key.len = nb;
            m->mask.v = mb;
            m->mask.len = nb;
            json_t *kv =
                ld_jget(kj, m->kind == SW_MATCH_RANGE ? "start" : "key");
            if (m->kind == SW_MATCH_VALID && json_is_boolean(kv)) {
                kb[0] = json_is_true(kv);
            } else if (hex_bytes(kv, kb, nb)) {
                ld_err(ld, "match_key[%d]: bad key", k);
                break;
            }
            if (m->kind == SW_MATCH_TERNARY || m->kind == SW_MATCH_OPTIONAL) {
                json_t *mv = ld_jget(kj, "mask");
                if (mv && hex_bytes(mv, mb, nb)) {
                    ld_err(ld, "match_key[%d]: bad mask", k);
                    break;
                }
                if (!mv)
                    memset(mb, 0xff, nb);
                if (m->kind == SW_MATCH_OPTIONAL) {
                    m->kind = SW_MATCH_TERNARY; /* packed as ternary */
                }
            } else if (m->kind == SW_MATCH_RANGE) {
                if (hex_bytes(ld_jget(kj, "end"), mb, nb)) {
                    ld_err(ld, "match_key[%d]: bad range end", k);
                    break;
                }
            } else if (m->kind == SW_MATCH_LPM) {
                m->prefix_len = (int)ld_jint(ld, kj, "prefix_length", 0, 1);
            }
        }
        if (!ld->failed) {
            struct err e2 = {0};
            int plen;
            /* optional keys were turned into ternary for packing */
            for (int k = 0; k < t->n_keys; k++)
                if (t->keys[k].info.kind == SW_MATCH_OPTIONAL)
                    mp[k].kind = SW_MATCH_OPTIONAL;
            if (table_pack_entry(t, mp, (size_t)t->n_keys, key, mask, &plen,
                                 &e2)) {
                ld_err(ld, "%s", e2.msg);
            } else {
                int prio = (int)ld_jint(ld, ej, "priority", (long long)i, 0);
                uint64_t h;
                ld_push(ld, ".action_entry");
                struct act_call c = {.action = -1};
                load_action_entry(ld, ld_jget(ej, "action_entry"), &c, NULL);
                ld_pop(ld);
                if (!ld->failed) {
                    int rc = table_insert(t, key, mask, plen, prio, &h);
                    if (rc == -EEXIST) {
                        act_call_free(&c);
                    } else if (rc) {
                        ld_err(ld, "cannot add entry: %s", strerror(-rc));
                        act_call_free(&c);
                    } else {
                        struct entry *en = &t->ents[table_find_handle(t, h)];
                        en->call = c;
                        en->kind = SW_REF_ACTION;
                        en->is_const = 1;
                    }
                } else {
                    act_call_free(&c);
                }
            }
        }
        ld_pop(ld);
    }
    free(bufs);
    free(mp);
    free(key);
    free(mask);
}

static void
add_prof(struct ld *ld, json_t *o, const char *name, json_t *sel)
{
    struct prog *p = ld->p;
    struct act_prof *ap = &p->profs[p->n_profs];
    memset(ap, 0, sizeof *ap);
    ap->info.name = xstrdup(name ? name : "?");
    ap->info.id = (uint32_t)ld_jint(ld, o, "id", p->n_profs, 0);
    ap->info.kind = SW_OBJ_ACT_PROF;
    if (name)
        ld_name_put(p, "act_prof", name, p->n_profs);
    ap->info.size = (size_t)ld_jint(ld, o, "max_size", 0, 0);
    ap->calc = -1;
    if (sel && !json_is_null(sel)) {
        ap->info.with_selector = 1;
        /* a private calculation for the selector hash */
        struct calc c = {0};
        c.name = xasprintf("%s$selector", ap->info.name);
        const char *al = json_string_value(ld_jget(sel, "algo"));
        if (ld_algo(al, &c.algo))
            c.algo = A_CRC16;
        json_t *in = ld_jget(sel, "input");
        size_t ni = json_is_array(in) ? json_array_size(in) : 0;
        c.in = xcalloc(ni + 1, sizeof *c.in);
        for (size_t r = 0; r < ni; r++) {
            c.in[c.n_in].kind = 0;
            c.in[c.n_in].id =
                ld_field_ref(ld, ld_jget(json_array_get(in, r), "value"));
            c.n_in++;
        }
        p->calcs =
            xrealloc(p->calcs, (size_t)(p->n_calcs + 2) * sizeof *p->calcs);
        p->calcs[p->n_calcs] = c;
        ap->calc = p->n_calcs++;
    }
    p->n_profs++;
}

void
ld_pipelines(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *pls = ld_jarr(ld, root, "pipelines", 0);
    size_t npl = pls ? json_array_size(pls) : 0;
    p->ingress.init = p->egress.init = -1;
    /* count and name everything first: next tables refer forward */
    size_t nt = 0, nc = 0, nap = 0, nac = 0;
    for (size_t i = 0; i < npl; i++) {
        json_t *pl = json_array_get(pls, i);
        json_t *a = ld_jget(pl, "tables");
        nt += json_is_array(a) ? json_array_size(a) : 0;
        a = ld_jget(pl, "conditionals");
        nc += json_is_array(a) ? json_array_size(a) : 0;
        a = ld_jget(pl, "action_calls");
        nac += json_is_array(a) ? json_array_size(a) : 0;
        a = ld_jget(pl, "action_profiles");
        nap += json_is_array(a) ? json_array_size(a) : 0;
    }
    p->tables = xcalloc(nt + 1, sizeof *p->tables);
    p->conds = xcalloc(nc + 1, sizeof *p->conds);
    p->profs = xcalloc(nap + 1, sizeof *p->profs);
    p->acalls = xcalloc(nac + 1, sizeof *p->acalls);
    p->nodes = xcalloc(nt + nc + nac + 1, sizeof *p->nodes);
    for (size_t i = 0; i < npl; i++) {
        json_t *pl = json_array_get(pls, i);
        json_t *a = ld_jget(pl, "tables");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            const char *nm =
                json_string_value(ld_jget(json_array_get(a, k), "name"));
            p->nodes[p->n_nodes] = (struct node){N_TABLE, p->n_tables};
            if (nm) {
                ld_name_put(p, "node", nm, p->n_nodes);
                ld_name_put(p, "table", nm, p->n_tables);
            }
            p->n_nodes++;
            p->n_tables++;
        }
        a = ld_jget(pl, "conditionals");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            const char *nm =
                json_string_value(ld_jget(json_array_get(a, k), "name"));
            p->nodes[p->n_nodes] = (struct node){N_COND, p->n_conds};
            if (nm)
                ld_name_put(p, "node", nm, p->n_nodes);
            p->n_nodes++;
            p->n_conds++;
        }
        a = ld_jget(pl, "action_calls");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            const char *nm =
                json_string_value(ld_jget(json_array_get(a, k), "name"));
            p->nodes[p->n_nodes] = (struct node){N_ACTION_CALL, p->n_acalls};
            if (nm)
                ld_name_put(p, "node", nm, p->n_nodes);
            p->acalls[p->n_acalls].action = -1;
            p->acalls[p->n_acalls].next = -1;
            p->n_nodes++;
            p->n_acalls++;
        }
        a = ld_jget(pl, "action_profiles");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            json_t *o = json_array_get(a, k);
            add_prof(ld, o, json_string_value(ld_jget(o, "name")),
                     ld_jget(o, "selector"));
        }
        /* older JSON: the profile is declared by the table (act_prof_name) */
        a = ld_jget(pl, "tables");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            json_t *o = json_array_get(a, k);
            const char *apn = json_string_value(ld_jget(o, "act_prof_name"));
            if (apn && !ld_jget(o, "action_profile") &&
                ld_name_get(p, "act_prof", apn) < 0) {
                p->profs = xrealloc(p->profs, (size_t)(p->n_profs + 2) *
                                                  sizeof *p->profs);
                add_prof(ld, o, apn, ld_jget(o, "selector"));
            }
        }
    }
    int ti = 0, ci = 0, aci = 0;
    for (size_t i = 0; i < npl && !ld->failed; i++) {
        ld_push(ld, "pipelines[%zu]", i);
        json_t *pl = json_array_get(pls, i);
        const char *pn = ld_jstr(ld, pl, "name");
        struct pipeline *pp = NULL;
        if (pn && !strcmp(pn, "ingress"))
            pp = &p->ingress;
        else if (pn && !strcmp(pn, "egress"))
            pp = &p->egress;
        else if (pn)
            ld_err(ld, "unknown pipeline '%s' (v1model has ingress and egress)",
                   pn);
        if (pp) {
            pp->name = xstrdup(pn);
            pp->init = node_ref(ld, ld_jget(pl, "init_table"));
        }
        json_t *tabs = ld_jget(pl, "tables");
        for (size_t k = 0;
             json_is_array(tabs) && k < json_array_size(tabs) && !ld->failed;
             k++) {
            ld_push(ld, ".tables[%zu]", k);
            json_t *tj = json_array_get(tabs, k);
            struct table *t = &p->tables[ti++];
            const char *nm = ld_jstr(ld, tj, "name");
            t->info.name = xstrdup(nm ? nm : "?");
            t->info.id = (uint32_t)ld_jint(ld, tj, "id", 0, 0);
            t->info.max_size = (size_t)ld_jint(ld, tj, "max_size", 1024, 0);
            t->info.with_counters = (int)ld_jint(ld, tj, "with_counters", 0, 0);
            t->info.with_ageing = (int)ld_jint(ld, tj, "support_timeout", 0, 0);
            t->act_prof = t->direct_counter = t->direct_meter = -1;
            t->lpm_key = -1;
            const char *mt = ld_jstr(ld, tj, "match_type");
            int mk = match_kind(mt);
            if (mt && mk < 0)
                ld_err(ld, "unknown match_type '%s'", mt);
            t->info.match_type =
                mk < 0 ? SW_MATCH_EXACT : (enum sw_match_kind)mk;
            const char *ty = json_string_value(ld_jget(tj, "type"));
            if (!ty || !strcmp(ty, "simple")) {
                t->info.kind = SW_TABLE_DIRECT;
            } else if (!strcmp(ty, "indirect") || !strcmp(ty, "indirect_ws")) {
                t->info.kind = ty[8] ? SW_TABLE_INDIRECT_WS : SW_TABLE_INDIRECT;
                const char *apn =
                    json_string_value(ld_jget(tj, "action_profile"));
                if (!apn)
                    apn = json_string_value(ld_jget(tj, "act_prof_name"));
                t->act_prof = apn ? ld_name_get(p, "act_prof", apn) : -1;
                if (t->act_prof < 0)
                    ld_err(ld, "unknown action_profile '%s'", apn ? apn : "?");
                else
                    t->info.action_profile = p->profs[t->act_prof].info.name;
            } else {
                ld_err(ld, "unknown table type '%s'", ty);
            }
            /* keys */
            json_t *keys = ld_jarr(ld, tj, "key", 1);
            size_t nk = keys ? json_array_size(keys) : 0;
            t->keys = xcalloc(nk + 1, sizeof *t->keys);
            t->key_infos = xcalloc(nk + 1, sizeof *t->key_infos);
            for (size_t q = 0; q < nk && !ld->failed; q++) {
                ld_push(ld, ".key[%zu]", q);
                json_t *kj = json_array_get(keys, q);
                struct mkey *key = &t->keys[t->n_keys++];
                const char *kmt = ld_jstr(ld, kj, "match_type");
                int kk = match_kind(kmt);
                if (kmt && kk < 0) {
                    const char *s =
                        diag_suggest(kmt, match_names, ARRAY_SIZE(match_names));
                    if (s)
                        ld_err(ld,
                               "unknown match_type '%s' (did you mean '%s'?)",
                               kmt, s);
                    else
                        ld_err(ld, "unknown match_type '%s'", kmt);
                    ld_pop(ld);
                    break;
                }
                key->info.kind = (enum sw_match_kind)kk;
                json_t *tg = ld_jget(kj, "target");
                const char *kname = json_string_value(ld_jget(kj, "name"));
                if (kk == SW_MATCH_VALID && json_is_string(tg)) {
                    key->src.kind = R_HEADER;
                    key->src.id =
                        ld_name_get(p, "header", json_string_value(tg));
                    if (key->src.id < 0)
                        ld_err(ld, "unknown header '%s'",
                               json_string_value(tg));
                    key->info.bitwidth = 1;
                    key->info.name =
                        xstrdup(kname ? kname : json_string_value(tg));
                } else {
                    key->src.kind = R_FIELD;
                    key->src.id = ld_field_ref(ld, tg);
                    if (key->src.id >= 0) {
                        key->info.bitwidth = p->fields[key->src.id].width;
                        key->info.name = xstrdup(
                            kname ? kname : p->fields[key->src.id].name);
                        if (kk == SW_MATCH_VALID)
                            key->info.bitwidth = 1;
                    }
                }
                if (!key->info.name)
                    key->info.name = xstrdup("?");
                key->bytes = ((int)key->info.bitwidth + 7) / 8;
                key->off = t->key_bytes;
                t->key_bytes += key->bytes;
                json_t *km = ld_jget(kj, "mask");
                if (json_is_string(km)) {
                    key->kmask = xcalloc((size_t)key->bytes + 1, 1);
                    hex_bytes(km, key->kmask, (size_t)key->bytes);
                }
                if (kk == SW_MATCH_LPM) {
                    if (t->lpm_key >= 0)
                        ld_err(ld, "a table may have only one lpm key");
                    t->lpm_key = (int)q;
                }
                if (kk == SW_MATCH_TERNARY || kk == SW_MATCH_OPTIONAL)
                    t->has_ternary = 1;
                if (kk == SW_MATCH_RANGE)
                    t->has_range = 1;
                t->key_infos[q] = key->info;
                ld_pop(ld);
            }
            if (t->key_bytes > SW_MAX_KEY_BYTES)
                ld_err(ld, "a key of %d bytes is not supported (max %d)",
                       t->key_bytes, SW_MAX_KEY_BYTES);
            t->info.n_keys = (size_t)t->n_keys;
            t->info.with_priority = t->has_ternary || t->has_range;
            t->info.keys = t->key_infos;
            t->k64 = t->n_keys > 0 && t->key_bytes <= 8 && !t->has_ternary &&
                     !t->has_range;
            for (int q = 0; q < t->n_keys; q++) {
                struct mkey *key = &t->keys[q];
                const struct field *kf =
                    key->src.kind == R_FIELD && key->src.id >= 0
                        ? &p->fields[key->src.id]
                        : NULL;
                key->fast = kf && !kf->wide && !kf->varbit &&
                            key->info.kind != SW_MATCH_VALID;
                if (key->fast) {
                    key->slot = kf->slot;
                    key->kmask64 = key->kmask ? 0 : ~UINT64_C(0);
                    for (int b = 0; key->kmask && b < key->bytes; b++)
                        key->kmask64 = (key->kmask64 << 8) | key->kmask[b];
                }
                if (!key->fast)
                    t->k64 = 0;
            }
            /* actions and next tables */
            json_t *acts = ld_jarr(ld, tj, "actions", 1);
            size_t na = acts ? json_array_size(acts) : 0;
            t->action_ids = xcalloc(na + 1, sizeof(uint32_t));
            t->next_by_action = xcalloc((size_t)p->n_actions + 1, sizeof(int));
            for (int q = 0; q < p->n_actions; q++)
                t->next_by_action[q] = -2; /* not an action of this table */
            t->base_next = node_ref(ld, ld_jget(tj, "base_default_next"));
            json_t *nts = ld_jget(tj, "next_tables");
            json_t *ids = ld_jget(tj, "action_ids");
            for (size_t q = 0; q < na && !ld->failed; q++) {
                const char *an = json_string_value(json_array_get(acts, q));
                /* By id when the JSON gives ids: p4c emits one copy of an
                 * action per table binding its parameters differently, all
                 * with the same name. */
                json_t *idj = json_array_get(ids, q);
                int a = json_is_integer(idj)
                            ? action_by_id(p, json_integer_value(idj), an)
                        : an ? ld_name_get(p, "action", an)
                             : -1;
                if (a < 0) {
                    ld_push(ld, ".actions[%zu]", q);
                    ld_err(ld, "unknown action '%s'", an ? an : "?");
                    ld_pop(ld);
                    break;
                }
                t->action_ids[q] = p->actions[a].info.id;
                json_t *nx = ld_jget(nts, an);
                ld_push(ld, ".next_tables");
                t->next_by_action[a] = nx ? node_ref(ld, nx) : t->base_next;
                ld_pop(ld);
            }
            t->info.n_actions = na;
            t->info.action_ids = t->action_ids;
            if (ld_jget(nts, "__HIT__") || ld_jget(nts, "__MISS__")) {
                t->has_hit_miss = 1;
                ld_push(ld, ".next_tables");
                t->next_hit = node_ref(ld, ld_jget(nts, "__HIT__"));
                t->next_miss = node_ref(ld, ld_jget(nts, "__MISS__"));
                ld_pop(ld);
            }
            table_setup(t);
            /* default entry */
            t->def.action = t->prog_def.action = -1;
            json_t *de = ld_jget(tj, "default_entry");
            if (de && !json_is_null(de)) {
                ld_push(ld, ".default_entry");
                load_action_entry(ld, de, &t->prog_def, NULL);
                t->info.const_default =
                    (int)ld_jint(ld, de, "action_const", 0, 0);
                ld_pop(ld);
                if (t->prog_def.action >= 0) {
                    t->def.action = t->prog_def.action;
                    size_t np = p->actions[t->def.action].info.n_params;
                    size_t nw = p->actions[t->def.action].poff[np];
                    t->def.args = xcalloc(nw + 1, sizeof *t->def.args);
                    memcpy(t->def.args, t->prog_def.args,
                           nw * sizeof *t->def.args);
                }
            }
            json_t *ents = ld_jget(tj, "entries");
            if (json_is_array(ents) && json_array_size(ents)) {
                t->info.const_entries = 1;
                load_const_entries(ld, t, ents);
            }
            const char *dm = json_string_value(ld_jget(tj, "direct_meters"));
            if (dm) {
                t->direct_meter = ld_name_get(p, "meter", dm);
                t->info.with_meters = t->direct_meter >= 0;
            }
            ld_pop(ld);
        }
        json_t *conds = ld_jget(pl, "conditionals");
        for (size_t k = 0;
             json_is_array(conds) && k < json_array_size(conds) && !ld->failed;
             k++) {
            ld_push(ld, ".conditionals[%zu]", k);
            json_t *cj = json_array_get(conds, k);
            struct cond *c = &p->conds[ci++];
            const char *nm = ld_jstr(ld, cj, "name");
            c->name = xstrdup(nm ? nm : "?");
            ld_push(ld, ".expression");
            c->e = ld_compile_expr(ld, ld_jget(cj, "expression"));
            ld_pop(ld);
            c->t_next = node_ref(ld, ld_jget(cj, "true_next"));
            c->f_next = node_ref(ld, ld_jget(cj, "false_next"));
            ld_pop(ld);
        }
        json_t *acs = ld_jget(pl, "action_calls");
        for (size_t k = 0;
             json_is_array(acs) && k < json_array_size(acs) && !ld->failed;
             k++) {
            ld_push(ld, ".action_calls[%zu]", k);
            json_t *aj = json_array_get(acs, k);
            struct acall *c = &p->acalls[aci++];
            const char *nm = ld_jstr(ld, aj, "name");
            c->name = xstrdup(nm ? nm : "?");
            long long aid = ld_jint(ld, aj, "action_id", -1, 1);
            for (int q = 0; q < p->n_actions; q++)
                if (p->actions[q].info.id == (uint32_t)aid)
                    c->action = q;
            if (!ld->failed && c->action < 0)
                ld_err(ld, "unknown action id %lld", aid);
            else if (!ld->failed && p->actions[c->action].info.n_params)
                ld_err(ld,
                       "action '%s' takes parameters: an action call "
                       "cannot give them",
                       p->actions[c->action].info.name);
            c->next = node_ref(ld, ld_jget(aj, "next_node"));
            ld_pop(ld);
        }
        ld_pop(ld);
    }
    /* bind direct counters and meters to their tables */
    for (int i = 0; i < p->n_counters; i++) {
        struct counter_arr *c = &p->counters[i];
        if (!c->info.direct_table)
            continue;
        int t = ld_name_get(p, "table", c->info.direct_table);
        if (t >= 0) {
            c->direct_table = t;
            p->tables[t].direct_counter = i;
            p->tables[t].info.with_counters = 1;
        }
    }
    for (int i = 0; i < p->n_meters; i++) {
        struct meter_arr *m = &p->meters[i];
        if (!m->info.direct_table)
            continue;
        int t = ld_name_get(p, "table", m->info.direct_table);
        if (t >= 0) {
            m->direct_table = t;
            p->tables[t].direct_meter = i;
            p->tables[t].info.with_meters = 1;
        }
    }
}
