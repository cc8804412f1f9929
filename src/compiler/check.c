/* check.c - name resolution, types and compile-time evaluation (check.h).
 *
 * One walk over the program with a chain of scopes: the top level (types,
 * constants, externs, functions, actions, parsers, controls, error and
 * match_kind members), then parameters and locals of parsers, controls,
 * actions and blocks. Every name gets its declaration, every expression its
 * type; what cannot be valid P4 is reported with a did-you-mean where a name is
 * unknown. The back end (bmv2/) relies on the decl and type fields. */
#include "compiler/check.h"

#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/hmap.h"
#include "lib/vec.h"

struct scope {
    struct hmap names;
    struct scope *up;
};

struct ck {
    struct cc *c;
    struct arena *A;
    struct scope *sc;
    struct node *errors;   /* N_ERROR_DECL holding every error member */
    struct node *error_ns; /* the value "error" in error.X */
    struct node *t_bool, *t_int, *t_string, *t_void, *t_error, *t_mk;
    struct node *cur_action;   /* action being checked (or NULL) */
    struct node *cur_block;    /* parser or control being checked */
    struct node *cur_function; /* function being checked (or NULL) */
    int in_parser;
};

static struct node *type_of(struct ck *k, struct node *e);
static void check_stmt(struct ck *k, struct node *s);
static struct node *canon(struct ck *k, struct node *t);

/* ---- scopes ---- */

static void
push_scope(struct ck *k)
{
    struct scope *s = xcalloc(1, sizeof *s);
    hmap_init(&s->names);
    s->up = k->sc;
    k->sc = s;
}

static void
pop_scope(struct ck *k)
{
    struct scope *s = k->sc;
    k->sc = s->up;
    hmap_destroy(&s->names);
    free(s);
}

static int
overloadable(struct node *d)
{
    return d->kind == N_FUNCTION || d->kind == N_METHOD;
}

static void
declare(struct ck *k, const char *name, struct node *d)
{
    if (!name)
        return;
    struct node *old = hmap_get(&k->sc->names, name);
    if (old && old != d) {
        if (overloadable(old) && overloadable(d)) {
            struct node *o = old;
            while (o->overload)
                o = o->overload;
            o->overload = d;
            return;
        }
        /* error and match_kind members may be declared again */
        if (old->kind == N_ENUM_MEMBER && d->kind == N_ENUM_MEMBER)
            return;
        cc_error(k->c, d->loc, "re-declaration of '%s'", name);
        cc_error(k->c, old->loc, "note: '%s' was declared here", name);
        return;
    }
    hmap_put(&k->sc->names, name, d, NULL);
}

static struct node *
lookup(struct ck *k, const char *name, int toplevel)
{
    struct scope *s = k->sc;
    if (toplevel)
        while (s->up)
            s = s->up;
    for (; s; s = s->up) {
        struct node *d = hmap_get(&s->names, name);
        if (d)
            return d;
    }
    return NULL;
}

/* "did you mean X?" over every visible name */
static const char *
suggest(struct ck *k, const char *name)
{
    VEC(const char *) cands = VEC_INIT;
    for (struct scope *s = k->sc; s; s = s->up) {
        const char *key;
        void *v;
        for (size_t i = 0; hmap_next(&s->names, &i, &key, &v);)
            VEC_PUSH(&cands, key);
    }
    const char *r = diag_suggest(name, cands.v, cands.n);
    VEC_FREE(&cands);
    return r;
}

static void
unknown_name(struct ck *k, struct node *at, const char *what, const char *name)
{
    const char *s = suggest(k, name);
    if (s)
        cc_error(k->c, at->loc, "%s '%s' is not declared; did you mean '%s'?",
                 what, name, s);
    else
        cc_error(k->c, at->loc, "%s '%s' is not declared", what, name);
}

/* ---- types ---- */

static struct node *
mk_type(struct ck *k, enum node_kind kind, struct loc loc)
{
    return node_new(k->A, kind, loc);
}

static struct node *
bit_type(struct ck *k, int width, int sign, struct loc loc)
{
    struct node *t = mk_type(k, N_TBIT, loc);
    t->width = width;
    t->flags = sign ? F_SIGNED : 0;
    return t;
}

int
check_width(struct node *t)
{
    if (!t)
        return 0;
    switch (t->kind) {
    case N_TBIT:
    case N_TVARBIT:
        return t->width;
    case N_TBOOL:
        return 1;
    case N_TERROR:
        return 32;
    case N_ENUM:
        return t->a ? check_width(t->a) : 32;
    case N_HEADER:
    case N_STRUCT: {
        int w = 0;
        for (int i = 0; i < t->list.n; i++)
            w += check_width(t->list.v[i]->type);
        return w;
    }
    default:
        return 0;
    }
}

static int
is_bits(struct node *t)
{
    return t && t->kind == N_TBIT;
}

static int
is_numeric(struct node *t)
{
    return t && (t->kind == N_TBIT || t->kind == N_TINT);
}

static int
is_typevar(struct node *t)
{
    return t && t->kind == N_TNAME;
}

static int eval(struct ck *k, struct node *e, unsigned __int128 *v);

