/* parser.c - BMv2 back end: the parser. Each parse state becomes a BMv2
 * parse state with its operations (extract, set, verify, advance and
 * primitives) and its transitions (select keys as fields, lookahead bits or
 * temporaries; cases as value/mask pairs, ranges split into masks, value
 * sets, default). An if in a state splits it into states around a select on
 * the condition; a sub-parser applied from a state is inlined with its
 * states renamed "<instance>.<state>" and its accept continuing the calling
 * state. lower.c builds the rest of the program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/check.h"

static json_t *
select_key(struct bm *b, struct node *e, int *width)
{
    *width = check_width(e->type);
    if (e->kind == N_CALL && e->a->kind == N_MEMBER &&
        !strcmp(e->a->name, "lookahead")) {
        return bm_typed("lookahead", json_pack("[ii]", 0, *width));
    }
    if (e->kind == N_MEMBER && e->a->kind == N_CALL &&
        e->a->a->kind == N_MEMBER && !strcmp(e->a->a->name, "lookahead") &&
        e->a->type && e->a->type->kind == N_HEADER) {
        /* a field of a looked-ahead header: its bits at their offset */
        int off = 0;
        struct node *ht = e->a->type;
        for (int i = 0; i < ht->list.n; i++) {
            if (!strcmp(ht->list.v[i]->name, e->name))
                break;
            off += check_width(ht->list.v[i]->type);
        }
        return bm_typed("lookahead", json_pack("[ii]", off, *width));
    }
    if (e->kind == N_MEMBER && e->a->kind == N_MEMBER && e->a->a->type &&
        e->a->a->type->kind == N_TSTACK && !strcmp(e->a->name, "last")) {
        struct binding *s = bm_ref(b, e->a->a);
        if (s)
            return bm_typed("stack_field",
                            json_pack("[ss]", s->hname, e->name));
    }
    struct binding *f =
        (e->kind == N_NAME || e->kind == N_MEMBER || e->kind == N_INDEX)
            ? bm_ref(b, e)
            : NULL;
    if (f && f->kind == B_FIELD && !f->is_bool && !f->dyn_index)
        return bm_typed("field", json_pack("[ss]", f->hname, f->field));
    /* an expression: compute it into a temporary first */
    bm_hoist(b, e);
    struct binding *tmp = bm_scalar_field(
        b, "tmp", e->type && e->type->kind == N_TBOOL ? e->type : e->type);
    if (tmp->is_bool) {
        tmp->is_bool = 0;
    }
    json_t *v = bm_expr(b, e);
    if (e->type && e->type->kind == N_TBOOL)
        v = json_pack("{s:s,s:{s:s,s:n,s:o}}", "type", "expression", "value",
                      "op", "b2d", "left", "right", v);
    bm_prim(b, e, "set", json_pack("[oo]", bm_field_json(tmp), v));
    bm_clear_snapshots();
    return bm_typed("field", json_pack("[ss]", tmp->hname, tmp->field));
}

static void
put_bytes(unsigned char *buf, int *pos, unsigned __int128 v, int w)
{
    int nb = (w + 7) / 8;
    for (int i = nb - 1; i >= 0; i--)
        buf[(*pos)++] = i >= 16 ? 0 : (unsigned char)(v >> (8 * i));
}

static json_t *
bytes_hex(const unsigned char *buf, int n)
{
    char *s = malloc((size_t)n * 2 + 3);
    s[0] = '0';
    s[1] = 'x';
    for (int i = 0; i < n; i++)
        sprintf(s + 2 + i * 2, "%02x", buf[i]);
    s[2 + n * 2] = 0;
    json_t *j = json_string(s);
    free(s);
    return j;
}

/* Sub-parsers are inlined: their states are named "<instance>.<state>"
 * (state_prefix) and their accept goes to the rest of the calling state
 * (accept_to). */
static const char *state_prefix;
static const char *accept_to;

