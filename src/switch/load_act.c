/* load_act.c - the loader's second part (see load.c): stateful arrays, field
 * and learn lists, calculations and checksums, actions and their primitives,
 * the parser and the deparser. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/util.h"
#include "switch/load_int.h"
#include "switch/sw_int.h"

/* ---- stateful objects, lists, calculations --------------------------------
 */

static void
obj_info_init(struct ld *ld, struct sw_object_info *oi, json_t *o,
              enum sw_object_kind kind, const char *kname, int idx)
{
    const char *name = ld_jstr(ld, o, "name");
    oi->name = xstrdup(name ? name : "?");
    oi->id = (uint32_t)ld_jint(ld, o, "id", idx, 0);
    oi->kind = kind;
    if (name)
        ld_name_put(ld->p, kname, name, idx);
}

void
ld_arrays(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *a = ld_jarr(ld, root, "counter_arrays", 0);
    size_t n = a ? json_array_size(a) : 0;
    p->counters = xcalloc(n + 1, sizeof *p->counters);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "counter_arrays[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct counter_arr *c = &p->counters[i];
        obj_info_init(ld, &c->info, o, SW_OBJ_COUNTER, "counter", (int)i);
        c->direct_table = -1;
        c->info.size = (size_t)ld_jint(ld, o, "size", 0, 0);
        if (ld_jint(ld, o, "is_direct", 0, 0)) {
            const char *t = json_string_value(ld_jget(o, "binding"));
            c->info.direct_table = xstrdup(t ? t : "?");
            c->info.size = 0;
        } else {
            c->bytes = xcalloc(c->info.size + 1, sizeof(uint64_t));
            c->pkts = xcalloc(c->info.size + 1, sizeof(uint64_t));
        }
        p->n_counters++;
        ld_pop(ld);
    }
    a = ld_jarr(ld, root, "meter_arrays", 0);
    n = a ? json_array_size(a) : 0;
    p->meters = xcalloc(n + 1, sizeof *p->meters);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "meter_arrays[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct meter_arr *m = &p->meters[i];
        obj_info_init(ld, &m->info, o, SW_OBJ_METER, "meter", (int)i);
        m->direct_table = -1;
        m->result_field = -1;
        m->info.size = (size_t)ld_jint(ld, o, "size", 0, 0);
        m->info.rate_count = (unsigned)ld_jint(ld, o, "rate_count", 2, 0);
        const char *ty = json_string_value(ld_jget(o, "type"));
        m->info.is_bytes = ty && !strcmp(ty, "bytes");
        if (ld_jint(ld, o, "is_direct", 0, 0)) {
            const char *t = json_string_value(ld_jget(o, "binding"));
            m->info.direct_table = xstrdup(t ? t : "?");
            json_t *rt = ld_jget(o, "result_target");
            if (rt && !json_is_null(rt))
                m->result_field = ld_field_ref(ld, rt);
            m->info.size = 0;
        } else {
            m->cells = xcalloc(m->info.size + 1, sizeof *m->cells);
        }
        p->n_meters++;
        ld_pop(ld);
    }
    a = ld_jarr(ld, root, "register_arrays", 0);
    n = a ? json_array_size(a) : 0;
    p->registers = xcalloc(n + 1, sizeof *p->registers);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "register_arrays[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct register_arr *r = &p->registers[i];
        obj_info_init(ld, &r->info, o, SW_OBJ_REGISTER, "register", (int)i);
        r->info.size = (size_t)ld_jint(ld, o, "size", 0, 1);
        r->info.bitwidth = (unsigned)ld_jint(ld, o, "bitwidth", 0, 1);
        if (r->info.bitwidth > MAX_FIELD_BITS)
            ld_err(ld, "register width %u not supported", r->info.bitwidth);
        r->cw = VAL_WORDS(r->info.bitwidth);
        r->cells = xcalloc((r->info.size + 1) * r->cw, sizeof *r->cells);
        p->n_registers++;
        ld_pop(ld);
    }
    a = ld_jarr(ld, root, "parse_vsets", 0);
    n = a ? json_array_size(a) : 0;
    p->pvss = xcalloc(n + 1, sizeof *p->pvss);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "parse_vsets[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct pvs *v = &p->pvss[i];
        obj_info_init(ld, &v->info, o, SW_OBJ_PVS, "pvs", (int)i);
        v->info.bitwidth =
            (unsigned)ld_jint(ld, o, "compressed_bitwidth", 0, 0);
        v->info.size = (size_t)ld_jint(ld, o, "max_size", 0, 0);
        v->bytes = (int)(v->info.bitwidth + 7) / 8;
        p->n_pvs++;
        ld_pop(ld);
    }
    a = ld_jarr(ld, root, "field_lists", 0);
    n = a ? json_array_size(a) : 0;
    p->flists = xcalloc(n + 1, sizeof *p->flists);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "field_lists[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct field_list *fl = &p->flists[i];
        const char *nm = ld_jstr(ld, o, "name");
        fl->name = xstrdup(nm ? nm : "?");
        fl->id = (int)ld_jint(ld, o, "id", (long long)i, 0);
        json_t *els = ld_jarr(ld, o, "elements", 1);
        size_t ne = els ? json_array_size(els) : 0;
        fl->fields = xcalloc(ne + 1, sizeof(int));
        for (size_t k = 0; k < ne && !ld->failed; k++) {
            json_t *el = json_array_get(els, k);
            const char *ty = json_string_value(ld_jget(el, "type"));
            if (ty && !strcmp(ty, "field")) {
                int f = ld_field_ref(ld, ld_jget(el, "value"));
                if (f >= 0)
                    fl->fields[fl->n++] = f;
            }
        }
        ld_name_put(p, "flist", fl->name, (int)i);
        p->n_flists++;
        ld_pop(ld);
    }
    a = ld_jarr(ld, root, "learn_lists", 0);
    n = a ? json_array_size(a) : 0;
    p->learns = xcalloc(n + 1, sizeof *p->learns);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "learn_lists[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct learn_list *l = &p->learns[i];
        obj_info_init(ld, &l->info, o, SW_OBJ_LEARN, "learn", (int)i);
        json_t *els = ld_jarr(ld, o, "elements", 1);
        size_t ne = els ? json_array_size(els) : 0;
        l->fields = xcalloc(ne + 1, sizeof(int));
        size_t bytes = 0;
        for (size_t k = 0; k < ne && !ld->failed; k++) {
            int f = ld_field_ref(ld, ld_jget(json_array_get(els, k), "value"));
            if (f >= 0) {
                l->fields[l->n++] = f;
                bytes += (p->fields[f].width + 7u) / 8u;
            }
        }
        if (bytes > SW_MAX_DIGEST_BYTES)
            ld_err(ld,
                   "a digest of %zu bytes is more than this switch "
                   "carries (%d)",
                   bytes, SW_MAX_DIGEST_BYTES);
        p->n_learns++;
        ld_pop(ld);
    }
}

