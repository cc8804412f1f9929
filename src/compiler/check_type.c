/* check_type.c - scopes, name lookup and types for the checker
 * (check_int.h).
 *
 * Scopes are a chain of hash maps from the top level inwards; an unknown name
 * gets a did-you-mean over every visible name. Types are canonicalised here
 * (typedefs followed, widths evaluated through check_eval.c, type names bound
 * to their declarations), and assignable() is the implicit-conversion rule
 * that check_expr.c and check_stmt.c apply. */
#include "compiler/check_int.h"

#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/vec.h"

static void check_targs(struct ck *k, struct node *t, struct node *d);
static void check_header_targs(struct ck *k, struct node *t, struct node *d);

void
ck_push_scope(struct ck *k)
{
    struct scope *s = xcalloc(1, sizeof *s);
    hmap_init(&s->names);
    s->up = k->sc;
    k->sc = s;
}

void
ck_pop_scope(struct ck *k)
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

void
ck_declare(struct ck *k, const char *name, struct node *d)
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

struct node *
ck_lookup(struct ck *k, const char *name, int toplevel)
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

void
ck_unknown_name(struct ck *k, struct node *at, const char *what,
                const char *name)
{
    struct node *d = strcmp(what, "name") ? ck_lookup(k, name, 0) : NULL;
    if (d) { /* declared, but as something else */
        cc_error(k->c, at->loc, "'%s' is a %s, not a %s", name,
                 node_kind_name(d->kind), what);
        return;
    }
    const char *s = suggest(k, name);
    if (s)
        cc_error(k->c, at->loc, "%s '%s' is not declared; did you mean '%s'?",
                 what, name, s);
    else
        cc_error(k->c, at->loc, "%s '%s' is not declared", what, name);
}

/* ---- types ---- */

struct node *
ck_mk_type(struct ck *k, enum node_kind kind, struct loc loc)
{
    return node_new(k->A, kind, loc);
}

