/* load.c - BMv2 JSON (as p4c-bm2-ss emits it) to the flat program model of
 * sw_int.h: fields by index at fixed PHV slots, expressions compiled to op
 * lists, parser states, actions with resolved primitive arguments, tables,
 * control graph.
 *
 * Every error names the JSON path of the offending element, e.g.
 * "pipelines[0].tables[3].key[1]: unknown match_type 'foo'". Nothing here runs
 * per packet; exec.c and sw.c use what this builds. This file holds the
 * loading context (load_int.h), values, names, header types and headers,
 * expressions and the whole-program steps; load_act.c and load_pipe.c the
 * other sections. */
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

PRINTF_FMT(2, 3) void ld_push(struct ld *ld, const char *fmt, ...)
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

void
ld_pop(struct ld *ld)
{
    if (ld->depth > 0 && --ld->depth < (int)ARRAY_SIZE(ld->saved))
        ld->path[ld->saved[ld->depth]] = 0;
}

PRINTF_FMT(2, 3) int ld_err(struct ld *ld, const char *fmt, ...)
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
        b[n - 1 - i] =
            bit < VAL_W * 64 ? (uint8_t)(v->w[bit / 64] >> (bit % 64)) : 0;
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
            unsigned __int128 t =
                (unsigned __int128)v->w[i] * (unsigned)base + carry;
            v->w[i] = (uint64_t)t;
            carry = t >> 64;
        }
    }
    if (neg)
        val_neg(v);
    return 0;
}

/* ---- names -------------------------------------------------------------- */

void
ld_name_put(struct prog *p, const char *kind, const char *name, int idx)
{
    char key[512];
    snprintf(key, sizeof key, "%s:%s", kind, name);
    hmap_put(&p->by_name, key, (void *)(intptr_t)(idx + 1), NULL);
}

int
ld_name_get(const struct prog *p, const char *kind, const char *name)
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
    int idx = ld_name_get(p, kind, name);
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
        if (fl > nl && full[fl - nl - 1] == '.' &&
            !strcmp(full + fl - nl, name)) {
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
    return ld_name_get(p, "field", name);
}

/* ---- JSON helpers ---------------------------------------------------------
 */

json_t *
ld_jget(json_t *o, const char *k)
{
    return json_is_object(o) ? json_object_get(o, k) : NULL;
}

const char *
ld_jstr(struct ld *ld, json_t *o, const char *k)
{
    json_t *v = ld_jget(o, k);
    if (!json_is_string(v)) {
        ld_err(ld, "missing or non-string \"%s\"", k);
        return NULL;
    }
    return json_string_value(v);
}

long long
ld_jint(struct ld *ld, json_t *o, const char *k, long long dflt, int required)
{
    json_t *v = ld_jget(o, k);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_boolean(v))
        return json_is_true(v);
    if (!v || json_is_null(v)) {
        if (required)
            ld_err(ld, "missing \"%s\"", k);
        return dflt;
    }
    ld_err(ld, "\"%s\" must be an integer", k);
    return dflt;
}

json_t *
ld_jarr(struct ld *ld, json_t *o, const char *k, int required)
{
    json_t *v = ld_jget(o, k);
    if (json_is_array(v))
        return v;
    if ((!v || json_is_null(v)) && !required)
        return NULL;
    ld_err(ld, "missing or non-array \"%s\"", k);
    return NULL;
}

/* ---- header types, headers, stacks, unions ------------------------------ */

