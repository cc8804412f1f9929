/* hmap.c - linear-probing string map with tombstone-free deletion. */
#include "lib/hmap.h"

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

size_t
hash_bytes(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return (size_t)h;
}

void
hmap_init(struct hmap *m)
{
    m->slots = NULL;
    m->n = m->cap = 0;
}

void
hmap_destroy(struct hmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    hmap_init(m);
}

static size_t
find(const struct hmap *m, const char *key)
{
    size_t mask = m->cap - 1;
    size_t i = hash_bytes(key, strlen(key)) & mask;
    while (m->slots[i].key && strcmp(m->slots[i].key, key))
        i = (i + 1) & mask;
    return i;
}

static void
grow(struct hmap *m)
{
    struct hmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 16;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            m->slots[find(m, old.slots[i].key)] = old.slots[i];
    free(old.slots);
}

void
hmap_put(struct hmap *m, const char *key, void *val, void **old)
{
    if ((m->n + 1) * 4 > m->cap * 3)
        grow(m);
    size_t i = find(m, key);
    if (old)
        *old = m->slots[i].key ? m->slots[i].val : NULL;
    if (!m->slots[i].key) {
        m->slots[i].key = xstrdup(key);
        m->n++;
    }
    m->slots[i].val = val;
}

void *
hmap_get(const struct hmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = find(m, key);
    return m->slots[i].key ? m->slots[i].val : NULL;
}

void *
hmap_del(struct hmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1, i = find(m, key);
    if (!m->slots[i].key)
        return NULL;
    void *val = m->slots[i].val;
    free(m->slots[i].key);
    m->slots[i].key = NULL;
    m->n--;
    /* Re-insert the rest of the cluster so lookups never stop early. */
    for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        struct hmap_slot s = m->slots[j];
        m->slots[j].key = NULL;
        m->slots[find(m, s.key)] = s;
    }
    return val;
}

int
hmap_next(const struct hmap *m, size_t *pos, const char **key, void **val)
{
    for (; *pos < m->cap; (*pos)++) {
        if (m->slots[*pos].key) {
            if (key)
                *key = m->slots[*pos].key;
            if (val)
                *val = m->slots[*pos].val;
            (*pos)++;
            return 1;
        }
    }
    return 0;
}
