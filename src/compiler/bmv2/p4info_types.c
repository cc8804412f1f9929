/* p4info_types.c - the parts of P4Info that come from the program's
 * declarations rather than from lowered objects: whether type_info is
 * present (p4c creates it for a table, an extern instance or an extern
 * function call) and what it holds (p4c's type spec conversion), type names
 * and translated widths, controller_packet_metadata and value sets of
 * structs. It reads the checked AST (read-only); p4info.c calls it. The
 * types referred to are gathered in a registry for one P4Info at a time
 * (begin/end). Annotations and pkg_info are in p4info_annot.c. */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/p4info_int.h"
#include "compiler/check.h"


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

/* ---- types: type names, type specs and type_info ---- */

/* The named types a P4Info refers to, listed in type_info at the end. */
static struct {
    struct node **v;
    int n, cap;
    int error; /* the error type was referred to */
    struct node *prog;
    struct cc *c;
} reg;

void
p4info_types_begin(struct bm *b)
{
    free(reg.v);
    memset(&reg, 0, sizeof reg);
    reg.prog = b->c->program;
    reg.c = b->c;
    p4info_annot_begin(b->c->program);
}

void
p4info_types_end(void)
{
    free(reg.v);
    memset(&reg, 0, sizeof reg);
}

static void
register_type(struct node *d)
{
    for (int i = 0; i < reg.n; i++)
        if (reg.v[i] == d)
            return;
    if (reg.n == reg.cap) {
        reg.cap = reg.cap ? 2 * reg.cap : 16;
        reg.v = xrealloc(reg.v, sizeof *reg.v * (size_t)reg.cap);
    }
    reg.v[reg.n++] = d;
}

/* The top-level type declaration named name. */
static struct node *
find_type(const char *name)
{
    for (int i = 0; name && reg.prog && i < reg.prog->list.n; i++) {
        struct node *d = reg.prog->list.v[i];
        if (d->name && !strcmp(d->name, name) &&
            (d->kind == N_TYPEDEF || d->kind == N_NEWTYPE ||
             d->kind == N_ENUM || d->kind == N_STRUCT ||
             d->kind == N_HEADER || d->kind == N_HUNION))
            return d;
    }
    return NULL;
}

/* A declared type with typedefs followed but 'type' declarations kept (the
 * checker's canonical form forgets them): an N_NEWTYPE, N_ENUM, N_STRUCT,
 * N_HEADER or N_HUNION declaration, or a base type node. */
static struct node *
named(struct node *t)
{
    for (int depth = 0; t && depth < 32; depth++) {
        if (t->kind == N_TYPEDEF) {
            t = t->a;
            continue;
        }
        if (t->kind != N_TNAME)
            return t;
        struct node *d = find_type(t->name);
        if (!d)
            return t->decl ? t->decl : t;
        if (d->kind == N_TYPEDEF) {
            t = d->a;
            continue;
        }
        return d;
    }
    return t;
}

/* The declared type of an expression when it names a field, parameter or
 * variable (so 'type' names survive), else its checked type. */
static struct node *
declared_type(struct node *e)
{
    if (!e)
        return NULL;
    if (e->kind == N_MEMBER && e->a) {
        struct node *bt = check_canon(reg.c, e->a->type);
        for (int i = 0; bt && (bt->kind == N_HEADER || bt->kind == N_STRUCT ||
                               bt->kind == N_HUNION) &&
                        i < bt->list.n;
             i++)
            if (bt->list.v[i]->name && !strcmp(bt->list.v[i]->name, e->name))
                return bt->list.v[i]->a;
    }
    if (e->kind == N_NAME && e->decl &&
        (e->decl->kind == N_PARAM || e->decl->kind == N_VAR))
        return e->decl->a;
    return e->type;
}

/* @p4runtime_translation("uri", W or string) of a 'type' declaration. */
static struct node *
translation(struct node *nt)
{
    return nt && nt->kind == N_NEWTYPE ? node_annot(nt, "p4runtime_translation")
                                       : NULL;
}