int
ld_add_const(struct prog *p, struct ld *ld, const struct val *v)
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
    json_t *hts = ld_jarr(ld, root, "header_types", 1);
    if (!hts)
        return;
    size_t nt = json_array_size(hts);
    struct htype_tmp *tt = xcalloc(nt + 1, sizeof *tt);
    p->types = xcalloc(nt + 1, sizeof *p->types);
    p->n_types = (int)nt;
    for (size_t i = 0; i < nt && !ld->failed; i++) {
        ld_push(ld, "header_types[%zu]", i);
        json_t *ht = json_array_get(hts, i);
        const char *name = ld_jstr(ld, ht, "name");
        json_t *fs = ld_jarr(ld, ht, "fields", 1);
        if (!name || !fs) {
            ld_pop(ld);
            break;
        }
        p->types[i].name = xstrdup(name);
        ld_name_put(p, "htype", name, (int)i);
        size_t nf = json_array_size(fs);
        tt[i].n = (int)nf;
        tt[i].names = xcalloc(nf + 1, sizeof(char *));
        tt[i].widths = xcalloc(nf + 1, sizeof(int));
        tt[i].sign = xcalloc(nf + 1, sizeof(int));
        tt[i].sat = xcalloc(nf + 1, sizeof(int));
        tt[i].max_len = (int)ld_jint(ld, ht, "max_length", 0, 0);
        p->types[i].n_fields = (int)nf;
        for (size_t j = 0; j < nf; j++) {
            json_t *f = json_array_get(fs, j);
            ld_push(ld, ".fields[%zu]", j);
            if (!json_is_array(f) || json_array_size(f) < 2 ||
                !json_is_string(json_array_get(f, 0))) {
                ld_err(ld, "a field must be [name, bitwidth, (signed)]");
                ld_pop(ld);
                break;
            }
            tt[i].names[j] = xstrdup(json_string_value(json_array_get(f, 0)));
            json_t *w = json_array_get(f, 1);
            if (json_is_integer(w)) {
                long long bw = json_integer_value(w);
                if (bw < 0 || bw > MAX_FIELD_BITS) {
                    ld_err(ld, "field width %lld not supported (max %d bits)",
                           bw, MAX_FIELD_BITS);
                    ld_pop(ld);
                    break;
                }
                tt[i].widths[j] = (int)bw;
            } else if (json_is_string(w) &&
                       !strcmp(json_string_value(w), "*")) {
                tt[i].widths[j] = -1;
            } else {
                ld_err(ld, "bad field width");
                ld_pop(ld);
                break;
            }
            json_t *sg = json_array_get(f, 2);
            tt[i].sign[j] = sg && json_is_true(sg);
            json_t *sat = json_array_get(f, 3);
            tt[i].sat[j] = sat && json_is_true(sat);
            ld_pop(ld);
        }
        ld_pop(ld);
    }

    json_t *hs = ld_jarr(ld, root, "headers", 1);
    size_t nh = hs ? json_array_size(hs) : 0;
    p->hdrs = xcalloc(nh + 1, sizeof *p->hdrs);
    /* count fields */
    size_t nfields = 0;
    for (size_t i = 0; i < nh && !ld->failed; i++) {
        json_t *h = json_array_get(hs, i);
        ld_push(ld, "headers[%zu]", i);
        const char *tn = ld_jstr(ld, h, "header_type");
        int t = tn ? ld_name_get(p, "htype", tn) : -1;
        if (tn && t < 0)
            ld_err(ld, "unknown header_type '%s'", tn);
        if (t >= 0)
            nfields += (size_t)tt[t].n + 1;
        ld_pop(ld);
    }
    p->fields = xcalloc(nfields + 1, sizeof *p->fields);
    int slot = 0, fi = 0;
    for (size_t i = 0; i < nh && !ld->failed; i++) {
        json_t *h = json_array_get(hs, i);
        ld_push(ld, "headers[%zu]", i);
        const char *name = ld_jstr(ld, h, "name");
        const char *tn = ld_jstr(ld, h, "header_type");
        if (!name || !tn) {
            ld_pop(ld);
            break;
        }
        int t = ld_name_get(p, "htype", tn);
        struct header *hd = &p->hdrs[i];
        hd->name = xstrdup(name);
        hd->type = t;
        hd->metadata = (int)ld_jint(ld, h, "metadata", 0, 0);
        hd->first_field = fi;
        hd->n_fields = tt[t].n;
        hd->varbit_field = -1;
        hd->stack = hd->un = -1;
        ld_name_put(p, "header", name, (int)i);
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
                        ld_err(ld,
                               "varbit field %s: max width %d not supported",
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
            f->nw = f->varbit ? 1 : (uint8_t)VAL_WORDS(w);
            f->hdr = (int)i;
            f->slot = (uint32_t)slot;
            /* varbit fields are raw bytes in (width + 63) / 64 slots */
            slot += f->varbit ? (w + 63) / 64 : f->nw;
            ld_name_put(p, "field", f->name, fi);
            fi++;
        }
        ld_pop(ld);
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

    json_t *ss = ld_jarr(ld, root, "header_stacks", 0);
    size_t ns = ss ? json_array_size(ss) : 0;
    json_t *us = ld_jarr(ld, root, "header_unions", 0);
    size_t nu = us ? json_array_size(us) : 0;
    json_t *uss = ld_jarr(ld, root, "header_union_stacks", 0);
    size_t nus = uss ? json_array_size(uss) : 0;
    p->stacks = xcalloc(ns + nus + 1, sizeof *p->stacks);
    p->unions = xcalloc(nu + 1, sizeof *p->unions);
    for (size_t i = 0; i < ns && !ld->failed; i++) {
        json_t *s = json_array_get(ss, i);
        ld_push(ld, "header_stacks[%zu]", i);
        const char *name = ld_jstr(ld, s, "name");
        json_t *ids = ld_jarr(ld, s, "header_ids", 1);
        if (name && ids) {
            struct hstack *st = &p->stacks[p->n_stacks];
            st->name = xstrdup(name);
            st->size = (int)json_array_size(ids);
            st->hdrs = xcalloc((size_t)st->size + 1, sizeof(int));
            for (int k = 0; k < st->size; k++) {
                long long h = json_integer_value(json_array_get(ids, k));
                if (h < 0 || h >= p->n_hdrs) {
                    ld_err(ld, "header id %lld out of range", h);
                    break;
                }
                st->hdrs[k] = (int)h;
                p->hdrs[h].stack = p->n_stacks;
                p->hdrs[h].stack_pos = k;
            }
            ld_name_put(p, "stack", name, p->n_stacks);
            p->n_stacks++;
        }
        ld_pop(ld);
    }
    for (size_t i = 0; i < nu && !ld->failed; i++) {
        json_t *s = json_array_get(us, i);
        ld_push(ld, "header_unions[%zu]", i);
        const char *name = ld_jstr(ld, s, "name");
        json_t *ids = ld_jarr(ld, s, "header_ids", 1);
        if (name && ids) {
            struct hunion *un = &p->unions[i];
            un->name = xstrdup(name);
            un->n = (int)json_array_size(ids);
            un->hdrs = xcalloc((size_t)un->n + 1, sizeof(int));
            un->stack = -1;
            un->members = xcalloc((size_t)un->n + 1, sizeof(char *));
            const char *ut = json_string_value(ld_jget(s, "union_type"));
            json_t *uts = ld_jget(root, "header_union_types");
            for (size_t q = 0;
                 ut && json_is_array(uts) && q < json_array_size(uts); q++) {
                json_t *uj = json_array_get(uts, q);
                const char *un_name = json_string_value(ld_jget(uj, "name"));
                json_t *mh = ld_jget(uj, "headers");
                if (!un_name || strcmp(un_name, ut) || !json_is_array(mh))
                    continue;
                for (int k = 0; k < un->n && k < (int)json_array_size(mh);
                     k++) {
                    const char *mn = json_string_value(
                        json_array_get(json_array_get(mh, k), 0));
                    un->members[k] = xstrdup(mn ? mn : "");
                }
            }
            for (int k = 0; k < un->n; k++)
                if (!un->members[k]) {
                    const char *full =
                        p->hdrs[json_integer_value(json_array_get(ids, k))]
                            .name;
                    const char *dot = strrchr(full ? full : "", '.');
                    un->members[k] =
                        xstrdup(dot ? dot + 1 : (full ? full : ""));
                }
            for (int k = 0; k < un->n; k++) {
                long long h = json_integer_value(json_array_get(ids, k));
                if (h < 0 || h >= p->n_hdrs) {
                    ld_err(ld, "header id %lld out of range", h);
                    break;
                }
                un->hdrs[k] = (int)h;
                p->hdrs[h].un = (int)i;
                p->hdrs[h].un_pos = k;
            }
            ld_name_put(p, "union", name, (int)i);
            p->n_unions++;
        }
        ld_pop(ld);
    }
    for (size_t i = 0; i < nus && !ld->failed; i++) {
        json_t *s = json_array_get(uss, i);
        ld_push(ld, "header_union_stacks[%zu]", i);
        const char *name = ld_jstr(ld, s, "name");
        json_t *ids = ld_jarr(ld, s, "header_union_ids", 1);
        if (name && ids) {
            struct hstack *st = &p->stacks[p->n_stacks];
            st->name = xstrdup(name);
            st->is_union = 1;
            st->size = (int)json_array_size(ids);
            st->hdrs = xcalloc((size_t)st->size + 1, sizeof(int));
            for (int k = 0; k < st->size; k++) {
                long long u = json_integer_value(json_array_get(ids, k));
                if (u < 0 || u >= p->n_unions) {
                    ld_err(ld, "union id %lld out of range", u);
                    break;
                }
                st->hdrs[k] = (int)u;
                p->unions[u].stack = p->n_stacks;
                p->unions[u].stack_pos = k;
            }
            ld_name_put(p, "ustack", name, p->n_stacks);
            p->n_stacks++;
        }
        ld_pop(ld);
    }
}

