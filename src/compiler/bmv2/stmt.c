/* stmt.c - BMv2 back end: statements to primitives.
 *
 * bm_stmt() turns the statements of actions, synthesized tables and parser
 * states into primitives: assignments of fields, slices, headers, stacks and
 * structs (predicated with "?:" under the ifs of an action, as BMv2 actions
 * have no branches), calls of actions and functions (inlined with P4's
 * copy-in/copy-out), hoisting of function calls out of expressions, unrolled
 * loops. Expressions come from expr.c, extern calls from prim.c. */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/check.h"

/* dst = src for one field, with the predicate of enclosing ifs. */
static void
assign_field(struct bm *b, struct node *at, struct binding *dst, json_t *src)
{
    json_t *d = bm_field_json(dst);
    bm_prim(b, at, "assign", json_pack("[oo]", d, src));
}

static json_t *
pred_wrap(struct bm *b, json_t *cond, json_t *then, json_t *old)
{
    json_t *v = json_object();
    (void)b;
    json_object_set_new(v, "op", json_string("?"));
    json_object_set_new(v, "left", then);
    json_object_set_new(v, "right", old);
    json_object_set_new(v, "cond", cond);
    return bm_typed("expression", v);
}

static json_t *cur_pred; /* predicate of the enclosing ifs inside an action */
/* The binding that "return e" of the function being inlined writes. */
static struct binding *ret_binding;

static void assign_bind(struct bm *b, struct node *at, struct binding *dst,
                        struct binding *src);
static json_t *emit_jump(struct bm *b, struct node *at, json_t *cond);
static void set_label(struct bm *b, json_t *target);
static void assign_value(struct bm *b, struct node *at, struct binding *dst,
                         struct node *src);

static void
assign_struct_from_list(struct bm *b, struct node *at, struct binding *dst,
                        struct node *src)
{
    /* dst is a header or struct; src a list or struct initializer */
    struct node *t = dst->type;
    if (dst->kind == B_HEADER) {
        /* valid first, as p4c: BMv2's add_header zeroes the fields of a
         * header it makes valid. Under the ifs of an action it is jumped
         * over when they are false. */
        json_t *skip =
            cur_pred ? emit_jump(b, at, json_deep_copy(cur_pred)) : NULL;
        bm_prim(b, at, "add_header", json_pack("[o]", bm_header_json(dst)));
        if (skip)
            set_label(b, skip);
    }
    for (int i = 0; t && i < t->list.n; i++) {
        struct node *f = t->list.v[i];
        struct node *val = NULL;
        if (src->kind == N_LIST && i < src->list.n)
            val = src->list.v[i];
        else if (src->kind == N_STRUCT_INIT)
            for (int j = 0; j < src->list.n; j++)
                if (!strcmp(src->list.v[j]->name, f->name))
                    val = src->list.v[j]->a;
        if (!val)
            continue;
        struct binding *fd = dst->kind == B_HEADER
                                 ? bm_field_of(b, dst, f->name, f->type)
                                 : hmap_get(&dst->members, f->name);
        if (fd)
            assign_value(b, at, fd, val);
    }
}

/* Sets the fields of dst from the packet's next bits at *off onwards (a
 * lookahead of dst's type), making its headers valid. */
static void
lookahead_into(struct bm *b, struct node *at, struct binding *dst, int *off)
{
    if (!dst)
        return;
    if (dst->kind == B_FIELD) {
        bm_prim(b, at, "set",
                json_pack("[oo]", bm_field_json(dst),
                          bm_typed("lookahead",
                                   json_pack("[ii]", *off, dst->width))));
        *off += dst->width;
    } else if (dst->kind == B_HEADER && dst->type && !dst->dyn_index &&
               dst->index >= 0) {
        /* valid first: add_header zeroes the fields of an invalid header */
        bm_prim(b, at, "add_header", json_pack("[o]", bm_header_json(dst)));
        for (int i = 0; i < dst->type->list.n; i++) {
            struct node *f = dst->type->list.v[i];
            lookahead_into(b, at, bm_field_of(b, dst, f->name, f->type), off);
        }
    } else if (dst->kind == B_STACK && !dst->elems && dst->type) {
        for (int i = 0; i < dst->size; i++) {
            struct binding h = {.kind = B_HEADER, .type = dst->type->a};
            h.hname = arena_printf(b->A, "%s[%d]", dst->hname, i);
            lookahead_into(b, at, &h, off);
        }
    } else if (dst->kind == B_STRUCT) {
        for (int i = 0; i < dst->order.n; i++)
            lookahead_into(b, at,
                           hmap_get(&dst->members, dst->order.v[i]->name), off);
    } else {
        cc_error(b->c, at->loc,
                 "this lookahead target is not supported by the BMv2 back "
                 "end yet");
    }
}

