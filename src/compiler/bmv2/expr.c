/* expr.c - BMv2 back end: locations, expressions and action primitives.
 *
 * bm_ref() maps an lvalue (hdr.ipv4.ttl, meta.x, a header stack element, an
 * action parameter) to its binding; bm_expr() turns a P4 expression into the
 * JSON expression tree of BMv2's JSON_format.md (arithmetic masked to the
 * result width as p4c does, bools as BMv2 booleans with d2b/b2d at fields);
 * bm_stmt() turns the statements of actions and parser states into
 * primitives, inlining calls of actions and functions. lower.c builds the
 * program structure around them. */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/check.h"

static json_t *
mkexpr(const char *op, json_t *l, json_t *r)
{
    json_t *v = json_object();
    json_object_set_new(v, "op", json_string(op));
    json_object_set_new(v, "left", l ? l : json_null());
    json_object_set_new(v, "right", r ? r : json_null());
    json_t *e = json_object();
    json_object_set_new(e, "type", json_string("expression"));
    json_object_set_new(e, "value", v);
    return e;
}

json_t *
bm_hexstr(unsigned __int128 v)
{
    char buf[40];
    char *p = buf + sizeof buf - 1;
    *p = 0;
    do {
        *--p = "0123456789abcdef"[(int)(v & 15)];
        v >>= 4;
    } while (v);
    *--p = 'x';
    *--p = '0';
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("hexstr"));
    json_object_set_new(o, "value", json_string(p));
    return o;
}

static json_t *
mkbool(int v)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("bool"));
    json_object_set_new(o, "value", json_boolean(v));
    return o;
}

static json_t *
typed(const char *type, json_t *value)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "value", value);
    return o;
}

static json_t *mkexpr(const char *op, json_t *l, json_t *r);

json_t *
bm_field_json(const struct binding *f)
{
    if (f->dyn_index) {
        /* hs[i].f with i known at run time (BMv2's stack dereference) */
        json_t *h = mkexpr("dereference_header_stack",
                           typed("header_stack", json_string(f->hname)),
                           json_deep_copy(f->dyn_index));
        return mkexpr("access_field", h, json_integer(f->field_index));
    }
    return typed("field", json_pack("[ss]", f->hname, f->field));
}

static unsigned __int128
ones(int w)
{
    return w >= 128 ? ~(unsigned __int128)0 : (((unsigned __int128)1 << w) - 1);
}

static json_t *
wrap(int w, int sign, json_t *x)
{
    if (w <= 0)
        return x;
    if (sign) {
        json_t *e = mkexpr("two_comp_mod", x, bm_hexstr((unsigned)w));
        return e;
    }
    return mkexpr("&", x, bm_hexstr(ones(w)));
}

static int
tw(struct node *t)
{
    return check_width(t);
}

static int
tsigned(struct node *t)
{
    return t && t->kind == N_TBIT && (t->flags & F_SIGNED);
}

/* ---- references ---- */

static struct binding *
field_of(struct bm *b, struct binding *h, const char *name, struct node *ftype)
{
    struct binding *f = arena_alloc(b->A, sizeof *f);
    f->kind = B_FIELD;
    f->hname = h->hname;
    f->field = name;
    f->type = ftype;
    f->width = tw(ftype);
    f->is_bool = ftype && ftype->kind == N_TBOOL;
    if (h->dyn_index) {
        f->dyn_index = h->dyn_index;
        struct node *ht = h->type;
        for (int i = 0; ht && i < ht->list.n; i++)
            if (!strcmp(ht->list.v[i]->name, name))
                f->field_index = i;
    }
    return f;
}

/* A struct nested in a header: its members are fields "<prefix>.<member>"
 * of the header (flattened as in the header type). */
static struct binding *
header_struct(struct bm *b, struct binding *h, const char *prefix,
              struct node *st)
{
    struct binding *s = arena_alloc(b->A, sizeof *s);
    s->kind = B_STRUCT;
    s->type = st;
    hmap_init(&s->members);
    VEC_PUSH(&b->struct_binds, s);
    for (int i = 0; i < st->list.n; i++) {
        struct node *f = st->list.v[i];
        const char *n = arena_printf(b->A, "%s.%s", prefix, f->name);
        struct binding *m = f->type && f->type->kind == N_STRUCT
                                ? header_struct(b, h, n, f->type)
                                : field_of(b, h, n, f->type);
        hmap_put(&s->members, f->name, m, NULL);
        nlist_push(b->A, &s->order, f);
    }
    return s;
}

static struct binding *
ref_under(struct bm *b, struct binding *bd, struct node *at)
{
    if (bd && bd->kind == B_EXPR) {
        struct frame *saved = b->frame;
        b->frame = bd->expr_frame;
        struct binding *r = bm_ref(b, bd->expr);
        b->frame = saved;
        return r;
    }
    return bd;
}

/* The frame binding of declaration d (a parameter of an inlined body). */
static struct binding *
frame_lookup(struct bm *b, struct node *d)
{
    for (struct frame *f = b->frame; f; f = f->up)
        for (int i = 0; i < f->n; i++)
            if (f->params[i] == d)
                return f->binds[i];
    return NULL;
}

static json_t *data_expr(struct bm *b, struct node *e);

struct binding *
bm_ref(struct bm *b, struct node *e)
{
    if (!e)
        return NULL;
    switch (e->kind) {
    case N_NAME: {
        struct node *d = e->decl;
        struct binding *fb = frame_lookup(b, d);
        if (fb)
            return ref_under(b, fb, e);
        if (d && d->aux)
            return d->aux;
        return NULL;
    }
    case N_MEMBER: {
        struct binding *base = bm_ref(b, e->a);
        if (!base)
            return NULL;
        if (base->kind == B_STRUCT)
            return hmap_get(&base->members, e->name);
        if (base->kind == B_HEADER && e->type && e->type->kind == N_STRUCT &&
            !base->dyn_index)
            return header_struct(b, base, e->name, e->type);
        if (base->kind == B_HEADER)
            return field_of(b, base, e->name, e->type);
        if (base->kind == B_STACK) {
            struct binding *h = arena_alloc(b->A, sizeof *h);
            h->kind = B_HEADER;
            h->type = e->type;
            h->hname = base->hname;
            h->index = !strcmp(e->name, "next") ? -1 : -2;
            if (!strcmp(e->name, "next") || !strcmp(e->name, "last"))
                return h;
        }
        return NULL;
    }
    case N_CALL:
        return e->aux; /* a hoisted function call's result */
    case N_INDEX: {
        struct binding *base = bm_ref(b, e->a);
        unsigned __int128 v;
        if (!base || base->kind != B_STACK)
            return NULL;
        if (!check_eval(b->c, e->b, &v) && base->elems) {
            cc_error(b->c, e->b->loc,
                     "a stack of header unions indexed at run "
                     "time is not supported yet");
            return NULL;
        }
        if (!check_eval(b->c, e->b, &v)) {
            struct binding *h = arena_alloc(b->A, sizeof *h);
            h->kind = B_HEADER;
            h->type = e->type;
            h->hname = base->hname;
            h->index = -3; /* picked at run time */
            h->dyn_index = data_expr(b, e->b);
            json_array_append_new(b->dyn_json, h->dyn_index);
            return h;
        }
        if (v >= (unsigned)base->size) {
            cc_error(b->c, e->b->loc, "index %d is out of bounds (size %d)",
                     (int)v, base->size);
            return NULL;
        }
        if (base->elems)
            return base->elems[(int)v];
        struct binding *h = arena_alloc(b->A, sizeof *h);
        h->kind = B_HEADER;
        h->type = e->type;
        h->hname = arena_printf(b->A, "%s[%d]", base->hname, (int)v);
        return h;
    }
    default:
        return NULL;
    }
}

