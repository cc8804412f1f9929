/* check_stmt.c - statements, actions, parsers and controls (check_int.h).
 *
 * Statements are checked in nested scopes; the context (action, function,
 * parser, control) decides what may be called where. Parsers check their
 * states and select transitions (keysets against the select expressions);
 * controls check their locals (tables in check_table.c) and apply block.
 * Declarations inside them go back to check.c. */
#include "compiler/check_int.h"

#include <string.h>

static void check_stmt(struct ck *k, struct node *s);

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
    else if (callee->kind == N_MEMBER && !strcmp(callee->name, "apply") &&
             k->cur_action && callee->a->type &&
             (callee->a->type->kind == N_CONTROL ||
              callee->a->type->kind == N_CONTROL_TYPE))
        cc_error(k->c, call->loc, "controls cannot be applied from actions");
    if (callee->kind == N_MEMBER &&
        (!strcmp(callee->name, "push_front") ||
         !strcmp(callee->name, "pop_front")) &&
        callee->a->type && callee->a->type->kind == N_TSTACK &&
        call->args.n == 1 &&
        !ck_eval(k, call->args.v[0], &(unsigned __int128){0}))
        cc_error(k->c, call->args.v[0]->loc,
                 "the count of %s() must be a compile-time constant",
                 callee->name);
    if (callee->kind == N_MEMBER && !strcmp(callee->name, "lastIndex") &&
        !k->in_parser)
        cc_error(k->c, call->loc, "'lastIndex' can only be used in a parser");
}

static void
check_cond(struct ck *k, struct node *e)
{
    struct node *t = ck_type_of(k, e);
    if (t && t->kind != N_TBOOL && !ck_is_typevar(t))
        cc_error(k->c, e->loc, "the condition must be bool, not %s",
                 ck_type_name(k, t));
}

/* A list or {name = value} initializer for a header or struct type t. */
static void
check_initializer(struct ck *k, struct node *t, struct node *init)
{
    if (!t || !init || (t->kind != N_HEADER && t->kind != N_STRUCT))
        return;
    if (init->kind == N_STRUCT_INIT) {
        for (int i = 0; i < init->list.n; i++) {
            struct node *f = ck_find_field(t, init->list.v[i]->name);
            if (!f)
                cc_error(k->c, init->list.v[i]->loc, "%s has no field '%s'",
                         ck_type_name(k, t), init->list.v[i]->name);
            else if (!ck_assignable(f->type, init->list.v[i]->a->type))
                cc_error(k->c, init->list.v[i]->loc, "field '%s' is %s, not %s",
                         f->name, ck_type_name(k, f->type),
                         ck_type_name(k, init->list.v[i]->a->type));
        }
        if (init->list.n != t->list.n && t->list.n)
            cc_error(k->c, init->loc,
                     "the initializer gives %d of the %d fields "
                     "of %s",
                     init->list.n, t->list.n, ck_type_name(k, t));
    } else if (init->kind == N_LIST) {
        if (init->list.n != t->list.n)
            cc_error(k->c, init->loc, "%s has %d fields, the list %d",
                     ck_type_name(k, t), t->list.n, init->list.n);
        for (int i = 0; i < init->list.n && i < t->list.n; i++)
            if (!ck_assignable(t->list.v[i]->type, init->list.v[i]->type))
                cc_error(k->c, init->list.v[i]->loc, "field '%s' is %s, not %s",
                         t->list.v[i]->name,
                         ck_type_name(k, t->list.v[i]->type),
                         ck_type_name(k, init->list.v[i]->type));
    }
}

/* A constant assigned to a narrower bit<W> loses its high bits. */
static void
warn_if_too_wide(struct ck *k, struct node *t, struct node *e)
{
    unsigned __int128 v;
    if (!t || !e || !ck_is_bits(t) || (t->flags & F_SIGNED) || !t->width ||
        t->width >= 128 || e->kind != N_INT || (e->flags & F_HAS_WIDTH))
        return;
    if (ck_eval(k, e, &v) && (e->ival >> t->width))
        cc_warning(k->c, e->loc, "%s does not fit in %s: it is truncated",
                   e->str ? e->str : "this value", ck_type_name(k, t));
}

