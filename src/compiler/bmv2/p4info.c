/* p4info.c - P4Info of a lowered program, as p4c writes it: the same
 * entities, names, aliases (shortest unique suffix), annotations and ids (a
 * prefix byte per entity kind, then the low 24 bits of the Jenkins
 * one-at-a-time hash of the fully qualified name, probing on collisions).
 * The entities come from the objects the back end lowered (lower.h); what
 * P4Info says about types, packages and annotations from p4info_types.c. It
 * builds the P4Info message as a field tree (p4info_msg.h), which is written
 * in protobuf text format (.txtpb), the proto3 JSON mapping (.json) or
 * binary protobuf (.bin). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/bmv2/p4info_int.h"
#include "compiler/check.h"

unsigned
p4info_id(unsigned prefix, const char *name)
{
    uint32_t h = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h += *p;
        h += h << 10;
        h ^= h >> 6;
    }
    h += h << 3;
    h ^= h >> 11;
    h += h << 15;
    return (prefix << 24) | (h & 0xffffff);
}

/* The message being built: the open sub-messages, innermost last. */
struct pw {
    struct p4msg *stack[16];
    int depth;
};

static struct p4msg *
top(struct pw *w)
{
    return w->stack[w->depth];
}

static void
open_msg(struct pw *w, const char *field)
{
    assert(w->depth + 1 < (int)ARRAY_SIZE(w->stack));
    struct p4msg *m = p4msg_open(top(w), field);
    w->stack[++w->depth] = m;
}

static void
close_msg(struct pw *w)
{
    assert(w->depth > 0);
    w->depth--;
}

static void
put_int(struct pw *w, const char *field, long long v)
{
    p4msg_int(top(w), field, v);
}

static void
put_enum(struct pw *w, const char *field, const char *v)
{
    p4msg_enum(top(w), field, v);
}

static void
put_str(struct pw *w, const char *field, const char *v)
{
    p4msg_str(top(w), field, v);
}

static void
put_bool(struct pw *w, const char *field, int v)
{
    p4msg_bool(top(w), field, v);
}

/* A bytes field: the big-endian bytes of hex value hex ("0x..") in
 * ceil(bits/8) bytes. */
static void
put_bytes(struct pw *w, const char *name, const char *hex, int bits)
{
    int nb = (bits + 7) / 8;
    if (nb < 1)
        nb = 1;
    unsigned char *bytes = xcalloc((size_t)nb, 1);
    const char *h = hex && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')
                        ? hex + 2
                        : hex;
    size_t hl = h ? strlen(h) : 0;
    for (size_t i = 0; i < hl; i++) {
        char ch = h[hl - 1 - i];
        int v = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : 0;
        int byte = nb - 1 - (int)(i / 2);
        if (byte >= 0)
            bytes[byte] |= (unsigned char)(i % 2 ? v << 4 : v);
    }
    p4msg_bytes(top(w), name, bytes, (size_t)nb);
    free(bytes);
}

/* Every entity of the program, for aliases and id collisions. */
struct ent {
    struct p4i_obj *o;
    unsigned prefix;
    int rank, sub, seq; /* where p4c lists it among its kind (cmp_ent) */
    int idx;            /* the back end's order, last resort */
    struct node *where; /* the declaration that places it (o->decl, or the
                           table of a profile built in a table) */
    const char *name;   /* the P4Info name (o->name but for renamed ones) */
    const char *alias;
    struct node *annot; /* where its annotations are (o->decl but for
                           action profiles constructed in a table) */
};

static int
n_dots(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '.';
    return n;
}

/* The shortest suffix (in dot-separated components) of name that no other
 * entity's name ends with. */
static const char *
alias_of(struct ent *all, int n, int self)
{
    const char *name = all[self].name;
    int dots = n_dots(name);
    for (int k = 0; k <= dots; k++) {
        /* suffix with k+1 components */
        const char *s = name + strlen(name);
        int seen = 0;
        while (s > name) {
            s--;
            if (*s == '.' && ++seen == k + 1) {
                s++;
                break;
            }
        }
        size_t sl = strlen(s);
        int clash = 0;
        for (int i = 0; i < n && !clash; i++) {
            if (i == self)
                continue;
            const char *o = all[i].name;
            size_t ol = strlen(o);
            if (ol >= sl && !strcmp(o + ol - sl, s) &&
                (ol == sl || o[ol - sl - 1] == '.'))
                clash = 1;
        }
        if (!clash)
            return s;
    }
    return name;
}