static const struct {
    const char *name;
    enum algo algo;
} algos[] = {
    {"crc16", A_CRC16},
    {"crc32", A_CRC32},
    {"crc16_custom", A_CRC16_CUSTOM},
    {"crc32_custom", A_CRC32_CUSTOM},
    {"csum16", A_CSUM16},
    {"xor16", A_XOR16},
    {"identity", A_IDENTITY},
    {"random", A_RANDOM},
    {"crc8", A_CRC8},
    {"crc64", A_CRC64},
    {"crcCCITT", A_CRCCCITT},
    {"cksum16", A_CSUM16},
    {"ones_complement_sum16", A_CSUM16},
};

int
ld_algo(const char *name, enum algo *out)
{
    for (size_t k = 0; k < ARRAY_SIZE(algos); k++)
        if (name && !strcmp(algos[k].name, name)) {
            *out = algos[k].algo;
            return 0;
        }
    return -1;
}

void
ld_calcs(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *a = ld_jarr(ld, root, "calculations", 0);
    size_t n = a ? json_array_size(a) : 0;
    p->calcs = xcalloc(n + 1, sizeof *p->calcs);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "calculations[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct calc *c = &p->calcs[i];
        const char *nm = ld_jstr(ld, o, "name");
        const char *al = ld_jstr(ld, o, "algo");
        c->name = xstrdup(nm ? nm : "?");
        if (nm)
            ld_name_put(p, "calc", nm, (int)i);
        p->n_calcs++;
        if (!al) {
            ld_pop(ld);
            break;
        }
        size_t k;
        for (k = 0; k < ARRAY_SIZE(algos); k++)
            if (!strcmp(algos[k].name, al))
                break;
        if (k == ARRAY_SIZE(algos)) {
            ld_err(ld, "unknown hash algorithm '%s'", al);
            ld_pop(ld);
            break;
        }
        c->algo = algos[k].algo;
        json_t *in = ld_jarr(ld, o, "input", 1);
        size_t ni = in ? json_array_size(in) : 0;
        c->in = xcalloc(ni + 1, sizeof *c->in);
        for (size_t j = 0; j < ni && !ld->failed; j++) {
            ld_push(ld, ".input[%zu]", j);
            json_t *el = json_array_get(in, j);
            const char *ty = json_string_value(ld_jget(el, "type"));
            struct calc_in *ci = &c->in[c->n_in];
            if (ty && !strcmp(ty, "field")) {
                ci->kind = 0;
                ci->id = ld_field_ref(ld, ld_jget(el, "value"));
                c->n_in++;
            } else if (ty && !strcmp(ty, "hexstr")) {
                ci->kind = 1;
                const char *sv = json_string_value(ld_jget(el, "value"));
                if (!sv || val_parse(&ci->v, sv))
                    ld_err(ld, "bad hexstr");
                ci->bits = (int)ld_jint(ld, el, "bitwidth", 0, 0);
                if (!ci->bits && sv) {
                    size_t hl = strlen(sv);
                    ci->bits = (int)(hl > 2 ? (hl - 2) * 4 : 8);
                }
                c->n_in++;
            } else if (ty && !strcmp(ty, "payload")) {
                ci->kind = 2;
                c->has_payload = 1;
                c->n_in++;
            } else if (ty && !strcmp(ty, "header")) {
                const char *hn = json_string_value(ld_jget(el, "value"));
                ci->kind = 3;
                ci->id = hn ? ld_name_get(p, "header", hn) : -1;
                if (ci->id < 0)
                    ld_err(ld, "unknown header '%s'", hn ? hn : "?");
                c->n_in++;
            } else {
                ld_err(ld, "unsupported calculation input type '%s'",
                       ty ? ty : "?");
            }
            ld_pop(ld);
        }
        ld_pop(ld);
    }
}

void
ld_checksums(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *a = ld_jarr(ld, root, "checksums", 0);
    size_t n = a ? json_array_size(a) : 0;
    p->cksums = xcalloc(n + 1, sizeof *p->cksums);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "checksums[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct checksum *c = &p->cksums[p->n_cksums];
        const char *nm = ld_jstr(ld, o, "name");
        c->name = xstrdup(nm ? nm : "?");
        c->target = ld_field_ref(ld, ld_jget(o, "target"));
        const char *cn = ld_jstr(ld, o, "calculation");
        c->calc = cn ? ld_name_get(p, "calc", cn) : -1;
        if (cn && c->calc < 0)
            ld_err(ld, "unknown calculation '%s'", cn);
        c->verify = (int)ld_jint(ld, o, "verify", 1, 0);
        c->update = (int)ld_jint(ld, o, "update", 1, 0);
        json_t *cond = ld_jget(o, "if_cond");
        if (cond && !json_is_null(cond))
            c->cond = ld_compile_expr(ld, cond);
        p->n_cksums++;
        ld_pop(ld);
    }
}