static const char *
state_name(struct bm *b, const char *name)
{
    return state_prefix ? arena_printf(b->A, "%s.%s", state_prefix, name)
                        : name;
}

static const char *
state_target_b(struct bm *b, struct node *n)
{
    if (!n || !strcmp(n->name, "reject"))
        return NULL;
    if (!strcmp(n->name, "accept"))
        return accept_to;
    return state_name(b, n->name);
}
#define state_target(n) state_target_b(b, (n))

/* The parser a statement applies ("p.apply(...)" of a parser instance or
 * type), or NULL. */
static struct node *
subparser_call(struct node *s, struct node **inst)
{
    if (!s || s->kind != N_CALL_STMT || s->a->a->kind != N_MEMBER ||
        strcmp(s->a->a->name, "apply"))
        return NULL;
    struct node *d = s->a->a->a->decl;
    *inst = d;
    if (d && d->kind == N_PARSER)
        return d;
    if (d && d->kind == N_INSTANCE && d->type && d->type->kind == N_PARSER)
        return d->type;
    return NULL;
}

/* Declares value set d as jname in the JSON and qname in P4Info; select
 * cases find jname through d->aux. */
static void
declare_vset(struct bm *b, struct node *d, const char *jname, const char *qname)
{
    unsigned __int128 sz = 0;
    check_eval(b->c, d->b, &sz);
    struct binding *bd = arena_alloc(b->A, sizeof *bd);
    bd->kind = B_EXPR;
    bd->hname = jname;
    d->aux = bd;
    for (size_t i = 0; i < json_array_size(b->parse_vsets); i++)
        if (!strcmp(json_string_value(json_object_get(
                        json_array_get(b->parse_vsets, i), "name")),
                    jname))
            return; /* a sub-parser applied twice from one instance */
    json_array_append_new(b->parse_vsets,
                          json_pack("{s:s,s:i,s:i,s:i}", "name", jname, "id",
                                    (int)json_array_size(b->parse_vsets),
                                    "compressed_bitwidth", check_width(d->type),
                                    "max_size", (int)sz));
    struct p4i_obj o = {
        qname, d, p4info_id(0x03, qname),
        json_array_get(b->parse_vsets, json_array_size(b->parse_vsets) - 1)};
    VEC_PUSH(&b->p4_vsets, o);
}

/* The JSON name of the value set a select case names. */
static const char *
vset_name(struct node *d)
{
    return d->aux ? ((struct binding *)d->aux)->hname : d->name;
}

static void lower_state_part(struct bm *b, const char *name, struct node *at,
                             struct node **stmts, int n, struct node *tr,
                             json_t *states);

/* Lowers every state of sub-parser sp, called by statement call, its
 * accept going to accept_next. */
static void
lower_subparser(struct bm *b, struct node *sp, const char *prefix,
                struct node *call, const char *accept_next, json_t *states)
{
    struct frame *f = arena_alloc(b->A, sizeof *f);
    f->up = b->frame;
    f->n = sp->params.n;
    f->params = arena_alloc(b->A, sizeof *f->params * (size_t)(f->n + 1));
    f->binds = arena_alloc(b->A, sizeof *f->binds * (size_t)(f->n + 1));
    for (int i = 0; i < f->n; i++) {
        f->params[i] = sp->params.v[i];
        struct binding *bd = arena_alloc(b->A, sizeof *bd);
        bd->kind = B_EXPR;
        bd->expr = i < call->args.n ? call->args.v[i] : NULL;
        if (bd->expr && bd->expr->kind == N_NAMED)
            bd->expr = bd->expr->a;
        bd->expr_frame = b->frame;
        f->binds[i] = bd;
    }
    const char *saved_prefix = state_prefix, *saved_accept = accept_to;
    struct frame *saved = b->frame;
    b->frame = f;
    state_prefix = prefix;
    accept_to = accept_next;
    bm_control_locals(b, sp); /* its variables, bound in the frame */
    for (int i = 0; i < sp->list.n; i++) {
        struct node *d = sp->list.v[i];
        if (d->kind == N_VALUE_SET) {
            /* named as p4c names them: <parser>.<instance>.<set> */
            const char *qn =
                arena_printf(b->A, "%s.%s.%s", b->prefix, prefix, d->name);
            declare_vset(b, d, qn, qn);
        }
    }
    for (int i = 0; i < sp->list.n; i++) {
        struct node *st = sp->list.v[i];
        if (st->kind == N_STATE)
            lower_state_part(b, state_name(b, st->name), st, st->list.v,
                             st->list.n, st->a, states);
    }
    state_prefix = saved_prefix;
    accept_to = saved_accept;
    b->frame = saved;
}

