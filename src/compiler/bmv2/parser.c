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

/* ---- parser loops over a stack index ----
 *
 * A parser local used as a header stack index (extract(hs[i]); i = i + 1)
 * cannot stay a run-time value: BMv2 extracts into a named header or into
 * hs.next. Such locals are followed while lowering, as p4c's parser
 * unrolling does: each state is lowered once per combination of their
 * values on entry (named <state>, then <state>_1, ...), in which they are
 * constants; an index past the stack is the StackOutOfBounds error. */
#define UNROLL_VARS 4
#define UNROLL_VISITS 128

struct visit {
    struct node *st;
    const char *name;
    unsigned char known[UNROLL_VARS];
    unsigned __int128 val[UNROLL_VARS];
};

struct unroll {
    struct node *parser;
    int nvars;
    struct node *vars[UNROLL_VARS];
    struct node *init[UNROLL_VARS]; /* the declarations' own initializers */
    struct node *cval[UNROLL_VARS]; /* the constant a known one stands for */
    unsigned char known[UNROLL_VARS];
    int n;
    struct visit v[UNROLL_VISITS];
};
static struct unroll *unroll;

/* Does expression or statement n mention declaration d? */
static int
mentions_decl(struct node *n, struct node *d, int depth)
{
    if (!n || depth > 64)
        return 0;
    if (n->kind == N_NAME && n->decl == d)
        return 1;
    if (mentions_decl(n->a, d, depth + 1) ||
        mentions_decl(n->b, d, depth + 1) || mentions_decl(n->c, d, depth + 1))
        return 1;
    for (int i = 0; i < n->args.n; i++)
        if (mentions_decl(n->args.v[i], d, depth + 1))
            return 1;
    for (int i = 0; i < n->list.n; i++)
        if (mentions_decl(n->list.v[i], d, depth + 1))
            return 1;
    return 0;
}

/* Is d used in the index of a header stack element inside n? */
static int
indexes_with(struct node *n, struct node *d, int depth)
{
    if (!n || depth > 64)
        return 0;
    if (n->kind == N_INDEX && n->a->type && n->a->type->kind == N_TSTACK &&
        mentions_decl(n->b, d, 0))
        return 1;
    if (indexes_with(n->a, d, depth + 1) || indexes_with(n->b, d, depth + 1) ||
        indexes_with(n->c, d, depth + 1))
        return 1;
    for (int i = 0; i < n->args.n; i++)
        if (indexes_with(n->args.v[i], d, depth + 1))
            return 1;
    for (int i = 0; i < n->list.n; i++)
        if (indexes_with(n->list.v[i], d, depth + 1))
            return 1;
    return 0;
}

/* Makes the followed locals constants (known) or variables again. */
static void
unroll_apply(struct unroll *u)
{
    for (int i = 0; i < u->nvars; i++) {
        struct node *v = u->vars[i];
        v->kind = u->known[i] ? N_CONST : N_VAR;
        v->b = u->known[i] ? u->cval[i] : u->init[i];
    }
}

/* The state that goes to state st with the followed locals as they are
 * now: lowered once per combination (a new visit when needed). */
static const char *
unroll_target(struct bm *b, const char *st_name)
{
    struct unroll *u = unroll;
    struct node *st = NULL;
    for (int i = 0; i < u->parser->list.n; i++)
        if (u->parser->list.v[i]->kind == N_STATE &&
            !strcmp(u->parser->list.v[i]->name, st_name))
            st = u->parser->list.v[i];
    if (!st)
        return st_name;
    int seen = 0;
    for (int i = 0; i < u->n; i++) {
        struct visit *v = &u->v[i];
        if (v->st != st)
            continue;
        seen++;
        int same = 1;
        for (int k = 0; k < u->nvars; k++)
            same &= v->known[k] == u->known[k] &&
                    (!u->known[k] || v->val[k] == u->cval[k]->ival);
        if (same)
            return v->name;
    }
    if (u->n == UNROLL_VISITS) {
        cc_error(b->c, st->loc,
                 "the parser loop through state %s does not end within %d "
                 "states",
                 st_name, UNROLL_VISITS);
        return st_name;
    }
    struct visit *v = &u->v[u->n++];
    v->st = st;
    v->name = seen ? bm_unique(b, arena_printf(b->A, "%s_%d", st_name, seen))
                   : st_name;
    for (int k = 0; k < u->nvars; k++) {
        v->known[k] = u->known[k];
        v->val[k] = u->known[k] ? u->cval[k]->ival : 0;
    }
    return v->name;
}

