/* control.c - BMv2 back end: control blocks to pipelines.
 *
 * Turns a control's apply block into BMv2's graph of tables and
 * conditionals: straight-line statements become synthesized one-action
 * tables (as p4c does), "if" a conditional node, "t.apply()" the table with
 * its next pointers (hit/miss, action_run switches), controls applied from
 * controls are inlined with their tables named <instance>.<table>. Also the
 * locals of controls: variables and extern instances (counters, meters,
 * registers). lower.c calls bm_lower_pipeline() for ingress and egress. */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/check.h"

json_t *
bm_new_table(struct bm *b, const char *name, struct node *at)
{
    json_t *t = json_object();
    json_object_set_new(t, "name", json_string(name));
    json_object_set_new(t, "id", json_integer(b->next_table_id++));
    if (at)
        json_object_set_new(t, "source_info", bm_source_info(b, at));
    json_object_set_new(t, "key", json_array());
    json_object_set_new(t, "match_type", json_string("exact"));
    json_object_set_new(t, "type", json_string("simple"));
    json_object_set_new(t, "max_size", json_integer(1024));
    json_object_set_new(t, "with_counters", json_false());
    json_object_set_new(t, "support_timeout", json_false());
    json_object_set_new(t, "direct_meters", json_null());
    json_object_set_new(t, "action_ids", json_array());
    json_object_set_new(t, "actions", json_array());
    json_object_set_new(t, "base_default_next", json_null());
    json_object_set_new(t, "next_tables", json_object());
    json_array_append_new(json_object_get(b->cur_pipeline, "tables"), t);
    return t;
}

json_t *
bm_next_json(const char *next)
{
    return next ? json_string(next) : json_null();
}

/* A one-action table that runs straight-line statements. */
static const char *
synth_table(struct bm *b, struct node **stmts, int n, const char *next)
{
    const char *aname = bm_unique(
        b, b->prefix ? arena_printf(b->A, "%s.act", b->prefix) : "act");
    int id = b->next_action_id++;
    json_t *a = json_object();
    json_object_set_new(a, "name", json_string(aname));
    json_object_set_new(a, "id", json_integer(id));
    json_object_set_new(a, "runtime_data", json_array());
    json_t *prims = json_array();
    json_t *saved = b->cur_ops;
    b->cur_ops = prims;
    struct frame *sf = b->frame;
    for (int i = 0; i < n; i++)
        bm_stmt(b, stmts[i]);
    bm_end_action(b);
    b->frame = sf;
    b->cur_ops = saved;
    json_object_set_new(a, "primitives", prims);
    json_array_append_new(b->actions, a);
    const char *short_name =
        strrchr(aname, '.') ? strrchr(aname, '.') + 1 : aname;
    const char *tname = bm_unique(b, arena_printf(b->A, "tbl_%s", short_name));
    json_t *t = bm_new_table(b, tname, stmts[0]);
    json_array_append_new(json_object_get(t, "action_ids"), json_integer(id));
    json_array_append_new(json_object_get(t, "actions"), json_string(aname));
    json_object_set_new(t, "base_default_next", bm_next_json(next));
    json_object_set_new(json_object_get(t, "next_tables"), aname,
                        bm_next_json(next));
    json_object_set_new(t, "default_entry",
                        json_pack("{s:i,s:b,s:[],s:b}", "action_id", id,
                                  "action_const", 1, "action_data",
                                  "action_entry_const", 1));
    return tname;
}

static const char *lower_seq(struct bm *b, struct node **stmts, int n,
                             const char *next);

static const char *
lower_block(struct bm *b, struct node *s, const char *next)
{
    if (!s)
        return next;
    if (s->kind == N_BLOCK)
        return lower_seq(b, s->list.v, s->list.n, next);
    return lower_seq(b, &s, 1, next);
}

/* The first "t.apply().hit" or ".miss" inside e, or NULL. */
static struct node *
find_apply_member(struct node *e)
{
    if (!e)
        return NULL;
    if (e->kind == N_MEMBER &&
        (!strcmp(e->name, "hit") || !strcmp(e->name, "miss")) &&
        e->a->kind == N_CALL && e->a->a->kind == N_MEMBER &&
        !strcmp(e->a->a->name, "apply") && e->a->a->a->type &&
        e->a->a->a->type->kind == N_TABLE)
        return e;
    struct node *r;
    if ((r = find_apply_member(e->a)) || (r = find_apply_member(e->b)) ||
        (r = find_apply_member(e->c)))
        return r;
    for (int i = 0; i < e->args.n; i++)
        if ((r = find_apply_member(e->args.v[i])))
            return r;
    for (int i = 0; i < e->list.n; i++)
        if ((r = find_apply_member(e->list.v[i])))
            return r;
    return NULL;
}

