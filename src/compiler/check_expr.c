/* check_expr.c - the type of every expression (check_int.h).
 *
 * ck_type_of() computes an expression's type once and stores it in
 * node->type; names are bound to declarations on the way (node->decl).
 * Operators check their operand types as the P4_16 specification states them,
 * giving integer literals the width they are used at; values of a 'type' are
 * kept apart from their base type. Calls are typed in check_call.c.
 * Statements (check_stmt.c) and tables (check_table.c) call in here. */
#include "compiler/check_int.h"

#include <string.h>

#include "lib/diag.h"
#include "lib/vec.h"

static struct node *
set_type(struct node *e, struct node *t)
{
    e->type = t;
    return t;
}

/* The field named name of a struct-like type, or NULL. */
struct node *
ck_find_field(struct node *t, const char *name)
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
                 e->name, ck_type_name(k, t), s);
    else
        cc_error(k->c, e->loc, "'%s' is not a member of %s", e->name,
                 ck_type_name(k, t));
}

/* Methods of the built-in object types, as pseudo declarations: the type of
 * the member expression is a marker N_METHOD with the return type in a. */
static struct node *
builtin_method(struct ck *k, struct node *e, struct node *ret)
{
    struct node *m = ck_mk_type(k, N_METHOD, e->loc);
    m->name = e->name;
    m->a = ret;
    m->flags |= F_CONST; /* built-in */
    return m;
}

static struct node *
member_type(struct ck *k, struct node *e)
{
    struct node *bt = ck_type_of(k, e->a);
    struct node *base = e->a;
    if (!bt)
        return NULL;
    const char *m = e->name;
    /* error.X */
    if (bt == k->error_ns) {
        struct node *d = ck_find_field(k->errors, m);
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
        struct node *d = ck_find_field(base->decl, m);
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
        if (base->kind == N_NAME && base->decl == bt &&
            strcmp(m, "minSizeInBits") && strcmp(m, "minSizeInBytes") &&
            strcmp(m, "maxSizeInBits") && strcmp(m, "maxSizeInBytes")) {
            cc_error(k->c, base->loc,
                     "'%s' is a type; a value is expected before '.%s'",
                     base->name, m);
            return NULL;
        }
        if (!strcmp(m, "minSizeInBits") || !strcmp(m, "minSizeInBytes") ||
            !strcmp(m, "maxSizeInBits") || !strcmp(m, "maxSizeInBytes"))
            return builtin_method(k, e, k->t_int);
        if (bt->kind != N_STRUCT) {
            if (!strcmp(m, "isValid"))
                return builtin_method(k, e, k->t_bool);
            if (!strcmp(m, "setValid") || !strcmp(m, "setInvalid"))
                return builtin_method(k, e, k->t_void);
        }
        struct node *f = ck_find_field(bt, m);
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
            return ck_bit_type(k, 32, 0, e->loc);
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
            struct node *r =
                builtin_method(k, e, ck_mk_type(k, N_TABLE, e->loc));
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
        cc_error(k->c, e->loc, "'%s' has no member '%s'", ck_type_name(k, bt),
                 m);
        return NULL;
    case N_TNAME:
    case N_TDONTCARE:
        return NULL; /* a type variable: anything goes */
    default:
        cc_error(k->c, e->loc, "%s has no member '%s'", ck_type_name(k, bt), m);
        return NULL;
    }
}

