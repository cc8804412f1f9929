/* check_call.c - calls and instantiations (check_int.h).
 *
 * A call picks the overload of a function or method by its argument count,
 * binds the type variables of a generic callee (explicit type arguments, the
 * receiver's type arguments, inference from the arguments) and checks every
 * argument against its parameter: direction, type, list and {name = value}
 * initializers field by field. An instantiation chooses the extern's
 * constructor, checks the abstract methods its initializer implements, and
 * for packages, parsers and controls checks the parsers and controls passed
 * in against the parser and control types the parameters name (binding the
 * package's type variables, as V1Switch's H and M). Expressions in general
 * are typed in check_expr.c, which calls ck_call_type(). */
#include "compiler/check_int.h"

#include <string.h>

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

/* Does type t contain a varbit (itself or a field's type)? */
static int
has_varbit_at(struct node *t, int depth)
{
    if (!t || depth > 32)
        return 0;
    if (t->kind == N_TVARBIT)
        return 1;
    if (t->kind == N_HEADER || t->kind == N_STRUCT)
        for (int i = 0; i < t->list.n; i++)
            if (t->list.v[i]->type != t &&
                has_varbit_at(t->list.v[i]->type, depth + 1))
                return 1;
    return 0;
}

static int
has_varbit(struct node *t)
{
    return has_varbit_at(t, 0);
}

/* Type variables of a generic call and what they are bound to: by explicit
 * type arguments, by the receiver's type arguments (a method of a generic
 * extern) or inferred from the arguments. */
struct tbind {
    int n;
    struct node *tp[16];  /* the type parameters */
    struct node *ty[16];  /* bound type or NULL */
    struct node *arg[16]; /* the argument that bound it (for messages) */
    int fixed[16];        /* given explicitly, not inferred */
    int infer[16];        /* an extern's '_' type argument */
    int vague;            /* something was not unified: no inference errors */
};

static int
tb_index(struct tbind *b, struct node *tv)
{
    if (!tv || tv->kind != N_TNAME)
        return -1;
    for (int i = 0; i < b->n; i++)
        if (b->tp[i] == tv ||
            (tv->name && b->tp[i]->name && !strcmp(b->tp[i]->name, tv->name)))
            return i;
    return -1;
}

static void
tb_add(struct tbind *b, struct nlist *tps)
{
    for (int i = 0; i < tps->n && b->n < 16; i++) {
        b->tp[b->n] = tps->v[i];
        b->ty[b->n] = NULL;
        b->arg[b->n++] = NULL;
    }
}

/* The type arguments an expression's declaration was written with (an
 * instance or parameter of type X<A, B>), or NULL. */
static struct nlist *
decl_targs(struct node *x)
{
    struct node *d = x ? x->decl : NULL;
    if (!d || (d->kind != N_INSTANCE && d->kind != N_PARAM && d->kind != N_VAR))
        return NULL;
    if (!d->a || d->a->kind != N_TNAME || !d->a->targs.n)
        return NULL;
    return &d->a->targs;
}

/* Binds type variable index t to type ty (from argument x); reports a
 * conflict with an earlier binding. */
static void
tb_bind(struct ck *k, struct tbind *b, int t, struct node *ty, struct node *x,
        struct node *fn)
{
    if (!ty || ty->kind == N_TDONTCARE)
        return;
    struct node *seen = b->ty[t];
    if (seen && ck_is_typevar(seen) && seen != ty && !ck_is_typevar(ty)) {
        /* a type variable of the enclosing generic stands for any type:
         * nothing more precise fits it */
        cc_error(k->c, x->loc,
                 "type %s of this argument does not match %s bound for %s of "
                 "%s",
                 ck_type_name(k, ty), ck_type_name(k, seen), b->tp[t]->name,
                 fn->name ? fn->name : "?");
        return;
    }
    if (seen && b->fixed[t] && ty->kind != N_TNAME && !ck_assignable(seen, ty))
        cc_error(k->c, x->loc,
                 "type %s of this argument does not match %s given for %s "
                 "of %s",
                 ck_type_name(k, ty), ck_type_name(k, seen), b->tp[t]->name,
                 fn->name ? fn->name : "?");
    else if (b->fixed[t])
        ;
    else if (!seen || (seen->kind == N_TINT && ty->kind != N_TINT)) {
        b->ty[t] = ty;
        b->arg[t] = x;
    } else if (ty->kind != N_TNAME && seen->kind != N_TNAME &&
               ty->kind != N_TINT && !ck_assignable(seen, ty))
        cc_error(k->c, x->loc,
                 "type %s of this argument conflicts with %s inferred for %s "
                 "of %s",
                 ck_type_name(k, ty), ck_type_name(k, seen), b->tp[t]->name,
                 fn->name ? fn->name : "?");
}