/* A statement "flag = value" for a bool binding. */
static struct node *
set_flag_stmt(struct bm *b, struct binding *flag, struct node *type, int value,
              struct loc loc)
{
    struct node *var = node_new(b->A, N_VAR, loc);
    var->type = type;
    var->aux = flag;
    struct node *nm = node_new(b->A, N_NAME, loc);
    nm->name = "hit";
    nm->decl = var;
    nm->type = type;
    struct node *v = node_new(b->A, N_BOOL, loc);
    v->ival = (unsigned)value;
    v->type = type;
    struct node *as = node_new(b->A, N_ASSIGN, loc);
    as->op = "=";
    as->a = nm;
    as->b = v;
    return as;
}

/* Applies the table of member m ("t.apply().hit") first, keeping hit (or
 * miss) in a flag that expressions read through m->aux, then goes to next.
 * Returns the entry node. */
static const char *table_for_flag(struct bm *b, struct node *m,
                                  const char *next, struct binding *flag,
                                  struct node *bt);

static int
is_flow(struct node *s)
{
    if (!s)
        return 0;
    if ((s->kind == N_ASSIGN && find_apply_member(s->b)) ||
        ((s->kind == N_VAR || s->kind == N_CONST) && find_apply_member(s->b)))
        return 1;
    switch (s->kind) {
    case N_IF:
    case N_SWITCH:
    case N_RETURN:
        return 1;
    case N_BLOCK:
        return 1;
    case N_CALL_STMT: {
        struct node *c = s->a->a;
        if (c->kind == N_MEMBER && !strcmp(c->name, "apply") && c->a->type &&
            (c->a->type->kind == N_TABLE || c->a->type->kind == N_CONTROL ||
             c->a->type->kind == N_CONTROL_TYPE))
            return 1;
        return 0;
    }
    default:
        return 0;
    }
}

/* The table node for "t.apply()" where t is the expression before .apply */
static json_t *
table_for(struct bm *b, struct node *texpr, const char **tname)
{
    struct node *t = texpr->decl;
    if (!t || t->kind != N_TABLE) {
        cc_error(b->c, texpr->loc, "cannot find this table");
        return NULL;
    }
    const char *name = bm_qualified(b, t);
    json_t *tj = bm_lower_table(b, t, name);
    if (json_object_get(tj, "_applied")) {
        /* applied again: it must be in this pipeline (link_table) */
        json_t *tabs = json_object_get(b->cur_pipeline, "tables");
        int here = 0;
        for (size_t i = 0; i < json_array_size(tabs); i++)
            here |= json_array_get(tabs, i) == tj;
        if (!here) {
            cc_error(b->c, texpr->loc,
                     "table %s is applied in two pipelines; BMv2 tables "
                     "belong to one",
                     t->name);
            return NULL;
        }
    }
    json_object_set_new(tj, "_applied", json_true());
    if (!node_annot(t, "hidden")) {
        int dup = 0;
        for (size_t i = 0; i < b->p4_tables.n; i++)
            if (b->p4_tables.v[i].json == tj)
                dup = 1;
        if (!dup) {
            struct p4i_obj o = {name, t, p4info_id(0x02, name), tj};
            VEC_PUSH(&b->p4_tables, o);
        }
    }
    *tname = name;
    return tj;
}

/* The node to enter for table tn: the table, or the synthesized table that
 * first computes its key expressions. */
static const char *
entry_for(struct bm *b, const char *tn)
{
    struct nlist *pre = hmap_get(&b->table_pre, tn);
    if (!pre || !pre->n)
        return tn;
    /* a key reading "t2.apply().hit" applies t2 first (lower_seq) */
    for (int i = 0; i < pre->n; i++)
        if (is_flow(pre->v[i]))
            return lower_seq(b, pre->v, pre->n, tn);
    return synth_table(b, pre->v, pre->n, tn);
}

/* Do all of table tj's next pointers go to next? */
static int
same_next(json_t *tj, const char *next)
{
    json_t *bd = json_object_get(tj, "base_default_next");
    const char *k;
    json_t *v;
    if (!(next ? json_is_string(bd) && !strcmp(json_string_value(bd), next)
               : json_is_null(bd)))
        return 0;
    json_object_foreach(json_object_get(tj, "next_tables"), k, v)
    {
        if (!(next ? json_is_string(v) && !strcmp(json_string_value(v), next)
                   : json_is_null(v)))
            return 0;
    }
    return 1;
}

static const char *new_cond(struct bm *b, struct node *at, json_t *expr,
                            const char *t, const char *f);

/* ---- tables applied at several places ----
 *
 * A BMv2 table has one set of next pointers. The first place lowered
 * installs its continuations; each other place k sets the scalar
 * "<table>_site" to k before entering the table, and every next pointer
 * that differs becomes a conditional "site == k" that goes, through a
 * table resetting the site to 0, to place k's continuation. */

static const char *
next_str(json_t *j)
{
    return json_is_string(j) ? json_string_value(j) : NULL;
}

static int
same_str(const char *x, const char *y)
{
    return x ? y && !strcmp(x, y) : !y;
}

