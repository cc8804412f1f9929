/* expr.c - BMv2 back end: locations and expressions.
 *
 * bm_ref() maps an lvalue (hdr.ipv4.ttl, meta.x, a header stack element, an
 * action parameter) to its binding; bm_expr() turns a P4 expression into the
 * JSON expression tree of BMv2's JSON_format.md (arithmetic masked to the
 * result width as p4c does, bools as BMv2 booleans with d2b/b2d at fields).
 * stmt.c turns statements into primitives with them, prim.c writes the
 * primitives and extern calls, lower.c builds the program structure. */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/check.h"

json_t *
bm_mkexpr(const char *op, json_t *l, json_t *r)
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

json_t *
bm_header_json(const struct binding *h)
{
    json_t *st =
        bm_typed(h->union_member ? "header_union_stack" : "header_stack",
                 json_string(h->hname));
    if (h->union_member) /* u[i].h: a member of a union picked at run time */
        return bm_mkexpr("access_union_header",
                         bm_mkexpr("dereference_union_stack", st,
                                   json_deep_copy(h->dyn_index)),
                         json_integer(h->union_member - 1));
    if (h->dyn_index)
        return bm_mkexpr("dereference_header_stack", st,
                         json_deep_copy(h->dyn_index));
    if (h->index == -2) /* stack.last */
        return bm_mkexpr(
            "dereference_header_stack", st,
            bm_mkexpr("last_stack_index", NULL, json_deep_copy(st)));
    json_decref(st);
    return bm_typed("header", json_string(h->hname));
}

json_t *
bm_field_json(const struct binding *f)
{
    if (f->union_member)
        return bm_mkexpr("access_field", bm_header_json(f),
                         json_integer(f->field_index));
    if (f->dyn_index) {
        /* hs[i].f with i known at run time (BMv2's stack dereference) */
        json_t *h = bm_mkexpr("dereference_header_stack",
                              bm_typed("header_stack", json_string(f->hname)),
                              json_deep_copy(f->dyn_index));
        return bm_mkexpr("access_field", h, json_integer(f->field_index));
    }
    return bm_typed("field", json_pack("[ss]", f->hname, f->field));
}