static void
lower_state(struct bm *b, struct node *st, json_t *states, int id)
{
    (void)id;
    lower_state_part(b, state_name(b, st->name), st, st->list.v, st->list.n,
                     st->a, states);
}

static void
lower_state_part(struct bm *b, const char *name, struct node *at,
                 struct node **stmts, int nstmts, struct node *tr,
                 json_t *states)
{
    /* an if splits the state too: the condition becomes a select on a
     * temporary, each branch a state, the rest a state after them */
    for (int k = 0; k < nstmts; k++) {
        struct node *st = stmts[k];
        if (st->kind != N_IF)
            continue;
        unsigned __int128 cv;
        const char *rest =
            bm_unique(b, arena_printf(b->A, "%s_after_if", name));
        const char *then_s = bm_unique(b, arena_printf(b->A, "%s_then", name));
        const char *else_s =
            st->c ? bm_unique(b, arena_printf(b->A, "%s_else", name)) : rest;
        if (check_eval(b->c, st->a, &cv)) {
            /* a constant condition: just the branch taken, in line */
            struct node *taken = cv ? st->b : st->c;
            int nb = taken ? (taken->kind == N_BLOCK ? taken->list.n : 1) : 0;
            struct node **all =
                arena_alloc(b->A, sizeof *all * (size_t)(nstmts + nb));
            memcpy(all, stmts, sizeof *all * (size_t)k);
            for (int j = 0; j < nb; j++)
                all[k + j] = taken->kind == N_BLOCK ? taken->list.v[j] : taken;
            memcpy(all + k + nb, stmts + k + 1,
                   sizeof *all * (size_t)(nstmts - k - 1));
            lower_state_part(b, name, at, all, nstmts - 1 + nb, tr, states);
            return;
        }
        /* the first part: the statements before, then a select on c */
        struct node *sel = node_new(b->A, N_SELECT, st->loc);
        nlist_push(b->A, &sel->args, st->a);
        struct node *c1 = node_new(b->A, N_CASE, st->loc);
        c1->a = node_new(b->A, N_BOOL, st->loc);
        c1->a->ival = 1;
        c1->a->type = st->a->type;
        c1->b = node_new(b->A, N_NAME, st->loc);
        c1->b->name = "__then";
        struct node *c0 = node_new(b->A, N_CASE, st->loc);
        c0->a = node_new(b->A, N_DEFAULT, st->loc);
        c0->b = node_new(b->A, N_NAME, st->loc);
        c0->b->name = "__else";
        nlist_push(b->A, &sel->list, c1);
        nlist_push(b->A, &sel->list, c0);
        lower_state_part(b, name, at, stmts, k, sel, states);
        /* point the two cases at the branch states */
        json_t *first = json_array_get(states, json_array_size(states) - 1);
        json_t *trs = json_object_get(first, "transitions");
        json_object_set_new(json_array_get(trs, 0), "next_state",
                            json_string(then_s));
        json_object_set_new(json_array_get(trs, 1), "next_state",
                            json_string(else_s));
        struct node *thn = st->b;
        struct node *goto_rest = node_new(b->A, N_NAME, st->loc);
        goto_rest->name = "__rest";
        lower_state_part(
            b, then_s, at, thn->kind == N_BLOCK ? thn->list.v : &st->b,
            thn->kind == N_BLOCK ? thn->list.n : 1, goto_rest, states);
        json_t *tj = json_array_get(states, json_array_size(states) - 1);
        json_object_set_new(
            json_array_get(json_object_get(tj, "transitions"), 0), "next_state",
            json_string(rest));
        if (st->c) {
            struct node *els = st->c;
            lower_state_part(
                b, else_s, at, els->kind == N_BLOCK ? els->list.v : &st->c,
                els->kind == N_BLOCK ? els->list.n : 1, goto_rest, states);
            tj = json_array_get(states, json_array_size(states) - 1);
            json_object_set_new(
                json_array_get(json_object_get(tj, "transitions"), 0),
                "next_state", json_string(rest));
        }
        lower_state_part(b, rest, at, stmts + k + 1, nstmts - k - 1, tr,
                         states);
        return;
    }
    /* a sub-parser call splits the state: before it, the sub-parser's
     * states, then the rest in a state of its own */
    for (int k = 0; k < nstmts; k++) {
        struct node *inst = NULL;
        struct node *sp = subparser_call(stmts[k], &inst);
        if (!sp)
            continue;
        /* each call gets its own copy of the sub-parser's states */
        const char *sub_prefix =
            bm_unique(
                b, arena_printf(b->A, "parser:%s", state_name(b, inst->name))) +
            7;
        const char *sub_start = arena_printf(b->A, "%s.start", sub_prefix);
        const char *cont =
            bm_unique(b, arena_printf(b->A, "%s_after_%s", name, inst->name));
        /* the first part: statements before the call, then the sub-parser */
        const char *saved_accept = accept_to;
        lower_state_part(b, name, at, stmts, k, NULL, states);
        json_t *first = json_array_get(states, json_array_size(states) - 1);
        json_t *tj = json_pack("{s:s,s:n,s:n,s:s}", "type", "default", "value",
                               "mask", "next_state", sub_start);
        json_object_set_new(first, "transitions", json_pack("[o]", tj));
        lower_subparser(b, sp, sub_prefix, stmts[k]->a, cont, states);
        accept_to = saved_accept;
        lower_state_part(b, cont, at, stmts + k + 1, nstmts - k - 1, tr,
                         states);
        return;
    }
    json_t *sj = json_object();
    json_object_set_new(sj, "name", json_string(name));
    json_object_set_new(sj, "id",
                        json_integer((json_int_t)json_array_size(states)));
    json_t *ops = json_array();
    b->cur_ops = ops;
    b->in_parser = 1;
    struct frame *saved = b->frame;
    for (int i = 0; i < nstmts; i++)
        bm_stmt(b, stmts[i]);
    json_t *trans = json_array();
    json_t *key = json_array();
    if (tr && tr->kind == N_SELECT) {
        int widths[32];
        int nk = 0;
        for (int i = 0; i < tr->args.n && i < 32; i++) {
            json_array_append_new(key,
                                  select_key(b, tr->args.v[i], &widths[i]));
            nk++;
        }
        int total = 0;
        for (int i = 0; i < nk; i++)
            total += (widths[i] + 7) / 8;
        for (int i = 0; i < tr->list.n; i++) {
            struct node *cs = tr->list.v[i];
            struct node *ks = cs->a;
            int nv = ks->kind == N_LIST ? ks->list.n : 1;
            /* a range lo..hi becomes the value/mask pairs (prefixes) that
             * cover it, BMv2 parsers match masks; several ranges in one case
             * give every combination */
            enum { MAXR = 4, MAXB = 64 };
            unsigned __int128 rv[MAXR][MAXB], rm[MAXR][MAXB];
            int rcount[MAXR], rkey[MAXR], nr = 0, nblocks = 1;
            for (int k = 0; k < nv && k < nk; k++) {
                struct node *v = ks->kind == N_LIST ? ks->list.v[k] : ks;
                if (v->kind != N_RANGE)
                    continue;
                if (nr == MAXR) {
                    cc_error(b->c, v->loc,
                             "too many ranges in one select case");
                    break;
                }
                unsigned __int128 lo = 0, hi = 0;
                check_eval(b->c, v->a, &lo);
                check_eval(b->c, v->b, &hi);
                int n = 0;
                while (lo <= hi && n < MAXB) {
                    int sz = 0;
                    while (sz < widths[k] && sz < 127 &&
                           !(lo & (((unsigned __int128)1 << (sz + 1)) - 1)) &&
                           lo + (((unsigned __int128)1 << (sz + 1)) - 1) <= hi)
                        sz++;
                    rv[nr][n] = lo;
                    rm[nr][n] = bm_ones(widths[k]) &
                                ~((((unsigned __int128)1) << sz) - 1);
                    n++;
                    unsigned __int128 step = (unsigned __int128)1 << sz;
                    if (sz >= widths[k] || lo + step < lo)
                        break;
                    lo += step;
                }
                if (n == MAXB && lo <= hi)
                    cc_error(b->c, v->loc, "this range needs too many masks");
                rcount[nr] = n ? n : 1;
                rkey[nr] = k;
                nblocks *= rcount[nr];
                nr++;
            }
            for (int blk = 0; blk < nblocks; blk++) {
                json_t *t = json_object();
                int all_default = 1;
                unsigned char vb[512], mb[512];
                int vp = 0, mp = 0, has_mask = 0;
                const char *vset = NULL;
                for (int k = 0; k < nv && k < nk && total < 512; k++) {
                    struct node *v = ks->kind == N_LIST ? ks->list.v[k] : ks;
                    unsigned __int128 val = 0, mask = bm_ones(widths[k]);
                    if (v->kind == N_DEFAULT || v->kind == N_DONTCARE) {
                        mask = 0;
                        has_mask = 1;
                    } else if (v->kind == N_MASK) {
                        check_eval(b->c, v->a, &val);
                        check_eval(b->c, v->b, &mask);
                        all_default = 0;
                        has_mask = 1;
                    } else if (v->kind == N_NAME && v->decl &&
                               v->decl->kind == N_VALUE_SET) {
                        vset = vset_name(v->decl);
                        all_default = 0;
                    } else if (v->kind == N_RANGE) {
                        int idx = blk;
                        for (int r = 0; r < nr; r++) {
                            if (rkey[r] == k) {
                                val = rv[r][idx % rcount[r]];
                                mask = rm[r][idx % rcount[r]];
                            }
                            idx /= rcount[r];
                        }
                        all_default = 0;
                        has_mask = 1;
                    } else {
                        if (!check_eval(b->c, v, &val) && v->kind != N_BOOL)
                            cc_error(b->c, v->loc,
                                     "select cases must be constants");
                        all_default = 0;
                    }
                    put_bytes(vb, &vp, val & mask, widths[k]);
                    put_bytes(mb, &mp, mask & bm_ones(widths[k]), widths[k]);
                }
                if (nv == 1 && nk > 1 && ks->kind == N_NAME && ks->decl &&
                    ks->decl->kind == N_VALUE_SET) {
                    /* a value set of a struct type matches all the keys */
                    json_object_set_new(t, "type", json_string("parse_vset"));
                    json_object_set_new(t, "value",
                                        json_string(vset_name(ks->decl)));
                    json_object_set_new(t, "mask", json_null());
                    json_object_set_new(t, "next_state",
                                        bm_next_json(state_target(cs->b)));
                    json_array_append_new(trans, t);
                    continue;
                }
                if (nv != nk && !(nv == 1 && (ks->kind == N_DEFAULT ||
                                              ks->kind == N_DONTCARE)))
                    cc_error(b->c, cs->loc,
                             "this case has %d values, the select has "
                             "%d",
                             nv, nk);
                if (vset) {
                    json_object_set_new(t, "type", json_string("parse_vset"));
                    json_object_set_new(t, "value", json_string(vset));
                    json_object_set_new(t, "mask", json_null());
                } else if (all_default) {
                    json_object_set_new(t, "type", json_string("default"));
                    json_object_set_new(t, "value", json_null());
                    json_object_set_new(t, "mask", json_null());
                } else {
                    json_object_set_new(t, "type", json_string("hexstr"));
                    json_object_set_new(t, "value", bytes_hex(vb, vp));
                    json_object_set_new(
                        t, "mask", has_mask ? bytes_hex(mb, mp) : json_null());
                }
                json_object_set_new(t, "next_state",
                                    bm_next_json(state_target(cs->b)));
                json_array_append_new(trans, t);
            }
        }
    } else {
        json_t *t =
            json_pack("{s:s,s:n,s:n}", "type", "default", "value", "mask");
        json_object_set_new(t, "next_state",
                            bm_next_json(tr ? state_target(tr) : NULL));
        json_array_append_new(trans, t);
    }
    b->frame = saved;
    b->in_parser = 0;
    json_object_set_new(sj, "parser_ops", ops);
    json_object_set_new(sj, "transitions", trans);
    json_object_set_new(sj, "transition_key", key);
    json_array_append_new(states, sj);
}