void
ck_var(struct ck *k, struct node *v)
{
    v->type = ck_canon(k, v->a);
    if (v->b) {
        struct node *it = ck_type_of(k, v->b);
        check_initializer(k, v->type, v->b);
        warn_if_too_wide(k, v->type, v->b);
        if (!ck_assignable(v->type, it))
            cc_error(k->c, v->b->loc, "cannot initialize %s '%s' with a %s",
                     ck_type_name(k, v->type), v->name, ck_type_name(k, it));
        else if ((v->b->kind == N_LIST || v->b->kind == N_STRUCT_INIT) &&
                 v->type && v->type->kind != N_STRUCT &&
                 v->type->kind != N_HEADER && !ck_fits(k, v->type, v->b))
            cc_error(k->c, v->b->loc, "cannot initialize %s '%s' with %s",
                     ck_type_name(k, v->type), v->name,
                     v->b->kind == N_LIST ? "this list" : "this initializer");
    }
    if (v->type && v->type->kind == N_TINT && v->kind == N_VAR)
        cc_error(k->c, v->loc, "variable '%s' needs a type with a width",
                 v->name);
    ck_declare(k, v->name, v);
}

void
ck_block(struct ck *k, struct node *b)
{
    ck_push_scope(k);
    for (int i = 0; i < b->list.n; i++)
        check_stmt(k, b->list.v[i]);
    ck_pop_scope(k);
}

static void
check_stmt(struct ck *k, struct node *s)
{
    if (!s)
        return;
    switch (s->kind) {
    case N_BLOCK:
        ck_block(k, s);
        break;
    case N_ASSIGN: {
        struct node *l = ck_type_of(k, s->a);
        struct node *r = ck_type_of(k, s->b);
        struct node *ln = ck_newtype_of(k, s->a), *rn = ck_newtype_of(k, s->b);
        if ((!ln || ln->name) && (!rn || rn->name) && ln != rn)
            cc_error(k->c, s->b->loc,
                     "cannot assign a value of type %s to %s without a cast",
                     rn ? rn->name : ck_type_name(k, r),
                     ln ? ln->name : ck_type_name(k, l));
        if (s->b->kind == N_NAME && s->b->decl &&
            (s->b->decl->kind == N_HEADER || s->b->decl->kind == N_STRUCT ||
             s->b->decl->kind == N_HUNION || s->b->decl->kind == N_TBIT ||
             s->b->decl->kind == N_EXTERN || s->b->decl->kind == N_ENUM))
            cc_error(k->c, s->b->loc, "%s is a type; a value is expected here",
                     s->b->name);
        ck_coerce_int(s->b, l);
        check_initializer(k, l, s->b);
        warn_if_too_wide(k, l, s->b);
        if (l && r && (l->kind == N_HEADER || l->kind == N_STRUCT) &&
            (r->kind == N_TTUPLE || r->kind == N_TLIST) && s->b->kind != N_LIST)
            cc_error(k->c, s->b->loc, "cannot assign a tuple to %s %s",
                     node_kind_name(l->kind), l->name);
        if (l && !ck_is_lvalue(s->a))
            cc_error(k->c, s->a->loc,
                     "this expression cannot be the target of an assignment");
        else if (strcmp(s->op, "=") == 0 && !ck_assignable(l, r))
            cc_error(k->c, s->b->loc, "cannot assign a %s to a %s",
                     ck_type_name(k, r), ck_type_name(k, l));
        break;
    }
    case N_CALL_STMT:
        ck_type_of(k, s->a);
        if (s->a->kind == N_CALL)
            check_call_context(k, s->a);
        break;
    case N_IF:
        check_cond(k, s->a);
        check_stmt(k, s->b);
        check_stmt(k, s->c);
        break;
    case N_SWITCH: {
        struct node *t = ck_type_of(k, s->a);
        int ndefault = 0;
        if (t &&
            !(t->kind == N_TABLE || ck_is_bits(t) || t->kind == N_ENUM ||
              t->kind == N_TERROR || t->kind == N_TBOOL || t->kind == N_TINT ||
              ck_is_typevar(t) || t->kind == N_TDONTCARE))
            cc_error(k->c, s->a->loc, "cannot switch on a %s",
                     ck_type_name(k, t));
        else if (t && t->kind != N_TABLE) {
            struct node *ex = ck_lookup(k, "exact", 1);
            if (!ex || ex->kind != N_ENUM_MEMBER)
                cc_error(k->c, s->loc,
                         "a switch on values needs the match_kind 'exact' "
                         "(did you include core.p4?)");
        }
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
                else if (o->kind == N_INT && cs->a->kind == N_INT &&
                         o->ival == cs->a->ival)
                    cc_error(k->c, cs->loc, "duplicate switch label %s",
                             cs->a->str ? cs->a->str : "(a number)");
            }
            if (cs->a) {
                if (t && t->kind == N_TABLE && t->decl && cs->a->kind != N_NAME)
                    cc_error(k->c, cs->a->loc,
                             "a switch on action_run takes action names "
                             "and 'default' as labels");
                else if (t && t->kind == N_TABLE && t->decl &&
                         cs->a->kind == N_NAME) {
                    /* action_run labels name actions of the table */
                    struct node *d = ck_lookup(k, cs->a->name, 0);
                    if (!d || d->kind != N_ACTION)
                        ck_unknown_name(k, cs->a, "action", cs->a->name);
                    cs->a->decl = d;
                } else {
                    struct node *lt = ck_type_of(k, cs->a);
                    if (t && lt && t->kind != N_TABLE && !ck_assignable(t, lt))
                        cc_error(k->c, cs->a->loc,
                                 "switch label of type %s "
                                 "does not match %s",
                                 ck_type_name(k, lt), ck_type_name(k, t));
                }
            }
            if (cs->b)
                ck_block(k, cs->b);
        }
        break;
    }
    case N_RETURN: {
        struct node *rt = ck_type_of(k, s->a);
        struct node *want = k->cur_function ? k->cur_function->type : NULL;
        if (s->a && k->cur_action && !k->cur_function)
            cc_error(k->c, s->loc, "an action cannot return a value");
        else if (k->cur_function && s->a && want && want->kind == N_TVOID)
            cc_error(k->c, s->loc, "function %s returns void",
                     k->cur_function->name);
        else if (k->cur_function && !s->a && want && want->kind != N_TVOID)
            cc_error(k->c, s->loc, "function %s must return a %s",
                     k->cur_function->name, ck_type_name(k, want));
        else if (k->cur_function && want && rt &&
                 (ck_is_typevar(want) || ck_is_typevar(rt)) && want != rt &&
                 rt->kind != N_TDONTCARE && want->kind != N_TDONTCARE)
            cc_error(k->c, s->a->loc, "function %s returns %s, not %s",
                     k->cur_function->name, ck_type_name(k, want),
                     ck_type_name(k, rt));
        else if (k->cur_function && want && rt &&
                 (!ck_assignable(want, rt) || !ck_fits(k, want, s->a)))
            cc_error(k->c, s->a->loc, "function %s returns %s, not %s",
                     k->cur_function->name, ck_type_name(k, want),
                     ck_type_name(k, rt));
        break;
    }
    case N_VAR:
        ck_var(k, s);
        break;
    case N_CONST:
        ck_var(k, s);
        break;
    case N_FOR:
        ck_push_scope(k);
        if (s->flags & F_CONST) {
            ck_type_of(k, s->b);
            ck_var(k, s->a);
        } else {
            for (int i = 0; s->a && i < s->a->list.n; i++)
                check_stmt(k, s->a->list.v[i]);
            if (s->b)
                check_cond(k, s->b);
            check_stmt(k, s->c);
        }
        for (int i = 0; i < s->list.n; i++)
            check_stmt(k, s->list.v[i]);
        ck_pop_scope(k);
        break;
    case N_INSTANCE:
        cc_error(k->c, s->loc,
                 "'%s': instantiations cannot be in an apply block or action "
                 "body (ck_declare it before 'apply')",
                 s->name);
        break;
    default:
        break;
    }
}