int
p4info_type_name(struct node *t, const char **name, int *width)
{
    struct node *d = named(t);
    if (!d || d->kind != N_NEWTYPE)
        return 0;
    *name = d->name;
    struct node *tr = translation(d);
    if (tr)
        *width = p4info_translation_width(tr);
    register_type(d);
    return 1;
}

void p4info_type_spec(struct p4msg *spec, struct node *t);
void p4info_type_register(struct node *t);

int
p4info_expr_type_name(struct node *e, const char **name, int *width)
{
    return p4info_type_name(declared_type(e), name, width);
}

void
p4info_type_register(struct node *t)
{
    struct p4msg *scratch = p4msg_new("P4DataTypeSpec");
    p4info_type_spec(scratch, t);
    p4msg_free(scratch);
}

void
p4info_expr_register(struct node *e)
{
    p4info_type_register(declared_type(e));
}

static void
bitstring(struct p4msg *bs, struct node *t)
{
    struct node *c = check_canon(reg.c, t);
    if (c && c->kind == N_TVARBIT) {
        unsigned __int128 w = 0;
        check_eval(reg.c, c->a, &w);
        p4msg_int(p4msg_open(bs, "varbit"), "max_bitwidth", (long long)w);
    } else {
        p4msg_int(p4msg_open(bs, c && (c->flags & F_SIGNED) ? "int" : "bit"),
                  "bitwidth", check_width(c));
    }
}

void
p4info_type_spec(struct p4msg *spec, struct node *t)
{
    struct node *d = named(t);
    if (!d)
        return;
    switch (d->kind) {
    case N_NEWTYPE:
        register_type(d);
        p4msg_str(p4msg_open(spec, "new_type"), "name", d->name);
        return;
    case N_ENUM:
        register_type(d);
        p4msg_str(p4msg_open(spec, d->a ? "serializable_enum" : "enum"), "name",
                  d->name);
        return;
    case N_STRUCT:
    case N_HEADER:
    case N_HUNION:
        register_type(d);
        p4msg_str(p4msg_open(spec, d->kind == N_STRUCT   ? "struct"
                                   : d->kind == N_HEADER ? "header"
                                                         : "header_union"),
                  "name", d->name);
        return;
    case N_TBOOL:
        p4msg_open(spec, "bool");
        return;
    case N_TERROR:
        reg.error = 1;
        p4msg_open(spec, "error");
        return;
    case N_TSTACK: {
        struct node *e = named(d->a);
        unsigned __int128 n = 0;
        check_eval(reg.c, d->b, &n);
        int hu = e && e->kind == N_HUNION;
        struct p4msg *s = p4msg_open(spec, hu ? "header_union_stack"
                                              : "header_stack");
        if (e && e->name) {
            register_type(e);
            p4msg_str(p4msg_open(s, hu ? "header_union" : "header"), "name",
                      e->name);
        }
        p4msg_int(s, "size", (long long)n);
        return;
    }
    case N_TTUPLE: {
        struct p4msg *tu = p4msg_open(spec, "tuple");
        for (int i = 0; i < d->targs.n; i++)
            p4info_type_spec(p4msg_open(tu, "members"), d->targs.v[i]);
        return;
    }
    default:
        bitstring(p4msg_open(spec, "bitstring"), d);
        return;
    }
}

static int
cmp_name(const void *a, const void *b)
{
    const struct node *x = *(struct node *const *)a;
    const struct node *y = *(struct node *const *)b;
    return strcmp(x->name, y->name);
}

static void
type_annotations(struct p4msg *m, struct node *d, const char *skip)
{
    for (int i = 0; i < d->annots.n; i++) {
        const char *n = d->annots.v[i]->name;
        if (strcmp(n, "name") && strcmp(n, "hidden") &&
            (!skip || strcmp(n, skip)))
            p4info_annotation(m, d->annots.v[i]);
    }
}