/* Binds the type variables in parameter type pt (the canonical type; pa is
 * the type as written, for X<T> parameters) from argument x. */
static void
tb_unify(struct ck *k, struct tbind *b, struct node *pt, struct node *pa,
         struct node *x, struct node *fn)
{
    int t = tb_index(b, pt);
    if (t >= 0) {
        tb_bind(k, b, t, x->type, x, fn);
        return;
    }
    struct nlist *xa = decl_targs(x);
    if (pa && pa->kind == N_TNAME && pa->targs.n && xa &&
        pa->decl == (x->decl->a ? x->decl->a->decl : NULL))
        for (int i = 0; i < pa->targs.n && i < xa->n; i++) {
            int u = tb_index(b, pa->targs.v[i]);
            if (u >= 0)
                tb_bind(k, b, u, xa->v[i], x, fn);
        }
    if (pt && pt->kind == N_TTUPLE && x->kind == N_LIST)
        for (int i = 0; i < pt->targs.n && i < x->list.n; i++)
            tb_unify(k, b, pt->targs.v[i], NULL, x->list.v[i], fn);
}

/* t with the bound type variables of b replaced (only t itself: types are
 * shared nodes, so nested occurrences are left alone). */
static struct node *
tb_subst(struct tbind *b, struct node *t)
{
    int i = tb_index(b, t);
    return i >= 0 && b->ty[i] ? b->ty[i] : t;
}

/* Can expression x be used where a value of type want is expected?
 * Element-wise for {...} lists and {name = ...} initializers. */
int
ck_fits(struct ck *k, struct node *want, struct node *x)
{
    if (!want || !x || !x->type || ck_is_typevar(want) ||
        want->kind == N_TDONTCARE || ck_is_typevar(x->type) ||
        x->type->kind == N_TDONTCARE)
        return 1;
    if (x->kind == N_LIST) {
        if (want->kind == N_STRUCT || want->kind == N_HEADER) {
            if (x->list.n != want->list.n)
                return 0;
            for (int i = 0; i < x->list.n; i++)
                if (!ck_fits(k, want->list.v[i]->type, x->list.v[i]))
                    return 0;
            return 1;
        }
        if (want->kind == N_TTUPLE) {
            if (x->list.n != want->targs.n)
                return 0;
            for (int i = 0; i < x->list.n; i++)
                if (!ck_fits(k, want->targs.v[i], x->list.v[i]))
                    return 0;
            return 1;
        }
        if (want->kind == N_TLIST) {
            for (int i = 0; i < x->list.n && want->targs.n; i++)
                if (!ck_fits(k, want->targs.v[0], x->list.v[i]))
                    return 0;
            return 1;
        }
        return want->kind == N_TSTACK;
    }
    if (x->kind == N_STRUCT_INIT) {
        if (want->kind == N_STRUCT || want->kind == N_HEADER) {
            for (int i = 0; i < x->list.n; i++) {
                struct node *f = ck_find_field(want, x->list.v[i]->name);
                if (!f || !ck_fits(k, f->type, x->list.v[i]->a))
                    return 0;
            }
            return 1;
        }
        return want->kind == N_HUNION;
    }
    if (x->type->kind == N_TINT)
        return ck_is_numeric(want);
    return ck_assignable(want, x->type);
}

/* Is t a type no argument of a function, method or action can have? */
static int
object_type(struct node *t)
{
    return t && (t->kind == N_TABLE || t->kind == N_CONTROL ||
                 t->kind == N_PARSER || t->kind == N_PACKAGE);
}

/* Directions and types of arguments (every callable); binds and checks the
 * type parameters of generic callees. */
