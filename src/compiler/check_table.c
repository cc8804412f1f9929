/* check_table.c - tables: properties and the rules between them
 * (check_int.h).
 *
 * Keys name match kinds, actions lists and default actions name actions of
 * the program, const entries name listed actions; then the table-level rules
 * (an actions list exists, no duplicates, priorities only where the match
 * kinds need them, masks fit the key's match kind). */
#include "compiler/check_int.h"

#include <string.h>

static struct node *
table_prop(struct node *t, const char *name)
{
    for (int i = 0; i < t->list.n; i++)
        if (!strcmp(t->list.v[i]->name, name))
            return t->list.v[i];
    return NULL;
}

/* Are a and b the same expression (as written, names by declaration)? */
static int
same_expr(struct node *a, struct node *b, int depth)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || depth > 64)
        return 0;
    switch (a->kind) {
    case N_INT:
    case N_BOOL:
        return a->ival == b->ival;
    case N_STRING:
        return !strcmp(a->name, b->name);
    case N_NAME:
        return a->decl ? a->decl == b->decl : !strcmp(a->name, b->name);
    case N_MEMBER:
    case N_NAMED:
    case N_STRUCT_INIT:
        if (a->name && b->name && strcmp(a->name, b->name))
            return 0;
        break;
    case N_UNOP:
    case N_BINOP:
        if (strcmp(a->op, b->op))
            return 0;
        break;
    default:
        break;
    }
    if (!same_expr(a->a, b->a, depth + 1) ||
        !same_expr(a->b, b->b, depth + 1) ||
        !same_expr(a->c, b->c, depth + 1) || a->list.n != b->list.n ||
        a->args.n != b->args.n)
        return 0;
    for (int i = 0; i < a->list.n; i++)
        if (!same_expr(a->list.v[i], b->list.v[i], depth + 1))
            return 0;
    for (int i = 0; i < a->args.n; i++)
        if (!same_expr(a->args.v[i], b->args.v[i], depth + 1))
            return 0;
    return 1;
}

/* A default action or an entry's action call: it repeats the arguments the
 * actions list binds, and (a default action) gives every parameter. */
static void
check_bound_args(struct ck *k, struct node *t, struct nlist *al,
                 struct node *call, int is_default)
{
    struct node *d = call ? call->decl : NULL;
    if (!d || !al)
        return;
    struct node *ref = NULL;
    for (int i = 0; i < al->n && !ref; i++)
        if (al->v[i]->decl == d)
            ref = al->v[i];
    int nbound = ref && ref->kind == N_CALL ? ref->args.n : 0;
    int nargs = call->kind == N_CALL ? call->args.n : 0;
    if (is_default && nargs < d->params.n &&
        !(nargs && call->args.v[0]->kind == N_NAMED)) {
        cc_error(k->c, call->loc,
                 "default action %s of table %s needs %d argument%s, not %d",
                 d->name, t->name, d->params.n, d->params.n == 1 ? "" : "s",
                 nargs);
        return;
    }
    for (int i = 0; i < nbound && i < nargs; i++)
        if (!same_expr(call->args.v[i], ref->args.v[i], 0))
            cc_error(k->c, call->args.v[i]->loc,
                     "argument %d of %s differs from the one the actions "
                     "list of table %s binds",
                     i + 1, d->name, t->name);
}

/* Const entries: as many values as keys; no two entries with the same
 * constant keys. */
