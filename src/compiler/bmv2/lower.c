/* lower.c - BMv2 back end: the program structure.
 *
 * Finds the V1Switch package instance, flattens the headers and metadata of
 * its blocks into header instances and fields of the "scalars" header, turns
 * the parser into parse states, each pipeline's apply block into a graph of
 * tables and conditionals (straight-line statements become synthesized
 * one-action tables, as p4c does), the checksum controls into BMv2
 * checksums and the deparser into an emit order. Expressions and primitives
 * are in expr.c; the JSON is written by bmv2_emit_json(); P4Info by
 * p4info.c from the objects gathered here. */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/check.h"
#include "lib/strbuf.h"

static json_t *
typed(const char *type, json_t *value)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "value", value);
    return o;
}

const char *
bm_unique(struct bm *b, const char *base)
{
    if (!hmap_get(&b->names, base)) {
        hmap_put(&b->names, base, (void *)1, NULL);
        return arena_strdup(b->A, base);
    }
    for (int i = 0;; i++) {
        char *n = arena_printf(b->A, "%s_%d", base, i);
        if (!hmap_get(&b->names, n)) {
            hmap_put(&b->names, n, (void *)1, NULL);
            return n;
        }
    }
}

/* ---- header types and instances ---- */

/* The fields of a struct nested in a header, flattened as p4c does:
 * "<field>.<member>" (recursively). */
static void
add_struct_fields(struct bm *b, json_t *fields, const char *prefix,
                  struct node *st, int *bits)
{
    for (int i = 0; i < st->list.n; i++) {
        struct node *f = st->list.v[i];
        const char *n = arena_printf(b->A, "%s.%s", prefix, f->name);
        if (f->type && f->type->kind == N_STRUCT) {
            add_struct_fields(b, fields, n, f->type, bits);
            continue;
        }
        int w = check_width(f->type);
        if (w <= 0) {
            cc_error(b->c, f->loc,
                     "field '%s' has a type the BMv2 back end "
                     "cannot lay out in a header",
                     f->name);
            continue;
        }
        *bits += w;
        json_array_append_new(
            fields,
            json_pack("[s,i,b]", n, w,
                      f->type->kind == N_TBIT && (f->type->flags & F_SIGNED)));
    }
}

static const char *
header_type(struct bm *b, struct node *t, int metadata)
{
    const char *name = t->name ? t->name : "anon";
    if (hmap_get(&b->htypes, name))
        return name;
    int id = (int)json_array_size(b->header_types);
    hmap_put(&b->htypes, name, (void *)(intptr_t)(id + 1), NULL);
    json_t *ht = json_object();
    json_object_set_new(ht, "name", json_string(name));
    json_object_set_new(ht, "id", json_integer(id));
    json_t *fields = json_array();
    int bits = 0;
    for (int i = 0; i < t->list.n; i++) {
        struct node *f = t->list.v[i];
        struct node *ft = f->type;
        if (ft && ft->kind == N_TVARBIT) {
            json_array_append_new(fields,
                                  json_pack("[s,s,b]", f->name, "*", 0));
            json_object_set_new(ht, "max_length",
                                json_integer((bits + ft->width + 7) / 8));
            continue;
        }
        if (ft && ft->kind == N_STRUCT) {
            add_struct_fields(b, fields, f->name, ft, &bits);
            continue;
        }
        int w = check_width(ft);
        if (w <= 0) {
            cc_error(b->c, f->loc,
                     "field '%s' of %s has a type the BMv2 back "
                     "end cannot lay out",
                     f->name, name);
            continue;
        }
        bits += w;
        json_array_append_new(fields, json_pack("[s,i,b]", f->name, w,
                                                ft && ft->kind == N_TBIT &&
                                                    (ft->flags & F_SIGNED)));
    }
    if (metadata && bits % 8)
        json_array_append_new(
            fields, json_pack("[s,i,b]", "_padding", 8 - bits % 8, 0));
    json_object_set_new(ht, "fields", fields);
    json_array_append_new(b->header_types, ht);
    return name;
}

static void
add_header_instance(struct bm *b, const char *name, const char *type,
                    int metadata)
{
    json_t *h = json_object();
    json_object_set_new(h, "name", json_string(name));
    json_object_set_new(h, "id", json_integer(b->next_header_id++));
    json_object_set_new(h, "header_type", json_string(type));
    json_object_set_new(h, "metadata", json_boolean(metadata));
    json_object_set_new(h, "pi_omit", json_true());
    json_array_append_new(b->headers, h);
}

static struct binding *
scalar_field(struct bm *b, const char *name, struct node *type)
{
    struct binding *f = arena_alloc(b->A, sizeof *f);
    f->kind = B_FIELD;
    f->type = type;
    f->hname = "scalars";
    f->field = bm_unique(b, arena_printf(b->A, "scalars.%s", name)) + 8;
    f->width = check_width(type);
    f->is_bool = type && type->kind == N_TBOOL;
    json_array_append_new(
        b->scalar_fields,
        json_pack("[s,i,b]", f->field, f->width,
                  type && type->kind == N_TBIT && (type->flags & F_SIGNED)));
    b->scalar_bits += f->width;
    return f;
}

/* Creates the BMv2 storage for a value of type t named name (bm_bind in
 * lower.h). hdr_root: t is the headers struct of the pipeline, whose headers
 * keep their own field names as instance names (as p4c names them). */
struct binding *
bm_bind(struct bm *b, struct node *t, const char *name, int hdr_root)
{
    struct binding *bd = arena_alloc(b->A, sizeof *bd);
    bd->type = t;
    if (!t) {
        bd->kind = B_STRUCT;
        hmap_init(&bd->members);
        VEC_PUSH(&b->struct_binds, bd);
        return bd;
    }
    switch (t->kind) {
    case N_HEADER: {
        bd->kind = B_HEADER;
        bd->hname = bm_unique(b, name);
        add_header_instance(b, bd->hname, header_type(b, t, 0), 0);
        return bd;
    }
    case N_HUNION: {
        /* a header union: its headers are instances "<union>.<member>" */
        bd->kind = B_STRUCT;
        hmap_init(&bd->members);
        VEC_PUSH(&b->struct_binds, bd);
        const char *uname = bm_unique(b, name);
        const char *utype = t->name ? t->name : "union";
        json_t *ids = json_array();
        for (int i = 0; i < t->list.n; i++) {
            struct node *f = t->list.v[i];
            if (!f->type || f->type->kind != N_HEADER) {
                cc_error(b->c, f->loc, "header_union member must be a header");
                continue;
            }
            json_array_append_new(ids, json_integer(b->next_header_id));
            struct binding *m = bm_bind(
                b, f->type, arena_printf(b->A, "%s.%s", uname, f->name), 0);
            hmap_put(&bd->members, f->name, m, NULL);
            nlist_push(b->A, &bd->order, f);
        }
        int known = 0;
        for (size_t i = 0; i < json_array_size(b->header_union_types); i++)
            if (!strcmp(json_string_value(json_object_get(
                            json_array_get(b->header_union_types, i), "name")),
                        utype))
                known = 1;
        if (!known) {
            json_t *hs = json_array();
            for (int i = 0; i < t->list.n; i++)
                if (t->list.v[i]->type && t->list.v[i]->type->kind == N_HEADER)
                    json_array_append_new(hs,
                                          json_pack("[ss]", t->list.v[i]->name,
                                                    t->list.v[i]->type->name));
            json_array_append_new(
                b->header_union_types,
                json_pack("{s:s,s:i,s:o}", "name", utype, "id",
                          (int)json_array_size(b->header_union_types),
                          "headers", hs));
        }
        json_array_append_new(
            b->header_unions,
            json_pack("{s:s,s:i,s:s,s:o,s:b}", "name", uname, "id",
                      (int)json_array_size(b->header_unions), "union_type",
                      utype, "header_ids", ids, "pi_omit", 1));
        bd->hname = uname;
        return bd;
    }
    case N_STRUCT: {
        bd->kind = B_STRUCT;
        hmap_init(&bd->members);
        VEC_PUSH(&b->struct_binds, bd);
        bd->order.n = 0;
        if (t == b->sm_type) {
            bd->kind = B_HEADER;
            bd->hname = "standard_metadata";
            return bd;
        }
        for (int i = 0; i < t->list.n; i++) {
            struct node *f = t->list.v[i];
            const char *fname;
            int is_hdr =
                f->type &&
                (f->type->kind == N_HEADER || f->type->kind == N_TSTACK ||
                 f->type->kind == N_HUNION || f->type->kind == N_STRUCT);
            if (hdr_root && is_hdr)
                fname = f->name;
            else if (is_hdr)
                fname = arena_printf(b->A, "%s_%s", name, f->name);
            else
                fname = arena_printf(b->A, "%s.%s", name, f->name);
            struct binding *m = bm_bind(b, f->type, fname, 0);
            hmap_put(&bd->members, f->name, m, NULL);
            nlist_push(b->A, &bd->order, f);
        }
        return bd;
    }
    case N_TSTACK: {
        bd->kind = B_STACK;
        bd->hname = bm_unique(b, name);
        bd->size = t->width;
        struct node *et = t->a;
        if (et && et->kind == N_HUNION) {
            /* a stack of header unions: unions "<name>[i]" */
            bd->elems =
                arena_alloc(b->A, sizeof *bd->elems * (size_t)(t->width + 1));
            json_t *uids = json_array();
            for (int i = 0; i < t->width; i++) {
                json_array_append_new(
                    uids, json_integer(
                              (json_int_t)json_array_size(b->header_unions)));
                bd->elems[i] = bm_bind(
                    b, et, arena_printf(b->A, "%s[%d]", bd->hname, i), 0);
            }
            json_t *us = json_object();
            json_object_set_new(us, "name", json_string(bd->hname));
            json_object_set_new(
                us, "id",
                json_integer((json_int_t)json_array_size(
                    json_object_get(b->root, "header_union_stacks"))));
            json_object_set_new(us, "union_type", json_string(et->name));
            json_object_set_new(us, "size", json_integer(t->width));
            json_object_set_new(us, "header_union_ids", uids);
            json_array_append_new(
                json_object_get(b->root, "header_union_stacks"), us);
            return bd;
        }
        if (!et || et->kind != N_HEADER) {
            cc_error(b->c, t->loc,
                     "only stacks of headers or header unions are "
                     "supported by the BMv2 back end yet");
            return bd;
        }
        const char *ht = header_type(b, et, 0);
        json_t *ids = json_array();
        for (int i = 0; i < t->width; i++) {
            const char *en = arena_printf(b->A, "%s[%d]", bd->hname, i);
            hmap_put(&b->names, en, (void *)1, NULL);
            json_array_append_new(ids, json_integer(b->next_header_id));
            add_header_instance(b, en, ht, 0);
        }
        json_t *s = json_object();
        json_object_set_new(s, "name", json_string(bd->hname));
        json_object_set_new(
            s, "id",
            json_integer((json_int_t)json_array_size(b->header_stacks)));
        json_object_set_new(s, "header_type", json_string(ht));
        json_object_set_new(s, "size", json_integer(t->width));
        json_object_set_new(s, "header_ids", ids);
        json_array_append_new(b->header_stacks, s);
        return bd;
    }
    case N_TBIT:
    case N_TBOOL:
    case N_TERROR:
    case N_ENUM:
        return scalar_field(b, name, t);
    case N_TINT:
        return scalar_field(b, name, t);
    default:
        cc_error(b->c, t->loc,
                 "values of type %s cannot be stored by the "
                 "BMv2 back end",
                 node_kind_name(t->kind));
        bd->kind = B_STRUCT;
        hmap_init(&bd->members);
        VEC_PUSH(&b->struct_binds, bd);
        return bd;
    }
}

/* ---- names ---- */

static const char *
annot_string(struct node *n, const char *annot)
{
    struct node *a = node_annot(n, annot);
    if (a && a->b && a->b->list.n && a->b->list.v[0]->kind == N_STRING)
        return a->b->list.v[0]->name;
    return NULL;
}

/* The fully qualified name p4c gives a control's table/action/instance. */
static const char *
qualified(struct bm *b, struct node *d)
{
    const char *n = annot_string(d, "name");
    if (n && n[0] == '.')
        return n + 1;
    if (!n)
        n = d->name;
    if (!b->prefix ||
        ((d->kind == N_ACTION || d->kind == N_INSTANCE) && d->parent == NULL))
        return n;
    return arena_printf(b->A, "%s.%s", b->prefix, n);
}

