/* load.c - BMv2 JSON (as p4c-bm2-ss emits it) to the flat program model of
 * sw_int.h: fields by index at fixed PHV slots, expressions compiled to op lists,
 * parser states, actions with resolved primitive arguments, tables, control graph.
 *
 * Every error names the JSON path of the offending element, e.g.
 * "pipelines[0].tables[3].key[1]: unknown match_type 'foo'". Nothing here runs
 * per packet; exec.c and sw.c use what this builds. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/util.h"
#include "switch/sw_int.h"

struct ld {
    struct prog *p;
    struct err *e;
    char path[512];
    int failed;
    size_t saved[32];
    int depth;
    const struct action *cur_action; /* while loading its primitives */
    /* consts growth */
    int cap_consts;
};

/* The JSON path of the element being loaded, for messages: PATH_PUSH appends
 * a component, PATH_POP removes the last one. */
PRINTF_FMT(2, 3) static void
PATH_PUSH(struct ld *ld, const char *fmt, ...)
{
    size_t n = strlen(ld->path);
    if (ld->depth < (int)ARRAY_SIZE(ld->saved))
        ld->saved[ld->depth] = n;
    ld->depth++;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->path + n, sizeof ld->path - n, fmt, ap);
    va_end(ap);
}

static void
PATH_POP(struct ld *ld)
{
    if (ld->depth > 0 && --ld->depth < (int)ARRAY_SIZE(ld->saved))
        ld->path[ld->saved[ld->depth]] = 0;
}

PRINTF_FMT(2, 3) static int
lerr(struct ld *ld, const char *fmt, ...)
{
    if (ld->failed)
        return -EINVAL;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(ld->e, -EINVAL, "%s: %s: %s", ld->p->name,
            ld->path[0] ? ld->path : "(top level)", msg);
    ld->failed = 1;
    return -EINVAL;
}

/* ---- values ------------------------------------------------------------- */

void
val_from_bytes(struct val *v, const uint8_t *b, size_t n)
{
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < n && i < VAL_W * 8; i++) {
        size_t bit = i * 8;
        v->w[bit / 64] |= (uint64_t)b[n - 1 - i] << (bit % 64);
    }
}

void
val_to_bytes(const struct val *v, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t bit = i * 8;
        b[n - 1 - i] = bit < VAL_W * 64 ? (uint8_t)(v->w[bit / 64] >> (bit % 64))
                                        : 0;
    }
}

static void
val_neg(struct val *v)
{
    int carry = 1;
    for (int i = 0; i < VAL_W; i++) {
        uint64_t x = ~v->w[i];
        v->w[i] = x + (uint64_t)carry;
        carry = carry && v->w[i] == 0;
    }
}

int
val_parse(struct val *v, const char *s)
{
    memset(v, 0, sizeof *v);
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
        base = 2;
        s += 2;
    }
    if (!*s)
        return -1;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else if (*s == '_')
            continue;
        else
            return -1;
        if (d >= base)
            return -1;
        /* v = v * base + d */
        unsigned __int128 carry = (unsigned)d;
        for (int i = 0; i < VAL_W; i++) {
            unsigned __int128 t = (unsigned __int128)v->w[i] * (unsigned)base + carry;
            v->w[i] = (uint64_t)t;
            carry = t >> 64;
        }
    }
    if (neg)
        val_neg(v);
    return 0;
}

/* ---- names -------------------------------------------------------------- */

static void
name_put(struct prog *p, const char *kind, const char *name, int idx)
{
    char key[512];
    snprintf(key, sizeof key, "%s:%s", kind, name);
    hmap_put(&p->by_name, key, (void *)(intptr_t)(idx + 1), NULL);
}

static int
name_get(const struct prog *p, const char *kind, const char *name)
{
    char key[640];
    snprintf(key, sizeof key, "%s:%s", kind, name);
    void *v = hmap_get(&p->by_name, key);
    return v ? (int)(intptr_t)v - 1 : -1;
}

int
prog_lookup(const struct prog *p, const char *kind, const char *name,
            struct err *e)
{
    int idx = name_get(p, kind, name);
    if (idx >= 0)
        return idx;
    /* unique suffix after a '.' */
    size_t kl = strlen(kind), nl = strlen(name);
    int found = -1, count = 0;
    const char *k;
    void *v;
    const char **cands = NULL;
    size_t nc = 0;
    for (size_t i = 0; hmap_next(&p->by_name, &i, &k, &v);) {
        if (strncmp(k, kind, kl) || k[kl] != ':')
            continue;
        const char *full = k + kl + 1;
        size_t fl = strlen(full);
        cands = xrealloc(cands, (nc + 1) * sizeof *cands);
        cands[nc++] = full;
        if (fl > nl && full[fl - nl - 1] == '.' && !strcmp(full + fl - nl, name)) {
            if (found != (int)(intptr_t)v - 1)
                count++;
            found = (int)(intptr_t)v - 1;
        }
    }
    if (count == 1) {
        free(cands);
        return found;
    }
    if (count > 1) {
        err_set(e, -EINVAL, "%s name '%s' is ambiguous (give the full name)",
                kind, name);
    } else {
        const char *s = diag_suggest(name, cands, nc);
        if (s)
            err_set(e, -ENOENT, "unknown %s '%s' (did you mean '%s'?)", kind,
                    name, s);
        else
            err_set(e, -ENOENT, "unknown %s '%s'", kind, name);
    }
    free(cands);
    return -1;
}

int
prog_field_by_name(const struct prog *p, const char *name)
{
    return name_get(p, "field", name);
}

/* ---- JSON helpers --------------------------------------------------------- */

static json_t *
jget(json_t *o, const char *k)
{
    return json_is_object(o) ? json_object_get(o, k) : NULL;
}

static const char *
jstr(struct ld *ld, json_t *o, const char *k)
{
    json_t *v = jget(o, k);
    if (!json_is_string(v)) {
        lerr(ld, "missing or non-string \"%s\"", k);
        return NULL;
    }
    return json_string_value(v);
}

static long long
jint(struct ld *ld, json_t *o, const char *k, long long dflt, int required)
{
    json_t *v = jget(o, k);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_boolean(v))
        return json_is_true(v);
    if (!v || json_is_null(v)) {
        if (required)
            lerr(ld, "missing \"%s\"", k);
        return dflt;
    }
    lerr(ld, "\"%s\" must be an integer", k);
    return dflt;
}

static json_t *
jarr(struct ld *ld, json_t *o, const char *k, int required)
{
    json_t *v = jget(o, k);
    if (json_is_array(v))
        return v;
    if ((!v || json_is_null(v)) && !required)
        return NULL;
    lerr(ld, "missing or non-array \"%s\"", k);
    return NULL;
}

/* ---- header types, headers, stacks, unions ------------------------------ */

static int
add_const(struct prog *p, struct ld *ld, const struct val *v)
{
    if (p->n_consts == ld->cap_consts) {
        ld->cap_consts = ld->cap_consts ? ld->cap_consts * 2 : 64;
        p->consts = xrealloc(p->consts, ld->cap_consts * sizeof *p->consts);
    }
    p->consts[p->n_consts] = *v;
    return p->n_consts++;
}

struct htype_tmp {
    int n;
    char **names;
    int *widths; /* -1 varbit */
    int *sign;
    int *sat;
    int max_len;
};