/* A statement "dst = v" for a scalar binding of type type. */
static struct node *
set_value_stmt(struct bm *b, struct binding *dst, struct node *type, unsigned v,
               struct loc loc)
{
    struct node *var = node_new(b->A, N_VAR, loc);
    var->type = type;
    var->aux = dst;
    struct node *nm = node_new(b->A, N_NAME, loc);
    nm->name = "site";
    nm->decl = var;
    nm->type = type;
    struct node *val = node_new(b->A, N_INT, loc);
    val->ival = v;
    val->type = type;
    struct node *as = node_new(b->A, N_ASSIGN, loc);
    as->op = "=";
    as->a = nm;
    as->b = val;
    return as;
}

/* Are all targets of next map m (and base, for action-keyed maps) one
 * node? Sets *to. */
static int
uniform(json_t *m, const char *base, int use_base, const char **to)
{
    const char *k;
    json_t *v;
    int first = 1;
    const char *u = NULL;
    json_object_foreach(m, k, v)
    {
        if (!first && !same_str(u, next_str(v)))
            return 0;
        u = next_str(v);
        first = 0;
    }
    if (use_base && !first && !same_str(u, base))
        return 0;
    *to = first ? base : u;
    return 1;
}

static json_t *
hit_miss_map(const char *to)
{
    json_t *m = json_object();
    json_object_set_new(m, "__HIT__", bm_next_json(to));
    json_object_set_new(m, "__MISS__", bm_next_json(to));
    return m;
}

/* The conditionals made for one more place of a table: one per distinct
 * pair (this place's target, the others' target). */
struct dispatch {
    struct binding *site;
    unsigned k;
    struct node *reset; /* site = 0 */
    struct node *at;
    int n;
    const char *want[64], *other[64], *node[64];
};

static const char *
dispatch_node(struct bm *b, struct dispatch *d, const char *want,
              const char *other)
{
    for (int i = 0; i < d->n; i++)
        if (same_str(d->want[i], want) && same_str(d->other[i], other))
            return d->node[i];
    want = want ? arena_strdup(b->A, want) : NULL;
    other = other ? arena_strdup(b->A, other) : NULL;
    const char *r = synth_table(b, &d->reset, 1, want);
    json_t *is_k = bm_mkexpr("==", bm_field_json(d->site), bm_hexstr(d->k));
    const char *n = new_cond(b, d->at, is_k, r, other);
    if (d->n < 64) { /* copies: the JSON strings are replaced */
        d->want[d->n] = want ? arena_strdup(b->A, want) : NULL;
        d->other[d->n] = other ? arena_strdup(b->A, other) : NULL;
        d->node[d->n++] = n;
    }
    return n;
}

/* Gives table tj (named tn) the continuations want (its next_tables, keyed
 * by action or by __HIT__/__MISS__; takes ownership) and wbase (its
 * base_default_next); at: the apply, for source info. Returns the node
 * this place enters. */
static const char *
link_table(struct bm *b, json_t *tj, const char *tn, json_t *want,
           const char *wbase, struct node *at)
{
    int want_hm = json_object_get(want, "__HIT__") != NULL;
    if (!json_object_get(tj, "_linked")) {
        json_object_set_new(tj, "_linked", json_true());
        json_object_set_new(tj, "next_tables", want);
        json_object_set_new(tj, "base_default_next",
                            bm_next_json(want_hm ? NULL : wbase));
        return entry_for(b, tn);
    }
    json_t *cur = json_object_get(tj, "next_tables");
    const char *cbase = next_str(json_object_get(tj, "base_default_next"));
    int cur_hm = json_object_get(cur, "__HIT__") != NULL;
    const char *u;
    if (cur_hm != want_hm) {
        /* hit/miss at one place, action_run or a plain apply at the
         * other: fine when one of them goes to one node whatever runs */
        if (!cur_hm && uniform(cur, cbase, 1, &u)) {
            cur = hit_miss_map(u);
            json_object_set_new(tj, "next_tables", cur);
            json_object_set_new(tj, "base_default_next", json_null());
            cbase = NULL;
        } else if (!want_hm && uniform(want, wbase, 1, &u)) {
            json_t *hm = hit_miss_map(u); /* u is in want */
            json_decref(want);
            want = hm;
            wbase = NULL;
        } else {
            cc_error(b->c, at->loc,
                     "table %s is applied with hit/miss at one place and "
                     "with action_run at another; the BMv2 back end cannot "
                     "combine them yet",
                     tn);
            json_decref(want);
            return entry_for(b, tn);
        }
        want_hm = 1;
    }
    char key[300];
    snprintf(key, sizeof key, "%s_site",
             strrchr(tn, '.') ? strrchr(tn, '.') + 1 : tn);
    struct binding *site = hmap_get(&b->table_sites, tn);
    struct node *t8 = node_new(b->A, N_TBIT, at->loc);
    t8->width = 8;
    if (!site) {
        site = bm_bind(b, t8, bm_unique(b, key), 0);
        hmap_put(&b->table_sites, tn, site, NULL);
    }
    json_int_t k = json_integer_value(json_object_get(tj, "_sites")) + 1;
    if (k > 255) {
        cc_error(b->c, at->loc, "table %s is applied at too many places", tn);
        json_decref(want);
        return entry_for(b, tn);
    }
    json_object_set_new(tj, "_sites", json_integer(k));
    struct dispatch d = {.site = site,
                         .k = (unsigned)k,
                         .reset = set_value_stmt(b, site, t8, 0, at->loc),
                         .at = at};
    const char *wk;
    json_t *wv;
    json_object_foreach(want, wk, wv)
    {
        json_t *cv = json_object_get(cur, wk);
        const char *c = cv ? next_str(cv) : cbase;
        if (!same_str(c, next_str(wv)))
            json_object_set_new(
                cur, wk, json_string(dispatch_node(b, &d, next_str(wv), c)));
    }
    if (!want_hm && !same_str(cbase, wbase))
        json_object_set_new(tj, "base_default_next",
                            json_string(dispatch_node(b, &d, wbase, cbase)));
    json_decref(want);
    struct node *set = set_value_stmt(b, site, t8, (unsigned)k, at->loc);
    return synth_table(b, &set, 1, entry_for(b, tn));
}