static int
eval_width(struct ck *k, struct node *w, int *out)
{
    unsigned __int128 v;
    if (!w) {
        *out = 1;
        return 1;
    }
    type_of(k, w);
    if (!eval(k, w, &v)) {
        cc_error(k->c, w->loc, "width must be a compile-time constant");
        return 0;
    }
    if (v > 4096) {
        cc_error(k->c, w->loc, "width %llu is too large",
                 (unsigned long long)v);
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* Canonical type of a type expression (check.h). */
static struct node *
canon(struct ck *k, struct node *t)
{
    if (!t)
        return NULL;
    switch (t->kind) {
    case N_TBIT:
        if (t->a && !t->width) {
            int w;
            if (eval_width(k, t->a, &w)) {
                t->width = w;
                if (w == 0 && !(t->flags & F_SIGNED))
                    t->width = 0;
            }
            t->a = NULL;
        }
        return t;
    case N_TVARBIT:
        if (t->a && !t->width) {
            int w;
            if (eval_width(k, t->a, &w))
                t->width = w;
            t->a = NULL;
        }
        return t;
    case N_TNAME: {
        if (t->decl)
            return t->decl->kind == N_TNAME ? t->decl : t->decl;
        struct node *d = lookup(k, t->name, t->flags & F_TOPLEVEL);
        if (!d) {
            unknown_name(k, t, "type", t->name);
            t->decl = mk_type(k, N_TDONTCARE, t->loc);
            return t->decl;
        }
        for (int i = 0; i < t->targs.n; i++)
            t->targs.v[i] = canon(k, t->targs.v[i]);
        switch (d->kind) {
        case N_TYPEDEF:
        case N_NEWTYPE:
            if (!d->type)
                d->type = canon(k, d->a);
            t->decl = d->type ? d->type : d;
            return t->decl;
        case N_TNAME: /* a type parameter */
        case N_HEADER:
        case N_STRUCT:
        case N_HUNION:
        case N_ENUM:
        case N_EXTERN:
        case N_PARSER:
        case N_CONTROL:
        case N_PARSER_TYPE:
        case N_CONTROL_TYPE:
        case N_PACKAGE:
            /* a generic struct instance keeps its arguments on t */
            if (t->targs.n && (d->kind == N_STRUCT || d->kind == N_HEADER))
                return d;
            if (!t->targs.n && d->tparams.n &&
                (d->kind == N_STRUCT || d->kind == N_HEADER ||
                 d->kind == N_HUNION))
                cc_error(k->c, t->loc,
                         "%s %s is generic: give its type "
                         "arguments (%s<...>)",
                         node_kind_name(d->kind), d->name, d->name);
            t->decl = d;
            return d;
        default:
            cc_error(k->c, t->loc, "'%s' is not a type", t->name);
            t->decl = mk_type(k, N_TDONTCARE, t->loc);
            return t->decl;
        }
    }
    case N_TSTACK: {
        t->a = canon(k, t->a);
        if (t->b) {
            unsigned __int128 v;
            type_of(k, t->b);
            if (!eval(k, t->b, &v) || v == 0 || v > 65536)
                cc_error(k->c, t->b->loc,
                         "header stack size must be a positive constant");
            else
                t->width = (int)v;
            t->b = NULL;
        }
        return t;
    }
    case N_TTUPLE:
    case N_TLIST:
        for (int i = 0; i < t->targs.n; i++)
            t->targs.v[i] = canon(k, t->targs.v[i]);
        return t;
    default:
        return t;
    }
}

struct node *
check_canon(struct cc *c, struct node *t)
{
    (void)c;
    return t && t->kind == N_TNAME && t->decl ? t->decl : t;
}

/* Can a value of type from be used where type to is wanted (implicitly)? */
static int
assignable(struct node *to, struct node *from)
{
    if (!to || !from || to == from)
        return 1;
    if (is_typevar(to) && from->kind == N_TINT)
        return 0; /* an integer has no width to give a type variable */
    if (is_typevar(to) || is_typevar(from) || to->kind == N_TDONTCARE ||
        from->kind == N_TDONTCARE)
        return 1;
    if (from->kind == N_TINT)
        return to->kind == N_TBIT || to->kind == N_TINT;
    if (to->kind == N_TBIT && from->kind == N_TBIT)
        return to->width == from->width &&
               (to->flags & F_SIGNED) == (from->flags & F_SIGNED);
    if (to->kind == N_ENUM && from->kind == N_TBIT)
        return 0; /* needs a cast */
    if (from->kind == N_ENUM && to->kind == N_TBIT)
        return check_width(to) == check_width(from);
    if (to->kind != from->kind)
        return from->kind == N_TTUPLE || from->kind == N_TLIST ||
               from->kind == N_STRUCT_INIT;
    return 1;
}

static const char *
type_name(struct ck *k, struct node *t)
{
    if (!t)
        return "?";
    switch (t->kind) {
    case N_TBIT:
        return arena_printf(k->A, "%s<%d>", t->flags & F_SIGNED ? "int" : "bit",
                            t->width);
    case N_TVARBIT:
        return arena_printf(k->A, "varbit<%d>", t->width);
    case N_TSTACK:
        return arena_printf(k->A, "%s[%d]", type_name(k, t->a), t->width);
    case N_TINT:
        return "int";
    case N_TBOOL:
        return "bool";
    case N_TERROR:
        return "error";
    case N_TSTRING:
        return "string";
    case N_TVOID:
        return "void";
    default:
        if (t->name)
            return t->name;
        return node_kind_name(t->kind);
    }
}

/* ---- compile-time evaluation ---- */

static unsigned __int128
mask_to(unsigned __int128 v, int w)
{
    if (w <= 0 || w >= 128)
        return v;
    return v & (((unsigned __int128)1 << w) - 1);
}

static int
eval(struct ck *k, struct node *e, unsigned __int128 *v)
{
    if (!e)
        return 0;
    unsigned __int128 a, b;
    int w = is_bits(e->type) ? e->type->width : 0;
    switch (e->kind) {
    case N_INT:
        *v = e->ival;
        return 1;
    case N_BOOL:
        *v = e->ival;
        return 1;
    case N_NAME:
        if (e->decl && e->decl->kind == N_CONST && e->decl->b &&
            e->decl->b != e)
            return eval(k, e->decl->b, v);
        return 0;
    case N_MEMBER:
        if (e->decl && e->decl->kind == N_ENUM_MEMBER && e->decl->b) {
            if (!eval(k, e->decl->b, v))
                return 0;
            return 1;
        }
        return 0;
    case N_CAST:
        if (!eval(k, e->b, v))
            return 0;
        if (is_bits(e->type))
            *v = mask_to(*v, e->type->width);
        if (e->type && e->type->kind == N_TBOOL)
            *v = *v != 0;
        return 1;
    case N_UNOP:
        if (!eval(k, e->a, &a))
            return 0;
        if (!strcmp(e->op, "-"))
            *v = mask_to(-a, w);
        else if (!strcmp(e->op, "~"))
            *v = mask_to(~a, w);
        else if (!strcmp(e->op, "!"))
            *v = !a;
        else
            *v = a;
        return 1;
    case N_BINOP: {
        if (!eval(k, e->a, &a) || !eval(k, e->b, &b))
            return 0;
        const char *op = e->op;
        struct node *lt = e->a->type;
        if (lt && lt->kind == N_TBIT && (lt->flags & F_SIGNED) &&
            lt->width > 0 && lt->width < 128) {
            /* signed operands: compare and shift as two's complement */
            int sw = lt->width;
            __int128 sa = (__int128)(a << (128 - sw)) >> (128 - sw);
            __int128 sb = (__int128)(b << (128 - sw)) >> (128 - sw);
            int done = 1;
            if (!strcmp(op, "<"))
                *v = sa < sb;
            else if (!strcmp(op, ">"))
                *v = sa > sb;
            else if (!strcmp(op, "<="))
                *v = sa <= sb;
            else if (!strcmp(op, ">="))
                *v = sa >= sb;
            else if (!strcmp(op, ">>"))
                *v = mask_to((unsigned __int128)(b >= 128 ? (sa < 0 ? -1 : 0)
                                                          : sa >> (int)b),
                             sw);
            else
                done = 0;
            if (done)
                return 1;
        }
        if (!strcmp(op, "+"))
            *v = a + b;
        else if (!strcmp(op, "-"))
            *v = a - b;
        else if (!strcmp(op, "*"))
            *v = a * b;
        else if (!strcmp(op, "/") || !strcmp(op, "%")) {
            if (!b) {
                cc_error(k->c, e->loc, "division by zero");
                return 0;
            }
            *v = op[0] == '/' ? a / b : a % b;
        } else if (!strcmp(op, "&"))
            *v = a & b;
        else if (!strcmp(op, "|"))
            *v = a | b;
        else if (!strcmp(op, "^"))
            *v = a ^ b;
        else if (!strcmp(op, "<<"))
            *v = b >= 128 ? 0 : a << (int)b;
        else if (!strcmp(op, ">>"))
            *v = b >= 128 ? 0 : a >> (int)b;
        else if (!strcmp(op, "=="))
            *v = a == b;
        else if (!strcmp(op, "!="))
            *v = a != b;
        else if (!strcmp(op, "<"))
            *v = a < b;
        else if (!strcmp(op, ">"))
            *v = a > b;
        else if (!strcmp(op, "<="))
            *v = a <= b;
        else if (!strcmp(op, ">="))
            *v = a >= b;
        else if (!strcmp(op, "&&"))
            *v = a && b;
        else if (!strcmp(op, "||"))
            *v = a || b;
        else if (!strcmp(op, "++")) {
            int wb = is_bits(e->b->type) ? e->b->type->width : 0;
            *v = wb >= 128 ? b : (a << wb) | b;
        } else
            return 0;
        if (w && strcmp(op, "==") && strcmp(op, "!="))
            *v = mask_to(*v, w);
        return 1;
    }
    case N_TERNARY:
        if (!eval(k, e->a, &a))
            return 0;
        return eval(k, a ? e->b : e->c, v);
    case N_SLICE:
        if (!eval(k, e->a, &a) || !eval(k, e->b, &b))
            return 0;
        {
            unsigned __int128 lo;
            if (!eval(k, e->c, &lo))
                return 0;
            *v = mask_to(a >> (int)(lo & 127), (int)(b - lo + 1));
        }
        return 1;
    default:
        return 0;
    }
}

int
check_eval(struct cc *c, struct node *e, unsigned __int128 *v)
{
    struct ck k = {0};
    k.c = c;
    k.A = &c->arena;
    return eval(&k, e, v);
}

/* ---- expressions ---- */

static struct node *
set_type(struct node *e, struct node *t)
{
    e->type = t;
    return t;
}

/* The field named name of a struct-like type, or NULL. */
static struct node *
find_field(struct node *t, const char *name)
{
    for (int i = 0; t && i < t->list.n; i++)
        if (t->list.v[i]->name && !strcmp(t->list.v[i]->name, name))
            return t->list.v[i];
    return NULL;
}

static void
unknown_member(struct ck *k, struct node *e, struct node *t)
{
    VEC(const char *) cands = VEC_INIT;
    for (int i = 0; t && i < t->list.n; i++)
        if (t->list.v[i]->name)
            VEC_PUSH(&cands, t->list.v[i]->name);
    const char *s = diag_suggest(e->name, cands.v, cands.n);
    VEC_FREE(&cands);
    if (s)
        cc_error(k->c, e->loc, "'%s' is not a member of %s; did you mean '%s'?",
                 e->name, type_name(k, t), s);
    else
        cc_error(k->c, e->loc, "'%s' is not a member of %s", e->name,
                 type_name(k, t));
}

/* Methods of the built-in object types, as pseudo declarations: the type of
 * the member expression is a marker N_METHOD with the return type in a. */
static struct node *
builtin_method(struct ck *k, struct node *e, struct node *ret)
{
    struct node *m = mk_type(k, N_METHOD, e->loc);
    m->name = e->name;
    m->a = ret;
    m->flags |= F_CONST; /* built-in */
    return m;
}

static struct node *
member_type(struct ck *k, struct node *e)
{
    struct node *bt = type_of(k, e->a);
    struct node *base = e->a;
    if (!bt)
        return NULL;
    const char *m = e->name;
    /* error.X */
    if (bt == k->error_ns) {
        struct node *d = find_field(k->errors, m);
        if (!d) {
            unknown_member(k, e, k->errors);
            return k->t_error;
        }
        e->decl = d;
        return k->t_error;
    }
    /* Enum.Member: the base names an enum type */
    if (base->decl && base->decl->kind == N_ENUM && base->type == base->decl &&
        base->kind == N_NAME) {
        struct node *d = find_field(base->decl, m);
        if (!d) {
            unknown_member(k, e, base->decl);
            return base->decl;
        }
        e->decl = d;
        return base->decl;
    }
    switch (bt->kind) {
    case N_HEADER:
    case N_STRUCT:
    case N_HUNION: {
        if (!strcmp(m, "minSizeInBits") || !strcmp(m, "minSizeInBytes") ||
            !strcmp(m, "maxSizeInBits") || !strcmp(m, "maxSizeInBytes"))
            return builtin_method(k, e, k->t_int);
        if (bt->kind != N_STRUCT) {
            if (!strcmp(m, "isValid"))
                return builtin_method(k, e, k->t_bool);
            if (!strcmp(m, "setValid") || !strcmp(m, "setInvalid"))
                return builtin_method(k, e, k->t_void);
        }
        struct node *f = find_field(bt, m);
        if (!f) {
            unknown_member(k, e, bt);
            return NULL;
        }
        e->decl = f;
        return f->type;
    }
    case N_TSTACK:
        if (!strcmp(m, "next") || !strcmp(m, "last"))
            return bt->a;
        if (!strcmp(m, "lastIndex") && !k->in_parser)
            cc_error(k->c, e->loc,
                     "'lastIndex' of a stack can only be used in "
                     "a parser");
        if (!strcmp(m, "size") || !strcmp(m, "lastIndex"))
            return bit_type(k, 32, 0, e->loc);
        if (!strcmp(m, "push_front") || !strcmp(m, "pop_front"))
            return builtin_method(k, e, k->t_void);
        cc_error(k->c, e->loc, "header stacks have no member '%s'", m);
        return NULL;
    case N_EXTERN: {
        for (int i = 0; i < bt->list.n; i++) {
            struct node *md = bt->list.v[i];
            if (md->a && md->name && !strcmp(md->name, m)) {
                e->decl = md;
                return md;
            }
        }
        cc_error(k->c, e->loc, "extern %s has no method '%s'", bt->name, m);
        return NULL;
    }
    case N_TABLE:
        if (!strcmp(m, "apply")) {
            bt->flags |= F_ABSTRACT; /* marks the table as applied */
            struct node *r = builtin_method(k, e, mk_type(k, N_TABLE, e->loc));
            r->a->name = "apply_result";
            r->a->decl = bt;
            return r;
        }
        if (!strcmp(bt->name ? bt->name : "", "apply_result")) {
            if (!strcmp(m, "hit") || !strcmp(m, "miss"))
                return k->t_bool;
            if (!strcmp(m, "action_run"))
                return bt; /* switch labels are the table's actions */
        }
        cc_error(k->c, e->loc, "tables have no member '%s'", m);
        return NULL;
    case N_PARSER:
    case N_CONTROL:
    case N_PARSER_TYPE:
    case N_CONTROL_TYPE:
        if (!strcmp(m, "apply"))
            return builtin_method(k, e, k->t_void);
        cc_error(k->c, e->loc, "'%s' has no member '%s'", type_name(k, bt), m);
        return NULL;
    case N_TNAME:
    case N_TDONTCARE:
        return NULL; /* a type variable: anything goes */
    default:
        cc_error(k->c, e->loc, "%s has no member '%s'", type_name(k, bt), m);
        return NULL;
    }
}

/* Substitutes type parameters in t using the call's type arguments or the
 * types of arguments whose parameter type is that variable. */
static struct node *
subst_ret(struct node *fn, struct node *call, struct node *t)
{
    if (!t || t->kind != N_TNAME)
        return t;
    for (int i = 0; i < fn->tparams.n && i < call->targs.n; i++)
        if (fn->tparams.v[i] == t || (fn->tparams.v[i]->name && t->name &&
                                      !strcmp(fn->tparams.v[i]->name, t->name)))
            return call->targs.v[i];
    for (int i = 0; i < fn->params.n && i < call->args.n; i++) {
        struct node *pt = fn->params.v[i]->type;
        if (pt == t && call->args.v[i]->type)
            return call->args.v[i]->type;
    }
    return t;
}

/* Picks the overload of fn whose parameter count fits nargs. */
static struct node *
pick_overload(struct node *fn, int nargs)
{
    for (struct node *o = fn; o; o = o->overload) {
        int req = 0;
        for (int i = 0; i < o->params.n; i++)
            if (!o->params.v[i]->b)
                req++;
        if (nargs >= req && nargs <= o->params.n)
            return o;
    }
    return NULL;
}

static int is_lvalue(struct node *e);
static void coerce_int(struct node *e, struct node *t);

/* The parameter of fn an argument binds to (by name or position). */
static struct node *
param_for(struct node *fn, struct node *call, int i)
{
    struct node *a = call->args.v[i];
    if (a->kind == N_NAMED) {
        for (int j = 0; j < fn->params.n; j++)
            if (!strcmp(fn->params.v[j]->name, a->name))
                return fn->params.v[j];
        return NULL;
    }
    return i < fn->params.n ? fn->params.v[i] : NULL;
}

/* Directions and simple types of arguments (every callable). */
static void
check_arg_kinds(struct ck *k, struct node *call, struct node *fn)
{
    struct node *tv_type[16] = {0};
    for (int i = 0; i < call->args.n; i++) {
        struct node *a0 = call->args.v[i];
        struct node *p0 = param_for(fn, call, i);
        struct node *x0 = a0->kind == N_NAMED ? a0->a : a0;
        if (!p0 || !x0 || !x0->type || !p0->type || p0->type->kind != N_TNAME ||
            call->targs.n)
            continue;
        for (int t = 0; t < fn->tparams.n && t < 16; t++) {
            if (fn->tparams.v[t] != p0->type &&
                (!p0->type->name ||
                 strcmp(fn->tparams.v[t]->name, p0->type->name)))
                continue;
            struct node *seen = tv_type[t];
            if (!seen || seen->kind == N_TINT)
                tv_type[t] = x0->type;
            else if (x0->type->kind != N_TNAME && !assignable(seen, x0->type))
                cc_error(k->c, x0->loc,
                         "type %s of this argument conflicts with "
                         "%s inferred for %s",
                         type_name(k, x0->type), type_name(k, seen),
                         fn->tparams.v[t]->name);
        }
    }
    for (int i = 0; i < call->args.n; i++) {
        struct node *a = call->args.v[i];
        struct node *p = param_for(fn, call, i);
        struct node *x = a->kind == N_NAMED ? a->a : a;
        if (!p) {
            if (a->kind == N_NAMED)
                cc_error(k->c, a->loc, "'%s' has no parameter named '%s'",
                         fn->name ? fn->name : "?", a->name);
            continue;
        }
        for (int j = 0; j < i && a->kind == N_NAMED; j++)
            if (call->args.v[j]->kind == N_NAMED &&
                !strcmp(call->args.v[j]->name, a->name))
                cc_error(k->c, a->loc, "argument '%s' given twice", a->name);
        if (!x || x->kind == N_DONTCARE)
            continue;
        if ((p->flags & F_DIR_OUT) && x->type && !is_lvalue(x))
            cc_error(k->c, x->loc,
                     "argument for %s parameter '%s' must be "
                     "something that can be assigned",
                     (p->flags & F_DIR_IN) ? "inout" : "out", p->name);
        struct node *pt = p->type, *at = x->type;
        if (pt && at && pt->kind == N_TBOOL && at->kind != N_TBOOL &&
            !is_typevar(at))
            cc_error(k->c, x->loc, "argument '%s' must be bool, not %s",
                     p->name, type_name(k, at));
        else if (pt && at && is_bits(pt) && at->kind == N_TBOOL)
            cc_error(k->c, x->loc, "argument '%s' must be %s, not bool",
                     p->name, type_name(k, pt));
        else if (pt && at && (pt->kind == N_HEADER || pt->kind == N_STRUCT) &&
                 (at->kind == N_HEADER || at->kind == N_STRUCT) && pt != at)
            cc_error(k->c, x->loc, "argument '%s' must be %s %s, not %s",
                     p->name, node_kind_name(pt->kind), pt->name,
                     type_name(k, at));
        else if (pt && at && (pt->kind == N_STRUCT || pt->kind == N_HEADER) &&
                 (at->kind == N_TTUPLE || at->kind == N_TLIST) &&
                 x->kind != N_LIST)
            cc_error(k->c, x->loc, "argument '%s' must be %s %s, not a tuple",
                     p->name, node_kind_name(pt->kind), pt->name);
        else if (pt && at && pt->kind == N_TBIT && at->kind == N_TBIT &&
                 pt->width != at->width)
            cc_error(k->c, x->loc, "argument '%s' must be %s, not %s", p->name,
                     type_name(k, pt), type_name(k, at));
        else if (pt && at && pt->kind == N_TBIT && at->kind == N_TINT)
            coerce_int(x, pt);
    }
}

static void
check_args(struct ck *k, struct node *call, struct node *fn, int bound_ok)
{
    if (!fn)
        return;
    int named = call->args.n && call->args.v[0]->kind == N_NAMED;
    if (named)
        return;
    int req = 0;
    for (int i = 0; i < fn->params.n; i++)
        if (!fn->params.v[i]->b &&
            !(bound_ok && !(fn->params.v[i]->flags & F_DIR_INOUT)))
            req++;
    if (call->args.n > fn->params.n || (!bound_ok && call->args.n < req) ||
        (bound_ok && call->args.n < req)) {
        cc_error(k->c, call->loc, "%s '%s' expects %d argument%s, got %d",
                 node_kind_name(fn->kind), fn->name ? fn->name : "?",
                 fn->params.n, fn->params.n == 1 ? "" : "s", call->args.n);
        return;
    }
}

static struct node *
call_type(struct ck *k, struct node *e)
{
    for (int i = 0; i < e->targs.n; i++)
        e->targs.v[i] = canon(k, e->targs.v[i]);
    struct node *ct = type_of(k, e->a);
    for (int i = 0; i < e->args.n; i++) {
        struct node *a = e->args.v[i];
        if (a->kind == N_NAMED)
            type_of(k, a->a);
        else if (a->kind != N_DONTCARE)
            type_of(k, a);
        if (a->kind == N_NAMED)
            a->type = a->a ? a->a->type : NULL;
    }
    if (!ct)
        return NULL;
    struct node *d = e->a->decl;
    if (ct->kind == N_METHOD) {
        if (ct->flags & F_CONST) /* built-in method */
            return ct->a;
        struct node *m = pick_overload(ct, e->args.n);
        if (!m) {
            cc_error(k->c, e->loc, "no method '%s' takes %d argument%s",
                     ct->name, e->args.n, e->args.n == 1 ? "" : "s");
            return NULL;
        }
        e->decl = m;
        check_arg_kinds(k, e, m);
        if (!strcmp(ct->name, "extract") && m->parent && m->parent->name &&
            !strcmp(m->parent->name, "packet_in") && e->args.n) {
            struct node *x =
                e->args.v[0]->kind == N_NAMED ? e->args.v[0]->a : e->args.v[0];
            if (x->type && x->type->kind != N_HEADER &&
                x->type->kind != N_TNAME && x->type->kind != N_TDONTCARE)
                cc_error(k->c, x->loc, "extract() needs a header, not %s",
                         type_name(k, x->type));
        }
        return subst_ret(m, e, m->a ? canon(k, m->a) : NULL);
    }
    if (d && d->kind == N_FUNCTION) {
        struct node *f = pick_overload(d, e->args.n);
        if (!f) {
            cc_error(k->c, e->loc, "no function '%s' takes %d argument%s",
                     d->name, e->args.n, e->args.n == 1 ? "" : "s");
            return NULL;
        }
        e->decl = f;
        check_arg_kinds(k, e, f);
        return subst_ret(
            f, e, f->a ? f->a->type ? f->a->type : canon(k, f->a) : NULL);
    }
    if (d && d->kind == N_ACTION && d->params.n != e->args.n) {
        /* an action may hide an extern function of the same name */
        struct scope *top = k->sc;
        while (top->up)
            top = top->up;
        struct node *f = hmap_get(&top->names, d->name);
        if (f && f->kind == N_FUNCTION) {
            f = pick_overload(f, e->args.n);
            if (f) {
                e->decl = f;
                e->a->decl = f;
                return f->type;
            }
        }
    }
    if (d && d->kind == N_ACTION) {
        e->decl = d;
        check_args(k, e, d, 0);
        check_arg_kinds(k, e, d);
        return k->t_void;
    }
    if (ct->kind == N_EXTERN || ct->kind == N_PARSER || ct->kind == N_CONTROL ||
        ct->kind == N_PACKAGE || ct->kind == N_STRUCT || ct->kind == N_HEADER) {
        /* a constructor call (instantiation argument) */
        return ct;
    }
    if (ct->kind == N_TNAME || ct->kind == N_TDONTCARE)
        return NULL;
    cc_error(k->c, e->loc, "this expression cannot be called");
    return NULL;
}

static struct node *
name_type(struct ck *k, struct node *e)
{
    if (!strcmp(e->name, "error") && !(e->flags & F_TOPLEVEL))
        return k->error_ns;
    struct node *d = lookup(k, e->name, e->flags & F_TOPLEVEL);
    if (!d) {
        unknown_name(k, e, "name", e->name);
        return NULL;
    }
    e->decl = d;
    switch (d->kind) {
    case N_PARAM:
    case N_VAR:
    case N_CONST:
    case N_INSTANCE:
    case N_VALUE_SET:
        return d->type;
    case N_ENUM_MEMBER: /* match kinds */
        return k->t_mk;
    case N_TYPEDEF:
    case N_NEWTYPE: {
        struct node *t = d->type ? d->type : canon(k, d->a);
        e->decl = t;
        return t;
    }
    case N_TNAME:
        return d;
    case N_STATE:
        return NULL;
    default:
        return d; /* tables, actions, functions, types */
    }
}

/* Gives an infinite-precision integer expression the type it is used at
 * (p4c's type inference does the same), so constants fold at that width. */
static void
coerce_int(struct node *e, struct node *t)
{
    if (!e || !t || !e->type || e->type->kind != N_TINT || t->kind != N_TBIT)
        return;
    e->type = t;
    if (e->kind == N_UNOP || e->kind == N_BINOP) {
        coerce_int(e->a, t);
        if (e->kind == N_BINOP && strcmp(e->op, "<<") && strcmp(e->op, ">>"))
            coerce_int(e->b, t);
    } else if (e->kind == N_TERNARY) {
        coerce_int(e->b, t);
        coerce_int(e->c, t);
    }
}

static struct node *
binop_type(struct ck *k, struct node *e)
{
    struct node *l = type_of(k, e->a), *r = type_of(k, e->b);
    if (l && r && l->kind == N_TBIT && r->kind == N_TINT &&
        strcmp(e->op, "<<") && strcmp(e->op, ">>") && strcmp(e->op, "++"))
        coerce_int(e->b, l);
    else if (l && r && r->kind == N_TBIT && l->kind == N_TINT &&
             strcmp(e->op, "++"))
        coerce_int(e->a, r);
    const char *op = e->op;
    if (!strcmp(op, "&&") || !strcmp(op, "||")) {
        if ((l && l->kind != N_TBOOL && !is_typevar(l)) ||
            (r && r->kind != N_TBOOL && !is_typevar(r)))
            cc_error(k->c, e->loc, "operands of '%s' must be bool", op);
        return k->t_bool;
    }
    if (!strcmp(op, "==") || !strcmp(op, "!=")) {
        if ((l && l->kind == N_EXTERN) || (r && r->kind == N_EXTERN))
            cc_error(k->c, e->loc, "extern instances cannot be compared");
        else if (l && r &&
                 ((l->kind == N_ENUM && !l->a && r->kind != N_ENUM) ||
                  (r->kind == N_ENUM && !r->a && l->kind != N_ENUM)))
            cc_error(k->c, e->loc, "%s cannot be compared to %s",
                     type_name(k, l), type_name(k, r));
        else if (l && r && is_bits(l) && is_bits(r) && l->width != r->width)
            cc_error(k->c, e->loc,
                     "cannot compare %s and %s: widths differ (add a cast)",
                     type_name(k, l), type_name(k, r));
        return k->t_bool;
    }
    if (!strcmp(op, "<") || !strcmp(op, ">") || !strcmp(op, "<=") ||
        !strcmp(op, ">=")) {
        if ((l && !is_numeric(l) && !is_typevar(l)) ||
            (r && !is_numeric(r) && !is_typevar(r)))
            cc_error(k->c, e->loc, "operands of '%s' must be numbers", op);
        else if (is_bits(l) && is_bits(r) && l->width != r->width)
            cc_error(k->c, e->loc,
                     "cannot compare %s and %s: widths differ (add a cast)",
                     type_name(k, l), type_name(k, r));
        return k->t_bool;
    }
    if (!strcmp(op, "++")) {
        if (l && r && is_bits(l) && is_bits(r))
            return bit_type(k, l->width + r->width, l->flags & F_SIGNED,
                            e->loc);
        if ((l && l->kind == N_TINT) || (r && r->kind == N_TINT))
            cc_error(k->c, e->loc, "'++' needs operands of known width");
        return NULL;
    }
    if (!strcmp(op, "<<") || !strcmp(op, ">>")) {
        unsigned __int128 sh;
        if (l && !is_numeric(l) && !is_typevar(l))
            cc_error(k->c, e->loc, "cannot shift a %s", type_name(k, l));
        else if (is_bits(l) && l->width && eval(k, e->b, &sh) &&
                 sh >= (unsigned)l->width)
            cc_warning(k->c, e->loc,
                       "shifting a %s by %llu bits always gives "
                       "%s",
                       type_name(k, l), (unsigned long long)sh,
                       !strcmp(op, ">>") && (l->flags & F_SIGNED) ? "0 or -1"
                                                                  : "0");
        if (r && is_bits(r) && (r->flags & F_SIGNED))
            cc_error(k->c, e->loc, "the shift amount must be unsigned");
        return l;
    }
    /* arithmetic and bitwise */
    if ((l && !is_numeric(l) && !is_typevar(l) && !(l->kind == N_ENUM && 0)) ||
        (r && !is_numeric(r) && !is_typevar(r))) {
        cc_error(k->c, e->loc, "operands of '%s' must be numbers, not %s", op,
                 type_name(k, l && !is_numeric(l) ? l : r));
        return NULL;
    }
    if ((!strcmp(op, "/") || !strcmp(op, "%")) &&
        ((l && l->kind == N_TBIT && (l->flags & F_SIGNED)) ||
         (r && r->kind == N_TBIT && (r->flags & F_SIGNED))))
        cc_error(k->c, e->loc, "'%s' is not defined on signed values", op);
    if ((!strcmp(op, "/") || !strcmp(op, "%")) &&
        ((e->a->kind == N_UNOP && !strcmp(e->a->op, "-")) ||
         (e->b->kind == N_UNOP && !strcmp(e->b->op, "-"))))
        cc_error(k->c, e->loc, "'%s' is not defined for negative numbers", op);
    if (is_bits(l) && is_bits(r)) {
        if (l->width != r->width ||
            (l->flags & F_SIGNED) != (r->flags & F_SIGNED))
            cc_error(k->c, e->loc,
                     "operands of '%s' have different types %s and %s "
                     "(add a cast)",
                     op, type_name(k, l), type_name(k, r));
        return l;
    }
    if (is_bits(l))
        return l;
    if (is_bits(r))
        return r;
    return l ? l : r;
}

static struct node *
type_of(struct ck *k, struct node *e)
{
    if (!e)
        return NULL;
    if (e->type)
        return e->type;
    struct node *t = NULL;
    switch (e->kind) {
    case N_INT:
        if (e->flags & F_HAS_WIDTH) {
            t = bit_type(k, e->width, e->flags & F_SIGNED, e->loc);
            if (e->width < 128 && e->width >= 0 && (e->ival >> e->width) != 0 &&
                !(e->flags & F_SIGNED))
                cc_warning(k->c, e->loc, "value does not fit in %d bits",
                           e->width);
        } else {
            t = k->t_int;
        }
        break;
    case N_BOOL:
        t = k->t_bool;
        break;
    case N_STRING:
        t = k->t_string;
        break;
    case N_NAME:
        t = name_type(k, e);
        break;
    case N_MEMBER:
        t = member_type(k, e);
        break;
    case N_INDEX: {
        struct node *bt = type_of(k, e->a);
        type_of(k, e->b);
        if (bt && bt->kind == N_TSTACK) {
            unsigned __int128 v;
            if (eval(k, e->b, &v) && bt->width && v >= (unsigned)bt->width)
                cc_error(k->c, e->b->loc, "index %llu is out of bounds of %s",
                         (unsigned long long)v, type_name(k, bt));
            t = bt->a;
        } else if (bt && (bt->kind == N_TTUPLE || bt->kind == N_TLIST)) {
            unsigned __int128 v;
            if (e->b->kind == N_UNOP && !strcmp(e->b->op, "-"))
                cc_error(k->c, e->b->loc, "a tuple index cannot be negative");
            else if (!eval(k, e->b, &v))
                cc_error(k->c, e->b->loc, "a tuple index must be a constant");
            else if (v >= (unsigned)bt->targs.n)
                cc_error(k->c, e->b->loc, "tuple index %d is out of range",
                         (int)v);
            else
                t = bt->targs.v[(int)v];
        } else if (bt && !is_typevar(bt)) {
            cc_error(k->c, e->loc, "%s cannot be indexed", type_name(k, bt));
        }
        break;
    }
    case N_SLICE: {
        struct node *bt = type_of(k, e->a);
        type_of(k, e->b);
        type_of(k, e->c);
        unsigned __int128 hi, lo;
        if (e->op) { /* a[lo +: w]: c = lo, b = width */
            if (!eval(k, e->b, &hi)) {
                cc_error(k->c, e->b->loc, "the width of '+:' must be constant");
                break;
            }
            t = bit_type(k, (int)hi, 0, e->loc);
            break;
        }
        if (!eval(k, e->b, &hi) || !eval(k, e->c, &lo)) {
            cc_error(k->c, e->loc,
                     "slice bounds must be compile-time constants");
            break;
        }
        if (bt && !is_numeric(bt) && !is_typevar(bt)) {
            cc_error(k->c, e->loc, "cannot slice a %s", type_name(k, bt));
            break;
        }
        if (hi < lo || (is_bits(bt) && hi >= (unsigned)bt->width)) {
            cc_error(k->c, e->loc, "slice [%llu:%llu] is out of range of %s",
                     (unsigned long long)hi, (unsigned long long)lo,
                     type_name(k, bt));
            break;
        }
        t = bit_type(k, (int)(hi - lo + 1), 0, e->loc);
        break;
    }
    case N_CALL:
        t = call_type(k, e);
        break;
    case N_UNOP: {
        struct node *a = type_of(k, e->a);
        if (!strcmp(e->op, "!")) {
            if (a && a->kind != N_TBOOL && !is_typevar(a))
                cc_error(k->c, e->loc, "'!' needs a bool, not %s",
                         type_name(k, a));
            t = k->t_bool;
        } else {
            if (a && !is_numeric(a) && !is_typevar(a))
                cc_error(k->c, e->loc, "'%s' needs a number, not %s", e->op,
                         type_name(k, a));
            t = a;
        }
        break;
    }
    case N_BINOP:
        t = binop_type(k, e);
        break;
    case N_TERNARY: {
        struct node *c = type_of(k, e->a);
        if (c && c->kind != N_TBOOL && !is_typevar(c))
            cc_error(k->c, e->a->loc, "the condition of '?:' must be bool");
        struct node *b = type_of(k, e->b), *d = type_of(k, e->c);
        t = b && b->kind != N_TINT ? b : d;
        break;
    }
    case N_CAST: {
        e->a = canon(k, e->a);
        struct node *from = type_of(k, e->b);
        t = e->a;
        if (from && t && from->kind == N_TBOOL && is_bits(t) && t->width != 1)
            cc_error(k->c, e->loc, "cannot cast bool to %s", type_name(k, t));
        else if (t && (t->kind == N_TVARBIT || t->kind == N_TSTRING ||
                       t->kind == N_TTUPLE || t->kind == N_TSTACK))
            cc_error(k->c, e->loc, "cast to %s is not supported",
                     type_name(k, t));
        else if (t && from && is_bits(t) && is_bits(from) &&
                 (t->flags & F_SIGNED) != (from->flags & F_SIGNED) &&
                 t->width != from->width)
            cc_error(k->c, e->loc,
                     "cannot cast %s to %s: change the sign and the "
                     "width in two casts",
                     type_name(k, from), type_name(k, t));
        else if (t && (t->kind == N_HEADER || t->kind == N_STRUCT) &&
                 e->b->kind == N_STRUCT_INIT) {
            for (int i = 0; i < e->b->list.n; i++)
                if (!find_field(t, e->b->list.v[i]->name))
                    cc_error(k->c, e->b->list.v[i]->loc, "%s has no field '%s'",
                             type_name(k, t), e->b->list.v[i]->name);
        } else if (t && t->kind == N_ENUM && !t->a && from)
            cc_error(k->c, e->loc,
                     "cannot cast to enum %s (it has no "
                     "underlying type)",
                     t->name);
        break;
    }
    case N_LIST: {
        t = mk_type(k, N_TTUPLE, e->loc);
        for (int i = 0; i < e->list.n; i++)
            nlist_push(k->A, &t->targs, type_of(k, e->list.v[i]));
        break;
    }
    case N_STRUCT_INIT:
        for (int i = 0; i < e->list.n; i++)
            type_of(k, e->list.v[i]->a);
        t = mk_type(k, N_STRUCT_INIT, e->loc);
        break;
    case N_NAMED:
        t = type_of(k, e->a);
        break;
    case N_MASK:
    case N_RANGE: {
        struct node *l = type_of(k, e->a), *r = type_of(k, e->b);
        if (l && r && is_bits(l) && is_bits(r) &&
            (l->width != r->width ||
             (l->flags & F_SIGNED) != (r->flags & F_SIGNED)))
            cc_error(k->c, e->loc,
                     "the operands of '%s' have different types "
                     "%s and %s",
                     e->kind == N_MASK ? "&&&" : "..", type_name(k, l),
                     type_name(k, r));
        t = l && l->kind != N_TINT ? l : r;
        break;
    }
    case N_TYPEARG:
        e->a = canon(k, e->a);
        t = e->a;
        break;
    case N_DEFAULT:
    case N_DONTCARE:
        t = mk_type(k, N_TDONTCARE, e->loc);
        break;
    default:
        break;
    }
    return set_type(e, t);
}

/* ---- statements and declarations ---- */

static int
is_lvalue(struct node *e)
{
    switch (e->kind) {
    case N_NAME:
        return e->decl &&
               ((e->decl->kind == N_PARAM && (e->decl->flags & F_DIR_OUT)) ||
                e->decl->kind == N_VAR ||
                (e->decl->kind == N_PARAM && !(e->decl->flags & F_DIR_INOUT) &&
                 e->decl->parent && e->decl->parent->kind == N_ACTION));
    case N_MEMBER:
        if (e->a->type && e->a->type->kind == N_TSTACK)
            return !strcmp(e->name, "next") || !strcmp(e->name, "last");
        return e->decl && e->decl->kind == N_FIELD && is_lvalue(e->a);
    case N_INDEX:
    case N_SLICE:
        return is_lvalue(e->a);
    case N_DONTCARE:
        return 1;
    default:
        return 0;
    }
}

/* Where a call may appear (spec: verify in parsers, no action calls in
 * parsers or functions, no table apply inside actions). */
static void
check_call_context(struct ck *k, struct node *call)
{
    struct node *d = call->decl ? call->decl : call->a->decl;
    struct node *callee = call->a;
    if (d && d->kind == N_FUNCTION && !d->b && !strcmp(d->name, "verify") &&
        !k->in_parser)
        cc_error(k->c, call->loc, "verify() may only be called in parsers");
    if (d && d->kind == N_ACTION) {
        if (k->in_parser)
            cc_error(k->c, call->loc, "actions cannot be called from parsers");
        else if (k->cur_function)
            cc_error(k->c, call->loc, "functions cannot call actions");
    }
    if (callee->kind == N_MEMBER && !strcmp(callee->name, "apply") &&
        callee->a->decl && callee->a->decl == k->cur_block)
        cc_error(k->c, call->loc, "%s cannot apply itself", k->cur_block->name);
    if (callee->kind == N_MEMBER && !strcmp(callee->name, "apply") &&
        k->cur_action && callee->a->type && callee->a->type->kind == N_TABLE)
        cc_error(k->c, call->loc, "tables cannot be applied from actions");
    if (callee->kind == N_MEMBER && !strcmp(callee->name, "lastIndex") &&
        !k->in_parser)
        cc_error(k->c, call->loc, "'lastIndex' can only be used in a parser");
}

static void
check_cond(struct ck *k, struct node *e)
{
    struct node *t = type_of(k, e);
    if (t && t->kind != N_TBOOL && !is_typevar(t))
        cc_error(k->c, e->loc, "the condition must be bool, not %s",
                 type_name(k, t));
}

/* A list or {name = value} initializer for a header or struct type t. */
static void
check_initializer(struct ck *k, struct node *t, struct node *init)
{
    if (!t || !init || (t->kind != N_HEADER && t->kind != N_STRUCT))
        return;
    if (init->kind == N_STRUCT_INIT) {
        for (int i = 0; i < init->list.n; i++) {
            struct node *f = find_field(t, init->list.v[i]->name);
            if (!f)
                cc_error(k->c, init->list.v[i]->loc, "%s has no field '%s'",
                         type_name(k, t), init->list.v[i]->name);
            else if (!assignable(f->type, init->list.v[i]->a->type))
                cc_error(k->c, init->list.v[i]->loc, "field '%s' is %s, not %s",
                         f->name, type_name(k, f->type),
                         type_name(k, init->list.v[i]->a->type));
        }
        if (init->list.n != t->list.n && t->list.n)
            cc_error(k->c, init->loc,
                     "the initializer gives %d of the %d fields "
                     "of %s",
                     init->list.n, t->list.n, type_name(k, t));
    } else if (init->kind == N_LIST) {
        if (init->list.n != t->list.n)
            cc_error(k->c, init->loc, "%s has %d fields, the list %d",
                     type_name(k, t), t->list.n, init->list.n);
        for (int i = 0; i < init->list.n && i < t->list.n; i++)
            if (!assignable(t->list.v[i]->type, init->list.v[i]->type))
                cc_error(k->c, init->list.v[i]->loc, "field '%s' is %s, not %s",
                         t->list.v[i]->name, type_name(k, t->list.v[i]->type),
                         type_name(k, init->list.v[i]->type));
    }
}

/* A constant assigned to a narrower bit<W> loses its high bits. */
static void
warn_if_too_wide(struct ck *k, struct node *t, struct node *e)
{
    unsigned __int128 v;
    if (!t || !e || !is_bits(t) || (t->flags & F_SIGNED) || !t->width ||
        t->width >= 128 || e->kind != N_INT || (e->flags & F_HAS_WIDTH))
        return;
    if (eval(k, e, &v) && (e->ival >> t->width))
        cc_warning(k->c, e->loc, "%s does not fit in %s: it is truncated",
                   e->str ? e->str : "this value", type_name(k, t));
}

static void
check_var(struct ck *k, struct node *v)
{
    v->type = canon(k, v->a);
    if (v->b) {
        struct node *it = type_of(k, v->b);
        check_initializer(k, v->type, v->b);
        warn_if_too_wide(k, v->type, v->b);
        if (!assignable(v->type, it))
            cc_error(k->c, v->b->loc, "cannot initialize %s '%s' with a %s",
                     type_name(k, v->type), v->name, type_name(k, it));
    }
    if (v->type && v->type->kind == N_TINT && v->kind == N_VAR)
        cc_error(k->c, v->loc, "variable '%s' needs a type with a width",
                 v->name);
    declare(k, v->name, v);
}

static void
check_block(struct ck *k, struct node *b)
{
    push_scope(k);
    for (int i = 0; i < b->list.n; i++)
        check_stmt(k, b->list.v[i]);
    pop_scope(k);
}

static void
check_stmt(struct ck *k, struct node *s)
{
    if (!s)
        return;
    switch (s->kind) {
    case N_BLOCK:
        check_block(k, s);
        break;
    case N_ASSIGN: {
        struct node *l = type_of(k, s->a);
        struct node *r = type_of(k, s->b);
        if (s->b->kind == N_NAME && s->b->decl &&
            (s->b->decl->kind == N_HEADER || s->b->decl->kind == N_STRUCT ||
             s->b->decl->kind == N_HUNION || s->b->decl->kind == N_TBIT ||
             s->b->decl->kind == N_EXTERN || s->b->decl->kind == N_ENUM))
            cc_error(k->c, s->b->loc, "%s is a type; a value is expected here",
                     s->b->name);
        coerce_int(s->b, l);
        check_initializer(k, l, s->b);
        warn_if_too_wide(k, l, s->b);
        if (l && r && (l->kind == N_HEADER || l->kind == N_STRUCT) &&
            (r->kind == N_TTUPLE || r->kind == N_TLIST) && s->b->kind != N_LIST)
            cc_error(k->c, s->b->loc, "cannot assign a tuple to %s %s",
                     node_kind_name(l->kind), l->name);
        if (l && !is_lvalue(s->a))
            cc_error(k->c, s->a->loc,
                     "this expression cannot be the target of an assignment");
        else if (strcmp(s->op, "=") == 0 && !assignable(l, r))
            cc_error(k->c, s->b->loc, "cannot assign a %s to a %s",
                     type_name(k, r), type_name(k, l));
        break;
    }
    case N_CALL_STMT:
        type_of(k, s->a);
        if (s->a->kind == N_CALL)
            check_call_context(k, s->a);
        break;
    case N_IF:
        check_cond(k, s->a);
        check_stmt(k, s->b);
        check_stmt(k, s->c);
        break;
    case N_SWITCH: {
        struct node *t = type_of(k, s->a);
        int ndefault = 0;
        for (int i = 0; i < s->list.n; i++) {
            struct node *cs = s->list.v[i];
            if (!cs->a && ndefault++)
                cc_error(k->c, cs->loc,
                         "switch has more than one default label");
            else if (cs->a && ndefault)
                cc_error(k->c, cs->loc,
                         "a switch label follows 'default', "
                         "which must be last");
            for (int j = 0; cs->a && j < i; j++) {
                struct node *o = s->list.v[j]->a;
                if (!o)
                    continue;
                if (o->kind == N_NAME && cs->a->kind == N_NAME &&
                    !strcmp(o->name, cs->a->name))
                    cc_error(k->c, cs->loc, "duplicate switch label %s",
                             cs->a->name);
                else if (o->kind == N_MEMBER && cs->a->kind == N_MEMBER &&
                         !strcmp(o->name, cs->a->name) &&
                         o->a->kind == N_NAME && cs->a->a->kind == N_NAME &&
                         !strcmp(o->a->name, cs->a->a->name))
                    cc_error(k->c, cs->loc, "duplicate switch label %s.%s",
                             cs->a->a->name, cs->a->name);
            }
            if (cs->a) {
                if (t && t->kind == N_TABLE && t->decl &&
                    cs->a->kind == N_NAME) {
                    /* action_run labels name actions of the table */
                    struct node *d = lookup(k, cs->a->name, 0);
                    if (!d || d->kind != N_ACTION)
                        unknown_name(k, cs->a, "action", cs->a->name);
                    cs->a->decl = d;
                } else {
                    struct node *lt = type_of(k, cs->a);
                    if (t && lt && t->kind != N_TABLE && !assignable(t, lt))
                        cc_error(k->c, cs->a->loc,
                                 "switch label of type %s "
                                 "does not match %s",
                                 type_name(k, lt), type_name(k, t));
                }
            }
            if (cs->b)
                check_block(k, cs->b);
        }
        break;
    }
    case N_RETURN: {
        struct node *rt = type_of(k, s->a);
        struct node *want = k->cur_function ? k->cur_function->type : NULL;
        if (s->a && k->cur_action && !k->cur_function)
            cc_error(k->c, s->loc, "an action cannot return a value");
        else if (k->cur_function && s->a && want && want->kind == N_TVOID)
            cc_error(k->c, s->loc, "function %s returns void",
                     k->cur_function->name);
        else if (k->cur_function && !s->a && want && want->kind != N_TVOID)
            cc_error(k->c, s->loc, "function %s must return a %s",
                     k->cur_function->name, type_name(k, want));
        else if (k->cur_function && want && rt && !assignable(want, rt))
            cc_error(k->c, s->a->loc, "function %s returns %s, not %s",
                     k->cur_function->name, type_name(k, want),
                     type_name(k, rt));
        break;
    }
    case N_VAR:
        check_var(k, s);
        break;
    case N_CONST:
        check_var(k, s);
        break;
    case N_FOR:
        push_scope(k);
        if (s->flags & F_CONST) {
            type_of(k, s->b);
            check_var(k, s->a);
        } else {
            for (int i = 0; s->a && i < s->a->list.n; i++)
                check_stmt(k, s->a->list.v[i]);
            if (s->b)
                check_cond(k, s->b);
            check_stmt(k, s->c);
        }
        for (int i = 0; i < s->list.n; i++)
            check_stmt(k, s->list.v[i]);
        pop_scope(k);
        break;
    case N_INSTANCE:
        cc_error(k->c, s->loc,
                 "'%s': instantiations cannot be in an apply block or action "
                 "body (declare it before 'apply')",
                 s->name);
        break;
    default:
        break;
    }
}

static void
declare_params(struct ck *k, struct nlist *ps, struct node *owner)
{
    for (int i = 0; i < ps->n; i++) {
        struct node *p = ps->v[i];
        p->parent = owner;
        p->type = canon(k, p->a);
        if (p->b)
            type_of(k, p->b);
        if (p->b && (p->flags & F_DIR_OUT))
            cc_error(k->c, p->loc,
                     "'%s': out parameters cannot have default "
                     "values",
                     p->name);
        if (p->type && owner && owner->kind != N_PACKAGE &&
            (p->type->kind == N_TABLE ||
             ((p->type->kind == N_CONTROL || p->type->kind == N_PARSER ||
               p->type->kind == N_CONTROL_TYPE ||
               p->type->kind == N_PARSER_TYPE || p->type->kind == N_PACKAGE) &&
              ps == &owner->params && owner->kind != N_METHOD)))
            cc_error(k->c, p->loc, "'%s': a parameter cannot have type %s %s",
                     p->name, node_kind_name(p->type->kind),
                     p->type->name ? p->type->name : "");
        if (p->type && owner && ps == &owner->ctor &&
            (p->type->kind == N_CONTROL || p->type->kind == N_PARSER))
            cc_error(k->c, p->loc,
                     "'%s': a parameter cannot have type %s %s "
                     "(use a %s type declaration)",
                     p->name, node_kind_name(p->type->kind), p->type->name,
                     node_kind_name(p->type->kind));
        if (p->type && p->type->kind == N_EXTERN && (p->flags & F_DIR_INOUT))
            cc_error(k->c, p->loc,
                     "'%s': a parameter of extern type %s cannot "
                     "have a direction",
                     p->name, p->type->name);
        if (p->type && p->type->kind == N_TSTRING && (p->flags & F_DIR_INOUT))
            cc_error(k->c, p->loc,
                     "'%s': a parameter of type string cannot "
                     "have a direction",
                     p->name);
        declare(k, p->name, p);
    }
}

static void
declare_tparams(struct ck *k, struct nlist *tps)
{
    for (int i = 0; i < tps->n; i++)
        declare(k, tps->v[i]->name, tps->v[i]);
}

static void
check_action(struct ck *k, struct node *a)
{
    push_scope(k);
    declare_params(k, &a->params, a);
    struct node *saved = k->cur_action;
    k->cur_action = a;
    if (a->b)
        check_block(k, a->b);
    k->cur_action = saved;
    pop_scope(k);
}

static void
check_instance(struct ck *k, struct node *n)
{
    n->type = canon(k, n->a);
    if (n->type && (n->type->kind == N_STRUCT || n->type->kind == N_HEADER ||
                    n->type->kind == N_HUNION || n->type->kind == N_TBIT ||
                    n->type->kind == N_ENUM || n->type->kind == N_TBOOL))
        cc_error(k->c, n->loc, "%s: cannot instantiate objects of type %s",
                 n->name, type_name(k, n->type));
    for (int i = 0; i < n->args.n; i++) {
        struct node *a = n->args.v[i];
        type_of(k, a->kind == N_NAMED ? a->a : a);
    }
    if (n->type && n->type->kind == N_EXTERN && n->b) {
        int has_abstract = 0;
        for (int i = 0; i < n->type->list.n; i++)
            if (n->type->list.v[i]->flags & F_ABSTRACT)
                has_abstract = 1;
        if (!has_abstract)
            cc_error(k->c, n->loc,
                     "'%s': instance initializers for extern "
                     "without abstract methods",
                     n->name);
        push_scope(k);
        declare(k, "this", n);
        for (int i = 0; i < n->b->list.n; i++) {
            struct node *f = n->b->list.v[i];
            if (f->kind == N_FUNCTION) {
                push_scope(k);
                declare_tparams(k, &f->tparams);
                f->type = canon(k, f->a);
                declare_params(k, &f->params, f);
                if (f->b)
                    check_block(k, f->b);
                pop_scope(k);
            }
        }
        pop_scope(k);
    }
}

static struct node *
table_prop(struct node *t, const char *name)
{
    for (int i = 0; i < t->list.n; i++)
        if (!strcmp(t->list.v[i]->name, name))
            return t->list.v[i];
    return NULL;
}

/* Table-level rules: actions present, default action listed, no duplicates,
 * entries after the key, priorities only where keys need them. */
static void
check_table_rules(struct ck *k, struct node *t)
{
    struct node *acts = table_prop(t, "actions");
    struct node *dflt = table_prop(t, "default_action");
    struct node *keys = table_prop(t, "key");
    if (!acts) {
        cc_error(k->c, t->loc, "table %s: expected an 'actions' property",
                 t->name);
        return;
    }
    struct nlist *al = acts->a ? &acts->a->list : NULL;
    for (int i = 0; al && i < al->n; i++)
        for (int j = 0; j < i; j++)
            if (al->v[i]->decl && al->v[i]->decl == al->v[j]->decl)
                cc_error(k->c, al->v[i]->loc,
                         "action %s is listed twice in "
                         "table %s",
                         al->v[i]->decl->name, t->name);
    if (!dflt) {
        struct node *na = lookup(k, "NoAction", 1);
        if (!na || na->kind != N_ACTION)
            cc_error(k->c, t->loc,
                     "table %s has no default_action and the "
                     "action NoAction is not declared (did you "
                     "include core.p4?)",
                     t->name);
        else if (na->params.n)
            cc_error(k->c, na->loc,
                     "NoAction: expected an action with no "
                     "parameters (did you include core.p4?)");
    } else if (dflt->a && dflt->a->decl && al) {
        int found = 0;
        for (int i = 0; i < al->n; i++)
            if (al->v[i]->decl == dflt->a->decl)
                found = 1;
        if (!found)
            cc_error(k->c, dflt->a->loc,
                     "default action %s is not in the "
                     "actions list of table %s",
                     dflt->a->decl->name, t->name);
    }
    int kpos = -1, epos = -1;
    for (int i = 0; i < t->list.n; i++) {
        if (!strcmp(t->list.v[i]->name, "key"))
            kpos = i;
        if (!strcmp(t->list.v[i]->name, "entries"))
            epos = i;
    }
    if (epos >= 0 && kpos > epos)
        cc_error(k->c, t->list.v[epos]->loc,
                 "table %s: the entries must come "
                 "after the key",
                 t->name);
    if (epos >= 0 && keys && keys->a) {
        int needs_prio = 0;
        for (int i = 0; i < keys->a->list.n; i++) {
            const char *mk = keys->a->list.v[i]->name;
            if (!strcmp(mk, "ternary") || !strcmp(mk, "range") ||
                !strcmp(mk, "optional"))
                needs_prio = 1;
        }
        struct node *el = t->list.v[epos]->a;
        for (int i = 0; el && i < el->list.n; i++) {
            struct node *en = el->list.v[i];
            struct node *ead = en->b ? en->b->decl : NULL;
            for (int j = 0; ead && al && j < al->n; j++)
                if (al->v[j]->decl == ead &&
                    node_annot(al->v[j], "defaultonly"))
                    cc_error(k->c, en->loc,
                             "action %s is @defaultonly in table "
                             "%s and cannot be used in an entry",
                             ead->name, t->name);
            if (en->c && !needs_prio)
                cc_error(k->c, en->c->loc,
                         "table %s: its key match kinds need "
                         "no priorities, but this entry has "
                         "one",
                         t->name);
            /* default/_ and masks on exact keys, masks on lpm */
            struct node *ks = en->a;
            int nv = ks && ks->kind == N_LIST ? ks->list.n : 1;
            for (int x = 0; ks && x < nv && x < keys->a->list.n; x++) {
                struct node *v = ks->kind == N_LIST ? ks->list.v[x] : ks;
                const char *mk = keys->a->list.v[x]->name;
                if (!strcmp(mk, "exact") &&
                    (v->kind == N_MASK || v->kind == N_RANGE))
                    cc_error(k->c, v->loc, "an exact key cannot match a %s",
                             v->kind == N_MASK ? "mask" : "range");
                if (!strcmp(mk, "range") && v->kind == N_MASK)
                    cc_error(k->c, v->loc, "a range key cannot match a mask");
                if (!strcmp(mk, "optional") && v->kind == N_MASK)
                    cc_error(k->c, v->loc,
                             "an optional key takes a value or "
                             "'_', not a mask");
                unsigned __int128 m;
                if (!strcmp(mk, "lpm") && v->kind == N_MASK &&
                    eval(k, v->b, &m)) {
                    /* a prefix mask: ones then zeros */
                    int w = check_width(keys->a->list.v[x]->a->type);
                    unsigned __int128 inv = ~m;
                    if (w > 0 && w < 128)
                        inv &= (((unsigned __int128)1 << w) - 1);
                    if (inv & (inv + 1))
                        cc_error(k->c, v->loc,
                                 "invalid mask for an lpm key "
                                 "(not a prefix)");
                }
            }
        }
    }
}

static void
check_table(struct ck *k, struct node *t)
{
    for (int i = 0; i < t->list.n; i++) {
        struct node *p = t->list.v[i];
        struct node *v = p->a;
        if (!v)
            continue;
        if (!strcmp(p->name, "key") && v->kind == N_KEYS) {
            for (int j = 0; j < v->list.n; j++) {
                struct node *key = v->list.v[j];
                type_of(k, key->a);
                struct node *mkd = lookup(k, key->name, 0);
                if (!mkd || mkd->kind != N_ENUM_MEMBER || !mkd->parent ||
                    mkd->parent->kind != N_MATCH_KIND)
                    unknown_name(k, key, "match kind", key->name);
                key->decl = mkd;
            }
        } else if (!strcmp(p->name, "actions") && v->kind == N_ACTLIST) {
            for (int j = 0; j < v->list.n; j++) {
                struct node *ar = v->list.v[j];
                struct node *nm = ar->kind == N_CALL ? ar->a : ar;
                if (nm->kind != N_NAME) {
                    cc_error(k->c, ar->loc, "expected an action name");
                    continue;
                }
                struct node *d = lookup(k, nm->name, nm->flags & F_TOPLEVEL);
                if (!d || d->kind != N_ACTION) {
                    if (d)
                        cc_error(k->c, nm->loc, "'%s' is not an action",
                                 nm->name);
                    else
                        unknown_name(k, nm, "action", nm->name);
                    continue;
                }
                nm->decl = d;
                ar->decl = d;
                if (ar->kind == N_CALL) {
                    for (int a = 0; a < ar->args.n; a++)
                        type_of(k, ar->args.v[a]);
                    check_args(k, ar, d, 1);
                }
            }
        } else if (!strcmp(p->name, "default_action")) {
            struct node *nm = v->kind == N_CALL ? v->a : v;
            if (nm->kind != N_NAME) {
                cc_error(k->c, v->loc, "default_action must name an action");
                continue;
            }
            struct node *d = lookup(k, nm->name, nm->flags & F_TOPLEVEL);
            if (!d || d->kind != N_ACTION) {
                unknown_name(k, nm, "action", nm->name);
                continue;
            }
            nm->decl = d;
            v->decl = d;
            if (v->kind == N_CALL) {
                for (int a = 0; a < v->args.n; a++) {
                    struct node *x = v->args.v[a];
                    struct node *at = type_of(k, x->kind == N_NAMED ? x->a : x);
                    struct node *pp = a < d->params.n ? d->params.v[a] : NULL;
                    if (pp && at && !assignable(pp->type, at))
                        cc_error(k->c, x->loc,
                                 "argument of %s has type %s, "
                                 "parameter '%s' is %s",
                                 d->name, type_name(k, at), pp->name,
                                 type_name(k, pp->type));
                }
            }
        } else if (!strcmp(p->name, "entries") && v->kind == N_ENTRIES) {
            for (int j = 0; j < v->list.n; j++) {
                struct node *en = v->list.v[j];
                type_of(k, en->a);
                if (en->a && en->a->kind == N_LIST)
                    for (int x = 0; x < en->a->list.n; x++)
                        type_of(k, en->a->list.v[x]);
                type_of(k, en->c);
                struct node *call = en->b;
                struct node *nm = call && call->kind == N_CALL ? call->a : call;
                if (!nm || nm->kind != N_NAME) {
                    cc_error(k->c, en->loc, "an entry must name an action");
                    continue;
                }
                struct node *d = lookup(k, nm->name, nm->flags & F_TOPLEVEL);
                if (!d || d->kind != N_ACTION) {
                    unknown_name(k, nm, "action", nm->name);
                    continue;
                }
                nm->decl = d;
                call->decl = d;
                if (call->kind == N_CALL)
                    for (int a = 0; a < call->args.n; a++)
                        type_of(k, call->args.v[a]);
            }
        } else {
            type_of(k, v);
        }
    }
    check_table_rules(k, t);
}

static void check_decl(struct ck *k, struct node *d);

static void
check_parser(struct ck *k, struct node *p)
{
    push_scope(k);
    declare_tparams(k, &p->tparams);
    declare_params(k, &p->params, p);
    declare_params(k, &p->ctor, p);
    struct node *saved = k->cur_block;
    k->cur_block = p;
    k->in_parser = 1;
    int has_start = 0;
    for (int i = 0; i < p->list.n; i++) {
        struct node *s = p->list.v[i];
        if (s->kind != N_STATE)
            continue;
        if (!strcmp(s->name, "accept") || !strcmp(s->name, "reject"))
            cc_error(k->c, s->loc,
                     "state %s is built in and cannot be "
                     "declared",
                     s->name);
        if (!strcmp(s->name, "start"))
            has_start = 1;
        declare(k, s->name, s);
    }
    if (!has_start)
        cc_error(k->c, p->loc, "parser %s has no 'start' state", p->name);
    for (int i = 0; i < p->list.n; i++) {
        struct node *s = p->list.v[i];
        if (s->kind != N_STATE) {
            check_decl(k, s);
            continue;
        }
        push_scope(k);
        for (int j = 0; j < s->list.n; j++)
            check_stmt(k, s->list.v[j]);
        struct node *tr = s->a;
        if (tr && tr->kind == N_SELECT) {
            for (int j = 0; j < tr->args.n; j++)
                type_of(k, tr->args.v[j]);
            for (int j = 0; j < tr->list.n; j++) {
                struct node *cs = tr->list.v[j];
                type_of(k, cs->a);
                int nv = cs->a && cs->a->kind == N_LIST ? cs->a->list.n : 1;
                int single = cs->a && (cs->a->kind == N_DEFAULT ||
                                       cs->a->kind == N_DONTCARE ||
                                       (cs->a->kind == N_NAME && cs->a->decl &&
                                        cs->a->decl->kind == N_VALUE_SET));
                if (cs->a && cs->a->kind == N_LIST && !(cs->a->flags & F_CONST))
                    cc_error(k->c, cs->a->loc,
                             "a list expression {...} cannot be "
                             "a select case (use (a, b))");
                else if (!single && nv != tr->args.n)
                    cc_error(k->c, cs->loc,
                             "this case has %d value%s but the "
                             "select has %d expression%s",
                             nv, nv == 1 ? "" : "s", tr->args.n,
                             tr->args.n == 1 ? "" : "s");
                for (int x = 0; !single && nv == tr->args.n && x < nv; x++) {
                    struct node *kv =
                        cs->a->kind == N_LIST ? cs->a->list.v[x] : cs->a;
                    unsigned __int128 cv;
                    if ((kv->kind == N_RANGE || kv->kind == N_MASK) &&
                        (!eval(k, kv->a, &cv) || !eval(k, kv->b, &cv)))
                        cc_error(k->c, kv->loc,
                                 "the bounds of '%s' in a select "
                                 "case must be constants",
                                 kv->kind == N_RANGE ? ".." : "&&&");
                    struct node *kt =
                        kv->kind == N_LIST ? NULL : type_of(k, kv);
                    struct node *st = tr->args.v[x]->type;
                    if (kv->kind == N_LIST)
                        cc_error(k->c, kv->loc,
                                 "a tuple cannot match one "
                                 "select expression");
                    else if (kt && st && kt->kind == N_TBOOL && is_bits(st))
                        cc_error(k->c, kv->loc, "a bool cannot match %s",
                                 type_name(k, st));
                    else if (kt && st && is_bits(kt) && st->kind == N_TBOOL)
                        cc_error(k->c, kv->loc, "%s cannot match a bool",
                                 type_name(k, kt));
                    else if (kt && st && is_bits(kt) && is_bits(st) &&
                             kt->width != st->width && kv->kind != N_MASK &&
                             kv->kind != N_RANGE)
                        cc_error(k->c, kv->loc, "%s cannot match %s",
                                 type_name(k, kt), type_name(k, st));
                    if (st && (st->kind == N_STRUCT || st->kind == N_HEADER))
                        cc_error(k->c, tr->args.v[x]->loc,
                                 "a %s cannot be used "
                                 "in select",
                                 type_name(k, st));
                }
                if (cs->a && cs->a->kind == N_LIST)
                    for (int x = 0; x < cs->a->list.n; x++)
                        type_of(k, cs->a->list.v[x]);
                tr->list.v[j]->b->decl = NULL;
                const char *sn = cs->b->name;
                if (strcmp(sn, "accept") && strcmp(sn, "reject")) {
                    struct node *d = lookup(k, sn, 0);
                    if (!d || d->kind != N_STATE)
                        unknown_name(k, cs->b, "state", sn);
                    cs->b->decl = d;
                }
            }
        } else if (tr && tr->kind == N_NAME) {
            const char *sn = tr->name;
            if (strcmp(sn, "accept") && strcmp(sn, "reject")) {
                struct node *d = lookup(k, sn, 0);
                if (!d || d->kind != N_STATE)
                    unknown_name(k, tr, "state", sn);
                tr->decl = d;
            }
        }
        pop_scope(k);
    }
    k->in_parser = 0;
    k->cur_block = saved;
    pop_scope(k);
}

static void
check_control(struct ck *k, struct node *c)
{
    push_scope(k);
    declare_tparams(k, &c->tparams);
    declare_params(k, &c->params, c);
    declare_params(k, &c->ctor, c);
    struct node *saved = k->cur_block;
    k->cur_block = c;
    for (int i = 0; i < c->list.n; i++)
        check_decl(k, c->list.v[i]);
    if (c->b)
        check_block(k, c->b);
    for (int i = 0; i < c->list.n; i++) {
        struct node *t = c->list.v[i];
        if (t->kind == N_TABLE && !(t->flags & F_ABSTRACT))
            cc_warning(k->c, t->loc, "table %s is never applied", t->name);
    }
    k->cur_block = saved;
    pop_scope(k);
}

/* Checks one declaration and declares its name in the current scope. */
static void
check_decl(struct ck *k, struct node *d)
{
    switch (d->kind) {
    case N_CONST:
        check_var(k, d);
        if (d->b && !eval(k, d->b, &(unsigned __int128){0}) &&
            d->b->kind != N_LIST && d->b->kind != N_STRUCT_INIT &&
            d->b->kind != N_STRING && d->b->kind != N_MEMBER &&
            d->b->kind != N_CALL)
            cc_error(k->c, d->b->loc,
                     "'%s' cannot evaluate to a compile-time "
                     "constant",
                     d->name);
        break;
    case N_VAR:
        check_var(k, d);
        break;
    case N_TYPEDEF:
    case N_NEWTYPE:
        declare(k, d->name, d);
        d->type = canon(k, d->a);
        if (d->kind == N_NEWTYPE && d->type &&
            !(d->type->kind == N_TBIT || d->type->kind == N_TBOOL ||
              d->type->kind == N_TINT))
            cc_error(k->c, d->loc,
                     "'type' can only be applied to base types "
                     "(bit<>, int<>, bool), not to %s",
                     type_name(k, d->type));
        break;
    case N_HEADER:
    case N_STRUCT:
    case N_HUNION:
        declare(k, d->name, d);
        push_scope(k);
        declare_tparams(k, &d->tparams);
        for (int i = 0; i < d->list.n; i++) {
            struct node *f = d->list.v[i];
            f->type = canon(k, f->a);
            f->parent = d;
            struct node *ft = f->type;
            if (d->kind == N_HEADER && ft &&
                !(ft->kind == N_TBIT || ft->kind == N_TVARBIT ||
                  ft->kind == N_TBOOL || ft->kind == N_TNAME ||
                  ft->kind == N_TDONTCARE || ft->kind == N_STRUCT ||
                  ft->kind == N_TSTACK || (ft->kind == N_ENUM && ft->a)))
                cc_error(k->c, f->loc,
                         "field '%s' of header %s cannot have "
                         "type %s",
                         f->name, d->name, type_name(k, ft));
            if (ft && ft->kind == N_TDONTCARE && f->a &&
                f->a->kind == N_TDONTCARE)
                cc_error(k->c, f->loc, "field '%s' cannot have type '_'",
                         f->name);
            if (ft == d)
                cc_error(k->c, f->loc, "%s %s contains itself",
                         node_kind_name(d->kind), d->name);
            if (d->kind == N_HEADER && ft && ft->kind == N_TVARBIT)
                for (int j = 0; j < i; j++)
                    if (d->list.v[j]->type &&
                        d->list.v[j]->type->kind == N_TVARBIT)
                        cc_error(k->c, f->loc,
                                 "header %s has more than one "
                                 "varbit field",
                                 d->name);
            if (d->kind == N_HUNION && ft && ft->kind != N_HEADER &&
                ft->kind != N_TNAME)
                cc_error(k->c, f->loc,
                         "header_union %s: field '%s' must be a "
                         "header",
                         d->name, f->name);
            for (int j = 0; j < i; j++)
                if (!strcmp(d->list.v[j]->name, f->name))
                    cc_error(k->c, f->loc, "duplicate field '%s'", f->name);
        }
        pop_scope(k);
        break;
    case N_ENUM:
        declare(k, d->name, d);
        if (d->a) {
            d->a = canon(k, d->a);
            if (!is_bits(d->a))
                cc_error(k->c, d->loc,
                         "illegal type for enum %s; only bit<> "
                         "and int<> are allowed",
                         d->name);
        }
        for (int i = 0; i < d->list.n; i++) {
            struct node *m = d->list.v[i];
            m->parent = d;
            m->type = d;
            for (int j = 0; j < i; j++)
                if (!strcmp(d->list.v[j]->name, m->name))
                    cc_error(k->c, m->loc, "enum %s declares '%s' twice",
                             d->name, m->name);
            if (m->b) {
                type_of(k, m->b);
                unsigned __int128 v;
                if (!eval(k, m->b, &v))
                    cc_error(k->c, m->b->loc, "enum value must be a constant");
            }
        }
        break;
    case N_ERROR_DECL:
        for (int i = 0; i < d->list.n; i++) {
            struct node *m = d->list.v[i];
            if (find_field(k->errors, m->name)) {
                cc_error(k->c, m->loc, "error.%s is declared twice", m->name);
                continue;
            }
            m->parent = k->errors;
            m->ival = (unsigned)k->errors->list.n;
            nlist_push(k->A, &k->errors->list, m);
        }
        break;
    case N_MATCH_KIND:
        for (int i = 0; i < d->list.n; i++) {
            struct node *m = d->list.v[i];
            struct node *old = lookup(k, m->name, 1);
            if (old && old->kind == N_ENUM_MEMBER && old->parent &&
                old->parent->kind == N_MATCH_KIND)
                cc_error(k->c, m->loc, "match_kind %s is declared twice",
                         m->name);
            m->parent = d;
            declare(k, m->name, m);
        }
        break;
    case N_EXTERN:
        declare(k, d->name, d);
        push_scope(k);
        declare_tparams(k, &d->tparams);
        for (int i = 0; i < d->list.n; i++) {
            struct node *m = d->list.v[i];
            m->parent = d;
            push_scope(k);
            declare_tparams(k, &m->tparams);
            if (m->a && !strcmp(m->name, d->name))
                cc_error(k->c, m->loc,
                         "%s: a constructor cannot have a return "
                         "type",
                         m->name);
            if (m->a)
                m->type = canon(k, m->a);
            if (m->type && m->type->kind == N_TINT)
                cc_error(k->c, m->loc,
                         "method %s cannot return int (give it a "
                         "width)",
                         m->name);
            if (m->a)
                ;
            else if (strcmp(m->name, d->name))
                cc_error(k->c, m->loc,
                         "'%s': a method needs a return type "
                         "(a constructor must be named %s)",
                         m->name, d->name);
            declare_params(k, &m->params, m);
            pop_scope(k);
            for (int j = 0; j < i; j++)
                if (!strcmp(d->list.v[j]->name, m->name) &&
                    d->list.v[j]->params.n == m->params.n &&
                    !d->list.v[j]->tparams.n && !m->tparams.n)
                    cc_error(k->c, m->loc,
                             "%s is declared twice with %d "
                             "parameter%s",
                             m->name, m->params.n, m->params.n == 1 ? "" : "s");
            /* chain overloads of methods */
            for (int j = 0; j < i; j++) {
                struct node *o = d->list.v[j];
                if (o->a && m->a && !strcmp(o->name, m->name) && o != m) {
                    while (o->overload)
                        o = o->overload;
                    if (o != m)
                        o->overload = m;
                    break;
                }
            }
        }
        pop_scope(k);
        break;
    case N_FUNCTION: {
        declare(k, d->name, d);
        push_scope(k);
        declare_tparams(k, &d->tparams);
        d->a = canon(k, d->a);
        d->type = d->a;
        declare_params(k, &d->params, d);
        struct node *saved = k->cur_function;
        k->cur_function = d;
        if (d->b)
            check_block(k, d->b);
        k->cur_function = saved;
        pop_scope(k);
        break;
    }
    case N_PARSER_TYPE:
    case N_CONTROL_TYPE:
    case N_PACKAGE:
        declare(k, d->name, d);
        push_scope(k);
        declare_tparams(k, &d->tparams);
        declare_params(k, &d->params, d);
        pop_scope(k);
        break;
    case N_PARSER:
        declare(k, d->name, d);
        check_parser(k, d);
        break;
    case N_CONTROL:
        declare(k, d->name, d);
        check_control(k, d);
        break;
    case N_ACTION:
        declare(k, d->name, d);
        d->parent = k->cur_block;
        check_action(k, d);
        break;
    case N_TABLE:
        declare(k, d->name, d);
        d->type = d;
        d->parent = k->cur_block;
        check_table(k, d);
        break;
    case N_INSTANCE:
        check_instance(k, d);
        declare(k, d->name, d);
        d->parent = k->cur_block;
        break;
    case N_VALUE_SET:
        d->a = canon(k, d->a);
        d->type = d->a;
        if (d->type && d->type->kind == N_TINT)
            cc_error(k->c, d->loc,
                     "value_set %s: int is not a valid element "
                     "type (give it a width)",
                     d->name);
        type_of(k, d->b);
        declare(k, d->name, d);
        break;
    case N_STATE:
        break;
    default:
        break;
    }
}

int
cc_check(struct cc *c)
{
    if (!c->program)
        return -1;
    struct ck k = {0};
    k.c = c;
    k.A = &c->arena;
    struct loc none = {c->main_file, 0, 0};
    k.errors = node_new(k.A, N_ERROR_DECL, none);
    k.errors->name = "error";
    k.error_ns = node_new(k.A, N_TERROR, none);
    k.t_bool = node_new(k.A, N_TBOOL, none);
    k.t_int = node_new(k.A, N_TINT, none);
    k.t_string = node_new(k.A, N_TSTRING, none);
    k.t_void = node_new(k.A, N_TVOID, none);
    k.t_error = node_new(k.A, N_TERROR, none);
    k.t_mk = node_new(k.A, N_TMATCH_KIND, none);
    int errors0 = c->nerrors;
    push_scope(&k);
    /* p4c lets a program use a type declared further down (the corpus'
     * skeleton files rely on it): declare every top-level type first */
    for (int i = 0; i < c->program->list.n; i++) {
        struct node *d = c->program->list.v[i];
        switch (d->kind) {
        case N_HEADER:
        case N_STRUCT:
        case N_HUNION:
        case N_ENUM:
        case N_TYPEDEF:
        case N_NEWTYPE:
        case N_EXTERN:
        case N_PARSER:
        case N_CONTROL:
        case N_PARSER_TYPE:
        case N_CONTROL_TYPE:
        case N_PACKAGE:
            declare(&k, d->name, d);
            break;
        default:
            break;
        }
    }
    for (int i = 0; i < c->program->list.n; i++)
        check_decl(&k, c->program->list.v[i]);
    struct node *mn = lookup(&k, "main", 1);
    if (mn && (mn->kind != N_INSTANCE || !mn->type ||
               (mn->type->kind != N_PACKAGE && mn->type->kind != N_TDONTCARE)))
        cc_error(c, mn->loc,
                 "main must be an instance of a package (e.g. "
                 "V1Switch(...) main;)");
    pop_scope(&k);
    c->program->a = k.errors;
    return c->nerrors > errors0 ? -1 : 0;
}
