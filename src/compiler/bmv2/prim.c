/* prim.c - BMv2 back end: primitives and extern calls.
 *
 * bm_prim() appends one BMv2 primitive (with p4c's source_info and operand
 * wrapping; in parsers, "set" ops and "primitive" wrappers) to the ops being
 * built; bm_extern_function(), bm_extern_method() and bm_packet_method() turn
 * calls of v1model's externs (hash, digest, clone, counters, registers,
 * extract...) into primitives, registering the calculations and field lists
 * they need. stmt.c calls them for call statements. */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/lower.h"
#include "compiler/check.h"

/* The text of the source at n: its line from the column on, up to the end
 * of the statement (';' or '{'), trimmed, at most 80 characters - what p4c
 * puts in source_fragment and what the switch shows in its logs. */
static const char *
source_fragment(struct bm *b, struct node *n)
{
    const char *f = n->loc.file;
    if (!f || n->loc.line <= 0)
        return n->name ? n->name : node_kind_name(n->kind);
    char *text = hmap_get(&b->sources, f);
    if (!text) {
        text = read_file(f, NULL);
        if (!text)
            text = xstrdup("");
        hmap_put(&b->sources, f, text, NULL);
    }
    const char *p = text;
    for (int l = 1; l < n->loc.line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p)
        return n->name ? n->name : node_kind_name(n->kind);
    for (int c = 1; c < n->loc.col && *p && *p != '\n'; c++)
        p++;
    size_t len = 0;
    while (p[len] && p[len] != '\n' && p[len] != ';' && len < 80)
        len++;
    while (len &&
           (p[len - 1] == ' ' || p[len - 1] == '{' || p[len - 1] == '\r'))
        len--;
    return arena_strndup(b->A, p, len);
}

json_t *
bm_source_info(struct bm *b, struct node *n)
{
    json_t *o = json_object();
    const char *f = n->loc.file ? n->loc.file : b->c->main_file;
    json_object_set_new(o, "filename", json_string(f ? f : "?"));
    json_object_set_new(o, "line", json_integer(n->loc.line));
    json_object_set_new(o, "column", json_integer(n->loc.col - 1));
    json_object_set_new(o, "source_fragment",
                        json_string(source_fragment(b, n)));
    return o;
}

static int
parser_op(const char *op)
{
    return !strcmp(op, "extract") || !strcmp(op, "extract_VL") ||
           !strcmp(op, "set") || !strcmp(op, "verify") ||
           !strcmp(op, "advance") || !strcmp(op, "primitive") ||
           !strcmp(op, "shift");
}

void
bm_prim(struct bm *b, struct node *at, const char *op, json_t *params)
{
    json_t *p = json_object();
    if (b->in_parser && !strcmp(op, "assign"))
        op = "set";
    json_object_set_new(p, "op", json_string(op));
    /* p4c wraps expression operands of primitives once more:
     * {"type":"expression","value":{"type":"expression","value":{op...}}} */
    if (strcmp(op, "verify")) {
        for (size_t i = 0; i < json_array_size(params); i++) {
            json_t *x = json_array_get(params, i);
            const char *ty = json_string_value(json_object_get(x, "type"));
            if (ty &&
                (!strcmp(ty, "expression") || !strcmp(ty, "stack_field")) &&
                strcmp(op, "extract_VL") && strcmp(op, "log_msg")) {
                json_t *w = bm_typed("expression", json_incref(x));
                json_array_set_new(params, i, w);
            }
        }
    }
    json_object_set_new(p, "parameters", params);
    if (b->in_parser && !parser_op(op)) {
        json_t *w = json_object();
        json_object_set_new(w, "op", json_string("primitive"));
        json_object_set_new(w, "parameters", json_pack("[o]", p));
        p = w;
    } else if (at) {
        json_object_set_new(p, "source_info", bm_source_info(b, at));
    }
    json_array_append_new(b->cur_ops, p);
}

static const char *
algo_name(struct node *e)
{
    if (e && e->kind == N_MEMBER)
        return e->name;
    return "crc32";
}

/* Registers a calculation {algo, input} and returns its name. */
static const char *
add_calc(struct bm *b, struct node *algo, struct node *data, int payload)
{
    const char *name = bm_unique(b, "calc");
    json_t *c = json_object();
    json_object_set_new(c, "name", json_string(name));
    json_object_set_new(c, "id", json_integer(b->next_calc++));
    json_object_set_new(c, "algo", json_string(algo_name(algo)));
    json_t *in = json_array();
    bm_flatten(b, data, in);
    if (payload)
        json_array_append_new(in, bm_typed("payload", json_null()));
    json_object_set_new(c, "input", in);
    json_array_append_new(b->calculations, c);
    return name;
}