/* ---- expressions ---- */

/* A constant value of e (literals, constants, enum members, errors). */
static int
const_value(struct bm *b, struct node *e, unsigned __int128 *v)
{
    if (e->kind == N_MEMBER && e->decl && e->decl->kind == N_ENUM_MEMBER) {
        struct node *owner = e->decl->parent;
        if (owner && owner->kind == N_ERROR_DECL) {
            *v = e->decl->ival;
            return 1;
        }
        if (owner && owner->kind == N_ENUM && !owner->a) {
            for (int i = 0; i < owner->list.n; i++)
                if (owner->list.v[i] == e->decl) {
                    *v = (unsigned)i;
                    return 1;
                }
        }
    }
    if (e->type && e->type->kind != N_TBIT && e->type->kind != N_TINT &&
        e->type->kind != N_TBOOL && e->type->kind != N_ENUM)
        return 0;
    if (!check_eval(b->c, e, v))
        return 0;
    if (tw(e->type) > 0)
        *v &= ones(tw(e->type));
    return 1;
}

static json_t *
to_data(json_t *boolexpr)
{
    return mkexpr("b2d", NULL, boolexpr);
}

static json_t *
to_bool(json_t *data)
{
    return mkexpr("d2b", NULL, data);
}

static json_t *expr(struct bm *b, struct node *e);

/* The value of e as BMv2 data (bools converted with b2d). */
static json_t *
data_expr(struct bm *b, struct node *e)
{
    json_t *j = expr(b, e);
    if (e->type && e->type->kind == N_TBOOL && j &&
        strcmp(json_string_value(json_object_get(j, "type")), "hexstr"))
        return to_data(j);
    return j;
}

/* x == y for headers (both invalid, or both valid with equal fields) and
 * structs (every member equal); NULL if the shapes differ. */
static json_t *
equal_bindings(struct bm *b, struct binding *x, struct binding *y)
{
    if (x->kind == B_FIELD && y->kind == B_FIELD)
        return mkexpr("==", bm_field_json(x), bm_field_json(y));
    if (x->kind == B_HEADER && y->kind == B_HEADER && x->type &&
        !x->dyn_index && !y->dyn_index) {
        json_t *vx = typed("field", json_pack("[ss]", x->hname, "$valid$"));
        json_t *vy = typed("field", json_pack("[ss]", y->hname, "$valid$"));
        json_t *fields = NULL;
        for (int i = 0; i < x->type->list.n; i++) {
            struct node *f = x->type->list.v[i];
            if (f->type && f->type->kind == N_STRUCT)
                return NULL;
            json_t *fe = mkexpr(
                "==", typed("field", json_pack("[ss]", x->hname, f->name)),
                typed("field", json_pack("[ss]", y->hname, f->name)));
            fields = fields ? mkexpr("and", fields, fe) : fe;
        }
        /* same validity, and if valid the same fields */
        json_t *same_valid = mkexpr("==", vx, vy);
        json_t *invalid = mkexpr("not", NULL, to_bool(json_deep_copy(vx)));
        json_t *ok = fields ? mkexpr("or", invalid, fields) : mkbool(1);
        if (!fields)
            json_decref(invalid);
        return mkexpr("and", same_valid, ok);
    }
    if (x->kind == B_STRUCT && y->kind == B_STRUCT) {
        json_t *all = NULL;
        for (int i = 0; i < x->order.n; i++) {
            const char *fn = x->order.v[i]->name;
            struct binding *mx = hmap_get(&x->members, fn);
            struct binding *my = hmap_get(&y->members, fn);
            json_t *me = mx && my ? equal_bindings(b, mx, my) : NULL;
            if (!me) {
                json_decref(all);
                return NULL;
            }
            all = all ? mkexpr("and", all, me) : me;
        }
        return all ? all : mkbool(1);
    }
    return NULL;
}

