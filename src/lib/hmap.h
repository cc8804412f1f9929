/* hmap.h - a string-keyed hash map (open addressing) for names: nodes, tables,
 * actions, fields. Not for the packet path, which refers to objects by index. */
#ifndef FOP4_HMAP_H
#define FOP4_HMAP_H

#include <stddef.h>

struct hmap_slot {
    char *key; /* owned copy; NULL = empty */
    void *val;
};

struct hmap {
    struct hmap_slot *slots;
    size_t n, cap; /* cap is 0 or a power of two */
};

#define HMAP_INIT {NULL, 0, 0}

void hmap_init(struct hmap *m);
/* Frees the map's keys and slots, not the values. */
void hmap_destroy(struct hmap *m);
/* Sets key to val (replacing any previous value, which is returned through *old
 * if old is not NULL). */
void hmap_put(struct hmap *m, const char *key, void *val, void **old);
/* Returns the value for key, or NULL. */
void *hmap_get(const struct hmap *m, const char *key);
/* Removes key; returns its value or NULL. */
void *hmap_del(struct hmap *m, const char *key);
/* Iteration: for (size_t i = 0; hmap_next(m, &i, &k, &v);) ... */
int hmap_next(const struct hmap *m, size_t *pos, const char **key, void **val);
/* FNV-1a, exported for callers that hash other byte strings. */
size_t hash_bytes(const void *data, size_t n);

#endif
