/* check.c - name resolution, types and compile-time evaluation (check.h):
 * the driver and the declarations.
 *
 * One walk over the program with a chain of scopes: the top level (types,
 * constants, externs, functions, actions, parsers, controls, error and
 * match_kind members), then parameters and locals of parsers, controls,
 * actions and blocks. Every name gets its declaration, every expression its
 * type; what cannot be valid P4 is reported with a did-you-mean where a name is
 * unknown. The back end (bmv2/) relies on the decl and type fields.
 *
 * This file holds cc_check() and the checks of declarations (types, headers,
 * enums, errors, match kinds, externs, functions, parameters, instances); the
 * other stages are in check_type.c, check_eval.c, check_expr.c, check_stmt.c
 * and check_table.c (see check_int.h). */
#include "compiler/check_int.h"

#include <stdlib.h>
#include <string.h>

#include "lib/vec.h"

void
ck_declare_params(struct ck *k, struct nlist *ps, struct node *owner)
{
    for (int i = 0; i < ps->n; i++) {
        struct node *p = ps->v[i];
        p->parent = owner;
        p->type = ck_canon(k, p->a);
        if (p->b)
            ck_type_of(k, p->b);
        if (p->b && p->b->kind == N_CALL && p->b->decl &&
            p->b->decl->kind == N_FUNCTION)
            cc_error(k->c, p->b->loc,
                     "the default value of '%s' must be a compile-time "
                     "constant, not a function call",
                     p->name);
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
        if (p->type && p->type->kind == N_EXTERN && owner &&
            owner->kind == N_ACTION)
            cc_error(k->c, p->loc,
                     "'%s': an action parameter cannot be an extern (%s)",
                     p->name, p->type->name);
        if (p->type && p->type->kind == N_EXTERN && p->type->tparams.n &&
            p->a && p->a->kind == N_TNAME && !p->a->targs.n)
            cc_error(k->c, p->loc,
                     "'%s': extern %s is generic: give its type arguments "
                     "(%s<...>)",
                     p->name, p->type->name, p->type->name);
        if (p->type && owner && ps == &owner->ctor &&
            ((owner->kind == N_CONTROL && p->type->kind == N_PARSER_TYPE) ||
             (owner->kind == N_PARSER && p->type->kind == N_CONTROL_TYPE)))
            cc_error(k->c, p->loc,
                     "'%s': a %s cannot be given a %s to instantiate", p->name,
                     node_kind_name(owner->kind),
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
        ck_declare(k, p->name, p);
    }
}

void
ck_declare_tparams(struct ck *k, struct nlist *tps)
{
    for (int i = 0; i < tps->n; i++)
        ck_declare(k, tps->v[i]->name, tps->v[i]);
}

/* A table with an absolute @name(".x") in a control instantiated twice
 * would give the control plane two tables of one name. */
static void
check_absolute_names(struct ck *k, struct node *prog)
{
    VEC(struct node *) seen = VEC_INIT;
    for (int i = 0; i < prog->list.n; i++) {
        struct node *b = prog->list.v[i];
        if (b->kind != N_CONTROL)
            continue;
        for (int j = 0; j < b->list.n; j++) {
            struct node *n = b->list.v[j];
            if (n->kind != N_INSTANCE || !n->type || n->type->kind != N_CONTROL)
                continue;
            int twice = 0;
            for (size_t x = 0; x < seen.n; x++)
                twice |= seen.v[x] == n->type;
            if (!twice) {
                VEC_PUSH(&seen, n->type);
                continue;
            }
            for (int t = 0; t < n->type->list.n; t++) {
                struct node *tb = n->type->list.v[t];
                struct node *an = node_annot(tb, "name");
                if (tb->kind == N_TABLE && an && an->b && an->b->list.n == 1 &&
                    an->b->list.v[0]->kind == N_STRING &&
                    an->b->list.v[0]->name[0] == '.')
                    cc_error(k->c, n->loc,
                             "%s: a second instance of %s, whose table %s "
                             "has the absolute name \"%s\": the control "
                             "plane would see two tables of that name",
                             n->name, n->type->name, tb->name,
                             an->b->list.v[0]->name);
            }
        }
    }
    VEC_FREE(&seen);
}

/* Does parser or control b instantiate root (directly or through the
 * parsers and controls it instantiates)? A program where it does would be
 * infinite. Reported once, at root's instance that closes the cycle. */
static int
check_instance_cycle(struct ck *k, struct node *root, struct node *b, int depth)
{
    if (depth > 32)
        return 0;
    for (int j = 0; j < b->list.n; j++) {
        struct node *n = b->list.v[j];
        struct node *t = n->kind == N_INSTANCE ? n->type : NULL;
        if (!t || (t->kind != N_CONTROL && t->kind != N_PARSER))
            continue;
        if (t == root) {
            cc_error(k->c, n->loc,
                     "%s %s instantiates itself%s%s (an infinite program)",
                     node_kind_name(root->kind), root->name,
                     b == root ? "" : " through ", b == root ? "" : b->name);
            return 1;
        }
        if (check_instance_cycle(k, root, t, depth + 1))
            return 1;
    }
    return 0;
}

/* Does type t hold a value of type d (in a field, a field's field, a
 * stack...)? Field types not yet checked are NULL and end the walk. */
static int
contains_type(struct node *t, struct node *d, int depth)
{
    if (!t || depth > 64)
        return 0;
    if (t == d)
        return 1;
    if (t->kind == N_TSTACK)
        return contains_type(t->a, d, depth + 1);
    if (t->kind == N_STRUCT || t->kind == N_HEADER || t->kind == N_HUNION)
        for (int i = 0; i < t->list.n; i++)
            if (contains_type(t->list.v[i]->type, d, depth + 1))
                return 1;
    return 0;
}

/* Does every path through statement s end in return or exit? */
static int
always_returns(struct node *s)
{
    if (!s)
        return 0;
    switch (s->kind) {
    case N_RETURN:
    case N_EXIT:
        return 1;
    case N_BLOCK:
        for (int i = 0; i < s->list.n; i++)
            if (always_returns(s->list.v[i]))
                return 1;
        return 0;
    case N_IF:
        return always_returns(s->b) && always_returns(s->c);
    case N_SWITCH: {
        int has_default = 0;
        for (int i = 0; i < s->list.n; i++) {
            struct node *cs = s->list.v[i];
            has_default |= cs->a == NULL;
            if (cs->b && !always_returns(cs->b))
                return 0;
        }
        return has_default;
    }
    default:
        return 0;
    }
}

static void
check_instance(struct ck *k, struct node *n)
{
    n->type = ck_canon(k, n->a);
    if (n->type && (n->type->kind == N_STRUCT || n->type->kind == N_HEADER ||
                    n->type->kind == N_HUNION || n->type->kind == N_TBIT ||
                    n->type->kind == N_ENUM || n->type->kind == N_TBOOL))
        cc_error(k->c, n->loc, "%s: cannot instantiate objects of type %s",
                 n->name, ck_type_name(k, n->type));
    for (int i = 0; i < n->args.n; i++) {
        struct node *a = n->args.v[i];
        ck_type_of(k, a->kind == N_NAMED ? a->a : a);
    }
    if (n->type && n->type->kind == N_EXTERN && n->b) {
        /* the initializer's functions get their types first */
        for (int i = 0; i < n->b->list.n; i++) {
            struct node *f = n->b->list.v[i];
            if (f->kind == N_FUNCTION) {
                ck_push_scope(k);
                ck_declare_tparams(k, &f->tparams);
                f->type = ck_canon(k, f->a);
                for (int j = 0; j < f->params.n; j++)
                    f->params.v[j]->type = ck_canon(k, f->params.v[j]->a);
                ck_pop_scope(k);
            }
        }
    }
    ck_instance_args(k, n);
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
        ck_push_scope(k);
        ck_declare(k, "this", n);
        for (int i = 0; i < n->b->list.n; i++) {
            struct node *f = n->b->list.v[i];
            if (f->kind == N_FUNCTION) {
                ck_push_scope(k);
                ck_declare_tparams(k, &f->tparams);
                f->type = ck_canon(k, f->a);
                ck_declare_params(k, &f->params, f);
                if (f->b)
                    ck_block(k, f->b);
                ck_pop_scope(k);
            }
        }
        ck_pop_scope(k);
    }
}