/* The next map of a plain apply of tj: every action goes to next. */
static json_t *
all_to(json_t *tj, const char *next)
{
    json_t *m = json_object();
    json_t *acts = json_object_get(tj, "actions");
    for (size_t i = 0; i < json_array_size(acts); i++)
        json_object_set_new(m, json_string_value(json_array_get(acts, i)),
                            bm_next_json(next));
    return m;
}

static const char *lower_control_apply(struct bm *b, struct node *inst,
                                       struct node *call, const char *next);

static const char *
new_cond(struct bm *b, struct node *at, json_t *expr, const char *t,
         const char *f)
{
    const char *name = bm_unique(b, "node");
    name = arena_printf(b->A, "node_%d", b->next_node++);
    json_t *c = json_object();
    json_object_set_new(c, "name", json_string(name));
    json_object_set_new(c, "id", json_integer(b->next_cond_id++));
    json_object_set_new(c, "source_info", bm_source_info(b, at));
    json_object_set_new(c, "expression", expr);
    json_object_set_new(c, "true_next", bm_next_json(t));
    json_object_set_new(c, "false_next", bm_next_json(f));
    json_array_append_new(json_object_get(b->cur_pipeline, "conditionals"), c);
    return name;
}

static json_t *table_for(struct bm *b, struct node *texpr, const char **tname);
static const char *entry_for(struct bm *b, const char *tn);