/* Annotations P4Info does not repeat as annotations: they name, hide or
 * number the object, or document it; @tableonly/@defaultonly are kept only
 * on action references (in_ref). */
static int
skip_annotation(const char *name, int in_ref)
{
    return p4info_meta_annotation(name) ||
           (!in_ref &&
            (!strcmp(name, "tableonly") || !strcmp(name, "defaultonly")));
}

static void
annotations(struct pw *w, struct node *d)
{
    for (int i = 0; d && i < d->annots.n; i++)
        if (!skip_annotation(d->annots.v[i]->name, 0))
            p4info_annotation(top(w), d->annots.v[i]);
}

/* The i-th action reference (one the back end resolved) of table t's
 * actions property, or NULL. */
static struct node *
action_ref(struct node *t, int i)
{
    for (int p = 0; t && t->kind == N_TABLE && p < t->list.n; p++) {
        struct node *prop = t->list.v[p];
        if (prop->kind != N_PROP || strcmp(prop->name, "actions") ||
            !prop->a || prop->a->kind != N_ACTLIST)
            continue;
        for (int k = 0; k < prop->a->list.n; k++)
            if (prop->a->list.v[k]->decl && i-- == 0)
                return prop->a->list.v[k];
    }
    return NULL;
}

static void
preamble(struct pw *w, struct ent *e)
{
    open_msg(w, "preamble");
    put_int(w, "id", e->o->id);
    put_str(w, "name", e->name);
    put_str(w, "alias", e->alias);
    for (int i = 0; e->annot && i < e->annot->annots.n; i++) {
        const char *an = e->annot->annots.v[i]->name;
        /* an action profile's selector annotations become its fields */
        if (e->prefix == 0x11 && (!strcmp(an, "max_group_size") ||
                                  !strcmp(an, "selector_size_semantics") ||
                                  !strcmp(an, "max_member_weight")))
            continue;
        if (!skip_annotation(an, 0))
            p4info_annotation(top(w), e->annot->annots.v[i]);
    }
    p4info_doc(top(w), e->annot);
    close_msg(w);
}

/* The V1Switch blocks, for the order p4c lists entities in: by the block
 * that declares them in pipeline order (top-level ones first), then in
 * declaration order. A top-level action is listed with the first control
 * that uses it, before that control's own actions, in order of first use
 * (p4c copies it into the control there). */
static struct node *const *order_blocks;

static int
block_rank(const struct node *d)
{
    const struct node *owner = d ? d->parent : NULL;
    if (!owner)
        return -1;
    for (int i = 0; order_blocks && i < 6; i++)
        if (order_blocks[i] == owner)
            return i;
    return 6;
}

/* Top-level actions in order of first use: decl, block, position. */
struct first_use {
    struct node **decl;
    int *blk, n;
};

static void
use(struct first_use *u, struct node *d, int blk)
{
    for (int i = 0; i < u->n; i++)
        if (u->decl[i] == d)
            return;
    u->decl = xrealloc(u->decl, sizeof *u->decl * (size_t)(u->n + 1));
    u->blk = xrealloc(u->blk, sizeof *u->blk * (size_t)(u->n + 1));
    u->decl[u->n] = d;
    u->blk[u->n++] = blk;
}

static struct node *table_prop(struct node *t, const char *name);

static void
uses(struct bm *b, struct first_use *u, struct node *n, int blk, int depth)
{
    if (!n || depth > 200)
        return;
    struct node *d = n->kind == N_NAME                ? n->decl
                     : n->kind == N_CALL && n->a ? n->a->decl
                                                 : NULL;
    if (d && d->kind == N_ACTION && !d->parent)
        use(u, d, blk);
    uses(b, u, n->a, blk, depth + 1);
    uses(b, u, n->b, blk, depth + 1);
    uses(b, u, n->c, blk, depth + 1);
    for (int i = 0; i < n->list.n; i++)
        uses(b, u, n->list.v[i], blk, depth + 1);
    for (int i = 0; i < n->args.n; i++)
        uses(b, u, n->args.v[i], blk, depth + 1);
    /* a table without default_action gets NoAction from the front end */
    if (n->kind == N_TABLE && !table_prop(n, "default_action") && b->noaction)
        use(u, b->noaction, blk);
}