static void
load_headers(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *hts = jarr(ld, root, "header_types", 1);
    if (!hts)
        return;
    size_t nt = json_array_size(hts);
    struct htype_tmp *tt = xcalloc(nt + 1, sizeof *tt);
    p->types = xcalloc(nt + 1, sizeof *p->types);
    p->n_types = (int)nt;
    for (size_t i = 0; i < nt && !ld->failed; i++) {
        PATH_PUSH(ld, "header_types[%zu]", i);
        json_t *ht = json_array_get(hts, i);
        const char *name = jstr(ld, ht, "name");
        json_t *fs = jarr(ld, ht, "fields", 1);
        if (!name || !fs) {
            PATH_POP(ld);
            break;
        }
        p->types[i].name = xstrdup(name);
        name_put(p, "htype", name, (int)i);
        size_t nf = json_array_size(fs);
        tt[i].n = (int)nf;
        tt[i].names = xcalloc(nf + 1, sizeof(char *));
        tt[i].widths = xcalloc(nf + 1, sizeof(int));
        tt[i].sign = xcalloc(nf + 1, sizeof(int));
        tt[i].sat = xcalloc(nf + 1, sizeof(int));
        tt[i].max_len = (int)jint(ld, ht, "max_length", 0, 0);
        p->types[i].n_fields = (int)nf;
        for (size_t j = 0; j < nf; j++) {
            json_t *f = json_array_get(fs, j);
            PATH_PUSH(ld, ".fields[%zu]", j);
            if (!json_is_array(f) || json_array_size(f) < 2 ||
                !json_is_string(json_array_get(f, 0))) {
                lerr(ld, "a field must be [name, bitwidth, (signed)]");
                PATH_POP(ld);
                break;
            }
            tt[i].names[j] = xstrdup(json_string_value(json_array_get(f, 0)));
            json_t *w = json_array_get(f, 1);
            if (json_is_integer(w)) {
                long long bw = json_integer_value(w);
                if (bw < 0 || bw > MAX_FIELD_BITS) {
                    lerr(ld, "field width %lld not supported (max %d bits)", bw,
                         MAX_FIELD_BITS);
                    PATH_POP(ld);
                    break;
                }
                tt[i].widths[j] = (int)bw;
            } else if (json_is_string(w) && !strcmp(json_string_value(w), "*")) {
                tt[i].widths[j] = -1;
            } else {
                lerr(ld, "bad field width");
                PATH_POP(ld);
                break;
            }
            json_t *sg = json_array_get(f, 2);
            tt[i].sign[j] = sg && json_is_true(sg);
            json_t *sat = json_array_get(f, 3);
            tt[i].sat[j] = sat && json_is_true(sat);
            PATH_POP(ld);
        }
        PATH_POP(ld);
    }

    json_t *hs = jarr(ld, root, "headers", 1);
    size_t nh = hs ? json_array_size(hs) : 0;
    p->hdrs = xcalloc(nh + 1, sizeof *p->hdrs);
    /* count fields */
    size_t nfields = 0;
    for (size_t i = 0; i < nh && !ld->failed; i++) {
        json_t *h = json_array_get(hs, i);
        PATH_PUSH(ld, "headers[%zu]", i);
        const char *tn = jstr(ld, h, "header_type");
        int t = tn ? name_get(p, "htype", tn) : -1;
        if (tn && t < 0)
            lerr(ld, "unknown header_type '%s'", tn);
        if (t >= 0)
            nfields += (size_t)tt[t].n + 1;
        PATH_POP(ld);
    }
    p->fields = xcalloc(nfields + 1, sizeof *p->fields);
    int slot = 0, fi = 0;
    for (size_t i = 0; i < nh && !ld->failed; i++) {
        json_t *h = json_array_get(hs, i);
        PATH_PUSH(ld, "headers[%zu]", i);
        const char *name = jstr(ld, h, "name");
        const char *tn = jstr(ld, h, "header_type");
        if (!name || !tn) {
            PATH_POP(ld);
            break;
        }
        int t = name_get(p, "htype", tn);
        struct header *hd = &p->hdrs[i];
        hd->name = xstrdup(name);
        hd->type = t;
        hd->metadata = (int)jint(ld, h, "metadata", 0, 0);
        hd->first_field = fi;
        hd->n_fields = tt[t].n;
        hd->varbit_field = -1;
        hd->stack = hd->un = -1;
        name_put(p, "header", name, (int)i);
        for (int j = 0; j <= tt[t].n; j++) {
            struct field *f = &p->fields[fi];
            int w;
            if (j < tt[t].n) {
                f->name = xasprintf("%s.%s", name, tt[t].names[j]);
                w = tt[t].widths[j];
                if (w < 0) {
                    f->varbit = 1;
                    w = tt[t].max_len * 8 - 0;
                    int fixed = 0;
                    for (int k = 0; k < tt[t].n; k++)
                        if (tt[t].widths[k] > 0)
                            fixed += tt[t].widths[k];
                    w -= fixed;
                    if (w <= 0 || w > 65535) {
                        lerr(ld, "varbit field %s: max width %d not supported",
                             f->name, w);
                        break;
                    }
                    hd->varbit_field = fi;
                } else {
                    hd->fixed_bits += (uint32_t)w;
                }
                f->is_signed = (uint8_t)tt[t].sign[j];
                f->saturating = (uint8_t)tt[t].sat[j];
            } else {
                f->name = xasprintf("%s.$valid$", name);
                w = 1;
                hd->valid_field = fi;
                hd->valid_slot = (uint32_t)slot;
            }
            f->width = (uint16_t)w;
            f->wide = w > 64 && !f->varbit;
            f->hdr = (int)i;
            f->slot = (uint32_t)slot;
            /* varbit fields are raw bytes in (width + 63) / 64 slots */
            slot += f->varbit ? (w + 63) / 64 : f->wide ? VAL_W : 1;
            name_put(p, "field", f->name, fi);
            fi++;
        }
        PATH_POP(ld);
    }
    p->n_hdrs = (int)nh;
    p->n_fields = fi;
    p->n_slots = slot;
    for (size_t i = 0; i < nt; i++) {
        for (int j = 0; j < tt[i].n; j++)
            free(tt[i].names[j]);
        free(tt[i].names);
        free(tt[i].widths);
        free(tt[i].sign);
        free(tt[i].sat);
    }
    free(tt);
    if (ld->failed)
        return;

    json_t *ss = jarr(ld, root, "header_stacks", 0);
    size_t ns = ss ? json_array_size(ss) : 0;
    json_t *us = jarr(ld, root, "header_unions", 0);
    size_t nu = us ? json_array_size(us) : 0;
    json_t *uss = jarr(ld, root, "header_union_stacks", 0);
    size_t nus = uss ? json_array_size(uss) : 0;
    p->stacks = xcalloc(ns + nus + 1, sizeof *p->stacks);
    p->unions = xcalloc(nu + 1, sizeof *p->unions);
    for (size_t i = 0; i < ns && !ld->failed; i++) {
        json_t *s = json_array_get(ss, i);
        PATH_PUSH(ld, "header_stacks[%zu]", i);
        const char *name = jstr(ld, s, "name");
        json_t *ids = jarr(ld, s, "header_ids", 1);
        if (name && ids) {
            struct hstack *st = &p->stacks[p->n_stacks];
            st->name = xstrdup(name);
            st->size = (int)json_array_size(ids);
            st->hdrs = xcalloc((size_t)st->size + 1, sizeof(int));
            for (int k = 0; k < st->size; k++) {
                long long h = json_integer_value(json_array_get(ids, k));
                if (h < 0 || h >= p->n_hdrs) {
                    lerr(ld, "header id %lld out of range", h);
                    break;
                }
                st->hdrs[k] = (int)h;
                p->hdrs[h].stack = p->n_stacks;
                p->hdrs[h].stack_pos = k;
            }
            name_put(p, "stack", name, p->n_stacks);
            p->n_stacks++;
        }
        PATH_POP(ld);
    }
    for (size_t i = 0; i < nu && !ld->failed; i++) {
        json_t *s = json_array_get(us, i);
        PATH_PUSH(ld, "header_unions[%zu]", i);
        const char *name = jstr(ld, s, "name");
        json_t *ids = jarr(ld, s, "header_ids", 1);
        if (name && ids) {
            struct hunion *un = &p->unions[i];
            un->name = xstrdup(name);
            un->n = (int)json_array_size(ids);
            un->hdrs = xcalloc((size_t)un->n + 1, sizeof(int));
            un->stack = -1;
            un->members = xcalloc((size_t)un->n + 1, sizeof(char *));
            const char *ut = json_string_value(jget(s, "union_type"));
            json_t *uts = jget(root, "header_union_types");
            for (size_t q = 0; ut && json_is_array(uts) && q < json_array_size(uts); q++) {
                json_t *uj = json_array_get(uts, q);
                const char *un_name = json_string_value(jget(uj, "name"));
                json_t *mh = jget(uj, "headers");
                if (!un_name || strcmp(un_name, ut) || !json_is_array(mh))
                    continue;
                for (int k = 0; k < un->n && k < (int)json_array_size(mh); k++) {
                    const char *mn =
                        json_string_value(json_array_get(json_array_get(mh, k), 0));
                    un->members[k] = xstrdup(mn ? mn : "");
                }
            }
            for (int k = 0; k < un->n; k++)
                if (!un->members[k]) {
                    const char *full = p->hdrs[json_integer_value(json_array_get(ids, k))].name;
                    const char *dot = strrchr(full ? full : "", '.');
                    un->members[k] = xstrdup(dot ? dot + 1 : (full ? full : ""));
                }
            for (int k = 0; k < un->n; k++) {
                long long h = json_integer_value(json_array_get(ids, k));
                if (h < 0 || h >= p->n_hdrs) {
                    lerr(ld, "header id %lld out of range", h);
                    break;
                }
                un->hdrs[k] = (int)h;
                p->hdrs[h].un = (int)i;
                p->hdrs[h].un_pos = k;
            }
            name_put(p, "union", name, (int)i);
            p->n_unions++;
        }
        PATH_POP(ld);
    }
    for (size_t i = 0; i < nus && !ld->failed; i++) {
        json_t *s = json_array_get(uss, i);
        PATH_PUSH(ld, "header_union_stacks[%zu]", i);
        const char *name = jstr(ld, s, "name");
        json_t *ids = jarr(ld, s, "header_union_ids", 1);
        if (name && ids) {
            struct hstack *st = &p->stacks[p->n_stacks];
            st->name = xstrdup(name);
            st->is_union = 1;
            st->size = (int)json_array_size(ids);
            st->hdrs = xcalloc((size_t)st->size + 1, sizeof(int));
            for (int k = 0; k < st->size; k++) {
                long long u = json_integer_value(json_array_get(ids, k));
                if (u < 0 || u >= p->n_unions) {
                    lerr(ld, "union id %lld out of range", u);
                    break;
                }
                st->hdrs[k] = (int)u;
                p->unions[u].stack = p->n_stacks;
                p->unions[u].stack_pos = k;
            }
            name_put(p, "ustack", name, p->n_stacks);
            p->n_stacks++;
        }
        PATH_POP(ld);
    }
}

static int
field_ref(struct ld *ld, json_t *v)
{
    /* ["hdr", "field"] */
    if (!json_is_array(v) || json_array_size(v) != 2 ||
        !json_is_string(json_array_get(v, 0)) ||
        !json_is_string(json_array_get(v, 1))) {
        lerr(ld, "a field reference must be [header, field]");
        return -1;
    }
    char name[512];
    snprintf(name, sizeof name, "%s.%s", json_string_value(json_array_get(v, 0)),
             json_string_value(json_array_get(v, 1)));
    int f = name_get(ld->p, "field", name);
    if (f < 0)
        lerr(ld, "unknown field '%s'", name);
    return f;
}

/* ---- expressions -------------------------------------------------------- */

struct ebuild {
    struct eins *ins;
    int n, cap;
    int depth, max;
};

static void
emit(struct ebuild *b, int op, uint32_t a, int delta)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->ins = xrealloc(b->ins, (size_t)b->cap * sizeof *b->ins);
    }
    b->ins[b->n].op = (uint16_t)op;
    b->ins[b->n].a = a;
    b->n++;
    b->depth += delta;
    if (b->depth > b->max)
        b->max = b->depth;
}

static const struct {
    const char *name;
    int op;
} binops[] = {
    {"+", E_ADD},  {"-", E_SUB},  {"*", E_MUL},    {"/", E_DIV},  {"%", E_MOD},
    {"<<", E_SHL}, {">>", E_SHR}, {"&", E_AND},    {"|", E_OR},   {"^", E_XOR},
    {"==", E_EQ},  {"!=", E_NE},  {"<", E_LT},     {"<=", E_LE},  {">", E_GT},
    {">=", E_GE},  {"and", E_LAND}, {"or", E_LOR},
    {"two_comp_mod", E_TWO_COMP}, {"usat_cast", E_USAT}, {"sat_cast", E_SAT},
};

static void compile_node(struct ld *ld, struct ebuild *b, json_t *n);

static void
compile_leaf_const(struct ld *ld, struct ebuild *b, const struct val *v)
{
    emit(b, E_CONST, (uint32_t)add_const(ld->p, ld, v), 1);
}

static void
compile_node(struct ld *ld, struct ebuild *b, json_t *n)
{
    struct prog *p = ld->p;
    if (ld->failed)
        return;
    const char *type = json_string_value(jget(n, "type"));
    json_t *v = jget(n, "value");
    if (!type) {
        lerr(ld, "expression node without \"type\"");
        return;
    }
    if (!strcmp(type, "expression") && !jget(v, "op") && jget(v, "type")) {
        compile_node(ld, b, v);
        return;
    }
    if (!strcmp(type, "expression")) {
        const char *op = json_string_value(jget(v, "op"));
        json_t *l = jget(v, "left"), *r = jget(v, "right");
        if (!op) {
            lerr(ld, "expression without \"op\"");
            return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(binops); i++) {
            if (!strcmp(op, binops[i].name)) {
                compile_node(ld, b, l);
                compile_node(ld, b, r);
                emit(b, binops[i].op, 0, -1);
                return;
            }
        }
        if (!strcmp(op, "d2b") || !strcmp(op, "b2d")) {
            compile_node(ld, b, r);
            struct val z;
            val_set_u64(&z, 0);
            compile_leaf_const(ld, b, &z);
            emit(b, E_NE, 0, -1);
        } else if (!strcmp(op, "not")) {
            compile_node(ld, b, r);
            emit(b, E_LNOT, 0, 0);
        } else if (!strcmp(op, "~")) {
            compile_node(ld, b, r);
            emit(b, E_NOT, 0, 0);
        } else if (!strcmp(op, "-") && (!l || json_is_null(l))) {
            compile_node(ld, b, r);
            emit(b, E_NEG, 0, 0);
        } else if (!strcmp(op, "?")) {
            compile_node(ld, b, jget(v, "cond"));
            int jz = b->n;
            emit(b, E_JZ, 0, -1);
            compile_node(ld, b, l);
            int jmp = b->n;
            emit(b, E_JMP, 0, -1);
            b->ins[jz].a = (uint32_t)b->n;
            compile_node(ld, b, r);
            b->ins[jmp].a = (uint32_t)b->n;
        } else if (!strcmp(op, "valid")) {
            compile_node(ld, b, r);
            emit(b, E_VALID, 0, 0);
        } else if (!strcmp(op, "valid_union")) {
            compile_node(ld, b, r);
            emit(b, E_VALID_UNION, 0, 0);
        } else if (!strcmp(op, "access_field")) {
            compile_node(ld, b, l);
            emit(b, E_ACCESS_FIELD, (uint32_t)json_integer_value(r), 0);
        } else if (!strcmp(op, "access_union_header")) {
            compile_node(ld, b, l);
            emit(b, E_ACCESS_UNION_HDR, (uint32_t)json_integer_value(r), 0);
        } else if (!strcmp(op, "dereference_header_stack") ||
                   !strcmp(op, "dereference_union_stack")) {
            int is_u = !strcmp(op, "dereference_union_stack");
            const char *sn = json_string_value(jget(l, "value"));
            int s = sn ? name_get(p, is_u ? "ustack" : "stack", sn) : -1;
            if (s < 0) {
                lerr(ld, "unknown header stack '%s'", sn ? sn : "?");
                return;
            }
            compile_node(ld, b, r);
            emit(b, is_u ? E_USTACK_DEREF : E_STACK_DEREF, (uint32_t)s, 0);
        } else if (!strcmp(op, "last_stack_index") ||
                   !strcmp(op, "size_stack")) {
            const char *sn = json_string_value(jget(r, "value"));
            int s = sn ? name_get(p, "stack", sn) : -1;
            if (s < 0)
                s = sn ? name_get(p, "ustack", sn) : -1;
            if (s < 0) {
                lerr(ld, "unknown header stack '%s'", sn ? sn : "?");
                return;
            }
            emit(b, op[0] == 'l' ? E_LAST_INDEX : E_SIZE, (uint32_t)s, 1);
        } else {
            lerr(ld, "unsupported expression op '%s'", op);
        }
        return;
    }
    if (!strcmp(type, "field")) {
        int f = field_ref(ld, v);
        if (f >= 0)
            emit(b, E_FIELD, (uint32_t)f, 1);
    } else if (!strcmp(type, "hexstr") || !strcmp(type, "bool") ||
               !strcmp(type, "string_hex")) {
        struct val c;
        if (json_is_boolean(v))
            val_set_u64(&c, json_is_true(v));
        else if (json_is_integer(v))
            val_set_u64(&c, (uint64_t)json_integer_value(v));
        else if (!json_is_string(v) || val_parse(&c, json_string_value(v)))
            lerr(ld, "bad constant");
        compile_leaf_const(ld, b, &c);
    } else if (!strcmp(type, "runtime_data") || !strcmp(type, "local")) {
        emit(b, E_PARAM, (uint32_t)json_integer_value(v), 1);
    } else if (!strcmp(type, "header")) {
        const char *hn = json_string_value(v);
        int h = hn ? name_get(p, "header", hn) : -1;
        if (h < 0) {
            lerr(ld, "unknown header '%s'", hn ? hn : "?");
            return;
        }
        emit(b, E_HDR, (uint32_t)h, 1);
    } else if (!strcmp(type, "header_union")) {
        const char *hn = json_string_value(v);
        int u = hn ? name_get(p, "union", hn) : -1;
        if (u < 0) {
            lerr(ld, "unknown header union '%s'", hn ? hn : "?");
            return;
        }
        emit(b, E_UNION, (uint32_t)u, 1);
    } else if (!strcmp(type, "stack_field")) {
        /* [stack, field]: field of the last valid element */
        const char *sn = json_string_value(json_array_get(v, 0));
        const char *fn = json_string_value(json_array_get(v, 1));
        int s = sn ? name_get(p, "stack", sn) : -1;
        if (s < 0 || !fn) {
            lerr(ld, "unknown header stack '%s'", sn ? sn : "?");
            return;
        }
        int h0 = p->stacks[s].hdrs[0];
        int k;
        for (k = 0; k < p->hdrs[h0].n_fields; k++) {
            const char *full = p->fields[p->hdrs[h0].first_field + k].name;
            const char *dot = strrchr(full, '.');
            if (dot && !strcmp(dot + 1, fn))
                break;
        }
        if (k == p->hdrs[h0].n_fields) {
            lerr(ld, "unknown field '%s' in stack '%s'", fn, sn);
            return;
        }
        emit(b, E_LAST_INDEX, (uint32_t)s, 1);
        emit(b, E_STACK_DEREF, (uint32_t)s, 0);
        emit(b, E_ACCESS_FIELD, (uint32_t)k, 0);
    } else {
        lerr(ld, "unsupported expression type '%s'", type);
    }
}