static void
assign_value(struct bm *b, struct node *at, struct binding *dst,
             struct node *src)
{
    if (!dst)
        return;
    if (src->kind == N_LIST || src->kind == N_STRUCT_INIT) {
        if (dst->kind == B_HEADER || dst->kind == B_STRUCT) {
            assign_struct_from_list(b, at, dst, src);
            return;
        }
        if (src->list.n == 1) {
            assign_value(b, at, dst,
                         src->kind == N_LIST ? src->list.v[0]
                                             : src->list.v[0]->a);
            return;
        }
    }
    if (b->in_parser && src->kind == N_CALL && src->a->kind == N_MEMBER &&
        !strcmp(src->a->name, "lookahead") &&
        (dst->kind == B_HEADER || dst->kind == B_STRUCT ||
         dst->kind == B_STACK)) {
        /* x = pkt.lookahead<T>() for a header, struct or stack: every
         * field from the next bits, headers made valid */
        int off = 0;
        lookahead_into(b, at, dst, &off);
        return;
    }
    switch (dst->kind) {
    case B_FIELD: {
        json_t *v;
        if (dst->is_bool)
            v = bm_data_expr(b, src);
        else if (src->type && src->type->kind == N_TVARBIT) {
            struct binding *s = bm_ref(b, src);
            if (s && s->kind == B_FIELD) {
                bm_prim(
                    b, at, "assign_VL",
                    json_pack("[oo]", bm_field_json(dst), bm_field_json(s)));
                return;
            }
            v = bm_expr(b, src);
        } else
            v = bm_data_expr(b, src);
        if (cur_pred)
            v = pred_wrap(b, json_deep_copy(cur_pred), v, bm_field_json(dst));
        assign_field(b, at, dst, v);
        return;
    }
    case B_HEADER: {
        struct binding *s = bm_ref(b, src);
        if (s && s->kind == B_HEADER &&
            (s->index >= 0 || s->index == -2 || s->dyn_index) &&
            (dst->index >= 0 || dst->dyn_index)) {
            /* under the ifs of an action: dst = cond ? src : dst */
            json_t *v = bm_header_json(s);
            if (cur_pred)
                v = pred_wrap(b, json_deep_copy(cur_pred), v,
                              bm_header_json(dst));
            bm_prim(b, at, "assign_header",
                    json_pack("[oo]", bm_header_json(dst), v));
            return;
        }
        cc_error(b->c, at->loc,
                 "this header assignment is not supported by "
                 "the BMv2 back end yet");
        return;
    }
    case B_STACK: {
        struct binding *s = bm_ref(b, src);
        if (s && s->kind == B_STACK && !s->elems == !dst->elems) {
            assign_bind(b, at, dst, s);
            return;
        }
        cc_error(b->c, at->loc, "this stack assignment is not supported yet");
        return;
    }
    case B_STRUCT: {
        struct binding *s = bm_ref(b, src);
        if (!s || s->kind != B_STRUCT) {
            cc_error(b->c, at->loc,
                     "this struct assignment is not supported "
                     "by the BMv2 back end yet");
            return;
        }
        assign_bind(b, at, dst, s); /* member by member */
        return;
    }
    case B_RUNTIME:
        cc_error(b->c, at->loc,
                 "an action parameter without direction "
                 "cannot be assigned");
        return;
    default:
        return;
    }
}

/* The bounds of slice s (x[hi:lo] or x[lo +: w]); 0 if not constant. */
static int
slice_bounds(struct bm *b, struct node *s, unsigned __int128 *hi,
             unsigned __int128 *lo)
{
    if (s->op) {
        unsigned __int128 w;
        if (!check_eval(b->c, s->c, lo) || !check_eval(b->c, s->b, &w) || !w)
            return 0;
        *hi = *lo + w - 1;
        return 1;
    }
    return check_eval(b->c, s->b, hi) && check_eval(b->c, s->c, lo);
}

/* lhs[hi:lo] = src: read, mask, write. Slices of slices (x[7:4][1:0])
 * are bits of the innermost field, offset by each level's low bit. */
static void
assign_slice(struct bm *b, struct node *at, struct node *lhs, struct node *src)
{
    unsigned __int128 hi, lo;
    if (!slice_bounds(b, lhs, &hi, &lo)) {
        cc_error(b->c, lhs->loc, "slice bounds must be constants");
        return;
    }
    struct node *base = lhs->a;
    while (base->kind == N_SLICE) {
        unsigned __int128 h2, l2;
        if (!slice_bounds(b, base, &h2, &l2)) {
            cc_error(b->c, base->loc, "slice bounds must be constants");
            return;
        }
        hi += l2;
        lo += l2;
        base = base->a;
    }
    struct binding *dst = bm_ref(b, base);
    if (!dst || dst->kind != B_FIELD || hi >= (unsigned)dst->width) {
        cc_error(b->c, lhs->loc, "cannot assign to this slice");
        return;
    }
    unsigned __int128 m = bm_ones((int)(hi - lo + 1)) << (int)lo;
    json_t *keep =
        bm_mkexpr("&", bm_field_json(dst), bm_hexstr(bm_ones(dst->width) & ~m));
    json_t *nv =
        bm_mkexpr("&", bm_mkexpr("<<", bm_data_expr(b, src), bm_hexstr(lo)),
                  bm_hexstr(m));
    json_t *v = bm_mkexpr("|", keep, nv);
    if (cur_pred)
        v = pred_wrap(b, json_deep_copy(cur_pred), v, bm_field_json(dst));
    assign_field(b, at, dst, v);
}

static void inline_body(struct bm *b, struct node *decl, struct node *call);
static void hoist_calls(struct bm *b, struct node *e);

static void
call_stmt(struct bm *b, struct node *s, struct node *call)
{
    struct node *callee = call->a;
    if (callee->kind == N_MEMBER) {
        const char *m = callee->name;
        struct node *bt = callee->a->type;
        if (bt && (bt->kind == N_HEADER || bt->kind == N_HUNION) &&
            (!strcmp(m, "setValid") || !strcmp(m, "setInvalid"))) {
            struct binding *h = bm_ref(b, callee->a);
            if (!h || h->kind != B_HEADER || h->index == -1 || h->index == -4) {
                cc_error(b->c, call->loc, "cannot find this header");
                return;
            }
            bm_prim(b, s, m[3] == 'V' ? "add_header" : "remove_header",
                    json_pack("[o]", bm_header_json(h)));
            return;
        }
        if (bt && bt->kind == N_TSTACK &&
            (!strcmp(m, "push_front") || !strcmp(m, "pop_front"))) {
            struct binding *st = bm_ref(b, callee->a);
            if (!st || st->kind != B_STACK)
                return;
            bm_prim(b, s, m[1] == 'u' ? "push" : "pop",
                    json_pack("[oo]",
                              bm_typed("header_stack", json_string(st->hname)),
                              bm_data_expr(b, bm_arg(call, 0))));
            return;
        }
        if (bt && bt->kind == N_EXTERN) {
            if (!strcmp(bt->name, "packet_in")) {
                bm_packet_method(b, s, call, m);
                return;
            }
            struct node *inst = callee->a->decl;
            if (inst && inst->kind == N_PARAM)
                inst = bm_ctor_instance(b, inst); /* given to a control */
            if (inst && inst->kind == N_INSTANCE) {
                bm_extern_method(b, s, call, inst, bt->name, m);
                return;
            }
        }
        if (!strcmp(m, "isValid"))
            return;
        cc_error(b->c, call->loc,
                 "this method call is not supported here by "
                 "the BMv2 back end");
        return;
    }
    struct node *d = call->decl ? call->decl : callee->decl;
    if (d && d->kind == N_FUNCTION && !d->b) {
        bm_extern_function(b, s, call, d->name);
        return;
    }
    if (d && (d->kind == N_ACTION || (d->kind == N_FUNCTION && d->b))) {
        if (d->kind == N_ACTION && !b->in_action)
            bm_p4info_action(b, d);
        struct binding *saved = ret_binding;
        if (d->kind == N_FUNCTION && call->type && check_width(call->type) > 0)
            ret_binding = bm_bind(b, call->type, bm_unique(b, "retval"), 0);
        else if (d->kind == N_FUNCTION)
            ret_binding = NULL;
        int in_action = b->in_action;
        if (d->kind == N_ACTION)
            b->in_action = 1; /* actions it calls are inlined into it */
        inline_body(b, d, call);
        b->in_action = in_action;
        ret_binding = saved;
        return;
    }
    cc_error(b->c, call->loc,
             "this call is not supported by the BMv2 back end");
}

