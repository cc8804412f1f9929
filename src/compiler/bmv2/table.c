/* table.c - BMv2 back end: tables. A P4 table becomes a BMv2 table: its key
 * (fields, slices and masks of fields, validity bits; other expressions are
 * computed into temporaries by a table before it), match type, actions
 * (lowered once each by lower.c), size, default entry, const entries (keys by
 * match kind, priorities), action profiles and selectors, direct counters and
 * meters. lower.c places the table in the pipeline graph. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/check.h"
#include "lib/strbuf.h"

static const char *
match_type_of(const char *kind)
{
    return kind;
}

static int
key_hex_bytes(int w)
{
    return (w + 7) / 8;
}

static json_t *
padded_hex(unsigned __int128 v, int w)
{
    int nb = key_hex_bytes(w);
    if (nb < 1)
        nb = 1;
    char buf[80];
    int pos = 0;
    buf[pos++] = '0';
    buf[pos++] = 'x';
    for (int i = nb * 2 - 1; i >= 0 && pos < 78; i--) {
        int nib = i >= 32 ? 0 : (int)((v >> (i * 4)) & 15);
        buf[pos++] = "0123456789abcdef"[nib];
    }
    buf[pos] = 0;
    return json_string(buf);
}

static int
popcount128(unsigned __int128 v)
{
    int n = 0;
    while (v) {
        n += (int)(v & 1);
        v >>= 1;
    }
    return n;
}

struct keyinfo {
    const char *kind;
    int width;
};

/* The actions of the table being lowered, as its actions list bound them
 * (lower_action makes a copy per binding): entries and the default action
 * use these. */
static struct action_info *listed[64];
static int nlisted;

static struct action_info *
own_action(struct bm *b, struct node *ad)
{
    for (int i = 0; i < nlisted; i++)
        if (listed[i]->decl == ad)
            return listed[i];
    return lower_action(b, ad, NULL);
}

/* One const entry of a table. */
static json_t *
lower_entry(struct bm *b, struct node *en, struct keyinfo *keys, int nkeys,
            struct node *table, int prio)
{
    json_t *e = json_object();
    json_object_set_new(e, "source_info", bm_source_info(b, en));
    json_t *mk = json_array();
    struct node *ks = en->a;
    int nvals = ks && ks->kind == N_LIST ? ks->list.n : 1;
    if (nvals != nkeys)
        cc_error(b->c, en->loc,
                 "this entry has %d key values, the table has %d "
                 "keys",
                 nvals, nkeys);
    for (int i = 0; i < nkeys && i < nvals; i++) {
        struct node *v = ks->kind == N_LIST ? ks->list.v[i] : ks;
        json_t *m = json_object();
        const char *kind = keys[i].kind;
        int w = keys[i].width;
        if (!strcmp(kind, "optional"))
            kind = "ternary";
        json_object_set_new(m, "match_type", json_string(kind));
        unsigned __int128 val = 0, mask = bm_ones(w), hi = 0;
        int dc = v->kind == N_DEFAULT || v->kind == N_DONTCARE;
        if (v->kind == N_MASK) {
            check_eval(b->c, v->a, &val);
            check_eval(b->c, v->b, &mask);
            mask &= bm_ones(w);
        } else if (v->kind == N_RANGE) {
            check_eval(b->c, v->a, &val);
            check_eval(b->c, v->b, &hi);
        } else if (!dc && !check_eval(b->c, v, &val)) {
            cc_error(b->c, v->loc, "entry key values must be constants");
        }
        if (dc) {
            mask = 0;
            val = 0;
            hi = bm_ones(w);
        }
        val &= bm_ones(w);
        if (!strcmp(kind, "exact")) {
            json_object_set_new(m, "key", padded_hex(val, w));
        } else if (!strcmp(kind, "lpm")) {
            json_object_set_new(m, "key", padded_hex(val & mask, w));
            json_object_set_new(m, "prefix_length",
                                json_integer(popcount128(mask)));
        } else if (!strcmp(kind, "ternary") || !strcmp(kind, "optional")) {
            /* the value as written; BMv2 applies the mask */
            json_object_set_new(m, "key", padded_hex(val, w));
            json_object_set_new(m, "mask", padded_hex(mask, w));
        } else if (!strcmp(kind, "range")) {
            if (v->kind != N_RANGE && !dc)
                hi = val;
            json_object_set_new(m, "start", padded_hex(val, w));
            json_object_set_new(m, "end", padded_hex(hi, w));
        }
        json_array_append_new(mk, m);
    }
    json_object_set_new(e, "match_key", mk);
    struct node *call = en->b;
    struct node *ad = call ? call->decl : NULL;
    json_t *ae = json_object();
    if (ad && ad->kind == N_ACTION) {
        struct action_info *ai = own_action(b, ad);
        json_object_set_new(ae, "action_id", json_integer(ai->id));
        json_t *data = json_array();
        int ai_arg = 0;
        for (int i = 0; call->kind == N_CALL && i < call->args.n; i++) {
            unsigned __int128 v = 0;
            struct node *x = call->args.v[i];
            if (x->kind == N_NAMED)
                x = x->a;
            if (!check_eval(b->c, x, &v))
                cc_error(b->c, x->loc,
                         "action arguments of entries must be "
                         "constants");
            int pw = ai_arg < ad->params.n
                         ? check_width(ad->params.v[ai_arg]->type)
                         : 32;
            ai_arg++;
            json_array_append_new(data, padded_hex(v & bm_ones(pw), pw));
        }
        json_object_set_new(ae, "action_data", data);
    }
    json_object_set_new(e, "action_entry", ae);
    unsigned __int128 pv;
    struct node *pa = node_annot(en, "priority");
    if (en->c && check_eval(b->c, en->c, &pv))
        prio = (int)pv;
    else if (pa && pa->b && pa->b->list.n && pa->b->list.v[0]->kind == N_INT)
        prio = (int)pa->b->list.v[0]->ival;
    json_object_set_new(e, "priority", json_integer(prio));
    (void)table;
    return e;
}