/* An expression may run on uint64_t (exec.c eval64) when it only has ops
 * that cannot carry a value past 62 bits: unsigned fields and parameters up
 * to 60 bits, non-negative constants below 2^60, and no subtraction,
 * negation, complement, multiplication, left shift or casts. Action
 * parameters are checked when the expression runs in an action: their width
 * is not known here, so any E_PARAM makes it wide. */
static int
is_narrow(const struct prog *p, const struct action *act, const struct expr *e)
{
    int adds = 0;
    for (int i = 0; i < e->n; i++) {
        const struct eins *in = &e->ins[i];
        switch (in->op) {
        case E_FIELD: {
            const struct field *f = &p->fields[in->a];
            if (f->wide || f->varbit || f->is_signed || f->width > 60)
                return 0;
            break;
        }
        case E_CONST: {
            const struct val *c = &p->consts[in->a];
            for (int k = 1; k < VAL_W; k++)
                if (c->w[k])
                    return 0;
            if (c->w[0] >> 60)
                return 0;
            break;
        }
        case E_ADD:
            adds++;
            break;
        case E_PARAM:
            if (!act || in->a >= act->info.n_params ||
                act->params[in->a].bitwidth > 60)
                return 0;
            break;
        case E_HDR: case E_VALID: case E_AND: case E_OR: case E_XOR:
        case E_SHR: case E_EQ: case E_NE: case E_LT: case E_LE: case E_GT:
        case E_GE: case E_LAND: case E_LOR: case E_LNOT: case E_JZ: case E_JMP:
            break;
        default:
            return 0;
        }
    }
    return adds < 4; /* four 60-bit additions stay below 2^62 */
}

static struct expr *
compile_expr(struct ld *ld, json_t *n)
{
    struct ebuild b = {0};
    compile_node(ld, &b, n);
    if (ld->failed) {
        free(b.ins);
        return NULL;
    }
    struct expr *e = xcalloc(1, sizeof *e);
    e->ins = b.ins;
    e->n = b.n;
    e->max_stack = b.max;
    e->narrow = is_narrow(ld->p, ld->cur_action, e);
    if (b.max > 60) {
        lerr(ld, "expression too deep (%d)", b.max);
        free(b.ins);
        free(e);
        return NULL;
    }
    return e;
}

void
expr_free(struct expr *e)
{
    if (!e)
        return;
    free(e->ins);
    free(e);
}


/* ---- stateful objects, lists, calculations -------------------------------- */

static void
obj_info_init(struct ld *ld, struct sw_object_info *oi, json_t *o,
              enum sw_object_kind kind, const char *kname, int idx)
{
    const char *name = jstr(ld, o, "name");
    oi->name = xstrdup(name ? name : "?");
    oi->id = (uint32_t)jint(ld, o, "id", idx, 0);
    oi->kind = kind;
    if (name)
        name_put(ld->p, kname, name, idx);
}

static void
load_arrays(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *a = jarr(ld, root, "counter_arrays", 0);
    size_t n = a ? json_array_size(a) : 0;
    p->counters = xcalloc(n + 1, sizeof *p->counters);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "counter_arrays[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct counter_arr *c = &p->counters[i];
        obj_info_init(ld, &c->info, o, SW_OBJ_COUNTER, "counter", (int)i);
        c->direct_table = -1;
        c->info.size = (size_t)jint(ld, o, "size", 0, 0);
        if (jint(ld, o, "is_direct", 0, 0)) {
            const char *t = json_string_value(jget(o, "binding"));
            c->info.direct_table = xstrdup(t ? t : "?");
            c->info.size = 0;
        } else {
            c->bytes = xcalloc(c->info.size + 1, sizeof(uint64_t));
            c->pkts = xcalloc(c->info.size + 1, sizeof(uint64_t));
        }
        p->n_counters++;
        PATH_POP(ld);
    }
    a = jarr(ld, root, "meter_arrays", 0);
    n = a ? json_array_size(a) : 0;
    p->meters = xcalloc(n + 1, sizeof *p->meters);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "meter_arrays[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct meter_arr *m = &p->meters[i];
        obj_info_init(ld, &m->info, o, SW_OBJ_METER, "meter", (int)i);
        m->direct_table = -1;
        m->result_field = -1;
        m->info.size = (size_t)jint(ld, o, "size", 0, 0);
        m->info.rate_count = (unsigned)jint(ld, o, "rate_count", 2, 0);
        const char *ty = json_string_value(jget(o, "type"));
        m->info.is_bytes = ty && !strcmp(ty, "bytes");
        if (jint(ld, o, "is_direct", 0, 0)) {
            const char *t = json_string_value(jget(o, "binding"));
            m->info.direct_table = xstrdup(t ? t : "?");
            json_t *rt = jget(o, "result_target");
            if (rt && !json_is_null(rt))
                m->result_field = field_ref(ld, rt);
            m->info.size = 0;
        } else {
            m->cells = xcalloc(m->info.size + 1, sizeof *m->cells);
        }
        p->n_meters++;
        PATH_POP(ld);
    }
    a = jarr(ld, root, "register_arrays", 0);
    n = a ? json_array_size(a) : 0;
    p->registers = xcalloc(n + 1, sizeof *p->registers);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "register_arrays[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct register_arr *r = &p->registers[i];
        obj_info_init(ld, &r->info, o, SW_OBJ_REGISTER, "register", (int)i);
        r->info.size = (size_t)jint(ld, o, "size", 0, 1);
        r->info.bitwidth = (unsigned)jint(ld, o, "bitwidth", 0, 1);
        if (r->info.bitwidth > MAX_FIELD_BITS)
            lerr(ld, "register width %u not supported", r->info.bitwidth);
        r->cells = xcalloc(r->info.size + 1, sizeof *r->cells);
        p->n_registers++;
        PATH_POP(ld);
    }
    a = jarr(ld, root, "parse_vsets", 0);
    n = a ? json_array_size(a) : 0;
    p->pvss = xcalloc(n + 1, sizeof *p->pvss);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "parse_vsets[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct pvs *v = &p->pvss[i];
        obj_info_init(ld, &v->info, o, SW_OBJ_PVS, "pvs", (int)i);
        v->info.bitwidth = (unsigned)jint(ld, o, "compressed_bitwidth", 0, 0);
        v->info.size = (size_t)jint(ld, o, "max_size", 0, 0);
        v->bytes = (int)(v->info.bitwidth + 7) / 8;
        p->n_pvs++;
        PATH_POP(ld);
    }
    a = jarr(ld, root, "field_lists", 0);
    n = a ? json_array_size(a) : 0;
    p->flists = xcalloc(n + 1, sizeof *p->flists);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "field_lists[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct field_list *fl = &p->flists[i];
        const char *nm = jstr(ld, o, "name");
        fl->name = xstrdup(nm ? nm : "?");
        fl->id = (int)jint(ld, o, "id", (long long)i, 0);
        json_t *els = jarr(ld, o, "elements", 1);
        size_t ne = els ? json_array_size(els) : 0;
        fl->fields = xcalloc(ne + 1, sizeof(int));
        for (size_t k = 0; k < ne && !ld->failed; k++) {
            json_t *el = json_array_get(els, k);
            const char *ty = json_string_value(jget(el, "type"));
            if (ty && !strcmp(ty, "field")) {
                int f = field_ref(ld, jget(el, "value"));
                if (f >= 0)
                    fl->fields[fl->n++] = f;
            }
        }
        name_put(p, "flist", fl->name, (int)i);
        p->n_flists++;
        PATH_POP(ld);
    }
    a = jarr(ld, root, "learn_lists", 0);
    n = a ? json_array_size(a) : 0;
    p->learns = xcalloc(n + 1, sizeof *p->learns);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "learn_lists[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct learn_list *l = &p->learns[i];
        obj_info_init(ld, &l->info, o, SW_OBJ_LEARN, "learn", (int)i);
        json_t *els = jarr(ld, o, "elements", 1);
        size_t ne = els ? json_array_size(els) : 0;
        l->fields = xcalloc(ne + 1, sizeof(int));
        for (size_t k = 0; k < ne && !ld->failed; k++) {
            int f = field_ref(ld, jget(json_array_get(els, k), "value"));
            if (f >= 0)
                l->fields[l->n++] = f;
        }
        p->n_learns++;
        PATH_POP(ld);
    }
}

static const struct {
    const char *name;
    enum algo algo;
} algos[] = {
    {"crc16", A_CRC16}, {"crc32", A_CRC32}, {"crc16_custom", A_CRC16_CUSTOM},
    {"crc32_custom", A_CRC32_CUSTOM}, {"csum16", A_CSUM16}, {"xor16", A_XOR16},
    {"identity", A_IDENTITY}, {"random", A_RANDOM}, {"crc8", A_CRC8},
    {"crc64", A_CRC64}, {"crcCCITT", A_CRCCCITT}, {"cksum16", A_CSUM16},
    {"ones_complement_sum16", A_CSUM16},
};

static void
load_calcs(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *a = jarr(ld, root, "calculations", 0);
    size_t n = a ? json_array_size(a) : 0;
    p->calcs = xcalloc(n + 1, sizeof *p->calcs);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "calculations[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct calc *c = &p->calcs[i];
        const char *nm = jstr(ld, o, "name");
        const char *al = jstr(ld, o, "algo");
        c->name = xstrdup(nm ? nm : "?");
        if (nm)
            name_put(p, "calc", nm, (int)i);
        p->n_calcs++;
        if (!al) {
            PATH_POP(ld);
            break;
        }
        size_t k;
        for (k = 0; k < ARRAY_SIZE(algos); k++)
            if (!strcmp(algos[k].name, al))
                break;
        if (k == ARRAY_SIZE(algos)) {
            lerr(ld, "unknown hash algorithm '%s'", al);
            PATH_POP(ld);
            break;
        }
        c->algo = algos[k].algo;
        json_t *in = jarr(ld, o, "input", 1);
        size_t ni = in ? json_array_size(in) : 0;
        c->in = xcalloc(ni + 1, sizeof *c->in);
        for (size_t j = 0; j < ni && !ld->failed; j++) {
            PATH_PUSH(ld, ".input[%zu]", j);
            json_t *el = json_array_get(in, j);
            const char *ty = json_string_value(jget(el, "type"));
            struct calc_in *ci = &c->in[c->n_in];
            if (ty && !strcmp(ty, "field")) {
                ci->kind = 0;
                ci->id = field_ref(ld, jget(el, "value"));
                c->n_in++;
            } else if (ty && !strcmp(ty, "hexstr")) {
                ci->kind = 1;
                const char *sv = json_string_value(jget(el, "value"));
                if (!sv || val_parse(&ci->v, sv))
                    lerr(ld, "bad hexstr");
                ci->bits = (int)jint(ld, el, "bitwidth", 0, 0);
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
                const char *hn = json_string_value(jget(el, "value"));
                ci->kind = 3;
                ci->id = hn ? name_get(p, "header", hn) : -1;
                if (ci->id < 0)
                    lerr(ld, "unknown header '%s'", hn ? hn : "?");
                c->n_in++;
            } else {
                lerr(ld, "unsupported calculation input type '%s'",
                     ty ? ty : "?");
            }
            PATH_POP(ld);
        }
        PATH_POP(ld);
    }
}