static const char *
lower_flow(struct bm *b, struct node *s, const char *next)
{
    if ((s->kind == N_ASSIGN || s->kind == N_VAR || s->kind == N_CONST) &&
        find_apply_member(s->b)) {
        /* "x = t.apply().hit ...": the table, a flag, then the statement */
        struct node *m = find_apply_member(s->b);
        struct node *bt = node_new(b->A, N_TBOOL, s->loc);
        struct binding *flag = bm_bind(b, bt, bm_unique(b, "hit"), 0);
        m->aux = flag;
        if (s->kind != N_ASSIGN && !s->aux)
            s->aux = bm_bind(b, s->type, bm_unique(b, s->name), 0);
        const char *st = synth_table(b, &s, 1, next);
        m->aux = NULL;
        m->type = bt;
        return table_for_flag(b, m, st, flag, bt);
    }
    switch (s->kind) {
    case N_BLOCK:
        return lower_seq(b, s->list.v, s->list.n, next);
    case N_IF: {
        struct node *c = s->a;
        int neg = 0;
        while (c->kind == N_UNOP && !strcmp(c->op, "!")) {
            neg = !neg;
            c = c->a;
        }
        if (c->kind == N_MEMBER &&
            (!strcmp(c->name, "hit") || !strcmp(c->name, "miss")) &&
            c->a->kind == N_CALL && c->a->a->kind == N_MEMBER &&
            !strcmp(c->a->a->name, "apply") && c->a->a->a->type &&
            c->a->a->a->type->kind == N_TABLE) {
            int hit = !strcmp(c->name, "hit") ^ neg;
            const char *tn;
            json_t *tj = table_for(b, c->a->a->a, &tn);
            const char *then = lower_block(b, s->b, next);
            const char *els = lower_block(b, s->c, next);
            if (!tj)
                return next;
            json_t *nt = json_object();
            json_object_set_new(nt, "__HIT__", bm_next_json(hit ? then : els));
            json_object_set_new(nt, "__MISS__", bm_next_json(hit ? els : then));
            return link_table(b, tj, tn, nt, NULL, s);
        }
        unsigned __int128 cv;
        if (check_eval(b->c, s->a, &cv))
            return lower_block(b, cv ? s->b : s->c, next);
        const char *then = lower_block(b, s->b, next);
        const char *els = lower_block(b, s->c, next);
        struct node *am = find_apply_member(s->a);
        if (am) {
            /* "if (t.apply().hit && ...)": the table sets a flag first */
            struct node *bt = node_new(b->A, N_TBOOL, s->loc);
            struct binding *flag = bm_bind(b, bt, bm_unique(b, "hit"), 0);
            am->aux = flag;
            const char *cn = new_cond(b, s, bm_bool_expr(b, s->a), then, els);
            am->aux = NULL;
            return table_for_flag(b, am, cn, flag, bt);
        }
        if (bm_has_call(s->a)) {
            /* the condition calls functions: compute it into a variable
             * in a table before the conditional */
            struct node *bt = node_new(b->A, N_TBOOL, s->loc);
            struct node *var = node_new(b->A, N_VAR, s->loc);
            var->type = bt;
            var->aux = bm_bind(b, bt, bm_unique(b, "cond"), 0);
            struct node *nm = node_new(b->A, N_NAME, s->loc);
            nm->name = "cond";
            nm->decl = var;
            nm->type = bt;
            struct node *as = node_new(b->A, N_ASSIGN, s->loc);
            as->op = "=";
            as->a = nm;
            as->b = s->a;
            const char *cn = new_cond(b, s, bm_bool_expr(b, nm), then, els);
            return synth_table(b, &as, 1, cn);
        }
        return new_cond(b, s, bm_bool_expr(b, s->a), then, els);
    }
    case N_SWITCH: {
        struct node *e = s->a;
        if (e->kind == N_MEMBER && !strcmp(e->name, "action_run") &&
            e->a->kind == N_CALL && e->a->a->kind == N_MEMBER) {
            const char *tn;
            json_t *tj = table_for(b, e->a->a->a, &tn);
            if (!tj)
                return next;
            json_t *nt = all_to(tj, next);
            const char *dflt_next = next;
            /* cases in reverse so fall-through shares the next block */
            const char *pending = NULL;
            for (int i = s->list.n - 1; i >= 0; i--) {
                struct node *cs = s->list.v[i];
                if (cs->b)
                    pending = lower_block(b, cs->b, next);
                const char *target = pending ? pending : next;
                if (!cs->a) {
                    dflt_next = target;
                    continue;
                }
                struct node *ad = cs->a->decl;
                if (ad && ad->kind == N_ACTION) {
                    const char *an = bm_qualified(b, ad);
                    json_object_set_new(nt, an, bm_next_json(target));
                }
            }
            if (dflt_next != next) {
                const char *k;
                json_t *v;
                void *tmp;
                json_object_foreach_safe(nt, tmp, k, v)
                {
                    int labelled = 0;
                    for (int i = 0; i < s->list.n; i++)
                        if (s->list.v[i]->a && s->list.v[i]->a->decl &&
                            !strcmp(bm_qualified(b, s->list.v[i]->a->decl), k))
                            labelled = 1;
                    if (!labelled)
                        json_object_set_new(nt, k, bm_next_json(dflt_next));
                }
            }
            return link_table(b, tj, tn, nt, next, s);
        }
        /* a switch on a value: a chain of conditionals */
        const char *cur = next;
        const char *dflt = next;
        const char *pending = NULL;
        const char **targets =
            arena_alloc(b->A, sizeof *targets * (size_t)(s->list.n + 1));
        for (int i = s->list.n - 1; i >= 0; i--) {
            struct node *cs = s->list.v[i];
            if (cs->b)
                pending = lower_block(b, cs->b, next);
            targets[i] = pending ? pending : next;
            if (!cs->a)
                dflt = targets[i];
        }
        cur = dflt;
        for (int i = s->list.n - 1; i >= 0; i--) {
            struct node *cs = s->list.v[i];
            if (!cs->a)
                continue;
            struct node eq = {0};
            eq.kind = N_BINOP;
            eq.op = "==";
            eq.a = e;
            eq.b = cs->a;
            eq.loc = cs->loc;
            json_t *ex = bm_bool_expr(b, &eq);
            cur = new_cond(b, cs, ex, targets[i], cur);
        }
        return cur;
    }
    case N_CALL_STMT: {
        struct node *c = s->a->a;
        if (c->a->type && c->a->type->kind == N_TABLE) {
            const char *tn;
            struct node *t = c->a->decl;
            const char *qn =
                t && t->kind == N_TABLE ? bm_qualified(b, t) : NULL;
            json_t *prev = qn ? hmap_get(&b->table_json, qn) : NULL;
            if (prev && json_object_get(prev, "_linked") &&
                same_next(prev, next)) {
                /* applied again with the same continuation: one node in
                 * the graph serves both places */
                return entry_for(b, qn);
            }
            json_t *tj = table_for(b, c->a, &tn);
            if (!tj)
                return next;
            return link_table(b, tj, tn, all_to(tj, next), next, s);
        }
        return lower_control_apply(b, c->a->decl, s->a, next);
    }
    default:
        return next;
    }
}

static const char *
table_for_flag(struct bm *b, struct node *m, const char *next,
               struct binding *flag, struct node *bt)
{
    const char *tn;
    json_t *tj = table_for(b, m->a->a->a, &tn);
    if (!tj)
        return next;
    int hit = !strcmp(m->name, "hit");
    struct node *s1 = set_flag_stmt(b, flag, bt, hit, m->loc);
    struct node *s0 = set_flag_stmt(b, flag, bt, !hit, m->loc);
    const char *on_hit = synth_table(b, &s1, 1, next);
    const char *on_miss = synth_table(b, &s0, 1, next);
    json_t *nt = json_object();
    json_object_set_new(nt, "__HIT__", json_string(on_hit));
    json_object_set_new(nt, "__MISS__", json_string(on_miss));
    return link_table(b, tj, tn, nt, NULL, m);
}