static void
order_keys(struct bm *b, struct ent *all, int n)
{
    struct first_use u = {0};
    for (int k = 1; k < 6; k++) {
        struct node *ctl = b->blocks[k];
        if (!ctl || ctl->kind != N_CONTROL)
            continue;
        for (int i = 0; i < ctl->list.n; i++)
            if (ctl->list.v[i]->kind == N_TABLE ||
                ctl->list.v[i]->kind == N_ACTION)
                uses(b, &u, ctl->list.v[i], k, 0);
        uses(b, &u, ctl->b, k, 0);
    }
    for (int i = 0; i < n; i++) {
        struct node *d = all[i].where;
        all[i].rank = block_rank(d);
        all[i].sub = 1;
        all[i].seq = d ? d->seq : 0;
        for (int k = 0; all[i].prefix == 0x01 && k < u.n; k++)
            if (u.decl[k] == all[i].o->decl) {
                all[i].rank = u.blk[k];
                all[i].sub = 0;
                all[i].seq = k;
            }
    }
    free(u.decl);
    free(u.blk);
}

static int
cmp_ent(const void *a, const void *b)
{
    const struct ent *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->sub != y->sub)
        return x->sub < y->sub ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    /* one declaration instantiated more than once: by name */
    if (x->where && x->where == y->where)
        return strcmp(x->name, y->name);
    return x->idx - y->idx;
}

static unsigned
table_id(struct bm *b, const char *name)
{
    if (!name)
        return 0;
    for (size_t i = 0; i < b->p4_tables.n; i++)
        if (!strcmp(b->p4_tables.v[i].name, name))
            return b->p4_tables.v[i].id;
    return 0;
}

static unsigned
action_id(struct bm *b, const char *name)
{
    for (size_t i = 0; i < b->p4_actions.n; i++)
        if (!strcmp(b->p4_actions.v[i].name, name))
            return b->p4_actions.v[i].id;
    return 0;
}

/* The CounterType/MeterType argument of a counter or meter instance. */
static const char *
instance_unit(struct node *d)
{
    for (int i = 0; d && d->kind == N_INSTANCE && i < d->args.n; i++) {
        struct node *a = d->args.v[i];
        if (a->kind == N_NAMED)
            a = a->a;
        if (a && a->kind == N_MEMBER && a->name &&
            (!strcmp(a->name, "packets") || !strcmp(a->name, "bytes") ||
             !strcmp(a->name, "packets_and_bytes")))
            return a->name;
    }
    return NULL;
}

static const char *
unit_name(json_t *j, struct node *decl, int counter)
{
    const char *u = instance_unit(decl);
    if (!u)
        u = json_string_value(json_object_get(j, "_unit"));
    if (!u)
        u = json_string_value(json_object_get(j, "type"));
    if (u && !strcmp(u, "bytes"))
        return "BYTES";
    if (u && !strcmp(u, "packets_and_bytes"))
        return counter ? "BOTH" : "BYTES";
    return "PACKETS";
}

/* The i-th N_KEY of table t's key property, or NULL. */
static struct node *
key_node(struct node *t, int i)
{
    for (int p = 0; t && t->kind == N_TABLE && p < t->list.n; p++) {
        struct node *prop = t->list.v[p];
        if (prop->kind == N_PROP && !strcmp(prop->name, "key") && prop->a &&
            prop->a->kind == N_KEYS)
            return i < prop->a->list.n ? prop->a->list.v[i] : NULL;
    }
    return NULL;
}

static struct node *
key_expr(struct node *t, int i)
{
    struct node *k = key_node(t, i);
    return k ? k->a : NULL;
}