/* Inlines an action or function body with its parameters bound to the call's
 * arguments. */
/* dst = src between two locations of the same type (copy-out of inlined
 * calls): fields, headers (with their validity), stacks, structs. */
static void
assign_bind(struct bm *b, struct node *at, struct binding *dst,
            struct binding *src)
{
    if (!dst || !src)
        return;
    if (dst->kind == B_FIELD && src->kind == B_FIELD) {
        json_t *v = bm_field_json(src);
        if (cur_pred)
            v = pred_wrap(b, json_deep_copy(cur_pred), v, bm_field_json(dst));
        assign_field(b, at, dst, v);
    } else if (dst->kind == B_HEADER && src->kind == B_HEADER) {
        json_t *v = bm_header_json(src);
        if (cur_pred)
            v = pred_wrap(b, json_deep_copy(cur_pred), v, bm_header_json(dst));
        bm_prim(b, at, "assign_header",
                json_pack("[oo]", bm_header_json(dst), v));
    } else if (dst->kind == B_STACK && src->kind == B_STACK) {
        /* a stack of headers, or of header unions (jumped over when a
         * predicate is false: no "?:" on stacks) */
        const char *ty = dst->elems ? "header_union_stack" : "header_stack";
        json_t *skip =
            cur_pred ? emit_jump(b, at, json_deep_copy(cur_pred)) : NULL;
        bm_prim(b, at,
                dst->elems ? "assign_union_stack" : "assign_header_stack",
                json_pack("[oo]", bm_typed(ty, json_string(dst->hname)),
                          bm_typed(ty, json_string(src->hname))));
        if (skip)
            set_label(b, skip);
    } else if (dst->kind == B_STRUCT && src->kind == B_STRUCT) {
        for (int i = 0; i < dst->order.n; i++) {
            const char *fn = dst->order.v[i]->name;
            assign_bind(b, at, hmap_get(&dst->members, fn),
                        hmap_get(&src->members, fn));
        }
    }
}

/* Copy-outs of the inlined calls being lowered, innermost last: an exit
 * inside the body performs them first (P4 copies out on exit too). */
static VEC(struct binding *) pending_to = VEC_INIT;
static VEC(struct binding *) pending_from = VEC_INIT;

static void
emit_pending_copy_outs(struct bm *b, struct node *at)
{
    for (size_t i = pending_to.n; i-- > 0;)
        assign_bind(b, at, pending_to.v[i], pending_from.v[i]);
}

static void
inline_body(struct bm *b, struct node *decl, struct node *call)
{
    VEC(struct binding *) copy_out = VEC_INIT;
    VEC(struct binding *) copy_from = VEC_INIT;
    struct frame *f = arena_alloc(b->A, sizeof *f);
    f->up = b->frame;
    f->n = decl->params.n;
    f->params = arena_alloc(b->A, sizeof *f->params * (size_t)(f->n + 1));
    f->binds = arena_alloc(b->A, sizeof *f->binds * (size_t)(f->n + 1));
    for (int i = 0; i < f->n; i++) {
        struct node *p = decl->params.v[i];
        struct node *a = NULL;
        for (int j = 0; j < call->args.n; j++) {
            struct node *x = call->args.v[j];
            if (x->kind == N_NAMED && !strcmp(x->name, p->name))
                a = x->a;
        }
        if (!a && i < call->args.n && call->args.v[i]->kind != N_NAMED)
            a = call->args.v[i];
        if (!a)
            a = p->b;
        f->params[i] = p;
        struct binding *bd = arena_alloc(b->A, sizeof *bd);
        bd->kind = B_EXPR;
        bd->expr = a;
        bd->expr_frame = b->frame;
        if (!a) {
            /* an out parameter left unbound: a fresh temporary */
            bd = bm_bind(b, p->type, bm_unique(b, p->name), 0);
        } else if (check_width(p->type) > 0 && p->type->kind != N_TVARBIT &&
                   a->kind != N_INT && a->kind != N_BOOL &&
                   !(a->kind == N_MEMBER && a->decl &&
                     a->decl->kind == N_ENUM_MEMBER)) {
            /* P4 passes scalars by copy-in/copy-out: a temporary, so that
             * the body sees the value of the call even if it writes the
             * argument's variable */
            struct binding *tmp = bm_bind(b, p->type, bm_unique(b, "tmp"), 0);
            if (p->flags & F_DIR_OUT) {
                if (p->flags & F_DIR_IN)
                    assign_value(b, call, tmp, a);
                struct binding *dst = bm_ref(b, a);
                if (dst && dst->kind != B_RUNTIME && dst->kind != B_EXPR) {
                    VEC_PUSH(&copy_out, dst);
                    VEC_PUSH(&copy_from, tmp);
                }
            } else {
                assign_value(b, call, tmp, a);
            }
            bd = tmp;
        }
        f->binds[i] = bd;
    }
    struct frame *saved = b->frame;
    size_t npending = pending_to.n;
    for (size_t i = 0; i < copy_out.n; i++) {
        VEC_PUSH(&pending_to, copy_out.v[i]);
        VEC_PUSH(&pending_from, copy_from.v[i]);
    }
    b->frame = f;
    if (decl->b)
        bm_stmt(b, decl->b);
    b->frame = saved;
    pending_to.n = pending_from.n = npending;
    if (!npending) {
        VEC_FREE(&pending_to);
        VEC_FREE(&pending_from);
    }
    for (size_t i = 0; i < copy_out.n; i++)
        assign_bind(b, call, copy_out.v[i], copy_from.v[i]);
    VEC_FREE(&copy_out);
    VEC_FREE(&copy_from);
}