/* Renders an expression as p4c prints it in key names. */
static void
expr_text(struct bm *b, struct node *e, struct strbuf *sb)
{
    if (!e)
        return;
    switch (e->kind) {
    case N_NAME:
        strbuf_puts(sb, e->name);
        break;
    case N_MEMBER:
        expr_text(b, e->a, sb);
        strbuf_printf(sb, ".%s", e->name);
        break;
    case N_INDEX:
        expr_text(b, e->a, sb);
        strbuf_putc(sb, '[');
        expr_text(b, e->b, sb);
        strbuf_putc(sb, ']');
        break;
    case N_SLICE: {
        expr_text(b, e->a, sb);
        unsigned __int128 hi = 0, lo = 0;
        check_eval(b->c, e->b, &hi);
        check_eval(b->c, e->c, &lo);
        strbuf_printf(sb, "[%d:%d]", (int)hi, (int)lo);
        break;
    }
    case N_CALL:
        if (e->a->kind == N_MEMBER && !strcmp(e->a->name, "isValid")) {
            expr_text(b, e->a->a, sb);
            strbuf_puts(sb, ".$valid$");
            break;
        }
        expr_text(b, e->a, sb);
        strbuf_puts(sb, "()");
        break;
    case N_INT: {
        /* as p4c prints it: the base written, no leading zeros */
        if (e->flags & F_HAS_WIDTH)
            strbuf_printf(sb, "%d%c", e->width,
                          e->flags & F_SIGNED ? 's' : 'w');
        if (e->flags & F_HEX) {
            char buf[40];
            int n = 0;
            unsigned __int128 v = e->ival;
            do {
                buf[n++] = "0123456789abcdef"[(int)(v & 15)];
                v >>= 4;
            } while (v);
            strbuf_puts(sb, "0x");
            while (n)
                strbuf_putc(sb, buf[--n]);
        } else if (e->ival >> 64) {
            strbuf_puts(sb, e->str ? e->str : "0");
        } else {
            strbuf_printf(sb, "%llu", (unsigned long long)e->ival);
        }
        break;
    }
    case N_BINOP:
        expr_text(b, e->a, sb);
        strbuf_printf(sb, " %s ", e->op);
        expr_text(b, e->b, sb);
        break;
    case N_CAST:
        expr_text(b, e->b, sb);
        break;
    default:
        strbuf_puts(sb, "expr");
        break;
    }
}

/* ---- actions ---- */

struct action_info {
    int id;
    const char *name;
    struct node *decl;
    json_t *json;
};

struct action_info *
lower_action(struct bm *b, struct node *a, struct node *bound_call)
{
    const char *name = qualified(b, a);
    if (bound_call && bound_call->args.n)
        name = name; /* bound arguments: one action per binding would be
                        exact; p4c also keeps one */
    struct action_info *ai = hmap_get(&b->action_ids, name);
    if (ai)
        return ai;
    ai = arena_alloc(b->A, sizeof *ai);
    ai->id = b->next_action_id++;
    ai->name = name;
    ai->decl = a;
    hmap_put(&b->action_ids, name, ai, NULL);
    json_t *j = json_object();
    json_object_set_new(j, "name", json_string(name));
    json_object_set_new(j, "id", json_integer(ai->id));
    json_t *rd = json_array();
    struct frame *f = arena_alloc(b->A, sizeof *f);
    f->up = b->frame;
    f->n = a->params.n;
    f->params = arena_alloc(b->A, sizeof *f->params * (size_t)(f->n + 1));
    f->binds = arena_alloc(b->A, sizeof *f->binds * (size_t)(f->n + 1));
    int nrt = 0;
    for (int i = 0; i < a->params.n; i++) {
        struct node *p = a->params.v[i];
        f->params[i] = p;
        struct binding *bd = arena_alloc(b->A, sizeof *bd);
        if (p->flags & F_DIR_INOUT) {
            /* bound in the actions list: a(x) */
            struct node *arg = bound_call && i < bound_call->args.n
                                   ? bound_call->args.v[i]
                                   : NULL;
            bd->kind = B_EXPR;
            bd->expr = arg;
            bd->expr_frame = b->frame;
            if (!arg)
                cc_error(b->c, p->loc,
                         "parameter '%s' of action %s with a "
                         "direction must be bound in the table's "
                         "actions list",
                         p->name, a->name);
        } else {
            bd->kind = B_RUNTIME;
            bd->index = nrt++;
            bd->type = p->type;
            json_array_append_new(rd,
                                  json_pack("{s:s,s:i}", "name", p->name,
                                            "bitwidth", check_width(p->type)));
        }
        f->binds[i] = bd;
    }
    json_object_set_new(j, "runtime_data", rd);
    json_t *prims = json_array();
    json_t *saved_ops = b->cur_ops;
    struct frame *saved = b->frame;
    b->cur_ops = prims;
    b->frame = f;
    int in_parser = b->in_parser, in_action = b->in_action;
    b->in_parser = 0;
    b->in_action = 1;
    bm_stmt(b, a->b);
    b->in_parser = in_parser;
    b->in_action = in_action;
    b->frame = saved;
    b->cur_ops = saved_ops;
    json_object_set_new(j, "primitives", prims);
    json_array_append_new(b->actions, j);
    ai->json = j;
    if (!node_annot(a, "hidden")) {
        struct p4i_obj o = {name, a, p4info_id(0x01, name), j};
        VEC_PUSH(&b->p4_actions, o);
    }
    return ai;
}

void
bm_p4info_action(struct bm *b, struct node *a)
{
    const char *name = qualified(b, a);
    if (node_annot(a, "hidden"))
        return;
    for (size_t i = 0; i < b->p4_actions.n; i++)
        if (!strcmp(b->p4_actions.v[i].name, name))
            return;
    json_t *j = json_object();
    /* called with all its arguments: p4c lists it without parameters */
    json_object_set_new(j, "runtime_data", json_array());
    json_object_set_new(j, "id", json_integer(-1));
    json_array_append_new(b->extra_json, j);
    struct p4i_obj o = {name, a, p4info_id(0x01, name), j};
    VEC_PUSH(&b->p4_actions, o);
}

/* ---- pipelines ---- */

static json_t *
new_table(struct bm *b, const char *name, struct node *at)
{
    json_t *t = json_object();
    json_object_set_new(t, "name", json_string(name));
    json_object_set_new(t, "id", json_integer(b->next_table_id++));
    if (at)
        json_object_set_new(t, "source_info", bm_source_info(b, at));
    json_object_set_new(t, "key", json_array());
    json_object_set_new(t, "match_type", json_string("exact"));
    json_object_set_new(t, "type", json_string("simple"));
    json_object_set_new(t, "max_size", json_integer(1024));
    json_object_set_new(t, "with_counters", json_false());
    json_object_set_new(t, "support_timeout", json_false());
    json_object_set_new(t, "direct_meters", json_null());
    json_object_set_new(t, "action_ids", json_array());
    json_object_set_new(t, "actions", json_array());
    json_object_set_new(t, "base_default_next", json_null());
    json_object_set_new(t, "next_tables", json_object());
    json_array_append_new(json_object_get(b->cur_pipeline, "tables"), t);
    return t;
}

static json_t *
next_json(const char *next)
{
    return next ? json_string(next) : json_null();
}

/* A one-action table that runs straight-line statements. */
static const char *
synth_table(struct bm *b, struct node **stmts, int n, const char *next)
{
    const char *aname = bm_unique(
        b, b->prefix ? arena_printf(b->A, "%s.act", b->prefix) : "act");
    int id = b->next_action_id++;
    json_t *a = json_object();
    json_object_set_new(a, "name", json_string(aname));
    json_object_set_new(a, "id", json_integer(id));
    json_object_set_new(a, "runtime_data", json_array());
    json_t *prims = json_array();
    json_t *saved = b->cur_ops;
    b->cur_ops = prims;
    struct frame *sf = b->frame;
    for (int i = 0; i < n; i++)
        bm_stmt(b, stmts[i]);
    b->frame = sf;
    b->cur_ops = saved;
    json_object_set_new(a, "primitives", prims);
    json_array_append_new(b->actions, a);
    const char *short_name =
        strrchr(aname, '.') ? strrchr(aname, '.') + 1 : aname;
    const char *tname = bm_unique(b, arena_printf(b->A, "tbl_%s", short_name));
    json_t *t = new_table(b, tname, stmts[0]);
    json_array_append_new(json_object_get(t, "action_ids"), json_integer(id));
    json_array_append_new(json_object_get(t, "actions"), json_string(aname));
    json_object_set_new(t, "base_default_next", next_json(next));
    json_object_set_new(json_object_get(t, "next_tables"), aname,
                        next_json(next));
    json_object_set_new(t, "default_entry",
                        json_pack("{s:i,s:b,s:[],s:b}", "action_id", id,
                                  "action_const", 1, "action_data",
                                  "action_entry_const", 1));
    return tname;
}

static const char *lower_seq(struct bm *b, struct node **stmts, int n,
                             const char *next);

static const char *
lower_block(struct bm *b, struct node *s, const char *next)
{
    if (!s)
        return next;
    if (s->kind == N_BLOCK)
        return lower_seq(b, s->list.v, s->list.n, next);
    return lower_seq(b, &s, 1, next);
}

static const char *
match_type_of(const char *kind)
{
    return kind;
}

static int
key_hex_bytes(int w)
{
    return (w + 7) / 8;
}

static json_t *
padded_hex(unsigned __int128 v, int w)
{
    int nb = key_hex_bytes(w);
    if (nb < 1)
        nb = 1;
    char buf[80];
    int pos = 0;
    buf[pos++] = '0';
    buf[pos++] = 'x';
    for (int i = nb * 2 - 1; i >= 0 && pos < 78; i--) {
        int nib = i >= 32 ? 0 : (int)((v >> (i * 4)) & 15);
        buf[pos++] = "0123456789abcdef"[nib];
    }
    buf[pos] = 0;
    return json_string(buf);
}

static unsigned __int128
ones(int w)
{
    return w >= 128 ? ~(unsigned __int128)0 : (((unsigned __int128)1 << w) - 1);
}

static int
popcount128(unsigned __int128 v)
{
    int n = 0;
    while (v) {
        n += (int)(v & 1);
        v >>= 1;
    }
    return n;
}

struct keyinfo {
    const char *kind;
    int width;
};

/* One const entry of a table. */
static json_t *
lower_entry(struct bm *b, struct node *en, struct keyinfo *keys, int nkeys,
            struct node *table, int prio)
{
    json_t *e = json_object();
    json_object_set_new(e, "source_info", bm_source_info(b, en));
    json_t *mk = json_array();
    struct node *ks = en->a;
    int nvals = ks && ks->kind == N_LIST ? ks->list.n : 1;
    if (nvals != nkeys)
        cc_error(b->c, en->loc,
                 "this entry has %d key values, the table has %d "
                 "keys",
                 nvals, nkeys);
    for (int i = 0; i < nkeys && i < nvals; i++) {
        struct node *v = ks->kind == N_LIST ? ks->list.v[i] : ks;
        json_t *m = json_object();
        const char *kind = keys[i].kind;
        int w = keys[i].width;
        if (!strcmp(kind, "optional"))
            kind = "ternary";
        json_object_set_new(m, "match_type", json_string(kind));
        unsigned __int128 val = 0, mask = ones(w), hi = 0;
        int dc = v->kind == N_DEFAULT || v->kind == N_DONTCARE;
        if (v->kind == N_MASK) {
            check_eval(b->c, v->a, &val);
            check_eval(b->c, v->b, &mask);
            mask &= ones(w);
        } else if (v->kind == N_RANGE) {
            check_eval(b->c, v->a, &val);
            check_eval(b->c, v->b, &hi);
        } else if (!dc && !check_eval(b->c, v, &val)) {
            cc_error(b->c, v->loc, "entry key values must be constants");
        }
        if (dc) {
            mask = 0;
            val = 0;
            hi = ones(w);
        }
        val &= ones(w);
        if (!strcmp(kind, "exact")) {
            json_object_set_new(m, "key", padded_hex(val, w));
        } else if (!strcmp(kind, "lpm")) {
            json_object_set_new(m, "key", padded_hex(val & mask, w));
            json_object_set_new(m, "prefix_length",
                                json_integer(popcount128(mask)));
        } else if (!strcmp(kind, "ternary") || !strcmp(kind, "optional")) {
            /* the value as written; BMv2 applies the mask */
            json_object_set_new(m, "key", padded_hex(val, w));
            json_object_set_new(m, "mask", padded_hex(mask, w));
        } else if (!strcmp(kind, "range")) {
            if (v->kind != N_RANGE && !dc)
                hi = val;
            json_object_set_new(m, "start", padded_hex(val, w));
            json_object_set_new(m, "end", padded_hex(hi, w));
        }
        json_array_append_new(mk, m);
    }
    json_object_set_new(e, "match_key", mk);
    struct node *call = en->b;
    struct node *ad = call ? call->decl : NULL;
    json_t *ae = json_object();
    if (ad && ad->kind == N_ACTION) {
        struct action_info *ai = lower_action(b, ad, NULL);
        json_object_set_new(ae, "action_id", json_integer(ai->id));
        json_t *data = json_array();
        int ai_arg = 0;
        for (int i = 0; call->kind == N_CALL && i < call->args.n; i++) {
            unsigned __int128 v = 0;
            struct node *x = call->args.v[i];
            if (x->kind == N_NAMED)
                x = x->a;
            if (!check_eval(b->c, x, &v))
                cc_error(b->c, x->loc,
                         "action arguments of entries must be "
                         "constants");
            int pw = ai_arg < ad->params.n
                         ? check_width(ad->params.v[ai_arg]->type)
                         : 32;
            ai_arg++;
            json_array_append_new(data, padded_hex(v & ones(pw), pw));
        }
        json_object_set_new(ae, "action_data", data);
    }
    json_object_set_new(e, "action_entry", ae);
    unsigned __int128 pv;
    struct node *pa = node_annot(en, "priority");
    if (en->c && check_eval(b->c, en->c, &pv))
        prio = (int)pv;
    else if (pa && pa->b && pa->b->list.n && pa->b->list.v[0]->kind == N_INT)
        prio = (int)pa->b->list.v[0]->ival;
    json_object_set_new(e, "priority", json_integer(prio));
    (void)table;
    return e;
}