static void
emit_table(struct pw *w, struct bm *b, struct ent *e)
{
    json_t *t = e->o->json;
    open_msg(w, "tables");
    preamble(w, e);
    json_t *keys = json_object_get(t, "key");
    int nkeys = 0;
    while (key_node(e->o->decl, nkeys))
        nkeys++;
    for (size_t i = 0; i < json_array_size(keys); i++) {
        json_t *k = json_array_get(keys, i);
        open_msg(w, "match_fields");
        put_int(w, "id", (long long)i + 1);
        put_str(w, "name", json_string_value(json_object_get(k, "name")));
        int bw = (int)json_integer_value(json_object_get(k, "_bitwidth"));
        const char *tn = NULL;
        struct node *ke = json_array_size(keys) == (size_t)nkeys
                              ? key_expr(e->o->decl, (int)i)
                              : NULL;
        if (ke) {
            /* a key keeps every annotation but its @name (even @hidden) */
            struct node *kn = key_node(e->o->decl, (int)i);
            for (int a = 0; a < kn->annots.n; a++)
                if (strcmp(kn->annots.v[a]->name, "name") &&
                    strcmp(kn->annots.v[a]->name, "brief") &&
                    strcmp(kn->annots.v[a]->name, "description"))
                    p4info_annotation(top(w), kn->annots.v[a]);
            p4info_doc(top(w), kn);
            p4info_expr_type_name(ke, &tn, &bw);
            p4info_expr_register(ke);
        }
        put_int(w, "bitwidth", bw);
        if (tn) {
            open_msg(w, "type_name");
            put_str(w, "name", tn);
            close_msg(w);
        }
        const char *mt = json_string_value(json_object_get(k, "_kind"));
        if (!strcmp(mt, "exact"))
            put_enum(w, "match_type", "EXACT");
        else if (!strcmp(mt, "lpm"))
            put_enum(w, "match_type", "LPM");
        else if (!strcmp(mt, "ternary"))
            put_enum(w, "match_type", "TERNARY");
        else if (!strcmp(mt, "range"))
            put_enum(w, "match_type", "RANGE");
        else if (!strcmp(mt, "optional"))
            put_enum(w, "match_type", "OPTIONAL");
        close_msg(w);
    }
    json_t *names = json_object_get(t, "actions");
    json_t *scopes = json_object_get(t, "_scopes");
    for (size_t i = 0; i < json_array_size(names); i++) {
        const char *an = json_string_value(json_array_get(names, i));
        open_msg(w, "action_refs");
        put_int(w, "id", action_id(b, an));
        const char *sc = json_string_value(json_array_get(scopes, i));
        struct node *ar = action_ref(e->o->decl, (int)i);
        for (int k = 0; ar && k < ar->annots.n; k++)
            if (!skip_annotation(ar->annots.v[k]->name, 1))
                p4info_annotation(top(w), ar->annots.v[k]);
        if (sc && strcmp(sc, "TABLE_AND_DEFAULT")) {
            /* the front end's implicit @defaultonly (an action only named
             * by default_action) is listed like a written one */
            const char *sa = !strcmp(sc, "TABLE_ONLY") ? "tableonly"
                                                        : "defaultonly";
            if (!ar || !node_annot(ar, sa)) {
                char *s = xasprintf("@%s", sa);
                put_str(w, "annotations", s);
                free(s);
            }
            put_enum(w, "scope", sc);
        }
        close_msg(w);
    }
    json_t *de = json_object_get(t, "default_entry");
    if (de && json_is_true(json_object_get(de, "action_const"))) {
        json_int_t aid = json_integer_value(json_object_get(de, "action_id"));
        for (size_t i = 0; i < b->p4_actions.n; i++) {
            json_t *aj = b->p4_actions.v[i].json;
            if (json_integer_value(json_object_get(aj, "id")) == aid)
                put_int(w, "const_default_action_id", b->p4_actions.v[i].id);
        }
    }
    /* p4c 1.2.4 writes the initial default action of every table (the
     * tutorials' older P4Info files do not have it) */
    if (de) {
        json_int_t aid = json_integer_value(json_object_get(de, "action_id"));
        for (size_t i = 0; i < b->p4_actions.n; i++) {
            json_t *aj = b->p4_actions.v[i].json;
            if (json_integer_value(json_object_get(aj, "id")) == aid) {
                open_msg(w, "initial_default_action");
                put_int(w, "action_id", b->p4_actions.v[i].id);
                json_t *data = json_object_get(de, "action_data");
                json_t *rd = json_object_get(aj, "runtime_data");
                for (size_t k = 0; k < json_array_size(data); k++) {
                    int bw = (int)json_integer_value(
                        json_object_get(json_array_get(rd, k), "bitwidth"));
                    open_msg(w, "arguments");
                    put_int(w, "param_id", (long long)k + 1);
                    put_bytes(w, "value",
                              json_string_value(json_array_get(data, k)), bw);
                    close_msg(w);
                }
                close_msg(w);
            }
        }
    }
    const char *prof = json_string_value(json_object_get(t, "action_profile"));
    if (prof)
        for (size_t i = 0; i < b->p4_profiles.n; i++)
            if (!strcmp(b->p4_profiles.v[i].name, prof))
                put_int(w, "implementation_id", b->p4_profiles.v[i].id);
    const char *tname = json_string_value(json_object_get(t, "name"));
    for (size_t i = 0; i < b->p4_dcounters.n; i++) {
        const char *bt = json_string_value(
            json_object_get(b->p4_dcounters.v[i].json, "_table"));
        if (bt && !strcmp(bt, tname))
            put_int(w, "direct_resource_ids", b->p4_dcounters.v[i].id);
    }
    for (size_t i = 0; i < b->p4_dmeters.n; i++) {
        const char *bt = json_string_value(
            json_object_get(b->p4_dmeters.v[i].json, "_table"));
        if (bt && !strcmp(bt, tname))
            put_int(w, "direct_resource_ids", b->p4_dmeters.v[i].id);
    }
    json_t *p4size = json_object_get(t, "_p4size");
    put_int(w, "size",
        json_integer_value(p4size ? p4size : json_object_get(t, "max_size")));
    if (json_is_true(json_object_get(t, "support_timeout")))
        put_enum(w, "idle_timeout_behavior", "NOTIFY_CONTROL");
    if (json_is_true(json_object_get(t, "_const_entries")))
        put_bool(w, "is_const_table", 1);
    /* only when the entries list has an entry (P4Runtime 1.4) */
    if (json_array_size(json_object_get(t, "entries")))
        put_bool(w, "has_initial_entries", 1);
    close_msg(w);
}