static void
local_var(struct bm *b, struct node *v)
{
    hoist_calls(b, v->b);
    if (v->aux) { /* bound by the pipeline (a variable of an apply block) */
        if (v->b)
            assign_value(b, v, v->aux, v->b);
        return;
    }
    struct binding *bd = bm_bind(b, v->type, bm_unique(b, v->name), 0);
    /* locals of inlined bodies are bound in the current frame */
    struct frame *f = arena_alloc(b->A, sizeof *f);
    f->up = b->frame;
    f->n = 1;
    f->params = arena_alloc(b->A, sizeof *f->params);
    f->binds = arena_alloc(b->A, sizeof *f->binds);
    f->params[0] = v;
    f->binds[0] = bd;
    b->frame = f; /* popped with the enclosing block (bm_stmt) */
    if (v->b)
        assign_value(b, v, bd, v->b);
}

/* Expression nodes whose value was saved in a temporary (node->aux) while
 * the statement being lowered runs; cleared after it. */
static VEC(struct node *) snapshots = VEC_INIT;

static void
clear_snapshots(size_t from)
{
    for (size_t i = from; i < snapshots.n; i++)
        snapshots.v[i]->aux = NULL;
    snapshots.n = from;
    if (!from)
        VEC_FREE(&snapshots);
}

/* Inlines the calls of functions with a body found in e (innermost and
 * leftmost first, P4's evaluation order), leaving each call's result in a
 * temporary that bm_expr() reads through call->aux. */
/* Evaluates boolean e once into a temporary (read back through e->aux) and
 * returns the condition on it. */
static json_t *
save_condition(struct bm *b, struct node *e)
{
    struct node *bt = node_new(b->A, N_TBOOL, e->loc);
    struct binding *t = bm_bind(b, bt, bm_unique(b, "cond"), 0);
    json_t *v = bm_bool_expr(b, e);
    if (cur_pred)
        v = pred_wrap(b, json_deep_copy(cur_pred), v,
                      bm_to_bool(bm_field_json(t)));
    bm_prim(b, e, "assign", json_pack("[oo]", bm_field_json(t), bm_to_data(v)));
    e->aux = t;
    VEC_PUSH(&snapshots, e);
    return bm_to_bool(bm_field_json(t));
}

/* Hoists the calls of e with the predicate cond (taken) added. */
static void
hoist_under(struct bm *b, struct node *e, json_t *cond)
{
    json_t *saved = cur_pred;
    json_t *p = saved ? bm_mkexpr("and", json_deep_copy(saved), cond) : cond;
    cur_pred = p;
    hoist_calls(b, e);
    cur_pred = saved;
    json_decref(p);
}

/* Saves the value of scalar expression x (without calls) in a temporary
 * that expr() reads through x->aux: a call evaluated after x may change
 * what x reads. */
static void
snapshot_value(struct bm *b, struct node *x)
{
    struct node *t = x->type;
    if (!t || x->aux || bm_has_call(x) || x->kind == N_INT ||
        x->kind == N_BOOL || check_width(t) <= 0 ||
        (t->kind != N_TBIT && t->kind != N_TINT && t->kind != N_TBOOL))
        return;
    unsigned __int128 v;
    if (check_eval(b->c, x, &v))
        return;
    struct binding *tmp = bm_bind(b, t, bm_unique(b, "tmp"), 0);
    assign_value(b, x, tmp, x);
    x->aux = tmp;
    VEC_PUSH(&snapshots, x);
}