/* ---- actions ------------------------------------------------------------ */

static const struct {
    const char *name;
    int op;
    int lv0; /* first argument is an lvalue */
} prim_names[] = {
    {"assign", PR_ASSIGN, 1},
    {"modify_field", PR_ASSIGN, 1},
    {"assign_VL", PR_ASSIGN_VL, 1},
    {"assign_header", PR_ASSIGN_HEADER, 1},
    {"copy_header", PR_ASSIGN_HEADER, 1},
    {"assign_union", PR_ASSIGN_UNION, 1},
    {"assign_header_stack", PR_ASSIGN_STACK, 1},
    {"assign_union_stack", PR_ASSIGN_USTACK, 1},
    {"add_header", PR_ADD_HEADER, 1},
    {"add_header_fast", PR_ADD_HEADER_FAST, 1},
    {"remove_header", PR_REMOVE_HEADER, 1},
    {"push", PR_PUSH, 1},
    {"pop", PR_POP, 1},
    {"mark_to_drop", PR_MARK_TO_DROP, 0},
    {"drop", PR_DROP, 0},
    {"exit", PR_EXIT, 0},
    {"count", PR_COUNT, 0},
    {"execute_meter", PR_EXECUTE_METER, 0},
    {"register_read", PR_REGISTER_READ, 1},
    {"register_write", PR_REGISTER_WRITE, 0},
    {"modify_field_with_hash_based_offset", PR_HASH, 1},
    {"modify_field_rng_uniform", PR_RNG, 1},
    {"clone_ingress_pkt_to_egress", PR_CLONE_I2E, 0},
    {"clone_egress_pkt_to_egress", PR_CLONE_E2E, 0},
    {"resubmit", PR_RESUBMIT, 0},
    {"recirculate", PR_RECIRCULATE, 0},
    {"truncate", PR_TRUNCATE, 0},
    {"generate_digest", PR_DIGEST, 0},
    {"log_msg", PR_LOG_MSG, 0},
    {"assert", PR_ASSERT, 0},
    {"assume", PR_ASSUME, 0},
    {"no_op", PR_NO_OP, 0},
    {"add_to_field", PR_ADD_TO_FIELD, 1},
    {"subtract_from_field", PR_SUB_FROM_FIELD, 1},
    {"add", PR_ADD, 1},
    {"subtract", PR_SUBTRACT, 1},
    {"bit_and", PR_BIT_AND, 1},
    {"bit_or", PR_BIT_OR, 1},
    {"bit_xor", PR_BIT_XOR, 1},
    {"shift_left", PR_SHIFT_LEFT, 1},
    {"shift_right", PR_SHIFT_RIGHT, 1},
    {"_jump_if_false", PR_JMP_IF_FALSE, 0},
    {"_jump", PR_JMP, 0},
    {"verify_checksum", PR_VERIFY_CKSUM, 0},
    {"update_checksum", PR_UPDATE_CKSUM, 0},
};

static void
resolve_arg(struct ld *ld, json_t *a, struct ref *r, int lvalue)
{
    struct prog *p = ld->p;
    const char *ty = json_string_value(ld_jget(a, "type"));
    json_t *v = ld_jget(a, "value");
    r->kind = R_NONE;
    if (!ty) {
        ld_err(ld, "parameter without \"type\"");
        return;
    }
    const char *sv = json_string_value(v);
    if (!strcmp(ty, "field")) {
        r->kind = R_FIELD;
        r->id = ld_field_ref(ld, v);
    } else if (!strcmp(ty, "header")) {
        r->kind = R_HEADER;
        r->id = sv ? ld_name_get(p, "header", sv) : -1;
        if (r->id < 0)
            ld_err(ld, "unknown header '%s'", sv ? sv : "?");
    } else if (!strcmp(ty, "header_stack") || !strcmp(ty, "stack")) {
        r->kind = R_STACK;
        r->id = sv ? ld_name_get(p, "stack", sv) : -1;
        if (r->id < 0)
            ld_err(ld, "unknown header stack '%s'", sv ? sv : "?");
    } else if (!strcmp(ty, "header_union_stack") ||
               !strcmp(ty, "union_stack")) {
        r->kind = R_USTACK;
        r->id = sv ? ld_name_get(p, "ustack", sv) : -1;
        if (r->id < 0)
            ld_err(ld, "unknown header union stack '%s'", sv ? sv : "?");
    } else if (!strcmp(ty, "header_union")) {
        r->kind = R_UNION;
        r->id = sv ? ld_name_get(p, "union", sv) : -1;
        if (r->id < 0)
            ld_err(ld, "unknown header union '%s'", sv ? sv : "?");
    } else if (!strcmp(ty, "calculation") || !strcmp(ty, "counter_array") ||
               !strcmp(ty, "meter_array") || !strcmp(ty, "register_array") ||
               !strcmp(ty, "field_list") || !strcmp(ty, "learn_list")) {
        const char *kind = ty[0] == 'c' && ty[1] == 'a' ? "calc"
                           : ty[0] == 'c'               ? "counter"
                           : ty[0] == 'm'               ? "meter"
                           : ty[0] == 'r'               ? "register"
                           : ty[0] == 'f'               ? "flist"
                                                        : "learn";
        r->kind = R_OBJ;
        r->id = sv ? ld_name_get(p, kind, sv) : -1;
        if (r->id < 0)
            ld_err(ld, "unknown %s '%s'", ty, sv ? sv : "?");
    } else if (!strcmp(ty, "string")) {
        r->kind = R_STRING;
        r->str = xstrdup(sv ? sv : "");
    } else if (!strcmp(ty, "parameters_vector")) {
        ld_err(ld, "a parameters_vector is log_msg's second parameter only");
    } else if (!strcmp(ty, "extern")) {
        /* only reached through primitives ld_prim knows: an extern instance
         * where a v1model primitive wants something else */
        int x = sv ? ld_name_get(p, "extern", sv) : -1;
        if (x < 0)
            ld_err(ld, "unknown extern instance '%s'", sv ? sv : "?");
        else
            ld_err(ld,
                   "extern instance '%s' (type %s) given to a primitive "
                   "that does not take one",
                   sv, p->exts[x].type);
    } else {
        /* hexstr, runtime_data, expression, bool, stack_field, local ... */
        r->kind = R_EXPR;
        r->e = ld_compile_expr(ld, a);
        if (lvalue && r->e && r->e->n > 0) {
            struct eins *last = &r->e->ins[r->e->n - 1];
            if (last->op == E_REGISTER)
                ld_err(ld, "a register cell is written with register_write, "
                           "not as a primitive's destination");
            if (last->op == E_ACCESS_FIELD) {
                last->op = E_ACCESS_FIELD_ID;
                r->kind = R_LVEXPR;
            } else if (last->op == E_STACK_DEREF || last->op == E_HDR ||
                       last->op == E_ACCESS_UNION_HDR ||
                       last->op == E_USTACK_DEREF || last->op == E_UNION) {
                r->kind = R_LVEXPR;
            }
        }
    }
}