static void
emit_action(struct pw *w, struct bm *b, struct ent *e)
{
    json_t *a = e->o->json;
    open_msg(w, "actions");
    preamble(w, e);
    json_t *rd = json_object_get(a, "runtime_data");
    struct node *d = e->o->decl;
    int pi = 0;
    for (size_t i = 0; i < json_array_size(rd); i++) {
        json_t *p = json_array_get(rd, i);
        open_msg(w, "params");
        put_int(w, "id", (long long)i + 1);
        put_str(w, "name", json_string_value(json_object_get(p, "name")));
        while (d && pi < d->params.n && (d->params.v[pi]->flags & F_DIR_INOUT))
            pi++;
        struct node *pd = d && pi < d->params.n ? d->params.v[pi] : NULL;
        if (pd)
            annotations(w, pd);
        pi++;
        int bw = (int)json_integer_value(json_object_get(p, "bitwidth"));
        const char *tn = NULL;
        if (pd) {
            p4info_type_name(pd->a, &tn, &bw);
            p4info_type_register(pd->a);
            p4info_doc(top(w), pd);
        }
        put_int(w, "bitwidth", bw);
        if (tn) {
            open_msg(w, "type_name");
            put_str(w, "name", tn);
            close_msg(w);
        }
        close_msg(w);
    }
    close_msg(w);
}

static void
collect(struct ent **all, int *n, void *vec_v, size_t vec_n, unsigned prefix)
{
    struct p4i_obj *v = vec_v;
    for (size_t i = 0; i < vec_n; i++) {
        *all = xrealloc(*all, sizeof **all * (size_t)(*n + 1));
        (*all)[*n].o = &v[i];
        (*all)[*n].prefix = prefix;
        (*all)[*n].name = v[i].name;
        (*all)[*n].alias = NULL;
        (*all)[*n].annot = v[i].decl;
        (*all)[*n].where = v[i].decl;
        (*all)[*n].idx = *n;
        (*n)++;
    }
}

/* The integer or string argument of annotation name on d. */
static struct node *
annot_arg(struct node *d, const char *name)
{
    struct node *a = d ? node_annot(d, name) : NULL;
    return a && a->b && a->b->list.n >= 1 ? a->b->list.v[0] : NULL;
}

/* @max_group_size, @selector_size_semantics and @max_member_weight of an
 * action selector. */
static void
selector_fields(struct pw *w, struct node *d)
{
    struct node *mg = annot_arg(d, "max_group_size");
    if (mg && mg->kind == N_INT)
        put_int(w, "max_group_size", (long long)mg->ival);
    struct node *sem = annot_arg(d, "selector_size_semantics");
    if (sem && sem->kind == N_STRING && !strcmp(sem->name, "sum_of_weights")) {
        open_msg(w, "sum_of_weights");
        close_msg(w);
    } else if (sem && sem->kind == N_STRING &&
               !strcmp(sem->name, "sum_of_members")) {
        open_msg(w, "sum_of_members");
        struct node *mw = annot_arg(d, "max_member_weight");
        if (mw && mw->kind == N_INT)
            put_int(w, "max_member_weight", (long long)mw->ival);
        close_msg(w);
    }
}

/* A table property by name. */
static struct node *
table_prop(struct node *t, const char *name)
{
    for (int p = 0; t && t->kind == N_TABLE && p < t->list.n; p++)
        if (t->list.v[p]->kind == N_PROP && !strcmp(t->list.v[p]->name, name))
            return t->list.v[p];
    return NULL;
}