struct p4i_table {
    json_t *json;
};

/* Creates the JSON of table t (once). Returns it; next pointers are filled
 * by the caller. */
static json_t *
lower_table(struct bm *b, struct node *t, const char *name)
{
    json_t *tj = hmap_get(&b->table_json, name);
    if (tj)
        return tj;
    tj = new_table(b, name, t);
    hmap_put(&b->table_json, name, tj, NULL);
    struct node *keys = NULL, *acts = NULL, *dflt = NULL, *entries = NULL;
    struct node *size = NULL, *impl = NULL, *counters = NULL, *meters = NULL;
    struct node *dflt_prop = NULL, *entries_prop = NULL, *timeout = NULL;
    for (int i = 0; i < t->list.n; i++) {
        struct node *p = t->list.v[i];
        if (!strcmp(p->name, "key"))
            keys = p->a;
        else if (!strcmp(p->name, "actions"))
            acts = p->a;
        else if (!strcmp(p->name, "default_action")) {
            dflt = p->a;
            dflt_prop = p;
        } else if (!strcmp(p->name, "entries")) {
            entries = p->a;
            entries_prop = p;
        } else if (!strcmp(p->name, "size"))
            size = p->a;
        else if (!strcmp(p->name, "implementation"))
            impl = p->a;
        else if (!strcmp(p->name, "counters"))
            counters = p->a;
        else if (!strcmp(p->name, "meters"))
            meters = p->a;
        else if (!strcmp(p->name, "support_timeout"))
            timeout = p->a;
    }
    /* keys */
    json_t *kj = json_object_get(tj, "key");
    struct keyinfo ki[64];
    int nk = 0;
    const char *mt = "exact";
    json_t *selector_in = json_array();
    for (int i = 0; keys && i < keys->list.n; i++) {
        struct node *k = keys->list.v[i];
        struct node *e = k->a;
        const char *kind = k->name;
        int w = check_width(e->type);
        if (!strcmp(kind, "selector")) {
            json_t *ex = bm_expr(b, e);
            json_array_append_new(selector_in, ex);
            continue;
        }
        json_t *target = NULL;
        json_t *mask = json_null();
        struct node *fe = e;
        unsigned __int128 mv = 0;
        if (e->kind == N_SLICE && !e->op) {
            unsigned __int128 hi, lo;
            check_eval(b->c, e->b, &hi);
            check_eval(b->c, e->c, &lo);
            fe = e->a;
            mv = ones((int)(hi - lo + 1)) << (int)lo;
            mask = padded_hex(mv, check_width(fe->type));
        } else if (e->kind == N_BINOP && !strcmp(e->op, "&") &&
                   check_eval(b->c, e->b, &mv)) {
            fe = e->a;
            mask = padded_hex(mv, check_width(fe->type));
        }
        if (fe->kind == N_CALL && fe->a->kind == N_MEMBER &&
            !strcmp(fe->a->name, "isValid")) {
            struct binding *h = bm_ref(b, fe->a->a);
            if (h && h->kind == B_HEADER && !h->dyn_index)
                target = json_pack("[ss]", h->hname, "$valid$");
            w = 1;
        } else {
            struct binding *f = bm_ref(b, fe);
            if (f && f->kind == B_FIELD && !f->dyn_index)
                target = json_pack("[ss]", f->hname, f->field);
        }
        if (!target && w > 0 && e->type) {
            /* an expression: computed into a temporary before the table */
            json_decref(mask);
            mask = json_null();
            struct binding *tmp = bm_bind(b, e->type, bm_unique(b, "key"), 0);
            struct node *var = node_new(b->A, N_VAR, e->loc);
            var->name = "key";
            var->type = e->type;
            var->aux = tmp;
            struct node *nm = node_new(b->A, N_NAME, e->loc);
            nm->name = "key";
            nm->decl = var;
            nm->type = e->type;
            struct node *as = node_new(b->A, N_ASSIGN, e->loc);
            as->op = "=";
            as->a = nm;
            as->b = e;
            struct nlist *pre = hmap_get(&b->table_pre, name);
            if (!pre) {
                pre = arena_alloc(b->A, sizeof *pre);
                hmap_put(&b->table_pre, name, pre, NULL);
            }
            nlist_push(b->A, pre, as);
            if (tmp->kind == B_FIELD)
                target = json_pack("[ss]", tmp->hname, tmp->field);
        }
        if (!target) {
            cc_error(b->c, e->loc,
                     "this table key cannot be computed by the "
                     "BMv2 back end");
            json_decref(mask);
            continue;
        }
        struct strbuf sb = STRBUF_INIT;
        const char *kn = annot_string(k, "name");
        if (!kn) {
            expr_text(b, e, &sb);
            kn = arena_strdup(b->A, strbuf_str(&sb));
        }
        strbuf_destroy(&sb);
        json_t *kjo = json_object();
        /* BMv2 matches optional keys as ternary (as p4c writes them) */
        const char *bmk = !strcmp(kind, "optional") ? "ternary" : kind;
        json_object_set_new(kjo, "match_type", json_string(match_type_of(bmk)));
        json_object_set_new(kjo, "name", json_string(kn));
        json_object_set_new(kjo, "target", target);
        json_object_set_new(kjo, "mask", mask);
        json_array_append_new(kj, kjo);
        if (nk < 64) {
            ki[nk].kind = kind;
            ki[nk].width = w;
            nk++;
        }
        if (!strcmp(kind, "range"))
            mt = "range";
        else if ((!strcmp(kind, "ternary") || !strcmp(kind, "optional")) &&
                 strcmp(mt, "range"))
            mt = "ternary";
        else if (!strcmp(kind, "lpm") && !strcmp(mt, "exact"))
            mt = "lpm";
        if (strcmp(kind, "exact") && strcmp(kind, "lpm") &&
            strcmp(kind, "ternary") && strcmp(kind, "range") &&
            strcmp(kind, "optional"))
            cc_error(b->c, k->loc, "match kind '%s' is not supported by BMv2",
                     kind);
        /* remember for P4Info */
        json_object_set_new(kjo, "_bitwidth", json_integer(w));
        json_object_set_new(kjo, "_kind", json_string(kind));
    }
    json_object_set_new(tj, "match_type", json_string(mt));
    /* actions */
    json_t *ids = json_object_get(tj, "action_ids");
    json_t *names = json_object_get(tj, "actions");
    json_t *next_tables = json_object_get(tj, "next_tables");
    json_t *scopes = json_array();
    for (int i = 0; acts && i < acts->list.n; i++) {
        struct node *ar = acts->list.v[i];
        struct node *ad = ar->decl;
        if (!ad)
            continue;
        struct action_info *ai =
            lower_action(b, ad, ar->kind == N_CALL ? ar : NULL);
        json_array_append_new(ids, json_integer(ai->id));
        json_array_append_new(names, json_string(ai->name));
        json_object_set_new(next_tables, ai->name, json_null());
        const char *scope = node_annot(ar, "tableonly") ? "TABLE_ONLY"
                            : node_annot(ar, "defaultonly")
                                ? "DEFAULT_ONLY"
                                : "TABLE_AND_DEFAULT";
        json_array_append_new(scopes, json_string(scope));
    }
    json_object_set_new(tj, "_scopes", scopes);
    /* size */
    unsigned __int128 sv;
    if (size && check_eval(b->c, size, &sv))
        json_object_set_new(tj, "max_size", json_integer((json_int_t)sv));
    if (timeout && timeout->kind == N_BOOL && timeout->ival)
        json_object_set_new(tj, "support_timeout", json_true());
    /* default action */
    struct node *da = dflt ? dflt->decl : NULL;
    if (!da) {
        /* NoAction, as the P4 spec says */
        for (int i = 0; acts && i < acts->list.n; i++)
            if (acts->list.v[i]->decl &&
                !strcmp(acts->list.v[i]->decl->name, "NoAction"))
                da = acts->list.v[i]->decl;
    }
    if (!da && b->noaction) {
        /* p4c: a table without default action gets NoAction, listed as
         * default-only */
        da = b->noaction;
        struct action_info *ai = lower_action(b, da, NULL);
        json_array_append_new(ids, json_integer(ai->id));
        json_array_append_new(names, json_string(ai->name));
        json_object_set_new(next_tables, ai->name, json_null());
        json_array_append_new(scopes, json_string("DEFAULT_ONLY"));
    }
    if (da) {
        struct action_info *ai = lower_action(b, da, NULL);
        json_t *data = json_array();
        int idx = 0;
        for (int i = 0; dflt && dflt->kind == N_CALL && i < dflt->args.n; i++) {
            struct node *x = dflt->args.v[i];
            if (x->kind == N_NAMED)
                x = x->a;
            idx = i;
            if (idx < da->params.n && (da->params.v[idx]->flags & F_DIR_INOUT))
                continue; /* bound, not action data */
            unsigned __int128 v = 0;
            if (!check_eval(b->c, x, &v))
                cc_error(b->c, x->loc,
                         "default action arguments must be "
                         "constants in the BMv2 back end");
            int pw =
                idx < da->params.n ? check_width(da->params.v[idx]->type) : 32;
            json_t *h = bm_hexstr(v & ones(pw ? pw : 128));
            json_array_append(data, json_object_get(h, "value"));
            json_decref(h);
        }
        int cnst = dflt_prop && (dflt_prop->flags & F_CONST);
        if (dflt_prop)
            json_object_set_new(tj, "_has_default", json_true());
        json_object_set_new(tj, "default_entry",
                            json_pack("{s:i,s:b,s:o,s:b}", "action_id", ai->id,
                                      "action_const", cnst, "action_data", data,
                                      "action_entry_const", cnst));
    }
    /* const entries */
    if (entries) {
        json_t *ej = json_array();
        for (int i = 0; i < entries->list.n; i++)
            json_array_append_new(
                ej, lower_entry(b, entries->list.v[i], ki, nk, t, i + 1));
        json_object_set_new(tj, "entries", ej);
        if (!size && (entries_prop->flags & F_CONST)) {
            /* p4c sizes a const table without "size" to its entries in the
             * JSON (P4Info keeps the default) */
            json_object_set_new(tj, "_p4size", json_integer(1024));
            json_object_set_new(tj, "max_size",
                                json_integer((json_int_t)json_array_size(ej)));
        }
        json_object_set_new(tj, "_const_entries",
                            json_boolean(entries_prop->flags & F_CONST));
    }
    /* implementation: action profile / selector */
    if (impl) {
        struct node *inst = impl->decl;
        struct node *itype = NULL;
        const char *pname = NULL;
        struct node *iargs = NULL;
        if (impl->kind == N_NAME && inst && inst->kind == N_INSTANCE) {
            itype = inst->type;
            pname = qualified(b, inst);
            iargs = inst;
        } else if (impl->kind == N_CALL) {
            itype = impl->type;
            pname = arena_printf(b->A, "%s_profile", name);
            iargs = impl;
        }
        if (itype && itype->name && iargs) {
            int sel = !strcmp(itype->name, "action_selector");
            json_object_set_new(tj, "type",
                                json_string(sel ? "indirect_ws" : "indirect"));
            json_object_set_new(tj, "action_profile", json_string(pname));
            json_t *profiles =
                json_object_get(b->cur_pipeline, "action_profiles");
            int found = 0;
            for (size_t i = 0; i < json_array_size(profiles); i++)
                if (!strcmp(json_string_value(json_object_get(
                                json_array_get(profiles, i), "name")),
                            pname))
                    found = 1;
            if (!found) {
                json_t *pj = json_object();
                json_object_set_new(pj, "name", json_string(pname));
                json_object_set_new(pj, "id",
                                    json_integer((json_int_t)b->p4_profiles.n));
                unsigned __int128 ps = 1024;
                struct node *sz =
                    iargs->args.n ? iargs->args.v[sel ? 1 : 0] : NULL;
                if (sz && sz->kind == N_NAMED)
                    sz = sz->a;
                if (sz)
                    check_eval(b->c, sz, &ps);
                json_object_set_new(pj, "max_size",
                                    json_integer((json_int_t)ps));
                if (sel) {
                    struct node *alg = iargs->args.v[0];
                    json_object_set_new(
                        pj, "selector",
                        json_pack("{s:s,s:O}", "algo",
                                  alg->kind == N_MEMBER ? alg->name : "crc16",
                                  "input", selector_in));
                }
                json_array_append_new(profiles, pj);
                struct p4i_obj o = {pname, inst, p4info_id(0x11, pname), pj};
                VEC_PUSH(&b->p4_profiles, o);
            }
        }
    }
    json_decref(selector_in);
    /* direct counters and meters */
    if (counters && counters->decl && counters->decl->kind == N_INSTANCE) {
        const char *cn = qualified(b, counters->decl);
        json_object_set_new(tj, "with_counters", json_true());
        json_t *cj = json_object();
        json_object_set_new(cj, "name", json_string(cn));
        json_object_set_new(
            cj, "id",
            json_integer((json_int_t)json_array_size(b->counter_arrays)));
        json_object_set_new(cj, "is_direct", json_true());
        json_object_set_new(cj, "binding", json_string(name));
        json_array_append_new(b->counter_arrays, cj);
        struct p4i_obj o = {cn, counters->decl, p4info_id(0x13, cn), cj};
        json_object_set_new(cj, "_table", json_string(name));
        VEC_PUSH(&b->p4_dcounters, o);
    }
    if (meters && meters->decl && meters->decl->kind == N_INSTANCE) {
        struct node *mi = meters->decl;
        const char *mn = qualified(b, mi);
        json_object_set_new(tj, "direct_meters", json_string(mn));
        json_t *mj = hmap_get(&b->meter_json, mn);
        if (mj) {
            json_object_set_new(mj, "binding", json_string(name));
            json_object_set_new(
                mj, "size",
                json_object_get(tj, "max_size")
                    ? json_deep_copy(json_object_get(tj, "max_size"))
                    : json_integer(1024));
            json_object_set_new(mj, "_table", json_string(name));
        }
    }
    return tj;
}