static const char *
lower_seq(struct bm *b, struct node **stmts, int n, const char *next)
{
    /* statements after a "return" never run */
    for (int i = 0; i < n; i++)
        if (stmts[i]->kind == N_RETURN || stmts[i]->kind == N_EXIT) {
            if (stmts[i]->kind == N_EXIT) {
                n = i + 1;
                next = NULL;
            } else {
                n = i;
                next = b->ret_next;
            }
            break;
        }
    /* variables of this level live as long as the control: bind them now so
     * that conditions and tables after them can read them */
    for (int k = 0; k < n; k++) {
        struct node *d = stmts[k];
        if (d->kind == N_VAR && !d->aux)
            d->aux = bm_bind(b, d->type, bm_unique(b, d->name), 0);
    }
    const char *cur = next;
    int i = n - 1;
    while (i >= 0) {
        if (is_flow(stmts[i])) {
            cur = lower_flow(b, stmts[i], cur);
            i--;
            continue;
        }
        int j = i;
        while (j >= 0 && !is_flow(stmts[j]))
            j--;
        /* skip runs of statements that generate nothing (declarations
         * without initializers are still needed for their binding) */
        cur = synth_table(b, stmts + j + 1, i - j, cur);
        i = j;
    }
    return cur;
}

/* ---- control locals ---- */

void
bm_declare_instance(struct bm *b, struct node *inst)
{
    struct node *t = inst->type;
    const char *name = bm_qualified(b, inst);
    struct binding *bd = arena_alloc(b->A, sizeof *bd);
    bd->kind = B_EXPR;
    bd->hname = name;
    inst->aux = bd;
    if (!t || t->kind != N_EXTERN)
        return;
    /* a control applied from several places declares its instances once */
    json_t *arrays[] = {b->counter_arrays, b->meter_arrays, b->register_arrays,
                        b->extern_instances};
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < json_array_size(arrays[k]); i++)
            if (!strcmp(json_string_value(json_object_get(
                            json_array_get(arrays[k], i), "name")),
                        name))
                return;
    unsigned __int128 size = 0;
    struct node *a0 = inst->args.n ? inst->args.v[0] : NULL;
    if (a0 && a0->kind == N_NAMED)
        a0 = a0->a;
    if (a0)
        check_eval(b->c, a0, &size);
    if (!strcmp(t->name, "counter") || !strcmp(t->name, "meter")) {
        int is_counter = t->name[0] == 'c';
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(name));
        json_object_set_new(
            j, "id",
            json_integer((json_int_t)json_array_size(
                is_counter ? b->counter_arrays : b->meter_arrays)));
        json_object_set_new(j, "source_info", bm_source_info(b, inst));
        json_object_set_new(j, "is_direct", json_false());
        if (!is_counter) {
            json_object_set_new(j, "rate_count", json_integer(2));
            struct node *mt = inst->args.n > 1 ? inst->args.v[1] : NULL;
            json_object_set_new(
                j, "type",
                json_string(mt && mt->kind == N_MEMBER ? mt->name : "packets"));
        }
        json_object_set_new(j, "size", json_integer((json_int_t)size));
        json_array_append_new(is_counter ? b->counter_arrays : b->meter_arrays,
                              j);
        struct node *ct = inst->args.n > 1 ? inst->args.v[1] : NULL;
        json_object_set_new(
            j, "_unit",
            json_string(ct && ct->kind == N_MEMBER ? ct->name : "packets"));
        struct p4i_obj o = {name, inst,
                            p4info_id(is_counter ? 0x12 : 0x14, name), j};
        if (is_counter)
            VEC_PUSH(&b->p4_counters, o);
        else
            VEC_PUSH(&b->p4_meters, o);
    } else if (!strcmp(t->name, "direct_meter")) {
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(name));
        json_object_set_new(
            j, "id",
            json_integer((json_int_t)json_array_size(b->meter_arrays)));
        json_object_set_new(j, "source_info", bm_source_info(b, inst));
        json_object_set_new(j, "is_direct", json_true());
        json_object_set_new(j, "rate_count", json_integer(2));
        struct node *mt = inst->args.n ? inst->args.v[0] : NULL;
        json_object_set_new(
            j, "type",
            json_string(mt && mt->kind == N_MEMBER ? mt->name : "packets"));
        json_object_set_new(j, "size", json_integer(1024));
        json_array_append_new(b->meter_arrays, j);
        hmap_put(&b->meter_json, name, j, NULL);
        json_object_set_new(
            j, "_unit",
            json_string(mt && mt->kind == N_MEMBER ? mt->name : "packets"));
        struct p4i_obj o = {name, inst, p4info_id(0x15, name), j};
        VEC_PUSH(&b->p4_dmeters, o);
    } else if (!strcmp(t->name, "register")) {
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(name));
        json_object_set_new(
            j, "id",
            json_integer((json_int_t)json_array_size(b->register_arrays)));
        json_object_set_new(j, "source_info", bm_source_info(b, inst));
        json_object_set_new(j, "size", json_integer((json_int_t)size));
        struct node *vt =
            inst->a && inst->a->targs.n ? inst->a->targs.v[0] : NULL;
        int w = check_width(vt ? check_canon(b->c, vt) : NULL);
        json_object_set_new(j, "bitwidth", json_integer(w ? w : 32));
        json_array_append_new(b->register_arrays, j);
        struct p4i_obj o = {name, inst, p4info_id(0x16, name), j};
        VEC_PUSH(&b->p4_registers, o);
    } else if (bm_user_extern(t)) {
        /* an extern of the program's own: listed as p4c lists it, with its
         * constructor arguments; a target must provide its methods */
        json_t *attrs = json_array();
        struct node *ctor = NULL; /* the constructor with as many params */
        for (int i = 0; i < t->list.n; i++) {
            struct node *m = t->list.v[i];
            if (m->kind == N_METHOD && !m->a && m->params.n == inst->args.n)
                ctor = m;
        }
        for (int i = 0; i < inst->args.n; i++) {
            struct node *a = inst->args.v[i];
            const char *an = a->kind == N_NAMED ? a->name
                             : ctor && i < ctor->params.n
                                 ? ctor->params.v[i]->name
                                 : arena_printf(b->A, "arg%d", i);
            unsigned __int128 v = 0;
            check_eval(b->c, a->kind == N_NAMED ? a->a : a, &v);
            json_t *hex = bm_hexstr(v);
            json_array_append_new(
                attrs, json_pack("{s:s,s:s,s:O}", "name", an, "type", "hexstr",
                                 "value", json_object_get(hex, "value")));
            json_decref(hex);
        }
        json_array_append_new(
            b->extern_instances,
            json_pack("{s:s,s:i,s:s,s:o}", "name", name, "id",
                      (int)json_array_size(b->extern_instances), "type",
                      t->name, "attribute_values", attrs));
    }
}