static void
check_arg_kinds(struct ck *k, struct node *call, struct node *fn)
{
    struct tbind tb = {0};
    tb_add(&tb, &fn->tparams);
    if (call->targs.n && fn->kind == N_ACTION)
        cc_error(k->c, call->loc, "action %s takes no type arguments",
                 fn->name);
    else if (call->targs.n && call->targs.n != fn->tparams.n)
        cc_error(k->c, call->loc, "%s expects %d type argument%s, got %d",
                 fn->name ? fn->name : "?", fn->tparams.n,
                 fn->tparams.n == 1 ? "" : "s", call->targs.n);
    else if (call->targs.n) {
        for (int i = 0; i < call->targs.n && i < tb.n; i++)
            if (call->targs.v[i] && call->targs.v[i]->kind != N_TDONTCARE) {
                tb.ty[i] = call->targs.v[i];
                tb.fixed[i] = 1;
            }
    }
    /* a method of a generic extern: its type variables are the
     * instance's type arguments */
    if (fn->kind == N_METHOD && fn->parent && fn->parent->kind == N_EXTERN &&
        call->a->kind == N_MEMBER) {
        int first = tb.n;
        tb_add(&tb, &fn->parent->tparams);
        struct nlist *xa = decl_targs(call->a->a);
        for (int i = 0; xa && i < xa->n && first + i < tb.n; i++) {
            if (!xa->v[i] || xa->v[i]->kind == N_TDONTCARE) {
                tb.infer[first + i] = 1; /* E<_>: inferred at each call */
                continue;
            }
            tb.ty[first + i] = xa->v[i];
            tb.fixed[first + i] = 1;
        }
    }
    for (int i = 0; i < call->args.n; i++) {
        struct node *a0 = call->args.v[i];
        struct node *p0 = param_for(fn, call, i);
        struct node *x0 = a0->kind == N_NAMED ? a0->a : a0;
        if (!p0 || !x0 || !x0->type || !p0->type)
            continue;
        if (fn->kind != N_METHOD || fn->a)
            if (object_type(x0->type) && x0->kind != N_CALL) {
                cc_error(k->c, x0->loc, "argument '%s' cannot be a %s (%s)",
                         p0->name, node_kind_name(x0->type->kind),
                         x0->type->name ? x0->type->name : "?");
                continue;
            }
        tb_unify(k, &tb, p0->type, p0->a, x0, fn);
    }
    for (int t = 0; t < tb.n; t++)
        if ((t < fn->tparams.n || tb.infer[t]) && !tb.fixed[t] && tb.ty[t] &&
            tb.ty[t]->kind == N_TINT && tb.arg[t])
            cc_error(k->c, tb.arg[t]->loc,
                     "could not infer a width for %s of %s from this "
                     "integer (give it one, as in 16w5)",
                     tb.tp[t]->name, fn->name ? fn->name : "?");
    for (int i = 0; i < call->args.n; i++) {
        struct node *a0 = call->args.v[i];
        struct node *p0 = param_for(fn, call, i);
        struct node *x0 = a0->kind == N_NAMED ? a0->a : a0;
        int u = p0 ? tb_index(&tb, p0->type) : -1;
        if (x0 && x0->kind == N_DONTCARE && u >= 0 && !tb.ty[u])
            cc_error(k->c, x0->loc,
                     "cannot infer a type for %s of %s from '_' (give the "
                     "type argument: %s<T>(...))",
                     tb.tp[u]->name, fn->name ? fn->name : "?",
                     fn->name ? fn->name : "?");
        if (!p0 || !x0 || x0->kind == N_DONTCARE || !x0->type || !p0->type)
            continue;
        struct node *want = tb_subst(&tb, p0->type);
        if (want != p0->type && want->kind == N_TSTRING &&
            (p0->flags & F_DIR_INOUT)) {
            cc_error(k->c, x0->loc,
                     "a string cannot be passed for '%s', a parameter with a "
                     "direction",
                     p0->name);
            continue;
        }
        if (want == p0->type &&
            !(x0->kind == N_LIST || x0->kind == N_STRUCT_INIT))
            continue; /* the checks below */
        if (want->kind == N_STRUCT_INIT)
            cc_error(k->c, x0->loc,
                     "cannot infer a type for this initializer of generic "
                     "parameter '%s' (cast it to a struct type: (S){...})",
                     p0->name);
        else if (!ck_fits(k, want, x0))
            cc_error(k->c, x0->loc, "argument '%s' must be %s, not %s",
                     p0->name, ck_type_name(k, want),
                     x0->kind == N_LIST          ? "this list"
                     : x0->kind == N_STRUCT_INIT ? "this initializer"
                                                 : ck_type_name(k, x0->type));
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
        if (x && x->kind == N_DONTCARE && !(p->flags & F_DIR_OUT))
            cc_error(k->c, x->loc,
                     "'_' can only be given for an out parameter, '%s' is "
                     "not one",
                     p->name);
        if (!x || x->kind == N_DONTCARE)
            continue;
        if ((p->flags & F_DIR_OUT) && x->type && !ck_is_lvalue(x))
            cc_error(k->c, x->loc,
                     "argument for %s parameter '%s' must be "
                     "something that can be assigned",
                     (p->flags & F_DIR_IN) ? "inout" : "out", p->name);
        struct node *pt = p->type, *at = x->type;
        if (pt && at && pt->kind == N_TBOOL && at->kind != N_TBOOL &&
            !ck_is_typevar(at))
            cc_error(k->c, x->loc, "argument '%s' must be bool, not %s",
                     p->name, ck_type_name(k, at));
        else if (pt && at && ck_is_bits(pt) && at->kind == N_TBOOL)
            cc_error(k->c, x->loc, "argument '%s' must be %s, not bool",
                     p->name, ck_type_name(k, pt));
        else if (pt && at && (pt->kind == N_HEADER || pt->kind == N_STRUCT) &&
                 (at->kind == N_HEADER || at->kind == N_STRUCT) && pt != at)
            cc_error(k->c, x->loc, "argument '%s' must be %s %s, not %s",
                     p->name, node_kind_name(pt->kind), pt->name,
                     ck_type_name(k, at));
        else if (pt && at && (pt->kind == N_STRUCT || pt->kind == N_HEADER) &&
                 (at->kind == N_TTUPLE || at->kind == N_TLIST) &&
                 x->kind != N_LIST)
            cc_error(k->c, x->loc, "argument '%s' must be %s %s, not a tuple",
                     p->name, node_kind_name(pt->kind), pt->name);
        else if (pt && at && pt->kind == N_TBIT && at->kind == N_TBIT &&
                 pt->width != at->width)
            cc_error(k->c, x->loc, "argument '%s' must be %s, not %s", p->name,
                     ck_type_name(k, pt), ck_type_name(k, at));
        else if (pt && at && pt->kind == N_TBIT && at->kind == N_TINT)
            ck_coerce_int(x, pt);
    }
}