/* Action profiles constructed in a table's implementation property are
 * named by the property's @name (p4c), and annotated by the property. */
static void
inline_profiles(struct bm *b, struct ent *all, int n)
{
    for (int i = 0; i < n; i++) {
        if (all[i].prefix != 0x11 ||
            (all[i].o->decl && all[i].o->decl->kind == N_INSTANCE))
            continue;
        for (size_t t = 0; t < b->p4_tables.n; t++) {
            const char *p = json_string_value(
                json_object_get(b->p4_tables.v[t].json, "action_profile"));
            struct node *prop =
                table_prop(b->p4_tables.v[t].decl, "implementation");
            if (!p || strcmp(p, all[i].o->name) || !prop)
                continue;
            all[i].annot = prop;
            all[i].where = b->p4_tables.v[t].decl;
            struct node *nm = annot_arg(prop, "name");
            if (nm && nm->kind == N_STRING) {
                all[i].name = nm->name[0] == '.' ? nm->name + 1 : nm->name;
                all[i].o->id = p4info_id(0x11, all[i].name);
            }
        }
    }
}

/* Action profiles and selectors declared in the pipeline's controls but
 * used by no table: p4c lists them too. Their objects live in *extra. */
static void
unused_profiles(struct bm *b, struct ent **all, int *n,
                struct p4i_obj **extra, int *nextra)
{
    for (int k = 1; k < 6; k++) {
        struct node *ctl = b->blocks[k];
        for (int i = 0; ctl && ctl->kind == N_CONTROL && i < ctl->list.n; i++) {
            struct node *d = ctl->list.v[i];
            struct node *t = d->kind == N_INSTANCE ? d->a : NULL;
            if (t && t->kind == N_TNAME && t->decl)
                t = t->decl;
            if (!t || !t->name || (strcmp(t->name, "action_profile") &&
                                   strcmp(t->name, "action_selector")))
                continue;
            int sel = !strcmp(t->name, "action_selector");
            const char *nm = bm_annot_string(d, "name");
            const char *q = nm && nm[0] == '.'
                                ? nm + 1
                                : arena_printf(b->A, "%s.%s", ctl->name,
                                               nm ? nm : d->name);
            int have = 0;
            for (int e = 0; e < *n; e++)
                have |= (*all)[e].prefix == 0x11 && !strcmp((*all)[e].name, q);
            if (have)
                continue;
            unsigned __int128 sz = 0;
            struct node *sa = d->args.n > sel ? d->args.v[sel] : NULL;
            if (sa && sa->kind == N_NAMED)
                sa = sa->a;
            if (sa)
                check_eval(b->c, sa, &sz);
            json_t *j = json_pack("{s:I}", "max_size", (json_int_t)sz);
            if (sel)
                json_object_set_new(j, "selector", json_object());
            *extra = xrealloc(*extra, sizeof **extra * (size_t)(*nextra + 1));
            struct p4i_obj o = {q, d, p4info_id(0x11, q), j};
            (*extra)[(*nextra)++] = o;
        }
    }
}

static int
cmp_kind_name(const void *a, const void *b)
{
    const struct ent *const *x = a, *const *y = b;
    if ((*x)->prefix != (*y)->prefix)
        return (*x)->prefix < (*y)->prefix ? -1 : 1;
    return strcmp((*x)->name, (*y)->name);
}

/* Ids as p4c gives them: an @id(N) first (N gets the kind's prefix byte
 * when it has none), then the others by kind in name order, each the hash
 * of its name, probing upwards past ids already taken. */
static void
assign_ids(struct ent *all, int n)
{
    if (!n)
        return;
    struct ent **order = xcalloc((size_t)n, sizeof *order);
    unsigned *taken = xcalloc((size_t)n, sizeof *taken);
    int ntaken = 0, k = 0;
    for (int i = 0; i < n; i++) {
        struct node *idn = all[i].annot ? node_annot(all[i].annot, "id") : NULL;
        if (idn && idn->b && idn->b->list.n == 1 &&
            idn->b->list.v[0]->kind == N_INT) {
            unsigned v = (unsigned)idn->b->list.v[0]->ival;
            if (!(v >> 24))
                v |= all[i].prefix << 24;
            all[i].o->id = v;
            taken[ntaken++] = v;
        } else {
            order[k++] = &all[i];
        }
    }
    qsort(order, (size_t)k, sizeof *order, cmp_kind_name);
    for (int i = 0; i < k; i++) {
        unsigned id = p4info_id(order[i]->prefix, order[i]->name);
        for (int j = 0; j < ntaken; j++)
            if (taken[j] == id) {
                id = (id & 0xff000000) | ((id + 1) & 0xffffff);
                j = -1;
            }
        order[i]->o->id = id;
        taken[ntaken++] = id;
    }
    free(order);
    free(taken);
}