static json_t *
wrap(int w, int sign, json_t *x)
{
    if (w <= 0)
        return x;
    if (sign) {
        json_t *e = bm_mkexpr("two_comp_mod", x, bm_hexstr((unsigned)w));
        return e;
    }
    return bm_mkexpr("&", x, bm_hexstr(bm_ones(w)));
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

struct binding *
bm_field_of(struct bm *b, struct binding *h, const char *name,
            struct node *ftype)
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
        f->union_member = h->union_member;
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
                                : bm_field_of(b, h, n, f->type);
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
        if (base->kind == B_HEADER && base->index == -1 && base->type &&
            base->type->kind == N_HUNION) {
            /* u.next.h of a stack of unions: BMv2's union_stack operand */
            struct binding *h = arena_alloc(b->A, sizeof *h);
            h->kind = B_HEADER;
            h->type = e->type;
            h->hname = base->hname;
            h->field = e->name;
            h->index = -4;
            return h;
        }
        if (base->kind == B_HEADER && e->type && e->type->kind == N_TSTACK &&
            e->type->a && e->type->a->kind != N_HEADER &&
            e->type->a->kind != N_HUNION && !base->dyn_index) {
            /* an array of bits in a header: fields "<name>[i]" */
            struct binding *s = arena_alloc(b->A, sizeof *s);
            s->kind = B_STRUCT;
            s->type = e->type;
            hmap_init(&s->members);
            VEC_PUSH(&b->struct_binds, s);
            for (int i = 0; i < e->type->width; i++)
                hmap_put(&s->members, arena_printf(b->A, "%d", i),
                         bm_field_of(b, base,
                                     arena_printf(b->A, "%s[%d]", e->name, i),
                                     e->type->a),
                         NULL);
            return s;
        }
        if (base->kind == B_HEADER && e->type && e->type->kind == N_STRUCT &&
            !base->dyn_index)
            return header_struct(b, base, e->name, e->type);
        if (base->kind == B_HEADER)
            return bm_field_of(b, base, e->name, e->type);
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
        if (base && base->kind == B_STRUCT && e->a->type &&
            e->a->type->kind == N_TSTACK && check_eval(b->c, e->b, &v))
            return hmap_get(&base->members,
                            arena_printf(b->A, "%d", (int)v)); /* bits */
        if (base && base->kind == B_STRUCT && e->a->type &&
            e->a->type->kind == N_TTUPLE && check_eval(b->c, e->b, &v))
            return hmap_get(&base->members,
                            arena_printf(b->A, "f%d", (int)v)); /* tuple */
        if (!base || base->kind != B_STACK)
            return NULL;
        if (!check_eval(b->c, e->b, &v) && base->elems) {
            /* u[i] of a stack of unions: its headers are reached with
             * dereference_union_stack and access_union_header */
            struct binding *u = arena_alloc(b->A, sizeof *u);
            u->kind = B_STRUCT;
            u->type = e->type;
            u->hname = base->hname;
            hmap_init(&u->members);
            VEC_PUSH(&b->struct_binds, u);
            json_t *idx = bm_data_expr(b, e->b);
            json_array_append_new(b->dyn_json, idx);
            for (int i = 0; e->type && i < e->type->list.n; i++) {
                struct node *f = e->type->list.v[i];
                struct binding *h = arena_alloc(b->A, sizeof *h);
                h->kind = B_HEADER;
                h->type = f->type;
                h->hname = base->hname;
                h->index = -3;
                h->dyn_index = idx;
                h->union_member = i + 1;
                hmap_put(&u->members, f->name, h, NULL);
                nlist_push(b->A, &u->order, f);
            }
            return u;
        }
        if (!check_eval(b->c, e->b, &v)) {
            struct binding *h = arena_alloc(b->A, sizeof *h);
            h->kind = B_HEADER;
            h->type = e->type;
            h->hname = base->hname;
            h->index = -3; /* picked at run time */
            h->dyn_index = bm_data_expr(b, e->b);
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
        *v &= bm_ones(tw(e->type));
    return 1;
}

json_t *
bm_to_data(json_t *boolexpr)
{
    return bm_mkexpr("b2d", NULL, boolexpr);
}

json_t *
bm_to_bool(json_t *data)
{
    return bm_mkexpr("d2b", NULL, data);
}

static json_t *expr(struct bm *b, struct node *e);

/* The value of e as BMv2 data (bools converted with b2d). */
json_t *
bm_data_expr(struct bm *b, struct node *e)
{
    json_t *j = expr(b, e);
    if (e->type && e->type->kind == N_TBOOL && j &&
        strcmp(json_string_value(json_object_get(j, "type")), "hexstr"))
        return bm_to_data(j);
    return j;
}

/* x == y for headers (both invalid, or both valid with equal fields) and
 * structs (every member equal); NULL if the shapes differ. */
static json_t *
equal_bindings(struct bm *b, struct binding *x, struct binding *y)
{
    if (x->kind == B_FIELD && y->kind == B_FIELD)
        return bm_mkexpr("==", bm_field_json(x), bm_field_json(y));
    if (x->kind == B_HEADER && y->kind == B_HEADER && x->type &&
        !x->dyn_index && !y->dyn_index) {
        json_t *vx = bm_typed("field", json_pack("[ss]", x->hname, "$valid$"));
        json_t *vy = bm_typed("field", json_pack("[ss]", y->hname, "$valid$"));
        json_t *fields = NULL;
        for (int i = 0; i < x->type->list.n; i++) {
            struct node *f = x->type->list.v[i];
            if (f->type && f->type->kind == N_STRUCT)
                return NULL;
            json_t *fe = bm_mkexpr(
                "==", bm_typed("field", json_pack("[ss]", x->hname, f->name)),
                bm_typed("field", json_pack("[ss]", y->hname, f->name)));
            fields = fields ? bm_mkexpr("and", fields, fe) : fe;
        }
        /* same validity, and if valid the same fields */
        json_t *same_valid = bm_mkexpr("==", vx, vy);
        json_t *invalid =
            bm_mkexpr("not", NULL, bm_to_bool(json_deep_copy(vx)));
        json_t *ok = fields ? bm_mkexpr("or", invalid, fields) : mkbool(1);
        if (!fields)
            json_decref(invalid);
        return bm_mkexpr("and", same_valid, ok);
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
            all = all ? bm_mkexpr("and", all, me) : me;
        }
        return all ? all : mkbool(1);
    }
    return NULL;
}

/* x == init for a struct x and a list or struct initializer (or a
 * constant holding one): every member equal; NULL if the shapes differ. */
static json_t *
equal_init(struct bm *b, struct binding *x, struct node *init)
{
    for (int depth = 0; init && init->kind == N_NAME && init->decl &&
                        init->decl->kind == N_CONST && depth < 16;
         depth++)
        init = init->decl->b;
    if (!init || x->kind != B_STRUCT ||
        (init->kind != N_LIST && init->kind != N_STRUCT_INIT))
        return NULL;
    json_t *all = NULL;
    for (int i = 0; i < x->order.n; i++) {
        const char *fn = x->order.v[i]->name;
        struct node *v = NULL;
        if (init->kind == N_LIST && i < init->list.n)
            v = init->list.v[i];
        for (int j = 0; init->kind == N_STRUCT_INIT && j < init->list.n; j++)
            if (!strcmp(init->list.v[j]->name, fn))
                v = init->list.v[j]->a;
        struct binding *m = hmap_get(&x->members, fn);
        json_t *me = NULL;
        if (v && m && m->kind == B_FIELD)
            me = bm_mkexpr("==", bm_field_json(m), bm_data_expr(b, v));
        else if (v && m)
            me = equal_init(b, m, v);
        if (!me) {
            json_decref(all);
            return NULL;
        }
        all = all ? bm_mkexpr("and", all, me) : me;
    }
    return all ? all : mkbool(1);
}