static void
load_checksums(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *a = jarr(ld, root, "checksums", 0);
    size_t n = a ? json_array_size(a) : 0;
    p->cksums = xcalloc(n + 1, sizeof *p->cksums);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "checksums[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct checksum *c = &p->cksums[p->n_cksums];
        const char *nm = jstr(ld, o, "name");
        c->name = xstrdup(nm ? nm : "?");
        c->target = field_ref(ld, jget(o, "target"));
        const char *cn = jstr(ld, o, "calculation");
        c->calc = cn ? name_get(p, "calc", cn) : -1;
        if (cn && c->calc < 0)
            lerr(ld, "unknown calculation '%s'", cn);
        c->verify = (int)jint(ld, o, "verify", 1, 0);
        c->update = (int)jint(ld, o, "update", 1, 0);
        json_t *cond = jget(o, "if_cond");
        if (cond && !json_is_null(cond))
            c->cond = compile_expr(ld, cond);
        p->n_cksums++;
        PATH_POP(ld);
    }
}

/* ---- actions ------------------------------------------------------------ */

static const struct {
    const char *name;
    int op;
    int lv0; /* first argument is an lvalue */
} prim_names[] = {
    {"assign", PR_ASSIGN, 1}, {"modify_field", PR_ASSIGN, 1},
    {"assign_VL", PR_ASSIGN_VL, 1}, {"assign_header", PR_ASSIGN_HEADER, 1},
    {"copy_header", PR_ASSIGN_HEADER, 1}, {"assign_union", PR_ASSIGN_UNION, 1},
    {"assign_header_stack", PR_ASSIGN_STACK, 1},
    {"assign_union_stack", PR_ASSIGN_USTACK, 1},
    {"add_header", PR_ADD_HEADER, 1}, {"remove_header", PR_REMOVE_HEADER, 1},
    {"push", PR_PUSH, 1}, {"pop", PR_POP, 1},
    {"mark_to_drop", PR_MARK_TO_DROP, 0}, {"drop", PR_DROP, 0},
    {"exit", PR_EXIT, 0}, {"count", PR_COUNT, 0},
    {"execute_meter", PR_EXECUTE_METER, 0},
    {"register_read", PR_REGISTER_READ, 1},
    {"register_write", PR_REGISTER_WRITE, 0},
    {"modify_field_with_hash_based_offset", PR_HASH, 1},
    {"modify_field_rng_uniform", PR_RNG, 1},
    {"clone_ingress_pkt_to_egress", PR_CLONE_I2E, 0},
    {"clone_egress_pkt_to_egress", PR_CLONE_E2E, 0},
    {"resubmit", PR_RESUBMIT, 0}, {"recirculate", PR_RECIRCULATE, 0},
    {"truncate", PR_TRUNCATE, 0}, {"generate_digest", PR_DIGEST, 0},
    {"log_msg", PR_LOG_MSG, 0}, {"assert", PR_ASSERT, 0},
    {"assume", PR_ASSUME, 0}, {"no_op", PR_NO_OP, 0},
    {"add_to_field", PR_ADD_TO_FIELD, 1},
    {"subtract_from_field", PR_SUB_FROM_FIELD, 1},
    {"add", PR_ADD, 1}, {"subtract", PR_SUBTRACT, 1},
    {"bit_and", PR_BIT_AND, 1}, {"bit_or", PR_BIT_OR, 1},
    {"bit_xor", PR_BIT_XOR, 1}, {"shift_left", PR_SHIFT_LEFT, 1},
    {"shift_right", PR_SHIFT_RIGHT, 1}, {"_jump_if_false", PR_JMP_IF_FALSE, 0},
    {"_jump", PR_JMP, 0},
    {"verify_checksum", PR_VERIFY_CKSUM, 0},
    {"update_checksum", PR_UPDATE_CKSUM, 0},
};

static void
resolve_arg(struct ld *ld, json_t *a, struct ref *r, int lvalue)
{
    struct prog *p = ld->p;
    const char *ty = json_string_value(jget(a, "type"));
    json_t *v = jget(a, "value");
    r->kind = R_NONE;
    if (!ty) {
        lerr(ld, "parameter without \"type\"");
        return;
    }
    const char *sv = json_string_value(v);
    if (!strcmp(ty, "field")) {
        r->kind = R_FIELD;
        r->id = field_ref(ld, v);
    } else if (!strcmp(ty, "header")) {
        r->kind = R_HEADER;
        r->id = sv ? name_get(p, "header", sv) : -1;
        if (r->id < 0)
            lerr(ld, "unknown header '%s'", sv ? sv : "?");
    } else if (!strcmp(ty, "header_stack") || !strcmp(ty, "stack")) {
        r->kind = R_STACK;
        r->id = sv ? name_get(p, "stack", sv) : -1;
        if (r->id < 0)
            lerr(ld, "unknown header stack '%s'", sv ? sv : "?");
    } else if (!strcmp(ty, "header_union_stack") || !strcmp(ty, "union_stack")) {
        r->kind = R_USTACK;
        r->id = sv ? name_get(p, "ustack", sv) : -1;
        if (r->id < 0)
            lerr(ld, "unknown header union stack '%s'", sv ? sv : "?");
    } else if (!strcmp(ty, "header_union")) {
        r->kind = R_UNION;
        r->id = sv ? name_get(p, "union", sv) : -1;
        if (r->id < 0)
            lerr(ld, "unknown header union '%s'", sv ? sv : "?");
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
        r->id = sv ? name_get(p, kind, sv) : -1;
        if (r->id < 0)
            lerr(ld, "unknown %s '%s'", ty, sv ? sv : "?");
    } else if (!strcmp(ty, "string")) {
        r->kind = R_STRING;
        r->str = xstrdup(sv ? sv : "");
    } else if (!strcmp(ty, "parameters_vector")) {
        /* log_msg arguments: compile each; keep the first failure */
        r->kind = R_STRING;
        r->str = xstrdup("");
    } else if (!strcmp(ty, "extern")) {
        lerr(ld, "extern method calls are not supported");
    } else {
        /* hexstr, runtime_data, expression, bool, stack_field, local ... */
        r->kind = R_EXPR;
        r->e = compile_expr(ld, a);
        if (lvalue && r->e && r->e->n > 0) {
            struct eins *last = &r->e->ins[r->e->n - 1];
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

static void
free_ref(struct ref *r)
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
               s->e->ins[0].op == E_PARAM && ld->cur_action &&
               s->e->ins[0].a < ld->cur_action->info.n_params &&
               ld->cur_action->params[s->e->ins[0].a].bitwidth <= 64) {
        pr->fast = FS_PARAM;
        pr->sidx = s->e->ins[0].a;
    } else if (s->kind == R_EXPR && s->e && s->e->narrow) {
        pr->fast = FS_EXPR;
    }
}

static void
load_prim(struct ld *ld, json_t *o, struct prim *pr)
{
    const char *op = jstr(ld, o, "op");
    if (!op)
        return;
    size_t k;
    for (k = 0; k < ARRAY_SIZE(prim_names); k++)
        if (!strcmp(prim_names[k].name, op))
            break;
    if (k == ARRAY_SIZE(prim_names)) {
        const char *cands[ARRAY_SIZE(prim_names)];
        for (size_t i = 0; i < ARRAY_SIZE(prim_names); i++)
            cands[i] = prim_names[i].name;
        const char *s = diag_suggest(op, cands, ARRAY_SIZE(prim_names));
        if (s)
            lerr(ld, "unknown primitive '%s' (did you mean '%s'?)", op, s);
        else
            lerr(ld, "unknown primitive '%s'", op);
        return;
    }
    pr->op = prim_names[k].op;
    json_t *ps = jget(o, "parameters");
    size_t n = json_is_array(ps) ? json_array_size(ps) : 0;
    pr->args = xcalloc(n + 1, sizeof *pr->args);
    pr->n = (int)n;
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, ".parameters[%zu]", i);
        int lv = (i == 0 && prim_names[k].lv0) ||
                 (i == 2 && pr->op == PR_EXECUTE_METER);
        resolve_arg(ld, json_array_get(ps, i), &pr->args[i], lv);
        PATH_POP(ld);
    }
    /* arity checks for the primitives exec.c indexes blindly */
    static const struct {
        int op, min;
    } arity[] = {
        {PR_ASSIGN, 2}, {PR_ASSIGN_VL, 2}, {PR_ASSIGN_HEADER, 2},
        {PR_ASSIGN_UNION, 2}, {PR_ASSIGN_STACK, 2}, {PR_ASSIGN_USTACK, 2},
        {PR_ADD_HEADER, 1}, {PR_REMOVE_HEADER, 1}, {PR_PUSH, 2}, {PR_POP, 2},
        {PR_COUNT, 2}, {PR_EXECUTE_METER, 3}, {PR_REGISTER_READ, 3},
        {PR_REGISTER_WRITE, 3}, {PR_HASH, 4}, {PR_RNG, 3}, {PR_CLONE_I2E, 1},
        {PR_CLONE_E2E, 1}, {PR_TRUNCATE, 1}, {PR_DIGEST, 2},
        {PR_ADD_TO_FIELD, 2}, {PR_SUB_FROM_FIELD, 2}, {PR_ADD, 3},
        {PR_SUBTRACT, 3}, {PR_BIT_AND, 3}, {PR_BIT_OR, 3}, {PR_BIT_XOR, 3},
        {PR_SHIFT_LEFT, 3}, {PR_SHIFT_RIGHT, 3}, {PR_JMP_IF_FALSE, 2},
        {PR_JMP, 1}, {PR_ASSERT, 1}, {PR_ASSUME, 1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(arity); i++)
        if (arity[i].op == pr->op && pr->n < arity[i].min)
            lerr(ld, "primitive '%s' needs %d parameters, has %d", op,
                 arity[i].min, pr->n);
    if (!ld->failed && pr->op == PR_ASSIGN && pr->n == 2)
        set_fast(ld, pr);
    if (!ld->failed && (pr->op == PR_ADD_TO_FIELD || pr->op == PR_SUB_FROM_FIELD) &&
        pr->n == 2) {
        /* field += const: modulo the field width, as the generic path */
        set_fast(ld, pr);
        if (pr->fast == FS_CONST) {
            struct val c = ld->p->consts[pr->sidx];
            if (pr->op == PR_SUB_FROM_FIELD)
                c.w[0] = ~c.w[0] + 1; /* -c modulo 2^64: the low word is used */
            pr->fast = FS_ADD_CONST;
            pr->sidx = (uint32_t)add_const(ld->p, ld, &c);
        } else {
            pr->fast = FS_NONE;
        }
    }
}

static void
free_prim(struct prim *pr)
{
    for (int i = 0; i < pr->n; i++)
        free_ref(&pr->args[i]);
    free(pr->args);
}

static void
load_actions(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *a = jarr(ld, root, "actions", 0);
    size_t n = a ? json_array_size(a) : 0;
    p->actions = xcalloc(n + 1, sizeof *p->actions);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, "actions[%zu]", i);
        json_t *o = json_array_get(a, i);
        struct action *ac = &p->actions[i];
        const char *nm = jstr(ld, o, "name");
        ac->info.name = xstrdup(nm ? nm : "?");
        ac->info.id = (uint32_t)jint(ld, o, "id", (long long)i, 0);
        p->n_actions++;
        if (nm)
            name_put(p, "action", nm, (int)i);
        json_t *rd = jarr(ld, o, "runtime_data", 0);
        size_t np = rd ? json_array_size(rd) : 0;
        ac->params = xcalloc(np + 1, sizeof *ac->params);
        ac->info.params = ac->params;
        ac->info.n_params = np;
        for (size_t k = 0; k < np && !ld->failed; k++) {
            json_t *pj = json_array_get(rd, k);
            PATH_PUSH(ld, ".runtime_data[%zu]", k);
            const char *pn = jstr(ld, pj, "name");
            ac->params[k].name = xstrdup(pn ? pn : "?");
            ac->params[k].bitwidth = (unsigned)jint(ld, pj, "bitwidth", 0, 1);
            if (ac->params[k].bitwidth > MAX_FIELD_BITS)
                lerr(ld, "parameter width %u not supported",
                     ac->params[k].bitwidth);
            PATH_POP(ld);
        }
        json_t *ps = jarr(ld, o, "primitives", 1);
        size_t nprim = ps ? json_array_size(ps) : 0;
        ac->prims = xcalloc(nprim + 1, sizeof *ac->prims);
        ld->cur_action = ac;
        for (size_t k = 0; k < nprim && !ld->failed; k++) {
            PATH_PUSH(ld, ".primitives[%zu]", k);
            load_prim(ld, json_array_get(ps, k), &ac->prims[k]);
            ac->n_prims++;
            PATH_POP(ld);
        }
        ld->cur_action = NULL;
        PATH_POP(ld);
    }
}