int
bm_user_extern(struct node *t)
{
    const char *f = t && t->kind == N_EXTERN ? t->loc.file : NULL;
    if (!f)
        return 0;
    const char *base = strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
    return strcmp(base, "core.p4") && strcmp(base, "v1model.p4");
}

/* Declares the locals of a control (variables and extern instances). */
void
bm_control_locals(struct bm *b, struct node *ctl)
{
    for (int i = 0; i < ctl->list.n; i++) {
        struct node *d = ctl->list.v[i];
        if (d->kind == N_VAR) {
            struct binding *bd = bm_bind(b, d->type, bm_unique(b, d->name), 0);
            d->aux = bd;
            if (b->frame) {
                /* inlined control: bind in the frame, not on the node */
                struct frame *f = b->frame;
                struct node **np =
                    arena_alloc(b->A, sizeof *np * (size_t)(f->n + 1));
                struct binding **nb =
                    arena_alloc(b->A, sizeof *nb * (size_t)(f->n + 1));
                memcpy(np, f->params, sizeof *np * (size_t)f->n);
                memcpy(nb, f->binds, sizeof *nb * (size_t)f->n);
                np[f->n] = d;
                nb[f->n] = bd;
                f->params = np;
                f->binds = nb;
                f->n++;
                d->aux = NULL;
            }
        } else if (d->kind == N_INSTANCE) {
            bm_declare_instance(b, d);
        } else if (d->kind == N_CONST) {
            /* folded */
        }
    }
}

/* Variables with initializers in a control body run first. */
static void
control_var_inits(struct bm *b, struct node *ctl, struct node ***out, int *n)
{
    for (int i = 0; i < ctl->list.n; i++) {
        struct node *d = ctl->list.v[i];
        if (d->kind == N_VAR && d->b) {
            struct node *as = node_new(b->A, N_ASSIGN, d->loc);
            as->op = "=";
            struct node *nm = node_new(b->A, N_NAME, d->loc);
            nm->name = d->name;
            nm->decl = d;
            nm->type = d->type;
            as->a = nm;
            as->b = d->b;
            *out = xrealloc(*out, sizeof **out * (size_t)(*n + 1));
            (*out)[(*n)++] = as;
        }
    }
}

static const char *
lower_control_body(struct bm *b, struct node *ctl, const char *next)
{
    const char *saved_ret = b->ret_next;
    b->ret_next = next;
    bm_control_locals(b, ctl);
    struct node **init = NULL;
    int ninit = 0;
    control_var_inits(b, ctl, &init, &ninit);
    const char *first =
        ctl->b ? lower_seq(b, ctl->b->list.v, ctl->b->list.n, next) : next;
    if (ninit)
        first = synth_table(b, init, ninit, first);
    free(init);
    b->ret_next = saved_ret;
    return first;
}

/* The argument for parameter p (position k) among args: by name, by
 * position, or p's default value. */
