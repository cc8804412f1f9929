/* p4info_types.c - the parts of P4Info that come from the program's types
 * and top-level declarations rather than from lowered objects: whether
 * type_info is present and what it holds, the type names of match fields and
 * action parameters, and pkg_info from @pkginfo. It reads the checked AST
 * (read-only); p4info.c calls it. */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/p4info_int.h"

/* A walk over the controls of the pipeline, following applied controls,
 * called actions and functions (p4c looks at them after inlining). */
struct walk {
    struct node **seen;
    int nseen, capseen;
    int found;
};

static int
seen(struct walk *w, struct node *d)
{
    for (int i = 0; i < w->nseen; i++)
        if (w->seen[i] == d)
            return 1;
    if (w->nseen == w->capseen) {
        w->capseen = w->capseen ? 2 * w->capseen : 16;
        w->seen = xrealloc(w->seen, sizeof *w->seen * (size_t)w->capseen);
    }
    w->seen[w->nseen++] = d;
    return 0;
}

static void walk(struct walk *w, struct node *n);
static void walk_control(struct walk *w, struct node *ctl);

static void
walk_list(struct walk *w, struct nlist *l)
{
    for (int i = 0; i < l->n && !w->found; i++)
        walk(w, l->v[i]);
}

static struct node *
type_decl(struct node *t)
{
    return t && t->kind == N_TNAME && t->decl ? t->decl : t;
}

static void
walk(struct walk *w, struct node *n)
{
    if (!n || w->found)
        return;
    switch (n->kind) {
    case N_INSTANCE: {
        struct node *t = type_decl(n->a);
        if (t && t->kind == N_EXTERN) {
            w->found = 1;
            return;
        }
        if (t && t->kind == N_CONTROL && !seen(w, t))
            walk_control(w, t);
        break;
    }
    case N_CALL: {
        struct node *d = n->a ? n->a->decl : NULL;
        /* static_assert is folded away before p4c looks */
        if (d && d->kind == N_FUNCTION && !d->b &&
            strcmp(d->name, "static_assert")) {
            w->found = 1;
            return;
        }
        if (d && (d->kind == N_FUNCTION || d->kind == N_ACTION) &&
            !seen(w, d))
            walk(w, d->b);
        break;
    }
    case N_NAME:
        /* a control applied by its type name: C.apply() */
        if (n->decl && n->decl->kind == N_CONTROL && !seen(w, n->decl))
            walk_control(w, n->decl);
        break;
    default:
        break;
    }
    walk(w, n->a);
    walk(w, n->b);
    walk(w, n->c);
    walk_list(w, &n->list);
    walk_list(w, &n->args);
}

/* A control as p4c sees it after removing unused declarations: its extern
 * instances, the initializers of its variables and its apply body (actions
 * count when called from there; tables are counted by the caller). */
static void
walk_control(struct walk *w, struct node *ctl)
{
    for (int i = 0; i < ctl->list.n && !w->found; i++) {
        struct node *d = ctl->list.v[i];
        if (d->kind == N_INSTANCE)
            walk(w, d);
        else if (d->kind == N_VAR)
            walk(w, d->b);
    }
    walk(w, ctl->b);
}

int
p4info_has_type_info(struct bm *b)
{
    if (b->p4_tables.n)
        return 1;
    struct walk w = {0};
    struct node *prog = b->c->program;
    for (int i = 0; prog && i < prog->list.n && !w.found; i++) {
        struct node *d = prog->list.v[i];
        if (d->kind == N_INSTANCE) {
            struct node *t = type_decl(d->a);
            w.found = t && t->kind == N_EXTERN;
        }
    }
    for (int i = 1; i < 6 && !w.found; i++)
        if (b->blocks[i] && b->blocks[i]->kind == N_CONTROL &&
            !seen(&w, b->blocks[i]))
            walk_control(&w, b->blocks[i]);
    free(w.seen);
    return w.found;
}