/* ---- parser and deparser -------------------------------------------------- */

static void
load_parser(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *ps = jarr(ld, root, "parsers", 0);
    p->parser.init = -1;
    p->n_parsers = ps ? (int)json_array_size(ps) : 0;
    if (!p->n_parsers)
        return;
    PATH_PUSH(ld, "parsers[0]");
    json_t *pj = json_array_get(ps, 0);
    const char *nm = jstr(ld, pj, "name");
    p->parser.name = xstrdup(nm ? nm : "parser");
    json_t *sts = jarr(ld, pj, "parse_states", 1);
    size_t ns = sts ? json_array_size(sts) : 0;
    p->parser.states = xcalloc(ns + 1, sizeof *p->parser.states);
    for (size_t i = 0; i < ns && !ld->failed; i++) {
        const char *sn = json_string_value(jget(json_array_get(sts, i), "name"));
        if (sn)
            name_put(p, "pstate", sn, (int)i);
    }
    const char *init = jstr(ld, pj, "init_state");
    if (init) {
        p->parser.init = name_get(p, "pstate", init);
        if (p->parser.init < 0)
            lerr(ld, "unknown init_state '%s'", init);
    }
    for (size_t i = 0; i < ns && !ld->failed; i++) {
        PATH_PUSH(ld, ".parse_states[%zu]", i);
        json_t *sj = json_array_get(sts, i);
        struct pstate *st = &p->parser.states[i];
        p->parser.n_states++;
        const char *sn = jstr(ld, sj, "name");
        st->name = xstrdup(sn ? sn : "?");
        json_t *ops = jarr(ld, sj, "parser_ops", 1);
        size_t nops = ops ? json_array_size(ops) : 0;
        st->ops = xcalloc(nops + 1, sizeof *st->ops);
        for (size_t k = 0; k < nops && !ld->failed; k++) {
            PATH_PUSH(ld, ".parser_ops[%zu]", k);
            json_t *oj = json_array_get(ops, k);
            struct pop *op = &st->ops[st->n_ops++];
            const char *on = jstr(ld, oj, "op");
            json_t *pa = jget(oj, "parameters");
            json_t *a0 = json_array_get(pa, 0), *a1 = json_array_get(pa, 1);
            if (!on) {
                PATH_POP(ld);
                break;
            }
            if (!strcmp(on, "extract") || !strcmp(on, "extract_VL")) {
                op->kind = on[7] ? P_EXTRACT_VL : P_EXTRACT;
                const char *ty = json_string_value(jget(a0, "type"));
                json_t *v = jget(a0, "value");
                if (ty && !strcmp(ty, "regular")) {
                    op->dst.kind = R_HEADER;
                    op->dst.id = name_get(p, "header",
                                          json_string_value(v) ? json_string_value(v) : "");
                    if (op->dst.id < 0)
                        lerr(ld, "unknown header '%s'",
                             json_string_value(v) ? json_string_value(v) : "?");
                } else if (ty && !strcmp(ty, "stack")) {
                    op->dst.kind = R_STACK;
                    op->dst.id = name_get(p, "stack",
                                          json_string_value(v) ? json_string_value(v) : "");
                    if (op->dst.id < 0)
                        lerr(ld, "unknown header stack");
                } else if (ty && !strcmp(ty, "union_stack")) {
                    /* [union stack, header name inside the union] */
                    const char *us = json_string_value(json_array_get(v, 0));
                    const char *hn = json_string_value(json_array_get(v, 1));
                    op->dst.kind = R_USTACK;
                    op->dst.id = us ? name_get(p, "ustack", us) : -1;
                    op->dst.str = xstrdup(hn ? hn : "");
                    if (op->dst.id < 0) {
                        lerr(ld, "unknown header union stack");
                    } else {
                        /* position of hn in the union type */
                        const struct hunion *u0 =
                            &p->unions[p->stacks[op->dst.id].hdrs[0]];
                        int pos = -1;
                        for (int q = 0; q < u0->n; q++)
                            if (!strcmp(u0->members[q], op->dst.str))
                                pos = q;
                        if (pos < 0)
                            lerr(ld, "unknown union member '%s'", op->dst.str);
                        op->src2.kind = R_CONST;
                        op->src2.id = pos;
                    }
                } else {
                    lerr(ld, "unsupported extract target type '%s'",
                         ty ? ty : "?");
                }
                if (op->kind == P_EXTRACT_VL) {
                    op->src.kind = R_EXPR;
                    op->src.e = compile_expr(ld, a1);
                }
            } else if (!strcmp(on, "set")) {
                op->kind = P_SET;
                resolve_arg(ld, a0, &op->dst, 1);
                const char *ty = json_string_value(jget(a1, "type"));
                if (ty && !strcmp(ty, "lookahead")) {
                    json_t *v = jget(a1, "value");
                    op->src.kind = R_CONST; /* lookahead: id = offset, via str? */
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
                PATH_PUSH(ld, ".parameters[0]");
                load_prim(ld, a0, &op->prim);
                PATH_POP(ld);
            } else {
                lerr(ld, "unsupported parser op '%s'", on);
            }
            PATH_POP(ld);
        }
        /* transition key */
        json_t *tk = jarr(ld, sj, "transition_key", 0);
        size_t nk = tk ? json_array_size(tk) : 0;
        st->keys = xcalloc(nk + 1, sizeof *st->keys);
        for (size_t k = 0; k < nk && !ld->failed; k++) {
            PATH_PUSH(ld, ".transition_key[%zu]", k);
            json_t *kj = json_array_get(tk, k);
            struct tkey *key = &st->keys[st->n_keys++];
            const char *ty = json_string_value(jget(kj, "type"));
            json_t *v = jget(kj, "value");
            if (ty && !strcmp(ty, "field")) {
                key->kind = K_FIELD;
                key->a = field_ref(ld, v);
                if (key->a >= 0)
                    key->bits = p->fields[key->a].width;
            } else if (ty && !strcmp(ty, "lookahead")) {
                key->kind = K_LOOKAHEAD;
                key->offset = (int)json_integer_value(json_array_get(v, 0));
                key->bits = (int)json_integer_value(json_array_get(v, 1));
                if (key->bits <= 0 || key->bits > MAX_FIELD_BITS)
                    lerr(ld, "lookahead width %d not supported", key->bits);
            } else if (ty && (!strcmp(ty, "stack_field") ||
                              !strcmp(ty, "union_stack_field"))) {
                int is_u = ty[0] == 'u';
                const char *stn = json_string_value(json_array_get(v, 0));
                int s = stn ? name_get(p, is_u ? "ustack" : "stack", stn) : -1;
                if (s < 0) {
                    lerr(ld, "unknown stack '%s'", stn ? stn : "?");
                } else {
                    int h0;
                    const char *fn;
                    key->kind = is_u ? K_USTACK_FIELD : K_STACK_FIELD;
                    key->a = s;
                    if (is_u) {
                        const struct hunion *u0 = &p->unions[p->stacks[s].hdrs[0]];
                        const char *hn = json_string_value(json_array_get(v, 1));
                        fn = json_string_value(json_array_get(v, 2));
                        key->b = -1;
                        for (int q = 0; q < u0->n; q++)
                            if (hn && !strcmp(u0->members[q], hn))
                                key->b = q;
                        if (key->b < 0) {
                            lerr(ld, "unknown union member '%s'", hn ? hn : "?");
                            PATH_POP(ld);
                            break;
                        }
                        h0 = u0->hdrs[key->b];
                    } else {
                        h0 = p->stacks[s].hdrs[0];
                        fn = json_string_value(json_array_get(v, 1));
                    }
                    key->c = -1;
                    for (int q = 0; q < p->hdrs[h0].n_fields; q++) {
                        const char *dot =
                            strrchr(p->fields[p->hdrs[h0].first_field + q].name, '.');
                        if (fn && dot && !strcmp(dot + 1, fn))
                            key->c = q;
                    }
                    if (key->c < 0)
                        lerr(ld, "unknown field '%s'", fn ? fn : "?");
                    else
                        key->bits = p->fields[p->hdrs[h0].first_field + key->c].width;
                }
            } else {
                lerr(ld, "unsupported transition key type '%s'", ty ? ty : "?");
            }
            st->key_bytes += (key->bits + 7) / 8;
            PATH_POP(ld);
        }
        /* transitions */
        json_t *trs = jarr(ld, sj, "transitions", 1);
        size_t nt = trs ? json_array_size(trs) : 0;
        st->trans = xcalloc(nt + 1, sizeof *st->trans);
        for (size_t k = 0; k < nt && !ld->failed; k++) {
            PATH_PUSH(ld, ".transitions[%zu]", k);
            json_t *tj = json_array_get(trs, k);
            struct transition *tr = &st->trans[st->n_trans++];
            const char *ty = json_string_value(jget(tj, "type"));
            json_t *v = jget(tj, "value");
            json_t *m = jget(tj, "mask");
            const char *next = json_string_value(jget(tj, "next_state"));
            tr->next = -1;
            if (next) {
                tr->next = name_get(p, "pstate", next);
                if (tr->next < 0)
                    lerr(ld, "unknown next_state '%s'", next);
            }
            if ((ty && !strcmp(ty, "default")) ||
                (!ty && json_is_string(v) && !strcmp(json_string_value(v), "default"))) {
                tr->kind = 1;
            } else if (ty && !strcmp(ty, "parse_vset")) {
                tr->kind = 2;
                const char *vn = json_string_value(v);
                tr->vset = vn ? name_get(p, "pvs", vn) : -1;
                if (tr->vset < 0)
                    lerr(ld, "unknown parse_vset '%s'", vn ? vn : "?");
            } else if (!ty || !strcmp(ty, "hexstr")) {
                tr->kind = 0;
                struct val tv, tm;
                const char *vs = json_string_value(v);
                if (!vs || val_parse(&tv, vs)) {
                    lerr(ld, "bad transition value");
                } else {
                    tr->value = xcalloc((size_t)st->key_bytes + 1, 1);
                    tr->mask = xcalloc((size_t)st->key_bytes + 1, 1);
                    val_to_bytes(&tv, tr->value, (size_t)st->key_bytes);
                    if (json_is_string(m) && !val_parse(&tm, json_string_value(m)))
                        val_to_bytes(&tm, tr->mask, (size_t)st->key_bytes);
                    else
                        memset(tr->mask, 0xff, (size_t)st->key_bytes);
                    if (st->key_bytes > VAL_W * 8)
                        lerr(ld, "transition key of %d bytes not supported",
                             st->key_bytes);
                }
            } else {
                lerr(ld, "unsupported transition type '%s'", ty);
            }
            PATH_POP(ld);
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
        PATH_POP(ld);
    }
    PATH_POP(ld);
}

static void
load_deparser(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *ds = jarr(ld, root, "deparsers", 0);
    if (!ds || !json_array_size(ds))
        return;
    PATH_PUSH(ld, "deparsers[0]");
    json_t *dj = json_array_get(ds, 0);
    json_t *ord = jarr(ld, dj, "order", 1);
    size_t n = ord ? json_array_size(ord) : 0;
    p->deparser.hdrs = xcalloc(n + 1, sizeof(int));
    const char *nm = json_string_value(jget(dj, "name"));
    p->deparser.name = xstrdup(nm ? nm : "deparser");
    for (size_t i = 0; i < n && !ld->failed; i++) {
        const char *hn = json_string_value(json_array_get(ord, i));
        int h = hn ? name_get(p, "header", hn) : -1;
        if (h < 0) {
            PATH_PUSH(ld, ".order[%zu]", i);
            lerr(ld, "unknown header '%s'", hn ? hn : "?");
            PATH_POP(ld);
            break;
        }
        p->deparser.hdrs[p->deparser.n++] = h;
    }
    json_t *prims = jget(dj, "primitives");
    size_t np = json_is_array(prims) ? json_array_size(prims) : 0;
    p->deparser.prims = xcalloc(np + 1, sizeof *p->deparser.prims);
    for (size_t i = 0; i < np && !ld->failed; i++) {
        PATH_PUSH(ld, ".primitives[%zu]", i);
        load_prim(ld, json_array_get(prims, i), &p->deparser.prims[i]);
        p->deparser.n_prims++;
        PATH_POP(ld);
    }
    PATH_POP(ld);
}

/* ---- pipelines ---------------------------------------------------------- */

static const char *const match_names[] = {"exact", "lpm", "ternary", "range",
                                          "valid", "optional"};

static int
match_kind(const char *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(match_names); i++)
        if (s && !strcmp(s, match_names[i]))
            return (int)i;
    return -1;
}

const char *
sw_match_kind_name(enum sw_match_kind k)
{
    return (unsigned)k < ARRAY_SIZE(match_names) ? match_names[k] : "?";
}

static int
node_ref(struct ld *ld, json_t *v)
{
    if (!v || json_is_null(v))
        return -1;
    const char *s = json_string_value(v);
    int n = s ? name_get(ld->p, "node", s) : -1;
    if (n < 0)
        lerr(ld, "unknown table or conditional '%s'", s ? s : "?");
    return n;
}

/* Converts hex strings to a byte string of exactly nbytes. */
static int
hex_bytes(json_t *v, uint8_t *out, size_t nbytes)
{
    struct val t;
    if (!json_is_string(v) || val_parse(&t, json_string_value(v)))
        return -1;
    val_to_bytes(&t, out, nbytes);
    return 0;
}

static void
load_action_entry(struct ld *ld, json_t *ae, struct act_call *c, int *action)
{
    struct prog *p = ld->p;
    long long aid = jint(ld, ae, "action_id", -1, 1);
    int a = -1;
    for (int i = 0; i < p->n_actions; i++)
        if (p->actions[i].info.id == (uint32_t)aid)
            a = i;
    if (a < 0) {
        if (!ld->failed)
            lerr(ld, "unknown action id %lld", aid);
        return;
    }
    json_t *ad = jget(ae, "action_data");
    size_t n = json_is_array(ad) ? json_array_size(ad) : 0;
    if (n != p->actions[a].info.n_params) {
        lerr(ld, "action '%s' takes %zu parameters, action_data has %zu",
             p->actions[a].info.name, p->actions[a].info.n_params, n);
        return;
    }
    c->action = a;
    c->args = xcalloc(n + 1, sizeof *c->args);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(ad, i);
        if (!json_is_string(v) || val_parse(&c->args[i], json_string_value(v))) {
            lerr(ld, "bad action_data[%zu]", i);
            return;
        }
        val_trunc(&c->args[i], p->actions[a].params[i].bitwidth);
    }
    if (action)
        *action = a;
}