/* Are a and b the same type (type variables of b replaced through tb)? */
static int
same_type(struct tbind *tb, struct node *a, struct node *b)
{
    b = tb_subst(tb, b);
    if (!a || !b || a == b || ck_is_typevar(a) || ck_is_typevar(b) ||
        a->kind == N_TDONTCARE || b->kind == N_TDONTCARE)
        return 1;
    if (a->kind != b->kind)
        return 0;
    if (a->kind == N_TBIT || a->kind == N_TVARBIT)
        return a->width == b->width &&
               (a->flags & F_SIGNED) == (b->flags & F_SIGNED);
    if (a->kind == N_TTUPLE || a->kind == N_TLIST) {
        if (a->targs.n != b->targs.n)
            return 0;
        for (int i = 0; i < a->targs.n; i++)
            if (!same_type(tb, a->targs.v[i], b->targs.v[i]))
                return 0;
        return 1;
    }
    switch (a->kind) {
    case N_TBOOL:
    case N_TINT:
    case N_TSTRING:
    case N_TERROR:
    case N_TVOID:
    case N_TMATCH_KIND:
        return 1;
    default:
        return a == b;
    }
}

/* A name in e that is only known at run time (a directional parameter, a
 * variable), or NULL. */
static struct node *
runtime_value(struct node *e, int depth)
{
    if (!e || depth > 64)
        return NULL;
    if (e->kind == N_NAME)
        return e->decl && ((e->decl->kind == N_PARAM &&
                            (e->decl->flags & F_DIR_INOUT)) ||
                           e->decl->kind == N_VAR)
                   ? e
                   : NULL;
    struct node *r = NULL;
    if (e->kind == N_MEMBER || e->kind == N_CAST || e->kind == N_NAMED)
        return runtime_value(e->kind == N_CAST ? e->b : e->a, depth + 1);
    if (e->kind == N_BINOP || e->kind == N_UNOP || e->kind == N_TERNARY ||
        e->kind == N_INDEX || e->kind == N_SLICE) {
        if ((r = runtime_value(e->a, depth + 1)) ||
            (r = runtime_value(e->b, depth + 1)))
            return r;
        return e->kind == N_TERNARY ? runtime_value(e->c, depth + 1) : NULL;
    }
    struct nlist *l = e->kind == N_CALL ? &e->args : &e->list;
    if (e->kind == N_CALL || e->kind == N_LIST || e->kind == N_STRUCT_INIT)
        for (int i = 0; i < l->n; i++)
            if ((r = runtime_value(l->v[i], depth + 1)))
                return r;
    return NULL;
}

static int
is_object(struct node *t)
{
    return t && (t->kind == N_PARSER || t->kind == N_CONTROL ||
                 t->kind == N_PACKAGE || t->kind == N_PARSER_TYPE ||
                 t->kind == N_CONTROL_TYPE);
}