int
ld_field_ref(struct ld *ld, json_t *v)
{
    /* ["hdr", "field"] */
    if (!json_is_array(v) || json_array_size(v) != 2 ||
        !json_is_string(json_array_get(v, 0)) ||
        !json_is_string(json_array_get(v, 1))) {
        ld_err(ld, "a field reference must be [header, field]");
        return -1;
    }
    char name[512];
    snprintf(name, sizeof name, "%s.%s",
             json_string_value(json_array_get(v, 0)),
             json_string_value(json_array_get(v, 1)));
    int f = ld_name_get(ld->p, "field", name);
    if (f < 0)
        ld_err(ld, "unknown field '%s'", name);
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
    {"+", E_ADD},
    {"-", E_SUB},
    {"*", E_MUL},
    {"/", E_DIV},
    {"%", E_MOD},
    {"<<", E_SHL},
    {">>", E_SHR},
    {"&", E_AND},
    {"|", E_OR},
    {"^", E_XOR},
    {"==", E_EQ},
    {"!=", E_NE},
    {"<", E_LT},
    {"<=", E_LE},
    {">", E_GT},
    {">=", E_GE},
    {"and", E_LAND},
    {"or", E_LOR},
    {"two_comp_mod", E_TWO_COMP},
    {"usat_cast", E_USAT},
    {"sat_cast", E_SAT},
};