static void
load_const_entries(struct ld *ld, struct table *t, json_t *ents)
{
    size_t n = json_array_size(ents);
    uint8_t *bufs = xcalloc((size_t)t->n_keys * 2 + 1, 64);
    struct sw_match_param *mp = xcalloc((size_t)t->n_keys + 1, sizeof *mp);
    uint8_t *key = xcalloc((size_t)t->key_bytes + 1, 1);
    uint8_t *mask = xcalloc((size_t)t->key_bytes + 1, 1);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        PATH_PUSH(ld, ".entries[%zu]", i);
        json_t *ej = json_array_get(ents, i);
        json_t *mk = jarr(ld, ej, "match_key", 1);
        if (!mk || (int)json_array_size(mk) != t->n_keys) {
            lerr(ld, "match_key must have %d elements", t->n_keys);
            PATH_POP(ld);
            break;
        }
        for (int k = 0; k < t->n_keys && !ld->failed; k++) {
            json_t *kj = json_array_get(mk, k);
            struct sw_match_param *m = &mp[k];
            size_t nb = (size_t)t->keys[k].bytes;
            uint8_t *kb = bufs + (size_t)k * 2 * 64, *mb = kb + 64;
            memset(m, 0, sizeof *m);
            m->kind = t->keys[k].info.kind;
            const char *mt = json_string_value(jget(kj, "match_type"));
            if (match_kind(mt) != (int)m->kind) {
                lerr(ld, "match_key[%d]: match_type '%s' does not match the key's '%s'",
                     k, mt ? mt : "?", sw_match_kind_name(m->kind));
                break;
            }
            m->key.v = kb;
            m->key.len = nb;
            m->mask.v = mb;
            m->mask.len = nb;
            json_t *kv = jget(kj, m->kind == SW_MATCH_RANGE ? "start" : "key");
            if (m->kind == SW_MATCH_VALID && json_is_boolean(kv)) {
                kb[0] = json_is_true(kv);
            } else if (hex_bytes(kv, kb, nb)) {
                lerr(ld, "match_key[%d]: bad key", k);
                break;
            }
            if (m->kind == SW_MATCH_TERNARY || m->kind == SW_MATCH_OPTIONAL) {
                json_t *mv = jget(kj, "mask");
                if (mv && hex_bytes(mv, mb, nb)) {
                    lerr(ld, "match_key[%d]: bad mask", k);
                    break;
                }
                if (!mv)
                    memset(mb, 0xff, nb);
                if (m->kind == SW_MATCH_OPTIONAL) {
                    m->kind = SW_MATCH_TERNARY; /* packed as ternary */
                }
            } else if (m->kind == SW_MATCH_RANGE) {
                if (hex_bytes(jget(kj, "end"), mb, nb)) {
                    lerr(ld, "match_key[%d]: bad range end", k);
                    break;
                }
            } else if (m->kind == SW_MATCH_LPM) {
                m->prefix_len = (int)jint(ld, kj, "prefix_length", 0, 1);
            }
        }
        if (!ld->failed) {
            struct err e2 = {0};
            int plen;
            /* optional keys were turned into ternary for packing */
            for (int k = 0; k < t->n_keys; k++)
                if (t->keys[k].info.kind == SW_MATCH_OPTIONAL)
                    mp[k].kind = SW_MATCH_OPTIONAL;
            if (table_pack_entry(t, mp, (size_t)t->n_keys, key, mask, &plen, &e2)) {
                lerr(ld, "%s", e2.msg);
            } else {
                int prio = (int)jint(ld, ej, "priority", (long long)i, 0);
                uint64_t h;
                PATH_PUSH(ld, ".action_entry");
                struct act_call c = {.action = -1};
                load_action_entry(ld, jget(ej, "action_entry"), &c, NULL);
                PATH_POP(ld);
                if (!ld->failed) {
                    int rc = table_insert(t, key, mask, plen, prio, &h);
                    if (rc == -EEXIST) {
                        act_call_free(&c);
                    } else if (rc) {
                        lerr(ld, "cannot add entry: %s", strerror(-rc));
                        act_call_free(&c);
                    } else {
                        struct entry *en = &t->ents[table_find_handle(t, h)];
                        en->call = c;
                        en->kind = SW_REF_ACTION;
                        en->is_const = 1;
                    }
                } else {
                    act_call_free(&c);
                }
            }
        }
        PATH_POP(ld);
    }
    free(bufs);
    free(mp);
    free(key);
    free(mask);
}

static void
add_prof(struct ld *ld, json_t *o, const char *name, json_t *sel)
{
    struct prog *p = ld->p;
    struct act_prof *ap = &p->profs[p->n_profs];
    memset(ap, 0, sizeof *ap);
    ap->info.name = xstrdup(name ? name : "?");
    ap->info.id = (uint32_t)jint(ld, o, "id", p->n_profs, 0);
    ap->info.kind = SW_OBJ_ACT_PROF;
    if (name)
        name_put(p, "act_prof", name, p->n_profs);
    ap->info.size = (size_t)jint(ld, o, "max_size", 0, 0);
    ap->calc = -1;
    if (sel && !json_is_null(sel)) {
        ap->info.with_selector = 1;
        /* a private calculation for the selector hash */
        struct calc c = {0};
        c.name = xasprintf("%s$selector", ap->info.name);
        const char *al = json_string_value(jget(sel, "algo"));
        size_t q;
        for (q = 0; q < ARRAY_SIZE(algos); q++)
            if (al && !strcmp(algos[q].name, al))
                break;
        c.algo = q < ARRAY_SIZE(algos) ? algos[q].algo : A_CRC16;
        json_t *in = jget(sel, "input");
        size_t ni = json_is_array(in) ? json_array_size(in) : 0;
        c.in = xcalloc(ni + 1, sizeof *c.in);
        for (size_t r = 0; r < ni; r++) {
            c.in[c.n_in].kind = 0;
            c.in[c.n_in].id = field_ref(ld, jget(json_array_get(in, r), "value"));
            c.n_in++;
        }
        p->calcs = xrealloc(p->calcs, (size_t)(p->n_calcs + 2) * sizeof *p->calcs);
        p->calcs[p->n_calcs] = c;
        ap->calc = p->n_calcs++;
    }
    p->n_profs++;
}