static struct node *
name_type(struct ck *k, struct node *e)
{
    if (!strcmp(e->name, "error") && !(e->flags & F_TOPLEVEL))
        return k->error_ns;
    struct node *d = ck_lookup(k, e->name, e->flags & F_TOPLEVEL);
    if (!d) {
        ck_unknown_name(k, e, "name", e->name);
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
        struct node *t = d->type ? d->type : ck_canon(k, d->a);
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
void
ck_coerce_int(struct node *e, struct node *t)
{
    if (!e || !t || !e->type || e->type->kind != N_TINT || t->kind != N_TBIT)
        return;
    e->type = t;
    if (e->kind == N_UNOP || e->kind == N_BINOP) {
        ck_coerce_int(e->a, t);
        if (e->kind == N_BINOP && strcmp(e->op, "<<") && strcmp(e->op, ">>"))
            ck_coerce_int(e->b, t);
    } else if (e->kind == N_TERNARY) {
        ck_coerce_int(e->b, t);
        ck_coerce_int(e->c, t);
    }
}

struct node *
ck_newtype_of(struct ck *k, struct node *e)
{
    static struct node unknown;
    struct node *raw = NULL;
    if (!e)
        return NULL;
    switch (e->kind) {
    case N_NAME:
        if (e->decl && (e->decl->kind == N_VAR || e->decl->kind == N_PARAM ||
                        e->decl->kind == N_CONST))
            raw = e->decl->a;
        break;
    case N_MEMBER:
        if (e->decl && e->decl->kind == N_FIELD)
            raw = e->decl->a;
        break;
    case N_BINOP:
    case N_UNOP:
    case N_SLICE:
    case N_BOOL:
        return NULL;
    default:
        return &unknown; /* literals, casts, calls...: not tracked */
    }
    for (int n = 0; raw && raw->kind == N_TNAME && raw->name && n < 16; n++) {
        struct node *d = ck_lookup(k, raw->name, 1);
        if (!d || (d->kind != N_TYPEDEF && d->kind != N_NEWTYPE))
            return NULL;
        if (d->kind == N_NEWTYPE)
            return d;
        raw = d->a;
    }
    return NULL;
}

/* May values of types l and r be compared with == and != ? */
static int
comparable(struct node *l, struct node *r)
{
    if (l->kind == N_TVOID || r->kind == N_TVOID || l->kind == N_TABLE ||
        r->kind == N_TABLE)
        return 0;
    if (l->kind == N_STRUCT_INIT && r->kind == N_STRUCT_INIT)
        return 0; /* neither side says which struct */
    static const enum node_kind plain[] = {
        N_TVARBIT, N_HEADER, N_STRUCT,  N_HUNION,      N_TSTACK, N_TBIT,
        N_TBOOL,   N_TERROR, N_TSTRING, N_TMATCH_KIND, N_ENUM};
    int pl = 0, pr = 0;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        pl |= l->kind == plain[i];
        pr |= r->kind == plain[i];
    }
    if (!pl || !pr)
        return 1;
    if (l->kind != r->kind)
        return (l->kind == N_ENUM && r->kind == N_TBIT && l->a) ||
               (r->kind == N_ENUM && l->kind == N_TBIT && r->a);
    if (l->kind == N_TSTACK)
        return l->width == r->width && comparable(l->a, r->a) &&
               (l->a == r->a || l->a->kind != N_HEADER);
    if (l->kind == N_HEADER || l->kind == N_STRUCT || l->kind == N_HUNION ||
        (l->kind == N_ENUM))
        return l == r;
    return 1;
}

static struct node *
binop_type(struct ck *k, struct node *e)
{
    struct node *l = ck_type_of(k, e->a), *r = ck_type_of(k, e->b);
    if (l && r && l->kind == N_TBIT && r->kind == N_TINT &&
        strcmp(e->op, "<<") && strcmp(e->op, ">>") && strcmp(e->op, "++"))
        ck_coerce_int(e->b, l);
    else if (l && r && r->kind == N_TBIT && l->kind == N_TINT &&
             strcmp(e->op, "++"))
        ck_coerce_int(e->a, r);
    const char *op = e->op;
    if (!strcmp(op, "&&") || !strcmp(op, "||")) {
        if ((l && l->kind != N_TBOOL && !ck_is_typevar(l)) ||
            (r && r->kind != N_TBOOL && !ck_is_typevar(r)))
            cc_error(k->c, e->loc, "operands of '%s' must be bool", op);
        return k->t_bool;
    }
    if (!strcmp(op, "==") || !strcmp(op, "!=")) {
        if ((l && l->kind == N_EXTERN) || (r && r->kind == N_EXTERN))
            cc_error(k->c, e->loc, "extern instances cannot be compared");
        else if (l && r && (l->kind == N_STRUCT || l->kind == N_HEADER) &&
                 e->b->kind == N_STRUCT_INIT && !ck_fits(k, l, e->b))
            cc_error(k->c, e->b->loc, "this initializer does not fit %s",
                     ck_type_name(k, l));
        else if (l && r && (r->kind == N_STRUCT || r->kind == N_HEADER) &&
                 e->a->kind == N_STRUCT_INIT && !ck_fits(k, r, e->a))
            cc_error(k->c, e->a->loc, "this initializer does not fit %s",
                     ck_type_name(k, r));
        else if (l && r && !comparable(l, r))
            cc_error(k->c, e->loc, "%s cannot be compared to %s",
                     l->kind == N_TABLE ? "a table's apply result"
                                        : ck_type_name(k, l),
                     r->kind == N_TABLE ? "a table's apply result"
                                        : ck_type_name(k, r));
        else if (l && r &&
                 ((l->kind == N_ENUM && !l->a && r->kind != N_ENUM) ||
                  (r->kind == N_ENUM && !r->a && l->kind != N_ENUM)))
            cc_error(k->c, e->loc, "%s cannot be compared to %s",
                     ck_type_name(k, l), ck_type_name(k, r));
        else if (l && r && ck_is_bits(l) && ck_is_bits(r) &&
                 l->width != r->width)
            cc_error(k->c, e->loc,
                     "cannot compare %s and %s: widths differ (add a cast)",
                     ck_type_name(k, l), ck_type_name(k, r));
        return k->t_bool;
    }
    if (!strcmp(op, "<") || !strcmp(op, ">") || !strcmp(op, "<=") ||
        !strcmp(op, ">=")) {
        if ((l && !ck_is_numeric(l) && !ck_is_typevar(l)) ||
            (r && !ck_is_numeric(r) && !ck_is_typevar(r)))
            cc_error(k->c, e->loc, "operands of '%s' must be numbers", op);
        else if (ck_is_bits(l) && ck_is_bits(r) && l->width != r->width)
            cc_error(k->c, e->loc,
                     "cannot compare %s and %s: widths differ (add a cast)",
                     ck_type_name(k, l), ck_type_name(k, r));
        return k->t_bool;
    }
    if (!strcmp(op, "++")) {
        if (l && r && ck_is_bits(l) && ck_is_bits(r))
            return ck_bit_type(k, l->width + r->width, l->flags & F_SIGNED,
                               e->loc);
        if ((l && l->kind == N_TINT) || (r && r->kind == N_TINT))
            cc_error(k->c, e->loc, "'++' needs operands of known width");
        return NULL;
    }
    if (!strcmp(op, "<<") || !strcmp(op, ">>")) {
        unsigned __int128 sh;
        if (l && !ck_is_numeric(l) && !ck_is_typevar(l))
            cc_error(k->c, e->loc, "cannot shift a %s", ck_type_name(k, l));
        else if (ck_is_bits(l) && l->width && ck_eval(k, e->b, &sh) &&
                 sh >= (unsigned)l->width)
            cc_warning(k->c, e->loc,
                       "shifting a %s by %llu bits always gives "
                       "%s",
                       ck_type_name(k, l), (unsigned long long)sh,
                       !strcmp(op, ">>") && (l->flags & F_SIGNED) ? "0 or -1"
                                                                  : "0");
        if (r && ck_is_bits(r) && (r->flags & F_SIGNED))
            cc_error(k->c, e->loc, "the shift amount must be unsigned");
        else if (l && l->kind == N_TINT && !ck_eval(k, e->b, &sh))
            cc_error(k->c, e->loc,
                     "shifting an integer of unknown width by a run-time "
                     "amount: give the left side a width, as in 8w5");
        else if (l && l->kind == N_TINT && ck_eval(k, e->b, &sh) && sh > 2048 &&
                 ck_eval(k, e->a, &sh))
            cc_error(k->c, e->loc,
                     "this shift gives a value wider than 2048 bits");
        return l;
    }
    /* arithmetic and bitwise: not on values of a 'type' */
    struct node *nt = ck_newtype_of(k, e->a);
    if (!nt || !nt->name)
        nt = ck_newtype_of(k, e->b);
    if (nt && nt->name) {
        cc_error(k->c, e->loc,
                 "'%s' is not defined on values of type %s (cast them to "
                 "%s first)",
                 op, nt->name, ck_type_name(k, nt->type));
        return NULL;
    }
    if ((l && !ck_is_numeric(l) && !ck_is_typevar(l) &&
         !(l->kind == N_ENUM && 0)) ||
        (r && !ck_is_numeric(r) && !ck_is_typevar(r))) {
        cc_error(k->c, e->loc, "operands of '%s' must be numbers, not %s", op,
                 ck_type_name(k, l && !ck_is_numeric(l) ? l : r));
        return NULL;
    }
    if ((!strcmp(op, "/") || !strcmp(op, "%")) &&
        ((l && l->kind == N_TBIT && (l->flags & F_SIGNED)) ||
         (r && r->kind == N_TBIT && (r->flags & F_SIGNED))))
        cc_error(k->c, e->loc, "'%s' is not defined on signed values", op);
    unsigned __int128 dv, nv;
    if ((!strcmp(op, "/") || !strcmp(op, "%")) && ck_is_bits(l) &&
        !ck_eval(k, e->a, &nv) &&
        (!ck_eval(k, e->b, &dv) || !dv || (dv & (dv - 1))))
        cc_error(k->c, e->loc,
                 "'%s' needs a constant power of two on the right when the "
                 "left side is only known at run time",
                 op);
    if ((!strcmp(op, "/") || !strcmp(op, "%")) &&
        ((e->a->kind == N_UNOP && !strcmp(e->a->op, "-")) ||
         (e->b->kind == N_UNOP && !strcmp(e->b->op, "-"))))
        cc_error(k->c, e->loc, "'%s' is not defined for negative numbers", op);
    if (ck_is_bits(l) && ck_is_bits(r)) {
        if (l->width != r->width ||
            (l->flags & F_SIGNED) != (r->flags & F_SIGNED))
            cc_error(k->c, e->loc,
                     "operands of '%s' have different types %s and %s "
                     "(add a cast)",
                     op, ck_type_name(k, l), ck_type_name(k, r));
        return l;
    }
    if (ck_is_bits(l))
        return l;
    if (ck_is_bits(r))
        return r;
    return l ? l : r;
}

struct node *
ck_type_of(struct ck *k, struct node *e)
{
    if (!e)
        return NULL;
    if (e->type)
        return e->type;
    struct node *t = NULL;
    switch (e->kind) {
    case N_INT:
        if (e->flags & F_HAS_WIDTH) {
            t = ck_bit_type(k, e->width, e->flags & F_SIGNED, e->loc);
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
        struct node *bt = ck_type_of(k, e->a);
        ck_type_of(k, e->b);
        if (bt && bt->kind == N_TSTACK) {
            unsigned __int128 v;
            if (ck_eval(k, e->b, &v) && bt->width && v >= (unsigned)bt->width)
                cc_error(k->c, e->b->loc, "index %llu is out of bounds of %s",
                         (unsigned long long)v, ck_type_name(k, bt));
            t = bt->a;
        } else if (bt && (bt->kind == N_TTUPLE || bt->kind == N_TLIST)) {
            unsigned __int128 v;
            if (e->b->kind == N_UNOP && !strcmp(e->b->op, "-"))
                cc_error(k->c, e->b->loc, "a tuple index cannot be negative");
            else if (!ck_eval(k, e->b, &v))
                cc_error(k->c, e->b->loc, "a tuple index must be a constant");
            else if (v >= (unsigned)bt->targs.n)
                cc_error(k->c, e->b->loc, "tuple index %d is out of range",
                         (int)v);
            else
                t = bt->targs.v[(int)v];
        } else if (bt && !ck_is_typevar(bt)) {
            cc_error(k->c, e->loc, "%s cannot be indexed", ck_type_name(k, bt));
        }
        break;
    }
    case N_SLICE: {
        struct node *bt = ck_type_of(k, e->a);
        ck_type_of(k, e->b);
        ck_type_of(k, e->c);
        unsigned __int128 hi, lo;
        if (e->op) { /* a[lo +: w]: c = lo, b = width */
            if (!ck_eval(k, e->b, &hi)) {
                cc_error(k->c, e->b->loc, "the width of '+:' must be constant");
                break;
            }
            if (e->c->kind == N_UNOP && !strcmp(e->c->op, "-")) {
                cc_error(k->c, e->c->loc, "a bit index cannot be negative");
                break;
            }
            if (ck_eval(k, e->c, &lo) && ck_is_bits(bt) &&
                lo + hi > (unsigned)bt->width) {
                cc_error(k->c, e->loc,
                         "slice [%llu +: %llu] is out of range of %s",
                         (unsigned long long)lo, (unsigned long long)hi,
                         ck_type_name(k, bt));
                break;
            }
            t = ck_bit_type(k, (int)hi, 0, e->loc);
            break;
        }
        if (!ck_eval(k, e->b, &hi) || !ck_eval(k, e->c, &lo)) {
            cc_error(k->c, e->loc,
                     "slice bounds must be compile-time constants");
            break;
        }
        if (bt && !ck_is_numeric(bt) && !ck_is_typevar(bt)) {
            cc_error(k->c, e->loc, "cannot slice a %s", ck_type_name(k, bt));
            break;
        }
        if (hi < lo || (ck_is_bits(bt) && hi >= (unsigned)bt->width)) {
            cc_error(k->c, e->loc, "slice [%llu:%llu] is out of range of %s",
                     (unsigned long long)hi, (unsigned long long)lo,
                     ck_type_name(k, bt));
            break;
        }
        t = ck_bit_type(k, (int)(hi - lo + 1), 0, e->loc);
        break;
    }
    case N_CALL:
        t = ck_call_type(k, e);
        break;
    case N_UNOP: {
        struct node *a = ck_type_of(k, e->a);
        if (!strcmp(e->op, "!")) {
            if (a && a->kind != N_TBOOL && !ck_is_typevar(a))
                cc_error(k->c, e->loc, "'!' needs a bool, not %s",
                         ck_type_name(k, a));
            t = k->t_bool;
        } else {
            if (a && !ck_is_numeric(a) && !ck_is_typevar(a))
                cc_error(k->c, e->loc, "'%s' needs a number, not %s", e->op,
                         ck_type_name(k, a));
            t = a;
        }
        break;
    }
    case N_BINOP:
        t = binop_type(k, e);
        break;
    case N_TERNARY: {
        struct node *c = ck_type_of(k, e->a);
        if (c && c->kind != N_TBOOL && !ck_is_typevar(c))
            cc_error(k->c, e->a->loc, "the condition of '?:' must be bool");
        struct node *b = ck_type_of(k, e->b), *d = ck_type_of(k, e->c);
        t = b && b->kind != N_TINT ? b : d;
        break;
    }
    case N_CAST: {
        e->a = ck_canon(k, e->a);
        struct node *from = ck_type_of(k, e->b);
        t = e->a;
        if (t && (e->b->kind == N_LIST || e->b->kind == N_STRUCT_INIT) &&
            !(t->kind == N_STRUCT || t->kind == N_HEADER ||
              t->kind == N_HUNION || t->kind == N_TSTACK ||
              t->kind == N_TTUPLE || t->kind == N_TLIST ||
              t->kind == N_TDONTCARE || ck_is_typevar(t)))
            cc_error(k->c, e->loc, "cannot cast a %s to %s",
                     e->b->kind == N_LIST ? "list {...}"
                                          : "{name = value} initializer",
                     ck_type_name(k, t));
        else if (from && t && from->kind == N_TBOOL && ck_is_bits(t) &&
                 t->width != 1)
            cc_error(k->c, e->loc, "cannot cast bool to %s",
                     ck_type_name(k, t));
        else if (t && (t->kind == N_TVARBIT || t->kind == N_TSTRING ||
                       t->kind == N_TTUPLE || t->kind == N_TSTACK))
            cc_error(k->c, e->loc, "cast to %s is not supported",
                     ck_type_name(k, t));
        else if (t && from && ck_is_bits(t) && ck_is_bits(from) &&
                 (t->flags & F_SIGNED) != (from->flags & F_SIGNED) &&
                 t->width != from->width)
            cc_error(k->c, e->loc,
                     "cannot cast %s to %s: change the sign and the "
                     "width in two casts",
                     ck_type_name(k, from), ck_type_name(k, t));
        else if (t && (t->kind == N_HEADER || t->kind == N_STRUCT) &&
                 e->b->kind == N_STRUCT_INIT) {
            for (int i = 0; i < e->b->list.n; i++) {
                struct node *fi = e->b->list.v[i];
                struct node *f = ck_find_field(t, fi->name);
                if (!f)
                    cc_error(k->c, fi->loc, "%s has no field '%s'",
                             ck_type_name(k, t), fi->name);
                else if (!ck_fits(k, f->type, fi->a))
                    cc_error(k->c, fi->loc, "field '%s' is %s, not %s",
                             fi->name, ck_type_name(k, f->type),
                             ck_type_name(k, fi->a->type));
            }
        } else if (t && t->kind == N_ENUM && !t->a && from)
            cc_error(k->c, e->loc,
                     "cannot cast to enum %s (it has no "
                     "underlying type)",
                     t->name);
        break;
    }
    case N_LIST: {
        t = ck_mk_type(k, N_TTUPLE, e->loc);
        for (int i = 0; i < e->list.n; i++)
            nlist_push(k->A, &t->targs, ck_type_of(k, e->list.v[i]));
        break;
    }
    case N_STRUCT_INIT:
        for (int i = 0; i < e->list.n; i++)
            ck_type_of(k, e->list.v[i]->a);
        t = ck_mk_type(k, N_STRUCT_INIT, e->loc);
        break;
    case N_NAMED:
        t = ck_type_of(k, e->a);
        break;
    case N_MASK:
    case N_RANGE: {
        struct node *l = ck_type_of(k, e->a), *r = ck_type_of(k, e->b);
        if (l && r && ck_is_bits(l) && ck_is_bits(r) &&
            (l->width != r->width ||
             (l->flags & F_SIGNED) != (r->flags & F_SIGNED)))
            cc_error(k->c, e->loc,
                     "the operands of '%s' have different types "
                     "%s and %s",
                     e->kind == N_MASK ? "&&&" : "..", ck_type_name(k, l),
                     ck_type_name(k, r));
        t = l && l->kind != N_TINT ? l : r;
        break;
    }
    case N_TYPEARG:
        e->a = ck_canon(k, e->a);
        t = e->a;
        break;
    case N_DEFAULT:
    case N_DONTCARE:
        t = ck_mk_type(k, N_TDONTCARE, e->loc);
        break;
    default:
        break;
    }
    return set_type(e, t);
}

int
ck_is_lvalue(struct node *e)
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
        return e->decl && e->decl->kind == N_FIELD && ck_is_lvalue(e->a);
    case N_INDEX:
    case N_SLICE:
        return ck_is_lvalue(e->a);
    case N_DONTCARE:
        return 1;
    default:
        return 0;
    }
}