/* index_type_name of a counter<I>, meter<I> (targ 0) or register<T, I>
 * (targ 1) whose index type is a 'type' declaration. */
static void
index_type_name(struct pw *w, struct node *inst, int targ)
{
    struct node *t =
        inst && inst->kind == N_INSTANCE && inst->a ? inst->a : NULL;
    const char *tn = NULL;
    int width = 0;
    if (t && t->targs.n > targ &&
        p4info_type_name(t->targs.v[targ], &tn, &width)) {
        open_msg(w, "index_type_name");
        put_str(w, "name", tn);
        close_msg(w);
    }
}

static void
emit_profile(struct pw *w, struct bm *b, struct ent *e)
{
    json_t *j = e->o->json;
    open_msg(w, "action_profiles");
    preamble(w, e);
    /* the tables sharing it, by name (p4c keeps a set) */
    const char *last = "";
    for (;;) {
        struct p4i_obj *next = NULL;
        for (size_t t = 0; t < b->p4_tables.n; t++) {
            struct p4i_obj *to = &b->p4_tables.v[t];
            const char *p =
                json_string_value(json_object_get(to->json, "action_profile"));
            if (p && !strcmp(p, e->o->name) && strcmp(to->name, last) > 0 &&
                (!next || strcmp(to->name, next->name) < 0))
                next = to;
        }
        if (!next)
            break;
        put_int(w, "table_ids", next->id);
        last = next->name;
    }
    int sel = json_object_get(j, "selector") != NULL;
    if (sel)
        put_bool(w, "with_selector", 1);
    put_int(w, "size", json_integer_value(json_object_get(j, "max_size")));
    if (sel)
        selector_fields(w, e->annot);
    close_msg(w);
}

/* Counters and meters, indexed (counters, meters) or direct. */
static void
emit_counterlike(struct pw *w, struct bm *b, struct ent *e)
{
    json_t *j = e->o->json;
    int counter = e->prefix == 0x12 || e->prefix == 0x13;
    int direct = e->prefix == 0x13 || e->prefix == 0x15;
    open_msg(w, counter ? direct ? "direct_counters" : "counters"
                : direct ? "direct_meters"
                         : "meters");
    preamble(w, e);
    open_msg(w, "spec");
    put_enum(w, "unit", unit_name(j, e->o->decl, counter));
    close_msg(w);
    if (!direct) {
        put_int(w, "size", json_integer_value(json_object_get(j, "size")));
        index_type_name(w, e->o->decl, 0);
    } else {
        put_int(w, "direct_table_id",
                table_id(b, json_string_value(json_object_get(j, "_table"))));
    }
    close_msg(w);
}

static void
emit_value_set(struct pw *w, struct bm *b, struct ent *e)
{
    json_t *j = e->o->json;
    open_msg(w, "value_sets");
    preamble(w, e);
    if (!e->o->decl || !p4info_value_set_fields(top(w), e->o->decl->a)) {
        open_msg(w, "match");
        put_int(w, "id", 1);
        put_int(w, "bitwidth",
                json_integer_value(json_object_get(j, "compressed_bitwidth")));
        put_enum(w, "match_type", "EXACT");
        close_msg(w);
    }
    put_int(w, "size", json_integer_value(json_object_get(j, "max_size")));
    close_msg(w);
}

static void
emit_register(struct pw *w, struct bm *b, struct ent *e)
{
    json_t *j = e->o->json;
    open_msg(w, "registers");
    preamble(w, e);
    struct node *rt = e->o->decl && e->o->decl->kind == N_INSTANCE
                          ? e->o->decl->a
                          : NULL;
    open_msg(w, "type_spec");
    if (rt && rt->targs.n >= 1) {
        p4info_type_spec(top(w), rt->targs.v[0]);
    } else {
        open_msg(w, "bitstring");
        open_msg(w, "bit");
        put_int(w, "bitwidth",
                json_integer_value(json_object_get(j, "bitwidth")));
        close_msg(w);
        close_msg(w);
    }
    close_msg(w);
    put_int(w, "size", json_integer_value(json_object_get(j, "size")));
    index_type_name(w, e->o->decl, 1);
    close_msg(w);
}