/* The followed locals' values now, into v (nothing without a loop). */
static void
unroll_save(struct visit *v)
{
    for (int k = 0; unroll && k < unroll->nvars; k++) {
        v->known[k] = unroll->known[k];
        v->val[k] = unroll->cval[k]->ival;
    }
}

static void
unroll_restore(const struct visit *v)
{
    for (int k = 0; unroll && k < unroll->nvars; k++) {
        unroll->known[k] = v->known[k];
        unroll->cval[k]->ival = v->val[k];
    }
    if (unroll)
        unroll_apply(unroll);
}

/* After an if: a local stays known where both branches left it equal. */
static void
unroll_merge(const struct visit *other)
{
    for (int k = 0; unroll && k < unroll->nvars; k++)
        if (!other->known[k] || other->val[k] != unroll->cval[k]->ival)
            unroll->known[k] = 0;
    if (unroll)
        unroll_apply(unroll);
}

/* Does s index a header stack past its end (with the locals known now)? */
static int
stack_oob(struct bm *b, struct node *n, int depth)
{
    unsigned __int128 v;
    if (!n || depth > 64)
        return 0;
    if (n->kind == N_INDEX && n->a->type && n->a->type->kind == N_TSTACK &&
        check_eval(b->c, n->b, &v) && v >= (unsigned)n->a->type->width)
        return 1;
    if (stack_oob(b, n->a, depth + 1) || stack_oob(b, n->b, depth + 1) ||
        stack_oob(b, n->c, depth + 1))
        return 1;
    for (int i = 0; i < n->args.n; i++)
        if (stack_oob(b, n->args.v[i], depth + 1))
            return 1;
    for (int i = 0; i < n->list.n; i++)
        if (stack_oob(b, n->list.v[i], depth + 1))
            return 1;
    return 0;
}

/* Before statement s: which followed local it assigns (or -1), and its
 * new value if known at compile time (*known). */
static int
unroll_assign(struct bm *b, struct node *s, unsigned __int128 *val, int *known)
{
    if (!unroll || s->kind != N_ASSIGN || s->a->kind != N_NAME)
        return -1;
    for (int i = 0; i < unroll->nvars; i++)
        if (s->a->decl == unroll->vars[i]) {
            *known = !strcmp(s->op, "=") && check_eval(b->c, s->b, val);
            return i;
        }
    return -1;
}