static void
load_pipelines(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *pls = jarr(ld, root, "pipelines", 0);
    size_t npl = pls ? json_array_size(pls) : 0;
    p->ingress.init = p->egress.init = -1;
    /* count and name everything first: next tables refer forward */
    size_t nt = 0, nc = 0, nap = 0;
    for (size_t i = 0; i < npl; i++) {
        json_t *pl = json_array_get(pls, i);
        json_t *a = jget(pl, "tables");
        nt += json_is_array(a) ? json_array_size(a) : 0;
        a = jget(pl, "conditionals");
        nc += json_is_array(a) ? json_array_size(a) : 0;
        a = jget(pl, "action_profiles");
        nap += json_is_array(a) ? json_array_size(a) : 0;
    }
    p->tables = xcalloc(nt + 1, sizeof *p->tables);
    p->conds = xcalloc(nc + 1, sizeof *p->conds);
    p->profs = xcalloc(nap + 1, sizeof *p->profs);
    p->nodes = xcalloc(nt + nc + 1, sizeof *p->nodes);
    for (size_t i = 0; i < npl; i++) {
        json_t *pl = json_array_get(pls, i);
        json_t *a = jget(pl, "tables");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            const char *nm = json_string_value(jget(json_array_get(a, k), "name"));
            p->nodes[p->n_nodes] = (struct node){N_TABLE, p->n_tables};
            if (nm) {
                name_put(p, "node", nm, p->n_nodes);
                name_put(p, "table", nm, p->n_tables);
            }
            p->n_nodes++;
            p->n_tables++;
        }
        a = jget(pl, "conditionals");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            const char *nm = json_string_value(jget(json_array_get(a, k), "name"));
            p->nodes[p->n_nodes] = (struct node){N_COND, p->n_conds};
            if (nm)
                name_put(p, "node", nm, p->n_nodes);
            p->n_nodes++;
            p->n_conds++;
        }
        a = jget(pl, "action_profiles");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            json_t *o = json_array_get(a, k);
            add_prof(ld, o, json_string_value(jget(o, "name")), jget(o, "selector"));
        }
        /* older JSON: the profile is declared by the table (act_prof_name) */
        a = jget(pl, "tables");
        for (size_t k = 0; json_is_array(a) && k < json_array_size(a); k++) {
            json_t *o = json_array_get(a, k);
            const char *apn = json_string_value(jget(o, "act_prof_name"));
            if (apn && !jget(o, "action_profile") && name_get(p, "act_prof", apn) < 0) {
                p->profs = xrealloc(p->profs, (size_t)(p->n_profs + 2) * sizeof *p->profs);
                add_prof(ld, o, apn, jget(o, "selector"));
            }
        }
    }
    int ti = 0, ci = 0;
    for (size_t i = 0; i < npl && !ld->failed; i++) {
        PATH_PUSH(ld, "pipelines[%zu]", i);
        json_t *pl = json_array_get(pls, i);
        const char *pn = jstr(ld, pl, "name");
        struct pipeline *pp = NULL;
        if (pn && !strcmp(pn, "ingress"))
            pp = &p->ingress;
        else if (pn && !strcmp(pn, "egress"))
            pp = &p->egress;
        else if (pn)
            lerr(ld, "unknown pipeline '%s' (v1model has ingress and egress)", pn);
        if (pp) {
            pp->name = xstrdup(pn);
            pp->init = node_ref(ld, jget(pl, "init_table"));
        }
        json_t *tabs = jget(pl, "tables");
        for (size_t k = 0; json_is_array(tabs) && k < json_array_size(tabs) &&
                           !ld->failed; k++) {
            PATH_PUSH(ld, ".tables[%zu]", k);
            json_t *tj = json_array_get(tabs, k);
            struct table *t = &p->tables[ti++];
            const char *nm = jstr(ld, tj, "name");
            t->info.name = xstrdup(nm ? nm : "?");
            t->info.id = (uint32_t)jint(ld, tj, "id", 0, 0);
            t->info.max_size = (size_t)jint(ld, tj, "max_size", 1024, 0);
            t->info.with_counters = (int)jint(ld, tj, "with_counters", 0, 0);
            t->info.with_ageing = (int)jint(ld, tj, "support_timeout", 0, 0);
            t->act_prof = t->direct_counter = t->direct_meter = -1;
            t->lpm_key = -1;
            const char *mt = jstr(ld, tj, "match_type");
            int mk = match_kind(mt);
            if (mt && mk < 0)
                lerr(ld, "unknown match_type '%s'", mt);
            t->info.match_type = mk < 0 ? SW_MATCH_EXACT : (enum sw_match_kind)mk;
            const char *ty = json_string_value(jget(tj, "type"));
            if (!ty || !strcmp(ty, "simple")) {
                t->info.kind = SW_TABLE_DIRECT;
            } else if (!strcmp(ty, "indirect") || !strcmp(ty, "indirect_ws")) {
                t->info.kind = ty[8] ? SW_TABLE_INDIRECT_WS : SW_TABLE_INDIRECT;
                const char *apn = json_string_value(jget(tj, "action_profile"));
                if (!apn)
                    apn = json_string_value(jget(tj, "act_prof_name"));
                t->act_prof = apn ? name_get(p, "act_prof", apn) : -1;
                if (t->act_prof < 0)
                    lerr(ld, "unknown action_profile '%s'", apn ? apn : "?");
                else
                    t->info.action_profile = p->profs[t->act_prof].info.name;
            } else {
                lerr(ld, "unknown table type '%s'", ty);
            }
            /* keys */
            json_t *keys = jarr(ld, tj, "key", 1);
            size_t nk = keys ? json_array_size(keys) : 0;
            t->keys = xcalloc(nk + 1, sizeof *t->keys);
            t->key_infos = xcalloc(nk + 1, sizeof *t->key_infos);
            for (size_t q = 0; q < nk && !ld->failed; q++) {
                PATH_PUSH(ld, ".key[%zu]", q);
                json_t *kj = json_array_get(keys, q);
                struct mkey *key = &t->keys[t->n_keys++];
                const char *kmt = jstr(ld, kj, "match_type");
                int kk = match_kind(kmt);
                if (kmt && kk < 0) {
                    const char *s = diag_suggest(kmt, match_names, ARRAY_SIZE(match_names));
                    if (s)
                        lerr(ld, "unknown match_type '%s' (did you mean '%s'?)", kmt, s);
                    else
                        lerr(ld, "unknown match_type '%s'", kmt);
                    PATH_POP(ld);
                    break;
                }
                key->info.kind = (enum sw_match_kind)kk;
                json_t *tg = jget(kj, "target");
                const char *kname = json_string_value(jget(kj, "name"));
                if (kk == SW_MATCH_VALID && json_is_string(tg)) {
                    key->src.kind = R_HEADER;
                    key->src.id = name_get(p, "header", json_string_value(tg));
                    if (key->src.id < 0)
                        lerr(ld, "unknown header '%s'", json_string_value(tg));
                    key->info.bitwidth = 1;
                    key->info.name = xstrdup(kname ? kname : json_string_value(tg));
                } else {
                    key->src.kind = R_FIELD;
                    key->src.id = field_ref(ld, tg);
                    if (key->src.id >= 0) {
                        key->info.bitwidth = p->fields[key->src.id].width;
                        key->info.name = xstrdup(kname ? kname : p->fields[key->src.id].name);
                        if (kk == SW_MATCH_VALID)
                            key->info.bitwidth = 1;
                    }
                }
                if (!key->info.name)
                    key->info.name = xstrdup("?");
                key->bytes = ((int)key->info.bitwidth + 7) / 8;
                key->off = t->key_bytes;
                t->key_bytes += key->bytes;
                json_t *km = jget(kj, "mask");
                if (json_is_string(km)) {
                    key->kmask = xcalloc((size_t)key->bytes + 1, 1);
                    hex_bytes(km, key->kmask, (size_t)key->bytes);
                }
                if (kk == SW_MATCH_LPM) {
                    if (t->lpm_key >= 0)
                        lerr(ld, "a table may have only one lpm key");
                    t->lpm_key = (int)q;
                }
                if (kk == SW_MATCH_TERNARY || kk == SW_MATCH_OPTIONAL)
                    t->has_ternary = 1;
                if (kk == SW_MATCH_RANGE)
                    t->has_range = 1;
                t->key_infos[q] = key->info;
                PATH_POP(ld);
            }
            t->info.n_keys = (size_t)t->n_keys;
            t->info.keys = t->key_infos;
            t->k64 = t->n_keys > 0 && t->key_bytes <= 8 && !t->has_ternary &&
                     !t->has_range;
            for (int q = 0; q < t->n_keys; q++) {
                struct mkey *key = &t->keys[q];
                const struct field *kf =
                    key->src.kind == R_FIELD && key->src.id >= 0 ? &p->fields[key->src.id]
                                                                 : NULL;
                key->fast = kf && !kf->wide && !kf->varbit &&
                            key->info.kind != SW_MATCH_VALID;
                if (key->fast) {
                    key->slot = kf->slot;
                    key->kmask64 = key->kmask ? 0 : ~UINT64_C(0);
                    for (int b = 0; key->kmask && b < key->bytes; b++)
                        key->kmask64 = (key->kmask64 << 8) | key->kmask[b];
                }
                if (!key->fast)
                    t->k64 = 0;
            }
            /* actions and next tables */
            json_t *acts = jarr(ld, tj, "actions", 1);
            size_t na = acts ? json_array_size(acts) : 0;
            t->action_ids = xcalloc(na + 1, sizeof(uint32_t));
            t->next_by_action = xcalloc((size_t)p->n_actions + 1, sizeof(int));
            for (int q = 0; q < p->n_actions; q++)
                t->next_by_action[q] = -2; /* not an action of this table */
            t->base_next = node_ref(ld, jget(tj, "base_default_next"));
            json_t *nts = jget(tj, "next_tables");
            for (size_t q = 0; q < na && !ld->failed; q++) {
                const char *an = json_string_value(json_array_get(acts, q));
                int a = an ? name_get(p, "action", an) : -1;
                if (a < 0) {
                    PATH_PUSH(ld, ".actions[%zu]", q);
                    lerr(ld, "unknown action '%s'", an ? an : "?");
                    PATH_POP(ld);
                    break;
                }
                t->action_ids[q] = p->actions[a].info.id;
                json_t *nx = jget(nts, an);
                PATH_PUSH(ld, ".next_tables");
                t->next_by_action[a] = nx ? node_ref(ld, nx) : t->base_next;
                PATH_POP(ld);
            }
            t->info.n_actions = na;
            t->info.action_ids = t->action_ids;
            if (jget(nts, "__HIT__") || jget(nts, "__MISS__")) {
                t->has_hit_miss = 1;
                PATH_PUSH(ld, ".next_tables");
                t->next_hit = node_ref(ld, jget(nts, "__HIT__"));
                t->next_miss = node_ref(ld, jget(nts, "__MISS__"));
                PATH_POP(ld);
            }
            table_setup(t);
            /* default entry */
            t->def.action = t->prog_def.action = -1;
            json_t *de = jget(tj, "default_entry");
            if (de && !json_is_null(de)) {
                PATH_PUSH(ld, ".default_entry");
                load_action_entry(ld, de, &t->prog_def, NULL);
                t->info.const_default = (int)jint(ld, de, "action_const", 0, 0);
                PATH_POP(ld);
                if (t->prog_def.action >= 0) {
                    t->def.action = t->prog_def.action;
                    size_t np = p->actions[t->def.action].info.n_params;
                    t->def.args = xcalloc(np + 1, sizeof(struct val));
                    memcpy(t->def.args, t->prog_def.args, np * sizeof(struct val));
                }
            }
            json_t *ents = jget(tj, "entries");
            if (json_is_array(ents) && json_array_size(ents)) {
                t->info.const_entries = 1;
                load_const_entries(ld, t, ents);
            }
            const char *dm = json_string_value(jget(tj, "direct_meters"));
            if (dm) {
                t->direct_meter = name_get(p, "meter", dm);
                t->info.with_meters = t->direct_meter >= 0;
            }
            PATH_POP(ld);
        }
        json_t *conds = jget(pl, "conditionals");
        for (size_t k = 0; json_is_array(conds) && k < json_array_size(conds) &&
                           !ld->failed; k++) {
            PATH_PUSH(ld, ".conditionals[%zu]", k);
            json_t *cj = json_array_get(conds, k);
            struct cond *c = &p->conds[ci++];
            const char *nm = jstr(ld, cj, "name");
            c->name = xstrdup(nm ? nm : "?");
            PATH_PUSH(ld, ".expression");
            c->e = compile_expr(ld, jget(cj, "expression"));
            PATH_POP(ld);
            c->t_next = node_ref(ld, jget(cj, "true_next"));
            c->f_next = node_ref(ld, jget(cj, "false_next"));
            PATH_POP(ld);
        }
        PATH_POP(ld);
    }
    /* bind direct counters and meters to their tables */
    for (int i = 0; i < p->n_counters; i++) {
        struct counter_arr *c = &p->counters[i];
        if (!c->info.direct_table)
            continue;
        int t = name_get(p, "table", c->info.direct_table);
        if (t >= 0) {
            c->direct_table = t;
            p->tables[t].direct_counter = i;
            p->tables[t].info.with_counters = 1;
        }
    }
    for (int i = 0; i < p->n_meters; i++) {
        struct meter_arr *m = &p->meters[i];
        if (!m->info.direct_table)
            continue;
        int t = name_get(p, "table", m->info.direct_table);
        if (t >= 0) {
            m->direct_table = t;
            p->tables[t].direct_meter = i;
            p->tables[t].info.with_meters = 1;
        }
    }
}

/* ---- the whole program ---------------------------------------------------- */

static int
sm_field(struct prog *p, const char *name)
{
    int f = name_get(p, "field", name);
    if (f < 0) {
        /* older programs: intrinsic_metadata / queueing_metadata */
        static const char *const hdrs[] = {"intrinsic_metadata",
                                           "queueing_metadata"};
        const char *dot = strchr(name, '.');
        for (size_t i = 0; i < ARRAY_SIZE(hdrs) && f < 0 && dot; i++) {
            char alt[256];
            snprintf(alt, sizeof alt, "%s%s", hdrs[i], dot);
            f = name_get(p, "field", alt);
        }
    }
    return f;
}

static int
error_value(struct prog *p, const char *name, int dflt)
{
    for (int i = 0; i < p->n_errors; i++)
        if (!strcmp(p->errors[i], name))
            return p->error_vals[i];
    return dflt;
}

static int
expr_reads(const struct expr *e, int f)
{
    if (!e)
        return 0;
    for (int i = 0; i < e->n; i++)
        if ((e->ins[i].op == E_FIELD && (int)e->ins[i].a == f) ||
            e->ins[i].op == E_ACCESS_FIELD)
            return 1; /* runtime field access: assume it may be f */
    return 0;
}

static int
ref_reads(const struct ref *r, int f)
{
    return (r->kind == R_FIELD && r->id == f) || expr_reads(r->e, f);
}

/* Whether any part of the program can read field f (used to skip checksum
 * verification when nothing reads checksum_error). Conservative. */
static int
reads_field(const struct prog *p, int f)
{
    if (f < 0)
        return 0;
    int h = p->fields[f].hdr;
    for (int i = 0; i < p->n_conds; i++)
        if (expr_reads(p->conds[i].e, f))
            return 1;
    for (int i = 0; i < p->n_actions; i++)
        for (int k = 0; k < p->actions[i].n_prims; k++) {
            const struct prim *pr = &p->actions[i].prims[k];
            for (int a = 0; a < pr->n; a++)
                if (ref_reads(&pr->args[a], f) ||
                    (pr->args[a].kind == R_HEADER && pr->args[a].id == h) ||
                    pr->args[a].kind == R_LVEXPR || pr->args[a].kind == R_OBJ)
                    return 1; /* whole-header copies, lists, registers ... */
        }
    for (int i = 0; i < p->parser.n_states; i++) {
        const struct pstate *st = &p->parser.states[i];
        for (int k = 0; k < st->n_ops; k++)
            if (ref_reads(&st->ops[k].src, f) || ref_reads(&st->ops[k].src2, f) ||
                st->ops[k].kind == P_PRIM)
                return 1;
        for (int k = 0; k < st->n_keys; k++)
            if (st->keys[k].kind == K_FIELD && st->keys[k].a == f)
                return 1;
    }
    for (int i = 0; i < p->n_tables; i++)
        for (int k = 0; k < p->tables[i].n_keys; k++)
            if (p->tables[i].keys[k].src.kind == R_FIELD &&
                p->tables[i].keys[k].src.id == f)
                return 1;
    for (int i = 0; i < p->n_cksums; i++)
        if (expr_reads(p->cksums[i].cond, f))
            return 1;
    for (int i = 0; i < p->n_calcs; i++)
        for (int k = 0; k < p->calcs[i].n_in; k++)
            if ((p->calcs[i].in[k].kind == 0 && p->calcs[i].in[k].id == f) ||
                (p->calcs[i].in[k].kind == 3 && p->calcs[i].in[k].id == h))
                return 1;
    for (int i = 0; i < p->n_flists; i++)
        for (int k = 0; k < p->flists[i].n; k++)
            if (p->flists[i].fields[k] == f)
                return 1;
    for (int i = 0; i < p->n_learns; i++)
        for (int k = 0; k < p->learns[i].n; k++)
            if (p->learns[i].fields[k] == f)
                return 1;
    for (int i = 0; i < p->deparser.n; i++)
        if (p->deparser.hdrs[i] == h)
            return 1;
    return 0;
}