void
ld_free_ref(struct ref *r)
{
    expr_free(r->e);
    free(r->str);
}

/* Marks "narrow field = simple source" assignments for run_action's inline
 * path (see struct prim). */
static void
set_fast(struct ld *ld, struct prim *pr)
{
    const struct prog *p = ld->p;
    const struct ref *d = &pr->args[0], *s = &pr->args[1];
    if (d->kind != R_FIELD || d->id < 0)
        return;
    const struct field *df = &p->fields[d->id];
    if (df->wide && !df->varbit && s->kind == R_EXPR && s->e && s->e->n == 1 &&
        s->e->ins[0].op == E_PARAM) {
        pr->fast = FS_WIDE_PARAM;
        pr->dslot = df->slot;
        pr->dnw = df->nw;
        pr->sidx = s->e->ins[0].a;
        pr->nsrc = s->e->ins[0].b;
        pr->dmask = df->width % 64 ? (UINT64_C(1) << (df->width % 64)) - 1
                                   : ~UINT64_C(0);
        return;
    }
    if (df->wide || df->varbit || df->width > 64)
        return;
    pr->dslot = df->slot;
    pr->dmask = df->width >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << df->width) - 1;
    if (s->kind == R_FIELD && s->id >= 0) {
        const struct field *sf = &p->fields[s->id];
        if (sf->wide || sf->varbit || sf->is_signed)
            return;
        pr->fast = FS_FIELD;
        pr->sidx = sf->slot;
    } else if (s->kind == R_EXPR && s->e && s->e->n == 1 &&
               s->e->ins[0].op == E_CONST) {
        pr->fast = FS_CONST;
        pr->sidx = s->e->ins[0].a;
    } else if (s->kind == R_EXPR && s->e && s->e->n == 1 &&
               s->e->ins[0].op == E_PARAM && s->e->ins[0].b == 1) {
        /* a parameter of up to 64 bits: one word at offset a */
        pr->fast = FS_PARAM;
        pr->sidx = s->e->ins[0].a;
    } else if (s->kind == R_EXPR && s->e && s->e->narrow) {
        pr->fast = FS_EXPR;
    }
}

/* log_msg(format, parameters_vector): args[0] the format string, then the
 * vector's values, one argument each. */
static void
load_log_msg(struct ld *ld, json_t *ps, struct prim *pr)
{
    json_t *fmt = json_array_get(ps, 0), *vec = json_array_get(ps, 1);
    json_t *vals = ld_jget(vec, "value");
    size_t nv = json_is_array(vals) ? json_array_size(vals) : 0;
    const char *ft = json_string_value(ld_jget(fmt, "type"));
    if (!ft || strcmp(ft, "string")) {
        ld_push(ld, ".parameters[0]");
        ld_err(ld, "log_msg needs a format string");
        ld_pop(ld);
        return;
    }
    pr->args = xcalloc(nv + 2, sizeof *pr->args);
    pr->n = (int)nv + 1;
    ld_push(ld, ".parameters[0]");
    resolve_arg(ld, fmt, &pr->args[0], 0);
    ld_pop(ld);
    for (size_t i = 0; i < nv && !ld->failed; i++) {
        ld_push(ld, ".parameters[1].value[%zu]", i);
        resolve_arg(ld, json_array_get(vals, i), &pr->args[i + 1], 0);
        ld_pop(ld);
    }
}

/* " (from FILE:LINE:COL: FRAGMENT)" of a primitive's p4c source_info, or
 * "" when it has none. */
static const char *
src_note(json_t *o, char *buf, size_t len)
{
    json_t *si = ld_jget(o, "source_info");
    const char *fn = json_string_value(ld_jget(si, "filename"));
    const char *fr = json_string_value(ld_jget(si, "source_fragment"));
    buf[0] = 0;
    if (fn)
        snprintf(buf, len, " (from %s:%lld:%lld: %s)", fn,
                 (long long)json_integer_value(ld_jget(si, "line")),
                 (long long)json_integer_value(ld_jget(si, "column")),
                 fr ? fr : "");
    return buf;
}

/* A primitive "_<type>_<method>" whose first parameter is an extern
 * instance (p4c --emit-externs): refused with what it is, since no extern
 * type is built in. Returns 1 if o is such a call (error set). */
