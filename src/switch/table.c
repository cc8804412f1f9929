/* table.c - match tables: entries keyed by a packed big-endian key.
 *
 * Exact tables: one open-addressing hash on the key. LPM tables (an lpm key
 * plus exact keys): the same hash keyed by (prefix length, masked key), probed
 * for each prefix length present, longest first ("sorted prefixes"). Tables
 * with ternary, range or optional keys: a list sorted by priority (smallest
 * value first, as BMv2), scanned with masks. Indexes are rebuilt lazily after
 * deletes. Handles are entry slot numbers, lowest free first, as BMv2 hands
 * them out. Runs under the switch lock (sw.c); no allocation on lookup. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "switch/sw_int.h"

static int
is_scan(const struct table *t)
{
    return t->has_ternary || t->has_range;
}

void
table_setup(struct table *t)
{
    t->free_head = -1;
    t->dirty = 1;
}

void
act_call_free(struct act_call *c)
{
    free(c->args);
    c->args = NULL;
}

static void
entry_free(struct entry *en)
{
    free(en->key);
    free(en->mask);
    free(en->raw);
    act_call_free(&en->call);
    memset(en, 0, sizeof *en);
}

void
table_destroy(struct table *t)
{
    for (int i = 0; i < t->n_ents; i++)
        if (t->ents[i].used)
            entry_free(&t->ents[i]);
    free(t->ents);
    free(t->hidx);
    free(t->plens);
    free(t->plen_count);
    free(t->order);
    t->ents = NULL;
    t->hidx = NULL;
    t->plens = t->plen_count = t->order = NULL;
    t->n_ents = t->cap_ents = t->n_used = 0;
    t->hcap = 0;
}

/* memcmp(a, b, n) == 0 for the short keys tables have, without a call. */
static inline int
key_eq(const uint8_t *a, const uint8_t *b, int n)
{
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return 0;
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static inline uint64_t
hash64(uint64_t k, int plen)
{
    uint64_t h = (k ^ (0x9E3779B97F4A7C15ULL * (uint64_t)(plen + 1))) *
                 0xff51afd7ed558ccdULL;
    return h ^ (h >> 32);
}

static inline uint64_t
be_value(const uint8_t *k, int n)
{
    uint64_t w = 0;
    for (int i = 0; i < n; i++)
        w = (w << 8) | k[i];
    return w;
}

/* Keys of up to 8 bytes hash as their big-endian value (so k64 lookups agree
 * with byte-key inserts); longer keys word by word. */
static uint64_t
key_hash(const uint8_t *k, int n, int plen)
{
    if (n <= 8)
        return hash64(be_value(k, n), plen);
    uint64_t h = 0x9E3779B97F4A7C15ULL * (uint64_t)(plen + 1);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, k + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    if (i < n) {
        h = (h ^ be_value(k + i, n - i)) * 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 29;
    }
    return h;
}

static void
hidx_put(struct table *t, int ei)
{
    const struct entry *en = &t->ents[ei];
    size_t m = t->hcap - 1;
    size_t pos = (size_t)key_hash(en->key, t->key_bytes, en->plen) & m;
    while (t->hidx[pos])
        pos = (pos + 1) & m;
    t->hidx[pos] = (uint32_t)ei + 1;
}

static int
cmp_prio(const void *a, const void *b, void *arg)
{
    const struct table *t = arg;
    const struct entry *x = &t->ents[*(const int *)a],
                       *y = &t->ents[*(const int *)b];
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    return x->handle < y->handle ? -1 : x->handle > y->handle;
}

static void
rebuild(struct table *t)
{
    t->dirty = 0;
    if (is_scan(t)) {
        free(t->order);
        t->order = xcalloc((size_t)t->n_used + 1, sizeof(int));
        t->n_order = 0;
        for (int i = 0; i < t->n_ents; i++)
            if (t->ents[i].used)
                t->order[t->n_order++] = i;
        qsort_r(t->order, (size_t)t->n_order, sizeof(int), cmp_prio, t);
        return;
    }
    size_t want = 16;
    while (want < (size_t)t->n_used * 2 + 2)
        want *= 2;
    free(t->hidx);
    t->hidx = xcalloc(want, sizeof(uint32_t));
    t->hcap = want;
    int maxp = t->key_bytes * 8;
    free(t->plen_count);
    t->plen_count = xcalloc((size_t)maxp + 2, sizeof(int));
    for (int i = 0; i < t->n_ents; i++) {
        if (!t->ents[i].used)
            continue;
        hidx_put(t, i);
        t->plen_count[t->ents[i].plen]++;
    }
    free(t->plens);
    t->plens = xcalloc((size_t)maxp + 2, sizeof(int));
    t->n_plens = 0;
    for (int pl = maxp; pl >= 0; pl--)
        if (t->plen_count[pl])
            t->plens[t->n_plens++] = pl;
}

int
table_find_handle(const struct table *t, uint64_t handle)
{
    if (handle >= (uint64_t)t->n_ents || !t->ents[handle].used)
        return -1;
    return (int)handle;
}

int
table_find_key(struct table *t, const uint8_t *key, const uint8_t *mask,
               int prio)
{
    for (int i = 0; i < t->n_ents; i++) {
        const struct entry *en = &t->ents[i];
        if (!en->used || memcmp(en->key, key, (size_t)t->key_bytes))
            continue;
        if (is_scan(t)) {
            if (en->priority != prio ||
                memcmp(en->mask, mask, (size_t)t->key_bytes))
                continue;
        } else if (t->lpm_key >= 0 && mask &&
                   memcmp(en->mask, mask, (size_t)t->key_bytes)) {
            continue;
        }
        return i;
    }
    return -1;
}

/* The lpm prefix length as a length over the packed key. */
static int
packed_plen(const struct table *t, int plen)
{
    if (t->lpm_key < 0)
        return 0;
    return plen;
}

int
table_insert(struct table *t, const uint8_t *key, const uint8_t *mask, int plen,
             int prio, uint64_t *handle)
{
    if (t->dirty)
        rebuild(t);
    uint8_t *m = xmalloc((size_t)t->key_bytes + 1);
    if (mask)
        memcpy(m, mask, (size_t)t->key_bytes);
    else
        memset(m, 0xff, (size_t)t->key_bytes);
    uint8_t *mk = xmalloc((size_t)t->key_bytes + 1);
    for (int i = 0; i < t->key_bytes; i++)
        mk[i] = key[i] & m[i];
    for (int k = 0; k < t->n_keys; k++)
        if (t->keys[k].info.kind == SW_MATCH_RANGE)
            memcpy(mk + t->keys[k].off, key + t->keys[k].off,
                   (size_t)t->keys[k].bytes);
    int dup = table_find_key(t, mk, m, prio) >= 0;
    free(mk);
    if (dup) {
        free(m);
        return -EEXIST;
    }
    if ((size_t)t->n_used >= t->info.max_size && t->info.max_size) {
        free(m);
        return -ENOSPC;
    }
    int ei = -1;
    if (t->n_used < t->n_ents) {
        for (int i = 0; i < t->n_ents; i++)
            if (!t->ents[i].used) {
                ei = i;
                break;
            }
    }
    if (ei < 0) {
        if (t->n_ents == t->cap_ents) {
            t->cap_ents = t->cap_ents ? t->cap_ents * 2 : 16;
            t->ents = xrealloc(t->ents, (size_t)t->cap_ents * sizeof *t->ents);
        }
        ei = t->n_ents++;
        memset(&t->ents[ei], 0, sizeof t->ents[ei]);
    }
    struct entry *en = &t->ents[ei];
    memset(en, 0, sizeof *en);
    en->used = 1;
    en->handle = (uint64_t)ei;
    en->priority = prio;
    en->key = xmalloc((size_t)t->key_bytes + 1);
    memcpy(en->key, key, (size_t)t->key_bytes);
    en->raw = xmalloc((size_t)t->key_bytes + 1);
    memcpy(en->raw, key, (size_t)t->key_bytes);
    for (int i = 0; i < t->key_bytes; i++)
        en->key[i] &= m[i];
    /* range bounds live in the mask bytes of range keys: restore them */
    for (int k = 0; k < t->n_keys; k++)
        if (t->keys[k].info.kind == SW_MATCH_RANGE)
            memcpy(en->key + t->keys[k].off, key + t->keys[k].off,
                   (size_t)t->keys[k].bytes);
    en->mask = m;
    en->plen = packed_plen(t, plen);
    if (t->key_bytes <= 8)
        en->k64 = be_value(en->key, t->key_bytes);
    en->call.action = -1;
    t->n_used++;
    *handle = en->handle;
    if (is_scan(t)) {
        t->dirty = 1;
    } else if (!t->dirty) {
        if ((size_t)t->n_used * 2 + 2 > t->hcap) {
            t->dirty = 1;
        } else {
            hidx_put(t, ei);
            if (!t->plen_count[en->plen]++) {
                /* new prefix length: keep plens sorted, longest first */
                t->dirty = 1;
            }
        }
    }
    return 0;
}

int
table_remove(struct table *t, uint64_t handle)
{
    int ei = table_find_handle(t, handle);
    if (ei < 0)
        return -ENOENT;
    entry_free(&t->ents[ei]);
    t->n_used--;
    t->dirty = 1;
    return 0;
}

void
table_clear_entries(struct table *t)
{
    for (int i = 0; i < t->n_ents; i++)
        if (t->ents[i].used && !t->ents[i].is_const) {
            entry_free(&t->ents[i]);
            t->n_used--;
        }
    t->dirty = 1;
}

static int
scan_match(const struct table *t, const struct entry *en, const uint8_t *key)
{
    for (int k = 0; k < t->n_keys; k++) {
        const struct mkey *mk = &t->keys[k];
        const uint8_t *v = key + mk->off;
        if (mk->info.kind == SW_MATCH_RANGE) {
            if (memcmp(v, en->key + mk->off, (size_t)mk->bytes) < 0 ||
                memcmp(v, en->mask + mk->off, (size_t)mk->bytes) > 0)
                return 0;
        } else {
            for (int i = 0; i < mk->bytes; i++)
                if ((v[i] & en->mask[mk->off + i]) != en->key[mk->off + i])
                    return 0;
        }
    }
    return 1;
}

int
table_lookup(struct table *t, const uint8_t *key)
{
    if (t->dirty)
        rebuild(t);
    if (!t->n_used)
        return -1;
    if (is_scan(t)) {
        for (int i = 0; i < t->n_order; i++) {
            const struct entry *en = &t->ents[t->order[i]];
            if (scan_match(t, en, key))
                return t->order[i];
        }
        return -1;
    }
    size_t m = t->hcap - 1;
    if (t->lpm_key < 0) {
        size_t pos = (size_t)key_hash(key, t->key_bytes, 0) & m;
        for (uint32_t v; (v = t->hidx[pos]); pos = (pos + 1) & m) {
            const struct entry *en = &t->ents[v - 1];
            if (key_eq(en->key, key, t->key_bytes))
                return (int)v - 1;
        }
        return -1;
    }
    uint8_t mk[256];
    const struct mkey *lk = &t->keys[t->lpm_key];
    int kb = t->key_bytes > 256 ? 256 : t->key_bytes;
    for (int pi = 0; pi < t->n_plens; pi++) {
        int pl = t->plens[pi];
        memcpy(mk, key, (size_t)kb);
        /* zero the lpm key's bits past the prefix */
        for (int i = 0; i < lk->bytes; i++) {
            int bit0 = i * 8;
            uint8_t bm;
            if (pl >= bit0 + 8)
                bm = 0xff;
            else if (pl <= bit0)
                bm = 0;
            else
                bm = (uint8_t)(0xff << (8 - (pl - bit0)));
            mk[lk->off + i] &= bm;
        }
        size_t pos = (size_t)key_hash(mk, kb, pl) & m;
        for (uint32_t v; (v = t->hidx[pos]); pos = (pos + 1) & m) {
            const struct entry *en = &t->ents[v - 1];
            if (en->plen == pl && key_eq(en->key, mk, kb))
                return (int)v - 1;
        }
    }
    return -1;
}

int
table_lookup64(struct table *t, uint64_t key)
{
    if (t->dirty)
        rebuild(t);
    if (!t->n_used)
        return -1;
    size_t m = t->hcap - 1;
    if (t->lpm_key < 0) {
        size_t pos = (size_t)hash64(key, 0) & m;
        for (uint32_t v; (v = t->hidx[pos]); pos = (pos + 1) & m)
            if (t->ents[v - 1].k64 == key)
                return (int)v - 1;
        return -1;
    }
    const struct mkey *lk = &t->keys[t->lpm_key];
    unsigned bits = (unsigned)lk->bytes * 8;
    unsigned after = (unsigned)(t->key_bytes - lk->off - lk->bytes) * 8;
    uint64_t region = (bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1)
                      << after;
    for (int pi = 0; pi < t->n_plens; pi++) {
        int pl = t->plens[pi];
        uint64_t keep = pl >= (int)bits ? region
                        : pl <= 0       ? 0
                                        : (region >> (bits - (unsigned)pl))
                                        << (bits - (unsigned)pl);
        uint64_t km = (key & ~region) | (key & keep);
        size_t pos = (size_t)hash64(km, pl) & m;
        for (uint32_t v; (v = t->hidx[pos]); pos = (pos + 1) & m) {
            const struct entry *en = &t->ents[v - 1];
            if (en->plen == pl && en->k64 == km)
                return (int)v - 1;
        }
    }
    return -1;
}

/* Copies a big-endian value into exactly nb bytes; -1 if it does not fit in
 * bits. */
static int
fit_bytes(const struct sw_bytes *b, uint8_t *out, int nb, unsigned bits)
{
    memset(out, 0, (size_t)nb);
    size_t n = b->len;
    const uint8_t *v = b->v;
    while (n > (size_t)nb) {
        if (*v)
            return -1;
        v++;
        n--;
    }
    memcpy(out + nb - n, v, n);
    unsigned extra = (unsigned)nb * 8 - bits;
    if (extra && (out[0] >> (8 - extra)))
        return -1;
    return 0;
}

int
table_pack_entry(const struct table *t, const struct sw_match_param *m,
                 size_t n, uint8_t *key, uint8_t *mask, int *plen,
                 struct err *e)
{
    if (n != (size_t)t->n_keys)
        return err_set(e, -EINVAL,
                       "table %s: %d match fields expected, %zu given",
                       t->info.name, t->n_keys, n);
    *plen = 0;
    for (int k = 0; k < t->n_keys; k++) {
        const struct mkey *mk = &t->keys[k];
        const struct sw_match_param *p = &m[k];
        uint8_t *kb = key + mk->off, *mb = mask + mk->off;
        enum sw_match_kind want = mk->info.kind, got = p->kind;
        if (want != got &&
            !(want == SW_MATCH_OPTIONAL &&
              (got == SW_MATCH_TERNARY || got == SW_MATCH_EXACT)))
            return err_set(e, -EINVAL,
                           "table %s: key %s (%s) given as %s match",
                           t->info.name, mk->info.name,
                           sw_match_kind_name(want), sw_match_kind_name(got));
        if (want == SW_MATCH_OPTIONAL && p->wildcard) {
            memset(kb, 0, (size_t)mk->bytes);
            memset(mb, 0, (size_t)mk->bytes);
            continue;
        }
        if (fit_bytes(&p->key, kb, mk->bytes, mk->info.bitwidth))
            return err_set(e, -EINVAL,
                           "table %s: value for key %s does not fit in %u bits",
                           t->info.name, mk->info.name, mk->info.bitwidth);
        memset(mb, 0xff, (size_t)mk->bytes);
        switch (want) {
        case SW_MATCH_LPM:
            if (p->prefix_len < 0 ||
                (unsigned)p->prefix_len > mk->info.bitwidth)
                return err_set(
                    e, -EINVAL,
                    "table %s: prefix length %d out of range for key "
                    "%s (0..%u)",
                    t->info.name, p->prefix_len, mk->info.name,
                    mk->info.bitwidth);
            {
                /* prefix counted from the top of the field, which sits at the
                 * low end of its bytes */
                int pad = mk->bytes * 8 - (int)mk->info.bitwidth;
                int pl = p->prefix_len + pad;
                for (int i = 0; i < mk->bytes; i++) {
                    int b0 = i * 8;
                    mb[i] = pl >= b0 + 8 ? 0xff
                            : pl <= b0   ? 0
                                         : (uint8_t)(0xff << (8 - (pl - b0)));
                }
                *plen = pl;
            }
            break;
        case SW_MATCH_TERNARY:
        case SW_MATCH_OPTIONAL:
            if (got == SW_MATCH_TERNARY &&
                fit_bytes(&p->mask, mb, mk->bytes, mk->info.bitwidth))
                return err_set(
                    e, -EINVAL,
                    "table %s: mask for key %s does not fit in %u bits",
                    t->info.name, mk->info.name, mk->info.bitwidth);
            break;
        case SW_MATCH_RANGE:
            if (fit_bytes(&p->mask, mb, mk->bytes, mk->info.bitwidth))
                return err_set(e, -EINVAL,
                               "table %s: range end for key %s does not fit in "
                               "%u bits",
                               t->info.name, mk->info.name, mk->info.bitwidth);
            if (memcmp(kb, mb, (size_t)mk->bytes) > 0)
                return err_set(e, -EINVAL,
                               "table %s: range start > end for key %s",
                               t->info.name, mk->info.name);
            break;
        default:
            break;
        }
    }
    return 0;
}

int
act_call_build(const struct prog *p, int a, const struct sw_bytes *args,
               size_t n, struct act_call *out, struct err *e)
{
    const struct action *ac = &p->actions[a];
    if (n != ac->info.n_params)
        return err_set(e, -EINVAL, "action %s takes %zu parameters, %zu given",
                       ac->info.name, ac->info.n_params, n);
    out->action = a;
    out->args = xcalloc(ac->poff[n] + 1, sizeof *out->args);
    for (size_t i = 0; i < n; i++) {
        uint8_t buf[VAL_W * 8];
        int nb = (int)(ac->params[i].bitwidth + 7) / 8;
        if (nb > (int)sizeof buf ||
            fit_bytes(&args[i], buf, nb, ac->params[i].bitwidth)) {
            act_call_free(out);
            return err_set(e, -EINVAL,
                           "action %s: value for parameter %s does not fit in "
                           "%u bits",
                           ac->info.name, ac->params[i].name,
                           ac->params[i].bitwidth);
        }
        struct val v;
        val_from_bytes(&v, buf, (size_t)nb);
        act_arg_set(ac, out->args, i, &v);
    }
    return 0;
}

uint64_t *
act_args_dup(const struct prog *p, int a, const uint64_t *args)
{
    const struct action *ac = &p->actions[a];
    size_t nw = ac->poff[ac->info.n_params];
    uint64_t *d = xcalloc(nw + 1, sizeof *d);
    if (args)
        memcpy(d, args, nw * sizeof *d);
    return d;
}