static void
hoist_calls(struct bm *b, struct node *e)
{
    if (!e)
        return;
    if (b->in_parser && e->kind == N_MEMBER && e->a->kind == N_CALL &&
        e->a->a->kind == N_MEMBER && !strcmp(e->a->a->name, "lookahead") &&
        e->a->type &&
        (e->a->type->kind == N_HEADER || e->a->type->kind == N_STRUCT) &&
        !e->aux) {
        /* a field of a looked-ahead header: set a temporary from the
         * packet's next bits at the field's offset */
        int off = 0, w = check_width(e->type);
        struct node *ht = e->a->type;
        for (int i = 0; i < ht->list.n && strcmp(ht->list.v[i]->name, e->name);
             i++)
            off += check_width(ht->list.v[i]->type);
        struct binding *t = bm_bind(b, e->type, bm_unique(b, "lookahead"), 0);
        if (t->kind == B_FIELD) {
            bm_prim(
                b, e, "set",
                json_pack("[oo]", bm_field_json(t),
                          bm_typed("lookahead", json_pack("[ii]", off, w))));
            e->aux = t;
            VEC_PUSH(&snapshots, e);
        }
        return;
    }
    if (b->in_parser && e->kind == N_CALL && e->a->kind == N_MEMBER &&
        !strcmp(e->a->name, "lookahead") && check_width(e->type) > 0 &&
        e->type->kind != N_HEADER && !e->aux) {
        int w = check_width(e->type);
        struct binding *t = bm_bind(b, e->type, bm_unique(b, "lookahead"), 0);
        if (t->kind == B_FIELD) {
            bm_prim(b, e, "set",
                    json_pack("[oo]", bm_field_json(t),
                              bm_typed("lookahead", json_pack("[ii]", 0, w))));
            e->aux = t;
            VEC_PUSH(&snapshots, e);
        }
        return;
    }
    switch (e->kind) {
    case N_CALL:
        hoist_calls(b, e->a);
        for (int i = 0; i < e->args.n; i++) {
            struct node *x = e->args.v[i];
            hoist_calls(b, x);
            struct node *p =
                e->decl && i < e->decl->params.n ? e->decl->params.v[i] : NULL;
            if (!p || (p->flags & F_DIR_OUT) || x->kind == N_NAMED)
                continue;
            for (int j = i + 1; j < e->args.n; j++)
                if (bm_has_call(e->args.v[j])) {
                    snapshot_value(b, x);
                    break;
                }
        }
        if (e->decl && e->decl->kind == N_FUNCTION && e->decl->b && e->type &&
            e->type->kind != N_TVOID &&
            (check_width(e->type) > 0 || e->type->kind == N_HEADER ||
             e->type->kind == N_STRUCT || e->type->kind == N_HUNION ||
             e->type->kind == N_TSTACK)) {
            struct binding *r = bm_bind(b, e->type, bm_unique(b, "retval"), 0);
            struct binding *saved = ret_binding;
            ret_binding = r;
            inline_body(b, e->decl, e);
            ret_binding = saved;
            e->aux = r;
            VEC_PUSH(&snapshots, e);
        }
        break;
    case N_NAMED:
        hoist_calls(b, e->a);
        break;
    case N_LIST:
    case N_STRUCT_INIT:
        for (int i = 0; i < e->list.n; i++) {
            struct node *x = e->list.v[i];
            hoist_calls(b, x);
            if (x->kind == N_NAMED)
                x = x->a;
            for (int j = i + 1; j < e->list.n; j++)
                if (bm_has_call(e->list.v[j])) {
                    snapshot_value(b, x);
                    break;
                }
        }
        break;
    case N_TERNARY:
        hoist_calls(b, e->a);
        if ((bm_has_call(e->b) || bm_has_call(e->c)) && !b->in_parser) {
            /* calls in a branch run only when it is taken: their bodies
             * are predicated on the (saved) condition */
            json_t *c = save_condition(b, e->a);
            hoist_under(b, e->b, json_deep_copy(c));
            hoist_under(b, e->c, bm_mkexpr("not", NULL, c));
        } else if (bm_has_call(e->b) || bm_has_call(e->c)) {
            cc_error(b->c, e->loc,
                     "function calls in the branches of ?: are "
                     "not supported in parsers yet");
        }
        break;
    case N_BINOP:
        if ((!strcmp(e->op, "&&") || !strcmp(e->op, "||")) &&
            bm_has_call(e->b)) {
            /* short circuit: the right side's calls run only when the
             * left side does not decide */
            hoist_calls(b, e->a);
            if (b->in_parser) {
                cc_error(b->c, e->loc,
                         "a function call on the right of %s is "
                         "not supported in parsers yet",
                         e->op);
                break;
            }
            json_t *c = save_condition(b, e->a);
            hoist_under(b, e->b,
                        e->op[0] == '&' ? c : bm_mkexpr("not", NULL, c));
            break;
        }
        hoist_calls(b, e->a);
        if (bm_has_call(e->b) && !bm_has_call(e->a) &&
            check_width(e->a->type) > 0 && e->a->kind != N_INT &&
            e->a->kind != N_BOOL) {
            /* the left operand is read before the call runs */
            struct binding *t = bm_bind(b, e->a->type, bm_unique(b, "tmp"), 0);
            assign_value(b, e, t, e->a);
            e->a->aux = t;
            VEC_PUSH(&snapshots, e->a);
        }
        hoist_calls(b, e->b);
        break;
    default:
        hoist_calls(b, e->a);
        if (e->kind != N_MEMBER)
            hoist_calls(b, e->b);
        hoist_calls(b, e->c);
        break;
    }
}

void
bm_hoist(struct bm *b, struct node *e)
{
    hoist_calls(b, e);
}

void
bm_clear_snapshots(void)
{
    clear_snapshots(0);
}

/* Does e call a function with a body (that hoist_calls would inline)? */
int
bm_has_call(struct node *e)
{
    if (!e)
        return 0;
    if (e->kind == N_CALL && e->decl && e->decl->kind == N_FUNCTION &&
        e->decl->b)
        return 1;
    for (int i = 0; i < e->args.n; i++)
        if (bm_has_call(e->args.v[i]))
            return 1;
    for (int i = 0; i < e->list.n; i++)
        if (bm_has_call(e->list.v[i]))
            return 1;
    if (e->kind == N_NAMED)
        return bm_has_call(e->a);
    return bm_has_call(e->a) || (e->kind != N_MEMBER && bm_has_call(e->b)) ||
           bm_has_call(e->c);
}

/* Does s always end by returning (a return last, or an if whose taken
 * branches all do)? */
static struct cc *ret_cc;
static int
ends_with_return(struct node *s)
{
    if (!s)
        return 0;
    if (s->kind == N_RETURN && (!s->a || ret_binding))
        return 1;
    if (s->kind == N_BLOCK && s->list.n)
        return ends_with_return(s->list.v[s->list.n - 1]);
    if (s->kind == N_IF) {
        unsigned __int128 cv;
        if (ret_cc && check_eval(ret_cc, s->a, &cv))
            return ends_with_return(cv ? s->b : s->c);
        return ends_with_return(s->b) && ends_with_return(s->c);
    }
    return 0;
}

/* ---- jumps: what predication cannot express ---- */

/* _jump primitives to the end of the action whose primitives are ops (after
 * an exit), set by bm_end_action(). */