static json_t *
binop(struct bm *b, struct node *e)
{
    const char *op = e->op;
    int w = tw(e->type);
    int sg = tsigned(e->type);
    if (!strcmp(op, "&&") || !strcmp(op, "||"))
        return mkexpr(op[0] == '&' ? "and" : "or", expr(b, e->a),
                      expr(b, e->b));
    if (!strcmp(op, "==") || !strcmp(op, "!=")) {
        struct node *lt = e->a->type;
        if (lt && lt->kind == N_TBOOL)
            return mkexpr(op, expr(b, e->a), expr(b, e->b));
        if (lt && (lt->kind == N_HEADER || lt->kind == N_STRUCT ||
                   lt->kind == N_HUNION)) {
            struct binding *x = bm_ref(b, e->a), *y = bm_ref(b, e->b);
            json_t *eq = x && y ? equal_bindings(b, x, y) : NULL;
            if (!eq) {
                cc_error(b->c, e->loc,
                         "comparing these headers or structs is not "
                         "supported by the BMv2 back end yet");
                return mkbool(0);
            }
            return op[0] == '=' ? eq : mkexpr("not", NULL, eq);
        }
        return mkexpr(op, data_expr(b, e->a), data_expr(b, e->b));
    }
    if (!strcmp(op, "<") || !strcmp(op, ">") || !strcmp(op, "<=") ||
        !strcmp(op, ">="))
        return mkexpr(op, expr(b, e->a), expr(b, e->b));
    if (!strcmp(op, "++")) {
        int wr = tw(e->b->type);
        json_t *l = mkexpr("<<", expr(b, e->a), bm_hexstr((unsigned)wr));
        return wrap(w, 0, mkexpr("|", wrap(w, 0, l), expr(b, e->b)));
    }
    if ((!strcmp(op, "|+|") || !strcmp(op, "|-|")) && sg && w > 1) {
        /* signed saturation: clamp the exact result to [min, max] */
        unsigned __int128 maxv = ones(w - 1);
        json_t *raw =
            mkexpr(op[1] == '+' ? "+" : "-", expr(b, e->a), expr(b, e->b));
        json_t *minv = mkexpr("-", bm_hexstr(0), bm_hexstr(maxv + 1));
        json_t *inner = json_object();
        json_object_set_new(inner, "op", json_string("?"));
        json_object_set_new(inner, "left", json_deep_copy(minv));
        json_object_set_new(inner, "right", json_deep_copy(raw));
        json_object_set_new(inner, "cond",
                            mkexpr("<", json_deep_copy(raw), minv));
        json_t *outer = json_object();
        json_object_set_new(outer, "op", json_string("?"));
        json_object_set_new(outer, "left", bm_hexstr(maxv));
        json_object_set_new(outer, "right", typed("expression", inner));
        json_object_set_new(outer, "cond", mkexpr(">", raw, bm_hexstr(maxv)));
        return wrap(w, 1, typed("expression", outer));
    }
    if (!strcmp(op, "|+|") || !strcmp(op, "|-|")) {
        /* saturating: BMv2 computes in arbitrary precision */
        json_t *raw =
            mkexpr(op[1] == '+' ? "+" : "-", expr(b, e->a), expr(b, e->b));
        json_t *v = json_object();
        if (op[1] == '+') {
            json_object_set_new(v, "op", json_string("?"));
            json_object_set_new(v, "left", bm_hexstr(ones(w)));
            json_object_set_new(v, "right", json_deep_copy(raw));
            json_object_set_new(v, "cond",
                                mkexpr(">", raw, bm_hexstr(ones(w))));
        } else {
            json_object_set_new(v, "op", json_string("?"));
            json_object_set_new(v, "left", raw);
            json_object_set_new(v, "right", bm_hexstr(0));
            json_object_set_new(v, "cond",
                                mkexpr(">", expr(b, e->a), expr(b, e->b)));
        }
        return typed("expression", v);
    }
    const char *bop = op;
    json_t *r = mkexpr(bop, expr(b, e->a), expr(b, e->b));
    if (!strcmp(op, "+") || !strcmp(op, "-") || !strcmp(op, "*") ||
        !strcmp(op, "<<"))
        return wrap(w, sg, r);
    return r;
}

static json_t *
call_expr(struct bm *b, struct node *e)
{
    struct node *callee = e->a;
    if (e->aux) { /* a function call hoisted before the statement */
        struct binding *r = e->aux;
        if (r->kind == B_FIELD)
            return r->is_bool ? to_bool(bm_field_json(r)) : bm_field_json(r);
    }
    if (callee->kind == N_MEMBER && !strcmp(callee->name, "isValid")) {
        struct binding *h = bm_ref(b, callee->a);
        if (h && h->kind == B_HEADER && h->index >= 0)
            return to_bool(
                typed("field", json_pack("[ss]", h->hname, "$valid$")));
        if (h && h->kind == B_STRUCT) { /* a header union: any member */
            json_t *acc = NULL;
            for (int i = 0; i < h->order.n; i++) {
                struct binding *m = hmap_get(&h->members, h->order.v[i]->name);
                if (!m || m->kind != B_HEADER)
                    continue;
                json_t *v = to_bool(
                    typed("field", json_pack("[ss]", m->hname, "$valid$")));
                acc = acc ? mkexpr("or", acc, v) : v;
            }
            return acc ? acc : mkbool(0);
        }
    }
    if (callee->kind == N_MEMBER && (!strcmp(callee->name, "minSizeInBits") ||
                                     !strcmp(callee->name, "minSizeInBytes") ||
                                     !strcmp(callee->name, "maxSizeInBits") ||
                                     !strcmp(callee->name, "maxSizeInBytes"))) {
        struct node *t = callee->a->type;
        int w = check_width(t);
        if (strstr(callee->name, "Bytes"))
            w = (w + 7) / 8;
        return bm_hexstr((unsigned)w);
    }
    if (callee->kind == N_MEMBER && callee->a->type &&
        callee->a->type->kind == N_TSTACK) {
        /* stack.size etc. are members, not calls */
    }
    cc_error(b->c, e->loc,
             "this call cannot be used as a value in the BMv2 "
             "back end yet (assign its result in a statement)");
    return bm_hexstr(0);
}