/* The big-endian bytes of v in ceil(width/8) bytes. */
static void
put_value_bytes(struct p4msg *m, const char *field, unsigned __int128 v,
                int width)
{
    int nb = (width + 7) / 8;
    unsigned char buf[16];
    if (nb < 1)
        nb = 1;
    if (nb > 16)
        nb = 16;
    for (int i = nb - 1; i >= 0; i--) {
        buf[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
    p4msg_bytes(m, field, buf, (size_t)nb);
}

static void
type_entry(struct p4msg *ti, struct node *d)
{
    static const struct {
        enum node_kind k;
        const char *map;
    } maps[] = {{N_STRUCT, "structs"}, {N_HEADER, "headers"},
                {N_HUNION, "header_unions"}, {N_NEWTYPE, "new_types"}};
    const char *map = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(maps); i++)
        if (maps[i].k == d->kind)
            map = maps[i].map;
    if (d->kind == N_ENUM)
        map = d->a ? "serializable_enums" : "enums";
    if (!map)
        return;
    struct p4msg *e = p4msg_open(ti, map);
    p4msg_str(e, "key", d->name);
    struct p4msg *v = p4msg_open(e, "value");
    switch (d->kind) {
    case N_STRUCT:
    case N_HEADER:
    case N_HUNION:
        for (int i = 0; i < d->list.n; i++) {
            struct node *f = d->list.v[i];
            struct p4msg *m = p4msg_open(v, "members");
            p4msg_str(m, "name", f->name);
            if (d->kind == N_STRUCT) {
                p4info_type_spec(p4msg_open(m, "type_spec"), f->a);
            } else if (d->kind == N_HEADER) {
                bitstring(p4msg_open(m, "type_spec"), named(f->a));
            } else {
                struct node *h = named(f->a);
                if (h && h->name) {
                    register_type(h);
                    p4msg_str(p4msg_open(m, "header"), "name", h->name);
                }
            }
        }
        type_annotations(v, d, NULL);
        break;
    case N_ENUM: {
        if (d->a) {
            int w = check_width(check_canon(reg.c, d->a));
            p4msg_int(p4msg_open(v, "underlying_type"), "bitwidth", w);
        }
        for (int i = 0; i < d->list.n; i++) {
            struct node *mb = d->list.v[i];
            struct p4msg *m = p4msg_open(v, "members");
            p4msg_str(m, "name", mb->name);
            if (d->a) {
                unsigned __int128 val = 0;
                check_eval(reg.c, mb->b, &val);
                put_value_bytes(m, "value", val,
                                check_width(check_canon(reg.c, d->a)));
            }
            type_annotations(m, mb, NULL);
        }
        type_annotations(v, d, NULL);
        break;
    }
    case N_NEWTYPE: {
        struct node *tr = translation(d);
        if (tr) {
            struct p4msg *t = p4msg_open(v, "translated_type");
            struct nlist *l = tr->b ? &tr->b->list : NULL;
            if (l && l->n >= 1 && l->v[0]->kind == N_STRING)
                p4msg_str(t, "uri", l->v[0]->name);
            int tw = p4info_translation_width(tr);
            if (tw)
                p4msg_int(t, "sdn_bitwidth", tw);
            else
                p4msg_open(t, "sdn_string");
        } else {
            p4info_type_spec(p4msg_open(v, "original_type"),
                             check_canon(reg.c, d->type ? d->type : d->a));
        }
        type_annotations(v, d, "p4runtime_translation");
        break;
    }
    default:
        break;
    }
}

/* Every error member, in declaration order (core.p4's first). */
static void
error_members(struct p4msg *err, struct node *n, int depth)
{
    if (!n || depth > 2)
        return;
    for (int i = 0; i < n->list.n; i++) {
        struct node *d = n->list.v[i];
        if (d->kind == N_ERROR_DECL)
            for (int k = 0; k < d->list.n; k++)
                p4msg_str(err, "members", d->list.v[k]->name);
    }
}

void
p4info_type_info(struct bm *b, struct p4msg *root)
{
    if (!p4info_has_type_info(b) && !reg.n && !reg.error)
        return;
    struct p4msg *ti = p4msg_open(root, "type_info");
    /* entries may register more types (struct members): until none is new */
    int done = 0;
    struct node **emitted = NULL;
    while (done < reg.n) {
        int n = reg.n;
        emitted = xrealloc(emitted, sizeof *emitted * (size_t)n);
        memcpy(emitted, reg.v, sizeof *emitted * (size_t)n);
        /* build entries for the new ones into a scratch message, to learn
         * what they refer to; the real ones are written sorted below */
        struct p4msg *scratch = p4msg_new("P4TypeInfo");
        for (int i = done; i < n; i++)
            type_entry(scratch, emitted[i]);
        p4msg_free(scratch);
        done = n;
    }
    struct node **all = xcalloc((size_t)reg.n + 1, sizeof *all);
    for (int i = 0; i < reg.n; i++)
        all[i] = reg.v[i];
    if (reg.n)
        qsort(all, (size_t)reg.n, sizeof *all, cmp_name);
    for (int i = 0; i < reg.n; i++)
        type_entry(ti, all[i]);
    if (reg.error)
        error_members(p4msg_open(ti, "error"), reg.prog, 0);
    free(all);
    free(emitted);
}

/* ---- controller_packet_metadata ---- */

void
p4info_controller_headers(struct bm *b, struct p4msg *root)
{
    struct node *prog = b->c->program;
    for (int i = 0; prog && i < prog->list.n; i++) {
        struct node *h = prog->list.v[i];
        struct node *ch = h->kind == N_HEADER
                              ? node_annot(h, "controller_header")
                              : NULL;
        if (!ch || node_annot(h, "hidden") || !ch->b || ch->b->list.n < 1 ||
            ch->b->list.v[0]->kind != N_STRING)
            continue;
        const char *cname = ch->b->list.v[0]->name;
        struct p4msg *m = p4msg_open(root, "controller_packet_metadata");
        struct p4msg *pre = p4msg_open(m, "preamble");
        /* the id hashes the header type's name; name and alias are the
         * annotation's */
        p4msg_int(pre, "id", p4info_id(0x04, h->name));
        p4msg_str(pre, "name", cname);
        p4msg_str(pre, "alias", cname);
        for (int k = 0; k < h->annots.n; k++)
            if (!p4info_meta_annotation(h->annots.v[k]->name))
                p4info_annotation(pre, h->annots.v[k]);
        int id = 1;
        for (int k = 0; k < h->list.n; k++) {
            struct node *f = h->list.v[k];
            if (node_annot(f, "hidden"))
                continue;
            struct p4msg *md = p4msg_open(m, "metadata");
            p4msg_int(md, "id", id++);
            p4msg_str(md, "name", f->name);
            for (int a = 0; a < f->annots.n; a++)
                if (!p4info_meta_annotation(f->annots.v[a]->name))
                    p4info_annotation(md, f->annots.v[a]);
            int w = check_width(check_canon(b->c, f->a));
            const char *tn = NULL;
            p4info_type_name(f->a, &tn, &w);
            p4info_type_register(f->a);
            p4msg_int(md, "bitwidth", w);
            if (tn)
                p4msg_str(p4msg_open(md, "type_name"), "name", tn);
        }
    }
}

/* ---- value sets of structs ---- */

int
p4info_value_set_fields(struct p4msg *vs, struct node *elem)
{
    struct node *st = named(elem);
    if (!st || st->kind != N_STRUCT)
        return 0;
    static const struct {
        const char *kind, *type;
    } kinds[] = {{"exact", "EXACT"}, {"lpm", "LPM"}, {"ternary", "TERNARY"},
                 {"range", "RANGE"}, {"optional", "OPTIONAL"}};
    int id = 1;
    for (int i = 0; i < st->list.n; i++) {
        struct node *f = st->list.v[i];
        struct p4msg *m = p4msg_open(vs, "match");
        p4msg_int(m, "id", id++);
        p4msg_str(m, "name", f->name);
        for (int a = 0; a < f->annots.n; a++)
            if (strcmp(f->annots.v[a]->name, "match") &&
                !p4info_meta_annotation(f->annots.v[a]->name))
                p4info_annotation(m, f->annots.v[a]);
        p4msg_int(m, "bitwidth", check_width(check_canon(reg.c, f->a)));
        struct node *ma = node_annot(f, "match");
        const char *mk = ma && ma->str ? ma->str : "exact";
        const char *mt = NULL;
        for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
            if (!strcmp(mk, kinds[k].kind))
                mt = kinds[k].type;
        if (mt)
            p4msg_enum(m, "match_type", mt);
        else
            p4msg_str(m, "other_match_type", mk);
    }
    return 1;
}
