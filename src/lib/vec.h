/* vec.h - type-safe growable arrays as macros.
 *
 *     VEC(struct link *) links = VEC_INIT;
 *     VEC_PUSH(&links, l);
 *     for (size_t i = 0; i < links.n; i++) use(links.v[i]);
 *     VEC_FREE(&links);
 */
#ifndef FOP4_VEC_H
#define FOP4_VEC_H

#include <stdlib.h>

#include "lib/util.h"

#define VEC(T)                                                                 \
    struct {                                                                   \
        T *v;                                                                  \
        size_t n, cap;                                                         \
    }
#define VEC_INIT {NULL, 0, 0}

#define VEC_RESERVE(vec, want)                                                 \
    do {                                                                       \
        if ((want) > (vec)->cap) {                                             \
            size_t c_ = (vec)->cap ? (vec)->cap * 2 : 8;                       \
            while (c_ < (want))                                                \
                c_ *= 2;                                                       \
            (vec)->v = xrealloc((vec)->v, c_ * sizeof *(vec)->v);              \
            (vec)->cap = c_;                                                   \
        }                                                                      \
    } while (0)

#define VEC_PUSH(vec, x)                                                       \
    do {                                                                       \
        VEC_RESERVE(vec, (vec)->n + 1);                                        \
        (vec)->v[(vec)->n++] = (x);                                            \
    } while (0)

#define VEC_FREE(vec)                                                          \
    do {                                                                       \
        free((vec)->v);                                                        \
        (vec)->v = NULL;                                                       \
        (vec)->n = (vec)->cap = 0;                                             \
    } while (0)

#endif