/* The parser or control x (of type at) passed for a parameter of parser or
 * control type want, written pa (Parser<H, M>): the same apply parameters,
 * directions and types; the type variables of the package being
 * instantiated (outer) are bound on the way. */
static void
check_object_arg(struct ck *k, struct tbind *outer, struct node *want,
                 struct node *pa, struct node *at, struct node *x)
{
    struct tbind in = {0};
    tb_add(&in, &want->tparams);
    for (int i = 0; pa && pa->kind == N_TNAME && i < pa->targs.n && i < in.n;
         i++)
        in.ty[i] = pa->targs.v[i];
    if (at->tparams.n) {
        outer->vague = 1;
        return; /* a generic parser or control: bound at its own apply */
    }
    if (at->params.n != want->params.n) {
        cc_error(k->c, x->loc, "%s %s has %d parameter%s, but %s %s expects %d",
                 node_kind_name(at->kind), at->name, at->params.n,
                 at->params.n == 1 ? "" : "s", node_kind_name(want->kind),
                 want->name, want->params.n);
        return;
    }
    for (int j = 0; j < at->params.n; j++) {
        struct node *fp = want->params.v[j], *ap = at->params.v[j];
        if ((fp->flags & F_DIR_INOUT) != (ap->flags & F_DIR_INOUT)) {
            cc_error(k->c, ap->loc,
                     "parameter '%s' of %s has another direction than "
                     "'%s' of %s",
                     ap->name, at->name, fp->name, want->name);
            return;
        }
        struct node *ft = fp->type, *aty = ap->type, *by = NULL;
        const char *tvar = NULL;
        int u = tb_index(&in, ft);
        if (u >= 0 && in.ty[u]) {
            ft = in.ty[u];
            int o = tb_index(outer, ft);
            if (o >= 0) {
                tvar = outer->tp[o]->name;
                by = outer->arg[o];
                if (!outer->ty[o]) {
                    outer->ty[o] = aty;
                    outer->arg[o] = x;
                    continue;
                }
                ft = outer->ty[o];
            }
        } else if (u >= 0) {
            in.ty[u] = aty;
            continue;
        }
        if (!same_type(outer, ft, aty) && !same_type(outer, aty, ft)) {
            const char *why = "";
            if (tvar && by && by->kind == N_CALL && by->a && by->a->name)
                why = arena_printf(k->A, " (%s is %s, as %s has it)", tvar,
                                   ck_type_name(k, ft), by->a->name);
            else if (tvar)
                why = arena_printf(k->A, " (%s is %s)", tvar,
                                   ck_type_name(k, ft));
            cc_error(k->c, ap->loc,
                     "parameter '%s' of %s has type %s, but %s expects %s "
                     "here%s",
                     ap->name, at->name, ck_type_name(k, aty), want->name,
                     ck_type_name(k, ft), why);
            return;
        }
    }
}

/* A package instance x passed for parameter p of package type: its type
 * arguments are those p's type (Ingress<IH>) asks for. */
static void
check_package_arg(struct ck *k, struct tbind *outer, struct node *p,
                  struct node *x)
{
    struct node *pa = p->a;
    struct node *xd = x->kind == N_NAME ? x->decl : NULL;
    if (!pa || pa->kind != N_TNAME || !xd || xd->kind != N_INSTANCE || !xd->a ||
        xd->a->kind != N_TNAME)
        return;
    struct nlist *xa = &xd->a->targs;
    for (int i = 0; i < pa->targs.n && i < xa->n; i++) {
        struct node *w = pa->targs.v[i];
        int o = tb_index(outer, w);
        if (o >= 0 && !outer->ty[o]) {
            outer->ty[o] = xa->v[i];
            outer->arg[o] = x;
            continue;
        }
        if (o >= 0)
            w = outer->ty[o];
        if (!same_type(outer, w, xa->v[i]) || !same_type(outer, xa->v[i], w))
            cc_error(k->c, x->loc,
                     "'%s' is %s<%s>, but parameter '%s' needs %s<%s>", x->name,
                     p->type->name, ck_type_name(k, xa->v[i]), p->name,
                     p->type->name, ck_type_name(k, w));
    }
}

/* The constructor arguments of a package, parser or control t (instance or
 * nested constructor call at): their count, and the parsers, controls and
 * packages passed for parameters of those types. */