struct end_jump {
    json_t *ops;
    json_t *target;
};
static VEC(struct end_jump) end_jumps = VEC_INIT;

/* Appends _jump_if_false(cond) (takes ownership of cond), or _jump if cond
 * is NULL, and returns its target operand for set_label(). */
static json_t *
emit_jump(struct bm *b, struct node *at, json_t *cond)
{
    json_t *target = bm_hexstr(0);
    json_t *params = cond ? json_pack("[oO]", bm_to_data(cond), target)
                          : json_pack("[O]", target);
    bm_prim(b, at, cond ? "_jump_if_false" : "_jump", params);
    json_decref(target); /* the primitive holds it */
    return target;
}

/* Points a jump's target at the next primitive to be added. */
static void
set_label(struct bm *b, json_t *target)
{
    json_t *h = bm_hexstr(json_array_size(b->cur_ops));
    json_object_set(target, "value", json_object_get(h, "value"));
    json_decref(h);
}

void
bm_end_action(struct bm *b)
{
    size_t k = 0;
    for (size_t i = 0; i < end_jumps.n; i++) {
        if (end_jumps.v[i].ops == b->cur_ops)
            set_label(b, end_jumps.v[i].target);
        else
            end_jumps.v[k++] = end_jumps.v[i];
    }
    end_jumps.n = k;
    if (!k)
        VEC_FREE(&end_jumps);
}

/* Does statement s need a jump around it under a predicate: exit, and
 * calls other than of actions and functions (whose statements are
 * predicated one by one) - setValid, extern calls, stack operations. */
static int
needs_guard(struct node *s)
{
    if (s->kind == N_EXIT)
        return 1;
    if (s->kind == N_ASSIGN)
        return s->a->type &&
               (s->a->type->kind == N_TSTACK || s->a->type->kind == N_TVARBIT);
    if (s->kind != N_CALL_STMT)
        return 0;
    struct node *call = s->a, *callee = call->a;
    struct node *d = call->decl ? call->decl : callee->decl;
    if (d && (d->kind == N_ACTION || (d->kind == N_FUNCTION && d->b)))
        return 0;
    if (callee->kind == N_MEMBER && !strcmp(callee->name, "isValid"))
        return 0;
    return 1;
}

/* switch (e) { a: b: {..} default: {..} } inside an action: the value is
 * saved, and each case body runs under "value is one of its labels" (the
 * default under "none of them"). */
static void
switch_stmt(struct bm *b, struct node *s)
{
    hoist_calls(b, s->a);
    struct node *t = s->a->type;
    struct binding *v = bm_bind(b, t, bm_unique(b, "switch"), 0);
    if (v->kind != B_FIELD) {
        cc_error(b->c, s->a->loc,
                 "switch on this type is not supported in actions by the "
                 "BMv2 back end yet");
        return;
    }
    assign_value(b, s, v, s->a);
    json_t *any = NULL; /* some label matched */
    json_t *labels = NULL;
    struct node *dflt = NULL;
    int in_default = 0; /* labels sharing the default's body */
    for (int i = 0; i < s->list.n; i++) {
        struct node *cs = s->list.v[i];
        if (!cs->a) {
            /* labels sharing the default's body need no test of their
             * own: they are not in "any", so the default covers them */
            in_default = 1;
            json_decref(labels);
            labels = NULL;
        } else if (!in_default) {
            json_t *raw = bm_data_expr(b, cs->a);
            json_t *eq = bm_mkexpr("==", bm_field_json(v), raw);
            labels = labels ? bm_mkexpr("or", labels, eq) : eq;
        }
        if (!cs->b)
            continue; /* falls through to the next case's body */
        if (in_default) {
            dflt = cs->b;
            in_default = 0;
            continue;
        }
        if (labels) {
            json_t *saved = cur_pred;
            json_t *p = saved ? bm_mkexpr("and", json_deep_copy(saved),
                                          json_deep_copy(labels))
                              : json_deep_copy(labels);
            cur_pred = p;
            bm_stmt(b, cs->b);
            cur_pred = saved;
            json_decref(p);
            any = any ? bm_mkexpr("or", any, labels) : labels;
            labels = NULL;
        }
    }
    if (dflt) {
        json_t *none = any ? bm_mkexpr("not", NULL, json_deep_copy(any)) : NULL;
        json_t *saved = cur_pred;
        json_t *p = none && saved
                        ? bm_mkexpr("and", json_deep_copy(saved), none)
                    : none  ? none
                    : saved ? json_deep_copy(saved)
                            : NULL;
        cur_pred = p;
        bm_stmt(b, dflt);
        cur_pred = saved;
        json_decref(p);
    }
    json_decref(any);
    json_decref(labels);
}

static void stmt(struct bm *b, struct node *s);

void
bm_stmt(struct bm *b, struct node *s)
{
    size_t mark = snapshots.n;
    stmt(b, s);
    if (s && s->kind != N_BLOCK)
        clear_snapshots(mark);
}

/* Does s assign to the declaration d (anywhere inside)? */
static int
assigns_to(struct node *s, struct node *d)
{
    if (!s)
        return 0;
    if (s->kind == N_ASSIGN && s->a->kind == N_NAME && s->a->decl == d)
        return 1;
    if (assigns_to(s->a, d) || assigns_to(s->b, d) || assigns_to(s->c, d))
        return 1;
    for (int i = 0; i < s->list.n; i++)
        if (assigns_to(s->list.v[i], d))
            return 1;
    return 0;
}

/* Is s an assignment of the variable d (d = e, d += e, ...)? */
static int
is_var_assign(struct node *s, struct node *d)
{
    return s && s->kind == N_ASSIGN && s->a->kind == N_NAME && s->a->decl == d;
}

/* Does body assign d other than at its top level (where the unroller
 * evaluates the assignment)? */
static int
assigns_nested(struct node *body, struct node *d)
{
    if (!body || body->kind != N_BLOCK)
        return assigns_to(body, d);
    for (int i = 0; i < body->list.n; i++)
        if (!is_var_assign(body->list.v[i], d) &&
            assigns_to(body->list.v[i], d))
            return 1;
    return 0;
}