static struct node *
arg_for(struct nlist *args, int k, struct node *p)
{
    for (int j = 0; j < args->n; j++)
        if (args->v[j]->kind == N_NAMED && !strcmp(args->v[j]->name, p->name))
            return args->v[j]->a;
    if (k < args->n && args->v[k]->kind != N_NAMED)
        return args->v[k];
    return p->b;
}

/* The instance that constructor parameter d of an inlined control was
 * given (following parameters passed on), with the name prefix and frame
 * of the control that declares it; NULL if it is not an instance. */
static struct node *
ctor_argument(struct bm *b, struct node *d, const char **prefix,
              struct frame **frame)
{
    struct frame *fr = b->frame;
    for (int depth = 0; d && d->kind == N_PARAM && depth < 64; depth++) {
        struct binding *bd = NULL;
        for (struct frame *f = fr; f && !bd; f = f->up)
            for (int i = 0; i < f->n && !bd; i++)
                if (f->params[i] == d)
                    bd = f->binds[i];
        if (!bd || bd->kind != B_EXPR || !bd->expr || bd->expr->kind != N_NAME)
            return NULL;
        *prefix = bd->hname;
        *frame = fr = bd->expr_frame;
        d = bd->expr->decl;
    }
    return d && d->kind == N_PARAM ? NULL : d;
}

struct node *
bm_ctor_instance(struct bm *b, struct node *param)
{
    const char *prefix = b->prefix;
    struct frame *frame = b->frame;
    return ctor_argument(b, param, &prefix, &frame);
}

/* "c.apply(args)" of a control instance: inlined with its parameters bound
 * to the arguments; its tables and actions are named <instance>.<name>. */
static const char *
lower_control_apply(struct bm *b, struct node *inst, struct node *call,
                    const char *next)
{
    struct node *ctl;
    const char *iprefix;
    const char *decl_prefix = b->prefix; /* where inst is declared */
    struct frame *decl_frame = b->frame;
    if (inst && inst->kind == N_PARAM)
        inst = ctor_argument(b, inst, &decl_prefix, &decl_frame);
    if (inst && inst->kind == N_CONTROL) {
        /* a control applied directly by its type name */
        ctl = inst;
        iprefix = b->prefix ? arena_printf(b->A, "%s.%s", b->prefix, ctl->name)
                            : ctl->name;
    } else if (inst && inst->kind == N_INSTANCE && inst->type &&
               inst->type->kind == N_CONTROL) {
        ctl = inst->type;
        const char *cur = b->prefix;
        b->prefix = decl_prefix;
        iprefix = bm_qualified(b, inst);
        b->prefix = cur;
    } else {
        cc_error(b->c, call->loc, "cannot apply this in the BMv2 back end");
        return next;
    }
    struct frame *f = arena_alloc(b->A, sizeof *f);
    f->up = b->frame;
    int np = ctl->params.n, nc = ctl->ctor.n;
    f->n = np + nc;
    f->params = arena_alloc(b->A, sizeof *f->params * (size_t)(f->n + 1));
    f->binds = arena_alloc(b->A, sizeof *f->binds * (size_t)(f->n + 1));
    for (int i = 0; i < f->n; i++) {
        /* the apply parameters, then the constructor parameters bound to
         * the instance's arguments (read where the instance is declared) */
        struct nlist *args = i < np ? &call->args : &inst->args;
        int k = i < np ? i : i - np;
        f->params[i] = i < np ? ctl->params.v[i] : ctl->ctor.v[k];
        struct binding *bd = arena_alloc(b->A, sizeof *bd);
        bd->kind = B_EXPR;
        bd->expr = arg_for(args, k, f->params[i]);
        bd->expr_frame = i < np ? b->frame : decl_frame;
        bd->hname = i < np ? NULL : decl_prefix;
        f->binds[i] = bd;
    }
    const char *saved_prefix = b->prefix;
    struct frame *saved = b->frame;
    b->prefix = iprefix;
    b->frame = f;
    const char *first = lower_control_body(b, ctl, next);
    b->frame = saved;
    b->prefix = saved_prefix;
    return first;
}

static json_t *
new_pipeline(struct bm *b, const char *name, struct node *ctl)
{
    json_t *p = json_object();
    json_object_set_new(p, "name", json_string(name));
    json_object_set_new(
        p, "id", json_integer((json_int_t)json_array_size(b->pipelines)));
    json_object_set_new(p, "source_info", bm_source_info(b, ctl));
    json_object_set_new(p, "init_table", json_null());
    json_object_set_new(p, "tables", json_array());
    json_object_set_new(p, "action_profiles", json_array());
    json_object_set_new(p, "conditionals", json_array());
    json_array_append_new(b->pipelines, p);
    return p;
}

void
bm_lower_pipeline(struct bm *b, const char *name, struct node *ctl)
{
    json_t *p = new_pipeline(b, name, ctl);
    b->cur_pipeline = p;
    b->prefix = bm_qualified(b, ctl);
    b->control = ctl;
    const char *first = lower_control_body(b, ctl, NULL);
    json_object_set_new(p, "init_table", bm_next_json(first));
    b->prefix = NULL;
}