struct p4i_table {
    json_t *json;
};

/* Creates the JSON of table t (once). Returns it; next pointers are filled
 * by the caller. */
json_t *
bm_lower_table(struct bm *b, struct node *t, const char *name)
{
    json_t *tj = hmap_get(&b->table_json, name);
    if (tj)
        return tj;
    tj = bm_new_table(b, name, t);
    hmap_put(&b->table_json, name, tj, NULL);
    struct node *keys = NULL, *acts = NULL, *dflt = NULL, *entries = NULL;
    struct node *size = NULL, *impl = NULL, *counters = NULL, *meters = NULL;
    struct node *dflt_prop = NULL, *entries_prop = NULL, *timeout = NULL;
    for (int i = 0; i < t->list.n; i++) {
        struct node *p = t->list.v[i];
        if (!strcmp(p->name, "key"))
            keys = p->a;
        else if (!strcmp(p->name, "actions"))
            acts = p->a;
        else if (!strcmp(p->name, "default_action")) {
            dflt = p->a;
            dflt_prop = p;
        } else if (!strcmp(p->name, "entries")) {
            entries = p->a;
            entries_prop = p;
        } else if (!strcmp(p->name, "size"))
            size = p->a;
        else if (!strcmp(p->name, "implementation"))
            impl = p->a;
        else if (!strcmp(p->name, "counters"))
            counters = p->a;
        else if (!strcmp(p->name, "meters"))
            meters = p->a;
        else if (!strcmp(p->name, "support_timeout"))
            timeout = p->a;
    }
    /* keys */
    json_t *kj = json_object_get(tj, "key");
    struct keyinfo ki[64];
    int nk = 0;
    const char *mt = "exact";
    json_t *selector_in = json_array();
    for (int i = 0; keys && i < keys->list.n; i++) {
        struct node *k = keys->list.v[i];
        struct node *e = k->a;
        const char *kind = k->name;
        int w = check_width(e->type);
        if (!strcmp(kind, "selector")) {
            json_t *ex = bm_expr(b, e);
            json_array_append_new(selector_in, ex);
            continue;
        }
        json_t *target = NULL;
        json_t *mask = json_null();
        struct node *fe = e;
        unsigned __int128 mv = 0;
        if (e->kind == N_SLICE && !e->op) {
            unsigned __int128 hi, lo;
            check_eval(b->c, e->b, &hi);
            check_eval(b->c, e->c, &lo);
            fe = e->a;
            mv = bm_ones((int)(hi - lo + 1)) << (int)lo;
            mask = padded_hex(mv, check_width(fe->type));
        } else if (e->kind == N_BINOP && !strcmp(e->op, "&") &&
                   check_eval(b->c, e->b, &mv)) {
            fe = e->a;
            mask = padded_hex(mv, check_width(fe->type));
        }
        if (fe->kind == N_CALL && fe->a->kind == N_MEMBER &&
            !strcmp(fe->a->name, "isValid")) {
            struct binding *h = bm_ref(b, fe->a->a);
            if (h && h->kind == B_HEADER && !h->dyn_index)
                target = json_pack("[ss]", h->hname, "$valid$");
            w = 1;
        } else {
            struct binding *f = bm_ref(b, fe);
            if (f && f->kind == B_FIELD && !f->dyn_index)
                target = json_pack("[ss]", f->hname, f->field);
        }
        if (!target && w > 0 && e->type) {
            /* an expression: computed into a temporary before the table */
            json_decref(mask);
            mask = json_null();
            struct binding *tmp = bm_bind(b, e->type, bm_unique(b, "key"), 0);
            struct node *var = node_new(b->A, N_VAR, e->loc);
            var->name = "key";
            var->type = e->type;
            var->aux = tmp;
            struct node *nm = node_new(b->A, N_NAME, e->loc);
            nm->name = "key";
            nm->decl = var;
            nm->type = e->type;
            struct node *as = node_new(b->A, N_ASSIGN, e->loc);
            as->op = "=";
            as->a = nm;
            as->b = e;
            struct nlist *pre = hmap_get(&b->table_pre, name);
            if (!pre) {
                pre = arena_alloc(b->A, sizeof *pre);
                hmap_put(&b->table_pre, name, pre, NULL);
            }
            nlist_push(b->A, pre, as);
            if (tmp->kind == B_FIELD)
                target = json_pack("[ss]", tmp->hname, tmp->field);
        }
        if (!target) {
            cc_error(b->c, e->loc,
                     "this table key cannot be computed by the "
                     "BMv2 back end");
            json_decref(mask);
            continue;
        }
        struct strbuf sb = STRBUF_INIT;
        const char *kn = bm_annot_string(k, "name");
        if (!kn) {
            bm_expr_text(b, e, &sb);
            kn = arena_strdup(b->A, strbuf_str(&sb));
        }
        strbuf_destroy(&sb);
        json_t *kjo = json_object();
        /* BMv2 matches optional keys as ternary (as p4c writes them) */
        const char *bmk = !strcmp(kind, "optional") ? "ternary" : kind;
        json_object_set_new(kjo, "match_type", json_string(match_type_of(bmk)));
        json_object_set_new(kjo, "name", json_string(kn));
        json_object_set_new(kjo, "target", target);
        json_object_set_new(kjo, "mask", mask);
        json_array_append_new(kj, kjo);
        if (nk < 64) {
            ki[nk].kind = kind;
            ki[nk].width = w;
            nk++;
        }
        if (!strcmp(kind, "range"))
            mt = "range";
        else if ((!strcmp(kind, "ternary") || !strcmp(kind, "optional")) &&
                 strcmp(mt, "range"))
            mt = "ternary";
        else if (!strcmp(kind, "lpm") && !strcmp(mt, "exact"))
            mt = "lpm";
        if (strcmp(kind, "exact") && strcmp(kind, "lpm") &&
            strcmp(kind, "ternary") && strcmp(kind, "range") &&
            strcmp(kind, "optional"))
            cc_error(b->c, k->loc, "match kind '%s' is not supported by BMv2",
                     kind);
        /* remember for P4Info */
        json_object_set_new(kjo, "_bitwidth", json_integer(w));
        json_object_set_new(kjo, "_kind", json_string(kind));
    }
    json_object_set_new(tj, "match_type", json_string(mt));
    /* actions */
    json_t *ids = json_object_get(tj, "action_ids");
    json_t *names = json_object_get(tj, "actions");
    json_t *next_tables = json_object_get(tj, "next_tables");
    json_t *scopes = json_array();
    nlisted = 0;
    for (int i = 0; acts && i < acts->list.n; i++) {
        struct node *ar = acts->list.v[i];
        struct node *ad = ar->decl;
        if (!ad)
            continue;
        struct action_info *ai =
            lower_action(b, ad, ar->kind == N_CALL ? ar : NULL);
        if (nlisted < 64)
            listed[nlisted++] = ai;
        json_array_append_new(ids, json_integer(ai->id));
        json_array_append_new(names, json_string(ai->name));
        json_object_set_new(next_tables, ai->name, json_null());
        const char *scope = node_annot(ar, "tableonly") ? "TABLE_ONLY"
                            : node_annot(ar, "defaultonly")
                                ? "DEFAULT_ONLY"
                                : "TABLE_AND_DEFAULT";
        json_array_append_new(scopes, json_string(scope));
    }
    json_object_set_new(tj, "_scopes", scopes);
    /* size */
    unsigned __int128 sv;
    if (size && check_eval(b->c, size, &sv))
        json_object_set_new(tj, "max_size", json_integer((json_int_t)sv));
    if (timeout && timeout->kind == N_BOOL && timeout->ival)
        json_object_set_new(tj, "support_timeout", json_true());
    /* default action */
    struct node *da = dflt ? dflt->decl : NULL;
    if (!da) {
        /* NoAction, as the P4 spec says */
        for (int i = 0; acts && i < acts->list.n; i++)
            if (acts->list.v[i]->decl &&
                !strcmp(acts->list.v[i]->decl->name, "NoAction"))
                da = acts->list.v[i]->decl;
    }
    if (!da && b->noaction) {
        /* p4c: a table without default action gets NoAction, listed as
         * default-only */
        da = b->noaction;
        struct action_info *ai = own_action(b, da);
        json_array_append_new(ids, json_integer(ai->id));
        json_array_append_new(names, json_string(ai->name));
        json_object_set_new(next_tables, ai->name, json_null());
        json_array_append_new(scopes, json_string("DEFAULT_ONLY"));
    }
    if (da) {
        struct action_info *ai = own_action(b, da);
        json_t *data = json_array();
        int idx = 0;
        for (int i = 0; dflt && dflt->kind == N_CALL && i < dflt->args.n; i++) {
            struct node *x = dflt->args.v[i];
            if (x->kind == N_NAMED)
                x = x->a;
            idx = i;
            if (idx < da->params.n && (da->params.v[idx]->flags & F_DIR_INOUT))
                continue; /* bound, not action data */
            unsigned __int128 v = 0;
            if (!check_eval(b->c, x, &v))
                cc_error(b->c, x->loc,
                         "default action arguments must be "
                         "constants in the BMv2 back end");
            int pw =
                idx < da->params.n ? check_width(da->params.v[idx]->type) : 32;
            json_t *h = bm_hexstr(v & bm_ones(pw ? pw : 128));
            json_array_append(data, json_object_get(h, "value"));
            json_decref(h);
        }
        int cnst = dflt_prop && (dflt_prop->flags & F_CONST);
        if (dflt_prop)
            json_object_set_new(tj, "_has_default", json_true());
        json_object_set_new(tj, "default_entry",
                            json_pack("{s:i,s:b,s:o,s:b}", "action_id", ai->id,
                                      "action_const", cnst, "action_data", data,
                                      "action_entry_const", cnst));
    }
    /* const entries */
    if (entries) {
        json_t *ej = json_array();
        for (int i = 0; i < entries->list.n; i++)
            json_array_append_new(
                ej, lower_entry(b, entries->list.v[i], ki, nk, t, i + 1));
        json_object_set_new(tj, "entries", ej);
        if (!size && (entries_prop->flags & F_CONST)) {
            /* p4c sizes a const table without "size" to its entries in the
             * JSON (P4Info keeps the default) */
            json_object_set_new(tj, "_p4size", json_integer(1024));
            json_object_set_new(tj, "max_size",
                                json_integer((json_int_t)json_array_size(ej)));
        }
        json_object_set_new(tj, "_const_entries",
                            json_boolean(entries_prop->flags & F_CONST));
    }
    /* implementation: action profile / selector */
    if (impl) {
        struct node *inst = impl->decl;
        struct node *itype = NULL;
        const char *pname = NULL;
        struct node *iargs = NULL;
        if (impl->kind == N_NAME && inst && inst->kind == N_INSTANCE) {
            itype = inst->type;
            pname = bm_qualified(b, inst);
            iargs = inst;
        } else if (impl->kind == N_CALL) {
            itype = impl->type;
            pname = arena_printf(b->A, "%s_profile", name);
            iargs = impl;
        }
        if (itype && itype->name && iargs) {
            int sel = !strcmp(itype->name, "action_selector");
            json_object_set_new(tj, "type",
                                json_string(sel ? "indirect_ws" : "indirect"));
            json_object_set_new(tj, "action_profile", json_string(pname));
            json_t *profiles =
                json_object_get(b->cur_pipeline, "action_profiles");
            int found = 0;
            for (size_t i = 0; i < json_array_size(profiles); i++)
                if (!strcmp(json_string_value(json_object_get(
                                json_array_get(profiles, i), "name")),
                            pname))
                    found = 1;
            if (!found) {
                json_t *pj = json_object();
                json_object_set_new(pj, "name", json_string(pname));
                json_object_set_new(pj, "id",
                                    json_integer((json_int_t)b->p4_profiles.n));
                unsigned __int128 ps = 1024;
                struct node *sz =
                    iargs->args.n ? iargs->args.v[sel ? 1 : 0] : NULL;
                if (sz && sz->kind == N_NAMED)
                    sz = sz->a;
                if (sz)
                    check_eval(b->c, sz, &ps);
                json_object_set_new(pj, "max_size",
                                    json_integer((json_int_t)ps));
                if (sel) {
                    struct node *alg = iargs->args.v[0];
                    json_object_set_new(
                        pj, "selector",
                        json_pack("{s:s,s:O}", "algo",
                                  alg->kind == N_MEMBER ? alg->name : "crc16",
                                  "input", selector_in));
                }
                json_array_append_new(profiles, pj);
                struct p4i_obj o = {pname, inst, p4info_id(0x11, pname), pj};
                VEC_PUSH(&b->p4_profiles, o);
            }
        }
    }
    json_decref(selector_in);
    /* direct counters and meters */
    if (counters && counters->decl && counters->decl->kind == N_INSTANCE) {
        const char *cn = bm_qualified(b, counters->decl);
        json_object_set_new(tj, "with_counters", json_true());
        json_t *cj = json_object();
        json_object_set_new(cj, "name", json_string(cn));
        json_object_set_new(
            cj, "id",
            json_integer((json_int_t)json_array_size(b->counter_arrays)));
        json_object_set_new(cj, "is_direct", json_true());
        json_object_set_new(cj, "binding", json_string(name));
        json_array_append_new(b->counter_arrays, cj);
        struct p4i_obj o = {cn, counters->decl, p4info_id(0x13, cn), cj};
        json_object_set_new(cj, "_table", json_string(name));
        VEC_PUSH(&b->p4_dcounters, o);
    }
    if (meters && meters->decl && meters->decl->kind == N_INSTANCE) {
        struct node *mi = meters->decl;
        const char *mn = bm_qualified(b, mi);
        json_object_set_new(tj, "direct_meters", json_string(mn));
        json_t *mj = hmap_get(&b->meter_json, mn);
        if (mj) {
            json_object_set_new(mj, "binding", json_string(name));
            json_object_set_new(
                mj, "size",
                json_object_get(tj, "max_size")
                    ? json_deep_copy(json_object_get(tj, "max_size"))
                    : json_integer(1024));
            json_object_set_new(mj, "_table", json_string(name));
        }
    }
    return tj;
}