static json_t *
expr(struct bm *b, struct node *e)
{
    unsigned __int128 v;
    if (!e)
        return json_null();
    if (e->aux && e->kind != N_CALL && e->kind != N_VAR && e->kind != N_PARAM) {
        struct binding *t = e->aux;
        if (t->kind == B_FIELD)
            return t->is_bool ? to_bool(bm_field_json(t)) : bm_field_json(t);
    }
    if (e->type && e->type->kind == N_TBOOL && e->kind == N_BOOL)
        return mkbool((int)e->ival);
    if (e->kind != N_CALL && const_value(b, e, &v)) {
        if (e->type && e->type->kind == N_TBOOL)
            return mkbool(v != 0);
        return bm_hexstr(v);
    }
    if (e->kind == N_NAME) {
        /* an inlined parameter bound to an expression of the caller */
        struct binding *fb = frame_lookup(b, e->decl);
        if (fb && fb->kind == B_EXPR && fb->expr) {
            struct frame *saved = b->frame;
            b->frame = fb->expr_frame;
            json_t *j = expr(b, fb->expr);
            b->frame = saved;
            return j;
        }
    }
    switch (e->kind) {
    case N_NAME:
    case N_MEMBER:
    case N_INDEX: {
        if (e->kind == N_MEMBER && e->a->type && e->a->type->kind == N_TSTACK) {
            struct binding *s = bm_ref(b, e->a);
            if (s && s->kind == B_STACK && !strcmp(e->name, "size"))
                return bm_hexstr((unsigned)s->size);
            if (s && s->kind == B_STACK && !strcmp(e->name, "lastIndex"))
                return mkexpr(
                    "-",
                    typed("stack_field", json_pack("[ss]", s->hname, "$next$")),
                    bm_hexstr(1));
        }
        if (e->kind == N_MEMBER && e->a->kind == N_MEMBER && e->a->a->type &&
            e->a->a->type->kind == N_TSTACK && !strcmp(e->a->name, "last")) {
            struct binding *s = bm_ref(b, e->a->a);
            if (s)
                return typed("stack_field",
                             json_pack("[ss]", s->hname, e->name));
        }
        struct binding *r = bm_ref(b, e);
        if (!r) {
            cc_error(b->c, e->loc,
                     "'%s' cannot be used here in the BMv2 "
                     "back end",
                     e->name ? e->name : "expression");
            return bm_hexstr(0);
        }
        switch (r->kind) {
        case B_FIELD:
            if (r->is_bool)
                return to_bool(bm_field_json(r));
            return bm_field_json(r);
        case B_RUNTIME:
            return typed("runtime_data", json_integer(r->index));
        case B_HEADER:
            return typed("header", json_string(r->hname));
        case B_STACK:
            return typed("header_stack", json_string(r->hname));
        case B_EXPR: {
            struct frame *saved = b->frame;
            b->frame = r->expr_frame;
            json_t *j = expr(b, r->expr);
            b->frame = saved;
            return j;
        }
        default:
            cc_error(b->c, e->loc, "a struct cannot be used as a value here");
            return bm_hexstr(0);
        }
    }
    case N_BINOP:
        return binop(b, e);
    case N_UNOP: {
        int w = tw(e->type);
        if (!strcmp(e->op, "!"))
            return mkexpr("not", NULL, expr(b, e->a));
        if (!strcmp(e->op, "~"))
            return wrap(w, tsigned(e->type), mkexpr("~", NULL, expr(b, e->a)));
        if (!strcmp(e->op, "-"))
            return wrap(w, tsigned(e->type),
                        mkexpr("-", bm_hexstr(0), expr(b, e->a)));
        return expr(b, e->a);
    }
    case N_TERNARY: {
        json_t *val = json_object();
        json_object_set_new(val, "op", json_string("?"));
        json_object_set_new(val, "left", expr(b, e->b));
        json_object_set_new(val, "right", expr(b, e->c));
        json_object_set_new(val, "cond", expr(b, e->a));
        return typed("expression", val);
    }
    case N_CAST: {
        struct node *to = e->type, *from = e->b->type;
        if (to && to->kind == N_TBOOL) {
            if (from && from->kind == N_TBOOL)
                return expr(b, e->b);
            return to_bool(expr(b, e->b));
        }
        if (from && from->kind == N_TBOOL)
            return to_data(expr(b, e->b));
        int wt = tw(to), wf = tw(from);
        if (wt && (wf == 0 || wt < wf || tsigned(to) != tsigned(from)))
            return wrap(wt, tsigned(to), expr(b, e->b));
        return expr(b, e->b);
    }
    case N_SLICE: {
        unsigned __int128 hi, lo;
        if (e->op) { /* [lo +: w] */
            if (!check_eval(b->c, e->b, &hi))
                return bm_hexstr(0);
            return wrap((int)hi, 0, mkexpr(">>", expr(b, e->a), expr(b, e->c)));
        }
        if (!check_eval(b->c, e->b, &hi) || !check_eval(b->c, e->c, &lo))
            return bm_hexstr(0);
        return wrap((int)(hi - lo + 1), 0,
                    mkexpr(">>", expr(b, e->a), bm_hexstr(lo)));
    }
    case N_CALL:
        return call_expr(b, e);
    case N_BOOL:
        return mkbool((int)e->ival);
    case N_INT:
        return bm_hexstr(e->ival);
    default:
        cc_error(b->c, e->loc,
                 "this %s cannot be used as a value in the BMv2 "
                 "back end yet",
                 node_kind_name(e->kind));
        return bm_hexstr(0);
    }
}

json_t *
bm_expr(struct bm *b, struct node *e)
{
    return expr(b, e);
}

json_t *
bm_bool_expr(struct bm *b, struct node *e)
{
    json_t *j = expr(b, e);
    if (e->type && e->type->kind != N_TBOOL)
        return to_bool(j);
    return j;
}

/* ---- primitives ---- */

/* The text of the source at n: its line from the column on, up to the end
 * of the statement (';' or '{'), trimmed, at most 80 characters - what p4c
 * puts in source_fragment and what the switch shows in its logs. */
static const char *
source_fragment(struct bm *b, struct node *n)
{
    const char *f = n->loc.file;
    if (!f || n->loc.line <= 0)
        return n->name ? n->name : node_kind_name(n->kind);
    char *text = hmap_get(&b->sources, f);
    if (!text) {
        text = read_file(f, NULL);
        if (!text)
            text = xstrdup("");
        hmap_put(&b->sources, f, text, NULL);
    }
    const char *p = text;
    for (int l = 1; l < n->loc.line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p)
        return n->name ? n->name : node_kind_name(n->kind);
    for (int c = 1; c < n->loc.col && *p && *p != '\n'; c++)
        p++;
    size_t len = 0;
    while (p[len] && p[len] != '\n' && p[len] != ';' && len < 80)
        len++;
    while (len &&
           (p[len - 1] == ' ' || p[len - 1] == '{' || p[len - 1] == '\r'))
        len--;
    return arena_strndup(b->A, p, len);
}

json_t *
bm_source_info(struct bm *b, struct node *n)
{
    json_t *o = json_object();
    const char *f = n->loc.file ? n->loc.file : b->c->main_file;
    json_object_set_new(o, "filename", json_string(f ? f : "?"));
    json_object_set_new(o, "line", json_integer(n->loc.line));
    json_object_set_new(o, "column", json_integer(n->loc.col - 1));
    json_object_set_new(o, "source_fragment",
                        json_string(source_fragment(b, n)));
    return o;
}

static int
parser_op(const char *op)
{
    return !strcmp(op, "extract") || !strcmp(op, "extract_VL") ||
           !strcmp(op, "set") || !strcmp(op, "verify") ||
           !strcmp(op, "advance") || !strcmp(op, "primitive") ||
           !strcmp(op, "shift");
}

void
bm_prim(struct bm *b, struct node *at, const char *op, json_t *params)
{
    json_t *p = json_object();
    if (b->in_parser && !strcmp(op, "assign"))
        op = "set";
    json_object_set_new(p, "op", json_string(op));
    /* p4c wraps expression operands of primitives once more:
     * {"type":"expression","value":{"type":"expression","value":{op...}}} */
    if (strcmp(op, "verify")) {
        for (size_t i = 0; i < json_array_size(params); i++) {
            json_t *x = json_array_get(params, i);
            const char *ty = json_string_value(json_object_get(x, "type"));
            if (ty &&
                (!strcmp(ty, "expression") || !strcmp(ty, "stack_field")) &&
                strcmp(op, "extract_VL") && strcmp(op, "log_msg")) {
                json_t *w = typed("expression", json_incref(x));
                json_array_set_new(params, i, w);
            }
        }
    }
    json_object_set_new(p, "parameters", params);
    if (b->in_parser && !parser_op(op)) {
        json_t *w = json_object();
        json_object_set_new(w, "op", json_string("primitive"));
        json_object_set_new(w, "parameters", json_pack("[o]", p));
        p = w;
    } else if (at) {
        json_object_set_new(p, "source_info", bm_source_info(b, at));
    }
    json_array_append_new(b->cur_ops, p);
}

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
    return typed("expression", v);
}