const char *
bm_calc(struct bm *b, struct node *algo, struct node *data, int payload)
{
    return add_calc(b, algo, data, payload);
}

/* bm_flatten(); temps: expressions other than fields and constants are
 * computed into temporaries (calculations and field lists take only those;
 * log_msg takes any expression). */
static void
flatten(struct bm *b, struct node *e, json_t *out, int temps)
{
    if (!e)
        return;
    if (e->kind == N_LIST) {
        for (int i = 0; i < e->list.n; i++)
            flatten(b, e->list.v[i], out, temps);
        return;
    }
    if (e->kind == N_STRUCT_INIT) {
        for (int i = 0; i < e->list.n; i++)
            flatten(b, e->list.v[i]->a, out, temps);
        return;
    }
    struct binding *r =
        (e->kind == N_NAME || e->kind == N_MEMBER || e->kind == N_INDEX)
            ? bm_ref(b, e)
            : NULL;
    if (r && r->kind == B_HEADER) {
        struct node *t = r->type;
        for (int i = 0; t && i < t->list.n; i++)
            json_array_append_new(
                out, bm_typed("field",
                              json_pack("[ss]", r->hname, t->list.v[i]->name)));
        return;
    }
    if (r && r->kind == B_STRUCT) {
        for (int i = 0; i < r->order.n; i++) {
            struct binding *m = hmap_get(&r->members, r->order.v[i]->name);
            if (m && m->kind == B_FIELD)
                json_array_append_new(out, bm_field_json(m));
            else if (m && m->kind == B_HEADER)
                for (int j = 0; m->type && j < m->type->list.n; j++)
                    json_array_append_new(
                        out,
                        bm_typed("field", json_pack("[ss]", m->hname,
                                                    m->type->list.v[j]->name)));
        }
        return;
    }
    if (r && r->kind == B_FIELD) {
        json_array_append_new(out, bm_field_json(r));
        return;
    }
    if (temps && e->kind == N_BINOP && !strcmp(e->op, "++")) {
        /* a ++ b is a's bits then b's: two inputs */
        flatten(b, e->a, out, temps);
        flatten(b, e->b, out, temps);
        return;
    }
    json_t *j = bm_data_expr(b, e);
    const char *ty = json_string_value(json_object_get(j, "type"));
    int w = check_width(e->type);
    if (ty && !strcmp(ty, "hexstr")) {
        /* a constant: p4c gives it its width with "bitwidth" */
        json_object_set_new(j, "bitwidth", json_integer(w ? w : 32));
    } else if (temps && ty && !strcmp(ty, "expression") && b->cur_ops &&
               w > 0) {
        /* BMv2 lists take fields and constants: the value of any other
         * expression goes through a temporary set just before */
        struct binding *tmp = bm_bind(b, e->type, bm_unique(b, "tmp"), 0);
        if (tmp->kind == B_FIELD) {
            bm_prim(b, e, "assign", json_pack("[oo]", bm_field_json(tmp), j));
            j = bm_field_json(tmp);
        }
    }
    json_array_append_new(out, j);
}

void
bm_flatten(struct bm *b, struct node *e, json_t *out)
{
    flatten(b, e, out, 1);
}

/* The learn list / field list of a digest or clone3 data argument. */
static int
add_field_list(struct bm *b, struct node *data, json_t *list_array,
               const char *name)
{
    int id = ++b->next_field_list;
    json_t *l = json_object();
    json_object_set_new(l, "id", json_integer(id));
    json_object_set_new(l, "name", json_string(name));
    json_t *el = json_array();
    bm_flatten(b, data, el);
    json_object_set_new(l, "elements", el);
    json_array_append_new(list_array, l);
    return id;
}

static const char *
instance_name(struct bm *b, struct node *inst)
{
    (void)b;
    return inst->aux ? ((struct binding *)inst->aux)->hname : inst->name;
}

struct node *
bm_arg(struct node *call, int i)
{
    /* named arguments (verify_checksum(condition = ..., ...)) by the
     * callee's parameter names */
    struct node *d = call->decl ? call->decl : call->a->decl;
    if (d && i < d->params.n)
        for (int j = 0; j < call->args.n; j++) {
            struct node *a = call->args.v[j];
            if (a->kind == N_NAMED && !strcmp(a->name, d->params.v[i]->name))
                return a->a;
        }
    if (i >= call->args.n)
        return NULL;
    struct node *a = call->args.v[i];
    return a->kind == N_NAMED ? NULL : a;
}