void
ck_action(struct ck *k, struct node *a)
{
    ck_push_scope(k);
    ck_declare_params(k, &a->params, a);
    struct node *saved = k->cur_action;
    k->cur_action = a;
    if (a->b)
        ck_block(k, a->b);
    k->cur_action = saved;
    ck_pop_scope(k);
}

void
ck_parser(struct ck *k, struct node *p)
{
    ck_push_scope(k);
    ck_declare_tparams(k, &p->tparams);
    ck_declare_params(k, &p->params, p);
    ck_declare_params(k, &p->ctor, p);
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
        ck_declare(k, s->name, s);
    }
    if (!has_start)
        cc_error(k->c, p->loc, "parser %s has no 'start' state", p->name);
    for (int i = 0; i < p->list.n; i++) {
        struct node *s = p->list.v[i];
        if (s->kind != N_STATE) {
            ck_decl(k, s);
            continue;
        }
        ck_push_scope(k);
        for (int j = 0; j < s->list.n; j++)
            check_stmt(k, s->list.v[j]);
        struct node *tr = s->a;
        if (tr && tr->kind == N_SELECT) {
            for (int j = 0; j < tr->args.n; j++) {
                struct node *st = ck_type_of(k, tr->args.v[j]);
                if (st && st->kind == N_TVARBIT)
                    cc_error(k->c, tr->args.v[j]->loc,
                             "a varbit cannot be used in select");
            }
            for (int j = 0; j < tr->list.n; j++) {
                struct node *cs = tr->list.v[j];
                ck_type_of(k, cs->a);
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
                        (!ck_eval(k, kv->a, &cv) || !ck_eval(k, kv->b, &cv)))
                        cc_error(k->c, kv->loc,
                                 "the bounds of '%s' in a select "
                                 "case must be constants",
                                 kv->kind == N_RANGE ? ".." : "&&&");
                    struct node *kt =
                        kv->kind == N_LIST ? NULL : ck_type_of(k, kv);
                    struct node *st = tr->args.v[x]->type;
                    if (kv->kind == N_LIST)
                        cc_error(k->c, kv->loc,
                                 "a tuple cannot match one "
                                 "select expression");
                    else if (kt && st && kt->kind == N_TBOOL && ck_is_bits(st))
                        cc_error(k->c, kv->loc, "a bool cannot match %s",
                                 ck_type_name(k, st));
                    else if (kt && st && ck_is_bits(kt) && st->kind == N_TBOOL)
                        cc_error(k->c, kv->loc, "%s cannot match a bool",
                                 ck_type_name(k, kt));
                    else if (kt && st && ck_is_bits(kt) && ck_is_bits(st) &&
                             kt->width != st->width && kv->kind != N_MASK &&
                             kv->kind != N_RANGE)
                        cc_error(k->c, kv->loc, "%s cannot match %s",
                                 ck_type_name(k, kt), ck_type_name(k, st));
                    if (st && (st->kind == N_STRUCT || st->kind == N_HEADER))
                        cc_error(k->c, tr->args.v[x]->loc,
                                 "a %s cannot be used "
                                 "in select",
                                 ck_type_name(k, st));
                }
                if (cs->a && cs->a->kind == N_LIST)
                    for (int x = 0; x < cs->a->list.n; x++)
                        ck_type_of(k, cs->a->list.v[x]);
                tr->list.v[j]->b->decl = NULL;
                const char *sn = cs->b->name;
                if (strcmp(sn, "accept") && strcmp(sn, "reject")) {
                    struct node *d = ck_lookup(k, sn, 0);
                    if (!d || d->kind != N_STATE)
                        ck_unknown_name(k, cs->b, "state", sn);
                    cs->b->decl = d;
                }
            }
        } else if (tr && tr->kind == N_NAME) {
            const char *sn = tr->name;
            if (strcmp(sn, "accept") && strcmp(sn, "reject")) {
                struct node *d = ck_lookup(k, sn, 0);
                if (!d || d->kind != N_STATE)
                    ck_unknown_name(k, tr, "state", sn);
                tr->decl = d;
            }
        }
        ck_pop_scope(k);
    }
    k->in_parser = 0;
    k->cur_block = saved;
    ck_pop_scope(k);
}