/* The value assignment s gives the loop variable (a constant while the
 * body is copied); 0 if not known at compile time. */
static int
var_update(struct bm *b, struct node *s, unsigned __int128 *v)
{
    if (!strcmp(s->op, "="))
        return check_eval(b->c, s->b, v);
    struct node bin = {0};
    bin.kind = N_BINOP;
    bin.loc = s->loc;
    bin.op = arena_strndup(b->A, s->op, strlen(s->op) - 1);
    bin.a = s->a;
    bin.b = s->b;
    bin.type = s->a->type;
    return check_eval(b->c, &bin, v);
}

/* Loops with bounds known at compile time are unrolled: the loop variable is
 * a constant in each copy of the body (its declaration is made a constant
 * for the while), and gets its final value after the loop. */
static void
unroll_loop(struct bm *b, struct node *s)
{
    struct node *var = NULL, *body = s->list.n ? s->list.v[0] : NULL;
    unsigned __int128 v = 0, hi = 0;
    int forin = (s->flags & F_CONST) != 0;
    if (forin) {
        var = s->a;
        struct node *r = s->b;
        if (!r || r->kind != N_RANGE || !check_eval(b->c, r->a, &v) ||
            !check_eval(b->c, r->b, &hi)) {
            cc_error(b->c, s->loc,
                     "only for-in loops over a constant range "
                     "lo .. hi are supported by the BMv2 back end");
            return;
        }
    } else {
        struct node *init = s->a && s->a->list.n == 1 ? s->a->list.v[0] : NULL;
        if (init && init->kind == N_VAR && init->b)
            var = init;
        else if (init && init->kind == N_ASSIGN && init->a->kind == N_NAME &&
                 !strcmp(init->op, "="))
            var = init->a->decl;
        struct node *iv = init ? init->b : NULL;
        if (!var || !iv || !check_eval(b->c, iv, &v) || !s->c ||
            s->c->list.n != 1 || s->c->list.v[0]->kind != N_ASSIGN ||
            s->c->list.v[0]->a->decl != var || !s->b) {
            cc_error(b->c, s->loc,
                     "only loops with one variable, a constant "
                     "start, a condition and one update are "
                     "supported by the BMv2 back end");
            return;
        }
    }
    if (!var || (var->kind != N_VAR && var->kind != N_PARAM) ||
        assigns_nested(body, var)) {
        cc_error(b->c, s->loc,
                 "the loop body must not assign its variable "
                 "(the BMv2 back end unrolls loops)");
        return;
    }
    struct binding *vb = var->aux;
    if (!vb && var->kind == N_VAR) {
        vb = bm_bind(b, var->type, bm_unique(b, var->name), 0);
        var->aux = vb;
    }
    /* the variable is a constant while its copies of the body are made */
    enum node_kind kind = var->kind;
    struct node *init = var->b;
    struct node *cval = node_new(b->A, N_INT, s->loc);
    cval->type = var->type;
    var->kind = N_CONST;
    var->b = cval;
    int w = check_width(var->type);
    int n = 0;
    for (;; n++) {
        cval->ival =
            w > 0 && w < 128 ? v & ((((unsigned __int128)1) << w) - 1) : v;
        unsigned __int128 c = 1;
        if (forin)
            c = cval->ival <= hi;
        else if (!check_eval(b->c, s->b, &c)) {
            cc_error(b->c, s->b->loc,
                     "the loop condition must be known at "
                     "compile time");
            break;
        }
        if (!c)
            break;
        if (n == 256) {
            cc_error(b->c, s->loc, "the loop runs more than 256 times");
            break;
        }
        if (body && body->kind == N_BLOCK) {
            /* assignments of the variable at the top of the body are
             * done here, at compile time */
            struct frame *saved = b->frame;
            for (int i = 0; i < body->list.n; i++) {
                struct node *st = body->list.v[i];
                unsigned __int128 nv;
                if (!is_var_assign(st, var)) {
                    bm_stmt(b, st);
                } else if (var_update(b, st, &nv)) {
                    cval->ival = w > 0 && w < 128
                                     ? nv & ((((unsigned __int128)1) << w) - 1)
                                     : nv;
                } else {
                    cc_error(b->c, st->loc,
                             "the new value of the loop variable must be "
                             "known at compile time");
                    break;
                }
            }
            b->frame = saved;
        } else {
            bm_stmt(b, body);
        }
        if (forin) {
            v = cval->ival + 1;
            if (w > 0 && w < 128 && !(v & ((((unsigned __int128)1) << w) - 1)))
                break; /* wrapped around */
        } else if (!check_eval(b->c, s->c->list.v[0]->b, &v)) {
            cc_error(b->c, s->loc,
                     "the loop update must be known at compile "
                     "time");
            break;
        }
    }
    var->kind = kind;
    var->b = init;
    if (vb && vb->kind == B_FIELD)
        assign_field(b, s, vb, bm_hexstr(cval->ival));
}