/* The first "t.apply().hit" or ".miss" inside e, or NULL. */
static struct node *
find_apply_member(struct node *e)
{
    if (!e)
        return NULL;
    if (e->kind == N_MEMBER &&
        (!strcmp(e->name, "hit") || !strcmp(e->name, "miss")) &&
        e->a->kind == N_CALL && e->a->a->kind == N_MEMBER &&
        !strcmp(e->a->a->name, "apply") && e->a->a->a->type &&
        e->a->a->a->type->kind == N_TABLE)
        return e;
    struct node *r;
    if ((r = find_apply_member(e->a)) || (r = find_apply_member(e->b)) ||
        (r = find_apply_member(e->c)))
        return r;
    for (int i = 0; i < e->args.n; i++)
        if ((r = find_apply_member(e->args.v[i])))
            return r;
    for (int i = 0; i < e->list.n; i++)
        if ((r = find_apply_member(e->list.v[i])))
            return r;
    return NULL;
}

/* A statement "flag = value" for a bool binding. */
static struct node *
set_flag_stmt(struct bm *b, struct binding *flag, struct node *type, int value,
              struct loc loc)
{
    struct node *var = node_new(b->A, N_VAR, loc);
    var->type = type;
    var->aux = flag;
    struct node *nm = node_new(b->A, N_NAME, loc);
    nm->name = "hit";
    nm->decl = var;
    nm->type = type;
    struct node *v = node_new(b->A, N_BOOL, loc);
    v->ival = (unsigned)value;
    v->type = type;
    struct node *as = node_new(b->A, N_ASSIGN, loc);
    as->op = "=";
    as->a = nm;
    as->b = v;
    return as;
}

/* Applies the table of member m ("t.apply().hit") first, keeping hit (or
 * miss) in a flag that expressions read through m->aux, then goes to next.
 * Returns the entry node. */
static const char *table_for_flag(struct bm *b, struct node *m,
                                  const char *next, struct binding *flag,
                                  struct node *bt);

static int
is_flow(struct node *s)
{
    if (!s)
        return 0;
    if ((s->kind == N_ASSIGN && find_apply_member(s->b)) ||
        ((s->kind == N_VAR || s->kind == N_CONST) && find_apply_member(s->b)))
        return 1;
    switch (s->kind) {
    case N_IF:
    case N_SWITCH:
    case N_RETURN:
        return 1;
    case N_BLOCK:
        return 1;
    case N_CALL_STMT: {
        struct node *c = s->a->a;
        if (c->kind == N_MEMBER && !strcmp(c->name, "apply") && c->a->type &&
            (c->a->type->kind == N_TABLE || c->a->type->kind == N_CONTROL))
            return 1;
        return 0;
    }
    default:
        return 0;
    }
}

/* The table node for "t.apply()" where t is the expression before .apply */
static json_t *
table_for(struct bm *b, struct node *texpr, const char **tname)
{
    struct node *t = texpr->decl;
    if (!t || t->kind != N_TABLE) {
        cc_error(b->c, texpr->loc, "cannot find this table");
        return NULL;
    }
    const char *name = qualified(b, t);
    if (hmap_get(&b->table_json, name)) {
        json_t *tj = hmap_get(&b->table_json, name);
        if (json_object_get(tj, "_applied")) {
            cc_error(b->c, texpr->loc,
                     "table %s is applied more than once; the "
                     "BMv2 back end supports one apply per "
                     "table",
                     t->name);
            return NULL;
        }
    }
    json_t *tj = lower_table(b, t, name);
    json_object_set_new(tj, "_applied", json_true());
    if (!node_annot(t, "hidden")) {
        int dup = 0;
        for (size_t i = 0; i < b->p4_tables.n; i++)
            if (b->p4_tables.v[i].json == tj)
                dup = 1;
        if (!dup) {
            struct p4i_obj o = {name, t, p4info_id(0x02, name), tj};
            VEC_PUSH(&b->p4_tables, o);
        }
    }
    *tname = name;
    return tj;
}

/* The node to enter for table tn: the table, or the synthesized table that
 * first computes its key expressions. */
static const char *
entry_for(struct bm *b, const char *tn)
{
    struct nlist *pre = hmap_get(&b->table_pre, tn);
    if (!pre || !pre->n)
        return tn;
    return synth_table(b, pre->v, pre->n, tn);
}

static void
set_all_next(json_t *tj, const char *next)
{
    json_object_set_new(tj, "base_default_next", next_json(next));
    json_t *nt = json_object_get(tj, "next_tables");
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(nt, tmp, k, v)
        json_object_set_new(nt, k, next_json(next));
}

static const char *lower_control_apply(struct bm *b, struct node *inst,
                                       struct node *call, const char *next);

static const char *
new_cond(struct bm *b, struct node *at, json_t *expr, const char *t,
         const char *f)
{
    const char *name = bm_unique(b, "node");
    name = arena_printf(b->A, "node_%d", b->next_node++);
    json_t *c = json_object();
    json_object_set_new(c, "name", json_string(name));
    json_object_set_new(c, "id", json_integer(b->next_cond_id++));
    json_object_set_new(c, "source_info", bm_source_info(b, at));
    json_object_set_new(c, "expression", expr);
    json_object_set_new(c, "true_next", next_json(t));
    json_object_set_new(c, "false_next", next_json(f));
    json_array_append_new(json_object_get(b->cur_pipeline, "conditionals"), c);
    return name;
}

static json_t *table_for(struct bm *b, struct node *texpr, const char **tname);
static const char *entry_for(struct bm *b, const char *tn);

static const char *
lower_flow(struct bm *b, struct node *s, const char *next)
{
    if ((s->kind == N_ASSIGN || s->kind == N_VAR || s->kind == N_CONST) &&
        find_apply_member(s->b)) {
        /* "x = t.apply().hit ...": the table, a flag, then the statement */
        struct node *m = find_apply_member(s->b);
        struct node *bt = node_new(b->A, N_TBOOL, s->loc);
        struct binding *flag = bm_bind(b, bt, bm_unique(b, "hit"), 0);
        m->aux = flag;
        if (s->kind != N_ASSIGN && !s->aux)
            s->aux = bm_bind(b, s->type, bm_unique(b, s->name), 0);
        const char *st = synth_table(b, &s, 1, next);
        m->aux = NULL;
        m->type = bt;
        return table_for_flag(b, m, st, flag, bt);
    }
    switch (s->kind) {
    case N_BLOCK:
        return lower_seq(b, s->list.v, s->list.n, next);
    case N_IF: {
        struct node *c = s->a;
        int neg = 0;
        while (c->kind == N_UNOP && !strcmp(c->op, "!")) {
            neg = !neg;
            c = c->a;
        }
        if (c->kind == N_MEMBER &&
            (!strcmp(c->name, "hit") || !strcmp(c->name, "miss")) &&
            c->a->kind == N_CALL && c->a->a->kind == N_MEMBER &&
            !strcmp(c->a->a->name, "apply") && c->a->a->a->type &&
            c->a->a->a->type->kind == N_TABLE) {
            int hit = !strcmp(c->name, "hit") ^ neg;
            const char *tn;
            json_t *tj = table_for(b, c->a->a->a, &tn);
            const char *then = lower_block(b, s->b, next);
            const char *els = lower_block(b, s->c, next);
            if (!tj)
                return next;
            json_object_set_new(tj, "base_default_next", json_null());
            json_t *nt = json_object();
            json_object_set_new(nt, "__HIT__", next_json(hit ? then : els));
            json_object_set_new(nt, "__MISS__", next_json(hit ? els : then));
            json_object_set_new(tj, "next_tables", nt);
            return entry_for(b, tn);
        }
        unsigned __int128 cv;
        if (check_eval(b->c, s->a, &cv))
            return lower_block(b, cv ? s->b : s->c, next);
        const char *then = lower_block(b, s->b, next);
        const char *els = lower_block(b, s->c, next);
        struct node *am = find_apply_member(s->a);
        if (am) {
            /* "if (t.apply().hit && ...)": the table sets a flag first */
            struct node *bt = node_new(b->A, N_TBOOL, s->loc);
            struct binding *flag = bm_bind(b, bt, bm_unique(b, "hit"), 0);
            am->aux = flag;
            const char *cn = new_cond(b, s, bm_bool_expr(b, s->a), then, els);
            am->aux = NULL;
            return table_for_flag(b, am, cn, flag, bt);
        }
        if (bm_has_call(s->a)) {
            /* the condition calls functions: compute it into a variable
             * in a table before the conditional */
            struct node *bt = node_new(b->A, N_TBOOL, s->loc);
            struct node *var = node_new(b->A, N_VAR, s->loc);
            var->type = bt;
            var->aux = bm_bind(b, bt, bm_unique(b, "cond"), 0);
            struct node *nm = node_new(b->A, N_NAME, s->loc);
            nm->name = "cond";
            nm->decl = var;
            nm->type = bt;
            struct node *as = node_new(b->A, N_ASSIGN, s->loc);
            as->op = "=";
            as->a = nm;
            as->b = s->a;
            const char *cn = new_cond(b, s, bm_bool_expr(b, nm), then, els);
            return synth_table(b, &as, 1, cn);
        }
        return new_cond(b, s, bm_bool_expr(b, s->a), then, els);
    }
    case N_SWITCH: {
        struct node *e = s->a;
        if (e->kind == N_MEMBER && !strcmp(e->name, "action_run") &&
            e->a->kind == N_CALL && e->a->a->kind == N_MEMBER) {
            const char *tn;
            json_t *tj = table_for(b, e->a->a->a, &tn);
            if (!tj)
                return next;
            set_all_next(tj, next);
            json_t *nt = json_object_get(tj, "next_tables");
            const char *dflt_next = next;
            /* cases in reverse so fall-through shares the next block */
            const char *pending = NULL;
            for (int i = s->list.n - 1; i >= 0; i--) {
                struct node *cs = s->list.v[i];
                if (cs->b)
                    pending = lower_block(b, cs->b, next);
                const char *target = pending ? pending : next;
                if (!cs->a) {
                    dflt_next = target;
                    continue;
                }
                struct node *ad = cs->a->decl;
                if (ad && ad->kind == N_ACTION) {
                    const char *an = qualified(b, ad);
                    json_object_set_new(nt, an, next_json(target));
                }
            }
            if (dflt_next != next) {
                const char *k;
                json_t *v;
                void *tmp;
                json_object_foreach_safe(nt, tmp, k, v)
                {
                    int labelled = 0;
                    for (int i = 0; i < s->list.n; i++)
                        if (s->list.v[i]->a && s->list.v[i]->a->decl &&
                            !strcmp(qualified(b, s->list.v[i]->a->decl), k))
                            labelled = 1;
                    if (!labelled)
                        json_object_set_new(nt, k, next_json(dflt_next));
                }
            }
            return entry_for(b, tn);
        }
        /* a switch on a value: a chain of conditionals */
        const char *cur = next;
        const char *dflt = next;
        const char *pending = NULL;
        const char **targets =
            arena_alloc(b->A, sizeof *targets * (size_t)(s->list.n + 1));
        for (int i = s->list.n - 1; i >= 0; i--) {
            struct node *cs = s->list.v[i];
            if (cs->b)
                pending = lower_block(b, cs->b, next);
            targets[i] = pending ? pending : next;
            if (!cs->a)
                dflt = targets[i];
        }
        cur = dflt;
        for (int i = s->list.n - 1; i >= 0; i--) {
            struct node *cs = s->list.v[i];
            if (!cs->a)
                continue;
            struct node eq = {0};
            eq.kind = N_BINOP;
            eq.op = "==";
            eq.a = e;
            eq.b = cs->a;
            eq.loc = cs->loc;
            json_t *ex = bm_bool_expr(b, &eq);
            cur = new_cond(b, cs, ex, targets[i], cur);
        }
        return cur;
    }
    case N_CALL_STMT: {
        struct node *c = s->a->a;
        if (c->a->type && c->a->type->kind == N_TABLE) {
            const char *tn;
            json_t *tj = table_for(b, c->a, &tn);
            if (!tj)
                return next;
            set_all_next(tj, next);
            return entry_for(b, tn);
        }
        return lower_control_apply(b, c->a->decl, s->a, next);
    }
    default:
        return next;
    }
}