void
bm_lower_parser(struct bm *b, struct node *p)
{
    json_t *pj = json_object();
    json_object_set_new(pj, "name", json_string("parser"));
    json_object_set_new(pj, "id", json_integer(0));
    json_object_set_new(pj, "init_state", json_string("start"));
    json_t *states = json_array();
    b->prefix = bm_qualified(b, p);
    for (int i = 0; i < p->list.n; i++) {
        struct node *d = p->list.v[i];
        if (d->kind == N_VAR) {
            d->aux = bm_bind(b, d->type, bm_unique(b, d->name), 0);
        } else if (d->kind == N_VALUE_SET) {
            declare_vset(b, d, bm_qualified(b, d), bm_qualified(b, d));
        } else if (d->kind == N_INSTANCE) {
            bm_declare_instance(b, d);
        }
    }
    /* variables with initializers: run at the start state */
    int sid = 0;
    for (int i = 0; i < p->list.n; i++) {
        struct node *st = p->list.v[i];
        if (st->kind != N_STATE)
            continue;
        if (!strcmp(st->name, "start")) {
            json_t *tmp_ops = json_array();
            b->cur_ops = tmp_ops;
            b->in_parser = 1;
            for (int j = 0; j < p->list.n; j++) {
                struct node *d = p->list.v[j];
                if (d->kind == N_VAR && d->b) {
                    struct node as = {0};
                    struct node nm = {0};
                    as.kind = N_ASSIGN;
                    as.op = "=";
                    as.loc = d->loc;
                    nm.kind = N_NAME;
                    nm.name = d->name;
                    nm.decl = d;
                    nm.type = d->type;
                    as.a = &nm;
                    as.b = d->b;
                    bm_stmt(b, &as);
                }
            }
            b->in_parser = 0;
            lower_state(b, st, states, sid++);
            json_t *sj = json_array_get(states, json_array_size(states) - 1);
            json_t *ops = json_object_get(sj, "parser_ops");
            for (size_t k = 0; k < json_array_size(ops); k++)
                json_array_append(tmp_ops, json_array_get(ops, k));
            json_object_set(sj, "parser_ops", tmp_ops);
            json_decref(tmp_ops);
            continue;
        }
        lower_state(b, st, states, sid++);
    }
    json_object_set_new(pj, "parse_states", states);
    json_array_append_new(b->parsers, pj);
    b->prefix = NULL;
}