static void
stmt(struct bm *b, struct node *s)
{
    if (!s)
        return;
    if (cur_pred && needs_guard(s)) {
        /* under the ifs of an action, a statement that "?:" cannot
         * predicate is jumped over when the predicate is false */
        json_t *saved = cur_pred;
        json_t *skip = emit_jump(b, s, json_deep_copy(saved));
        cur_pred = NULL;
        stmt(b, s);
        cur_pred = saved;
        set_label(b, skip);
        return;
    }
    ret_cc = b->c;
    switch (s->kind) {
    case N_BLOCK: {
        struct frame *saved = b->frame;
        json_t *saved_pred = cur_pred;
        json_t *own_pred = NULL;
        for (int i = 0; i < s->list.n; i++) {
            struct node *st = s->list.v[i];
            if (st->kind == N_RETURN) {
                if (st->a && ret_binding) {
                    hoist_calls(b, st->a);
                    assign_value(b, st, ret_binding, st->a);
                } else if (st->a) {
                    cc_error(b->c, st->loc,
                             "return with a value outside a "
                             "function");
                }
                break;
            }
            unsigned __int128 cv;
            if (st->kind == N_IF && check_eval(b->c, st->a, &cv)) {
                /* a constant condition: only the branch taken exists */
                struct node *taken = cv ? st->b : st->c;
                bm_stmt(b, taken);
                if (ends_with_return(taken))
                    break;
                continue;
            }
            int rt =
                st->kind == N_IF && !b->in_parser && ends_with_return(st->b);
            int re =
                st->kind == N_IF && !b->in_parser && ends_with_return(st->c);
            if (rt && re) {
                bm_stmt(b, st);
                break;
            }
            if (rt || re) {
                /* "if (c) { ...; return; }": the rest runs only when the
                 * branch did not; c is saved first as the branch may change
                 * what it reads */
                struct node *bt = node_new(b->A, N_TBOOL, st->loc);
                struct binding *flag = bm_bind(b, bt, bm_unique(b, "cond"), 0);
                bm_prim(b, st, "assign",
                        json_pack("[oo]", bm_field_json(flag),
                                  bm_to_data(bm_bool_expr(b, st->a))));
                struct node *var = node_new(b->A, N_VAR, st->loc);
                var->type = bt;
                var->aux = flag;
                struct node *nm = node_new(b->A, N_NAME, st->loc);
                nm->name = "cond";
                nm->decl = var;
                nm->type = bt;
                struct node copy = *st;
                copy.a = nm;
                bm_stmt(b, &copy);
                json_t *c = bm_to_bool(bm_field_json(flag));
                json_t *rest = rt ? bm_mkexpr("not", NULL, c) : c;
                json_t *np =
                    cur_pred ? bm_mkexpr("and", json_deep_copy(cur_pred), rest)
                             : rest;
                json_decref(own_pred);
                own_pred = np;
                cur_pred = np;
                continue;
            }
            bm_stmt(b, st);
        }
        cur_pred = saved_pred;
        json_decref(own_pred);
        b->frame = saved;
        break;
    }
    case N_ASSIGN: {
        hoist_calls(b, s->a);
        hoist_calls(b, s->b);
        struct node *rhs = s->b;
        if (strcmp(s->op, "=")) {
            struct node *bin = node_new(b->A, N_BINOP, s->loc);
            bin->op = arena_strndup(b->A, s->op, strlen(s->op) - 1);
            bin->a = s->a;
            bin->b = s->b;
            bin->type = s->a->type;
            rhs = bin;
        }
        if (s->a->kind == N_SLICE) {
            assign_slice(b, s, s->a, rhs);
            break;
        }
        if (s->a->kind == N_DONTCARE)
            break;
        if (rhs->kind == N_CALL && rhs->a->kind == N_MEMBER &&
            !strcmp(rhs->a->name, "lookahead") && b->in_parser) {
            struct binding *dst = bm_ref(b, s->a);
            int w = check_width(s->a->type);
            if (dst && dst->kind == B_FIELD) {
                bm_prim(
                    b, s, "set",
                    json_pack("[oo]", bm_field_json(dst),
                              bm_typed("lookahead", json_pack("[ii]", 0, w))));
                break;
            }
        }
        if (rhs->kind == N_CALL && rhs->decl && rhs->decl->kind == N_METHOD &&
            rhs->a->kind == N_MEMBER && rhs->a->a->type &&
            rhs->a->a->type->kind == N_EXTERN &&
            !(b->in_parser && !strcmp(rhs->a->name, "lookahead"))) {
            cc_error(b->c, rhs->loc,
                     "using the result of %s() is not "
                     "supported by the BMv2 back end yet",
                     rhs->a->name);
            break;
        }
        struct binding *dst = bm_ref(b, s->a);
        if (!dst) {
            cc_error(b->c, s->a->loc,
                     "cannot assign to this in the BMv2 back "
                     "end");
            break;
        }
        assign_value(b, s, dst, rhs);
        break;
    }
    case N_CALL_STMT:
        for (int i = 0; i < s->a->args.n; i++)
            hoist_calls(b, s->a->args.v[i]);
        call_stmt(b, s, s->a);
        break;
    case N_IF: {
        hoist_calls(b, s->a);
        if (b->in_parser) {
            cc_error(b->c, s->loc,
                     "if statements nested in blocks of parser "
                     "states are not supported by the BMv2 back "
                     "end yet");
            break;
        }
        /* the condition is saved first: the branches may change what it
         * reads, and every statement of them is predicated on it */
        json_t *c = save_condition(b, s->a);
        json_t *saved = cur_pred;
        json_t *tp =
            saved ? bm_mkexpr("and", json_deep_copy(saved), json_deep_copy(c))
                  : json_deep_copy(c);
        cur_pred = tp;
        bm_stmt(b, s->b);
        if (s->c) {
            json_t *ep = bm_mkexpr("not", NULL, c);
            if (saved)
                ep = bm_mkexpr("and", json_deep_copy(saved), ep);
            cur_pred = ep;
            bm_stmt(b, s->c);
            json_decref(ep);
        } else {
            json_decref(c);
        }
        json_decref(tp);
        cur_pred = saved;
        break;
    }
    case N_VAR:
    case N_CONST:
        if (s->kind == N_CONST && check_width(s->type) > 0)
            break; /* constants are folded */
        local_var(b, s);
        break;
    case N_EXIT: {
        emit_pending_copy_outs(b, s);
        bm_prim(b, s, "exit", json_array());
        /* BMv2 runs the rest of an action after exit: jump past it */
        struct end_jump ej = {b->cur_ops, emit_jump(b, s, NULL)};
        VEC_PUSH(&end_jumps, ej);
        break;
    }
    case N_RETURN:
    case N_EMPTY:
        break;
    case N_SWITCH:
        switch_stmt(b, s);
        break;
    case N_FOR:
        unroll_loop(b, s);
        break;
    default:
        break;
    }
}
