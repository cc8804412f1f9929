/* lower.c - BMv2 back end: the program structure.
 *
 * Finds the V1Switch package instance, flattens the headers and metadata of
 * its blocks into header instances and fields of the "scalars" header,
 * lowers actions, the checksum controls into BMv2 checksums and the deparser
 * into an emit order, and has the parser (parser.c) and both pipelines
 * (control.c: graphs of tables and conditionals) lowered. Tables are in
 * table.c, expressions in expr.c, statements in stmt.c, primitives in
 * prim.c; the JSON is written by bmv2_emit_json(); P4Info by p4info.c from
 * the objects gathered here. */
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

/* Is t an array of bits (bit<8>[16])? */
static int
bit_array(struct node *t)
{
    return t && t->kind == N_TSTACK && t->a &&
           (t->a->kind == N_TBIT || t->a->kind == N_TBOOL);
}

/* The fields "<name>[i]" of an array of bits in a header. */
static void
add_array_fields(json_t *fields, const char *name, struct node *t, int *bits,
                 struct arena *A)
{
    int w = check_width(t->a);
    for (int i = 0; i < t->width; i++) {
        json_array_append_new(
            fields, json_pack("[s,i,b]", arena_printf(A, "%s[%d]", name, i), w,
                              (t->a->flags & F_SIGNED) != 0));
        *bits += w;
    }
}

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
        if (bit_array(f->type)) {
            add_array_fields(fields, n, f->type, bits, b->A);
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
        if (bit_array(ft)) {
            add_array_fields(fields, f->name, ft, &bits, b->A);
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

/* The struct type that stores tuple type t: fields f0, f1, ... of the
 * element types (made once per tuple type node). */
static struct node *
tuple_struct(struct bm *b, struct node *t)
{
    if (t->aux)
        return t->aux;
    struct node *st = node_new(b->A, N_STRUCT, t->loc);
    st->name = "tuple";
    for (int i = 0; i < t->targs.n; i++) {
        struct node *f = node_new(b->A, N_FIELD, t->loc);
        f->name = arena_printf(b->A, "f%d", i);
        f->type = check_canon(b->c, t->targs.v[i]);
        f->a = f->type;
        nlist_push(b->A, &st->list, f);
    }
    t->aux = st;
    return st;
}

static struct node *field_type(struct bm *b, struct node *f);

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
            struct binding *m = bm_bind(b, field_type(b, f), fname, 0);
            hmap_put(&bd->members, f->name, m, NULL);
            nlist_push(b->A, &bd->order, f);
        }
        return bd;
    }
    case N_TSTACK: {
        if (bit_array(t)) {
            /* an array of bits: a struct of fields, members "0", "1"... */
            bd->kind = B_STRUCT;
            hmap_init(&bd->members);
            VEC_PUSH(&b->struct_binds, bd);
            for (int i = 0; i < t->width; i++) {
                struct binding *m =
                    bm_bind(b, t->a, arena_printf(b->A, "%s[%d]", name, i), 0);
                hmap_put(&bd->members, arena_printf(b->A, "%d", i), m, NULL);
            }
            return bd;
        }
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
    case N_TVARBIT: {
        /* as p4c: a metadata header "$varbit<N>" with one field "field" */
        const char *tn = arena_printf(b->A, "$varbit%d", t->width);
        if (!hmap_get(&b->htypes, tn)) {
            int id = (int)json_array_size(b->header_types);
            hmap_put(&b->htypes, tn, (void *)(intptr_t)(id + 1), NULL);
            json_array_append_new(
                b->header_types, json_pack("{s:s,s:i,s:[[ss]],s:i}", "name", tn,
                                           "id", id, "fields", "field", "*",
                                           "max_length", (t->width + 7) / 8));
        }
        bd->kind = B_FIELD;
        bd->hname = bm_unique(b, name);
        bd->field = "field";
        bd->width = t->width;
        add_header_instance(b, bd->hname, tn, 1);
        return bd;
    }
    case N_TTUPLE:
        /* stored as a struct with fields f0, f1, ... */
        return bm_bind(b, tuple_struct(b, t), name, 0);
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
    /* one BMv2 action per P4 action and binding of its directional
     * parameters in a table's actions list: tables binding different
     * arguments get copies of the same name, as p4c's copies per table */
    const char *name = qualified(b, a);
    const char *key = name;
    if (bound_call && bound_call->args.n) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "%s(", name);
        for (int i = 0; i < bound_call->args.n; i++) {
            if (i)
                strbuf_puts(&sb, ", ");
            expr_text(b, bound_call->args.v[i], &sb);
        }
        strbuf_putc(&sb, ')');
        key = arena_strdup(b->A, strbuf_str(&sb));
        strbuf_destroy(&sb);
    }
    struct action_info *ai = hmap_get(&b->action_ids, key);
    if (ai)
        return ai;
    ai = arena_alloc(b->A, sizeof *ai);
    ai->id = b->next_action_id++;
    ai->name = name;
    ai->decl = a;
    hmap_put(&b->action_ids, key, ai, NULL);
    if (!hmap_get(&b->action_ids, name)) /* lookups without a binding */
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
    int in_parser = b->in_parser, in_action = b->in_action;
    b->in_parser = 0;
    b->in_action = 1;
    /* arguments bound in the actions list that call functions: the calls
     * run first, left to right, when the action runs */
    for (int i = 0; bound_call && i < bound_call->args.n; i++)
        if (bm_has_call(bound_call->args.v[i]))
            bm_hoist(b, bound_call->args.v[i]);
    b->frame = f;
    bm_stmt(b, a->b);
    bm_clear_snapshots();
    bm_end_action(b);
    b->in_parser = in_parser;
    b->in_action = in_action;
    b->frame = saved;
    b->cur_ops = saved_ops;
    json_object_set_new(j, "primitives", prims);
    json_array_append_new(b->actions, j);
    ai->json = j;
    if (key != name) {
        /* another binding's copy: P4Info lists the action once (the first
         * copy, or this one where only a direct call listed it) */
        for (size_t i = 0; i < b->p4_actions.n; i++)
            if (!strcmp(b->p4_actions.v[i].name, name)) {
                if (json_integer_value(
                        json_object_get(b->p4_actions.v[i].json, "id")) < 0)
                    b->p4_actions.v[i].json = j;
                return ai;
            }
    }
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
    struct node *cnd = bm_arg(call, 0), *data = bm_arg(call, 1);
    struct node *dst = bm_arg(call, 2), *algo = bm_arg(call, 3);
    if (!cnd || !data || !dst || !algo) {
        cc_error(b->c, s->loc, "%s() needs 4 arguments", d->name);
        return;
    }
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
    b->cur_ops = NULL; /* no action runs here */
    bm_control_locals(b, ctl);
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