static int
unknown_extern_call(struct ld *ld, json_t *o, const char *op)
{
    json_t *a0 = json_array_get(ld_jget(o, "parameters"), 0);
    const char *t = json_string_value(ld_jget(a0, "type"));
    const char *iname = json_string_value(ld_jget(a0, "value"));
    if (op[0] != '_' || !t || strcmp(t, "extern") || !iname)
        return 0;
    int x = ld_name_get(ld->p, "extern", iname);
    char note[300];
    src_note(o, note, sizeof note);
    if (x < 0) {
        ld_err(ld, "primitive '%s': unknown extern instance '%s'%s", op, iname,
               note);
        return 1;
    }
    const struct ext_inst *xi = &ld->p->exts[x];
    size_t tl = strlen(xi->type);
    const char *method =
        !strncmp(op + 1, xi->type, tl) && op[1 + tl] == '_' ? op + 2 + tl : op;
    ld_err(ld,
           "method '%s' of extern instance '%s' (type %s): extern type '%s' "
           "is not implemented (simple_switch has no extern types built in "
           "either; BMv2 refuses the program with \"Invalid reference to "
           "extern type '%s'\")%s",
           method, iname, xi->type, xi->type, xi->type, note);
    return 1;
}

void
ld_prim(struct ld *ld, json_t *o, struct prim *pr)
{
    const char *op = ld_jstr(ld, o, "op");
    if (!op)
        return;
    size_t k;
    for (k = 0; k < ARRAY_SIZE(prim_names); k++)
        if (!strcmp(prim_names[k].name, op))
            break;
    if (k == ARRAY_SIZE(prim_names)) {
        if (unknown_extern_call(ld, o, op))
            return;
        const char *cands[ARRAY_SIZE(prim_names)];
        for (size_t i = 0; i < ARRAY_SIZE(prim_names); i++)
            cands[i] = prim_names[i].name;
        const char *s = diag_suggest(op, cands, ARRAY_SIZE(prim_names));
        char note[300];
        src_note(o, note, sizeof note);
        if (s)
            ld_err(ld, "unknown primitive '%s' (did you mean '%s'?)%s", op, s,
                   note);
        else
            ld_err(ld,
                   "unknown primitive '%s' (an extern function of the "
                   "program? simple_switch implements v1model's primitives "
                   "only, as this switch does)%s",
                   op, note);
        return;
    }
    pr->op = prim_names[k].op;
    json_t *ps = ld_jget(o, "parameters");
    size_t n = json_is_array(ps) ? json_array_size(ps) : 0;
    if (pr->op == PR_LOG_MSG) {
        load_log_msg(ld, ps, pr);
        return;
    }
    pr->args = xcalloc(n + 1, sizeof *pr->args);
    pr->n = (int)n;
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, ".parameters[%zu]", i);
        int lv = (i == 0 && prim_names[k].lv0) ||
                 (i == 2 && pr->op == PR_EXECUTE_METER);
        resolve_arg(ld, json_array_get(ps, i), &pr->args[i], lv);
        ld_pop(ld);
    }
    /* arity checks for the primitives exec.c indexes blindly */
    static const struct {
        int op, min;
    } arity[] = {
        {PR_ASSIGN, 2},
        {PR_ASSIGN_VL, 2},
        {PR_ASSIGN_HEADER, 2},
        {PR_ASSIGN_UNION, 2},
        {PR_ASSIGN_STACK, 2},
        {PR_ASSIGN_USTACK, 2},
        {PR_ADD_HEADER, 1},
        {PR_REMOVE_HEADER, 1},
        {PR_ADD_HEADER_FAST, 1},
        {PR_PUSH, 2},
        {PR_POP, 2},
        {PR_COUNT, 2},
        {PR_EXECUTE_METER, 3},
        {PR_REGISTER_READ, 3},
        {PR_REGISTER_WRITE, 3},
        {PR_HASH, 4},
        {PR_RNG, 3},
        {PR_CLONE_I2E, 1},
        {PR_CLONE_E2E, 1},
        {PR_TRUNCATE, 1},
        {PR_DIGEST, 2},
        {PR_ADD_TO_FIELD, 2},
        {PR_SUB_FROM_FIELD, 2},
        {PR_ADD, 3},
        {PR_SUBTRACT, 3},
        {PR_BIT_AND, 3},
        {PR_BIT_OR, 3},
        {PR_BIT_XOR, 3},
        {PR_SHIFT_LEFT, 3},
        {PR_SHIFT_RIGHT, 3},
        {PR_JMP_IF_FALSE, 2},
        {PR_JMP, 1},
        {PR_ASSERT, 1},
        {PR_ASSUME, 1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(arity); i++)
        if (arity[i].op == pr->op && pr->n < arity[i].min)
            ld_err(ld, "primitive '%s' needs %d parameters, has %d", op,
                   arity[i].min, pr->n);
    if (!ld->failed && pr->op == PR_ASSIGN && pr->n == 2)
        set_fast(ld, pr);
    if (pr->op == PR_ASSERT || pr->op == PR_ASSUME) {
        /* the message simple_switch logs when the condition is false */
        json_t *si = ld_jget(o, "source_info");
        const char *fr = json_string_value(ld_jget(si, "source_fragment"));
        const char *fn = json_string_value(ld_jget(si, "filename"));
        if (fr && fn)
            pr->where =
                xasprintf("%s failed, file %s, line %lld", fr, fn,
                          (long long)json_integer_value(ld_jget(si, "line")));
    }
    if (!ld->failed &&
        (pr->op == PR_ADD_TO_FIELD || pr->op == PR_SUB_FROM_FIELD) &&
        pr->n == 2) {
        /* field += const: modulo the field width, as the generic path */
        set_fast(ld, pr);
        if (pr->fast == FS_CONST) {
            struct val c = ld->p->consts[pr->sidx];
            if (pr->op == PR_SUB_FROM_FIELD)
                c.w[0] = ~c.w[0] + 1; /* -c modulo 2^64: the low word is used */
            pr->fast = FS_ADD_CONST;
            pr->sidx = (uint32_t)ld_add_const(ld->p, ld, &c);
        } else {
            pr->fast = FS_NONE;
        }
    }
}