static const char *
table_for_flag(struct bm *b, struct node *m, const char *next,
               struct binding *flag, struct node *bt)
{
    const char *tn;
    json_t *tj = table_for(b, m->a->a->a, &tn);
    if (!tj)
        return next;
    int hit = !strcmp(m->name, "hit");
    struct node *s1 = set_flag_stmt(b, flag, bt, hit, m->loc);
    struct node *s0 = set_flag_stmt(b, flag, bt, !hit, m->loc);
    const char *on_hit = synth_table(b, &s1, 1, next);
    const char *on_miss = synth_table(b, &s0, 1, next);
    json_object_set_new(tj, "base_default_next", json_null());
    json_t *nt = json_object();
    json_object_set_new(nt, "__HIT__", json_string(on_hit));
    json_object_set_new(nt, "__MISS__", json_string(on_miss));
    json_object_set_new(tj, "next_tables", nt);
    return entry_for(b, tn);
}

static const char *
lower_seq(struct bm *b, struct node **stmts, int n, const char *next)
{
    /* statements after a "return" never run */
    for (int i = 0; i < n; i++)
        if (stmts[i]->kind == N_RETURN || stmts[i]->kind == N_EXIT) {
            if (stmts[i]->kind == N_EXIT) {
                n = i + 1;
                next = NULL;
            } else {
                n = i;
                next = b->ret_next;
            }
            break;
        }
    /* variables of this level live as long as the control: bind them now so
     * that conditions and tables after them can read them */
    for (int k = 0; k < n; k++) {
        struct node *d = stmts[k];
        if (d->kind == N_VAR && !d->aux)
            d->aux = bm_bind(b, d->type, bm_unique(b, d->name), 0);
    }
    const char *cur = next;
    int i = n - 1;
    while (i >= 0) {
        if (is_flow(stmts[i])) {
            cur = lower_flow(b, stmts[i], cur);
            i--;
            continue;
        }
        int j = i;
        while (j >= 0 && !is_flow(stmts[j]))
            j--;
        /* skip runs of statements that generate nothing (declarations
         * without initializers are still needed for their binding) */
        cur = synth_table(b, stmts + j + 1, i - j, cur);
        i = j;
    }
    return cur;
}

/* ---- control locals ---- */

static void
declare_instance(struct bm *b, struct node *inst)
{
    struct node *t = inst->type;
    const char *name = qualified(b, inst);
    struct binding *bd = arena_alloc(b->A, sizeof *bd);
    bd->kind = B_EXPR;
    bd->hname = name;
    inst->aux = bd;
    if (!t || t->kind != N_EXTERN)
        return;
    unsigned __int128 size = 0;
    struct node *a0 = inst->args.n ? inst->args.v[0] : NULL;
    if (a0 && a0->kind == N_NAMED)
        a0 = a0->a;
    if (a0)
        check_eval(b->c, a0, &size);
    if (!strcmp(t->name, "counter") || !strcmp(t->name, "meter")) {
        int is_counter = t->name[0] == 'c';
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(name));
        json_object_set_new(
            j, "id",
            json_integer((json_int_t)json_array_size(
                is_counter ? b->counter_arrays : b->meter_arrays)));
        json_object_set_new(j, "source_info", bm_source_info(b, inst));
        json_object_set_new(j, "is_direct", json_false());
        if (!is_counter) {
            json_object_set_new(j, "rate_count", json_integer(2));
            struct node *mt = inst->args.n > 1 ? inst->args.v[1] : NULL;
            json_object_set_new(
                j, "type",
                json_string(mt && mt->kind == N_MEMBER ? mt->name : "packets"));
        }
        json_object_set_new(j, "size", json_integer((json_int_t)size));
        json_array_append_new(is_counter ? b->counter_arrays : b->meter_arrays,
                              j);
        struct node *ct = inst->args.n > 1 ? inst->args.v[1] : NULL;
        json_object_set_new(
            j, "_unit",
            json_string(ct && ct->kind == N_MEMBER ? ct->name : "packets"));
        struct p4i_obj o = {name, inst,
                            p4info_id(is_counter ? 0x12 : 0x14, name), j};
        if (is_counter)
            VEC_PUSH(&b->p4_counters, o);
        else
            VEC_PUSH(&b->p4_meters, o);
    } else if (!strcmp(t->name, "direct_meter")) {
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(name));
        json_object_set_new(
            j, "id",
            json_integer((json_int_t)json_array_size(b->meter_arrays)));
        json_object_set_new(j, "source_info", bm_source_info(b, inst));
        json_object_set_new(j, "is_direct", json_true());
        json_object_set_new(j, "rate_count", json_integer(2));
        struct node *mt = inst->args.n ? inst->args.v[0] : NULL;
        json_object_set_new(
            j, "type",
            json_string(mt && mt->kind == N_MEMBER ? mt->name : "packets"));
        json_object_set_new(j, "size", json_integer(1024));
        json_array_append_new(b->meter_arrays, j);
        hmap_put(&b->meter_json, name, j, NULL);
        json_object_set_new(
            j, "_unit",
            json_string(mt && mt->kind == N_MEMBER ? mt->name : "packets"));
        struct p4i_obj o = {name, inst, p4info_id(0x15, name), j};
        VEC_PUSH(&b->p4_dmeters, o);
    } else if (!strcmp(t->name, "register")) {
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(name));
        json_object_set_new(
            j, "id",
            json_integer((json_int_t)json_array_size(b->register_arrays)));
        json_object_set_new(j, "source_info", bm_source_info(b, inst));
        json_object_set_new(j, "size", json_integer((json_int_t)size));
        struct node *vt =
            inst->a && inst->a->targs.n ? inst->a->targs.v[0] : NULL;
        int w = check_width(vt ? check_canon(b->c, vt) : NULL);
        json_object_set_new(j, "bitwidth", json_integer(w ? w : 32));
        json_array_append_new(b->register_arrays, j);
        struct p4i_obj o = {name, inst, p4info_id(0x16, name), j};
        VEC_PUSH(&b->p4_registers, o);
    }
}

/* Declares the locals of a control (variables and extern instances). */
static void
control_locals(struct bm *b, struct node *ctl)
{
    for (int i = 0; i < ctl->list.n; i++) {
        struct node *d = ctl->list.v[i];
        if (d->kind == N_VAR) {
            struct binding *bd = bm_bind(b, d->type, bm_unique(b, d->name), 0);
            d->aux = bd;
            if (b->frame) {
                /* inlined control: bind in the frame, not on the node */
                struct frame *f = b->frame;
                struct node **np =
                    arena_alloc(b->A, sizeof *np * (size_t)(f->n + 1));
                struct binding **nb =
                    arena_alloc(b->A, sizeof *nb * (size_t)(f->n + 1));
                memcpy(np, f->params, sizeof *np * (size_t)f->n);
                memcpy(nb, f->binds, sizeof *nb * (size_t)f->n);
                np[f->n] = d;
                nb[f->n] = bd;
                f->params = np;
                f->binds = nb;
                f->n++;
                d->aux = NULL;
            }
        } else if (d->kind == N_INSTANCE) {
            declare_instance(b, d);
        } else if (d->kind == N_CONST) {
            /* folded */
        }
    }
}

/* Variables with initializers in a control body run first. */
static void
control_var_inits(struct bm *b, struct node *ctl, struct node ***out, int *n)
{
    for (int i = 0; i < ctl->list.n; i++) {
        struct node *d = ctl->list.v[i];
        if (d->kind == N_VAR && d->b) {
            struct node *as = node_new(b->A, N_ASSIGN, d->loc);
            as->op = "=";
            struct node *nm = node_new(b->A, N_NAME, d->loc);
            nm->name = d->name;
            nm->decl = d;
            nm->type = d->type;
            as->a = nm;
            as->b = d->b;
            *out = xrealloc(*out, sizeof **out * (size_t)(*n + 1));
            (*out)[(*n)++] = as;
        }
    }
}

static const char *
lower_control_body(struct bm *b, struct node *ctl, const char *next)
{
    const char *saved_ret = b->ret_next;
    b->ret_next = next;
    control_locals(b, ctl);
    struct node **init = NULL;
    int ninit = 0;
    control_var_inits(b, ctl, &init, &ninit);
    const char *first =
        ctl->b ? lower_seq(b, ctl->b->list.v, ctl->b->list.n, next) : next;
    if (ninit)
        first = synth_table(b, init, ninit, first);
    free(init);
    b->ret_next = saved_ret;
    return first;
}

/* "c.apply(args)" of a control instance: inlined with its parameters bound
 * to the arguments; its tables and actions are named <instance>.<name>. */
static const char *
lower_control_apply(struct bm *b, struct node *inst, struct node *call,
                    const char *next)
{
    struct node *ctl;
    const char *iprefix;
    if (inst && inst->kind == N_CONTROL) {
        /* a control applied directly by its type name */
        ctl = inst;
        iprefix = b->prefix ? arena_printf(b->A, "%s.%s", b->prefix, ctl->name)
                            : ctl->name;
    } else if (inst && inst->kind == N_INSTANCE && inst->type &&
               inst->type->kind == N_CONTROL) {
        ctl = inst->type;
        iprefix = qualified(b, inst);
    } else {
        cc_error(b->c, call->loc, "cannot apply this in the BMv2 back end");
        return next;
    }
    struct frame *f = arena_alloc(b->A, sizeof *f);
    f->up = b->frame;
    f->n = ctl->params.n;
    f->params = arena_alloc(b->A, sizeof *f->params * (size_t)(f->n + 1));
    f->binds = arena_alloc(b->A, sizeof *f->binds * (size_t)(f->n + 1));
    for (int i = 0; i < f->n; i++) {
        f->params[i] = ctl->params.v[i];
        struct binding *bd = arena_alloc(b->A, sizeof *bd);
        bd->kind = B_EXPR;
        bd->expr = i < call->args.n ? call->args.v[i] : NULL;
        if (bd->expr && bd->expr->kind == N_NAMED)
            bd->expr = bd->expr->a;
        bd->expr_frame = b->frame;
        f->binds[i] = bd;
    }
    const char *saved_prefix = b->prefix;
    struct frame *saved = b->frame;
    b->prefix = iprefix;
    b->frame = f;
    const char *first = lower_control_body(b, ctl, next);
    b->frame = saved;
    b->prefix = saved_prefix;
    return first;
}