static json_t *
binop(struct bm *b, struct node *e)
{
    const char *op = e->op;
    int w = tw(e->type);
    int sg = tsigned(e->type);
    if (!strcmp(op, "&&") || !strcmp(op, "||"))
        return bm_mkexpr(op[0] == '&' ? "and" : "or", expr(b, e->a),
                         expr(b, e->b));
    if (!strcmp(op, "==") || !strcmp(op, "!=")) {
        struct node *lt = e->a->type;
        if (lt && lt->kind == N_TBOOL)
            return bm_mkexpr(op, expr(b, e->a), expr(b, e->b));
        if (lt && (lt->kind == N_HEADER || lt->kind == N_STRUCT ||
                   lt->kind == N_HUNION)) {
            struct binding *x = bm_ref(b, e->a), *y = bm_ref(b, e->b);
            json_t *eq = x && y ? equal_bindings(b, x, y) : NULL;
            if (!eq && x && !y)
                eq = equal_init(b, x, e->b);
            else if (!eq && y && !x)
                eq = equal_init(b, y, e->a);
            if (!eq) {
                cc_error(b->c, e->loc,
                         "comparing these headers or structs is not "
                         "supported by the BMv2 back end yet");
                return mkbool(0);
            }
            return op[0] == '=' ? eq : bm_mkexpr("not", NULL, eq);
        }
        return bm_mkexpr(op, bm_data_expr(b, e->a), bm_data_expr(b, e->b));
    }
    if (!strcmp(op, "<") || !strcmp(op, ">") || !strcmp(op, "<=") ||
        !strcmp(op, ">="))
        return bm_mkexpr(op, expr(b, e->a), expr(b, e->b));
    if (!strcmp(op, "++")) {
        int wr = tw(e->b->type);
        json_t *l = bm_mkexpr("<<", expr(b, e->a), bm_hexstr((unsigned)wr));
        return wrap(w, 0, bm_mkexpr("|", wrap(w, 0, l), expr(b, e->b)));
    }
    if ((!strcmp(op, "|+|") || !strcmp(op, "|-|")) && sg && w > 1) {
        /* signed saturation: clamp the exact result to [min, max] */
        unsigned __int128 maxv = bm_ones(w - 1);
        json_t *raw =
            bm_mkexpr(op[1] == '+' ? "+" : "-", expr(b, e->a), expr(b, e->b));
        json_t *minv = bm_mkexpr("-", bm_hexstr(0), bm_hexstr(maxv + 1));
        json_t *inner = json_object();
        json_object_set_new(inner, "op", json_string("?"));
        json_object_set_new(inner, "left", json_deep_copy(minv));
        json_object_set_new(inner, "right", json_deep_copy(raw));
        json_object_set_new(inner, "cond",
                            bm_mkexpr("<", json_deep_copy(raw), minv));
        json_t *outer = json_object();
        json_object_set_new(outer, "op", json_string("?"));
        json_object_set_new(outer, "left", bm_hexstr(maxv));
        json_object_set_new(outer, "right", bm_typed("expression", inner));
        json_object_set_new(outer, "cond",
                            bm_mkexpr(">", raw, bm_hexstr(maxv)));
        return wrap(w, 1, bm_typed("expression", outer));
    }
    if (!strcmp(op, "|+|") || !strcmp(op, "|-|")) {
        /* saturating: BMv2 computes in arbitrary precision */
        json_t *raw =
            bm_mkexpr(op[1] == '+' ? "+" : "-", expr(b, e->a), expr(b, e->b));
        json_t *v = json_object();
        if (op[1] == '+') {
            json_object_set_new(v, "op", json_string("?"));
            json_object_set_new(v, "left", bm_hexstr(bm_ones(w)));
            json_object_set_new(v, "right", json_deep_copy(raw));
            json_object_set_new(v, "cond",
                                bm_mkexpr(">", raw, bm_hexstr(bm_ones(w))));
        } else {
            json_object_set_new(v, "op", json_string("?"));
            json_object_set_new(v, "left", raw);
            json_object_set_new(v, "right", bm_hexstr(0));
            json_object_set_new(v, "cond",
                                bm_mkexpr(">", expr(b, e->a), expr(b, e->b)));
        }
        return bm_typed("expression", v);
    }
    const char *bop = op;
    json_t *r = bm_mkexpr(bop, expr(b, e->a), expr(b, e->b));
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
            return r->is_bool ? bm_to_bool(bm_field_json(r)) : bm_field_json(r);
    }
    if (callee->kind == N_MEMBER && !strcmp(callee->name, "isValid")) {
        struct binding *h = bm_ref(b, callee->a);
        if (h && h->kind == B_HEADER && (h->dyn_index || h->index == -2))
            /* a stack element picked at run time, or stack.last */
            return bm_mkexpr("valid", NULL, bm_header_json(h));
        if (h && h->kind == B_HEADER && h->index >= 0)
            return bm_to_bool(
                bm_typed("field", json_pack("[ss]", h->hname, "$valid$")));
        if (h && h->kind == B_STRUCT) { /* a header union: any member */
            json_t *acc = NULL;
            for (int i = 0; i < h->order.n; i++) {
                struct binding *m = hmap_get(&h->members, h->order.v[i]->name);
                if (!m || m->kind != B_HEADER)
                    continue;
                json_t *v =
                    m->dyn_index
                        ? bm_mkexpr("valid", NULL, bm_header_json(m))
                        : bm_to_bool(bm_typed(
                              "field", json_pack("[ss]", m->hname, "$valid$")));
                acc = acc ? bm_mkexpr("or", acc, v) : v;
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
            return t->is_bool ? bm_to_bool(bm_field_json(t)) : bm_field_json(t);
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
    if (e->kind == N_MEMBER && e->a->kind == N_NAME && e->a->type &&
        (e->a->type->kind == N_STRUCT || e->a->type->kind == N_HEADER)) {
        /* a member of a parameter bound to a list or struct initializer
         * (a default argument { 0, 0 }): the initializer's element */
        struct binding *fb = frame_lookup(b, e->a->decl);
        struct node *init = fb && fb->kind == B_EXPR ? fb->expr : NULL;
        struct node *val = NULL;
        struct node *st = e->a->type;
        for (int i = 0; init && i < st->list.n; i++) {
            if (strcmp(st->list.v[i]->name, e->name))
                continue;
            if (init->kind == N_LIST && i < init->list.n)
                val = init->list.v[i];
            for (int j = 0; init->kind == N_STRUCT_INIT && j < init->list.n;
                 j++)
                if (!strcmp(init->list.v[j]->name, e->name))
                    val = init->list.v[j]->a;
        }
        if (val) {
            struct frame *saved = b->frame;
            b->frame = fb->expr_frame;
            json_t *j = expr(b, val);
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
                return bm_mkexpr(
                    "last_stack_index", NULL,
                    bm_typed("header_stack", json_string(s->hname)));
        }
        if (e->kind == N_MEMBER && e->a->kind == N_MEMBER && e->a->a->type &&
            e->a->a->type->kind == N_TSTACK && !strcmp(e->a->name, "last")) {
            struct binding *s = bm_ref(b, e->a->a);
            if (s)
                return bm_typed("stack_field",
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
                return bm_to_bool(bm_field_json(r));
            return bm_field_json(r);
        case B_RUNTIME:
            return bm_typed("runtime_data", json_integer(r->index));
        case B_HEADER:
            return bm_typed("header", json_string(r->hname));
        case B_STACK:
            return bm_typed("header_stack", json_string(r->hname));
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
            return bm_mkexpr("not", NULL, expr(b, e->a));
        if (!strcmp(e->op, "~"))
            return wrap(w, tsigned(e->type),
                        bm_mkexpr("~", NULL, expr(b, e->a)));
        if (!strcmp(e->op, "-"))
            return wrap(w, tsigned(e->type),
                        bm_mkexpr("-", bm_hexstr(0), expr(b, e->a)));
        return expr(b, e->a);
    }
    case N_TERNARY: {
        json_t *val = json_object();
        json_object_set_new(val, "op", json_string("?"));
        json_object_set_new(val, "left", expr(b, e->b));
        json_object_set_new(val, "right", expr(b, e->c));
        json_object_set_new(val, "cond", expr(b, e->a));
        return bm_typed("expression", val);
    }
    case N_CAST: {
        struct node *to = e->type, *from = e->b->type;
        if (to && to->kind == N_TBOOL) {
            if (from && from->kind == N_TBOOL)
                return expr(b, e->b);
            return bm_to_bool(expr(b, e->b));
        }
        if (from && from->kind == N_TBOOL)
            return bm_to_data(expr(b, e->b));
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
            return wrap((int)hi, 0,
                        bm_mkexpr(">>", expr(b, e->a), expr(b, e->c)));
        }
        if (!check_eval(b->c, e->b, &hi) || !check_eval(b->c, e->c, &lo))
            return bm_hexstr(0);
        return wrap((int)(hi - lo + 1), 0,
                    bm_mkexpr(">>", expr(b, e->a), bm_hexstr(lo)));
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
        return bm_to_bool(j);
    return j;
}