static void
check_entry_keys(struct ck *k, struct node *t, struct node *keys,
                 struct node *el)
{
    int nk = keys->list.n;
    for (int i = 0; el && i < el->list.n; i++) {
        struct node *ks = el->list.v[i]->a;
        if (!ks || ks->kind == N_DEFAULT || ks->kind == N_DONTCARE)
            continue;
        int nv = ks->kind == N_LIST ? ks->list.n : 1;
        if (nv != nk)
            cc_error(k->c, ks->loc,
                     "table %s has %d key%s, this entry gives %d value%s",
                     t->name, nk, nk == 1 ? "" : "s", nv, nv == 1 ? "" : "s");
    }
    for (int i = 0; el && i < el->list.n && i < 4096; i++) {
        struct node *a = el->list.v[i]->a;
        for (int j = 0; a && j < i; j++) {
            struct node *b = el->list.v[j]->a;
            int na = a->kind == N_LIST ? a->list.n : 1;
            int nb = b && b->kind == N_LIST ? b->list.n : 1;
            if (!b || na != nb || na != nk)
                continue;
            int same = 1;
            for (int x = 0; same && x < na; x++) {
                struct node *va = a->kind == N_LIST ? a->list.v[x] : a;
                struct node *vb = b->kind == N_LIST ? b->list.v[x] : b;
                unsigned __int128 ca, cb;
                same = va->kind != N_MASK && va->kind != N_RANGE &&
                       va->kind != N_DONTCARE && va->kind != N_DEFAULT &&
                       ck_eval(k, va, &ca) && ck_eval(k, vb, &cb) && ca == cb &&
                       vb->kind != N_MASK && vb->kind != N_RANGE;
            }
            if (same) {
                cc_error(k->c, a->loc,
                         "table %s: this entry has the same keys as an "
                         "earlier one",
                         t->name);
                break;
            }
        }
    }
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
        struct node *na = ck_lookup(k, "NoAction", 1);
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
        else
            check_bound_args(k, t, al, dflt->a, 1);
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
        check_entry_keys(k, t, keys->a, el);
        int nprio = 0;
        for (int i = 0; el && i < el->list.n; i++)
            nprio += el->list.v[i]->c != NULL;
        for (int i = 0; el && i < el->list.n; i++) {
            struct node *en = el->list.v[i];
            struct node *ead = en->b ? en->b->decl : NULL;
            if (i == 0 && nprio && !en->c && needs_prio)
                cc_error(k->c, en->loc,
                         "table %s: the first entry needs a priority, as "
                         "later entries have one (they count from it)",
                         t->name);
            check_bound_args(k, t, al, en->b, 0);
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
                    ck_eval(k, v->b, &m)) {
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

void
ck_table(struct ck *k, struct node *t)
{
    for (int i = 0; i < t->list.n; i++) {
        struct node *p = t->list.v[i];
        struct node *v = p->a;
        if (!v)
            continue;
        if (!strcmp(p->name, "key") && v->kind == N_KEYS) {
            for (int j = 0; j < v->list.n; j++) {
                struct node *key = v->list.v[j];
                ck_type_of(k, key->a);
                struct node *mkd = ck_lookup(k, key->name, 0);
                if (!mkd || mkd->kind != N_ENUM_MEMBER || !mkd->parent ||
                    mkd->parent->kind != N_MATCH_KIND)
                    ck_unknown_name(k, key, "match kind", key->name);
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
                struct node *d = ck_lookup(k, nm->name, nm->flags & F_TOPLEVEL);
                if (!d || d->kind != N_ACTION) {
                    if (d)
                        cc_error(k->c, nm->loc, "'%s' is not an action",
                                 nm->name);
                    else
                        ck_unknown_name(k, nm, "action", nm->name);
                    continue;
                }
                nm->decl = d;
                ar->decl = d;
                if (ar->kind == N_CALL) {
                    for (int a = 0; a < ar->args.n; a++)
                        ck_type_of(k, ar->args.v[a]);
                    ck_args(k, ar, d, 1);
                }
            }
        } else if (!strcmp(p->name, "default_action")) {
            struct node *nm = v->kind == N_CALL ? v->a : v;
            if (nm->kind != N_NAME) {
                cc_error(k->c, v->loc, "default_action must name an action");
                continue;
            }
            struct node *d = ck_lookup(k, nm->name, nm->flags & F_TOPLEVEL);
            if (!d || d->kind != N_ACTION) {
                ck_unknown_name(k, nm, "action", nm->name);
                continue;
            }
            nm->decl = d;
            v->decl = d;
            if (v->kind == N_CALL) {
                for (int a = 0; a < v->args.n; a++) {
                    struct node *x = v->args.v[a];
                    struct node *at =
                        ck_type_of(k, x->kind == N_NAMED ? x->a : x);
                    struct node *pp = a < d->params.n ? d->params.v[a] : NULL;
                    if (pp && at && !ck_assignable(pp->type, at))
                        cc_error(k->c, x->loc,
                                 "argument of %s has type %s, "
                                 "parameter '%s' is %s",
                                 d->name, ck_type_name(k, at), pp->name,
                                 ck_type_name(k, pp->type));
                }
            }
        } else if (!strcmp(p->name, "entries") && v->kind == N_ENTRIES) {
            for (int j = 0; j < v->list.n; j++) {
                struct node *en = v->list.v[j];
                ck_type_of(k, en->a);
                if (en->a && en->a->kind == N_LIST)
                    for (int x = 0; x < en->a->list.n; x++)
                        ck_type_of(k, en->a->list.v[x]);
                ck_type_of(k, en->c);
                struct node *call = en->b;
                struct node *nm = call && call->kind == N_CALL ? call->a : call;
                if (!nm || nm->kind != N_NAME) {
                    cc_error(k->c, en->loc, "an entry must name an action");
                    continue;
                }
                struct node *d = ck_lookup(k, nm->name, nm->flags & F_TOPLEVEL);
                if (!d || d->kind != N_ACTION) {
                    ck_unknown_name(k, nm, "action", nm->name);
                    continue;
                }
                nm->decl = d;
                call->decl = d;
                if (call->kind == N_CALL)
                    for (int a = 0; a < call->args.n; a++)
                        ck_type_of(k, call->args.v[a]);
            }
        } else {
            struct node *vt = ck_type_of(k, v);
            if (!strcmp(p->name, "size") &&
                ((vt && !ck_is_numeric(vt)) ||
                 !ck_eval(k, v, &(unsigned __int128){0})))
                cc_error(k->c, v->loc,
                         "table %s: size must be a constant number", t->name);
        }
    }
    check_table_rules(k, t);
}