static json_t *
new_pipeline(struct bm *b, const char *name, struct node *ctl)
{
    json_t *p = json_object();
    json_object_set_new(p, "name", json_string(name));
    json_object_set_new(
        p, "id", json_integer((json_int_t)json_array_size(b->pipelines)));
    json_object_set_new(p, "source_info", bm_source_info(b, ctl));
    json_object_set_new(p, "init_table", json_null());
    json_object_set_new(p, "tables", json_array());
    json_object_set_new(p, "action_profiles", json_array());
    json_object_set_new(p, "conditionals", json_array());
    json_array_append_new(b->pipelines, p);
    return p;
}

static void
lower_pipeline(struct bm *b, const char *name, struct node *ctl)
{
    json_t *p = new_pipeline(b, name, ctl);
    b->cur_pipeline = p;
    b->prefix = qualified(b, ctl);
    b->control = ctl;
    const char *first = lower_control_body(b, ctl, NULL);
    json_object_set_new(p, "init_table", next_json(first));
    b->prefix = NULL;
}

/* ---- checksums ---- */

static void
checksum_stmt(struct bm *b, struct node *s, int verify, json_t *cond)
{
    if (!s)
        return;
    if (s->kind == N_BLOCK) {
        for (int i = 0; i < s->list.n; i++)
            checksum_stmt(b, s->list.v[i], verify, cond);
        return;
    }
    if (s->kind == N_IF) {
        json_t *c = bm_bool_expr(b, s->a);
        checksum_stmt(b, s->b, verify, c);
        json_decref(c);
        return;
    }
    if (s->kind != N_CALL_STMT)
        return;
    struct node *call = s->a;
    struct node *d = call->decl ? call->decl : call->a->decl;
    if (!d || d->kind != N_FUNCTION) {
        cc_error(b->c, s->loc,
                 "only verify_checksum/update_checksum calls are "
                 "supported in the checksum controls");
        return;
    }
    int payload = strstr(d->name, "with_payload") != NULL;
    if (strncmp(d->name, verify ? "verify_checksum" : "update_checksum", 15)) {
        cc_error(b->c, s->loc, "%s() is not supported in this control",
                 d->name);
        return;
    }
    struct node *cnd = call->args.v[0], *data = call->args.v[1];
    struct node *dst = call->args.v[2], *algo = call->args.v[3];
    const char *calc = bm_calc(b, algo, data, payload);
    struct binding *f = bm_ref(b, dst);
    if (!f || f->kind != B_FIELD) {
        cc_error(b->c, dst->loc, "the checksum must be a header field");
        return;
    }
    json_t *ck = json_object();
    json_object_set_new(ck, "name", json_string(bm_unique(b, "cksum")));
    json_object_set_new(
        ck, "id", json_integer((json_int_t)json_array_size(b->checksums)));
    json_object_set_new(ck, "source_info", bm_source_info(b, s));
    json_object_set_new(ck, "target", json_pack("[ss]", f->hname, f->field));
    json_object_set_new(ck, "type", json_string("generic"));
    json_object_set_new(ck, "calculation", json_string(calc));
    json_object_set_new(ck, "verify", json_boolean(verify));
    json_object_set_new(ck, "update", json_boolean(!verify));
    unsigned __int128 v;
    json_t *ic;
    if (check_eval(b->c, cnd, &v) && v)
        ic = cond ? json_deep_copy(cond) : json_null();
    else {
        ic = bm_bool_expr(b, cnd);
        if (cond)
            ic = json_pack("{s:s,s:{s:s,s:O,s:o}}", "type", "expression",
                           "value", "op", "and", "left", cond, "right", ic);
    }
    json_object_set_new(ck, "if_cond", ic);
    json_array_append_new(b->checksums, ck);
}

static void
lower_checksums(struct bm *b, struct node *ctl, int verify)
{
    b->prefix = qualified(b, ctl);
    control_locals(b, ctl);
    checksum_stmt(b, ctl->b, verify, NULL);
    b->prefix = NULL;
}

/* ---- deparser ---- */

static void
emit_binding(struct bm *b, struct binding *bd, json_t *order)
{
    if (!bd)
        return;
    if (bd->kind == B_HEADER) {
        json_array_append_new(order, json_string(bd->hname));
    } else if (bd->kind == B_STACK && bd->elems) {
        for (int i = 0; i < bd->size; i++)
            emit_binding(b, bd->elems[i], order);
    } else if (bd->kind == B_STACK) {
        for (int i = 0; i < bd->size; i++)
            json_array_append_new(
                order, json_string(arena_printf(b->A, "%s[%d]", bd->hname, i)));
    } else if (bd->kind == B_STRUCT) {
        for (int i = 0; i < bd->order.n; i++)
            emit_binding(b, hmap_get(&bd->members, bd->order.v[i]->name),
                         order);
    }
}

static void
deparse_stmt(struct bm *b, struct node *s, json_t *order)
{
    if (!s)
        return;
    switch (s->kind) {
    case N_BLOCK:
        for (int i = 0; i < s->list.n; i++)
            deparse_stmt(b, s->list.v[i], order);
        break;
    case N_IF:
        deparse_stmt(b, s->b, order);
        deparse_stmt(b, s->c, order);
        break;
    case N_CALL_STMT: {
        struct node *c = s->a;
        if (c->a->kind == N_MEMBER && !strcmp(c->a->name, "emit")) {
            struct node *x = c->args.n ? c->args.v[0] : NULL;
            if (x && x->kind == N_NAMED)
                x = x->a;
            struct binding *bd = bm_ref(b, x);
            if (!bd)
                cc_error(b->c, c->loc,
                         "emit needs a header, stack or struct of "
                         "headers");
            emit_binding(b, bd, order);
        } else {
            cc_error(b->c, s->loc,
                     "only emit() calls are supported in the "
                     "deparser by the BMv2 back end yet");
        }
        break;
    }
    default:
        break;
    }
}

/* ---- parser ---- */

static json_t *
select_key(struct bm *b, struct node *e, int *width)
{
    *width = check_width(e->type);
    if (e->kind == N_CALL && e->a->kind == N_MEMBER &&
        !strcmp(e->a->name, "lookahead")) {
        return typed("lookahead", json_pack("[ii]", 0, *width));
    }
    if (e->kind == N_MEMBER && e->a->kind == N_CALL &&
        e->a->a->kind == N_MEMBER && !strcmp(e->a->a->name, "lookahead") &&
        e->a->type && e->a->type->kind == N_HEADER) {
        /* a field of a looked-ahead header: its bits at their offset */
        int off = 0;
        struct node *ht = e->a->type;
        for (int i = 0; i < ht->list.n; i++) {
            if (!strcmp(ht->list.v[i]->name, e->name))
                break;
            off += check_width(ht->list.v[i]->type);
        }
        return typed("lookahead", json_pack("[ii]", off, *width));
    }
    if (e->kind == N_MEMBER && e->a->kind == N_MEMBER && e->a->a->type &&
        e->a->a->type->kind == N_TSTACK && !strcmp(e->a->name, "last")) {
        struct binding *s = bm_ref(b, e->a->a);
        if (s)
            return typed("stack_field", json_pack("[ss]", s->hname, e->name));
    }
    struct binding *f =
        (e->kind == N_NAME || e->kind == N_MEMBER || e->kind == N_INDEX)
            ? bm_ref(b, e)
            : NULL;
    if (f && f->kind == B_FIELD && !f->is_bool && !f->dyn_index)
        return typed("field", json_pack("[ss]", f->hname, f->field));
    /* an expression: compute it into a temporary first */
    bm_hoist(b, e);
    struct binding *tmp = scalar_field(
        b, "tmp", e->type && e->type->kind == N_TBOOL ? e->type : e->type);
    if (tmp->is_bool) {
        tmp->is_bool = 0;
    }
    json_t *v = bm_expr(b, e);
    if (e->type && e->type->kind == N_TBOOL)
        v = json_pack("{s:s,s:{s:s,s:n,s:o}}", "type", "expression", "value",
                      "op", "b2d", "left", "right", v);
    bm_prim(b, e, "set", json_pack("[oo]", bm_field_json(tmp), v));
    bm_clear_snapshots();
    return typed("field", json_pack("[ss]", tmp->hname, tmp->field));
}

static void
put_bytes(unsigned char *buf, int *pos, unsigned __int128 v, int w)
{
    int nb = (w + 7) / 8;
    for (int i = nb - 1; i >= 0; i--)
        buf[(*pos)++] = i >= 16 ? 0 : (unsigned char)(v >> (8 * i));
}

static json_t *
bytes_hex(const unsigned char *buf, int n)
{
    char *s = malloc((size_t)n * 2 + 3);
    s[0] = '0';
    s[1] = 'x';
    for (int i = 0; i < n; i++)
        sprintf(s + 2 + i * 2, "%02x", buf[i]);
    s[2 + n * 2] = 0;
    json_t *j = json_string(s);
    free(s);
    return j;
}

/* Sub-parsers are inlined: their states are named "<instance>.<state>"
 * (state_prefix) and their accept goes to the rest of the calling state
 * (accept_to). */
static const char *state_prefix;
static const char *accept_to;

static const char *
state_name(struct bm *b, const char *name)
{
    return state_prefix ? arena_printf(b->A, "%s.%s", state_prefix, name)
                        : name;
}

static const char *
state_target_b(struct bm *b, struct node *n)
{
    if (!n || !strcmp(n->name, "reject"))
        return NULL;
    if (!strcmp(n->name, "accept"))
        return accept_to;
    return state_name(b, n->name);
}
#define state_target(n) state_target_b(b, (n))

/* The parser a statement applies ("p.apply(...)" of a parser instance or
 * type), or NULL. */
static struct node *
subparser_call(struct node *s, struct node **inst)
{
    if (!s || s->kind != N_CALL_STMT || s->a->a->kind != N_MEMBER ||
        strcmp(s->a->a->name, "apply"))
        return NULL;
    struct node *d = s->a->a->a->decl;
    *inst = d;
    if (d && d->kind == N_PARSER)
        return d;
    if (d && d->kind == N_INSTANCE && d->type && d->type->kind == N_PARSER)
        return d->type;
    return NULL;
}

static void lower_state_part(struct bm *b, const char *name, struct node *at,
                             struct node **stmts, int n, struct node *tr,
                             json_t *states);

/* Lowers every state of sub-parser sp, called by statement call, its
 * accept going to accept_next. */
static void
lower_subparser(struct bm *b, struct node *sp, const char *prefix,
                struct node *call, const char *accept_next, json_t *states)
{
    struct frame *f = arena_alloc(b->A, sizeof *f);
    f->up = b->frame;
    f->n = sp->params.n;
    f->params = arena_alloc(b->A, sizeof *f->params * (size_t)(f->n + 1));
    f->binds = arena_alloc(b->A, sizeof *f->binds * (size_t)(f->n + 1));
    for (int i = 0; i < f->n; i++) {
        f->params[i] = sp->params.v[i];
        struct binding *bd = arena_alloc(b->A, sizeof *bd);
        bd->kind = B_EXPR;
        bd->expr = i < call->args.n ? call->args.v[i] : NULL;
        if (bd->expr && bd->expr->kind == N_NAMED)
            bd->expr = bd->expr->a;
        bd->expr_frame = b->frame;
        f->binds[i] = bd;
    }
    const char *saved_prefix = state_prefix, *saved_accept = accept_to;
    struct frame *saved = b->frame;
    b->frame = f;
    state_prefix = prefix;
    accept_to = accept_next;
    control_locals(b, sp); /* its variables, bound in the frame */
    for (int i = 0; i < sp->list.n; i++) {
        struct node *st = sp->list.v[i];
        if (st->kind == N_STATE)
            lower_state_part(b, state_name(b, st->name), st, st->list.v,
                             st->list.n, st->a, states);
    }
    state_prefix = saved_prefix;
    accept_to = saved_accept;
    b->frame = saved;
}

static void
lower_state(struct bm *b, struct node *st, json_t *states, int id)
{
    (void)id;
    lower_state_part(b, state_name(b, st->name), st, st->list.v, st->list.n,
                     st->a, states);
}