/* Extern method calls on instances: counters, meters, registers... */
void
bm_extern_method(struct bm *b, struct node *s, struct node *call,
                 struct node *inst, const char *ext, const char *m)
{
    const char *iname = instance_name(b, inst);
    if (!strcmp(ext, "counter") && !strcmp(m, "count")) {
        bm_prim(b, s, "count",
                json_pack("[oo]", bm_typed("counter_array", json_string(iname)),
                          bm_data_expr(b, bm_arg(call, 0))));
    } else if (!strcmp(ext, "direct_counter") && !strcmp(m, "count")) {
        /* counted by the table itself */
    } else if (!strcmp(ext, "meter") && !strcmp(m, "execute_meter")) {
        struct binding *dst = bm_ref(b, bm_arg(call, 1));
        if (!dst || dst->kind != B_FIELD) {
            cc_error(b->c, call->loc, "the meter result must be a field");
            return;
        }
        bm_prim(b, s, "execute_meter",
                json_pack("[ooo]", bm_typed("meter_array", json_string(iname)),
                          bm_data_expr(b, bm_arg(call, 0)),
                          bm_field_json(dst)));
    } else if (!strcmp(ext, "direct_meter") && !strcmp(m, "read")) {
        struct binding *dst = bm_ref(b, bm_arg(call, 0));
        json_t *arr = hmap_get(&b->meter_json, iname);
        if (dst && dst->kind == B_FIELD && arr)
            json_object_set_new(arr, "result_target",
                                json_pack("[ss]", dst->hname, dst->field));
    } else if (!strcmp(ext, "register") && !strcmp(m, "read")) {
        struct binding *dst = bm_ref(b, bm_arg(call, 0));
        if (!dst || dst->kind != B_FIELD) {
            cc_error(b->c, call->loc,
                     "the register read result must be a field");
            return;
        }
        bm_prim(b, s, "register_read",
                json_pack("[ooo]", bm_field_json(dst),
                          bm_typed("register_array", json_string(iname)),
                          bm_data_expr(b, bm_arg(call, 1))));
    } else if (!strcmp(ext, "register") && !strcmp(m, "write")) {
        bm_prim(b, s, "register_write",
                json_pack("[ooo]",
                          bm_typed("register_array", json_string(iname)),
                          bm_data_expr(b, bm_arg(call, 0)),
                          bm_data_expr(b, bm_arg(call, 1))));
    } else if (bm_user_extern(inst->type)) {
        /* a method of the program's own extern: p4c's primitive
         * "_<type>_<method>" on the instance, for the target to provide */
        json_t *params =
            json_pack("[o]", bm_typed("extern", json_string(iname)));
        for (int i = 0; i < call->args.n; i++)
            json_array_append_new(params, bm_data_expr(b, bm_arg(call, i)));
        bm_prim(b, s, arena_printf(b->A, "_%s_%s", ext, m), params);
    } else {
        cc_error(b->c, call->loc,
                 "%s.%s() is not supported by the BMv2 back "
                 "end yet",
                 ext, m);
    }
}

void
bm_packet_method(struct bm *b, struct node *s, struct node *call, const char *m)
{
    if (!strcmp(m, "extract")) {
        struct binding *h = bm_ref(b, bm_arg(call, 0));
        if (!h || h->kind != B_HEADER || h->dyn_index) {
            cc_error(b->c, call->loc, "extract needs a header (or stack.next)");
            return;
        }
        json_t *p;
        if (h->index == -4)
            p = bm_typed("union_stack", json_pack("[ss]", h->hname, h->field));
        else if (h->index == -1)
            p = bm_typed("stack", json_string(h->hname));
        else
            p = bm_typed("regular", json_string(h->hname));
        if (call->args.n == 2)
            bm_prim(b, s, "extract_VL",
                    json_pack("[oo]", p,
                              bm_typed("expression",
                                       bm_data_expr(b, bm_arg(call, 1)))));
        else
            bm_prim(b, s, "extract", json_pack("[o]", p));
    } else if (!strcmp(m, "advance")) {
        bm_prim(b, s, "advance",
                json_pack("[o]", bm_data_expr(b, bm_arg(call, 0))));
    } else if (!strcmp(m, "lookahead")) {
        /* a lookahead whose value is dropped */
    } else {
        cc_error(b->c, call->loc, "packet method %s() is not supported here",
                 m);
    }
}