struct prog *
prog_load(const char *json, size_t len, const char *name, struct err *e)
{
    struct prog *p = xcalloc(1, sizeof *p);
    struct ld ld = {.p = p, .e = e};
    p->name = xstrdup(name ? name : "(buffer)");
    hmap_init(&p->by_name);
    p->parser.init = -1;
    p->ingress.init = p->egress.init = -1;
    json_error_t je;
    json_t *root = json_loadb(json, len, 0, &je);
    if (!root) {
        err_set(e, -EINVAL, "%s:%d:%d: error: invalid JSON: %s", p->name,
                je.line, je.column, je.text);
        prog_free(p);
        return NULL;
    }
    if (!json_is_object(root)) {
        lerr(&ld, "a BMv2 JSON program is an object");
        goto out;
    }
    if (!jget(root, "header_types") || !jget(root, "headers")) {
        lerr(&ld, "not a BMv2 JSON program (no \"header_types\"/\"headers\")");
        goto out;
    }
    p->json = xmalloc(len + 1);
    memcpy(p->json, json, len);
    p->json[len] = 0;
    p->json_len = len;
    load_headers(&ld, root);
    /* errors */
    json_t *errs = jarr(&ld, root, "errors", 0);
    size_t ne = errs ? json_array_size(errs) : 0;
    p->errors = xcalloc(ne + 1, sizeof(char *));
    p->error_vals = xcalloc(ne + 1, sizeof(int));
    for (size_t i = 0; i < ne && !ld.failed; i++) {
        json_t *ej = json_array_get(errs, i);
        const char *en = json_string_value(json_array_get(ej, 0));
        p->errors[i] = xstrdup(en ? en : "?");
        p->error_vals[i] = (int)json_integer_value(json_array_get(ej, 1));
        p->n_errors++;
    }
    /* field aliases: ["alias.name", ["hdr", "field"]] */
    json_t *al = jarr(&ld, root, "field_aliases", 0);
    for (size_t i = 0; al && i < json_array_size(al) && !ld.failed; i++) {
        json_t *aj = json_array_get(al, i);
        const char *an = json_string_value(json_array_get(aj, 0));
        PATH_PUSH(&ld, "field_aliases[%zu]", i);
        int f = field_ref(&ld, json_array_get(aj, 1));
        if (an && f >= 0 && name_get(p, "field", an) < 0) {
            name_put(p, "field", an, f);
            /* also as a [header, field] pair split at the first dot */
        }
        PATH_POP(&ld);
    }
    if (!ld.failed)
        load_arrays(&ld, root);
    if (!ld.failed)
        load_calcs(&ld, root);
    if (!ld.failed)
        load_actions(&ld, root);
    if (!ld.failed)
        load_parser(&ld, root);
    if (!ld.failed)
        load_deparser(&ld, root);
    if (!ld.failed)
        load_pipelines(&ld, root);
    if (!ld.failed)
        load_checksums(&ld, root);
    if (!ld.failed) {
        /* extern instances (none in v1model programs) are accepted; a
         * primitive that calls one is refused where it is loaded */
        json_t *ex = jarr(&ld, root, "extern_instances", 0);
        for (size_t i = 0; ex && i < json_array_size(ex); i++) {
            const char *en = json_string_value(jget(json_array_get(ex, i), "name"));
            if (en)
                name_put(p, "extern", en, (int)i);
        }
    }
    if (ld.failed)
        goto out;
    for (int h = 0; h < p->n_hdrs; h++) {
        struct header *hd = &p->hdrs[h];
        hd->narrow = 1;
        for (int i = 0; i < hd->n_fields; i++) {
            const struct field *f = &p->fields[hd->first_field + i];
            if (f->varbit || f->width > 56)
                hd->narrow = 0;
        }
        if (hd->narrow) {
            hd->widths = xcalloc((size_t)hd->n_fields + 1, 1);
            for (int i = 0; i < hd->n_fields; i++)
                hd->widths[i] = (uint8_t)p->fields[hd->first_field + i].width;
        }
    }
    for (int c = 0; c < p->n_calcs; c++) {
        struct calc *cl = &p->calcs[c];
        int k = 0;
        while (k < cl->n_in && cl->in[k].kind == 0 && cl->in[k].id >= 0 &&
               !p->fields[cl->in[k].id].varbit && p->fields[cl->in[k].id].width <= 56)
            k++;
        cl->narrow_prefix = k;
        cl->nslots = xcalloc((size_t)k + 1, sizeof(uint32_t));
        cl->nwidths = xcalloc((size_t)k + 1, 1);
        for (int q = 0; q < k; q++) {
            cl->nslots[q] = p->fields[cl->in[q].id].slot;
            cl->nwidths[q] = (uint8_t)p->fields[cl->in[q].id].width;
        }
    }
#define SM(f, n) p->sm.f = sm_field(p, n)
    SM(ingress_port, "standard_metadata.ingress_port");
    SM(egress_spec, "standard_metadata.egress_spec");
    SM(egress_port, "standard_metadata.egress_port");
    SM(instance_type, "standard_metadata.instance_type");
    SM(packet_length, "standard_metadata.packet_length");
    SM(enq_timestamp, "standard_metadata.enq_timestamp");
    SM(enq_qdepth, "standard_metadata.enq_qdepth");
    SM(deq_timedelta, "standard_metadata.deq_timedelta");
    SM(deq_qdepth, "standard_metadata.deq_qdepth");
    SM(ingress_global_timestamp, "standard_metadata.ingress_global_timestamp");
    SM(egress_global_timestamp, "standard_metadata.egress_global_timestamp");
    SM(mcast_grp, "standard_metadata.mcast_grp");
    SM(egress_rid, "standard_metadata.egress_rid");
    SM(checksum_error, "standard_metadata.checksum_error");
    SM(parser_error, "standard_metadata.parser_error");
    SM(priority, "standard_metadata.priority");
    SM(clone_spec, "standard_metadata.clone_spec");
    SM(lf_field_list, "standard_metadata.lf_field_list");
    SM(resubmit_flag, "standard_metadata.resubmit_flag");
    SM(recirculate_flag, "standard_metadata.recirculate_flag");
#undef SM
    p->verify_needed = reads_field(p, p->sm.checksum_error);
    p->phv_init = xcalloc((size_t)p->n_slots + 1, sizeof(uint64_t));
    for (int h = 0; h < p->n_hdrs; h++)
        if (p->hdrs[h].metadata)
            p->phv_init[p->hdrs[h].valid_slot] = 1;
    p->err_no_error = error_value(p, "NoError", 0);
    p->err_too_short = error_value(p, "PacketTooShort", 1);
    p->err_no_match = error_value(p, "NoMatch", 2);
    p->err_stack_oob = error_value(p, "StackOutOfBounds", 3);
    p->err_hdr_too_short = error_value(p, "HeaderTooShort", 4);
    p->err_parser_timeout = error_value(p, "ParserTimeout", 5);
    p->err_invalid_arg = error_value(p, "ParserInvalidArgument", 6);
out:
    json_decref(root);
    if (ld.failed) {
        prog_free(p);
        return NULL;
    }
    return p;
}

void
prog_free(struct prog *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->json);
    free(p->phv_init);
    for (int i = 0; i < p->n_types; i++)
        free(p->types[i].name);
    free(p->types);
    for (int i = 0; i < p->n_fields; i++)
        free(p->fields[i].name);
    free(p->fields);
    for (int i = 0; i < p->n_hdrs; i++) {
        free(p->hdrs[i].name);
        free(p->hdrs[i].widths);
    }
    free(p->hdrs);
    for (int i = 0; i < p->n_stacks; i++) {
        free(p->stacks[i].name);
        free(p->stacks[i].hdrs);
    }
    free(p->stacks);
    for (int i = 0; i < p->n_unions; i++) {
        for (int k = 0; p->unions[i].members && k < p->unions[i].n; k++)
            free(p->unions[i].members[k]);
        free(p->unions[i].members);
        free(p->unions[i].name);
        free(p->unions[i].hdrs);
    }
    free(p->unions);
    free(p->consts);
    for (int i = 0; i < p->n_actions; i++) {
        struct action *a = &p->actions[i];
        free((char *)a->info.name);
        for (size_t k = 0; k < a->info.n_params; k++)
            free((char *)a->params[k].name);
        free(a->params);
        for (int k = 0; k < a->n_prims; k++)
            free_prim(&a->prims[k]);
        free(a->prims);
    }
    free(p->actions);
    for (int i = 0; i < p->parser.n_states; i++) {
        struct pstate *st = &p->parser.states[i];
        free(st->name);
        for (int k = 0; k < st->n_ops; k++) {
            free_ref(&st->ops[k].dst);
            free_ref(&st->ops[k].src);
            free_ref(&st->ops[k].src2);
            free_prim(&st->ops[k].prim);
        }
        free(st->ops);
        free(st->keys);
        for (int k = 0; k < st->n_trans; k++) {
            free(st->trans[k].value);
            free(st->trans[k].mask);
        }
        free(st->trans);
    }
    free(p->parser.states);
    free(p->parser.name);
    free(p->deparser.name);
    for (int i = 0; i < p->deparser.n_prims; i++)
        free_prim(&p->deparser.prims[i]);
    free(p->deparser.prims);
    free(p->deparser.hdrs);
    for (int i = 0; i < p->n_calcs; i++) {
        free(p->calcs[i].name);
        free(p->calcs[i].in);
        free(p->calcs[i].nslots);
        free(p->calcs[i].nwidths);
    }
    free(p->calcs);
    for (int i = 0; i < p->n_cksums; i++) {
        free(p->cksums[i].name);
        expr_free(p->cksums[i].cond);
    }
    free(p->cksums);
    for (int i = 0; i < p->n_flists; i++) {
        free(p->flists[i].name);
        free(p->flists[i].fields);
    }
    free(p->flists);
    for (int i = 0; i < p->n_learns; i++) {
        free((char *)p->learns[i].info.name);
        free(p->learns[i].fields);
    }
    free(p->learns);
    for (int i = 0; i < p->n_counters; i++) {
        free((char *)p->counters[i].info.name);
        free((char *)p->counters[i].info.direct_table);
        free(p->counters[i].bytes);
        free(p->counters[i].pkts);
    }
    free(p->counters);
    for (int i = 0; i < p->n_meters; i++) {
        free((char *)p->meters[i].info.name);
        free((char *)p->meters[i].info.direct_table);
        free(p->meters[i].cells);
    }
    free(p->meters);
    for (int i = 0; i < p->n_registers; i++) {
        free((char *)p->registers[i].info.name);
        free(p->registers[i].cells);
    }
    free(p->registers);
    for (int i = 0; i < p->n_pvs; i++) {
        free((char *)p->pvss[i].info.name);
        free(p->pvss[i].vals);
        free(p->pvss[i].masks);
    }
    free(p->pvss);
    for (int i = 0; i < p->n_tables; i++) {
        struct table *t = &p->tables[i];
        table_destroy(t);
        free((char *)t->info.name);
        for (int k = 0; k < t->n_keys; k++) {
            free((char *)t->keys[k].info.name);
            free(t->keys[k].kmask);
        }
        free(t->keys);
        free(t->key_infos);
        free(t->action_ids);
        free(t->next_by_action);
        act_call_free(&t->def);
        act_call_free(&t->prog_def);
    }
    free(p->tables);
    for (int i = 0; i < p->n_profs; i++) {
        struct act_prof *ap = &p->profs[i];
        free((char *)ap->info.name);
        for (int k = 0; k < ap->n_mbrs; k++)
            act_call_free(&ap->mbrs[k].call);
        free(ap->mbrs);
        for (int k = 0; k < ap->n_grps; k++)
            free(ap->grps[k].members);
        free(ap->grps);
    }
    free(p->profs);
    for (int i = 0; i < p->n_conds; i++) {
        free(p->conds[i].name);
        expr_free(p->conds[i].e);
    }
    free(p->conds);
    free(p->nodes);
    free(p->ingress.name);
    free(p->egress.name);
    for (int i = 0; i < p->n_errors; i++)
        free(p->errors[i]);
    free(p->errors);
    free(p->error_vals);
    hmap_destroy(&p->by_name);
    free(p);
}