static void compile_node(struct ld *ld, struct ebuild *b, json_t *n);

static void
compile_leaf_const(struct ld *ld, struct ebuild *b, const struct val *v)
{
    emit(b, E_CONST, (uint32_t)ld_add_const(ld->p, ld, v), 1);
}

static void
compile_node(struct ld *ld, struct ebuild *b, json_t *n)
{
    struct prog *p = ld->p;
    if (ld->failed)
        return;
    const char *type = json_string_value(ld_jget(n, "type"));
    json_t *v = ld_jget(n, "value");
    if (!type) {
        ld_err(ld, "expression node without \"type\"");
        return;
    }
    if (!strcmp(type, "expression") && !ld_jget(v, "op") &&
        ld_jget(v, "type")) {
        compile_node(ld, b, v);
        return;
    }
    if (!strcmp(type, "expression")) {
        const char *op = json_string_value(ld_jget(v, "op"));
        json_t *l = ld_jget(v, "left"), *r = ld_jget(v, "right");
        if (!op) {
            ld_err(ld, "expression without \"op\"");
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
            compile_node(ld, b, ld_jget(v, "cond"));
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
            const char *sn = json_string_value(ld_jget(l, "value"));
            int s = sn ? ld_name_get(p, is_u ? "ustack" : "stack", sn) : -1;
            if (s < 0) {
                ld_err(ld, "unknown header stack '%s'", sn ? sn : "?");
                return;
            }
            compile_node(ld, b, r);
            emit(b, is_u ? E_USTACK_DEREF : E_STACK_DEREF, (uint32_t)s, 0);
        } else if (!strcmp(op, "last_stack_index") ||
                   !strcmp(op, "size_stack")) {
            const char *sn = json_string_value(ld_jget(r, "value"));
            int s = sn ? ld_name_get(p, "stack", sn) : -1;
            if (s < 0)
                s = sn ? ld_name_get(p, "ustack", sn) : -1;
            if (s < 0) {
                ld_err(ld, "unknown header stack '%s'", sn ? sn : "?");
                return;
            }
            emit(b, op[0] == 'l' ? E_LAST_INDEX : E_SIZE, (uint32_t)s, 1);
        } else {
            ld_err(ld, "unsupported expression op '%s'", op);
        }
        return;
    }
    if (!strcmp(type, "field")) {
        int f = ld_field_ref(ld, v);
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
            ld_err(ld, "bad constant");
        compile_leaf_const(ld, b, &c);
    } else if (!strcmp(type, "runtime_data") || !strcmp(type, "local")) {
        /* An action parameter: it must exist, or the action would read past
         * its arguments at run time. */
        json_int_t i = json_is_integer(v) ? json_integer_value(v) : -1;
        size_t np = ld->cur_action ? ld->cur_action->info.n_params : 0;
        if (!ld->cur_action)
            ld_err(ld, "'%s' outside an action", type);
        else if (i < 0 || (size_t)i >= np)
            ld_err(ld,
                   "'%s' index %lld out of range: action '%s' has %zu "
                   "parameter%s",
                   type, (long long)i, ld->cur_action->info.name, np,
                   np == 1 ? "" : "s");
        else {
            /* a: the parameter's first word in the arguments; b: words */
            const struct action *ac = ld->cur_action;
            emit(b, E_PARAM, ac->poff[i], 1);
            b->ins[b->n - 1].b = (uint16_t)(ac->poff[i + 1] - ac->poff[i]);
        }
    } else if (!strcmp(type, "header")) {
        const char *hn = json_string_value(v);
        int h = hn ? ld_name_get(p, "header", hn) : -1;
        if (h < 0) {
            ld_err(ld, "unknown header '%s'", hn ? hn : "?");
            return;
        }
        emit(b, E_HDR, (uint32_t)h, 1);
    } else if (!strcmp(type, "register")) {
        /* [register array, index expression]: the cell's value */
        const char *rn = json_string_value(json_array_get(v, 0));
        int r = rn ? ld_name_get(p, "register", rn) : -1;
        if (r < 0) {
            ld_err(ld, "unknown register array '%s'", rn ? rn : "?");
            return;
        }
        json_t *ix = json_array_get(v, 1);
        if (!ix) {
            ld_err(ld, "register reference without an index expression");
            return;
        }
        compile_node(ld, b, ix);
        emit(b, E_REGISTER, (uint32_t)r, 0);
    } else if (!strcmp(type, "header_union")) {
        const char *hn = json_string_value(v);
        int u = hn ? ld_name_get(p, "union", hn) : -1;
        if (u < 0) {
            ld_err(ld, "unknown header union '%s'", hn ? hn : "?");
            return;
        }
        emit(b, E_UNION, (uint32_t)u, 1);
    } else if (!strcmp(type, "stack_field")) {
        /* [stack, field]: field of the last valid element */
        const char *sn = json_string_value(json_array_get(v, 0));
        const char *fn = json_string_value(json_array_get(v, 1));
        int s = sn ? ld_name_get(p, "stack", sn) : -1;
        if (s < 0 || !fn) {
            ld_err(ld, "unknown header stack '%s'", sn ? sn : "?");
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
            ld_err(ld, "unknown field '%s' in stack '%s'", fn, sn);
            return;
        }
        emit(b, E_LAST_INDEX, (uint32_t)s, 1);
        emit(b, E_STACK_DEREF, (uint32_t)s, 0);
        emit(b, E_ACCESS_FIELD, (uint32_t)k, 0);
    } else {
        ld_err(ld, "unsupported expression type '%s'", type);
    }
}