static void
check_object_ctor(struct ck *k, struct node *t, struct nlist *targs,
                  struct nlist *args, struct node *at, int depth)
{
    struct nlist *ps = t->kind == N_PACKAGE ? &t->params : &t->ctor;
    int req = 0;
    for (int i = 0; i < ps->n; i++)
        req += ps->v[i]->b == NULL;
    if (args->n > ps->n || args->n < req ||
        (args->n && args->v[0]->kind == N_NAMED) || depth > 16) {
        if (!(args->n && args->v[0]->kind == N_NAMED) && depth <= 16)
            cc_error(k->c, at->loc, "%s %s takes %d argument%s, not %d",
                     node_kind_name(t->kind), t->name, ps->n,
                     ps->n == 1 ? "" : "s", args->n);
        return;
    }
    struct tbind tb = {0};
    tb_add(&tb, &t->tparams);
    for (int i = 0; targs && i < targs->n && i < tb.n; i++)
        if (targs->v[i] && targs->v[i]->kind != N_TDONTCARE) {
            tb.ty[i] = targs->v[i];
            tb.fixed[i] = 1;
        }
    for (int i = 0; i < args->n; i++) {
        struct node *x = args->v[i], *p = ps->v[i];
        struct node *want = p->type, *xt = x->type;
        if (!want || !xt)
            continue;
        if (x->kind == N_CALL && is_object(xt) && xt->kind != N_CONTROL_TYPE &&
            xt->kind != N_PARSER_TYPE)
            check_object_ctor(k, xt, &x->targs, &x->args, x, depth + 1);
        int want_obj = is_object(want);
        if (!want_obj && !is_object(xt)) {
            tb_unify(k, &tb, want, p->a, x, t);
            continue;
        }
        if (!want_obj || !is_object(xt)) {
            if (!ck_is_typevar(want) && want->kind != N_TDONTCARE)
                cc_error(k->c, x->loc, "argument '%s' must be %s, not %s %s",
                         p->name, ck_type_name(k, want),
                         node_kind_name(xt->kind), xt->name ? xt->name : "");
            continue;
        }
        int kind_ok = want->kind == N_PACKAGE
                          ? xt == want
                          : (want->kind == N_PARSER_TYPE
                                 ? (xt->kind == N_PARSER || xt == want)
                                 : (xt->kind == N_CONTROL || xt == want));
        if (!kind_ok) {
            cc_error(k->c, x->loc, "argument '%s' must be %s %s, not %s %s",
                     p->name, node_kind_name(want->kind), want->name,
                     node_kind_name(xt->kind), xt->name ? xt->name : "");
            continue;
        }
        if (want->kind != N_PACKAGE && xt != want)
            check_object_arg(k, &tb, want, p->a, xt, x);
        else if (want->kind == N_PACKAGE)
            check_package_arg(k, &tb, p, x);
    }
    int all = 1;
    for (int i = 0; i < tb.n; i++)
        all &= tb.ty[i] != NULL;
    if (t->kind == N_PACKAGE && !all && !tb.vague && at->kind == N_INSTANCE &&
        (!targs || !targs->n)) {
        for (int i = 0; i < tb.n; i++)
            if (!tb.ty[i]) {
                cc_error(k->c, at->loc,
                         "%s: could not infer a type for %s of package %s "
                         "(give it: %s<...>(...))",
                         at->name ? at->name : "?", tb.tp[i]->name, t->name,
                         t->name);
                break;
            }
    } else if (t->kind == N_PACKAGE && all && tb.n && targs && !targs->n &&
               at->kind == N_INSTANCE) {
        /* remember what was inferred, for packages given this one */
        for (int i = 0; i < tb.n; i++)
            nlist_push(k->A, targs, tb.ty[i]);
    }
}