static void
lower_state_part(struct bm *b, const char *name, struct node *at,
                 struct node **stmts, int nstmts, struct node *tr,
                 json_t *states)
{
    /* an if splits the state too: the condition becomes a select on a
     * temporary, each branch a state, the rest a state after them */
    for (int k = 0; k < nstmts; k++) {
        struct node *st = stmts[k];
        if (st->kind != N_IF)
            continue;
        unsigned __int128 cv;
        const char *rest =
            bm_unique(b, arena_printf(b->A, "%s_after_if", name));
        const char *then_s = bm_unique(b, arena_printf(b->A, "%s_then", name));
        const char *else_s =
            st->c ? bm_unique(b, arena_printf(b->A, "%s_else", name)) : rest;
        if (check_eval(b->c, st->a, &cv)) {
            /* a constant condition: just the branch taken, in line */
            struct node *taken = cv ? st->b : st->c;
            int nb = taken ? (taken->kind == N_BLOCK ? taken->list.n : 1) : 0;
            struct node **all =
                arena_alloc(b->A, sizeof *all * (size_t)(nstmts + nb));
            memcpy(all, stmts, sizeof *all * (size_t)k);
            for (int j = 0; j < nb; j++)
                all[k + j] = taken->kind == N_BLOCK ? taken->list.v[j] : taken;
            memcpy(all + k + nb, stmts + k + 1,
                   sizeof *all * (size_t)(nstmts - k - 1));
            lower_state_part(b, name, at, all, nstmts - 1 + nb, tr, states);
            return;
        }
        /* the first part: the statements before, then a select on c */
        struct node *sel = node_new(b->A, N_SELECT, st->loc);
        nlist_push(b->A, &sel->args, st->a);
        struct node *c1 = node_new(b->A, N_CASE, st->loc);
        c1->a = node_new(b->A, N_BOOL, st->loc);
        c1->a->ival = 1;
        c1->a->type = st->a->type;
        c1->b = node_new(b->A, N_NAME, st->loc);
        c1->b->name = "__then";
        struct node *c0 = node_new(b->A, N_CASE, st->loc);
        c0->a = node_new(b->A, N_DEFAULT, st->loc);
        c0->b = node_new(b->A, N_NAME, st->loc);
        c0->b->name = "__else";
        nlist_push(b->A, &sel->list, c1);
        nlist_push(b->A, &sel->list, c0);
        lower_state_part(b, name, at, stmts, k, sel, states);
        /* point the two cases at the branch states */
        json_t *first = json_array_get(states, json_array_size(states) - 1);
        json_t *trs = json_object_get(first, "transitions");
        json_object_set_new(json_array_get(trs, 0), "next_state",
                            json_string(then_s));
        json_object_set_new(json_array_get(trs, 1), "next_state",
                            json_string(else_s));
        struct node *thn = st->b;
        struct node *goto_rest = node_new(b->A, N_NAME, st->loc);
        goto_rest->name = "__rest";
        lower_state_part(
            b, then_s, at, thn->kind == N_BLOCK ? thn->list.v : &st->b,
            thn->kind == N_BLOCK ? thn->list.n : 1, goto_rest, states);
        json_t *tj = json_array_get(states, json_array_size(states) - 1);
        json_object_set_new(
            json_array_get(json_object_get(tj, "transitions"), 0), "next_state",
            json_string(rest));
        if (st->c) {
            struct node *els = st->c;
            lower_state_part(
                b, else_s, at, els->kind == N_BLOCK ? els->list.v : &st->c,
                els->kind == N_BLOCK ? els->list.n : 1, goto_rest, states);
            tj = json_array_get(states, json_array_size(states) - 1);
            json_object_set_new(
                json_array_get(json_object_get(tj, "transitions"), 0),
                "next_state", json_string(rest));
        }
        lower_state_part(b, rest, at, stmts + k + 1, nstmts - k - 1, tr,
                         states);
        return;
    }
    /* a sub-parser call splits the state: before it, the sub-parser's
     * states, then the rest in a state of its own */
    for (int k = 0; k < nstmts; k++) {
        struct node *inst = NULL;
        struct node *sp = subparser_call(stmts[k], &inst);
        if (!sp)
            continue;
        /* each call gets its own copy of the sub-parser's states */
        const char *sub_prefix =
            bm_unique(
                b, arena_printf(b->A, "parser:%s", state_name(b, inst->name))) +
            7;
        const char *sub_start = arena_printf(b->A, "%s.start", sub_prefix);
        const char *cont =
            bm_unique(b, arena_printf(b->A, "%s_after_%s", name, inst->name));
        /* the first part: statements before the call, then the sub-parser */
        const char *saved_accept = accept_to;
        lower_state_part(b, name, at, stmts, k, NULL, states);
        json_t *first = json_array_get(states, json_array_size(states) - 1);
        json_t *tj = json_pack("{s:s,s:n,s:n,s:s}", "type", "default", "value",
                               "mask", "next_state", sub_start);
        json_object_set_new(first, "transitions", json_pack("[o]", tj));
        lower_subparser(b, sp, sub_prefix, stmts[k]->a, cont, states);
        accept_to = saved_accept;
        lower_state_part(b, cont, at, stmts + k + 1, nstmts - k - 1, tr,
                         states);
        return;
    }
    json_t *sj = json_object();
    json_object_set_new(sj, "name", json_string(name));
    json_object_set_new(sj, "id",
                        json_integer((json_int_t)json_array_size(states)));
    json_t *ops = json_array();
    b->cur_ops = ops;
    b->in_parser = 1;
    struct frame *saved = b->frame;
    for (int i = 0; i < nstmts; i++)
        bm_stmt(b, stmts[i]);
    json_t *trans = json_array();
    json_t *key = json_array();
    if (tr && tr->kind == N_SELECT) {
        int widths[32];
        int nk = 0;
        for (int i = 0; i < tr->args.n && i < 32; i++) {
            json_array_append_new(key,
                                  select_key(b, tr->args.v[i], &widths[i]));
            nk++;
        }
        int total = 0;
        for (int i = 0; i < nk; i++)
            total += (widths[i] + 7) / 8;
        for (int i = 0; i < tr->list.n; i++) {
            struct node *cs = tr->list.v[i];
            struct node *ks = cs->a;
            int nv = ks->kind == N_LIST ? ks->list.n : 1;
            /* a range lo..hi becomes the value/mask pairs (prefixes) that
             * cover it, BMv2 parsers match masks; several ranges in one case
             * give every combination */
            enum { MAXR = 4, MAXB = 64 };
            unsigned __int128 rv[MAXR][MAXB], rm[MAXR][MAXB];
            int rcount[MAXR], rkey[MAXR], nr = 0, nblocks = 1;
            for (int k = 0; k < nv && k < nk; k++) {
                struct node *v = ks->kind == N_LIST ? ks->list.v[k] : ks;
                if (v->kind != N_RANGE)
                    continue;
                if (nr == MAXR) {
                    cc_error(b->c, v->loc,
                             "too many ranges in one select case");
                    break;
                }
                unsigned __int128 lo = 0, hi = 0;
                check_eval(b->c, v->a, &lo);
                check_eval(b->c, v->b, &hi);
                int n = 0;
                while (lo <= hi && n < MAXB) {
                    int sz = 0;
                    while (sz < widths[k] && sz < 127 &&
                           !(lo & (((unsigned __int128)1 << (sz + 1)) - 1)) &&
                           lo + (((unsigned __int128)1 << (sz + 1)) - 1) <= hi)
                        sz++;
                    rv[nr][n] = lo;
                    rm[nr][n] =
                        ones(widths[k]) & ~((((unsigned __int128)1) << sz) - 1);
                    n++;
                    unsigned __int128 step = (unsigned __int128)1 << sz;
                    if (sz >= widths[k] || lo + step < lo)
                        break;
                    lo += step;
                }
                if (n == MAXB && lo <= hi)
                    cc_error(b->c, v->loc, "this range needs too many masks");
                rcount[nr] = n ? n : 1;
                rkey[nr] = k;
                nblocks *= rcount[nr];
                nr++;
            }
            for (int blk = 0; blk < nblocks; blk++) {
                json_t *t = json_object();
                int all_default = 1;
                unsigned char vb[512], mb[512];
                int vp = 0, mp = 0, has_mask = 0;
                const char *vset = NULL;
                for (int k = 0; k < nv && k < nk && total < 512; k++) {
                    struct node *v = ks->kind == N_LIST ? ks->list.v[k] : ks;
                    unsigned __int128 val = 0, mask = ones(widths[k]);
                    if (v->kind == N_DEFAULT || v->kind == N_DONTCARE) {
                        mask = 0;
                        has_mask = 1;
                    } else if (v->kind == N_MASK) {
                        check_eval(b->c, v->a, &val);
                        check_eval(b->c, v->b, &mask);
                        all_default = 0;
                        has_mask = 1;
                    } else if (v->kind == N_NAME && v->decl &&
                               v->decl->kind == N_VALUE_SET) {
                        vset = v->decl->name;
                        all_default = 0;
                    } else if (v->kind == N_RANGE) {
                        int idx = blk;
                        for (int r = 0; r < nr; r++) {
                            if (rkey[r] == k) {
                                val = rv[r][idx % rcount[r]];
                                mask = rm[r][idx % rcount[r]];
                            }
                            idx /= rcount[r];
                        }
                        all_default = 0;
                        has_mask = 1;
                    } else {
                        if (!check_eval(b->c, v, &val) && v->kind != N_BOOL)
                            cc_error(b->c, v->loc,
                                     "select cases must be constants");
                        all_default = 0;
                    }
                    put_bytes(vb, &vp, val & mask, widths[k]);
                    put_bytes(mb, &mp, mask & ones(widths[k]), widths[k]);
                }
                if (nv == 1 && nk > 1 && ks->kind == N_NAME && ks->decl &&
                    ks->decl->kind == N_VALUE_SET) {
                    /* a value set of a struct type matches all the keys */
                    json_object_set_new(t, "type", json_string("parse_vset"));
                    json_object_set_new(t, "value",
                                        json_string(ks->decl->name));
                    json_object_set_new(t, "mask", json_null());
                    json_object_set_new(t, "next_state",
                                        next_json(state_target(cs->b)));
                    json_array_append_new(trans, t);
                    continue;
                }
                if (nv != nk && !(nv == 1 && (ks->kind == N_DEFAULT ||
                                              ks->kind == N_DONTCARE)))
                    cc_error(b->c, cs->loc,
                             "this case has %d values, the select has "
                             "%d",
                             nv, nk);
                if (vset) {
                    json_object_set_new(t, "type", json_string("parse_vset"));
                    json_object_set_new(t, "value", json_string(vset));
                    json_object_set_new(t, "mask", json_null());
                } else if (all_default) {
                    json_object_set_new(t, "type", json_string("default"));
                    json_object_set_new(t, "value", json_null());
                    json_object_set_new(t, "mask", json_null());
                } else {
                    json_object_set_new(t, "type", json_string("hexstr"));
                    json_object_set_new(t, "value", bytes_hex(vb, vp));
                    json_object_set_new(
                        t, "mask", has_mask ? bytes_hex(mb, mp) : json_null());
                }
                json_object_set_new(t, "next_state",
                                    next_json(state_target(cs->b)));
                json_array_append_new(trans, t);
            }
        }
    } else {
        json_t *t =
            json_pack("{s:s,s:n,s:n}", "type", "default", "value", "mask");
        json_object_set_new(t, "next_state",
                            next_json(tr ? state_target(tr) : NULL));
        json_array_append_new(trans, t);
    }
    b->frame = saved;
    b->in_parser = 0;
    json_object_set_new(sj, "parser_ops", ops);
    json_object_set_new(sj, "transitions", trans);
    json_object_set_new(sj, "transition_key", key);
    json_array_append_new(states, sj);
}