unsigned __int128
bm_ones(int w)
{
    return w >= 128 ? ~(unsigned __int128)0 : (((unsigned __int128)1 << w) - 1);
}

struct binding *
bm_scalar_field(struct bm *b, const char *name, struct node *type)
{
    return scalar_field(b, name, type);
}

const char *
bm_qualified(struct bm *b, struct node *d)
{
    return qualified(b, d);
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

/* The constructor parameters of V1Switch block blk bound to the arguments
 * of its instantiation arg (MyParser(true)), or NULL if it has none. */
static struct frame *
ctor_frame(struct bm *b, struct node *blk, struct node *arg)
{
    if (arg && arg->kind == N_NAMED)
        arg = arg->a;
    struct nlist *args = NULL;
    if (arg && arg->kind == N_CALL)
        args = &arg->args;
    else if (arg && arg->kind == N_NAME && arg->decl &&
             arg->decl->kind == N_INSTANCE)
        args = &arg->decl->args;
    if (!blk->ctor.n || !args)
        return NULL;
    struct frame *f = arena_alloc(b->A, sizeof *f);
    f->n = blk->ctor.n;
    f->params = arena_alloc(b->A, sizeof *f->params * (size_t)f->n);
    f->binds = arena_alloc(b->A, sizeof *f->binds * (size_t)f->n);
    for (int i = 0; i < f->n; i++) {
        struct node *p = blk->ctor.v[i];
        struct binding *bd = arena_alloc(b->A, sizeof *bd);
        bd->kind = B_EXPR;
        bd->expr = p->b; /* the default value */
        for (int j = 0; j < args->n; j++) {
            struct node *a = args->v[j];
            if (a->kind == N_NAMED ? !strcmp(a->name, p->name) : j == i)
                bd->expr = a->kind == N_NAMED ? a->a : a;
        }
        f->params[i] = p;
        f->binds[i] = bd;
    }
    return f;
}

/* Binds the parameters of V1Switch block blk: standard metadata, the
 * headers (type htype) and the metadata (type mtype; as declared, before
 * any specialisation). */
static void
bind_params(struct bm *b, struct node *blk, struct binding *hdr,
            struct node *htype, struct binding *meta, struct node *mtype,
            struct binding *sm)
{
    for (int i = 0; i < blk->params.n; i++) {
        struct node *p = blk->params.v[i];
        struct node *t = p->type;
        if (t == b->sm_type)
            p->aux = sm;
        else if (t && t->kind == N_EXTERN)
            p->aux = NULL;
        else if (hdr && t == htype && !p->aux)
            p->aux = hdr;
        else if (meta && t == mtype)
            p->aux = meta;
    }
}

/* ---- generic headers and structs ---- */

/* Type variables bound to types. */
struct tenv {
    int n;
    const char *names[8];
    struct node *types[8];
};

/* Does type syntax t mention a variable of env (T, or H<T>)? */
static int
mentions(struct node *t, const struct tenv *env, int depth)
{
    if (!t || t->kind != N_TNAME || depth > 16)
        return 0;
    for (int i = 0; i < env->n; i++)
        if (t->name && !strcmp(t->name, env->names[i]))
            return 1;
    for (int i = 0; i < t->targs.n; i++)
        if (mentions(t->targs.v[i], env, depth + 1))
            return 1;
    return 0;
}

/* The type that type syntax t (a field's or parameter's declared type)
 * denotes with env's variables substituted: for a generic header or struct
 * used with type arguments (standard_t<bit<8>>), a copy of its declaration
 * with the field types substituted, so that it can be laid out. */
static struct node *
specialize(struct bm *b, struct node *t, struct node *canon,
           const struct tenv *env, int depth)
{
    if (!t || t->kind != N_TNAME || depth > 16)
        return t;
    for (int i = 0; i < env->n; i++)
        if (t->name && !strcmp(t->name, env->names[i]))
            return env->types[i];
    struct node *d = t->decl ? t->decl : canon; /* canon: the checker's */
    if (!d || !d->tparams.n || !t->targs.n ||
        (d->kind != N_HEADER && d->kind != N_STRUCT && d->kind != N_HUNION))
        return canon ? canon : check_canon(b->c, t);
    struct tenv e2 = {0};
    for (int i = 0; i < d->tparams.n && i < t->targs.n && i < 8; i++) {
        e2.names[i] = d->tparams.v[i]->name;
        e2.types[i] = specialize(b, t->targs.v[i], NULL, env, depth + 1);
        e2.n++;
    }
    struct node *copy = node_new(b->A, d->kind, d->loc);
    copy->name = bm_unique(b, arena_printf(b->A, "%s_0", d->name));
    copy->annots = d->annots;
    for (int i = 0; i < d->list.n; i++) {
        struct node *f = d->list.v[i];
        struct node *nf = node_new(b->A, N_FIELD, f->loc);
        nf->name = f->name;
        nf->a = f->a;
        nf->annots = f->annots;
        nf->type = mentions(f->a, &e2, 0) ||
                           (f->a && f->a->kind == N_TNAME && f->a->targs.n)
                       ? specialize(b, f->a, f->type, &e2, depth + 1)
                       : f->type;
        nlist_push(b->A, &copy->list, nf);
    }
    return copy;
}

/* The type of struct field f, specialised if generic (pair_t<bit<16>>). */
static struct node *
field_type(struct bm *b, struct node *f)
{
    static const struct tenv none;
    if (f->a && f->a->kind == N_TNAME && f->a->targs.n)
        return specialize(b, f->a, f->type, &none, 0);
    return f->type;
}

/* The type of V1Switch block parameter p, specialised if generic. */
static struct node *
param_type(struct bm *b, struct node *p)
{
    static const struct tenv none;
    if (p->a && p->a->kind == N_TNAME && p->a->targs.n)
        return specialize(b, p->a, p->type, &none, 0);
    return p->type;
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
    hmap_destroy(&b->table_sites);
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
    hmap_init(&b->table_sites);
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
    /* the arguments in V1Switch's parameter order (named: p = ..., ig =) */
    struct node *margs[6];
    struct node *pkg = main_inst->type;
    for (int i = 0; i < 6; i++) {
        margs[i] = main_inst->args.v[i];
        for (int j = 0; j < 6; j++) {
            struct node *a = main_inst->args.v[j];
            if (a->kind == N_NAMED && i < pkg->params.n &&
                !strcmp(a->name, pkg->params.v[i]->name))
                margs[i] = a;
        }
    }
    struct node *blk[6];
    for (int i = 0; i < 6; i++) {
        blk[i] = ctor_decl(margs[i]);
        if (!blk[i] ||
            (blk[i]->kind != N_PARSER && blk[i]->kind != N_CONTROL)) {
            cc_error(c, margs[i]->loc,
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
    struct binding *hdr = bm_bind(b, param_type(b, prs->params.v[1]), "hdr", 1);
    struct node *ig = blk[2];
    const char *mname = ig->params.n > 1 ? ig->params.v[1]->name : "meta";
    struct binding *meta =
        htype == mtype ? hdr
                       : bm_bind(b, param_type(b, prs->params.v[2]), mname, 0);
    for (int i = 0; i < 6; i++)
        bind_params(b, blk[i], hdr, htype, meta, mtype, sm);
    /* extern instances declared at the top level (registers, counters...) */
    for (int i = 0; i < c->program->list.n; i++) {
        struct node *d = c->program->list.v[i];
        if (d->kind == N_INSTANCE && d != main_inst && d->type &&
            d->type->kind == N_EXTERN)
            bm_declare_instance(b, d);
    }
    b->frame = ctor_frame(b, blk[0], margs[0]);
    bm_lower_parser(b, prs);
    b->frame = ctor_frame(b, blk[1], margs[1]);
    lower_checksums(b, blk[1], 1);
    b->frame = ctor_frame(b, blk[2], margs[2]);
    bm_lower_pipeline(b, "ingress", blk[2]);
    b->frame = ctor_frame(b, blk[3], margs[3]);
    bm_lower_pipeline(b, "egress", blk[3]);
    b->frame = ctor_frame(b, blk[4], margs[4]);
    lower_checksums(b, blk[4], 0);
    b->frame = ctor_frame(b, blk[5], margs[5]);
    /* deparser */
    json_t *order = json_array();
    b->prefix = qualified(b, blk[5]);
    deparse_stmt(b, blk[5]->b, order);
    b->prefix = NULL;
    b->frame = NULL;
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