struct node *
ck_bit_type(struct ck *k, int width, int sign, struct loc loc)
{
    struct node *t = ck_mk_type(k, N_TBIT, loc);
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

int
ck_is_bits(struct node *t)
{
    return t && t->kind == N_TBIT;
}

int
ck_is_numeric(struct node *t)
{
    return t && (t->kind == N_TBIT || t->kind == N_TINT);
}

int
ck_is_typevar(struct node *t)
{
    return t && t->kind == N_TNAME;
}

static int
eval_width(struct ck *k, struct node *w, int *out)
{
    unsigned __int128 v;
    if (!w) {
        *out = 1;
        return 1;
    }
    ck_type_of(k, w);
    if (!ck_eval(k, w, &v)) {
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
struct node *
ck_canon(struct ck *k, struct node *t)
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
        struct node *d = ck_lookup(k, t->name, t->flags & F_TOPLEVEL);
        if (!d) {
            ck_unknown_name(k, t, "type", t->name);
            t->decl = ck_mk_type(k, N_TDONTCARE, t->loc);
            return t->decl;
        }
        if (t->targs.n && d->kind != N_TNAME)
            check_targs(k, t, d);
        for (int i = 0; i < t->targs.n; i++)
            t->targs.v[i] = ck_canon(k, t->targs.v[i]);
        switch (d->kind) {
        case N_TYPEDEF:
        case N_NEWTYPE:
            if (!k->busy)
                k->busy = ck_mk_type(k, N_TDONTCARE, t->loc);
            if (d->type == k->busy) { /* typedef A B; typedef B A; */
                cc_error(k->c, t->loc, "type %s is defined in terms of itself",
                         d->name);
                t->decl = ck_mk_type(k, N_TDONTCARE, t->loc);
                return t->decl;
            }
            if (!d->type) {
                d->type = k->busy;
                d->type = ck_canon(k, d->a);
                if (d->type == k->busy)
                    d->type = ck_mk_type(k, N_TDONTCARE, t->loc);
            }
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
            if (t->targs.n && d->kind == N_HEADER)
                check_header_targs(k, t, d);
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
            t->decl = ck_mk_type(k, N_TDONTCARE, t->loc);
            return t->decl;
        }
    }
    case N_TSTACK: {
        t->a = ck_canon(k, t->a);
        if (t->b) {
            unsigned __int128 v;
            ck_type_of(k, t->b);
            if (!ck_eval(k, t->b, &v) || v == 0 || v > 65536)
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
        for (int i = 0; i < t->targs.n; i++) {
            struct node *raw = t->targs.v[i];
            struct node *et = t->targs.v[i] = ck_canon(k, raw);
            if (raw->kind == N_TDONTCARE ||
                (et &&
                 (et->kind == N_TSTRING || et->kind == N_TVOID ||
                  et->kind == N_PACKAGE || et->kind == N_EXTERN ||
                  et->kind == N_CONTROL || et->kind == N_PARSER ||
                  et->kind == N_CONTROL_TYPE || et->kind == N_PARSER_TYPE)))
                cc_error(k->c, raw->loc, "a %s cannot hold %s",
                         t->kind == N_TTUPLE ? "tuple" : "list",
                         raw->kind == N_TDONTCARE ? "'_'"
                         : et->name
                             ? arena_printf(k->A, "%s %s",
                                            node_kind_name(et->kind), et->name)
                             : ck_type_name(k, et));
        }
        return t;
    default:
        return t;
    }
}

/* Does the type expression t (as written, before canonicalisation) name the
 * generic d, directly, through a typedef or in its own type arguments? */
static int
mentions(struct ck *k, struct node *t, struct node *d, int depth)
{
    if (!t || depth > 16)
        return 0;
    if (t->kind == N_TNAME) {
        struct node *td = t->decl ? t->decl : ck_lookup(k, t->name, 0);
        if (td == d)
            return 1;
        /* a parser or control whose parameters are of type d */
        for (int i = 0; td && (td->kind == N_CONTROL || td->kind == N_PARSER) &&
                        i < td->params.n;
             i++)
            if (mentions(k, td->params.v[i]->a, d, depth + 1))
                return 1;
        if (td && (td->kind == N_TYPEDEF || td->kind == N_NEWTYPE) &&
            mentions(k, td->a, d, depth + 1))
            return 1;
    }
    for (int i = 0; i < t->targs.n; i++)
        if (mentions(k, t->targs.v[i], d, depth + 1))
            return 1;
    return 0;
}

/* Can a header field have type t (bit<>, int<>, varbit, bool, a serializable
 * enum, a struct of those)? */
static int
header_field_ok(struct node *t, int depth)
{
    if (!t || ck_is_typevar(t) || depth > 8)
        return 1;
    switch (t->kind) {
    case N_TBIT:
    case N_TVARBIT:
    case N_TBOOL:
    case N_TDONTCARE:
        return 1;
    case N_ENUM:
        return t->a != NULL;
    case N_STRUCT:
        for (int i = 0; i < t->list.n; i++)
            if (!header_field_ok(t->list.v[i]->type, depth + 1))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* A generic header's type arguments, where they become field types. */
static void
check_header_targs(struct ck *k, struct node *t, struct node *d)
{
    for (int i = 0; i < d->list.n; i++) {
        struct node *fa = d->list.v[i]->a;
        if (!fa || fa->kind != N_TNAME || !fa->name)
            continue;
        for (int j = 0; j < d->tparams.n && j < t->targs.n; j++)
            if (d->tparams.v[j]->name &&
                !strcmp(d->tparams.v[j]->name, fa->name) &&
                !header_field_ok(t->targs.v[j], 0))
                cc_error(k->c, t->loc,
                         "%s<%s>: field '%s' of header %s cannot have type %s",
                         d->name, ck_type_name(k, t->targs.v[j]),
                         d->list.v[i]->name, d->name,
                         ck_type_name(k, t->targs.v[j]));
    }
}

/* Type arguments of a generic X<...>: not X itself, not void. */
static void
check_targs(struct ck *k, struct node *t, struct node *d)
{
    if (!d->tparams.n)
        return;
    if (t->targs.n > d->tparams.n)
        cc_error(k->c, t->loc, "%s takes %d type argument%s, not %d", d->name,
                 d->tparams.n, d->tparams.n == 1 ? "" : "s", t->targs.n);
    for (int i = 0; i < t->targs.n; i++) {
        struct node *a = t->targs.v[i];
        if (mentions(k, a, d, 0))
            cc_error(k->c, a->loc, "%s cannot be a type argument of itself",
                     d->name);
        else if (a->kind == N_TVOID)
            cc_error(k->c, a->loc, "void cannot be a type argument of %s",
                     d->name);
        else if ((d->kind == N_STRUCT || d->kind == N_HEADER ||
                  d->kind == N_HUNION) &&
                 a->kind == N_TNAME && a->name) {
            struct node *ad = ck_lookup(k, a->name, 0);
            if (ad &&
                (ad->kind == N_PARSER_TYPE || ad->kind == N_CONTROL_TYPE ||
                 ad->kind == N_PARSER || ad->kind == N_CONTROL ||
                 ad->kind == N_PACKAGE || ad->kind == N_EXTERN))
                cc_error(k->c, a->loc,
                         "%s %s cannot be a type argument of %s %s",
                         node_kind_name(ad->kind), ad->name,
                         node_kind_name(d->kind), d->name);
        }
    }
}

struct node *
check_canon(struct cc *c, struct node *t)
{
    (void)c;
    return t && t->kind == N_TNAME && t->decl ? t->decl : t;
}

/* Can a value of type from be used where type to is wanted (implicitly)? */
int
ck_assignable(struct node *to, struct node *from)
{
    if (!to || !from || to == from)
        return 1;
    if (ck_is_typevar(to) && from->kind == N_TINT)
        return 0; /* an integer has no width to give a type variable */
    if (ck_is_typevar(to) || ck_is_typevar(from) || to->kind == N_TDONTCARE ||
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

const char *
ck_type_name(struct ck *k, struct node *t)
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
        return arena_printf(k->A, "%s[%d]", ck_type_name(k, t->a), t->width);
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
    case N_TMATCH_KIND:
        return "match_kind";
    case N_TDONTCARE:
        return "_";
    case N_STRUCT_INIT:
        return "a {name = value} initializer";
    case N_TTUPLE:
    case N_TLIST: {
        const char *r = t->kind == N_TTUPLE ? "tuple<" : "list<";
        for (int i = 0; i < t->targs.n && i < 8; i++)
            r = arena_printf(k->A, "%s%s%s", r, i ? ", " : "",
                             ck_type_name(k, t->targs.v[i]));
        return arena_printf(k->A, "%s%s>", r, t->targs.n > 8 ? ", ..." : "");
    }
    default:
        if (t->name)
            return t->name;
        return node_kind_name(t->kind);
    }
}