void
ck_instance_args(struct ck *k, struct node *n)
{
    struct node *t = n->type;
    if (t &&
        (t->kind == N_PACKAGE || t->kind == N_PARSER || t->kind == N_CONTROL))
        check_object_ctor(k, t,
                          n->a && n->a->kind == N_TNAME ? &n->a->targs : NULL,
                          &n->args, n, 0);
    for (int i = 0; i < n->args.n; i++) {
        struct node *x = n->args.v[i];
        struct node *rv = runtime_value(x, 0);
        struct node *xt = x->kind == N_CALL ? x->type : NULL;
        for (int j = 0; xt && xt->kind == N_EXTERN && j < xt->list.n; j++)
            if (xt->list.v[j]->flags & F_ABSTRACT) {
                cc_error(k->c, x->loc,
                         "extern %s has abstract methods: declare an instance "
                         "with an initializer { ... } and pass that",
                         xt->name);
                break;
            }
        if (rv)
            cc_error(k->c, rv->loc,
                     "'%s' is only known at run time: arguments of an "
                     "instantiation must be compile-time constants",
                     rv->name);
    }
    if (!t || t->kind != N_EXTERN)
        return;
    /* the constructor */
    struct node *ctor = NULL;
    int nctors = 0;
    for (int i = 0; i < t->list.n; i++) {
        struct node *m = t->list.v[i];
        if (m->a || strcmp(m->name, t->name))
            continue;
        nctors++;
        struct node *save = m->overload;
        m->overload = NULL;
        if (!ctor && pick_overload(m, n->args.n))
            ctor = m;
        m->overload = save;
    }
    if (!ctor) {
        if (nctors)
            cc_error(k->c, n->loc,
                     "%s: no constructor of extern %s takes %d argument%s",
                     n->name ? n->name : "?", t->name, n->args.n,
                     n->args.n == 1 ? "" : "s");
        else
            cc_error(k->c, n->loc,
                     "%s: extern %s has no constructor, it cannot be "
                     "instantiated",
                     n->name ? n->name : "?", t->name);
        return;
    }
    struct tbind tb = {0};
    tb_add(&tb, &t->tparams);
    struct nlist *ta = n->a && n->a->kind == N_TNAME ? &n->a->targs : NULL;
    for (int i = 0; ta && i < ta->n && i < tb.n; i++) {
        tb.ty[i] = ta->v[i];
        tb.fixed[i] = 1;
    }
    for (int i = 0; i < n->args.n; i++) {
        struct node *a0 = n->args.v[i];
        struct node *p0 = param_for(ctor, n, i);
        struct node *x0 = a0->kind == N_NAMED ? a0->a : a0;
        if (!p0 || !x0 || !x0->type || !p0->type || x0->kind == N_DONTCARE)
            continue;
        tb_unify(k, &tb, p0->type, p0->a, x0, ctor);
        struct node *want = tb_subst(&tb, p0->type);
        if (!ck_fits(k, want, x0))
            cc_error(k->c, x0->loc, "argument '%s' of %s must be %s, not %s",
                     p0->name, t->name, ck_type_name(k, want),
                     ck_type_name(k, x0->type));
        else if (ck_is_bits(want) && x0->type->kind == N_TINT)
            ck_coerce_int(x0, want);
    }
    /* abstract methods: the parameters they bind must not become strings
     * with a direction, and the initializer implements each exactly */
    for (int i = 0; i < t->list.n; i++) {
        struct node *m = t->list.v[i];
        if (!(m->flags & F_ABSTRACT))
            continue;
        for (int j = 0; j < m->params.n; j++) {
            struct node *pt = tb_subst(&tb, m->params.v[j]->type);
            if (pt && pt->kind == N_TSTRING &&
                (m->params.v[j]->flags & F_DIR_INOUT))
                cc_error(k->c, n->loc,
                         "%s: parameter '%s' of abstract method %s would be "
                         "a string with a direction",
                         n->name ? n->name : "?", m->params.v[j]->name,
                         m->name);
        }
        int found = 0;
        for (int j = 0; n->b && j < n->b->list.n; j++)
            if (n->b->list.v[j]->name &&
                !strcmp(n->b->list.v[j]->name, m->name))
                found = 1;
        if (!found && n->b)
            cc_error(k->c, n->loc,
                     "%s: abstract method %s of %s is not implemented",
                     n->name ? n->name : "?", m->name, t->name);
        else if (!found)
            cc_error(k->c, n->loc,
                     "%s: extern %s has abstract methods: instantiate it "
                     "with an initializer { ... } that implements %s",
                     n->name ? n->name : "?", t->name, m->name);
    }
    for (int j = 0; n->b && j < n->b->list.n; j++) {
        struct node *f = n->b->list.v[j];
        if (f->kind != N_FUNCTION)
            continue;
        struct node *m = NULL;
        for (int i = 0; i < t->list.n && !m; i++)
            if ((t->list.v[i]->flags & F_ABSTRACT) &&
                !strcmp(t->list.v[i]->name, f->name))
                m = t->list.v[i];
        if (!m) {
            cc_error(k->c, f->loc, "%s: %s has no abstract method %s", f->name,
                     t->name, f->name);
            continue;
        }
        int ok = m->params.n == f->params.n && same_type(&tb, f->type, m->type);
        for (int i = 0; ok && i < m->params.n; i++)
            ok = same_type(&tb, f->params.v[i]->type, m->params.v[i]->type) &&
                 (f->params.v[i]->flags & F_DIR_INOUT) ==
                     (m->params.v[i]->flags & F_DIR_INOUT);
        if (!ok)
            cc_error(k->c, f->loc,
                     "%s does not match the abstract method %s of %s "
                     "(parameters or return type differ)",
                     f->name, m->name, t->name);
    }
}