int
ld_param_at(const struct action *a, uint32_t off)
{
    for (size_t k = 0; k < a->info.n_params; k++)
        if (a->poff[k] == off)
            return (int)k;
    return -1;
}

/* Words a constant needs, its sign included. */
static unsigned
const_words(const struct val *c)
{
    uint64_t fill = c->w[VAL_W - 1] >> 63 ? ~UINT64_C(0) : 0;
    unsigned n = VAL_W;
    while (n > 1 && c->w[n - 1] == fill)
        n--;
    return n;
}

/* The words expression e must compute on (struct expr.nw): one more than
 * its widest operand (headroom for carries and the sign), the widths that
 * casts and saturations name, twice the widest for products, plus the bits
 * constant left shifts add (a shift by a run-time amount gets every word). */
static int
expr_words(const struct prog *p, const struct expr *e)
{
    unsigned w = 1, shl = 0;
    int mul = 0;
    for (int i = 0; i < e->n; i++) {
        const struct eins *in = &e->ins[i];
        unsigned k = 1;
        switch (in->op) {
        case E_FIELD:
            k = p->fields[in->a].varbit ? 1 : p->fields[in->a].nw;
            break;
        case E_CONST:
            k = const_words(&p->consts[in->a]);
            break;
        case E_PARAM:
            k = in->b;
            break;
        case E_REGISTER:
            k = p->registers[in->a].cw;
            break;
        case E_ACCESS_FIELD:
            /* the field at this position in any header */
            for (int h = 0; h < p->n_hdrs; h++)
                if ((int)in->a < p->hdrs[h].n_fields) {
                    const struct field *f =
                        &p->fields[p->hdrs[h].first_field + (int)in->a];
                    if (!f->varbit && f->nw > k)
                        k = f->nw;
                }
            break;
        case E_TWO_COMP:
        case E_SAT:
        case E_USAT:
            if (i > 0 && e->ins[i - 1].op == E_CONST &&
                p->consts[e->ins[i - 1].a].w[0] <= MAX_FIELD_BITS)
                k = VAL_WORDS(p->consts[e->ins[i - 1].a].w[0]);
            break;
        case E_MUL:
            mul = 1;
            break;
        case E_SHL:
            if (i == 0 || e->ins[i - 1].op != E_CONST ||
                p->consts[e->ins[i - 1].a].w[0] > MAX_FIELD_BITS ||
                const_words(&p->consts[e->ins[i - 1].a]) > 1)
                return VAL_W;
            shl += (unsigned)p->consts[e->ins[i - 1].a].w[0];
            break;
        default:
            break;
        }
        if (k > w)
            w = k;
    }
    w = (64 * w + shl + 63) / 64;
    w = mul ? 2 * w + 1 : w + 1;
    return (int)(w > VAL_W ? VAL_W : w);
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
        case E_PARAM: {
            int k = act ? ld_param_at(act, in->a) : -1;
            if (k < 0 || act->params[k].bitwidth > 60)
                return 0;
            break;
        }
        case E_HDR:
        case E_VALID:
        case E_AND:
        case E_OR:
        case E_XOR:
        case E_SHR:
        case E_EQ:
        case E_NE:
        case E_LT:
        case E_LE:
        case E_GT:
        case E_GE:
        case E_LAND:
        case E_LOR:
        case E_LNOT:
        case E_JZ:
        case E_JMP:
            break;
        default:
            return 0;
        }
    }
    return adds < 4; /* four 60-bit additions stay below 2^62 */
}