void
ld_free_prim(struct prim *pr)
{
    for (int i = 0; i < pr->n; i++)
        ld_free_ref(&pr->args[i]);
    free(pr->args);
    free(pr->where);
}

void
ld_actions(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *a = ld_jarr(ld, root, "actions", 0);
    size_t n = a ? json_array_size(a) : 0;
    p->actions = xcalloc(n + 1, sizeof *p->actions);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "actions[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct action *ac = &p->actions[i];
        const char *nm = ld_jstr(ld, o, "name");
        ac->info.name = xstrdup(nm ? nm : "?");
        ac->info.id = (uint32_t)ld_jint(ld, o, "id", (long long)i, 0);
        p->n_actions++;
        if (nm)
            ld_name_put(p, "action", nm, (int)i);
        json_t *rd = ld_jarr(ld, o, "runtime_data", 0);
        size_t np = rd ? json_array_size(rd) : 0;
        ac->params = xcalloc(np + 1, sizeof *ac->params);
        ac->info.params = ac->params;
        ac->info.n_params = np;
        for (size_t k = 0; k < np && !ld->failed; k++) {
            json_t *pj = json_array_get(rd, k);
            ld_push(ld, ".runtime_data[%zu]", k);
            const char *pn = ld_jstr(ld, pj, "name");
            ac->params[k].name = xstrdup(pn ? pn : "?");
            ac->params[k].bitwidth =
                (unsigned)ld_jint(ld, pj, "bitwidth", 0, 1);
            if (ac->params[k].bitwidth > MAX_FIELD_BITS)
                ld_err(ld, "parameter width %u not supported",
                       ac->params[k].bitwidth);
            ld_pop(ld);
        }
        ac->poff = xcalloc(np + 1, sizeof *ac->poff);
        for (size_t k = 0; k < np; k++)
            ac->poff[k + 1] = ac->poff[k] + VAL_WORDS(ac->params[k].bitwidth);
        json_t *ps = ld_jarr(ld, o, "primitives", 1);
        size_t nprim = ps ? json_array_size(ps) : 0;
        ac->prims = xcalloc(nprim + 1, sizeof *ac->prims);
        ld->cur_action = ac;
        for (size_t k = 0; k < nprim && !ld->failed; k++) {
            ld_push(ld, ".primitives[%zu]", k);
            ld_prim(ld, json_array_get(ps, k), &ac->prims[k]);
            ac->n_prims++;
            ld_pop(ld);
        }
        ld->cur_action = NULL;
        ld_pop(ld);
    }
}

/* ---- parser and deparser --------------------------------------------------
 */