void
ck_args(struct ck *k, struct node *call, struct node *fn, int bound_ok)
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

struct node *
ck_call_type(struct ck *k, struct node *e)
{
    for (int i = 0; i < e->targs.n; i++)
        e->targs.v[i] = ck_canon(k, e->targs.v[i]);
    struct node *ct = ck_type_of(k, e->a);
    for (int i = 0; i < e->args.n; i++) {
        struct node *a = e->args.v[i];
        if (a->kind == N_NAMED)
            ck_type_of(k, a->a);
        else if (a->kind != N_DONTCARE)
            ck_type_of(k, a);
        if (a->kind == N_NAMED)
            a->type = a->a ? a->a->type : NULL;
    }
    if (!ct)
        return NULL;
    struct node *d = e->a->decl;
    if (ct->kind == N_METHOD) {
        if (ct->flags & F_CONST) { /* built-in method */
            struct node *bt = e->a->kind == N_MEMBER ? e->a->a->type : NULL;
            if (bt && !strcmp(ct->name, "apply") &&
                (bt->kind == N_CONTROL || bt->kind == N_PARSER ||
                 bt->kind == N_CONTROL_TYPE || bt->kind == N_PARSER_TYPE) &&
                !pick_overload(bt, e->args.n))
                cc_error(k->c, e->loc, "%s.apply() takes %d argument%s, not %d",
                         bt->name ? bt->name : "?", bt->params.n,
                         bt->params.n == 1 ? "" : "s", e->args.n);
            return ct->a;
        }
        struct node *m = pick_overload(ct, e->args.n);
        for (struct node *o = m ? m->overload : NULL; o; o = o->overload)
            if (pick_overload(o, e->args.n) == o && o->parent == m->parent &&
                !(e->args.n && e->args.v[0]->kind == N_NAMED)) {
                cc_error(k->c, e->loc,
                         "ambiguous call: %s has several overloads that take "
                         "%d argument%s",
                         ct->name, e->args.n, e->args.n == 1 ? "" : "s");
                cc_error(k->c, m->loc, "note: one is declared here");
                cc_error(k->c, o->loc, "note: another one here");
                break;
            }
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
                         ck_type_name(k, x->type));
            else if (x->type && x->type->kind == N_HEADER && m->params.n == 2 &&
                     !has_varbit(x->type))
                cc_error(k->c, x->loc,
                         "extract(h, size) is for headers with a varbit "
                         "field; %s has none",
                         ck_type_name(k, x->type));
        }
        if (!strcmp(ct->name, "lookahead") && e->targs.n && e->targs.v[0] &&
            has_varbit(e->targs.v[0]))
            cc_error(k->c, e->loc,
                     "lookahead<%s>: the type must have a fixed width (it has "
                     "a varbit)",
                     ck_type_name(k, e->targs.v[0]));
        return subst_ret(m, e, m->a ? ck_canon(k, m->a) : NULL);
    }
    if (d && d->kind == N_FUNCTION) {
        struct node *f = pick_overload(d, e->args.n);
        if (!f) {
            cc_error(k->c, e->loc, "no function '%s' takes %d argument%s",
                     d->name, e->args.n, e->args.n == 1 ? "" : "s");
            return NULL;
        }
        e->decl = f;
        if (f == k->cur_function)
            cc_error(k->c, e->loc,
                     "function %s calls itself: P4 has no recursion", f->name);
        check_arg_kinds(k, e, f);
        /* f->type is the canonical return type (a type variable of f
         * stays its type parameter: canonicalising it again here would look
         * its name up in the caller's scope) */
        return subst_ret(f, e,
                         f->type ? f->type
                         : f->a  ? f->a->type ? f->a->type : ck_canon(k, f->a)
                                 : NULL);
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
        if (d == k->cur_action)
            cc_error(k->c, e->loc,
                     "action %s calls itself: P4 has no recursion", d->name);
        ck_args(k, e, d, 0);
        check_arg_kinds(k, e, d);
        return k->t_void;
    }
    if (e->a->kind == N_CALL &&
        (ct->kind == N_EXTERN || ct->kind == N_PARSER ||
         ct->kind == N_CONTROL || ct->kind == N_PACKAGE)) {
        cc_error(k->c, e->loc,
                 "the result of a constructor call cannot be called");
        return NULL;
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