static void
lower_parser(struct bm *b, struct node *p)
{
    json_t *pj = json_object();
    json_object_set_new(pj, "name", json_string("parser"));
    json_object_set_new(pj, "id", json_integer(0));
    json_object_set_new(pj, "init_state", json_string("start"));
    json_t *states = json_array();
    b->prefix = qualified(b, p);
    for (int i = 0; i < p->list.n; i++) {
        struct node *d = p->list.v[i];
        if (d->kind == N_VAR) {
            d->aux = bm_bind(b, d->type, bm_unique(b, d->name), 0);
        } else if (d->kind == N_VALUE_SET) {
            unsigned __int128 sz = 0;
            check_eval(b->c, d->b, &sz);
            json_array_append_new(
                b->parse_vsets,
                json_pack("{s:s,s:i,s:i,s:i}", "name", d->name, "id",
                          (int)json_array_size(b->parse_vsets),
                          "compressed_bitwidth", check_width(d->type),
                          "max_size", (int)sz));
            const char *qn = qualified(b, d);
            struct p4i_obj o = {
                qn, d, p4info_id(0x03, qn),
                json_array_get(b->parse_vsets,
                               json_array_size(b->parse_vsets) - 1)};
            VEC_PUSH(&b->p4_vsets, o);
        } else if (d->kind == N_INSTANCE) {
            declare_instance(b, d);
        }
    }
    /* variables with initializers: run at the start state */
    int sid = 0;
    for (int i = 0; i < p->list.n; i++) {
        struct node *st = p->list.v[i];
        if (st->kind != N_STATE)
            continue;
        if (!strcmp(st->name, "start")) {
            json_t *tmp_ops = json_array();
            b->cur_ops = tmp_ops;
            b->in_parser = 1;
            for (int j = 0; j < p->list.n; j++) {
                struct node *d = p->list.v[j];
                if (d->kind == N_VAR && d->b) {
                    struct node as = {0};
                    struct node nm = {0};
                    as.kind = N_ASSIGN;
                    as.op = "=";
                    as.loc = d->loc;
                    nm.kind = N_NAME;
                    nm.name = d->name;
                    nm.decl = d;
                    nm.type = d->type;
                    as.a = &nm;
                    as.b = d->b;
                    bm_stmt(b, &as);
                }
            }
            b->in_parser = 0;
            lower_state(b, st, states, sid++);
            json_t *sj = json_array_get(states, json_array_size(states) - 1);
            json_t *ops = json_object_get(sj, "parser_ops");
            for (size_t k = 0; k < json_array_size(ops); k++)
                json_array_append(tmp_ops, json_array_get(ops, k));
            json_object_set(sj, "parser_ops", tmp_ops);
            json_decref(tmp_ops);
            continue;
        }
        lower_state(b, st, states, sid++);
    }
    json_object_set_new(pj, "parse_states", states);
    json_array_append_new(b->parsers, pj);
    b->prefix = NULL;
}

/* ---- the program ---- */

static struct node *
ctor_decl(struct node *arg)
{
    if (arg && arg->kind == N_NAMED)
        arg = arg->a;
    if (arg && arg->kind == N_CALL && arg->a->decl)
        return arg->a->decl;
    if (arg && arg->kind == N_NAME && arg->decl &&
        arg->decl->kind == N_INSTANCE)
        return arg->decl->type;
    return NULL;
}

static void
bind_params(struct bm *b, struct node *blk, struct binding *hdr,
            struct binding *meta, struct binding *sm)
{
    for (int i = 0; i < blk->params.n; i++) {
        struct node *p = blk->params.v[i];
        struct node *t = p->type;
        if (t == b->sm_type)
            p->aux = sm;
        else if (t && t->kind == N_EXTERN)
            p->aux = NULL;
        else if (hdr && t == hdr->type && !p->aux)
            p->aux = hdr;
        else if (meta && t == meta->type)
            p->aux = meta;
    }
}

static void
bm_free(void *p)
{
    struct bm *b = p;
    if (!b)
        return;
    json_decref(b->root);
    json_decref(b->extra_json);
    json_decref(b->dyn_json);
    for (size_t i = 0; i < b->struct_binds.n; i++)
        hmap_destroy(&b->struct_binds.v[i]->members);
    VEC_FREE(&b->struct_binds);
    hmap_destroy(&b->htypes);
    hmap_destroy(&b->names);
    hmap_destroy(&b->meter_json);
    {
        const char *k;
        void *v;
        for (size_t i = 0; hmap_next(&b->sources, &i, &k, &v);)
            free(v);
        hmap_destroy(&b->sources);
    }
    hmap_destroy(&b->action_ids);
    hmap_destroy(&b->table_json);
    hmap_destroy(&b->table_pre);
    VEC_FREE(&b->p4_tables);
    VEC_FREE(&b->p4_actions);
    VEC_FREE(&b->p4_counters);
    VEC_FREE(&b->p4_dcounters);
    VEC_FREE(&b->p4_meters);
    VEC_FREE(&b->p4_dmeters);
    VEC_FREE(&b->p4_registers);
    VEC_FREE(&b->p4_digests);
    VEC_FREE(&b->p4_vsets);
    VEC_FREE(&b->p4_profiles);
    free(b);
}

#define ARR(field, key)                                                        \
    do {                                                                       \
        b->field = json_array();                                               \
        json_object_set_new(b->root, key, b->field);                           \
    } while (0)

int
bmv2_lower(struct cc *c)
{
    int errors0 = c->nerrors;
    struct bm *b = xcalloc(1, sizeof *b);
    c->backend = b;
    c->backend_free = bm_free;
    b->c = c;
    b->A = &c->arena;
    hmap_init(&b->htypes);
    hmap_init(&b->names);
    hmap_init(&b->meter_json);
    hmap_init(&b->sources);
    hmap_init(&b->action_ids);
    hmap_init(&b->table_json);
    hmap_init(&b->table_pre);
    b->extra_json = json_array();
    b->dyn_json = json_array();
    b->root = json_object();
    ARR(header_types, "header_types");
    ARR(headers, "headers");
    ARR(header_stacks, "header_stacks");
    ARR(header_union_types, "header_union_types");
    ARR(header_unions, "header_unions");
    json_object_set_new(b->root, "header_union_stacks", json_array());
    ARR(field_lists, "field_lists");
    ARR(errors, "errors");
    ARR(enums, "enums");
    ARR(parsers, "parsers");
    ARR(parse_vsets, "parse_vsets");
    ARR(deparsers, "deparsers");
    ARR(meter_arrays, "meter_arrays");
    ARR(counter_arrays, "counter_arrays");
    ARR(register_arrays, "register_arrays");
    ARR(calculations, "calculations");
    ARR(learn_lists, "learn_lists");
    ARR(actions, "actions");
    ARR(pipelines, "pipelines");
    ARR(checksums, "checksums");
    json_object_set_new(b->root, "force_arith", json_array());
    ARR(extern_instances, "extern_instances");
    ARR(field_aliases, "field_aliases");
    const char *base = strrchr(c->main_file, '/');
    json_object_set_new(b->root, "program",
                        json_string(base ? base + 1 : c->main_file));
    json_object_set_new(
        b->root, "__meta__",
        json_pack("{s:[ii],s:s}", "version", 2, 23, "compiler", "fop4-p4c"));
    /* errors */
    struct node *errs = c->program->a;
    for (int i = 0; errs && i < errs->list.n; i++)
        json_array_append_new(b->errors,
                              json_pack("[si]", errs->list.v[i]->name, i));
    /* find main and standard_metadata_t */
    struct node *main_inst = NULL;
    for (int i = 0; i < c->program->list.n; i++) {
        struct node *d = c->program->list.v[i];
        if (d->kind == N_INSTANCE && d->name && !strcmp(d->name, "main"))
            main_inst = d;
        if (d->kind == N_STRUCT && !strcmp(d->name, "standard_metadata_t"))
            b->sm_type = d;
        if (d->kind == N_ACTION && !strcmp(d->name, "NoAction"))
            b->noaction = d;
    }
    /* scalars and standard_metadata come first, as in p4c's output */
    json_t *st = json_object();
    json_object_set_new(st, "name", json_string("scalars_0"));
    json_object_set_new(st, "id", json_integer(0));
    b->scalar_fields = json_array();
    json_object_set_new(st, "fields", b->scalar_fields);
    json_array_append_new(b->header_types, st);
    hmap_put(&b->htypes, "scalars_0", (void *)1, NULL);
    add_header_instance(b, "scalars", "scalars_0", 1);
    hmap_put(&b->names, "scalars", (void *)1, NULL);
    if (b->sm_type) {
        struct node tmp = *b->sm_type;
        tmp.name = "standard_metadata";
        header_type(b, &tmp, 1);
        add_header_instance(b, "standard_metadata", "standard_metadata", 1);
        hmap_put(&b->names, "standard_metadata", (void *)1, NULL);
        for (int i = 0; i < b->sm_type->list.n; i++) {
            struct node *f = b->sm_type->list.v[i];
            const char *al = annot_string(f, "alias");
            if (al)
                json_array_append_new(
                    b->field_aliases,
                    json_pack("[s[ss]]", al, "standard_metadata", f->name));
        }
    }
    if (!main_inst || !main_inst->type || !main_inst->type->name ||
        strcmp(main_inst->type->name, "V1Switch")) {
        if (!main_inst)
            cc_warning(c, c->program->loc,
                       "the program has no 'main' V1Switch "
                       "instance: the JSON has no pipelines");
        else
            cc_error(c, main_inst->loc,
                     "main must be a V1Switch (the v1model "
                     "architecture)");
        return c->nerrors > errors0 ? -1 : 0;
    }
    if (main_inst->args.n != 6) {
        cc_error(c, main_inst->loc, "V1Switch takes 6 blocks, got %d",
                 main_inst->args.n);
        return -1;
    }
    struct node *blk[6];
    for (int i = 0; i < 6; i++) {
        blk[i] = ctor_decl(main_inst->args.v[i]);
        if (!blk[i] ||
            (blk[i]->kind != N_PARSER && blk[i]->kind != N_CONTROL)) {
            cc_error(c, main_inst->args.v[i]->loc,
                     "argument %d of V1Switch must instantiate a parser or "
                     "control",
                     i + 1);
            return -1;
        }
    }
    memcpy(b->blocks, blk, sizeof blk);
    struct node *prs = blk[0];
    if (prs->kind != N_PARSER || prs->params.n < 4) {
        cc_error(c, prs->loc,
                 "the first block of V1Switch must be a parser "
                 "with 4 parameters");
        return -1;
    }
    struct node *htype = prs->params.v[1]->type;
    struct node *mtype = prs->params.v[2]->type;
    struct binding *sm = arena_alloc(b->A, sizeof *sm);
    sm->kind = B_HEADER;
    sm->hname = "standard_metadata";
    sm->type = b->sm_type;
    struct binding *hdr = bm_bind(b, htype, "hdr", 1);
    struct node *ig = blk[2];
    const char *mname = ig->params.n > 1 ? ig->params.v[1]->name : "meta";
    struct binding *meta = htype == mtype ? hdr : bm_bind(b, mtype, mname, 0);
    for (int i = 0; i < 6; i++)
        bind_params(b, blk[i], hdr, meta, sm);
    /* extern instances declared at the top level (registers, counters...) */
    for (int i = 0; i < c->program->list.n; i++) {
        struct node *d = c->program->list.v[i];
        if (d->kind == N_INSTANCE && d != main_inst && d->type &&
            d->type->kind == N_EXTERN)
            declare_instance(b, d);
    }
    lower_parser(b, prs);
    lower_checksums(b, blk[1], 1);
    lower_pipeline(b, "ingress", blk[2]);
    lower_pipeline(b, "egress", blk[3]);
    lower_checksums(b, blk[4], 0);
    /* deparser */
    json_t *order = json_array();
    b->prefix = qualified(b, blk[5]);
    deparse_stmt(b, blk[5]->b, order);
    b->prefix = NULL;
    json_t *dp = json_object();
    json_object_set_new(dp, "name", json_string("deparser"));
    json_object_set_new(dp, "id", json_integer(0));
    json_object_set_new(dp, "source_info", bm_source_info(b, blk[5]));
    json_object_set_new(dp, "order", order);
    json_object_set_new(dp, "primitives", json_array());
    json_array_append_new(b->deparsers, dp);
    /* pad the scalars header to whole bytes */
    if (b->scalar_bits % 8)
        json_array_append_new(
            b->scalar_fields,
            json_pack("[s,i,b]", "_padding_0", 8 - b->scalar_bits % 8, 0));
    return c->nerrors > errors0 ? -1 : 0;
}

/* Removes the back end's private keys (they start with '_' and help
 * p4info.c) from a copy of the JSON. */
static void
strip_private(json_t *j)
{
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(j, tmp, k, v)
        {
            if (k[0] == '_' && k[1] != '_' && strcmp(k, "_padding"))
                json_object_del(j, k);
            else
                strip_private(v);
        }
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            strip_private(json_array_get(j, i));
    }
}

int
bmv2_emit_json(struct cc *c, FILE *f)
{
    struct bm *b = c->backend;
    if (!b)
        return -1;
    json_t *copy = json_deep_copy(b->root);
    strip_private(copy);
    int r = json_dumpf(copy, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    json_decref(copy);
    return r < 0 ? -1 : 0;
}