void
ld_parser(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *ps = ld_jarr(ld, root, "parsers", 0);
    p->parser.init = -1;
    p->n_parsers = ps ? (int)json_array_size(ps) : 0;
    if (!p->n_parsers)
        return;
    ld_push(ld, "parsers[0]");
    json_t *pj = json_array_get(ps, 0);
    const char *nm = ld_jstr(ld, pj, "name");
    p->parser.name = xstrdup(nm ? nm : "parser");
    json_t *sts = ld_jarr(ld, pj, "parse_states", 1);
    size_t ns = sts ? json_array_size(sts) : 0;
    p->parser.states = xcalloc(ns + 1, sizeof *p->parser.states);
    for (size_t i = 0; i < ns && !ld->failed; i++) {
        const char *sn =
            json_string_value(ld_jget(json_array_get(sts, i), "name"));
        if (sn)
            ld_name_put(p, "pstate", sn, (int)i);
    }
    const char *init = ld_jstr(ld, pj, "init_state");
    if (init) {
        p->parser.init = ld_name_get(p, "pstate", init);
        if (p->parser.init < 0)
            ld_err(ld, "unknown init_state '%s'", init);
    }
    for (size_t i = 0; i < ns && !ld->failed; i++) {
        ld_push(ld, ".parse_states[%zu]", i);
        json_t *sj = json_array_get(sts, i);
        struct pstate *st = &p->parser.states[i];
        p->parser.n_states++;
        const char *sn = ld_jstr(ld, sj, "name");
        st->name = xstrdup(sn ? sn : "?");
        json_t *ops = ld_jarr(ld, sj, "parser_ops", 1);
        size_t nops = ops ? json_array_size(ops) : 0;
        st->ops = xcalloc(nops + 1, sizeof *st->ops);
        for (size_t k = 0; k < nops && !ld->failed; k++) {
            ld_push(ld, ".parser_ops[%zu]", k);
            json_t *oj = json_array_get(ops, k);
            struct pop *op = &st->ops[st->n_ops++];
            const char *on = ld_jstr(ld, oj, "op");
            json_t *pa = ld_jget(oj, "parameters");
            json_t *a0 = json_array_get(pa, 0), *a1 = json_array_get(pa, 1);
            if (!on) {
                ld_pop(ld);
                break;
            }
            if (!strcmp(on, "extract") || !strcmp(on, "extract_VL")) {
                op->kind = on[7] ? P_EXTRACT_VL : P_EXTRACT;
                const char *ty = json_string_value(ld_jget(a0, "type"));
                json_t *v = ld_jget(a0, "value");
                if (ty && !strcmp(ty, "regular")) {
                    op->dst.kind = R_HEADER;
                    op->dst.id = ld_name_get(
                        p, "header",
                        json_string_value(v) ? json_string_value(v) : "");
                    if (op->dst.id < 0)
                        ld_err(ld, "unknown header '%s'",
                               json_string_value(v) ? json_string_value(v)
                                                    : "?");
                } else if (ty && !strcmp(ty, "stack")) {
                    op->dst.kind = R_STACK;
                    op->dst.id = ld_name_get(
                        p, "stack",
                        json_string_value(v) ? json_string_value(v) : "");
                    if (op->dst.id < 0)
                        ld_err(ld, "unknown header stack");
                } else if (ty && !strcmp(ty, "union_stack")) {
                    /* [union stack, header name inside the union] */
                    const char *us = json_string_value(json_array_get(v, 0));
                    const char *hn = json_string_value(json_array_get(v, 1));
                    op->dst.kind = R_USTACK;
                    op->dst.id = us ? ld_name_get(p, "ustack", us) : -1;
                    op->dst.str = xstrdup(hn ? hn : "");
                    if (op->dst.id < 0) {
                        ld_err(ld, "unknown header union stack");
                    } else {
                        /* position of hn in the union type */
                        const struct hunion *u0 =
                            &p->unions[p->stacks[op->dst.id].hdrs[0]];
                        int pos = -1;
                        for (int q = 0; q < u0->n; q++)
                            if (!strcmp(u0->members[q], op->dst.str))
                                pos = q;
                        if (pos < 0)
                            ld_err(ld, "unknown union member '%s'",
                                   op->dst.str);
                        op->src2.kind = R_CONST;
                        op->src2.id = pos;
                    }
                } else {
                    ld_err(ld, "unsupported extract target type '%s'",
                           ty ? ty : "?");
                }
                if (op->kind == P_EXTRACT_VL) {
                    op->src.kind = R_EXPR;
                    op->src.e = ld_compile_expr(ld, a1);
                }
            } else if (!strcmp(on, "set")) {
                op->kind = P_SET;
                resolve_arg(ld, a0, &op->dst, 1);
                const char *ty = json_string_value(ld_jget(a1, "type"));
                if (ty && !strcmp(ty, "lookahead")) {
                    json_t *v = ld_jget(a1, "value");
                    op->src.kind =
                        R_CONST; /* lookahead: id = offset, via str? */
                    op->src.id = (int)json_integer_value(json_array_get(v, 0));
                    op->src2.kind = R_CONST;
                    op->src2.id = (int)json_integer_value(json_array_get(v, 1));
                } else {
                    resolve_arg(ld, a1, &op->src, 0);
                }
            } else if (!strcmp(on, "verify")) {
                op->kind = P_VERIFY;
                resolve_arg(ld, a0, &op->src, 0);
                resolve_arg(ld, a1, &op->src2, 0);
            } else if (!strcmp(on, "advance") || !strcmp(on, "shift")) {
                op->kind = P_ADVANCE;
                resolve_arg(ld, a0, &op->src, 0);
                if (!strcmp(on, "shift") && op->src.kind == R_EXPR) {
                    /* shift counts bytes */
                    op->src2.kind = R_CONST;
                    op->src2.id = 8;
                }
            } else if (!strcmp(on, "primitive")) {
                op->kind = P_PRIM;
                ld_push(ld, ".parameters[0]");
                ld_prim(ld, a0, &op->prim);
                ld_pop(ld);
            } else {
                ld_err(ld, "unsupported parser op '%s'", on);
            }
            ld_pop(ld);
        }
        /* transition key */
        json_t *tk = ld_jarr(ld, sj, "transition_key", 0);
        size_t nk = tk ? json_array_size(tk) : 0;
        st->keys = xcalloc(nk + 1, sizeof *st->keys);
        for (size_t k = 0; k < nk && !ld->failed; k++) {
            ld_push(ld, ".transition_key[%zu]", k);
            json_t *kj = json_array_get(tk, k);
            struct tkey *key = &st->keys[st->n_keys++];
            const char *ty = json_string_value(ld_jget(kj, "type"));
            json_t *v = ld_jget(kj, "value");
            if (ty && !strcmp(ty, "field")) {
                key->kind = K_FIELD;
                key->a = ld_field_ref(ld, v);
                if (key->a >= 0)
                    key->bits = p->fields[key->a].width;
            } else if (ty && !strcmp(ty, "lookahead")) {
                key->kind = K_LOOKAHEAD;
                key->offset = (int)json_integer_value(json_array_get(v, 0));
                key->bits = (int)json_integer_value(json_array_get(v, 1));
                if (key->bits <= 0 || key->bits > MAX_FIELD_BITS)
                    ld_err(ld, "lookahead width %d not supported", key->bits);
            } else if (ty && (!strcmp(ty, "stack_field") ||
                              !strcmp(ty, "union_stack_field"))) {
                int is_u = ty[0] == 'u';
                const char *stn = json_string_value(json_array_get(v, 0));
                int s =
                    stn ? ld_name_get(p, is_u ? "ustack" : "stack", stn) : -1;
                if (s < 0) {
                    ld_err(ld, "unknown stack '%s'", stn ? stn : "?");
                } else {
                    int h0;
                    const char *fn;
                    key->kind = is_u ? K_USTACK_FIELD : K_STACK_FIELD;
                    key->a = s;
                    if (is_u) {
                        const struct hunion *u0 =
                            &p->unions[p->stacks[s].hdrs[0]];
                        const char *hn =
                            json_string_value(json_array_get(v, 1));
                        fn = json_string_value(json_array_get(v, 2));
                        key->b = -1;
                        for (int q = 0; q < u0->n; q++)
                            if (hn && !strcmp(u0->members[q], hn))
                                key->b = q;
                        if (key->b < 0) {
                            ld_err(ld, "unknown union member '%s'",
                                   hn ? hn : "?");
                            ld_pop(ld);
                            break;
                        }
                        h0 = u0->hdrs[key->b];
                    } else {
                        h0 = p->stacks[s].hdrs[0];
                        fn = json_string_value(json_array_get(v, 1));
                    }
                    key->c = -1;
                    for (int q = 0; q < p->hdrs[h0].n_fields; q++) {
                        const char *dot = strrchr(
                            p->fields[p->hdrs[h0].first_field + q].name, '.');
                        if (fn && dot && !strcmp(dot + 1, fn))
                            key->c = q;
                    }
                    if (key->c < 0)
                        ld_err(ld, "unknown field '%s'", fn ? fn : "?");
                    else
                        key->bits =
                            p->fields[p->hdrs[h0].first_field + key->c].width;
                }
            } else {
                ld_err(ld, "unsupported transition key type '%s'",
                       ty ? ty : "?");
            }
            st->key_bytes += (key->bits + 7) / 8;
            if (st->key_bytes > VAL_W * 8 * 4)
                ld_err(ld,
                       "a transition key of %d bytes is not supported (max %d)",
                       st->key_bytes, VAL_W * 8 * 4);
            ld_pop(ld);
        }
        /* transitions */
        json_t *trs = ld_jarr(ld, sj, "transitions", 1);
        size_t nt = trs ? json_array_size(trs) : 0;
        st->trans = xcalloc(nt + 1, sizeof *st->trans);
        for (size_t k = 0; k < nt && !ld->failed; k++) {
            ld_push(ld, ".transitions[%zu]", k);
            json_t *tj = json_array_get(trs, k);
            struct transition *tr = &st->trans[st->n_trans++];
            const char *ty = json_string_value(ld_jget(tj, "type"));
            json_t *v = ld_jget(tj, "value");
            json_t *m = ld_jget(tj, "mask");
            const char *next = json_string_value(ld_jget(tj, "next_state"));
            tr->next = -1;
            if (next) {
                tr->next = ld_name_get(p, "pstate", next);
                if (tr->next < 0)
                    ld_err(ld, "unknown next_state '%s'", next);
            }
            if ((ty && !strcmp(ty, "default")) ||
                (!ty && json_is_string(v) &&
                 !strcmp(json_string_value(v), "default"))) {
                tr->kind = 1;
            } else if (ty && !strcmp(ty, "parse_vset")) {
                tr->kind = 2;
                const char *vn = json_string_value(v);
                tr->vset = vn ? ld_name_get(p, "pvs", vn) : -1;
                if (tr->vset < 0)
                    ld_err(ld, "unknown parse_vset '%s'", vn ? vn : "?");
            } else if (!ty || !strcmp(ty, "hexstr")) {
                tr->kind = 0;
                struct val tv, tm;
                const char *vs = json_string_value(v);
                if (!vs || val_parse(&tv, vs)) {
                    ld_err(ld, "bad transition value");
                } else {
                    tr->value = xcalloc((size_t)st->key_bytes + 1, 1);
                    tr->mask = xcalloc((size_t)st->key_bytes + 1, 1);
                    val_to_bytes(&tv, tr->value, (size_t)st->key_bytes);
                    if (json_is_string(m) &&
                        !val_parse(&tm, json_string_value(m)))
                        val_to_bytes(&tm, tr->mask, (size_t)st->key_bytes);
                    else
                        memset(tr->mask, 0xff, (size_t)st->key_bytes);
                    if (st->key_bytes > VAL_W * 8)
                        ld_err(ld, "transition key of %d bytes not supported",
                               st->key_bytes);
                }
            } else {
                ld_err(ld, "unsupported transition type '%s'", ty);
            }
            ld_pop(ld);
        }
        /* no key: the first default (or any value: it matches the empty key)
         * transition is taken */
        st->nokey_next = -2;
        if (!ld->failed && st->n_keys == 0) {
            for (int k = 0; k < st->n_trans && st->nokey_next == -2; k++)
                if (st->trans[k].kind != 2)
                    st->nokey_next = st->trans[k].next;
        }
        /* a single narrow field key compares as integers */
        st->k64_slot = -1;
        if (!ld->failed && st->n_keys == 1 && st->keys[0].kind == K_FIELD &&
            st->keys[0].a >= 0 && !p->fields[st->keys[0].a].wide &&
            !p->fields[st->keys[0].a].varbit && st->key_bytes <= 8) {
            st->k64_slot = (int)p->fields[st->keys[0].a].slot;
            for (int k = 0; k < st->n_trans; k++) {
                struct transition *tr = &st->trans[k];
                for (int b = 0; tr->kind == 0 && b < st->key_bytes; b++) {
                    tr->value64 = (tr->value64 << 8) | tr->value[b];
                    tr->mask64 = (tr->mask64 << 8) | tr->mask[b];
                }
                tr->value64 &= tr->mask64;
            }
        }
        ld_pop(ld);
    }
    ld_pop(ld);
}

