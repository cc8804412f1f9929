/* lower.c - BMv2 back end: the program structure.
 *
 * Finds the V1Switch package instance, flattens the headers and metadata of
 * its blocks into header instances and fields of the "scalars" header, turns
 * the parser into parse states, each pipeline's apply block into a graph of
 * tables and conditionals (straight-line statements become synthesized
 * one-action tables, as p4c does), the checksum controls into BMv2
 * checksums and the deparser into an emit order. The parser is in parser.c,
 * tables in table.c, expressions and primitives in expr.c; the JSON is
 * written by bmv2_emit_json(); P4Info by p4info.c from the objects gathered
 * here. */
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

static unsigned __int128
ones(int w)
{
    return w >= 128 ? ~(unsigned __int128)0 : (((unsigned __int128)1 << w) - 1);
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
    json_t *tj = bm_lower_table(b, t, name);
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

/* Do all of table tj's next pointers go to next? */
static int
same_next(json_t *tj, const char *next)
{
    json_t *bd = json_object_get(tj, "base_default_next");
    const char *k;
    json_t *v;
    if (!(next ? json_is_string(bd) && !strcmp(json_string_value(bd), next)
               : json_is_null(bd)))
        return 0;
    json_object_foreach(json_object_get(tj, "next_tables"), k, v)
    {
        if (!(next ? json_is_string(v) && !strcmp(json_string_value(v), next)
                   : json_is_null(v)))
            return 0;
    }
    return 1;
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
            struct node *t = c->a->decl;
            const char *qn = t && t->kind == N_TABLE ? qualified(b, t) : NULL;
            json_t *prev = qn ? hmap_get(&b->table_json, qn) : NULL;
            if (prev && json_object_get(prev, "_applied") &&
                same_next(prev, next)) {
                /* applied again with the same continuation: one node in
                 * the graph serves both places */
                return entry_for(b, qn);
            }
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

/* ---- helpers shared with parser.c (lower.h) ---- */

json_t *
bm_typed(const char *type, json_t *value)
{
    return typed(type, value);
}

json_t *
bm_next_json(const char *next)
{
    return next_json(next);
}

unsigned __int128
bm_ones(int w)
{
    return ones(w);
}

struct binding *
bm_scalar_field(struct bm *b, const char *name, struct node *type)
{
    return scalar_field(b, name, type);
}

void
bm_control_locals(struct bm *b, struct node *ctl)
{
    control_locals(b, ctl);
}

void
bm_declare_instance(struct bm *b, struct node *inst)
{
    declare_instance(b, inst);
}

const char *
bm_qualified(struct bm *b, struct node *d)
{
    return qualified(b, d);
}

json_t *
bm_new_table(struct bm *b, const char *name, struct node *at)
{
    return new_table(b, name, at);
}

const char *
bm_annot_string(struct node *n, const char *annot)
{
    return annot_string(n, annot);
}

void
bm_expr_text(struct bm *b, struct node *e, struct strbuf *sb)
{
    expr_text(b, e, sb);
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
    bm_lower_parser(b, prs);
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