static json_t *cur_pred; /* predicate of the enclosing ifs inside an action */
/* The binding that "return e" of the function being inlined writes. */
static struct binding *ret_binding;

static void assign_value(struct bm *b, struct node *at, struct binding *dst,
                         struct node *src);

static void
assign_struct_from_list(struct bm *b, struct node *at, struct binding *dst,
                        struct node *src)
{
    /* dst is a header or struct; src a list or struct initializer */
    struct node *t = dst->type;
    int valid = dst->kind == B_HEADER;
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
                                 ? field_of(b, dst, f->name, f->type)
                                 : hmap_get(&dst->members, f->name);
        if (fd)
            assign_value(b, at, fd, val);
    }
    if (valid)
        bm_prim(b, at, "add_header",
                json_pack("[o]", typed("header", json_string(dst->hname))));
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
    switch (dst->kind) {
    case B_FIELD: {
        json_t *v;
        if (dst->is_bool)
            v = data_expr(b, src);
        else if (src->type && src->type->kind == N_TVARBIT) {
            struct binding *s = bm_ref(b, src);
            if (s && s->kind == B_FIELD) {
                bm_prim(
                    b, at, "assign_VL",
                    json_pack("[oo]", bm_field_json(dst), bm_field_json(s)));
                return;
            }
            v = expr(b, src);
        } else
            v = data_expr(b, src);
        if (cur_pred)
            v = pred_wrap(b, json_deep_copy(cur_pred), v, bm_field_json(dst));
        assign_field(b, at, dst, v);
        return;
    }
    case B_HEADER: {
        if (b->in_parser && src->kind == N_CALL && src->a->kind == N_MEMBER &&
            !strcmp(src->a->name, "lookahead") && dst->type &&
            dst->type->kind == N_HEADER && !dst->dyn_index && dst->index >= 0) {
            /* h = pkt.lookahead<H>(): every field from the next bits */
            int off = 0;
            for (int i = 0; i < dst->type->list.n; i++) {
                struct node *f = dst->type->list.v[i];
                int w = check_width(f->type);
                struct binding *fd = field_of(b, dst, f->name, f->type);
                bm_prim(
                    b, at, "set",
                    json_pack("[oo]", bm_field_json(fd),
                              typed("lookahead", json_pack("[ii]", off, w))));
                off += w;
            }
            bm_prim(b, at, "add_header",
                    json_pack("[o]", typed("header", json_string(dst->hname))));
            return;
        }
        struct binding *s = bm_ref(b, src);
        if (cur_pred)
            cc_error(b->c, at->loc,
                     "assigning a header under a condition "
                     "inside an action is not supported yet");
        if (s && s->kind == B_HEADER && !s->dyn_index && !dst->dyn_index) {
            bm_prim(b, at, "assign_header",
                    json_pack("[oo]", typed("header", json_string(dst->hname)),
                              typed("header", json_string(s->hname))));
            return;
        }
        cc_error(b->c, at->loc,
                 "this header assignment is not supported by "
                 "the BMv2 back end yet");
        return;
    }
    case B_STACK: {
        struct binding *s = bm_ref(b, src);
        if (s && s->kind == B_STACK) {
            bm_prim(b, at, "assign_header_stack",
                    json_pack("[oo]",
                              typed("header_stack", json_string(dst->hname)),
                              typed("header_stack", json_string(s->hname))));
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
        for (int i = 0; i < dst->order.n; i++) {
            const char *fn = dst->order.v[i]->name;
            struct binding *dm = hmap_get(&dst->members, fn);
            struct binding *sm = hmap_get(&s->members, fn);
            if (!dm || !sm)
                continue;
            if (dm->kind == B_FIELD && sm->kind == B_FIELD)
                assign_field(b, at, dm, bm_field_json(sm));
            else if (dm->kind == B_HEADER && sm->kind == B_HEADER)
                bm_prim(b, at, "assign_header",
                        json_pack("[oo]",
                                  typed("header", json_string(dm->hname)),
                                  typed("header", json_string(sm->hname))));
            else if (dm->kind == B_STRUCT) {
                /* nested: build a fake member expression is costly; recurse
                 * by bindings */
                struct node fake = *src;
                (void)fake;
                for (int j = 0; j < dm->order.n; j++) {
                    struct binding *a =
                        hmap_get(&dm->members, dm->order.v[j]->name);
                    struct binding *c2 =
                        hmap_get(&sm->members, dm->order.v[j]->name);
                    if (a && c2 && a->kind == B_FIELD && c2->kind == B_FIELD)
                        assign_field(b, at, a, bm_field_json(c2));
                    else if (a && c2 && a->kind == B_HEADER &&
                             c2->kind == B_HEADER)
                        bm_prim(
                            b, at, "assign_header",
                            json_pack("[oo]",
                                      typed("header", json_string(a->hname)),
                                      typed("header", json_string(c2->hname))));
                }
            }
        }
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

/* lhs[hi:lo] = src: read, mask, write */
static void
assign_slice(struct bm *b, struct node *at, struct node *lhs, struct node *src)
{
    struct binding *dst = bm_ref(b, lhs->a);
    unsigned __int128 hi, lo;
    if (!dst || dst->kind != B_FIELD) {
        cc_error(b->c, lhs->loc, "cannot assign to this slice");
        return;
    }
    if (lhs->op) {
        unsigned __int128 w;
        if (!check_eval(b->c, lhs->c, &lo) || !check_eval(b->c, lhs->b, &w)) {
            cc_error(b->c, lhs->loc, "slice bounds must be constants");
            return;
        }
        hi = lo + w - 1;
    } else if (!check_eval(b->c, lhs->b, &hi) ||
               !check_eval(b->c, lhs->c, &lo)) {
        cc_error(b->c, lhs->loc, "slice bounds must be constants");
        return;
    }
    unsigned __int128 m = ones((int)(hi - lo + 1)) << (int)lo;
    json_t *keep =
        mkexpr("&", bm_field_json(dst), bm_hexstr(ones(dst->width) & ~m));
    json_t *nv = mkexpr("&", mkexpr("<<", data_expr(b, src), bm_hexstr(lo)),
                        bm_hexstr(m));
    json_t *v = mkexpr("|", keep, nv);
    if (cur_pred)
        v = pred_wrap(b, json_deep_copy(cur_pred), v, bm_field_json(dst));
    assign_field(b, at, dst, v);
}

static void inline_body(struct bm *b, struct node *decl, struct node *call);
static void hoist_calls(struct bm *b, struct node *e);

static const char *
algo_name(struct node *e)
{
    if (e && e->kind == N_MEMBER)
        return e->name;
    return "crc32";
}

/* Registers a calculation {algo, input} and returns its name. */
static const char *
add_calc(struct bm *b, struct node *algo, struct node *data, int payload)
{
    const char *name = bm_unique(b, "calc");
    json_t *c = json_object();
    json_object_set_new(c, "name", json_string(name));
    json_object_set_new(c, "id", json_integer(b->next_calc++));
    json_object_set_new(c, "algo", json_string(algo_name(algo)));
    json_t *in = json_array();
    bm_flatten(b, data, in);
    if (payload)
        json_array_append_new(in, typed("payload", json_null()));
    json_object_set_new(c, "input", in);
    json_array_append_new(b->calculations, c);
    return name;
}

const char *
bm_calc(struct bm *b, struct node *algo, struct node *data, int payload)
{
    return add_calc(b, algo, data, payload);
}

void
bm_flatten(struct bm *b, struct node *e, json_t *out)
{
    if (!e)
        return;
    if (e->kind == N_LIST) {
        for (int i = 0; i < e->list.n; i++)
            bm_flatten(b, e->list.v[i], out);
        return;
    }
    if (e->kind == N_STRUCT_INIT) {
        for (int i = 0; i < e->list.n; i++)
            bm_flatten(b, e->list.v[i]->a, out);
        return;
    }
    struct binding *r =
        (e->kind == N_NAME || e->kind == N_MEMBER || e->kind == N_INDEX)
            ? bm_ref(b, e)
            : NULL;
    if (r && r->kind == B_HEADER) {
        struct node *t = r->type;
        for (int i = 0; t && i < t->list.n; i++)
            json_array_append_new(
                out, typed("field",
                           json_pack("[ss]", r->hname, t->list.v[i]->name)));
        return;
    }
    if (r && r->kind == B_STRUCT) {
        for (int i = 0; i < r->order.n; i++) {
            struct binding *m = hmap_get(&r->members, r->order.v[i]->name);
            if (m && m->kind == B_FIELD)
                json_array_append_new(out, bm_field_json(m));
            else if (m && m->kind == B_HEADER)
                for (int j = 0; m->type && j < m->type->list.n; j++)
                    json_array_append_new(
                        out,
                        typed("field", json_pack("[ss]", m->hname,
                                                 m->type->list.v[j]->name)));
        }
        return;
    }
    if (r && r->kind == B_FIELD) {
        json_array_append_new(out, bm_field_json(r));
        return;
    }
    /* a constant or an expression: BMv2 calculations take hexstr too */
    json_t *j = data_expr(b, e);
    const char *ty = json_string_value(json_object_get(j, "type"));
    if (ty && !strcmp(ty, "hexstr")) {
        /* p4c gives constants their width with "bitwidth" */
        json_object_set_new(j, "bitwidth",
                            json_integer(tw(e->type) ? tw(e->type) : 32));
    }
    json_array_append_new(out, j);
}

/* The learn list / field list of a digest or clone3 data argument. */
static int
add_field_list(struct bm *b, struct node *data, json_t *list_array,
               const char *name)
{
    int id = ++b->next_field_list;
    json_t *l = json_object();
    json_object_set_new(l, "id", json_integer(id));
    json_object_set_new(l, "name", json_string(name));
    json_t *el = json_array();
    bm_flatten(b, data, el);
    json_object_set_new(l, "elements", el);
    json_array_append_new(list_array, l);
    return id;
}

static const char *
instance_name(struct bm *b, struct node *inst)
{
    (void)b;
    return inst->aux ? ((struct binding *)inst->aux)->hname : inst->name;
}

static struct node *
arg(struct node *call, int i)
{
    if (i >= call->args.n)
        return NULL;
    struct node *a = call->args.v[i];
    return a->kind == N_NAMED ? a->a : a;
}

/* Extern method calls on instances: counters, meters, registers... */
static void
extern_method(struct bm *b, struct node *s, struct node *call,
              struct node *inst, const char *ext, const char *m)
{
    const char *iname = instance_name(b, inst);
    if (!strcmp(ext, "counter") && !strcmp(m, "count")) {
        bm_prim(b, s, "count",
                json_pack("[oo]", typed("counter_array", json_string(iname)),
                          data_expr(b, arg(call, 0))));
    } else if (!strcmp(ext, "direct_counter") && !strcmp(m, "count")) {
        /* counted by the table itself */
    } else if (!strcmp(ext, "meter") && !strcmp(m, "execute_meter")) {
        struct binding *dst = bm_ref(b, arg(call, 1));
        if (!dst || dst->kind != B_FIELD) {
            cc_error(b->c, call->loc, "the meter result must be a field");
            return;
        }
        bm_prim(b, s, "execute_meter",
                json_pack("[ooo]", typed("meter_array", json_string(iname)),
                          data_expr(b, arg(call, 0)), bm_field_json(dst)));
    } else if (!strcmp(ext, "direct_meter") && !strcmp(m, "read")) {
        struct binding *dst = bm_ref(b, arg(call, 0));
        json_t *arr = hmap_get(&b->meter_json, iname);
        if (dst && dst->kind == B_FIELD && arr)
            json_object_set_new(arr, "result_target",
                                json_pack("[ss]", dst->hname, dst->field));
    } else if (!strcmp(ext, "register") && !strcmp(m, "read")) {
        struct binding *dst = bm_ref(b, arg(call, 0));
        if (!dst || dst->kind != B_FIELD) {
            cc_error(b->c, call->loc,
                     "the register read result must be a field");
            return;
        }
        bm_prim(b, s, "register_read",
                json_pack("[ooo]", bm_field_json(dst),
                          typed("register_array", json_string(iname)),
                          data_expr(b, arg(call, 1))));
    } else if (!strcmp(ext, "register") && !strcmp(m, "write")) {
        bm_prim(b, s, "register_write",
                json_pack("[ooo]", typed("register_array", json_string(iname)),
                          data_expr(b, arg(call, 0)),
                          data_expr(b, arg(call, 1))));
    } else {
        cc_error(b->c, call->loc,
                 "%s.%s() is not supported by the BMv2 back "
                 "end yet",
                 ext, m);
    }
}

static void
packet_method(struct bm *b, struct node *s, struct node *call, const char *m)
{
    if (!strcmp(m, "extract")) {
        struct binding *h = bm_ref(b, arg(call, 0));
        if (!h || h->kind != B_HEADER || h->dyn_index) {
            cc_error(b->c, call->loc, "extract needs a header (or stack.next)");
            return;
        }
        json_t *p;
        if (h->index == -1)
            p = typed("stack", json_string(h->hname));
        else
            p = typed("regular", json_string(h->hname));
        if (call->args.n == 2)
            bm_prim(b, s, "extract_VL",
                    json_pack("[oo]", p,
                              typed("expression", data_expr(b, arg(call, 1)))));
        else
            bm_prim(b, s, "extract", json_pack("[o]", p));
    } else if (!strcmp(m, "advance")) {
        bm_prim(b, s, "advance", json_pack("[o]", data_expr(b, arg(call, 0))));
    } else if (!strcmp(m, "lookahead")) {
        /* a lookahead whose value is dropped */
    } else {
        cc_error(b->c, call->loc, "packet method %s() is not supported here",
                 m);
    }
}

/* Calls of extern functions (v1model) */
static void
extern_function(struct bm *b, struct node *s, struct node *call, const char *f)
{
    if (!strcmp(f, "mark_to_drop")) {
        bm_prim(b, s, "mark_to_drop",
                json_pack("[o]",
                          typed("header", json_string("standard_metadata"))));
    } else if (!strcmp(f, "hash")) {
        struct binding *dst = bm_ref(b, arg(call, 0));
        if (!dst || dst->kind != B_FIELD) {
            cc_error(b->c, call->loc, "the hash result must be a field");
            return;
        }
        const char *calc = add_calc(b, arg(call, 1), arg(call, 3), 0);
        bm_prim(b, s, "modify_field_with_hash_based_offset",
                json_pack("[oooo]", bm_field_json(dst),
                          data_expr(b, arg(call, 2)),
                          typed("calculation", json_string(calc)),
                          data_expr(b, arg(call, 4))));
    } else if (!strcmp(f, "random")) {
        struct binding *dst = bm_ref(b, arg(call, 0));
        if (!dst || dst->kind != B_FIELD) {
            cc_error(b->c, call->loc, "the random result must be a field");
            return;
        }
        bm_prim(b, s, "modify_field_rng_uniform",
                json_pack("[ooo]", bm_field_json(dst),
                          data_expr(b, arg(call, 1)),
                          data_expr(b, arg(call, 2))));
    } else if (!strcmp(f, "digest")) {
        struct node *data = arg(call, 1);
        const char *name = "digest";
        if (call->targs.n && call->targs.v[0]->name)
            name = call->targs.v[0]->name;
        else if (data && data->type && data->type->name)
            name = data->type->name;
        int id = add_field_list(b, data, b->learn_lists, name);
        struct p4i_obj o = {name, data ? data->type : NULL,
                            p4info_id(0x17, name), NULL};
        int dup = 0;
        for (size_t i = 0; i < b->p4_digests.n; i++)
            if (!strcmp(b->p4_digests.v[i].name, name))
                dup = 1;
        if (!dup)
            VEC_PUSH(&b->p4_digests, o);
        bm_prim(b, s, "generate_digest",
                json_pack("[oo]", data_expr(b, arg(call, 0)),
                          bm_hexstr((unsigned)id)));
    } else if (!strcmp(f, "clone") || !strcmp(f, "clone3") ||
               !strcmp(f, "clone_preserving_field_list")) {
        struct node *type = arg(call, 0);
        int e2e = type && type->kind == N_MEMBER && !strcmp(type->name, "E2E");
        json_t *fl;
        if (!strcmp(f, "clone3"))
            fl = bm_hexstr((unsigned)add_field_list(b, arg(call, 2),
                                                    b->field_lists, "fl"));
        else if (!strcmp(f, "clone"))
            fl = bm_hexstr(0);
        else
            fl = data_expr(b, arg(call, 2));
        bm_prim(b, s,
                e2e ? "clone_egress_pkt_to_egress"
                    : "clone_ingress_pkt_to_egress",
                json_pack("[oo]", data_expr(b, arg(call, 1)), fl));
    } else if (!strcmp(f, "resubmit") || !strcmp(f, "recirculate")) {
        int id = call->args.n
                     ? add_field_list(b, arg(call, 0), b->field_lists, "fl")
                     : 0;
        bm_prim(b, s, f, json_pack("[o]", bm_hexstr((unsigned)id)));
    } else if (!strcmp(f, "resubmit_preserving_field_list") ||
               !strcmp(f, "recirculate_preserving_field_list")) {
        bm_prim(b, s, f[0] == 'r' && f[2] == 's' ? "resubmit" : "recirculate",
                json_pack("[o]", data_expr(b, arg(call, 0))));
    } else if (!strcmp(f, "truncate")) {
        bm_prim(b, s, "truncate", json_pack("[o]", data_expr(b, arg(call, 0))));
    } else if (!strcmp(f, "assert") || !strcmp(f, "assume")) {
        bm_prim(b, s, f, json_pack("[o]", bm_bool_expr(b, arg(call, 0))));
    } else if (!strcmp(f, "log_msg")) {
        struct node *msg = arg(call, 0);
        json_t *vals = json_array();
        if (call->args.n > 1)
            bm_flatten(b, arg(call, 1), vals);
        bm_prim(b, s, "log_msg",
                json_pack("[oo]",
                          typed("string",
                                json_string(msg && msg->name ? msg->name : "")),
                          typed("parameters_vector", vals)));
    } else if (!strcmp(f, "verify")) {
        bm_prim(b, s, "verify",
                json_pack("[oo]", bm_bool_expr(b, arg(call, 0)),
                          data_expr(b, arg(call, 1))));
    } else if (!strcmp(f, "static_assert")) {
    } else if (!strcmp(f, "verify_checksum") || !strcmp(f, "update_checksum") ||
               !strcmp(f, "verify_checksum_with_payload") ||
               !strcmp(f, "update_checksum_with_payload")) {
        cc_error(b->c, call->loc,
                 "%s() is only supported in the checksum "
                 "controls of V1Switch",
                 f);
    } else {
        cc_error(b->c, call->loc,
                 "extern %s() is not supported by the BMv2 "
                 "back end yet",
                 f);
    }
}

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
            if (!h || h->kind != B_HEADER || h->dyn_index) {
                cc_error(b->c, call->loc,
                         h && h->dyn_index ? "%s() on a stack element picked "
                                             "at run time is not supported yet"
                                           : "cannot find this header%s",
                         h && h->dyn_index ? m : "");
                return;
            }
            if (cur_pred)
                cc_error(b->c, call->loc,
                         "%s() under a condition inside an "
                         "action is not supported yet",
                         m);
            bm_prim(b, s, m[3] == 'V' ? "add_header" : "remove_header",
                    json_pack("[o]", typed("header", json_string(h->hname))));
            return;
        }
        if (bt && bt->kind == N_TSTACK &&
            (!strcmp(m, "push_front") || !strcmp(m, "pop_front"))) {
            struct binding *st = bm_ref(b, callee->a);
            if (!st || st->kind != B_STACK)
                return;
            bm_prim(b, s, m[1] == 'u' ? "push" : "pop",
                    json_pack("[oo]",
                              typed("header_stack", json_string(st->hname)),
                              data_expr(b, arg(call, 0))));
            return;
        }
        if (bt && bt->kind == N_EXTERN) {
            if (!strcmp(bt->name, "packet_in")) {
                packet_method(b, s, call, m);
                return;
            }
            struct node *inst = callee->a->decl;
            if (inst && inst->kind == N_INSTANCE) {
                extern_method(b, s, call, inst, bt->name, m);
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
        extern_function(b, s, call, d->name);
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
        bm_prim(b, at, "assign_header",
                json_pack("[oo]", typed("header", json_string(dst->hname)),
                          typed("header", json_string(src->hname))));
    } else if (dst->kind == B_STACK && src->kind == B_STACK && !dst->elems) {
        bm_prim(b, at, "assign_header_stack",
                json_pack("[oo]",
                          typed("header_stack", json_string(dst->hname)),
                          typed("header_stack", json_string(src->hname))));
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
 * temporary that expr() reads through call->aux. */
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
                      to_bool(bm_field_json(t)));
    bm_prim(b, e, "assign", json_pack("[oo]", bm_field_json(t), to_data(v)));
    e->aux = t;
    VEC_PUSH(&snapshots, e);
    return to_bool(bm_field_json(t));
}

/* Hoists the calls of e with the predicate cond (taken) added. */
static void
hoist_under(struct bm *b, struct node *e, json_t *cond)
{
    json_t *saved = cur_pred;
    json_t *p = saved ? mkexpr("and", json_deep_copy(saved), cond) : cond;
    cur_pred = p;
    hoist_calls(b, e);
    cur_pred = saved;
    json_decref(p);
}

static void
hoist_calls(struct bm *b, struct node *e)
{
    if (!e)
        return;
    if (b->in_parser && e->kind == N_MEMBER && e->a->kind == N_CALL &&
        e->a->a->kind == N_MEMBER && !strcmp(e->a->a->name, "lookahead") &&
        e->a->type && e->a->type->kind == N_HEADER && !e->aux) {
        /* a field of a looked-ahead header: set a temporary from the
         * packet's next bits at the field's offset */
        int off = 0, w = check_width(e->type);
        struct node *ht = e->a->type;
        for (int i = 0; i < ht->list.n && strcmp(ht->list.v[i]->name, e->name);
             i++)
            off += check_width(ht->list.v[i]->type);
        struct binding *t = bm_bind(b, e->type, bm_unique(b, "lookahead"), 0);
        if (t->kind == B_FIELD) {
            bm_prim(b, e, "set",
                    json_pack("[oo]", bm_field_json(t),
                              typed("lookahead", json_pack("[ii]", off, w))));
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
                              typed("lookahead", json_pack("[ii]", 0, w))));
            e->aux = t;
            VEC_PUSH(&snapshots, e);
        }
        return;
    }
    switch (e->kind) {
    case N_CALL:
        hoist_calls(b, e->a);
        for (int i = 0; i < e->args.n; i++)
            hoist_calls(b, e->args.v[i]);
        if (e->decl && e->decl->kind == N_FUNCTION && e->decl->b && e->type &&
            e->type->kind != N_TVOID &&
            (check_width(e->type) > 0 || e->type->kind == N_HEADER ||
             e->type->kind == N_STRUCT)) {
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
        for (int i = 0; i < e->list.n; i++)
            hoist_calls(b, e->list.v[i]);
        break;
    case N_TERNARY:
        hoist_calls(b, e->a);
        if ((bm_has_call(e->b) || bm_has_call(e->c)) && !b->in_parser) {
            /* calls in a branch run only when it is taken: their bodies
             * are predicated on the (saved) condition */
            json_t *c = save_condition(b, e->a);
            hoist_under(b, e->b, json_deep_copy(c));
            hoist_under(b, e->c, mkexpr("not", NULL, c));
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
            hoist_under(b, e->b, e->op[0] == '&' ? c : mkexpr("not", NULL, c));
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
        assigns_to(body, var)) {
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
        bm_stmt(b, body);
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
                                  to_data(bm_bool_expr(b, st->a))));
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
                json_t *c = to_bool(bm_field_json(flag));
                json_t *rest = rt ? mkexpr("not", NULL, c) : c;
                json_t *np = cur_pred
                                 ? mkexpr("and", json_deep_copy(cur_pred), rest)
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
                bm_prim(b, s, "set",
                        json_pack("[oo]", bm_field_json(dst),
                                  typed("lookahead", json_pack("[ii]", 0, w))));
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
        json_t *c = bm_bool_expr(b, s->a);
        json_t *saved = cur_pred;
        json_t *tp =
            saved ? mkexpr("and", json_deep_copy(saved), json_deep_copy(c))
                  : json_deep_copy(c);
        cur_pred = tp;
        bm_stmt(b, s->b);
        if (s->c) {
            json_t *ep = mkexpr("not", NULL, c);
            if (saved)
                ep = mkexpr("and", json_deep_copy(saved), ep);
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
    case N_EXIT:
        if (cur_pred) {
            cc_error(b->c, s->loc,
                     "exit under a condition inside an action is "
                     "not supported by the BMv2 back end yet");
            break;
        }
        emit_pending_copy_outs(b, s);
        bm_prim(b, s, "exit", json_array());
        break;
    case N_RETURN:
    case N_EMPTY:
        break;
    case N_SWITCH:
        cc_error(b->c, s->loc,
                 "switch inside an action is not supported by "
                 "the BMv2 back end yet");
        break;
    case N_FOR:
        unroll_loop(b, s);
        break;
    default:
        break;
    }
}