/* Checks one declaration and declares its name in the current scope. */
void
ck_decl(struct ck *k, struct node *d)
{
    switch (d->kind) {
    case N_CONST:
        ck_var(k, d);
        if (d->b && !ck_eval(k, d->b, &(unsigned __int128){0}) &&
            d->b->kind != N_LIST && d->b->kind != N_STRUCT_INIT &&
            d->b->kind != N_STRING && d->b->kind != N_MEMBER &&
            d->b->kind != N_CALL)
            cc_error(k->c, d->b->loc,
                     "'%s' cannot evaluate to a compile-time "
                     "constant",
                     d->name);
        break;
    case N_VAR:
        ck_var(k, d);
        break;
    case N_TYPEDEF:
    case N_NEWTYPE:
        ck_declare(k, d->name, d);
        d->type = ck_canon(k, d->a);
        if (d->kind == N_NEWTYPE && d->type &&
            !(d->type->kind == N_TBIT || d->type->kind == N_TBOOL ||
              d->type->kind == N_TINT))
            cc_error(k->c, d->loc,
                     "'type' can only be applied to base types "
                     "(bit<>, int<>, bool), not to %s",
                     ck_type_name(k, d->type));
        break;
    case N_HEADER:
    case N_STRUCT:
    case N_HUNION:
        ck_declare(k, d->name, d);
        ck_push_scope(k);
        ck_declare_tparams(k, &d->tparams);
        for (int i = 0; i < d->list.n; i++) {
            struct node *f = d->list.v[i];
            f->type = ck_canon(k, f->a);
            f->parent = d;
            struct node *ft = f->type;
            if (ft && ft->kind == N_TSTRING)
                cc_error(k->c, f->loc, "field '%s' cannot have type string",
                         f->name);
            if (d->kind == N_HEADER && ft &&
                !(ft->kind == N_TBIT || ft->kind == N_TVARBIT ||
                  ft->kind == N_TBOOL || ft->kind == N_TNAME ||
                  ft->kind == N_TDONTCARE || ft->kind == N_STRUCT ||
                  ft->kind == N_TSTACK || (ft->kind == N_ENUM && ft->a)))
                cc_error(k->c, f->loc,
                         "field '%s' of header %s cannot have "
                         "type %s",
                         f->name, d->name, ck_type_name(k, ft));
            if (ft && ft->kind == N_TDONTCARE && f->a &&
                f->a->kind == N_TDONTCARE)
                cc_error(k->c, f->loc, "field '%s' cannot have type '_'",
                         f->name);
            if (ft == d)
                cc_error(k->c, f->loc, "%s %s contains itself",
                         node_kind_name(d->kind), d->name);
            else if (ft && contains_type(ft, d, 0)) {
                cc_error(k->c, f->loc,
                         "%s %s contains itself through field '%s' (%s)",
                         node_kind_name(d->kind), d->name, f->name,
                         ck_type_name(k, ft));
                /* break the cycle: later walks over field types end */
                f->type = ck_mk_type(k, N_TDONTCARE, f->loc);
            }
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
            struct node *ma = node_annot(f, "match");
            struct node *mk = ma && ma->str ? ck_lookup(k, ma->str, 1) : NULL;
            if (ma && (!mk || mk->kind != N_ENUM_MEMBER || !mk->parent ||
                       mk->parent->kind != N_MATCH_KIND))
                cc_error(k->c, ma->loc,
                         "@match(%s): the argument must be a match_kind "
                         "(exact, ternary, lpm, ...)",
                         ma->str ? ma->str : "");
        }
        ck_pop_scope(k);
        break;
    case N_ENUM:
        ck_declare(k, d->name, d);
        if (d->a && d->a->kind == N_TNAME) {
            struct node *td = ck_lookup(k, d->a->name, 0);
            for (int n = 0; td && td->kind == N_TYPEDEF && td->a &&
                            td->a->kind == N_TNAME && n < 16;
                 n++)
                td = ck_lookup(k, td->a->name, 0);
            if (td && td->kind == N_NEWTYPE)
                cc_error(k->c, d->a->loc,
                         "enum %s: the underlying type %s is the 'type' %s; "
                         "only bit<> and int<> (or typedefs of them) can be",
                         d->name, d->a->name, td->name);
        }
        if (d->a) {
            d->a = ck_canon(k, d->a);
            if (!ck_is_bits(d->a))
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
                ck_type_of(k, m->b);
                unsigned __int128 v;
                if (!ck_eval(k, m->b, &v))
                    cc_error(k->c, m->b->loc, "enum value must be a constant");
                else if (m->b->type && m->b->type->kind == N_TINT &&
                         ck_is_bits(d->a) && d->a->width > 0 &&
                         d->a->width < 127) {
                    /* an untyped constant must fit the underlying type */
                    __int128 sv = (__int128)v, lo = 0, hi;
                    int w = d->a->width;
                    if (d->a->flags & F_SIGNED) {
                        lo = -((__int128)1 << (w - 1));
                        hi = ((__int128)1 << (w - 1)) - 1;
                    } else {
                        hi = ((__int128)1 << w) - 1;
                    }
                    if (sv < lo || sv > hi)
                        cc_error(k->c, m->b->loc,
                                 "%s.%s: the value does not fit %s", d->name,
                                 m->name, ck_type_name(k, d->a));
                }
            }
        }
        break;
    case N_ERROR_DECL:
        for (int i = 0; i < d->list.n; i++) {
            struct node *m = d->list.v[i];
            if (ck_find_field(k->errors, m->name)) {
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
            struct node *old = ck_lookup(k, m->name, 1);
            if (old && old->kind == N_ENUM_MEMBER && old->parent &&
                old->parent->kind == N_MATCH_KIND)
                cc_error(k->c, m->loc, "match_kind %s is declared twice",
                         m->name);
            m->parent = d;
            ck_declare(k, m->name, m);
        }
        break;
    case N_EXTERN:
        ck_declare(k, d->name, d);
        ck_push_scope(k);
        ck_declare_tparams(k, &d->tparams);
        for (int i = 0; i < d->list.n; i++) {
            struct node *m = d->list.v[i];
            m->parent = d;
            ck_push_scope(k);
            ck_declare_tparams(k, &m->tparams);
            if (m->a && !strcmp(m->name, d->name))
                cc_error(k->c, m->loc,
                         "%s: a constructor cannot have a return "
                         "type",
                         m->name);
            if (m->a)
                m->type = ck_canon(k, m->a);
            if (m->type &&
                (m->type->kind == N_CONTROL_TYPE ||
                 m->type->kind == N_PARSER_TYPE || m->type->kind == N_CONTROL ||
                 m->type->kind == N_PARSER || m->type->kind == N_PACKAGE))
                cc_error(k->c, m->loc, "method %s cannot return a %s", m->name,
                         node_kind_name(m->type->kind));
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
            ck_declare_params(k, &m->params, m);
            ck_pop_scope(k);
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
        ck_pop_scope(k);
        break;
    case N_FUNCTION: {
        ck_declare(k, d->name, d);
        ck_push_scope(k);
        ck_declare_tparams(k, &d->tparams);
        d->a = ck_canon(k, d->a);
        d->type = d->a;
        ck_declare_params(k, &d->params, d);
        struct node *saved = k->cur_function;
        k->cur_function = d;
        if (d->b)
            ck_block(k, d->b);
        if (d->b && d->type && d->type->kind != N_TVOID &&
            !always_returns(d->b))
            cc_error(k->c, d->loc,
                     "function %s does not return a value on every path",
                     d->name);
        k->cur_function = saved;
        ck_pop_scope(k);
        break;
    }
    case N_PARSER_TYPE:
    case N_CONTROL_TYPE:
    case N_PACKAGE:
        ck_declare(k, d->name, d);
        ck_push_scope(k);
        ck_declare_tparams(k, &d->tparams);
        ck_declare_params(k, &d->params, d);
        ck_pop_scope(k);
        break;
    case N_PARSER:
        ck_declare(k, d->name, d);
        ck_parser(k, d);
        break;
    case N_CONTROL:
        ck_declare(k, d->name, d);
        ck_control(k, d);
        break;
    case N_ACTION:
        ck_declare(k, d->name, d);
        d->parent = k->cur_block;
        ck_action(k, d);
        break;
    case N_TABLE:
        ck_declare(k, d->name, d);
        d->type = d;
        d->parent = k->cur_block;
        ck_table(k, d);
        break;
    case N_INSTANCE:
        check_instance(k, d);
        ck_declare(k, d->name, d);
        d->parent = k->cur_block;
        break;
    case N_VALUE_SET:
        d->a = ck_canon(k, d->a);
        d->type = d->a;
        if (d->type && d->type->kind == N_TINT)
            cc_error(k->c, d->loc,
                     "value_set %s: int is not a valid element "
                     "type (give it a width)",
                     d->name);
        ck_type_of(k, d->b);
        if (d->b && !ck_eval(k, d->b, &(unsigned __int128){0}))
            cc_error(k->c, d->b->loc,
                     "value_set %s: the size must be a compile-time constant",
                     d->name);
        ck_declare(k, d->name, d);
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
    ck_push_scope(&k);
    /* p4c lets a program use a type declared further down (the corpus'
     * skeleton files rely on it): ck_declare every top-level type first */
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
            ck_declare(&k, d->name, d);
            break;
        default:
            break;
        }
    }
    for (int i = 0; i < c->program->list.n; i++) {
        struct node *d = c->program->list.v[i];
        ck_decl(&k, d);
        /* structured annotations hold expressions of the top level */
        for (int j = 0; j < d->annots.n; j++) {
            struct node *an = d->annots.v[j];
            for (int x = 0; an->a && x < an->a->list.n; x++) {
                struct node *v = an->a->list.v[x];
                ck_type_of(&k, v->kind == N_NAMED ? v->a : v);
            }
        }
    }
    check_absolute_names(&k, c->program);
    for (int i = 0; i < c->program->list.n; i++) {
        struct node *d = c->program->list.v[i];
        if (d->kind == N_CONTROL || d->kind == N_PARSER)
            check_instance_cycle(&k, d, d, 0);
    }
    struct node *mn = ck_lookup(&k, "main", 1);
    if (mn && (mn->kind != N_INSTANCE || !mn->type ||
               (mn->type->kind != N_PACKAGE && mn->type->kind != N_TDONTCARE)))
        cc_error(c, mn->loc,
                 "main must be an instance of a package (e.g. "
                 "V1Switch(...) main;)");
    ck_pop_scope(&k);
    c->program->a = k.errors;
    return c->nerrors > errors0 ? -1 : 0;
}