struct expr *
ld_compile_expr(struct ld *ld, json_t *n)
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
    e->nw = expr_words(ld->p, e);
    if (b.max > 60) {
        ld_err(ld, "expression too deep (%d)", b.max);
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

/* ---- the whole program ----------------------------------------------------
 */

/* "extern_instances": name, id, type and attribute_values (hexstr, string or
 * expression), checked as BMv2 checks them. Instances are accepted; since
 * no extern type is built in (as in simple_switch), a method call on one is
 * refused where the action that calls it is loaded (ld_prim). */
static void
load_externs(struct ld *ld, json_t *root)
{
    struct prog *p = ld->p;
    json_t *ex = ld_jarr(ld, root, "extern_instances", 0);
    size_t n = ex ? json_array_size(ex) : 0;
    p->exts = xcalloc(n + 1, sizeof *p->exts);
    for (size_t i = 0; i < n && !ld->failed; i++) {
        ld_push(ld, "extern_instances[%zu]", i);
        json_t *o = json_array_get(ex, i);
        const char *name = ld_jstr(ld, o, "name");
        const char *type = name ? ld_jstr(ld, o, "type") : NULL;
        if (!name || !type) {
            ld_pop(ld);
            break;
        }
        if (ld_name_get(p, "extern", name) >= 0) {
            ld_err(ld, "duplicate extern instance name '%s'", name);
            ld_pop(ld);
            break;
        }
        struct ext_inst *x = &p->exts[p->n_exts++];
        x->name = xstrdup(name);
        x->type = xstrdup(type);
        x->id = (int)ld_jint(ld, o, "id", (long long)i, 0);
        ld_name_put(p, "extern", name, (int)i);
        json_t *av = ld_jarr(ld, o, "attribute_values", 0);
        for (size_t k = 0; av && k < json_array_size(av) && !ld->failed; k++) {
            ld_push(ld, ".attribute_values[%zu]", k);
            json_t *a = json_array_get(av, k);
            const char *an = ld_jstr(ld, a, "name");
            const char *at = an ? ld_jstr(ld, a, "type") : NULL;
            if (at && strcmp(at, "hexstr") && strcmp(at, "string") &&
                strcmp(at, "expression"))
                ld_err(ld,
                       "attribute '%s' of type '%s': only 'hexstr', 'string' "
                       "and 'expression' attributes exist",
                       an, at);
            else if (at && !ld_jget(a, "value"))
                ld_err(ld, "attribute '%s' has no \"value\"", an);
            ld_pop(ld);
        }
        ld_pop(ld);
    }
}

static int
sm_field(struct prog *p, const char *name)
{
    int f = ld_name_get(p, "field", name);
    if (f < 0) {
        /* older programs: intrinsic_metadata / queueing_metadata */
        static const char *const hdrs[] = {"intrinsic_metadata",
                                           "queueing_metadata"};
        const char *dot = strchr(name, '.');
        for (size_t i = 0; i < ARRAY_SIZE(hdrs) && f < 0 && dot; i++) {
            char alt[256];
            snprintf(alt, sizeof alt, "%s%s", hdrs[i], dot);
            f = ld_name_get(p, "field", alt);
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
            if (ref_reads(&st->ops[k].src, f) ||
                ref_reads(&st->ops[k].src2, f) || st->ops[k].kind == P_PRIM)
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

/* Narrow expressions, once nothing analyses them any more: fields become
 * their PHV slots, "header; valid" one op, and (without jumps) the freed ops
 * are dropped. */
static void
peephole(const struct prog *p, struct expr *e)
{
    if (!e || !e->narrow)
        return;
    int jumps = 0;
    for (int i = 0; i < e->n; i++) {
        struct eins *in = &e->ins[i];
        jumps |= in->op == E_JZ || in->op == E_JMP;
        if (in->op == E_FIELD) {
            in->op = E_SLOT;
            in->a = p->fields[in->a].slot;
        } else if (in->op == E_HDR && i + 1 < e->n &&
                   e->ins[i + 1].op == E_VALID) {
            in->op = E_HVALID;
            e->ins[i + 1].op = E_NOP;
        }
    }
    if (jumps)
        return;
    int k = 0;
    for (int i = 0; i < e->n; i++)
        if (e->ins[i].op != E_NOP)
            e->ins[k++] = e->ins[i];
    e->n = k;
}

static void
peephole_ref(const struct prog *p, struct ref *r)
{
    peephole(p, r->e);
}

static void
peephole_prim(const struct prog *p, struct prim *pr)
{
    for (int i = 0; i < pr->n; i++)
        peephole_ref(p, &pr->args[i]);
}

static void
optimize_exprs(struct prog *p)
{
    for (int i = 0; i < p->n_conds; i++)
        peephole(p, p->conds[i].e);
    for (int i = 0; i < p->n_cksums; i++)
        peephole(p, p->cksums[i].cond);
    for (int i = 0; i < p->n_actions; i++)
        for (int k = 0; k < p->actions[i].n_prims; k++)
            peephole_prim(p, &p->actions[i].prims[k]);
    for (int i = 0; i < p->deparser.n_prims; i++)
        peephole_prim(p, &p->deparser.prims[i]);
    for (int i = 0; i < p->parser.n_states; i++) {
        struct pstate *st = &p->parser.states[i];
        for (int k = 0; k < st->n_ops; k++) {
            peephole_ref(p, &st->ops[k].dst);
            peephole_ref(p, &st->ops[k].src);
            peephole_ref(p, &st->ops[k].src2);
            peephole_prim(p, &st->ops[k].prim);
        }
    }
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
        ld_err(&ld, "a BMv2 JSON program is an object");
        goto out;
    }
    if (!ld_jget(root, "header_types") || !ld_jget(root, "headers")) {
        ld_err(&ld,
               "not a BMv2 JSON program (no \"header_types\"/\"headers\")");
        goto out;
    }
    p->json = xmalloc(len + 1);
    memcpy(p->json, json, len);
    p->json[len] = 0;
    p->json_len = len;
    load_headers(&ld, root);
    /* errors */
    json_t *errs = ld_jarr(&ld, root, "errors", 0);
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
    json_t *al = ld_jarr(&ld, root, "field_aliases", 0);
    for (size_t i = 0; al && i < json_array_size(al) && !ld.failed; i++) {
        json_t *aj = json_array_get(al, i);
        const char *an = json_string_value(json_array_get(aj, 0));
        ld_push(&ld, "field_aliases[%zu]", i);
        int f = ld_field_ref(&ld, json_array_get(aj, 1));
        if (an && f >= 0 && ld_name_get(p, "field", an) < 0) {
            ld_name_put(p, "field", an, f);
            /* also as a [header, field] pair split at the first dot */
        }
        ld_pop(&ld);
    }
    if (!ld.failed)
        ld_arrays(&ld, root);
    if (!ld.failed)
        ld_calcs(&ld, root);
    if (!ld.failed)
        load_externs(&ld, root);
    if (!ld.failed)
        ld_actions(&ld, root);
    if (!ld.failed)
        ld_parser(&ld, root);
    if (!ld.failed)
        ld_deparser(&ld, root);
    if (!ld.failed)
        ld_pipelines(&ld, root);
    if (!ld.failed)
        ld_checksums(&ld, root);
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
               !p->fields[cl->in[k].id].varbit &&
               p->fields[cl->in[k].id].width <= 56)
            k++;
        cl->narrow_prefix = k;
        cl->nslots = xcalloc((size_t)k + 1, sizeof(uint32_t));
        cl->nwidths = xcalloc((size_t)k + 1, 1);
        unsigned total = 0, maxw = 0;
        for (int q = 0; q < k; q++) {
            cl->nslots[q] = p->fields[cl->in[q].id].slot;
            cl->nwidths[q] = (uint8_t)p->fields[cl->in[q].id].width;
            total += cl->nwidths[q];
            maxw = MAX(maxw, cl->nwidths[q]);
        }
        if (cl->algo == A_CSUM16 && k == cl->n_in && maxw <= 48) {
            /* the stream is padded with zeros to whole 16-bit words */
            unsigned padded = (total + 15) / 16 * 16, off = 0;
            cl->cshift = xcalloc((size_t)k + 1, 1);
            for (int q = 0; q < k; q++) {
                off += cl->nwidths[q];
                cl->cshift[q] = (uint8_t)((padded - off) % 16);
            }
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
    optimize_exprs(p);
    {
        const int fs[SMX_N] = {[SMX_INGRESS_PORT] = p->sm.ingress_port,
                               [SMX_PACKET_LENGTH] = p->sm.packet_length,
                               [SMX_INGRESS_TS] =
                                   p->sm.ingress_global_timestamp,
                               [SMX_EGRESS_PORT] = p->sm.egress_port,
                               [SMX_EGRESS_SPEC] = p->sm.egress_spec,
                               [SMX_ENQ_TS] = p->sm.enq_timestamp,
                               [SMX_ENQ_QDEPTH] = p->sm.enq_qdepth,
                               [SMX_DEQ_TIMEDELTA] = p->sm.deq_timedelta,
                               [SMX_DEQ_QDEPTH] = p->sm.deq_qdepth,
                               [SMX_EGRESS_TS] = p->sm.egress_global_timestamp};
        uint32_t sink = (uint32_t)p->n_slots++;
        for (int i = 0; i < SMX_N; i++) {
            const struct field *f = fs[i] >= 0 ? &p->fields[fs[i]] : NULL;
            if (!f || f->wide || f->varbit) {
                p->smx[i] = (struct sm_slot){sink, 0};
            } else {
                p->smx[i].slot = f->slot;
                p->smx[i].mask = f->width >= 64 ? ~UINT64_C(0)
                                                : (UINT64_C(1) << f->width) - 1;
            }
        }
    }
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
        free(a->poff);
        for (int k = 0; k < a->n_prims; k++)
            ld_free_prim(&a->prims[k]);
        free(a->prims);
    }
    free(p->actions);
    for (int i = 0; i < p->n_exts; i++) {
        free(p->exts[i].name);
        free(p->exts[i].type);
    }
    free(p->exts);
    for (int i = 0; i < p->parser.n_states; i++) {
        struct pstate *st = &p->parser.states[i];
        free(st->name);
        for (int k = 0; k < st->n_ops; k++) {
            ld_free_ref(&st->ops[k].dst);
            ld_free_ref(&st->ops[k].src);
            ld_free_ref(&st->ops[k].src2);
            ld_free_prim(&st->ops[k].prim);
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
        ld_free_prim(&p->deparser.prims[i]);
    free(p->deparser.prims);
    free(p->deparser.hdrs);
    for (int i = 0; i < p->n_calcs; i++) {
        free(p->calcs[i].name);
        free(p->calcs[i].in);
        free(p->calcs[i].nslots);
        free(p->calcs[i].nwidths);
        free(p->calcs[i].cshift);
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
    for (int i = 0; i < p->n_acalls; i++)
        free(p->acalls[i].name);
    free(p->acalls);
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