static void
emit_digest(struct pw *w, struct bm *b, struct ent *e)
{
    open_msg(w, "digests");
    preamble(w, e);
    open_msg(w, "type_spec");
    if (e->o->decl) {
        p4info_type_spec(top(w), e->o->decl);
    } else {
        open_msg(w, "struct");
        put_str(w, "name", e->o->name);
        close_msg(w);
    }
    close_msg(w);
    close_msg(w);
}

/* Each kind of entity: its id prefix byte and how it is written. */
static const struct kind {
    unsigned prefix;
    void (*emit)(struct pw *w, struct bm *b, struct ent *e);
} kinds[] = {
    {0x02, emit_table},       {0x01, emit_action},
    {0x11, emit_profile},     {0x12, emit_counterlike},
    {0x13, emit_counterlike}, {0x14, emit_counterlike},
    {0x15, emit_counterlike}, {0x03, emit_value_set},
    {0x16, emit_register},    {0x17, emit_digest},
};

static void
build(struct bm *b, struct pw *w)
{
    struct ent *all = NULL;
    int n = 0;
    collect(&all, &n, b->p4_tables.v, b->p4_tables.n, 0x02);
    collect(&all, &n, b->p4_actions.v, b->p4_actions.n, 0x01);
    collect(&all, &n, b->p4_profiles.v, b->p4_profiles.n, 0x11);
    collect(&all, &n, b->p4_counters.v, b->p4_counters.n, 0x12);
    collect(&all, &n, b->p4_dcounters.v, b->p4_dcounters.n, 0x13);
    collect(&all, &n, b->p4_meters.v, b->p4_meters.n, 0x14);
    collect(&all, &n, b->p4_dmeters.v, b->p4_dmeters.n, 0x15);
    collect(&all, &n, b->p4_vsets.v, b->p4_vsets.n, 0x03);
    collect(&all, &n, b->p4_registers.v, b->p4_registers.n, 0x16);
    collect(&all, &n, b->p4_digests.v, b->p4_digests.n, 0x17);
    inline_profiles(b, all, n);
    struct p4i_obj *extra = NULL;
    int nextra = 0;
    unused_profiles(b, &all, &n, &extra, &nextra);
    collect(&all, &n, extra, (size_t)nextra, 0x11);
    /* one entry per name and kind: the back end may lower an action once
     * per table that uses it, p4c lists it once */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
            if (all[j].prefix == all[i].prefix &&
                !strcmp(all[j].name, all[i].name)) {
                memmove(&all[i], &all[i + 1], sizeof *all * (size_t)(n - i - 1));
                n--;
                i--;
                break;
            }
    /* a direct counter or meter no table uses is not listed by p4c */
    for (int i = 0; i < n; i++)
        if ((all[i].prefix == 0x13 || all[i].prefix == 0x15) &&
            !table_id(b, json_string_value(
                             json_object_get(all[i].o->json, "_table")))) {
            memmove(&all[i], &all[i + 1], sizeof *all * (size_t)(n - i - 1));
            n--;
            i--;
        }
    assign_ids(all, n);
    for (int i = 0; i < n; i++)
        all[i].alias = alias_of(all, n, i);
    order_blocks = b->blocks;
    order_keys(b, all, n);
    if (n)
        qsort(all, (size_t)n, sizeof *all, cmp_ent);
    p4info_types_begin(b);
    if (!p4info_pkg_info(b, top(w))) {
        goto out;
    }
    /* the writer orders the kinds by field number; within one kind the
     * order here (cmp_ent) is p4c's */
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
            if (kinds[k].prefix == all[i].prefix)
                kinds[k].emit(w, b, &all[i]);
    p4info_controller_headers(b, top(w));
    p4info_type_info(b, top(w));
out:
    for (int i = 0; i < nextra; i++)
        json_decref(extra[i].json);
    free(extra);
    free(all);
}

int
p4info_emit(struct cc *c, FILE *f, int fmt)
{
    struct bm *b = c->backend;
    if (!b)
        return -1;
    struct pw w = {{p4msg_new("P4Info")}, 0};
    build(b, &w);
    int r = fmt == P4INFO_JSON     ? p4msg_write_json(w.stack[0], f)
            : fmt == P4INFO_BINARY ? p4msg_write_binary(w.stack[0], f)
                                   : p4msg_write_text(w.stack[0], f);
    p4msg_free(w.stack[0]);
    p4info_types_end();
    return r;
}