/* Calls of extern functions (v1model) */
void
bm_extern_function(struct bm *b, struct node *s, struct node *call,
                   const char *f)
{
    if (!strcmp(f, "mark_to_drop")) {
        bm_prim(b, s, "mark_to_drop",
                json_pack("[o]", bm_typed("header",
                                          json_string("standard_metadata"))));
    } else if (!strcmp(f, "hash")) {
        struct binding *dst = bm_ref(b, bm_arg(call, 0));
        if (!dst || dst->kind != B_FIELD) {
            cc_error(b->c, call->loc, "the hash result must be a field");
            return;
        }
        const char *calc = add_calc(b, bm_arg(call, 1), bm_arg(call, 3), 0);
        bm_prim(b, s, "modify_field_with_hash_based_offset",
                json_pack("[oooo]", bm_field_json(dst),
                          bm_data_expr(b, bm_arg(call, 2)),
                          bm_typed("calculation", json_string(calc)),
                          bm_data_expr(b, bm_arg(call, 4))));
    } else if (!strcmp(f, "random")) {
        struct binding *dst = bm_ref(b, bm_arg(call, 0));
        if (!dst || dst->kind != B_FIELD) {
            cc_error(b->c, call->loc, "the random result must be a field");
            return;
        }
        bm_prim(b, s, "modify_field_rng_uniform",
                json_pack("[ooo]", bm_field_json(dst),
                          bm_data_expr(b, bm_arg(call, 1)),
                          bm_data_expr(b, bm_arg(call, 2))));
    } else if (!strcmp(f, "digest")) {
        struct node *data = bm_arg(call, 1);
        const char *name = "digest";
        if (call->targs.n && call->targs.v[0]->name)
            name = call->targs.v[0]->name;
        else if (data && data->type && data->type->name)
            name = data->type->name;
        int id = add_field_list(b, data, b->learn_lists, name);
        struct p4i_obj o = {name, data ? data->type : NULL,
                            p4info_id(0x17, name), NULL};
        int dup = 0;
        for (size_t i = 0; i < b->p4_digests.n; i++)
            if (!strcmp(b->p4_digests.v[i].name, name))
                dup = 1;
        if (!dup)
            VEC_PUSH(&b->p4_digests, o);
        bm_prim(b, s, "generate_digest",
                json_pack("[oo]", bm_data_expr(b, bm_arg(call, 0)),
                          bm_hexstr((unsigned)id)));
    } else if (!strcmp(f, "clone") || !strcmp(f, "clone3") ||
               !strcmp(f, "clone_preserving_field_list")) {
        struct node *type = bm_arg(call, 0);
        int e2e = type && type->kind == N_MEMBER && !strcmp(type->name, "E2E");
        json_t *fl;
        if (!strcmp(f, "clone3"))
            fl = bm_hexstr((unsigned)add_field_list(b, bm_arg(call, 2),
                                                    b->field_lists, "fl"));
        else if (!strcmp(f, "clone"))
            fl = bm_hexstr(0);
        else
            fl = bm_data_expr(b, bm_arg(call, 2));
        bm_prim(b, s,
                e2e ? "clone_egress_pkt_to_egress"
                    : "clone_ingress_pkt_to_egress",
                json_pack("[oo]", bm_data_expr(b, bm_arg(call, 1)), fl));
    } else if (!strcmp(f, "resubmit") || !strcmp(f, "recirculate")) {
        int id = call->args.n
                     ? add_field_list(b, bm_arg(call, 0), b->field_lists, "fl")
                     : 0;
        bm_prim(b, s, f, json_pack("[o]", bm_hexstr((unsigned)id)));
    } else if (!strcmp(f, "resubmit_preserving_field_list") ||
               !strcmp(f, "recirculate_preserving_field_list")) {
        bm_prim(b, s, f[0] == 'r' && f[2] == 's' ? "resubmit" : "recirculate",
                json_pack("[o]", bm_data_expr(b, bm_arg(call, 0))));
    } else if (!strcmp(f, "truncate")) {
        bm_prim(b, s, "truncate",
                json_pack("[o]", bm_data_expr(b, bm_arg(call, 0))));
    } else if (!strcmp(f, "assert") || !strcmp(f, "assume")) {
        bm_prim(b, s, f, json_pack("[o]", bm_bool_expr(b, bm_arg(call, 0))));
    } else if (!strcmp(f, "log_msg")) {
        struct node *msg = bm_arg(call, 0);
        json_t *vals = json_array();
        if (call->args.n > 1)
            flatten(b, bm_arg(call, 1), vals, 0);
        bm_prim(
            b, s, "log_msg",
            json_pack("[oo]",
                      bm_typed("string",
                               json_string(msg && msg->name ? msg->name : "")),
                      bm_typed("parameters_vector", vals)));
    } else if (!strcmp(f, "verify")) {
        bm_prim(b, s, "verify",
                json_pack("[oo]", bm_bool_expr(b, bm_arg(call, 0)),
                          bm_data_expr(b, bm_arg(call, 1))));
    } else if (!strcmp(f, "static_assert")) {
    } else if (!strcmp(f, "verify_checksum") || !strcmp(f, "update_checksum") ||
               !strcmp(f, "verify_checksum_with_payload") ||
               !strcmp(f, "update_checksum_with_payload")) {
        cc_error(b->c, call->loc,
                 "%s() is only supported in the checksum "
                 "controls of V1Switch",
                 f);
    } else {
        cc_error(b->c, call->loc,
                 "extern %s() is not supported by the BMv2 "
                 "back end yet",
                 f);
    }
}