void
ld_deparser(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *ds = ld_jarr(ld, root, "deparsers", 0);
    if (!ds || !json_array_size(ds))
        return;
    ld_push(ld, "deparsers[0]");
    json_t *dj = json_array_get(ds, 0);
    json_t *ord = ld_jarr(ld, dj, "order", 1);
    size_t n = ord ? json_array_size(ord) : 0;
    p->deparser.hdrs = xcalloc(n + 1, sizeof(int));
    const char *nm = json_string_value(ld_jget(dj, "name"));
    p->deparser.name = xstrdup(nm ? nm : "deparser");
    for (size_t i = 0; i < n && !ld->failed; i++) {
        const char *hn = json_string_value(json_array_get(ord, i));
        int h = hn ? ld_name_get(p, "header", hn) : -1;
        if (h < 0) {
            ld_push(ld, ".order[%zu]", i);
            ld_err(ld, "unknown header '%s'", hn ? hn : "?");
            ld_pop(ld);
            break;
        }
        p->deparser.hdrs[p->deparser.n++] = h;
    }
    json_t *prims = ld_jget(dj, "primitives");
    size_t np = json_is_array(prims) ? json_array_size(prims) : 0;
    p->deparser.prims = xcalloc(np + 1, sizeof *p->deparser.prims);
    for (size_t i = 0; i < np && !ld->failed; i++) {
        ld_push(ld, ".primitives[%zu]", i);
        ld_prim(ld, json_array_get(prims, i), &p->deparser.prims[i]);
        p->deparser.n_prims++;
        ld_pop(ld);
    }
    ld_pop(ld);
}