void
ck_control(struct ck *k, struct node *c)
{
    ck_push_scope(k);
    ck_declare_tparams(k, &c->tparams);
    ck_declare_params(k, &c->params, c);
    ck_declare_params(k, &c->ctor, c);
    struct node *saved = k->cur_block;
    k->cur_block = c;
    for (int i = 0; i < c->list.n; i++)
        ck_decl(k, c->list.v[i]);
    if (c->b)
        ck_block(k, c->b);
    for (int i = 0; i < c->list.n; i++) {
        struct node *t = c->list.v[i];
        if (t->kind == N_TABLE && !(t->flags & F_ABSTRACT))
            cc_warning(k->c, t->loc, "table %s is never applied", t->name);
    }
    /* control-plane names of the control's actions and tables */
    for (int i = 0; i < c->list.n; i++) {
        struct node *a = c->list.v[i], *an = node_annot(a, "name");
        if ((a->kind != N_ACTION && a->kind != N_TABLE) || !an || !an->b ||
            an->b->list.n != 1 || an->b->list.v[0]->kind != N_STRING)
            continue;
        for (int j = 0; j < i; j++) {
            struct node *o = c->list.v[j], *on = node_annot(o, "name");
            if ((o->kind != N_ACTION && o->kind != N_TABLE) || !on || !on->b ||
                on->b->list.n != 1 || on->b->list.v[0]->kind != N_STRING ||
                strcmp(on->b->list.v[0]->name, an->b->list.v[0]->name))
                continue;
            cc_error(k->c, an->loc,
                     "%s and %s have the same control-plane name \"%s\"",
                     a->name, o->name, an->b->list.v[0]->name);
            break;
        }
    }
    k->cur_block = saved;
    ck_pop_scope(k);
}