static const char *
state_target_b(struct bm *b, struct node *n)
{
    if (!n || !strcmp(n->name, "reject"))
        return NULL;
    if (!strcmp(n->name, "accept"))
        return accept_to;
    if (unroll && !state_prefix && strncmp(n->name, "__", 2))
        return unroll_target(b, n->name);
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
lower_state_part(struct bm *b, const char *name, struct node *at,
                 struct node **stmts, int nstmts, struct node *tr,
                 json_t *states)
{
    /* blocks nested in a state hold statements like the state's own: their
     * statements are spliced in (an if inside one splits the state too) */
    for (int k = 0; k < nstmts; k++) {
        if (stmts[k]->kind != N_BLOCK)
            continue;
        struct node *blk = stmts[k];
        struct node **all = arena_alloc(
            b->A, sizeof *all * (size_t)(nstmts - 1 + blk->list.n + 1));
        memcpy(all, stmts, sizeof *all * (size_t)k);
        memcpy(all + k, blk->list.v, sizeof *all * (size_t)blk->list.n);
        memcpy(all + k + blk->list.n, stmts + k + 1,
               sizeof *all * (size_t)(nstmts - k - 1));
        lower_state_part(b, name, at, all, nstmts - 1 + blk->list.n, tr,
                         states);
        return;
    }
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
        /* followed locals (parser loops): each branch starts from the
         * values before the if; after it, only values both agree on */
        struct visit before = {0}, after_then = {0};
        unroll_save(&before);
        lower_state_part(
            b, then_s, at, thn->kind == N_BLOCK ? thn->list.v : &st->b,
            thn->kind == N_BLOCK ? thn->list.n : 1, goto_rest, states);
        unroll_save(&after_then);
        unroll_restore(&before);
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
        unroll_merge(&after_then);
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
    for (int i = 0; i < nstmts; i++) {
        if (unroll && !state_prefix && stack_oob(b, stmts[i], 0)) {
            /* past the end of a stack: the parser stops with an error */
            int err = 0;
            struct node *errs = b->c->program->a;
            for (int k = 0; errs && k < errs->list.n; k++)
                if (!strcmp(errs->list.v[k]->name, "StackOutOfBounds"))
                    err = k;
            bm_prim(b, stmts[i], "verify",
                    json_pack("[{s:s,s:b}o]", "type", "bool", "value", 0,
                              bm_hexstr((unsigned)err)));
            tr = NULL;
            break;
        }
        unsigned __int128 nv = 0;
        int known = 0;
        int vi = unroll_assign(b, stmts[i], &nv, &known);
        bm_stmt(b, stmts[i]);
        if (vi >= 0) {
            int w = check_width(unroll->vars[vi]->type);
            unroll->known[vi] = (unsigned char)known;
            unroll->cval[vi]->ival =
                w > 0 && w < 128 ? nv & ((((unsigned __int128)1) << w) - 1)
                                 : nv;
            unroll_apply(unroll);
        }
    }
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

static void lower_visit(struct bm *b, struct node *p, struct node *st,
                        const char *name, json_t *states);

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
    /* locals used as stack indexes: states are lowered per their values */
    struct unroll *u = xcalloc(1, sizeof *u);
    u->parser = p;
    for (int i = 0; i < p->list.n && u->nvars < UNROLL_VARS; i++) {
        struct node *d = p->list.v[i];
        if (d->kind == N_VAR && d->type && check_width(d->type) > 0 &&
            indexes_with(p, d, 0)) {
            u->vars[u->nvars] = d;
            u->init[u->nvars] = d->b;
            u->cval[u->nvars] = node_new(b->A, N_INT, d->loc);
            u->cval[u->nvars]->type = d->type;
            u->nvars++;
        }
    }
    if (u->nvars) {
        unroll = u;
        for (int i = 0; i < p->list.n; i++)
            if (p->list.v[i]->kind == N_STATE &&
                !strcmp(p->list.v[i]->name, "start"))
                unroll_target(b, "start"); /* visit 0, nothing known */
        for (int i = 0; i < u->n; i++) {
            for (int k = 0; k < u->nvars; k++) {
                u->known[k] = u->v[i].known[k];
                u->cval[k]->ival = u->v[i].val[k];
            }
            unroll_apply(u);
            lower_visit(b, p, u->v[i].st, u->v[i].name, states);
        }
        memset(u->known, 0, sizeof u->known);
        unroll_apply(u); /* the locals are variables again */
        unroll = NULL;
        free(u);
        json_object_set_new(pj, "parse_states", states);
        json_array_append_new(b->parsers, pj);
        b->prefix = NULL;
        return;
    }
    free(u);
    for (int i = 0; i < p->list.n; i++)
        if (p->list.v[i]->kind == N_STATE)
            lower_visit(b, p, p->list.v[i], state_name(b, p->list.v[i]->name),
                        states);
    json_object_set_new(pj, "parse_states", states);
    json_array_append_new(b->parsers, pj);
    b->prefix = NULL;
}

/* Lowers state st of parser p as name; the start state first runs the
 * initializers of the parser's variables. */
static void
lower_visit(struct bm *b, struct node *p, struct node *st, const char *name,
            json_t *states)
{
    if (strcmp(st->name, "start")) {
        lower_state_part(b, name, st, st->list.v, st->list.n, st->a, states);
        return;
    }
    json_t *init_ops = json_array();
    b->cur_ops = init_ops;
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
    /* the initializers run first, in the first state start becomes */
    size_t first = json_array_size(states);
    lower_state_part(b, name, st, st->list.v, st->list.n, st->a, states);
    json_t *sj = json_array_get(states, first);
    json_t *ops = json_object_get(sj, "parser_ops");
    for (size_t k = 0; k < json_array_size(ops); k++)
        json_array_append(init_ops, json_array_get(ops, k));
    json_object_set(sj, "parser_ops", init_ops);
    json_decref(init_ops);
}
